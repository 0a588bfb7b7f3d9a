"""The Conflict container and its snapshots."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import make_actors, make_control, make_places

import geoconflict as gc


def test_validates_on_construction_and_copies(conflict):
    raw = make_control()
    c = gc.Conflict(make_places(), make_actors(), raw)
    assert not pd.api.types.is_datetime64_any_dtype(raw["date"])  # input untouched
    assert c.control["date"].dtype == "datetime64[ns]"
    assert c.flows is None  # a conflict without flow data is valid


def test_frozen(conflict):
    with pytest.raises(dataclasses.FrozenInstanceError):
        conflict.places = None


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        gc.Conflict(make_places(), make_actors(), make_control(), None, None)


def test_snapshot(conflict):
    snap = conflict.at("2024-12-05")
    assert snap.places.loc["b", "actor_id"] == "reb"
    assert snap.places.loc["b", "name"] == "Bravo"
    assert len(snap.flows_active) == 2
    assert len(snap.flows_cumulative) == 3
    summary = snap.summary().set_index("actor_id")
    assert summary.loc["reb", "places"] == 3
    assert summary.loc["reb", "color"] == "#d55e00"


def test_snapshot_before_any_record(conflict):
    snap = conflict.at("2024-01-01")
    assert snap.places["actor_id"].isna().all()
    assert snap.summary()["actor_id"].tolist() == ["unknown"]


def test_dates_and_period(conflict):
    assert list(conflict.dates) == list(pd.to_datetime(["2024-12-01", "2024-12-05"]))
    assert conflict.period == (pd.Timestamp("2024-12-01"), pd.Timestamp("2024-12-06"))


def test_wrappers_call_the_public_functions(conflict):
    assert conflict.control_at("2024-12-05").equals(
        gc.control_at(conflict.control, "2024-12-05", places=conflict.places)
    )
    assert conflict.control_changes().equals(gc.control_changes(conflict.control))
    assert conflict.place_totals().equals(gc.place_totals(conflict.flows, places=conflict.places))
    assert len(conflict.flow_lines()) == 4


def test_actor_colours_fill_in_missing_ones():
    actors = make_actors().assign(color=[None, "#0072b2"])
    c = gc.Conflict(make_places(), actors, make_control())
    colors = c.actor_colors()
    assert colors["reb"] == "#0072b2"
    assert colors["gov"] not in ("#0072b2", None)


def test_repr_and_html_escape_text():
    actors = make_actors().assign(name=["<b>Gov</b>", "Rebels & co"])
    c = gc.Conflict(make_places(), actors, make_control(), title="<script>x</script>")
    page = c._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Gov&lt;/b&gt;" in page and "Rebels &amp; co" in page
    assert "2024-12-01 to 2024-12-05" in page
    assert "6 places" in page
    assert "<Conflict '<script>x</script>': 6 places, 2 actors" in repr(c)
    snap = c.at("2024-12-05")._repr_html_()
    assert "&lt;b&gt;Gov&lt;/b&gt;" in snap and "#d55e00" in snap


def test_territory_wrappers(conflict):
    from geoconflict.territory import control_summary, territory_changes

    assert conflict.control_summary().equals(control_summary(conflict))
    changes = conflict.territory_changes("2024-12-04", "2024-12-05")
    assert changes.equals(territory_changes(conflict, "2024-12-04", "2024-12-05"))
    assert changes[["from_actor", "to_actor"]].values.tolist() == [["gov", "reb"]]


def test_no_places_is_valid():
    from geoconflict.places import make_places

    empty = make_places([], [], [], [])
    assert len(empty) == 0 and empty.crs == "EPSG:4326"


def test_snapshot_counts_contested_places_under_their_holder():
    control = make_control()
    control.loc[len(control)] = ["a", "gov", "2024-12-03", "https://example.org/x"]
    control["status"] = None
    control["contested_by"] = None
    control.loc[len(control) - 1, ["status", "contested_by"]] = ["contested", "reb"]
    c = gc.Conflict(make_places(), make_actors(), control)
    summary = c.at("2024-12-04").summary().set_index("actor_id")
    assert summary.loc["gov", ["places", "contested"]].tolist() == [4, 1]
    assert summary.loc["reb", "contested"] == 0
    assert "4 (1 contested)" in c.at("2024-12-04")._repr_html_()
