"""Every reader on every third-party file of its format in tests/corpus.

The files (origins and licences in tests/corpus/README.md) are GeoJSON test files of
geojsonhint and GDAL, HXL test files of libhxl-python, IOM DTM, UCDP, UNHCR and ACLED tables
from OCHA's HDX tooling and ACLED exports of four vintages from public repositories. GeoPackage
and GeoParquet copies of the good GeoJSON files are written here with pyogrio and geopandas.

For every file and reader the test asserts that only the library's own errors and warnings
escape and that every report adds up (kept + skipped = read, each entry's row one that was
read); for the files listed in ``EXPECTED`` it compares what was read with figures computed
here with plain pandas and pyogrio. More files can be read the same way by pointing the
environment variable ``GEOCONFLICT_CORPUS`` at a folder of them.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import DataWarning, GeoconflictError
from geoconflict.io.tables import read_boundary

CORPUS = Path(__file__).parent / "corpus"
EXTRA = os.environ.get("GEOCONFLICT_CORPUS")

VECTOR = (".geojson", ".json")
TABLES = (".csv", ".ssv", ".tsv", ".txt")


def _files() -> list[Path]:
    roots = [CORPUS] + ([Path(EXTRA)] if EXTRA else [])
    return sorted(
        p
        for root in roots
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in VECTOR + TABLES + (".gpkg", ".parquet", ".shp")
    )


FILES = _files()


def _name(path: Path) -> str:
    return str(path.relative_to(CORPUS)) if path.is_relative_to(CORPUS) else str(path)


def test_the_corpus_is_large_enough():
    third_party = [p for p in FILES if p.is_relative_to(CORPUS)]
    assert len(third_party) >= 60
    kinds = {p.relative_to(CORPUS).parts[0] for p in third_party}
    assert {"geojson", "hxl", "acled", "ucdp", "dtm", "od"} <= kinds


# ------------------------------------------------------------------ GeoPackage, GeoParquet


@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> dict[str, Path]:
    """GeoPackage and GeoParquet copies of the readable GeoJSON files, by plain pyogrio."""
    folder = tmp_path_factory.mktemp("derived")
    out = {}
    for path in FILES:
        if "good" not in path.parts and "gdal" not in path.parts:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path)
        stem = path.stem
        pyogrio.write_dataframe(frame, folder / f"{stem}.gpkg", driver="GPKG")
        out[f"{stem}.gpkg"] = folder / f"{stem}.gpkg"
        try:
            frame.to_parquet(folder / f"{stem}.parquet")
        except (ValueError, TypeError, ImportError):
            continue  # nested properties Arrow cannot store: no GeoParquet copy
        out[f"{stem}.parquet"] = folder / f"{stem}.parquet"
    return out


# ------------------------------------------------------------------------------ readers


def _delimiter(path: Path) -> str:
    return {".ssv": ";", ".tsv": "\t"}.get(path.suffix.lower(), ",")


def _encoding(path: Path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"


def _csv_readers(path: Path) -> dict[str, Callable[[], object]]:
    kw = {"delimiter": _delimiter(path), "encoding": _encoding(path)}
    return {
        "read_acled": lambda: gc.read_acled(path, **kw),
        "read_ucdp_ged": lambda: gc.read_ucdp_ged(path, **kw),
        "read_hxl": lambda: gc.read_hxl(path, **kw),
        "read_places": lambda: gc.read_places(path, **kw),
        "read_actors": lambda: gc.read_actors(path, **kw),
        "read_control": lambda: gc.read_control(path, **kw),
        "read_flows": lambda: gc.read_flows(path, **kw),
    }


def _readers(path: Path) -> dict[str, Callable[[], object]]:
    suffix = path.suffix.lower()
    if suffix in VECTOR:
        return {
            "read_geojson": lambda: gc.read_geojson(path),
            "read_boundary": lambda: read_boundary(path),
        }
    if suffix == ".gpkg":
        return {
            "read_gpkg": lambda: gc.read_gpkg(path),
            "read_boundary": lambda: read_boundary(path),
        }
    if suffix == ".parquet":
        return {
            "read_parquet": lambda: gc.read_parquet(path),
            "read_boundary": lambda: read_boundary(path),
        }
    if suffix == ".shp":
        return {"read_boundary": lambda: read_boundary(path)}
    return _csv_readers(path)


def _records(path: Path) -> int:
    """Records in a CSV file after the first (the header), counted with the csv module."""
    text = path.read_bytes().decode(_encoding(path)).lstrip("\ufeff")
    return sum(1 for _ in csv.reader(io.StringIO(text), delimiter=_delimiter(path))) - 1


def _run(call: Callable[[], object]) -> tuple[object, list[warnings.WarningMessage]]:
    """The reader's result (or the library error it raised) and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call()
        except GeoconflictError as exc:
            result = exc
    return result, caught


