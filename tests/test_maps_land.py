"""The land a map sends: cells once, a holder per cell per control date, shared edges,
the land that changed hands; and the compact geometry it travels in."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_places

import geoconflict as gc
from geoconflict.maps import map_data
from geoconflict.maps.encode import GRID, encode_lines, encode_polygons


def decode_polygons(enc: dict) -> list[shapely.Geometry]:
    """What the page's geoconflict.decodePolygons does, in Python."""
    xy = np.asarray(enc["xy"], dtype=float).reshape(-1, 2)
    out = []
    for i in range(len(enc["geoms"]) - 1):
        polys = []
        for p in range(enc["geoms"][i], enc["geoms"][i + 1]):
            rings = []
            for r in range(enc["polys"][p], enc["polys"][p + 1]):
                rings.append(
                    np.cumsum(xy[enc["rings"][r] : enc["rings"][r + 1]], axis=0) * enc["grid"]
                )
            polys.append(shapely.Polygon(rings[0], rings[1:]))
        out.append(shapely.MultiPolygon(polys) if polys else shapely.MultiPolygon())
    return out


def same_shape(a: shapely.Geometry, b: shapely.Geometry, tolerance: float = GRID) -> bool:
    return shapely.hausdorff_distance(a, b) <= tolerance and abs(
        shapely.area(a) - shapely.area(b)
    ) <= tolerance * shapely.length(a)


def decode_lines(enc: dict) -> list[shapely.Geometry]:
    xy = np.asarray(enc["xy"], dtype=float).reshape(-1, 2)
    return [
        shapely.MultiLineString(
            [
                np.cumsum(xy[enc["lines"][k] : enc["lines"][k + 1]], axis=0) * enc["grid"]
                for k in range(enc["geoms"][i], enc["geoms"][i + 1])
            ]
        )
        for i in range(len(enc["geoms"]) - 1)
    ]


def labels_on(land: dict, key: int) -> np.ndarray:
    codes = np.array(land["base"])
    for diff in land["diff"][:key]:
        codes[diff[0::2]] = diff[1::2]
    return codes


TOWNS = Path(__file__).parent / "data" / "syria_2024_towns"


@pytest.fixture(scope="module", params=["towns", "bundled"])
def example(request):
    """The frozen town-only copy of the 2024 offensive (eleven dates of change), and the
    bundled example (sub-district polygons, towns inside them)."""
    return gc.read_conflict(TOWNS) if request.param == "towns" else gc.load_example()


@pytest.fixture(scope="module")
def example_data(example):
    return map_data(example)


# --------------------------------------------------------------------------- encoding


def test_polygons_round_trip_through_the_grid():
    hole = shapely.box(36.0, 35.0, 37.0, 36.0).difference(shapely.box(36.2, 35.2, 36.4, 35.4))
    multi = shapely.MultiPolygon(
        [shapely.box(38, 34, 38.5, 34.5), shapely.box(39, 34, 39.5, 34.5)]
    )
    geoms = [hole, None, multi, shapely.Polygon()]
    back = decode_polygons(encode_polygons(geoms))
    assert [g.is_empty for g in back] == [False, True, False, True]
    for original, decoded in ((hole, back[0]), (multi, back[2])):
        assert same_shape(original, decoded)
    assert len(shapely.get_parts(back[0])[0].interiors) == 1


def test_neighbours_share_their_border_exactly_after_rounding():
    a = shapely.Polygon([(0, 0), (0.123456, 0.0), (0.123456, 1), (0, 1)])
    b = shapely.Polygon([(0.123456, 0.0), (1, 0), (1, 1), (0.123456, 1)])
    left, right = decode_polygons(encode_polygons([a, b]))
    assert shapely.area(shapely.intersection(left, right)) == 0
    assert shapely.length(shapely.intersection(left.boundary, right.boundary)) == pytest.approx(
        1.0
    )


def test_lines_round_trip_and_polygons_become_their_boundary():
    line = shapely.LineString([(36, 35), (36.5, 35.25), (37, 35)])
    back = decode_lines(encode_lines([line, shapely.box(0, 0, 1, 1), None]))
    assert shapely.equals_exact(back[0].geoms[0], line, tolerance=GRID)
    assert back[1].length == pytest.approx(4.0)
    assert back[2].is_empty


# --------------------------------------------------------------------------- labels


