"""Properties of territories and frontlines over random places, controllers and boundaries.

Coordinates are drawn on a 0.05 degree grid, so repeated points, collinear rows and places on
the boundary's edge come up often.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.errors import DataWarning

ACTORS = ["red", "blue", "green"]
DATES = pd.to_datetime(["2024-03-01", "2024-03-05", "2024-03-09"])
BOUNDARIES = {
    "square": shapely.box(-1.2, -1.2, 1.2, 1.2),
    "l-shape": shapely.Polygon(
        [(-1.2, -1.2), (1.2, -1.2), (1.2, 0.2), (0.2, 0.2), (0.2, 1.2), (-1.2, 1.2)]
    ),
    "with-hole": shapely.box(-1.2, -1.2, 1.2, 1.2).difference(shapely.box(-0.3, -0.3, 0.3, 0.3)),
    "two-parts": shapely.MultiPolygon(
        [shapely.box(-1.2, -1.2, -0.1, 1.2), shapely.box(0.1, -1.2, 1.2, 1.2)]
    ),
}
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

coordinate = st.integers(-20, 20).map(lambda i: i * 0.05)
# per place and date: an actor index, -1 for no record, or a contested record
state = st.sampled_from([0, 1, 2, 0, 1, -1, "contested"])


@st.composite
def conflicts(draw):
    n = draw(st.integers(1, 18))
    lon = draw(st.lists(coordinate, min_size=n, max_size=n))
    lat = draw(st.lists(coordinate, min_size=n, max_size=n))
    shape = draw(st.sampled_from(sorted(BOUNDARIES)))
    records = []
    for i in range(n):
        for date in DATES:
            s = draw(state)
            if s == -1:
                continue
            if s == "contested":
                holder = draw(st.sampled_from(ACTORS))
                rival = next(a for a in ACTORS if a != holder)
                records.append((f"p{i}", holder, date, "contested", rival))
            else:
                records.append((f"p{i}", ACTORS[s], date, "held", None))
    control = pd.DataFrame(
        records, columns=["place_id", "actor_id", "date", "status", "contested_by"]
    )
    places = gc.make_places(
        [f"p{i}" for i in range(n)],
        [f"P{i}" for i in range(n)],
        lon,
        lat,
        population=draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n)),
    )
    boundary = BOUNDARIES[shape]
    inside = shapely.covers(boundary, places.geometry.to_numpy())
    assume(inside.any())
    distance = draw(st.sampled_from([None, None, 15.0, 40.0]))
    conflict = gc.Conflict(places, pd.DataFrame({"actor_id": ACTORS}), control, boundary=boundary)
    return conflict, distance


def quiet(func, *args, **kwargs):
    """Call with the left-out-places warning silenced (it is tested elsewhere)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return func(*args, **kwargs)


def degrees2(geom) -> float:
    return float(shapely.area(geom))


@PROPERTY
@given(conflicts(), st.sampled_from(list(DATES) + [pd.Timestamp("2024-02-01")]))
def test_territories_tile_the_boundary_minus_no_data(case, when):
    conflict, distance = case
    t = quiet(gc.territories, conflict, when, max_distance_km=distance, no_data=True)
    built = quiet(gc.cells, conflict.places, conflict.boundary, max_distance_km=distance)
    scale = degrees2(built.boundary)
    geoms = t.geometry.to_numpy()
    for a, b in itertools.combinations(range(len(geoms)), 2):
        assert degrees2(shapely.intersection(geoms[a], geoms[b])) < 1e-7 * scale
    held = shapely.union_all(geoms[t.actor_id.to_numpy() != "no_data"])
    expected = shapely.difference(built.boundary, built.no_data)
    assert degrees2(shapely.symmetric_difference(held, expected)) < 1e-6 * scale
    assert t.area_km2.sum() == pytest.approx(built.boundary_km2, rel=1e-6)
    assert t.actor_id.is_unique
    assert t.places.sum() == (built.place_cell >= 0).sum()


@PROPERTY
@given(conflicts(), st.sampled_from(list(DATES)))
def test_every_frontline_separates_two_different_actors(case, when):
    conflict, distance = case
    t = quiet(gc.territories, conflict, when, max_distance_km=distance).set_index("actor_id")
    f = quiet(gc.frontlines, conflict, when, max_distance_km=distance)
    assert (f.actor_a < f.actor_b).all()
    assert not f.actor_a.isin(["unknown", "no_data"]).any()
    assert not f.actor_b.isin(["unknown", "no_data"]).any()
    assert not f[["actor_a", "actor_b"]].duplicated().any()
    for row in f.itertuples():
        assert row.length_km > 0
        parts = shapely.get_parts(row.geometry)
        coords, index = shapely.get_coordinates(parts, return_index=True)
        same = index[1:] == index[:-1]
        mids = shapely.points((coords[:-1][same] + coords[1:][same]) / 2)
        for side in (row.actor_a, row.actor_b):
            assert (shapely.distance(t.loc[side, "geometry"], mids) < 1e-7).all()
        # and the line is not the outer border: its middle is inside the boundary
        assert shapely.covers(conflict.boundary.geometry.iloc[0], mids).all()


@PROPERTY
@given(conflicts())
def test_control_summary_agrees_with_territories(case):
    conflict, distance = case
    summary = quiet(
        gc.control_summary,
        conflict,
        start="2024-02-28",
        end="2024-03-10",
        max_distance_km=distance,
    )
    for when in [pd.Timestamp("2024-02-28"), *DATES, pd.Timestamp("2024-03-10")]:
        rows = summary[summary.date == when].set_index("actor_id")
        t = quiet(gc.territories, conflict, when, max_distance_km=distance)
        t = t.set_index("actor_id")
        f = quiet(gc.frontlines, conflict, when, max_distance_km=distance)
        for actor in t.index:
            assert rows.loc[actor, "places"] == t.loc[actor, "places"]
            assert rows.loc[actor, "population"] == t.loc[actor, "population"]
            assert rows.loc[actor, "area_km2"] == pytest.approx(t.loc[actor, "area_km2"])
        for actor, row in rows.iterrows():
            if actor not in t.index:
                assert row.places == 0 and row.area_km2 == 0
            front = f.length_km[(f.actor_a == actor) | (f.actor_b == actor)].sum()
            assert row.frontline_km == pytest.approx(front, abs=1e-9)


@PROPERTY
@given(conflicts())
def test_changes_account_for_the_difference_in_area(case):
    conflict, distance = case
    start, end = DATES[0], DATES[-1]
    changes = quiet(gc.territory_changes, conflict, start, end, max_distance_km=distance)
    before = quiet(gc.territories, conflict, start, max_distance_km=distance)
    after = quiet(gc.territories, conflict, end, max_distance_km=distance)
    net = after.set_index("actor_id").area_km2.sub(
        before.set_index("actor_id").area_km2, fill_value=0
    )
    gained = changes.groupby("to_actor").area_km2.sum()
    lost = changes.groupby("from_actor").area_km2.sum()
    flow = gained.sub(lost, fill_value=0).reindex(net.index, fill_value=0)
    np.testing.assert_allclose(flow.to_numpy(), net.to_numpy(), atol=1e-6)
    assert (changes.from_actor != changes.to_actor).all()
