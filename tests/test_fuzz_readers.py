"""Readers never raise anything but the library's own errors, whatever bytes they are given.

Bounded fuzzing with hypothesis: random byte strings, and well-formed CSV files whose cells
are random text, numbers, dates and junk.
"""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geoconflict as gc

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "nan",
            "inf",
            "-inf",
            "NaN",
            "1e400",
            "-0",
            "0",
            "1,200",
            "approx. 500",
            "2024-12-05",
            "05/12/2024",
            "2024-02-30",
            "0001-01-01",
            "9999-12-31",
            "2024-12-05T25:00",
            "POINT (1 2)",
            "POLYGON ((0 0, 1 1))",
            "contested",
            "held",
            "households",
            "people",
            "#zzzzzz",
            "\u202e",
            "</script>",
            "a|b|c",
            "   ",
            "\x00",
            "خان شيخون",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**20), 10**20).map(str),
)

HEADERS = {
    "places": ["place_id", "name", "lon", "lat", "population", "aliases", "wkt"],
    "actors": ["actor_id", "name", "color"],
    "control": ["place_id", "actor_id", "date", "status", "contested_by"],
    "flows": ["origin", "destination", "start", "end", "people", "unit", "quality"],
}

READERS = {
    "places": gc.read_places,
    "actors": gc.read_actors,
    "control": gc.read_control,
    "flows": gc.read_flows,
}


def _call(reader, path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            reader(path)
        except (gc.GeoconflictError, gc.DataWarning):  # the library's own: a read that
            pass  # keeps no row of a non-empty file warns


@pytest.mark.parametrize("table", sorted(READERS))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.csv"
        path.write_bytes(data)
        _call(READERS[table], path)


@pytest.mark.parametrize("table", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_random_cells(table, data):
    header = HEADERS[table]
    columns = data.draw(
        st.lists(st.sampled_from(header), min_size=1, max_size=len(header), unique=True)
    )
    rows = data.draw(
        st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=6)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.csv"
        path.write_text(buffer.getvalue().replace("\x00", ""), encoding="utf-8")
        _call(READERS[table], path)


FOREIGN = {
    "acled.csv": gc.read_acled,
    "ged.csv": gc.read_ucdp_ged,
    "hxl.csv": gc.read_hxl,
    "layer.geojson": gc.read_geojson,
    "all.gpkg": gc.read_gpkg,
    "table.parquet": gc.read_parquet,
}


@pytest.mark.parametrize("name", sorted(FOREIGN))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_in_foreign_readers(name, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        _call(FOREIGN[name], path)


FOREIGN_HEADERS = {
    "acled.csv": [
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "latitude",
        "longitude",
        "fatalities",
        "source",
        "notes",
    ],
    "ged.csv": [
        "id",
        "date_start",
        "date_end",
        "side_a",
        "side_b",
        "latitude",
        "longitude",
        "where_prec",
        "best",
        "low",
        "high",
    ],
    "hxl.csv": [
        "#adm1+name",
        "#geo+lat",
        "#geo+lon",
        "#affected+idps",
        "#date",
        "#adm1+name+origin",
        "#adm1+name+dest",
    ],
}


@pytest.mark.parametrize("name", sorted(FOREIGN_HEADERS))
@FUZZ
@given(data=st.data())
def test_random_cells_in_foreign_readers(name, data):
    header = FOREIGN_HEADERS[name]
    rows = data.draw(
        st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=5)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if name == "hxl.csv":
        writer.writerow([tag.strip("#").replace("+", " ") for tag in header])
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(buffer.getvalue().replace("\x00", ""), encoding="utf-8")
        _call(FOREIGN[name], path)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_geojson_boundary(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "boundary.geojson"
        path.write_bytes(b'{"type":"FeatureCollection","features":[' + data)
        _call(gc.read_boundary, path)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(
        [
            "places.csv",
            "control.csv",
            "actors.csv",
            "flows.csv",
            "boundary.geojson",
            "datapackage.json",
        ]
    ),
    data=st.binary(max_size=200),
)
def test_random_file_in_a_dataset_folder(folder, name, data):
    original = (folder / name).read_bytes() if (folder / name).exists() else None
    (folder / name).write_bytes(data)
    try:
        _call(gc.read_conflict, folder)
        assert isinstance(gc.check_folder(folder), list)
    finally:
        if original is not None:
            (folder / name).write_bytes(original)
