"""The bundled example agrees with the validation table in data/README.md.

The table (section "Validation table") is the only copy of the expected holders: this module
parses it and checks every cell against the built example. The holder of a place on a day is
its own latest control record dated on or before that day; a town with no record of its own by
then takes the state of the smallest polygon place (sub-district, split unit or zone) that
contains it.
"""

import re
from pathlib import Path

import pandas as pd
import pytest
import shapely

import geoconflict as gc

README = Path(__file__).parents[1] / "data" / "README.md"
DAY = re.compile(r"^(\d{1,2}) (Nov|Dec)$")
CELL = re.compile(
    r"^(?P<actor>[a-z_]+)(?: \(contested by (?P<by>[a-z_]+)\))? \[(?P<key>[^\]]+)\]$"
)
SOURCE_KEY = re.compile(r"^- \[(?P<key>[^\]]+)\] ")


def _section(text):
    """The lines of the "Validation table" section, up to the next heading of its level."""
    lines = text.splitlines()
    start = lines.index("## Validation table")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def _parse_table(lines):
    """Rows of the first Markdown table in ``lines`` as (place_id, {day: cell}) and the days."""
    rows = [line for line in lines if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    days = {}
    for col, name in enumerate(header):
        match = DAY.match(name)
        if match:
            month = 11 if match.group(2) == "Nov" else 12
            days[col] = pd.Timestamp(2024, month, int(match.group(1)))
    table = []
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table.append((cells[1], {days[col]: cells[col] for col in days}))
    return table, sorted(days.values())


SECTION = _section(README.read_text(encoding="utf-8"))
TABLE, DAYS = _parse_table(SECTION)
CASES = [(place, day, cell) for place, cells in TABLE for day, cell in cells.items()]


@pytest.fixture(scope="module")
def example():
    conflict = gc.load_example()
    polygonal = conflict.places.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if not polygonal.any():
        pytest.skip(
            "the bundled example is not yet built at sub-district resolution "
            "(no polygon places); rebuild it with data/build_syria_2024.py"
        )
    return conflict


def _own_record(control, place, day):
    rows = control[(control["place_id"] == place) & (control["date"] <= day)]
    if rows.empty:
        return None
    return rows.sort_values("date").iloc[-1]


def _containing_polygon(places, place):
    """Id of the smallest polygon place that contains the point place ``place``."""
    point = places.geometry.loc[place]
    polygons = places[places.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    polygons = polygons[polygons.index != place]
    inside = polygons[shapely.covers(polygons.geometry.to_numpy(), point)]
    assert not inside.empty, f"{place} lies in no polygon place"
    areas = inside.to_crs(6933).geometry.area
    return areas.idxmin()


_UNIT = {}


def holder_record(conflict, place, day):
    """The control record that decides who holds ``place`` on ``day``."""
    record = _own_record(conflict.control, place, day)
    if record is not None:
        return record
    geom = conflict.places.geometry.loc[place]
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None
    if (id(conflict), place) not in _UNIT:
        _UNIT[id(conflict), place] = _containing_polygon(conflict.places, place)
    return _own_record(conflict.control, _UNIT[id(conflict), place], day)


def test_table_covers_every_capital_and_five_days():
    days = ["26 Nov", "30 Nov", "06 Dec", "07 Dec", "09 Dec"]
    assert [d.strftime("%d %b") for d in DAYS] == days
    ids = [place for place, _ in TABLE]
    assert len(ids) == len(set(ids)), "a place appears twice in the validation table"
    capitals = {
        "damascus",
        "aleppo",
        "homs",
        "hama",
        "latakia",
        "tartus",
        "idlib",
        "hasakah",
        "raqqa",
        "deir-ez-zor",
        "daraa",
        "suwayda",
        "quneitra",
    }
    assert capitals <= set(ids)


def test_every_cell_names_a_listed_source():
    listed = {m.group("key") for line in SECTION if (m := SOURCE_KEY.match(line))}
    for place, day, cell in CASES:
        match = CELL.match(cell)
        assert match, f"{place} on {day:%d %b}: cannot read the cell {cell!r}"
        key = match.group("key")
        assert key in listed, f"{place} on {day:%d %b}: source [{key}] is not listed"


@pytest.mark.parametrize(
    ("place", "day", "cell"), CASES, ids=[f"{p}-{d:%d%b}" for p, d, _ in CASES]
)
def test_holder_matches_the_table(example, place, day, cell):
    expected = CELL.match(cell)
    assert place in example.places.index, f"{place} is not a place of the example"
    record = holder_record(example, place, day)
    assert record is not None, (
        f"nobody holds {place} on {day:%d %b} in the data; the table says {cell}"
    )
    assert record["actor_id"] == expected.group("actor"), (
        f"{place} on {day:%d %b}: the data say {record['actor_id']} "
        f"(record of {record['place_id']} dated {record['date']:%d %b}); the table says {cell}"
    )
    want_status = "contested" if expected.group("by") else "held"
    assert record["status"] == want_status
    if expected.group("by"):
        assert record["contested_by"] == expected.group("by")
    assert str(record["source"]).startswith("http"), (
        f"{record['place_id']}: record without a source URL"
    )
    shown = _snapshot(example, day).loc[place]
    assert (shown["actor_id"], shown["status"]) == (record["actor_id"], record["status"]), (
        f"{place} on {day:%d %b}: Conflict.at shows {shown['actor_id']} ({shown['status']})"
    )


_SNAPSHOTS = {}


def _snapshot(conflict, day):
    """``conflict.at(day).places``, computed once per day."""
    if (id(conflict), day) not in _SNAPSHOTS:
        _SNAPSHOTS[id(conflict), day] = conflict.at(day).places
    return _SNAPSHOTS[id(conflict), day]


def test_the_government_holds_nothing_after_the_fall(example):
    """On 9 Dec no place's record in force names the government, and no table counts any
    place or land for it (a unit cut wholly into parts carries no record of its own)."""
    held = gc.control_at(example.control, "2024-12-09")
    still = held.index[held["actor_id"] == "government"].tolist()
    assert not still, "still held by the government after 8 Dec: " + ", ".join(still)
    summary = gc.control_summary(example, start="2024-12-09", end="2024-12-09")
    government = summary[summary["actor_id"] == "government"]
    assert government["places"].tolist() == [0]
    assert government["area_km2"].tolist() == [0.0]
    at = example.at("2024-12-09").places
    assert not (at["actor_id"] == "government").any()


def test_each_load_of_the_example_is_a_copy_of_its_own():
    """The files are read once per process; a caller's changes stay in its own copy."""
    first = gc.load_example()
    first.places.loc["aleppo", "name"] = "changed"
    first.control.loc[:, "actor_id"] = "nobody"
    second = gc.load_example()
    assert second.places.loc["aleppo", "name"] == "Aleppo"
    assert (second.control["actor_id"] != "nobody").all()
    read = gc.read_conflict(gc.example_path())
    for name in ("places", "actors", "control", "flows", "boundary", "context", "events"):
        mine, theirs = getattr(second, name), getattr(read, name)
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            pd.testing.assert_frame_equal(mine, theirs, check_like=False)
    assert second.title == read.title and second.household_size == read.household_size
