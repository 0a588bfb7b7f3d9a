"""The example's map of 6-9 December 2024 where a reader who knows the ground looks first.

Points in the desert, along the Euphrates and on the Golan, checked against the land
:func:`geoconflict.territories` draws (public API only): a town a side took is that side's,
the open desert nobody is reported to hold is ``unknown``, the 1974 area of separation is
Israeli from 8 Dec. The expected holders are the record's, as ``data/README.md`` gives them
with their sources.
"""

import pytest
import shapely

import geoconflict as gc

DAYS = ["2024-12-06", "2024-12-07", "2024-12-08", "2024-12-09"]
#: OCHA community positions (2015 populated places) of desert villages no source names.
TIBA_SOKHNEH = (38.91353, 35.08835)  # 22 km north of al-Sukhnah, in Sokhneh sub-district
KABA_JEB = (39.67782, 35.07513)  # on the Palmyra road, 51 km from the Euphrates


@pytest.fixture(scope="module")
def example():
    return gc.load_example()


@pytest.fixture(scope="module")
def land(example):
    return {day: gc.territories(example, day) for day in DAYS}


def _holder(land, day, point):
    frame = land[day]
    inside = frame[shapely.covers(frame.geometry.to_numpy(), point)]
    assert len(inside) == 1, (day, point, inside["actor_id"].tolist())
    return inside["actor_id"].iloc[0]


def _town(example, place_id):
    return example.places.geometry.loc[place_id]


CASES = [
    # al-Sukhnah: the town to the Syrian Free Army, the Badia around it unknown (7 Dec)
    ("sukhnah", None, {"2024-12-06": "government", "2024-12-07": "sfa", "2024-12-09": "sfa"}),
    ("tiba", TIBA_SOKHNEH, {"2024-12-06": "government", "2024-12-07": "unknown"}),
    # Deir ez-Zor: the city and the valley to the SDF, the desert beyond unknown (6 Dec)
    ("deir-ez-zor", None, {"2024-12-06": "sdf", "2024-12-09": "sdf"}),
    ("mayadin", None, {"2024-12-06": "sdf", "2024-12-09": "sdf"}),
    ("kaba-jeb", KABA_JEB, {"2024-12-06": "unknown", "2024-12-09": "unknown"}),
    # the desert south-east of Damascus, crossed by the SFA on 7 Dec
    ("sabe-byar", None, {"2024-12-06": "government", "2024-12-07": "sfa", "2024-12-09": "sfa"}),
    # the Golan: the area of separation and the Hermon summit Israeli from 8 Dec
    ("quneitra", None, {"2024-12-07": "southern", "2024-12-08": "israel", "2024-12-09": "israel"}),
    ("hermon-summit", None, {"2024-12-07": "government", "2024-12-08": "israel"}),
    ("khan-arnaba", None, {"2024-12-07": "southern", "2024-12-09": "southern"}),
    # the Qalamoun: no report dates the army's departure before 8 Dec
    ("an-nabk", None, {"2024-12-07": "government", "2024-12-08": "hts"}),
]


@pytest.mark.parametrize(("name", "where", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_land_at_a_known_place(example, land, name, where, expected):
    point = shapely.Point(*where) if where else _town(example, name)
    for day, actor in expected.items():
        assert _holder(land, day, point) == actor, (name, day)


@pytest.mark.parametrize("unit", ["SY030203", "SY040104"])  # Dumayr; Farqalas (T4)
def test_land_the_army_left_to_unnamed_fighters_is_unknown_that_day(example, land, unit):
    point = shapely.point_on_surface(example.places.geometry.loc[unit])
    assert [_holder(land, d, point) for d in DAYS] == ["government", "unknown", "hts", "hts"]


def test_the_area_of_separation_is_a_strip_of_about_the_agreed_size(example, land):
    """Israel's land grows on 8 Dec by the drawn area of separation: the agreement's zone
    covers 235 km2; the hand-drawn one, between the localities, about 270 km2."""
    israel = {d: f.set_index("actor_id")["area_km2"].get("israel", 0.0) for d, f in land.items()}
    assert israel["2024-12-07"] == pytest.approx(israel["2024-12-06"])
    grown = israel["2024-12-08"] - israel["2024-12-07"]
    assert 235 <= grown <= 300
    assert israel["2024-12-09"] == pytest.approx(israel["2024-12-08"])


def test_the_north_east_flow_ends_where_the_displaced_arrived(example):
    """The Tal Rifaat / Shahba row goes to the region holding Tabqa, Raqqa and Hasakah."""
    flows = example.flows
    row = flows[(flows["origin"] == "SY02") & (flows["people"] == 100_000)]
    assert len(row) == 1
    destination = example.places.geometry.loc[row["destination"].iloc[0]]
    for town in ("tabqa", "raqqa", "hasakah", "qamishli"):
        assert shapely.covers(destination, _town(example, town)), town
    assert not shapely.covers(destination, _town(example, "aleppo"))
