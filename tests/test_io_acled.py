"""ACLED exports in, events out; control records from the events that record them.
Malformed rows are reported with their row, column, value and reason, never dropped silently."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import SchemaError

HEADER = (
    "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,assoc_actor_1,"
    "actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,"
    "fatalities"
)
ROWS = [
    # 1: fine, ISO date
    "SYR1,2024-11-29,2024,Battles,Non-state actor overtakes territory,Hayat Tahrir al Sham,"
    ",Military Forces of Syria (2000-2024),Aleppo,Jebel Saman,Aleppo,36.2021,37.1343,1,"
    'SOHR,"HTS took the city, said ""sources""",12',
    # 2: fine, day-month-year date, Arabic location
    "SYR2,05 December 2024,2024,Battles,Non-state actor overtakes territory,"
    "Hayat Tahrir al Sham,,,Hama,Hama,حماة,35.1318,36.7578,1,Reuters,,3",
    # 3: missing coordinates
    "SYR3,2024-12-06,2024,Battles,Armed clash,Hayat Tahrir al Sham,,,Homs,Homs,Homs,,36.72,"
    "2,SOHR,,0",
    # 4: a date that is not a date
    "SYR4,31/31/2024,2024,Battles,Armed clash,Hayat Tahrir al Sham,,,Homs,Homs,Homs,34.73,"
    "36.72,1,SOHR,,1",
    # 5: fatalities that is not a number: kept, value left missing
    "SYR5,2024-12-07,2024,Explosions/Remote violence,Air/drone strike,"
    "Military Forces of Russia (2000-),,,Idleb,Idleb,Idleb,35.93,36.63,1,SOHR,,several",
    # 6: government regains territory, an actor nobody mapped, too far from any place
    "SYR6,2024-12-08,2024,Battles,Government regains territory,"
    "Military Forces of Syria (2000-2024),,,Deir ez Zor,Deir ez Zor,Al Bukamal,34.45,40.92,"
    "1,SOHR,,0",
    # 7: coordinates that are not numbers, latitude out of range on 8
    "SYR7,2024-12-08,2024,Battles,Armed clash,SNA,,,Aleppo,Afrin,Tal Rifaat,north,37.1,1,SOHR,,0",
    "SYR8,2024-12-08,2024,Battles,Armed clash,SNA,,,Aleppo,Afrin,Tal Rifaat,136.47,37.1,1,SOHR,,0",
]


