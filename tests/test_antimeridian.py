"""Land on both sides of longitude 180 (Fiji, Chukotka): the two sides meet, fronts across
180 are drawn and measured, and territories come out whole, east of 180 as 180 to 181."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

GEOD = pyproj.Geod(ellps="WGS84")
#: Two islands' worth of land, cut at the antimeridian as GeoJSON gives it.
CUT = shapely.MultiPolygon(
    [shapely.box(179.0, -17.5, 180.0, -16.5), shapely.box(-180.0, -17.5, -179.0, -16.5)]
)


def across_180(boundary) -> gc.Conflict:
    """West of 180 held by red, east of it by blue."""
    places = gc.make_places(
        ["w", "e"], ["West", "East"], [179.6, -179.6], [-17.0, -17.0], population=[10, 20]
    )
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["red", "blue"], "date": ["2024-01-01"] * 2}
    )
    return gc.Conflict(
        places, pd.DataFrame({"actor_id": ["red", "blue"]}), control, boundary=boundary
    )


@pytest.mark.parametrize("boundary", [CUT, shapely.box(179.0, -17.5, 181.0, -16.5)])
def test_a_front_along_180(boundary):
    c = across_180(boundary)
    front = gc.frontlines(c, "2024-02-01")
    assert len(front) == 1
    assert np.allclose(shapely.get_coordinates(front.geometry.iloc[0])[:, 0] % 360, 180.0)
    assert front["length_km"].iloc[0] == pytest.approx(
        GEOD.inv(180, -17.5, 180, -16.5)[2] / 1000, rel=1e-3
    )
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2024-02-01"] * 2)},
        geometry=[shapely.Point(179.8, -17.0), shapely.Point(-179.95, -17.0)],
        crs="EPSG:4326",
    )
    out = gc.event_context(events, c)
    assert out["holder"].tolist() == ["red", "blue"]
    assert out["across"].tolist() == ["blue", "red"]
    truth = [GEOD.inv(179.8, -17, 180, -17)[2] / 1000, GEOD.inv(-179.95, -17, 180, -17)[2] / 1000]
    np.testing.assert_allclose(out["front_km"], truth, rtol=1e-3)
    x = gc.front_exposure(c, distances_km=[50]).set_index("side")
    assert x.loc[["red", "blue"], "population"].tolist() == [10.0, 20.0]


def test_territories_across_180_are_whole():
    t = gc.territories(across_180(CUT), "2024-02-01").set_index("actor_id")
    bounds = t.geometry.bounds
    # each side one piece a degree wide (not a polygon wrapped round the globe)
    assert (bounds["maxx"] - bounds["minx"]).round(6).tolist() == [1.0, 1.0]
    assert bounds.loc["blue", "minx"] == pytest.approx(180.0)
    whole = gc.territories(across_180(shapely.box(179.0, -17.5, 181.0, -16.5)), "2024-02-01")
    assert t["area_km2"].sum() == pytest.approx(whole["area_km2"].sum(), rel=1e-9)
    assert t["area_km2"].tolist() == pytest.approx([t["area_km2"].iloc[0]] * 2, rel=1e-6)


def test_places_on_both_sides_of_180_with_their_hull():
    places = gc.make_places(
        ["w", "e", "n"], ["W", "E", "N"], [179.6, -179.6, 179.9], [-17.0, -17.0, -16.6]
    )
    control = pd.DataFrame(
        {
            "place_id": ["w", "e", "n"],
            "actor_id": ["red", "blue", "red"],
            "date": ["2024-01-01"] * 3,
        }
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control)
    t = gc.territories(c, "2024-02-01", boundary="hull")
    bounds = t.geometry.bounds
    assert (bounds["maxx"] - bounds["minx"] < 2).all()  # not wrapped round the globe
    front = gc.frontlines(c, "2024-02-01", boundary="hull")
    assert front["length_km"].sum() > 40
