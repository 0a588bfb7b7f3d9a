"""front_exposure on polygon places: the people within a distance of the front are the
population times the share of the land within it (by area), whatever the unit's size or
the distance, and a unit whose land reaches within the distance counts as a place.

Two units of the same size side by side, held by two actors: the front is their shared
meridian, and the share of a unit within d km of it is d over the unit's width (geodesic,
WGS 84; the front's length cancels)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

GEOD = pyproj.Geod(ellps="WGS84")
DISTANCES = [1, 2, 5, 10, 20]


def two_units(south: float, size: float, people: float = 1000.0) -> gc.Conflict:
    """Units of ``size`` x ``size`` degrees west and east of 21 E, from ``south`` north."""
    units = gpd.GeoDataFrame(
        {"place_id": ["w", "e"], "name": ["West", "East"], "population": [people, people]},
        geometry=[
            shapely.box(21 - size, south, 21, south + size),
            shapely.box(21, south, 21 + size, south + size),
        ],
        crs="EPSG:4326",
    )
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["x", "y"], "date": ["2024-01-01"] * 2}
    )
    return gc.Conflict(units, pd.DataFrame({"actor_id": ["x", "y"]}), control)


def width_km(south: float, size: float) -> float:
    """The geodesic width of a unit along its middle parallel."""
    middle = south + size / 2
    return GEOD.line_length([21 - size, 21], [middle, middle]) / 1000


def check(x: pd.DataFrame, width: float, distances) -> None:
    table = x.set_index(["within_km", "side"])
    for d in distances:
        for side in ("x", "y"):
            row = table.loc[(float(d), side)]
            assert row["population"] == pytest.approx(1000 * d / width, rel=0.03), (d, side)
            assert row["places"] == 1, (d, side)


def test_one_degree_units_at_the_equator():
    """1 x 1 degree units at the equator: a degree of longitude is 111.32 km."""
    x = gc.front_exposure(two_units(0.0, 1.0), distances_km=DISTANCES)
    assert width_km(0.0, 1.0) == pytest.approx(111.32, abs=0.01)
    check(x, 111.32, DISTANCES)


def test_one_degree_units_at_48_north():
    """Ukraine's latitude: a degree of longitude is 74.6 km there."""
    width = width_km(47.5, 1.0)
    assert width == pytest.approx(74.6, abs=0.1)
    x = gc.front_exposure(two_units(47.5, 1.0), distances_km=DISTANCES)
    check(x, width, DISTANCES)


def test_small_units():
    """0.1 x 0.1 degree units (about 7.5 x 11 km at 48 N), down to 0.5 km."""
    distances = [0.5, 1, 2, 5]
    width = width_km(47.95, 0.1)
    x = gc.front_exposure(two_units(47.95, 0.1), distances_km=distances)
    check(x, width, distances)


def test_land_reaching_the_distance_counts_as_a_place():
    """A unit 3 km off the front (a strip of the other actor's land between) counts within
    5 km though no point of a grid need fall within it."""
    units = gpd.GeoDataFrame(
        {"place_id": ["w", "gap", "e"], "name": ["W", "Gap", "E"], "population": [1e3] * 3},
        geometry=[
            shapely.box(20, 0, 21, 1),
            shapely.box(21, 0, 21.027, 1),  # about 3 km wide
            shapely.box(21.027, 0, 22, 1),
        ],
        crs="EPSG:4326",
    )
    control = pd.DataFrame(
        {"place_id": ["w", "gap", "e"], "actor_id": ["x", "y", "y"], "date": ["2024-01-01"] * 3}
    )
    c = gc.Conflict(units, pd.DataFrame({"actor_id": ["x", "y"]}), control)
    x = gc.front_exposure(c, distances_km=[2, 5]).set_index(["within_km", "side"])
    assert x.loc[(2.0, "y"), "places"] == 1  # the gap alone
    assert x.loc[(5.0, "y"), "places"] == 2  # the gap and the east unit
    gap_km = 0.027 * 111.32
    expected = 1e3 + 1e3 * (5 - gap_km) / (0.973 * 111.32)
    assert x.loc[(5.0, "y"), "population"] == pytest.approx(expected, rel=0.03)


@pytest.mark.parametrize("south, size", [(0.0, 1.0), (48.0, 1.0), (48.0, 0.1), (30.0, 3.0)])
def test_people_within_grow_with_the_distance_and_stay_within_the_population(south, size):
    distances = [0.5, 1, 3, 10, 30, 100, 400]
    x = gc.front_exposure(two_units(south, size), distances_km=distances)
    for side in ("x", "y"):
        people = x[x.side == side].sort_values("within_km")["population"].to_numpy()
        full = people >= 1000.0 - 1e-6
        # land touches the front: some people at every distance, more with each until all
        assert np.all(people > 0)
        assert np.all(np.diff(people)[~full[:-1]] > 0)
        assert np.all(np.diff(people) >= -1e-9)
        assert people.max() <= 1000.0 + 1e-6
        assert people[-1] == pytest.approx(1000.0 * min(1.0, 400 / width_km(south, size)))