def _check_report(result: object, path: Path) -> None:
    if not (isinstance(result, tuple) and len(result) == 2):
        return
    table, report = result
    assert isinstance(report, gc.ReadReport)
    assert report.rows_kept == len(table)
    assert report.rows_kept + len(report.skipped_rows) == report.rows_read
    read = set(report.row_numbers)
    assert len(read) == report.rows_read
    assert set(report.entries["row"].astype(int)) <= read
    kept_entries = set(report.entries.loc[report.entries["action"] == "kept", "row"])
    assert not kept_entries & set(report.skipped_rows)
    assert set(report.entries["action"]) <= {"kept", "skipped"}
    if path.suffix.lower() in TABLES:
        assert read <= set(range(1, _records(path) + 1))


CASES = [(path, name) for path in FILES for name in _readers(path)]


@pytest.mark.parametrize("path, reader", CASES, ids=[f"{_name(p)}-{r}" for p, r in CASES])
def test_only_library_errors_and_warnings_escape_and_reports_add_up(path, reader):
    result, caught = _run(_readers(path)[reader])
    foreign = [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if not issubclass(w.category, DataWarning)
    ]
    assert not foreign
    _check_report(result, path)


@pytest.mark.parametrize("kind", ["gpkg", "parquet"])
def test_geopackage_and_geoparquet_copies(derived, kind):
    copies = [p for name, p in derived.items() if name.endswith(kind)]
    assert len(copies) >= 5
    for path in copies:
        for name, reader in _readers(path).items():
            result, caught = _run(reader)
            assert all(issubclass(w.category, DataWarning) for w in caught)
            source = gpd.read_parquet(path) if kind == "parquet" else pyogrio.read_dataframe(path)
            polygons = source.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
            lonlat = len(source) and (np.abs(source.total_bounds) <= [180, 90, 180, 90]).all()
            if name == "read_boundary" and polygons.all() and len(source) and not lonlat:
                assert isinstance(result, gc.FormatError)  # geojsonhint's issue82: -263
                assert "beyond longitude -180..180" in str(result)
            elif name == "read_boundary" and polygons.all() and len(source):
                assert isinstance(result, gpd.GeoDataFrame), result
                ours = shapely.area(result.geometry.to_numpy()).sum()
                assert np.isclose(ours, shapely.area(source.geometry.to_numpy()).sum())
            elif name == "read_gpkg":
                assert isinstance(result, gc.FormatError)  # a GeoPackage but no conflict
            elif name == "read_parquet":
                assert len(result) == len(source)


# ------------------------------------------------------ what the good files hold


