"""control_panel, front_exposure and flows_by_control against hand-computed answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control, make_flows, make_places

import geoconflict as gc
from geoconflict.analysis import _panel


def one_town(rows) -> gc.Conflict:
    places = gc.make_places(["t", "u"], ["Town", "Other"], [36.0, 36.5], [35.0, 35.0])
    control = pd.DataFrame(
        rows, columns=["place_id", "actor_id", "date", "status", "contested_by"]
    )
    return gc.Conflict(places, pd.DataFrame({"actor_id": ["gov", "reb"]}), control)


def test_a_month_held_10_of_31_days_contested_and_unknown_days():
    c = one_town(
        [
            ("t", "gov", "2024-01-05", None, None),
            ("t", "gov", "2024-01-15", "contested", "reb"),
            ("t", "reb", "2024-01-22", None, None),
            ("u", "gov", "2023-12-01", None, None),
        ]
    )
    p = gc.control_panel(c, freq="MS", start="2024-01-01", end="2024-01-31")
    row = p[p.place_id == "t"].iloc[0]
    assert (row.days, row.holder) == (31, "reb")
    # 1-4 unknown, 5-14 gov, 15-21 contested (gov's, challenged), 22-31 reb: 10 of 31 days
    assert (row.days_unknown, row.days_gov, row.days_contested, row.days_reb) == (4, 10, 7, 10)
    assert row.changes == 1  # gov -> reb; the first record and the challenge are no change
    assert row.first_change == row.last_change == pd.Timestamp("2024-01-22")
    other = p[p.place_id == "u"].iloc[0]
    assert (other.days_gov, other.changes, other.holder) == (31, 0, "gov")
    assert pd.isna(other.first_change)


@pytest.mark.parametrize(
    ("freq", "lengths"),
    [("W", [7] * 5), ("MS", [31, 29]), ("QS", [91]), ("YS", [366])],
)
def test_periods_are_whole(freq, lengths):
    c = one_town([("t", "gov", "2024-01-05", None, None), ("u", "reb", "2024-02-03", None, None)])
    p = gc.control_panel(c, freq=freq, start="2024-01-03", end="2024-02-01")
    t = p[p.place_id == "t"]
    assert t["days"].tolist() == lengths
    days = p.filter(like="days_").sum(axis=1)
    assert (days == p["days"]).all()
    assert (p["end"] - p["start"]).dt.days.add(1).tolist() == p["days"].tolist()


def test_bad_frequency_and_dates():
    c = one_town([("t", "gov", "2024-01-05", None, None)])
    with pytest.raises(gc.OptionError, match="freq must be one of"):
        gc.control_panel(c, freq="D")
    with pytest.raises(
        gc.OptionError, match=r"^control_panel: start \(2024-03-01\) is after end \(2024-01-01\)"
    ):
        gc.control_panel(c, start="2024-03-01", end="2024-01-01")
    with pytest.raises(
        gc.OptionError,
        match=r"start \(2024-01-05, the conflict's first date\) is after end \(2024-01-01\)\. "
        r"Fix: pass a start= on or before 2024-01-01, or an end= from 2024-01-05\.$",
    ):
        gc.control_panel(c, end="2024-01-01")
    undated = gc.Conflict(c.places, c.actors, c.control.iloc[:0])
    with pytest.raises(gc.OptionError, match=r"^control_panel: the conflict has no dates"):
        gc.control_panel(undated)


def test_changes_agree_with_control_changes(conflict):
    p = gc.control_panel(conflict, freq="W", start="2024-11-25", end="2024-12-31")
    changes = gc.control_changes(conflict.control)
    per_place = p.groupby("place_id", observed=True)["changes"].sum()
    expected = changes.groupby("place_id").size().reindex(per_place.index, fill_value=0)
    assert per_place.tolist() == expected.tolist()
    b = p[(p.place_id == "b") & (p.changes > 0)].iloc[0]
    assert b.first_change == pd.Timestamp("2024-12-05") and b.holder == "reb"


def test_both_ways_of_counting_agree_on_the_example(monkeypatch):
    """Spans of records and the day-by-day grid give the same panel."""
    c = gc.load_example()
    spans = gc.control_panel(c, freq="W")
    monkeypatch.setattr(
        _panel, "_inheriting", lambda conflict, index, ids, day0: np.ones(ids.size, bool)
    )
    days = gc.control_panel(c, freq="W")
    pd.testing.assert_frame_equal(spans, days)


def test_towns_take_their_polygons_state_as_snapshots_show_it():
    c = gc.load_example()
    p = gc.control_panel(c, freq="W")
    for end in p["end"].unique()[:3]:
        shown = c.at(end).places
        contested = shown["status"].eq("contested").fillna(False)
        expected = shown["actor_id"].mask(contested, "contested")
        expected = expected.fillna("unknown").astype(str)
        got = p[p["end"] == end].set_index("place_id")["holder"].astype(str)
        assert (got.reindex(expected.index) == expected).all()


# --------------------------------------------------------------------------- front_exposure


def test_exposure_of_towns_by_hand():
    places = gc.make_places(
        ["w", "e", "far"],
        ["W", "E", "Far"],
        [35.98, 36.06, 36.9],
        [33.0] * 3,
        population=[100, 200, 400],
    )
    control = pd.DataFrame(
        {
            "place_id": ["w", "e", "far"],
            "actor_id": ["red", "blue", "blue"],
            "date": ["2024-01-01", "2024-01-01", "2024-01-03"],
        }
    )
    c = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["red", "blue"]}),
        control,
        boundary=shapely.box(35.5, 32.5, 37.5, 33.5),
    )
    x = gc.front_exposure(c, distances_km=[5, 100])
    day1 = x[x.date == "2024-01-01"].set_index(["within_km", "side"])
    # the front is the bisector at 36.02 E: W and E are 3.7 km from it, Far 82 km
    assert day1.loc[(5.0, "red"), "population"] == 100
    assert day1.loc[(5.0, "blue"), "population"] == 200
    # before Far's first record its land is unknown: the unknown side appears
    assert day1.loc[(100.0, "unknown"), "places"] == 1
    day3 = x[x.date == "2024-01-03"].set_index(["within_km", "side"])
    assert day3.loc[(100.0, "blue"), "population"] == 600
    assert day3.loc[(100.0, "blue"), "places"] == 2
    assert (x["population"] >= 0).all() and set(x.within_km) == {5.0, 100.0}


def test_a_polygons_population_is_spread_by_area():
    """A 1 x 1 degree unit with 1000 people, split by two towns of different holders along
    its middle meridian: the people within 10 km of that line are about 2 x 10 / width."""
    unit = gpd.GeoDataFrame(
        {"place_id": ["u"], "name": ["Unit"], "population": [1000.0]},
        geometry=[shapely.box(20, 0, 21, 1)],
        crs="EPSG:4326",
    )
    towns = gc.make_places(["a", "b"], ["A", "B"], [20.25, 20.75], [0.5, 0.5])
    places = pd.concat([unit, towns.reset_index()], ignore_index=True)
    control = pd.DataFrame(
        {"place_id": ["a", "b"], "actor_id": ["x", "y"], "date": ["2024-01-01"] * 2}
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["x", "y"]}), control)
    x = gc.front_exposure(c, distances_km=[10])
    width = 111.32  # km of a degree of longitude at the equator
    total = x.loc[x.side.isin(["x", "y"]), "population"].sum()
    assert total == pytest.approx(1000 * 2 * 10 / width, rel=0.15)
    # the unit lies on both sides: it counts once on each, the towns (21 km off) not at all
    assert x.set_index("side").loc[["x", "y"], "places"].tolist() == [1, 1]


def test_exposure_options_are_checked(conflict):
    # arrays and Series are sequences of distances too
    listed = gc.front_exposure(conflict, distances_km=[50, 5])
    for given in (np.array([5.0, 50.0]), pd.Series([50, 5])):
        pd.testing.assert_frame_equal(gc.front_exposure(conflict, distances_km=given), listed)
    with pytest.raises(gc.OptionError, match="distances_km"):
        gc.front_exposure(conflict, distances_km=np.array([[5.0, 50.0]]))
    with pytest.raises(gc.OptionError, match="distances_km"):
        gc.front_exposure(conflict, distances_km=5)
    with pytest.raises(gc.OptionError, match="distances_km"):
        gc.front_exposure(conflict, distances_km=[-1])


# --------------------------------------------------------------------------- flows_by_control


def test_flows_from_land_that_just_changed_hands():
    c = gc.Conflict(make_places(), make_actors(), make_control(), make_flows())
    out, taken = gc.flows_by_control(c, window_days=3)
    # b is taken by reb on 12-05; flows from b start 12-04 (before) and 12-05 (that day)
    assert out["origin_holder"].tolist() == ["gov", "gov", "reb", "gov"]
    assert out["origin_changed"].tolist() == [False, False, True, False]
    assert out["changed_on"].iloc[2] == pd.Timestamp("2024-12-05")
    assert (out["taken_from"].iloc[2], out["taken_by"].iloc[2]) == ("gov", "reb")
    assert out["destination_holder"].tolist() == ["gov", "reb", "gov", "gov"]
    assert taken.values.tolist() == [["gov", "reb", 1, 1, 250.5]]
    out0, _ = gc.flows_by_control(c, window_days=0)
    assert out0["origin_changed"].tolist() == [False, False, True, False]
    # a century at most: longer windows would leave the range of dates
    assert gc.flows_by_control(c, window_days=36_525)[0]["origin_changed"].iloc[2]
    with pytest.raises(gc.OptionError, match="window_days must be .* at most 36525"):
        gc.flows_by_control(c, window_days=10**6)


def test_an_origin_no_record_covers_has_not_changed_hands_as_far_as_anyone_knows():
    # "u" has no record in the window (its first comes after it): missing, not False;
    # "b" is covered: False before its change, True after
    places = gc.make_places(["b", "u", "d"], ["B", "U", "D"], [36.0, 36.4, 36.8], [35.0] * 3)
    control = pd.DataFrame(
        {
            "place_id": ["b", "d", "b", "u"],
            "actor_id": ["gov", "gov", "reb", "reb"],
            "date": ["2024-12-01", "2024-12-01", "2024-12-05", "2024-12-20"],
        }
    )
    flows = pd.DataFrame(
        {
            "origin": ["u", "b", "b", "u"],
            "destination": ["d"] * 4,
            "start": ["2024-12-06", "2024-12-03", "2024-12-06", "2024-12-21"],
            "people": [10, 20, 30, 40],
        }
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["gov", "reb"]}), control, flows)
    out, taken = gc.flows_by_control(c, window_days=3)
    assert out["origin_holder"].tolist() == ["unknown", "gov", "reb", "reb"]
    assert out["origin_changed"].tolist() == [pd.NA, False, True, False]
    assert taken.values.tolist() == [["gov", "reb", 1, 1, 30.0]]


def test_present_flows_have_no_origin_and_stay_out_of_the_summary():
    c = gc.load_example()
    out, taken = gc.flows_by_control(c)
    present = (out["kind"] == "present").to_numpy()
    assert out.loc[present, ["origin_holder", "origin_changed", "taken_by"]].isna().all().all()
    assert len(out) == len(c.flows)
    assert taken["people"].sum() <= out.loc[~present, "people"].sum()
