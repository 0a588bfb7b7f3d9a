"""A record saying the holder is unknown counts as unknown land in every table.

``territories`` draws the land of a polygon place whose record names the actor ``unknown``
as unknown, whatever the towns inside it say; ``control_summary`` must count it the same
way, or the tables and the map disagree (the Syria example's desert units showed it: the
summary gave a town's Voronoi share of an unknown unit to the town's holder).
"""

import pandas as pd
import pytest
import shapely

import geoconflict as gc


def _conflict(lon0, lat0):
    """Two square units side by side, a town in the west one; the west unit's holder
    becomes unknown on day 2 while the town keeps its own record."""
    west = shapely.box(lon0, lat0, lon0 + 1.0, lat0 + 1.0)
    east = shapely.box(lon0 + 1.0, lat0, lon0 + 2.0, lat0 + 1.0)
    places = gc.make_places(
        ["west", "east", "town"], ["West", "East", "Town"], [0.0] * 3, [0.0] * 3
    )
    places = places.set_geometry(
        [west, east, shapely.Point(lon0 + 0.3, lat0 + 0.5)], crs="EPSG:4326"
    )
    places["level"] = ["admin3", "admin3", "town"]
    control = pd.DataFrame(
        {
            "place_id": ["west", "east", "town", "west"],
            "actor_id": ["red", "blue", "red", "unknown"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02"]),
        }
    )
    actors = pd.DataFrame({"actor_id": ["red", "blue"]})
    return gc.Conflict(places, actors, control, boundary=shapely.union(west, east))


@pytest.mark.parametrize(("lon0", "lat0"), [(10.0, 50.0), (-70.0, -15.0), (36.0, 34.0)])
def test_summary_counts_stated_unknown_land_as_territories_draws_it(lon0, lat0):
    conflict = _conflict(lon0, lat0)
    summary = gc.control_summary(conflict).set_index(["date", "actor_id"])["area_km2"]
    day2 = pd.Timestamp("2024-01-02")
    land = gc.territories(conflict, day2).set_index("actor_id")["area_km2"]
    assert land["unknown"] > 0
    assert "red" not in land.index or land["red"] == pytest.approx(0.0, abs=1e-6)
    assert summary[(day2, "unknown")] == pytest.approx(land["unknown"], rel=1e-9)
    assert summary[(day2, "red")] == pytest.approx(0.0, abs=1e-6)
    assert summary[(day2, "blue")] == pytest.approx(land["blue"], rel=1e-9)
    # the day before, the town's holder held the west unit
    day1 = pd.Timestamp("2024-01-01")
    assert summary[(day1, "red")] == pytest.approx(summary[(day2, "unknown")], rel=1e-9)
