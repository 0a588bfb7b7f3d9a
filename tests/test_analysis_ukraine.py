"""The research functions on a conflict that is not Syria: Ukraine on 1 June 2024, built from
the simplemaps towns and the DeepStateMap occupied areas in ../shared (skipped when absent;
the DeepStateMap files are read there, never copied)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine_2022_2025"
MAP = DATA / "deepstate" / "1717225039.geojson"  # published 2024-06-01
DAY = "2024-06-01"
GEOD = pyproj.Geod(ellps="WGS84")

pytestmark = pytest.mark.skipif(not MAP.exists(), reason="../shared/data/ukraine_2022_2025 absent")


@pytest.fixture(scope="module")
def ukraine():
    countries = gpd.read_file(DATA / "naturalearth" / "ne_50m_admin_0_countries.json")
    country = shapely.make_valid(countries.loc[countries["ADMIN"] == "Ukraine"].union_all())
    drawn = gpd.read_file(MAP)
    polygons = drawn[drawn.geom_type.isin(["Polygon", "MultiPolygon"])]
    label = polygons["name"].str.split("///").str[1].str.strip()
    occupied = shapely.make_valid(
        polygons[label.isin(["Occupied", "CADR and CALR", "Occupied Crimea"])].union_all()
    )
    occupied = shapely.intersection(occupied, country)
    columns = ["city", "city_ascii", "lat", "lng", "country", "iso2", "iso3", "admin_name",
               "capital", "population", "id"]  # fmt: skip
    towns = pd.read_csv(DATA / "towns" / "worldcities_simplemaps_basic.csv", header=None,
                        names=columns)  # fmt: skip
    towns = towns[towns["iso2"] == "UA"].drop_duplicates("id")
    towns = towns[shapely.covers(country, shapely.points(towns["lng"], towns["lat"]))]
    ids = towns["id"].astype(str).to_numpy()
    points = shapely.points(towns["lng"], towns["lat"])
    held = np.where(shapely.covers(occupied, points), "russia", "ukraine")
    places = gc.make_places(ids, towns["city_ascii"], towns["lng"], towns["lat"],
                            population=towns["population"].fillna(0))  # fmt: skip
    control = pd.DataFrame({"place_id": ids, "actor_id": held, "date": DAY})
    conflict = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["ukraine", "russia"]}),
        control,
        boundary=gpd.GeoDataFrame(geometry=[country], crs="EPSG:4326"),
    )
    return conflict, occupied, country


def test_known_points_on_either_side(ukraine):
    conflict, occupied, _ = ukraine
    known = {  # lon, lat
        "Donetsk": (37.8042, 48.0089),  # held by Russia since 2014
        "Luhansk": (39.3078, 48.5667),
        "Kharkiv": (36.2292, 50.0),
        "Kyiv": (30.5236, 50.45),
        "Zaporizhzhia": (35.1833, 47.85),
    }
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime([DAY] * len(known))},
        geometry=[shapely.Point(p) for p in known.values()],
        crs="EPSG:4326",
    )
    out = gc.event_context(events, conflict)
    out.index = list(known)
    assert out["holder"].to_dict() == {
        "Donetsk": "russia",
        "Luhansk": "russia",
        "Kharkiv": "ukraine",
        "Kyiv": "ukraine",
        "Zaporizhzhia": "ukraine",
    }
    assert out.loc["Donetsk", "across"] == "ukraine" and out.loc["Kyiv", "across"] == "russia"
    # the map's line, measured geodesically to its nearest vertex (densified to ~1 km)
    line = shapely.segmentize(shapely.boundary(occupied), 0.01)
    vx, vy = shapely.get_coordinates(line).T
    for name in ("Kyiv", "Kharkiv", "Donetsk"):
        lon, lat = known[name]
        truth = GEOD.inv(np.full(vx.size, lon), np.full(vx.size, lat), vx, vy)[2].min() / 1000
        # the front of 300-odd towns (some 45 km apart) follows the map's line roughly
        assert abs(out.loc[name, "front_km"] - truth) < 100, (name, truth)
    assert out.loc["Kyiv", "front_km"] > 300


def test_points_far_from_the_line_are_on_the_side_the_map_shows(ukraine):
    conflict, occupied, country = ukraine
    rng = np.random.default_rng(2024)
    x0, y0, x1, y1 = country.bounds
    lon, lat = rng.uniform(x0, x1, 4000), rng.uniform(y0, y1, 4000)
    inside = shapely.contains_xy(country, lon, lat)
    lon, lat = lon[inside], lat[inside]
    # farther than ~60 km (0.8 degree) from the occupied area's outline, both sides
    far = shapely.distance(shapely.boundary(occupied), shapely.points(lon, lat)) > 0.8
    lon, lat = lon[far], lat[far]
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime([DAY] * lon.size)},
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )
    out = gc.event_context(events, conflict)
    truth = np.where(shapely.contains_xy(occupied, lon, lat), "russia", "ukraine")
    known = out["holder"] != "unknown"
    assert known.mean() > 0.95
    assert (out.loc[known, "holder"].to_numpy() == truth[known.to_numpy()]).mean() > 0.97
    assert (out["front_km"].dropna() > 0).all()


def test_exposure_and_panel_on_ukraine(ukraine):
    conflict, _, _ = ukraine
    x = gc.front_exposure(conflict, start=DAY, end=DAY)
    people = x.set_index(["within_km", "side"])["population"]
    assert people.loc[(50.0, "ukraine")] > people.loc[(5.0, "ukraine")] > 0
    assert people.loc[(50.0, "russia")] > 0
    p = gc.control_panel(conflict, freq="MS", start=DAY, end=DAY)
    assert (p["days"] == 30).all() and set(p["holder"]) == {"ukraine", "russia"}