def test_land_labels_replay_to_the_territories_of_each_date(example, example_data):
    land = example_data["land"]
    actors = [a["id"] for a in example_data["actors"]]
    area = np.array(land["area"], dtype=float)
    for key, day in enumerate(land["keys"]):
        codes = labels_on(land, key)
        expected = example.territories(day).set_index("actor_id")["area_km2"]
        got = {
            ("contested" if c == -2 else "unknown" if c == -1 else actors[c]): float(
                area[codes == c].sum()
            )
            for c in np.unique(codes)
        }
        assert set(got) == set(expected.index), day
        for label, km2 in got.items():
            assert km2 == pytest.approx(expected[label], rel=1e-3, abs=1.0), (day, label)


def test_land_is_sent_once_not_per_date(example, example_data):
    land = example_data["land"]
    n = len(land["base"])
    assert len(land["cells"]["geoms"]) == n + 1
    dates = example.control["date"].nunique()
    assert len(land["keys"]) == dates and len(land["diff"]) == dates - 1
    assert sum(len(d) for d in land["diff"]) // 2 < n * max(dates - 1, 1)


def test_edges_whose_labels_differ_are_the_frontlines(example, example_data):
    land = example_data["land"]
    edges = land["edges"]
    actors = [a["id"] for a in example_data["actors"]] + ["contested"]
    day = land["keys"][-1]
    key = len(land["keys"]) - 1
    codes = labels_on(land, key)
    a, b = codes[edges["a"]], codes[edges["b"]]
    front = (a != b) & (a != -1) & (b != -1)
    km: dict[tuple, float] = {}
    edges_of: dict[tuple, int] = {}
    for x, y, length in zip(a[front], b[front], np.asarray(edges["km"])[front], strict=True):
        pair = tuple(sorted((actors[x], actors[y])))
        km[pair] = km.get(pair, 0.0) + length
        edges_of[pair] = edges_of.get(pair, 0) + 1
    expected = example.frontlines(day)
    assert len(km) == len(expected)
    for row in expected.itertuples():
        pair = (row.actor_a, row.actor_b)  # each edge's length travels rounded to 0.1 km
        assert km[pair] == pytest.approx(row.length_km, abs=0.05 * edges_of[pair] + 1e-9)


def test_land_that_changed_hands_is_outlined_for_the_gainer(conflict):
    data = map_data(conflict)
    changes = data["land"]["changes"]
    step = data["steps"].index("2024-12-05")
    actors = [a["id"] for a in data["actors"]]
    assert changes["step"] == [step] and [actors[a] for a in changes["actor"]] == ["reb"]
    shape = decode_polygons(changes["shapes"])[0]
    cell = gc.cells(conflict.places, conflict.boundary).place_cell["b"]
    bravo = gc.cells(conflict.places, conflict.boundary).geometry[cell]
    assert same_shape(shape, bravo)
    assert "changes" in data["layers"]
    assert "land" in map_data(conflict, layers=["places", "changes"])


def test_contested_land_knows_its_two_sides():
    control = make_control()
    control.loc[len(control)] = ["b", "gov", "2024-12-03", "https://example.org/report"]
    control["status"] = "held"
    control["contested_by"] = None
    control.loc[len(control) - 1, ["status", "contested_by"]] = ["contested", "reb"]
    c = gc.Conflict(make_places(), make_actors(), control, boundary=make_boundary())
    land = map_data(c)["land"]
    key = land["keys"].index("2024-12-03")
    codes = labels_on(land, key)
    piece = int(np.flatnonzero(codes == -2)[0])
    assert land["hatch"][key] == [piece, 0, 1]  # gov holds it, reb contests it
    assert land["hatch"][0] == []


def test_polygon_places_travel_as_outlines_and_towns_know_their_polygon():
    places = gpd.GeoDataFrame(
        {"place_id": ["unit", "town", "far"], "name": ["Unit", "Town", "Far"]},
        geometry=[
            shapely.box(36.0, 35.0, 36.5, 35.5),
            shapely.Point(36.2, 35.2),
            shapely.Point(36.9, 35.4),
        ],
        crs="EPSG:4326",
    )
    control = pd.DataFrame(
        {
            "place_id": ["unit", "far"],
            "actor_id": ["gov", "reb"],
            "date": ["2024-12-01", "2024-12-01"],
        }
    )
    c = gc.Conflict(places, make_actors(), control, boundary=make_boundary())
    p = map_data(c)["places"]
    assert p["shape"] == [0, -1, -1]
    assert same_shape(decode_polygons(p["shapes"])[0], shapely.box(36.0, 35.0, 36.5, 35.5))
    assert p["inherit"]["base"] == [-1, 0, -1]  # the town shows the unit's holder
    assert p["inherit"]["diff"] == []
    assert 0 not in p["order"]  # polygons are named on hover, towns on the map
