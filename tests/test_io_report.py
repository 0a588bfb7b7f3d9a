"""ReadReport: the same shape for every reader; readable summaries of long reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geoconflict as gc
from geoconflict.errors import DataWarning
from geoconflict.io.report import ReportBuilder


def test_an_empty_report():
    report = ReportBuilder("x.csv", "events", rows=np.arange(1, 4)).build(rows_kept=3)
    assert len(report) == 0 and report.skipped_rows == []
    assert list(report.entries.columns) == ["row", "column", "value", "reason", "action"]
    assert repr(report) == "<ReadReport x.csv: 3 read, 3 kept, 0 skipped, 0 entries>"
    assert str(report) == "x.csv: 3 rows read, 3 kept as events, 0 skipped."


def test_a_long_report_is_shortened_in_print_but_complete_in_entries():
    rows = np.arange(1, 31)
    builder = ReportBuilder("big.csv", "flows", rows=rows)
    builder.add(np.ones(30, bool), [f"v{i}" for i in range(30)], "bad", column="c")
    builder.note("a note")
    with pytest.warns(
        DataWarning, match="none of its 30 rows was kept as flows; first reasons: bad"
    ):
        report = builder.build(rows_kept=0)
    lines = str(report).splitlines()
    assert lines[1] == "  note: a note"
    assert lines[-1] == "  ... 10 more entries in .entries"
    assert len(report.entries) == 30 and report.skipped_rows == list(range(1, 31))
    problem = report.problems()[0]
    assert str(problem) == "big.csv, row 1, column 'c', value 'v0': bad (skipped)."


@pytest.mark.parametrize(
    "reader, text",
    [
        (gc.read_acled, "event_date,latitude,longitude\n2024-12-05,35,36\n"),
        (gc.read_ucdp_ged, "date_start,latitude,longitude\n2024-12-05,35,36\n"),
        (gc.read_hxl, "#loc+name,#geo+lat,#geo+lon\nHama,35,36\n"),
    ],
)
def test_every_reader_returns_a_table_and_a_report(reader, text, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(text)
    table, report = reader(path)
    assert isinstance(table, pd.DataFrame) and len(table) == 1
    assert isinstance(report, gc.ReadReport)
    assert (report.rows_read, report.rows_kept, report.source) == (1, 1, str(path))


def test_rows_without_a_place_or_coordinates_are_reported(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("#loc+name,#geo+lat,#geo+lon\n,35,36\nHama,35.1,36.7\n")
    places, report = gc.read_hxl(path)
    assert list(places.index) == ["Hama"]
    assert report.skipped[["row", "reason"]].values.tolist() == [[1, "place is missing"]]


def test_events_without_coordinates_are_reported_by_control_from_events():
    import geopandas as gpd
    import shapely

    towns = gc.make_places(["hama"], ["Hama"], [36.75], [35.13])
    events = gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(["2024-12-05", "2024-12-05"]),
            "sub_event_type": ["Government regains territory"] * 2,
            "actor1": ["SAA", "SAA"],
        },
        geometry=[None, shapely.Point(36.75, 35.13)],
        crs=4326,
    )
    control, report = gc.control_from_events(events, towns, actor_map={"SAA": "government"})
    assert len(control) == 1
    assert report.skipped[["row", "reason"]].values.tolist() == [[1, "event has no coordinates"]]
