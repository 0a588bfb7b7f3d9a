"""Land on both sides of longitude 180 (Fiji, Chukotka): the library says what it does not
do there instead of drawing land round the globe."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geoconflict as gc

#: Two islands' worth of land, cut at the antimeridian as GeoJSON gives it.
CUT = shapely.MultiPolygon(
    [shapely.box(179.0, -17.5, 180.0, -16.5), shapely.box(-180.0, -17.5, -179.0, -16.5)]
)


def across_180(boundary=None) -> gc.Conflict:
    """West of 180 held by red, east of it by blue."""
    places = gc.make_places(["w", "e"], ["West", "East"], [179.6, -179.6], [-17.0, -17.0])
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["red", "blue"], "date": ["2024-01-01"] * 2}
    )
    return gc.Conflict(
        places, pd.DataFrame({"actor_id": ["red", "blue"]}), control, boundary=boundary
    )


def test_a_boundary_cut_at_180_says_no_front_crosses_it_and_keeps_each_side_whole():
    c = across_180(CUT)
    with pytest.warns(gc.DataWarning, match="cut at longitude 180.*no front across 180"):
        t = gc.territories(c, "2024-02-01").set_index("actor_id")
    bounds = t.geometry.bounds
    np.testing.assert_allclose(bounds.loc["red"], [179.0, -17.5, 180.0, -16.5], atol=1e-6)
    np.testing.assert_allclose(bounds.loc["blue"], [-180.0, -17.5, -179.0, -16.5], atol=1e-6)
    assert gc.frontlines(c, "2024-02-01").empty
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2024-02-01"] * 2)},
        geometry=[shapely.Point(179.8, -17.0), shapely.Point(-179.95, -17.0)],
        crs="EPSG:4326",
    )
    out = gc.event_context(events, c)
    assert out["holder"].tolist() == ["red", "blue"]
    assert out["front_km"].isna().all()
    assert (out["reason"] == "no front on that date").all()


def test_places_on_both_sides_of_180_have_no_hull():
    with pytest.raises(gc.BoundaryError, match="both sides of longitude 180.*Fix: pass the"):
        gc.territories(across_180(), "2024-02-01", boundary="hull")


def test_places_spread_over_half_the_globe_away_from_180_have_their_hull():
    lon = [-95.0, 95.0, 0.0, 10.0, 20.0]
    places = gc.make_places(list("abcde"), list("ABCDE"), lon, [0.0] * 5)
    control = pd.DataFrame(
        {
            "place_id": list("abcde"),
            "actor_id": ["x", "y", "x", "y", "x"],
            "date": ["2024-01-01"] * 5,
        }
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["x", "y"]}), control)
    t = gc.territories(c, "2024-02-01", boundary="hull")
    assert np.isfinite(t["area_km2"]).all() and len(t) == 2