@pytest.fixture
def acled_file(tmp_path):
    path = tmp_path / "acled_syria.csv"
    path.write_text("\ufeff" + HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_events_are_mapped_onto_our_columns(acled_file):
    events, report = gc.read_acled(acled_file)
    assert list(events.columns) == [
        "event_id",
        "date",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "fatalities",
        "admin1",
        "admin2",
        "location",
        "geo_precision",
        "source",
        "notes",
        "geometry",
    ]
    assert events["event_id"].tolist() == ["SYR1", "SYR2", "SYR5", "SYR6"]
    assert (
        events["date"].tolist()
        == pd.to_datetime(["2024-11-29", "2024-12-05", "2024-12-07", "2024-12-08"]).tolist()
    )
    assert events.geometry.iloc[0].equals(shapely.Point(37.1343, 36.2021))
    assert events.crs.equals("EPSG:4326")
    assert events["notes"].iloc[0] == 'HTS took the city, said "sources"'
    assert events["location"].iloc[1] == "حماة"
    assert events["fatalities"].tolist()[:2] == [12.0, 3.0]
    assert pd.isna(events["fatalities"].iloc[2])
    assert events["geo_precision"].dtype == "Int64"


def test_malformed_rows_are_reported_not_dropped_silently(acled_file):
    events, report = gc.read_acled(acled_file)
    assert (report.rows_read, report.rows_kept) == (8, 4)
    assert report.skipped_rows == [3, 4, 7, 8]
    rows = report.entries[["row", "column", "value", "reason", "action"]].values.tolist()
    assert rows == [
        [3, "longitude/latitude", "36.72, ", "coordinates are missing", "skipped"],
        [
            4,
            "event_date",
            "31/31/2024",
            "not a date (expected e.g. 2024-12-05 or 05 December 2024)",
            "skipped",
        ],
        [5, "fatalities", "several", "fatalities is not a number; left missing", "kept"],
        [7, "longitude/latitude", "37.1, north", "coordinates are not numbers", "skipped"],
        [
            8,
            "longitude/latitude",
            "37.1, 136.47",
            "coordinates are outside longitude -180..180 / latitude -90..90",
            "skipped",
        ],
    ]
    text = str(report)
    assert text.startswith(f"{acled_file}: 8 rows read, 4 kept as events, 4 skipped.")
    assert "row 4, column 'event_date', value '31/31/2024'" in text
    assert len(report.problems()) == 5


def test_extra_columns_can_be_kept(acled_file):
    events, _ = gc.read_acled(acled_file, keep=["year"])
    assert events["year"].tolist() == ["2024"] * 4


def test_missing_required_columns(tmp_path):
    path = tmp_path / "not_acled.csv"
    path.write_text("event_id_cnty,date,lat,lon\nSYR1,2024-12-05,35,36\n")
    with pytest.raises(
        SchemaError,
        match=r"missing column 'event_date'; got \['event_id_cnty'"
        r", 'date', 'lat', 'lon'\]\. Fix: rename the column to 'event_date'",
    ):
        gc.read_acled(path)


# ----------------------------------------------------------------- control from events


@pytest.fixture
def towns():
    return gc.make_places(
        ["aleppo", "hama", "homs"],
        ["Aleppo", "Hama", "Homs"],
        [37.1343, 36.7578, 36.7234],
        [36.2021, 35.1318, 34.7324],
    )


ACTORS = {"Hayat Tahrir al Sham": "hts", "Military Forces of Syria (2000-2024)": "government"}


def test_control_changes_become_records_at_the_nearest_place(acled_file, towns):
    events, _ = gc.read_acled(acled_file)
    control, report = gc.control_from_events(events, towns, actor_map=ACTORS)
    assert control[["place_id", "actor_id", "date", "status"]].values.tolist() == [
        ["aleppo", "hts", pd.Timestamp("2024-11-29"), "held"],
        ["hama", "hts", pd.Timestamp("2024-12-05"), "held"],
    ]
    assert control["event_id"].tolist() == ["SYR1", "SYR2"]
    assert control["source"].tolist() == ["SOHR", "Reuters"]
    assert control["distance_km"].max() < 0.1
    assert control["note"].iloc[0].startswith("ACLED: Non-state actor overtakes territory")
    # SYR6 is 'Government regains territory' 300 km from every place
    far = report.skipped
    assert far[["row", "reason"]].values.tolist() == [
        [4, "no place within max_distance_km=10 (nearest shown)"]
    ]
    assert far["value"].iloc[0].startswith("homs at ")
    assert "4 events have a control sub-event type" in str(report)


def test_records_feed_a_conflict(acled_file, towns):
    events, _ = gc.read_acled(acled_file)
    control, _ = gc.control_from_events(events, towns, actor_map=ACTORS)
    c = gc.Conflict(towns, pd.DataFrame({"actor_id": ["hts", "government"]}), control)
    held = c.control_at("2024-12-06")["actor_id"]
    assert held.to_dict() == {"aleppo": "hts", "hama": "hts", "homs": None}


def test_unmapped_actors_are_reported(acled_file, towns):
    events, _ = gc.read_acled(acled_file)
    control, report = gc.control_from_events(
        events, towns, actor_map={"hayat tahrir al-sham": "hts"}, max_distance_km=500
    )
    assert control["place_id"].tolist() == ["aleppo", "hama"], "names match ignoring case"
    assert report.skipped[["row", "column", "value", "reason"]].values.tolist() == [
        [4, "actor1", "Military Forces of Syria (2000-2024)", "actor not in actor_map"]
    ]


def test_clashing_and_repeated_events(towns):
    events = gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(["2024-12-05"] * 4 + ["2024-12-06"]),
            "sub_event_type": ["Non-state actor overtakes territory"] * 2
            + ["Government regains territory"]
            + ["Non-state actor overtakes territory"] * 2,
            "actor1": ["HTS", "HTS", "SAA", "HTS", "HTS"],
            "event_id": ["a", "b", "c", "d", "e"],
        },
        geometry=[
            shapely.Point(36.76, 35.13),
            shapely.Point(36.75, 35.14),
            shapely.Point(36.72, 34.73),
            shapely.Point(36.73, 34.73),
            shapely.Point(36.72, 34.74),
        ],
        crs="EPSG:4326",
    )
    control, report = gc.control_from_events(
        events, towns, actor_map={"HTS": "hts", "SAA": "government"}
    )
    assert control[["place_id", "actor_id", "event_id"]].values.tolist() == [
        ["hama", "hts", "a"],
        ["homs", "hts", "e"],
    ]
    assert report.skipped[["row", "reason"]].values.tolist() == [
        [2, "repeats an earlier event (same place, actor and date)"],
        [3, "events on the same day give this place to different actors"],
        [4, "events on the same day give this place to different actors"],
    ]


def test_control_from_events_needs_its_columns_and_a_positive_distance(towns):
    events = gpd.GeoDataFrame(
        {"date": [pd.Timestamp("2024-12-05")]}, geometry=[shapely.Point(36, 35)], crs=4326
    )
    with pytest.raises(
        SchemaError,
        match=r"table 'events': missing column 'sub_event_type'; "
        r"got \['date', 'geometry'\]\. Fix: rename the column",
    ):
        gc.control_from_events(events, towns, actor_map={})
    with pytest.raises(ValueError, match=r"max_distance_km must be a positive number, got -1"):
        gc.control_from_events(events, towns, actor_map={}, max_distance_km=-1)
