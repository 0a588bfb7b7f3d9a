"""UCDP GED CSV, with and without a header row; malformed rows reported."""

from __future__ import annotations

import pandas as pd
import pytest

import geoconflict as gc
from geoconflict.errors import FormatError, SchemaError
from geoconflict.io.ucdp import GED_COLUMNS


def ged_row(**values: str) -> list[str]:
    row = dict.fromkeys(GED_COLUMNS, "")
    row.update(values)
    return [row[c] for c in GED_COLUMNS]


ROWS = [
    ged_row(
        id="512345",
        year="2024",
        type_of_violence="1",
        side_a="Government of Syria",
        side_b="HTS",
        latitude="35.131800",
        longitude="36.757800",
        where_coordinates="Hamah town",
        where_prec="1",
        adm_1="Hamah governorate",
        country="Syria",
        date_start="2024-12-05 00:00:00.000",
        date_end="2024-12-05 00:00:00.000",
        best="12",
        low="10",
        high="20",
        source_article='"Reuters, 5 Dec"',
    ),
    ged_row(
        id="512346",
        type_of_violence="2",
        side_a="SDF",
        side_b="SNA",
        latitude="",
        longitude="38.0",
        date_start="2024-12-06",
        best="1",
    ),
    ged_row(
        id="512347",
        type_of_violence="3",
        side_a="IS",
        side_b="Civilians",
        latitude="34.45",
        longitude="40.92",
        date_start="not yet",
        best="1",
    ),
    ged_row(
        id="512348",
        type_of_violence="3",
        side_a="IS",
        side_b="Civilians",
        latitude="34.45",
        longitude="40.92",
        date_start="2024-12-07",
        best="unknown",
        low="0",
        high="-2",
    ),
]


def write(path, rows, *, header=True):
    lines = ([",".join(GED_COLUMNS)] if header else []) + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("header", [True, False])
def test_ged_with_or_without_header(header, tmp_path):
    path = write(tmp_path / "GEDEvent_v25_1.csv", ROWS, header=header)
    events, report = gc.read_ucdp_ged(path)
    assert events["event_id"].tolist() == ["512345", "512348"]
    first = events.iloc[0]
    assert (first["date"], first["date_end"]) == (
        pd.Timestamp("2024-12-05"),
        pd.Timestamp("2024-12-05"),
    )
    assert (first["actor1"], first["actor2"]) == ("Government of Syria", "HTS")
    assert first["event_type"] == "state-based conflict"
    assert (first["fatalities"], first["fatalities_low"], first["fatalities_high"]) == (
        12.0,
        10.0,
        20.0,
    )
    assert first["location"] == "Hamah town" and first["admin1"] == "Hamah governorate"
    assert first["source"] == "Reuters, 5 Dec"
    assert first["where_prec"] == 1
    assert (first.geometry.x, first.geometry.y) == (36.7578, 35.1318)
    assert events["event_type"].tolist()[1] == "one-sided violence"
    note = "header row found" if header else "no header row: columns named by the standard"
    assert note in str(report)
    assert report.entries[["row", "column", "reason", "action"]].values.tolist() == [
        [2, "longitude/latitude", "coordinates are missing", "skipped"],
        [3, "date_start", "not a date (expected e.g. 2024-12-05)", "skipped"],
        [4, "best", "deaths is not a number; left missing", "kept"],
        [4, "high", "deaths is negative; left missing", "kept"],
    ]


def test_a_short_export_with_a_header(tmp_path):
    path = tmp_path / "ged_syria.csv"
    path.write_text(
        "id,date_start,side_a,side_b,latitude,longitude,best\n"
        "1,2024-12-05,Government of Syria,HTS,35.13,36.75,4\n"
    )
    events, report = gc.read_ucdp_ged(path)
    assert events[["actor1", "fatalities"]].values.tolist() == [["Government of Syria", 4.0]]
    assert len(report) == 0 and report.rows_kept == 1


def test_a_headerless_file_with_named_columns(tmp_path):
    path = tmp_path / "ged_small.csv"
    path.write_text("7,2024-12-05,35.13,36.75\n")
    events, _ = gc.read_ucdp_ged(path, columns=["id", "date_start", "latitude", "longitude"])
    assert events["event_id"].tolist() == ["7"]


def test_a_headerless_file_with_another_layout(tmp_path):
    path = tmp_path / "ged_odd.csv"
    path.write_text("7,2024-12-05,35.13,36.75\n")
    with pytest.raises(
        FormatError,
        match=r"ged_odd.csv: the file has no header row and 4 "
        r"columns, which does not match the 49-column GED layout \(49\)\. Fix: "
        r"add the header row, or pass columns=",
    ):
        gc.read_ucdp_ged(path)
    with pytest.raises(FormatError, match=r"does not match the names passed as columns= \(2\)"):
        gc.read_ucdp_ged(path, columns=["id", "date_start"])


def test_a_header_without_the_needed_columns(tmp_path):
    path = tmp_path / "ged_nocoords.csv"
    path.write_text("id,date_start,latitude,lon\n1,2024-12-05,35,36\n")
    with pytest.raises(
        SchemaError,
        match=r"ged_nocoords.csv: missing column\(s\) "
        r"\['longitude'\]; got \['id', 'date_start', 'latitude', 'lon'\]\. Fix: "
        r"pass a UCDP GED CSV file",
    ):
        gc.read_ucdp_ged(path)


def test_a_file_with_another_header_is_named_as_such(tmp_path):
    """An ACLED export passed to the GED reader: its header is a header, not data."""
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,year,event_type,actor1,latitude,longitude,fatalities\n"
        "SYR1,2024-12-05,2024,Battles,HTS,35.13,36.75,3\n"
    )
    with pytest.raises(
        SchemaError,
        match=r"acled.csv: missing column\(s\) \['date_start'\]; got \['event_id_cnty', .*\]\. "
        r"It looks like an ACLED export: read it with read_acled\. Fix: ",
    ):
        gc.read_ucdp_ged(path)
    path.write_text("event_id_cnty,event_date,actor1\nSYR1,2024-12-05,HTS\n")
    with pytest.raises(
        FormatError,
        match=r"acled.csv: the header row \('event_id_cnty', 'event_date', 'actor1'\) names "
        r"fewer than 3 UCDP GED columns .* It looks like an ACLED export: read it with "
        r"read_acled\.",
    ):
        gc.read_ucdp_ged(path)
    path.write_text("name,when,count\nAleppo,2024-12-05,3\n")
    with pytest.raises(FormatError, match=r"names fewer than 3 UCDP GED columns") as info:
        gc.read_ucdp_ged(path)
    assert "ACLED" not in str(info.value) and "no header row" not in str(info.value)