def _geojson(path: Path, table: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = pyogrio.read_dataframe(path)
    assert len(table) == len(source)
    ours = table.geometry.to_numpy()
    theirs = source.geometry.to_numpy()
    assert (shapely.is_missing(ours) == shapely.is_missing(theirs)).all()
    given = ~shapely.is_missing(theirs)
    assert shapely.equals(ours[given], theirs[given]).all()
    props = [c for c in source.columns if c != "geometry"]
    assert [c for c in table.columns if c in props] == props


def _acled(date_format: str) -> Callable[[Path, object], None]:
    def check(path: Path, result: object) -> None:
        events, report = result
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        raw.columns = [c.lower() for c in raw.columns]
        lat = pd.to_numeric(raw["latitude"], errors="coerce")
        lon = pd.to_numeric(raw["longitude"], errors="coerce")
        day = pd.to_datetime(raw["event_date"], format=date_format, errors="coerce")
        good = lat.between(-90, 90) & lon.between(-180, 180) & day.notna()
        assert len(events) == good.sum() == report.rows_kept
        assert events["date"].min() == day[good].min()
        fatalities = pd.to_numeric(raw["fatalities"], errors="coerce")[good]
        assert events["fatalities"].sum() == fatalities.sum()
        assert events["event_id"].tolist() == raw["event_id_cnty"][good].tolist()

    return check


def _ucdp(path: Path, result: object) -> None:
    events, report = result
    raw = pd.read_csv(path, skiprows=[1])  # the HXL hashtag row under the header
    assert len(events) == len(raw) == report.rows_read
    assert events["fatalities"].sum() == raw["best"].sum()
    assert events["date"].min() == pd.to_datetime(raw["date_start"]).min()
    assert events["event_id"].tolist() == raw["id"].astype(str).tolist()


def _dtm_flows(path: Path, result: object) -> None:
    flows, report = result
    raw = pd.read_csv(path, skiprows=[1])
    rows = raw[(raw["adminLevel"] == 2) & (raw["idpOriginAdmin1Pcode"] != "Not available")]
    assert flows["people"].sum() == rows["numPresentIdpInd"].sum()
    assert flows["start"].min() == pd.to_datetime(rows["reportingDate"]).min()
    assert report.rows_read == len(raw) and report.rows_kept == len(rows)


def _od(path: Path, result: object) -> None:
    # read_flows is strict: the UNHCR table's rows without an origin are errors
    assert isinstance(result, gc.SchemaError)
    assert "column 'origin', value None: origin is missing" in str(result)
    raw = pd.read_csv(path)
    assert len([p for p in result.problems if "origin is missing" in p.message]) == (
        raw["ISO3 of Origin"].isna().sum()
    )


def _libhxl_places(path: Path, result: object) -> None:
    assert isinstance(result, gc.SchemaError)
    assert "places need coordinates" in str(result)


EXPECTED: dict[tuple[str, str], tuple[dict, Callable[[Path, object], None]]] = {
    ("acled/acled-v7-2001-algeria.csv", "read_acled"): ({}, _acled("%d/%m/%Y")),
    ("acled/acled-asia-2015-bangladesh-first5.csv", "read_acled"): ({}, _acled("%d-%B-%Y")),
    ("acled/acled-api-2016-africa-first8.csv", "read_acled"): ({}, _acled("%Y-%m-%d")),
    ("acled/acled-2023-export-r-benin-first15.csv", "read_acled"): ({}, _acled("%d %B %Y")),
    ("ucdp/ucdp-ged-hdx-2022-bgd-first8.csv", "read_ucdp_ged"): ({}, _ucdp),
    ("dtm/iom-dtm-admin0-2-2025-10-chad-2017-2018.csv", "read_hxl"): ({}, _dtm_flows),
    ("od/unhcr-situations-origin-asylum.csv", "read_flows"): (
        {
            "origin": "ISO3 of Origin",
            "destination": "ISO3",
            "start": "Date",
            "people": "Individuals",
        },
        _od,
    ),
    ("hxl/input-valid.csv", "read_hxl"): ({}, _libhxl_places),
}
READERS = {
    "read_acled": gc.read_acled,
    "read_ucdp_ged": gc.read_ucdp_ged,
    "read_hxl": gc.read_hxl,
    "read_flows": gc.read_flows,
}


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[f"{k[0]}-{k[1]}" for k in sorted(EXPECTED)])
def test_what_was_read_matches_plain_pandas(key):
    name, reader = key
    options, check = EXPECTED[key]
    path = CORPUS / name
    result, caught = _run(lambda: READERS[reader](path, **options))
    assert all(issubclass(w.category, DataWarning) for w in caught)
    check(path, result)


GOOD_GEOJSON = [
    p for p in FILES if p.suffix.lower() in VECTOR and ("good" in p.parts or "gdal" in p.parts)
]


@pytest.mark.parametrize("path", GOOD_GEOJSON, ids=[_name(p) for p in GOOD_GEOJSON])
def test_good_geojson_reads_as_pyogrio_reads_it(path):
    result, caught = _run(lambda: gc.read_geojson(path))
    assert all(issubclass(w.category, DataWarning) for w in caught)
    _geojson(path, result)
