"""Properties of the research functions over random places, controllers and boundaries
(the conflicts of the territory properties)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import given
from hypothesis import strategies as st
from test_territory_properties import ACTORS, DATES, PROPERTY, conflicts, quiet

import geoconflict as gc
from geoconflict.analysis._states import places_over
from geoconflict.territory import places_at


def own_holder(conflict: gc.Conflict, when: pd.Timestamp) -> pd.Series:
    held = gc.control_at(conflict.control, when, places=conflict.places)
    contested = held["status"].eq("contested").fillna(False)
    return held["actor_id"].mask(contested, "contested").fillna("unknown").astype(str)


@PROPERTY
@given(conflicts(), st.sampled_from(list(DATES) + [pd.Timestamp("2024-03-20")]))
def test_an_event_on_a_towns_point_has_that_towns_holder(case, when):
    conflict, distance = case
    places = conflict.places
    xy = shapely.get_coordinates(places.geometry.to_numpy())
    alone = ~pd.DataFrame(xy).duplicated(keep=False).to_numpy()  # no other town there
    inside = shapely.covers(conflict.boundary.geometry.iloc[0], places.geometry.to_numpy())
    towns = places[alone & inside]
    if towns.empty:
        return
    events = gpd.GeoDataFrame(
        {"date": [when] * len(towns)}, geometry=towns.geometry.to_numpy(), crs="EPSG:4326"
    )
    out = quiet(gc.event_context, events, conflict, max_distance_km=distance)
    expected = own_holder(conflict, when).reindex(towns.index)
    assert out["holder"].tolist() == expected.tolist()
    assert out["place_id"].tolist() == towns.index.tolist()
    assert (out["place_km"] < 1e-6).all()


@PROPERTY
@given(conflicts(), st.sampled_from(ACTORS), st.sampled_from(list(DATES)), st.data())
def test_an_event_on_a_town_inside_a_held_unit_has_that_towns_holder(case, unit_actor, when, data):
    """A unit with a record of its own around some towns: an event on a town's point has
    the town's holder as Conflict.at gives it (its own record, else the unit's)."""
    conflict, distance = case
    x0, y0 = data.draw(st.floats(-1.0, 0.2)), data.draw(st.floats(-1.0, 0.2))
    box = shapely.box(x0, y0, x0 + 0.8, y0 + 0.8)
    unit = gpd.GeoDataFrame(
        {"place_id": ["unit"], "name": ["Unit"]}, geometry=[box], crs="EPSG:4326"
    )
    places = pd.concat([unit, conflict.places.reset_index()], ignore_index=True)
    record = pd.DataFrame({"place_id": ["unit"], "actor_id": [unit_actor], "date": [DATES[0]]})
    control = pd.concat([conflict.control, record], ignore_index=True)
    c = gc.Conflict(places, conflict.actors, control, boundary=conflict.boundary)
    towns = c.places[c.places.geom_type == "Point"]
    geoms = towns.geometry.to_numpy()
    xy = shapely.get_coordinates(geoms)
    alone = ~pd.DataFrame(xy).duplicated(keep=False).to_numpy()
    inside = shapely.covers(conflict.boundary.geometry.iloc[0], geoms)
    # inside the unit, or clear of it: a town within 2 km outside a unit inherits its
    # state (a geocoding slip) while the land there is not the unit's
    off_edge = shapely.distance(box.boundary, geoms) > 1e-6
    clear = shapely.covers(box, geoms) | (shapely.distance(box, geoms) > 0.03)
    towns = towns[alone & inside & off_edge & clear]
    if towns.empty:
        return
    events = gpd.GeoDataFrame(
        {"date": [when] * len(towns)}, geometry=towns.geometry.to_numpy(), crs="EPSG:4326"
    )
    out = quiet(gc.event_context, events, c, max_distance_km=distance)
    snapshot = c.at(when).places.reindex(towns.index)
    contested = snapshot["status"].eq("contested").fillna(False)
    expected = snapshot["actor_id"].mask(contested, "contested")
    assert out["holder"].tolist() == expected.fillna("unknown").astype(str).tolist()


@PROPERTY
@given(conflicts(), st.data())
def test_distances_are_never_negative(case, data):
    conflict, distance = case
    n = data.draw(st.integers(1, 12))
    lon = data.draw(st.lists(st.floats(-1.5, 1.5), min_size=n, max_size=n))
    lat = data.draw(st.lists(st.floats(-1.5, 1.5), min_size=n, max_size=n))
    dates = data.draw(st.lists(st.sampled_from(list(DATES)), min_size=n, max_size=n))
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime(dates)}, geometry=shapely.points(lon, lat), crs="EPSG:4326"
    )
    out = quiet(gc.event_context, events, conflict, max_distance_km=distance)
    km = out["front_km"].to_numpy()
    assert (km[~np.isnan(km)] >= 0).all()
    assert (out["place_km"] >= 0).all()
    assert (out["front_km"].isna() == out["across"].isna()).all()
    no_front = out["front_km"].isna() & (out["holder"] != "unknown")
    assert (out.loc[no_front, "reason"] == "no front on that date").all()


@PROPERTY
@given(conflicts(), st.sampled_from(["W", "MS", "QS", "YS"]))
def test_panel_days_sum_to_the_periods_length(case, freq):
    conflict, _ = case
    panel = gc.control_panel(conflict, freq=freq)
    held = panel.filter(like="days_").sum(axis=1)
    assert (held == panel["days"]).all()
    assert (panel["days"] == (panel["end"] - panel["start"]).dt.days + 1).all()
    assert len(panel) == len(conflict.places) * panel["period"].nunique()
    assert (panel["changes"] >= 0).all()


def test_towns_inherit_on_arrays_as_snapshots_do():
    """The one rule: inherit_codes (arrays, every date at once) and inherit_states (a
    snapshot) give every place of the example the same holder on every day."""
    c = gc.load_example()
    days = pd.date_range("2024-11-25", "2024-12-11", freq="D")
    codes, _, _ = places_over(c, c.places.index, days)
    names = np.asarray([*map(str, c.actors.index), "contested", "unknown"], dtype=object)
    for j, day in enumerate(days):
        shown = places_at(c, day)
        contested = shown["status"].eq("contested").fillna(False)
        expected = shown["actor_id"].mask(contested, "contested").fillna("unknown").astype(str)
        assert names[codes[:, j]].tolist() == expected.tolist(), day
