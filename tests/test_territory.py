"""Territories, frontlines and control over time from the cells of places.

The data is built in code: a 2 x 2 grid of places in a one-degree square on the equator,
where areas and lengths are known, plus small variations for awkward input.
"""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import BoundaryError, DataWarning, TerritoryOptionError
from geoconflict.territory._holders import place_codes as _place_codes

GEOD = pyproj.Geod(ellps="WGS84")
SQUARE = shapely.box(-0.5, -0.5, 0.5, 0.5)
COLUMNS = ["actor_id", "geometry", "area_km2", "places", "population"]
FRONT_COLUMNS = ["actor_a", "actor_b", "geometry", "length_km"]


def geodesic_km2(polygon: shapely.Geometry) -> float:
    """Reference area: geodesic area of the polygon with its edges densified."""
    area, _ = GEOD.geometry_area_perimeter(shapely.segmentize(polygon, 0.005))
    return abs(area) / 1e6


def meridian_km(lat0: float, lat1: float, lon: float = 0.0) -> float:
    return GEOD.inv(lon, lat0, lon, lat1)[2] / 1000.0


def make_conflict(
    lon, lat, records, *, ids=None, boundary=SQUARE, population=None, actors=("west", "east")
) -> gc.Conflict:
    """A conflict from coordinates and (place, actor, date[, status, contested_by]) rows."""
    ids = list(ids or [f"p{i}" for i in range(len(lon))])
    extra = {} if population is None else {"population": population}
    places = gc.make_places(ids, [i.upper() for i in ids], lon, lat, **extra)
    names = ["place_id", "actor_id", "date", "status", "contested_by"]
    frame = pd.DataFrame(
        [dict(zip(names, r, strict=False)) for r in records],
        columns=names[:3] if not records else None,
    )
    return gc.Conflict(places, pd.DataFrame({"actor_id": list(actors)}), frame, boundary=boundary)


@pytest.fixture
def grid() -> gc.Conflict:
    """Four places at (+-0.25, +-0.25): the west pair held by 'west', the east pair by 'east';
    on 2024-01-10 the north-east place (p3) passes to 'west'."""
    lon = [-0.25, -0.25, 0.25, 0.25]
    lat = [-0.25, 0.25, -0.25, 0.25]
    day = "2024-01-01"
    records = [
        ("p0", "west", day),
        ("p1", "west", day),
        ("p2", "east", day),
        ("p3", "east", day),
        ("p3", "west", "2024-01-10"),
    ]
    return make_conflict(lon, lat, records, population=[10, 20, 30, 40])


# --------------------------------------------------------------------------- cells


def test_grid_cells_are_quarters_with_four_shared_edges(grid):
    c = gc.cells(grid.places, grid.boundary)
    assert len(c) == 4
    assert c.place_cell.to_dict() == {"p0": 0, "p1": 1, "p2": 2, "p3": 3}
    quarter = geodesic_km2(shapely.box(0, 0, 0.5, 0.5))
    np.testing.assert_allclose(c.area_km2, quarter, rtol=1e-5)
    np.testing.assert_allclose(c.boundary_km2, geodesic_km2(SQUARE), rtol=1e-5)
    # the diagonal neighbours meet at one point only: not an edge
    pairs = sorted(zip(c.cell_a.tolist(), c.cell_b.tolist(), strict=True))
    assert pairs == [(0, 1), (0, 2), (1, 3), (2, 3)]
    assert (c.cell_a < c.cell_b).all()
    np.testing.assert_allclose(np.sort(c.length_km)[:2], meridian_km(0, 0.5), rtol=1e-6)
    assert c.no_data_km2 == 0 and c.no_data.is_empty
    assert c.left_out.empty and c.warning == ""
    edges = c.edges()
    assert list(edges.columns) == ["cell_a", "cell_b", "length_km", "geometry"]
    assert edges.crs == "EPSG:4326"
    assert "4 cells of 4 places, 4 shared edges" in repr(c)


def test_cells_are_cached_per_places_boundary_and_options(grid):
    first = gc.cells(grid.places, grid.boundary)
    assert gc.cells(grid.places.copy(), grid.boundary.copy()) is first
    assert gc.cells(grid.places, grid.boundary, max_distance_km=20) is not first
    moved = grid.places.copy()
    moved.geometry = moved.geometry.translate(0.01, 0)
    assert gc.cells(moved, grid.boundary) is not first


def test_cells_are_read_only_and_hand_out_copies(grid):
    c = gc.cells(grid.places, grid.boundary)
    for array in (c.area_km2, c.geometry, c.cell_a, c.length_km, c.cell_of_place):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[1]
    frame = c.frame
    frame.loc[0, "places"] = 99
    assert c.frame.loc[0, "places"] == 1
    assert c.place_cell is not c.place_cell


def test_places_sharing_a_point_share_a_cell():
    c = make_conflict(
        [0.0, 0.0, 0.3],
        [0.0, 0.0, 0.0],
        [("p0", "west", "2024-01-01"), ("p1", "west", "2024-01-01"), ("p2", "east", "2024-01-01")],
    )
    built = gc.cells(c.places, c.boundary)
    assert len(built) == 2
    assert built.place_cell.tolist() == [0, 0, 1]
    assert built.frame["places"].tolist() == [2, 1]


def test_a_polygon_place_cuts_the_land_by_its_outline():
    unit = shapely.box(-0.4, -0.1, -0.2, 0.1)
    places = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        index=pd.Index(["a", "b"], name="place_id"),
        geometry=[unit, shapely.Point(0.3, 0)],
        crs="EPSG:4326",
    )
    built = gc.cells(places, SQUARE)
    assert built.polygon_ids.tolist() == ["a"]
    # the unit is one piece, the point's cell (the rest of the square) the other
    assert len(built) == 2
    inner = np.flatnonzero(built.chain[:, 0] == 0)
    assert inner.size == 1
    assert built.geometry[inner[0]].symmetric_difference(unit).area < 1e-6 * unit.area
    assert built.place_cell.to_dict() == {
        "a": -1,
        "b": int(np.flatnonzero(built.chain[:, 0] < 0)[0]),
    }


def test_collinear_places_split_the_square_into_strips():
    c = make_conflict(
        [-0.3, 0.0, 0.3],
        [0.0, 0.0, 0.0],
        [(f"p{i}", a, "2024-01-01") for i, a in enumerate(["west", "east", "west"])],
    )
    built = gc.cells(c.places, c.boundary)
    assert sorted(zip(built.cell_a.tolist(), built.cell_b.tolist(), strict=True)) == [
        (0, 1),
        (1, 2),
    ]
    np.testing.assert_allclose(built.length_km, meridian_km(-0.5, 0.5), rtol=1e-6)
    f = gc.frontlines(c, "2024-01-02")
    assert len(f) == 1 and f.length_km.iloc[0] == pytest.approx(2 * meridian_km(-0.5, 0.5))


@pytest.mark.parametrize(
    ("lon0", "lat0", "width"),
    [(35.0, 0.0, 8.0), (-60.0, -15.0, 2.0), (20.0, 58.0, 1.0), (0.0, 0.0, 0.5)],
)
def test_a_regular_grid_of_towns_splits_into_its_two_halves(lon0, lat0, width):
    # 8 x 8 towns on a lon/lat grid: four sites on one circle at every inner corner, where
    # the cells' corners come back from the projection as nanodegree zigzags
    lon, lat = np.meshgrid(
        np.linspace(lon0 - width / 2, lon0 + width / 2, 8),
        np.linspace(lat0 - width / 2, lat0 + width / 2, 8),
    )
    lon, lat = lon.ravel(), lat.ravel()
    records = [(f"p{i}", "west" if x < lon0 else "east", "2024-01-01") for i, x in enumerate(lon)]
    box = shapely.box(
        lon0 - width * 0.6, lat0 - width * 0.6, lon0 + width * 0.6, lat0 + width * 0.6
    )
    c = make_conflict(lon, lat, records, boundary=box)
    t = gc.territories(c, "2024-01-01")
    assert t.geometry.is_valid.all()
    assert t.area_km2.sum() == pytest.approx(geodesic_km2(box), rel=1e-4)
    for actor, side in (("west", -1), ("east", 1)):
        x0, x1 = sorted([lon0, lon0 + side * width * 0.6])
        half = shapely.box(x0, lat0 - width * 0.6, x1, lat0 + width * 0.6)
        held = t.set_index("actor_id").geometry[actor]
        assert shapely.symmetric_difference(held, half).area < 1e-3 * half.area
    f = gc.frontlines(c, "2024-01-01")
    assert f.length_km.sum() == pytest.approx(
        meridian_km(lat0 - width * 0.6, lat0 + width * 0.6, lon0), rel=1e-3
    )


# --------------------------------------------------------------------------- territories


def test_grid_territories_are_the_halves(grid):
    t = gc.territories(grid, "2024-01-05")
    assert list(t.columns) == COLUMNS
    assert t.crs == "EPSG:4326"
    assert t.actor_id.tolist() == ["west", "east"]
    half = geodesic_km2(shapely.box(0, -0.5, 0.5, 0.5))
    np.testing.assert_allclose(t.area_km2, half, rtol=1e-5)
    assert t.places.tolist() == [2, 2]
    assert t.population.tolist() == [30.0, 70.0]
    west = shapely.box(-0.5, -0.5, 0, 0.5)
    assert shapely.symmetric_difference(t.geometry.iloc[0], west).area < 1e-8
    assert t.geometry.iloc[0].geom_type == "Polygon"


def test_grid_frontline_is_the_middle_line(grid):
    f = gc.frontlines(grid, "2024-01-05")
    assert list(f.columns) == FRONT_COLUMNS
    assert f[["actor_a", "actor_b"]].values.tolist() == [["east", "west"]]
    line = f.geometry.iloc[0]
    assert line.geom_type == "LineString"  # merged from the two edges
    assert shapely.hausdorff_distance(line, shapely.LineString([(0, -0.5), (0, 0.5)])) < 1e-6
    assert f.length_km.iloc[0] == pytest.approx(meridian_km(-0.5, 0.5), rel=1e-6)
    # it separates the east pair from the west pair
    east = shapely.LineString([(0.25, -0.25), (0.25, 0.25)])
    assert not line.intersects(east)
    assert line.intersects(shapely.LineString([(-0.25, 0.25), (0.25, 0.25)]))


def test_grid_after_the_change(grid):
    t = gc.territories(grid, "2024-01-10").set_index("actor_id")
    quarter = geodesic_km2(shapely.box(0, 0, 0.5, 0.5))
    assert t.loc["west", "area_km2"] == pytest.approx(3 * quarter, rel=1e-5)
    assert t.loc["east", "places"] == 1
    f = gc.frontlines(grid, "2024-01-10")
    # x = 0 from the south edge to the equator, then the equator from 0 to 0.5 east
    along_equator = GEOD.inv(0, 0, 0.5, 0)[2] / 1000.0
    assert f.length_km.iloc[0] == pytest.approx(meridian_km(-0.5, 0) + along_equator, rel=1e-6)


def test_conflict_methods_call_the_functions(grid):
    assert grid.territories("2024-01-05").equals(gc.territories(grid, "2024-01-05"))
    assert grid.frontlines("2024-01-05").equals(gc.frontlines(grid, "2024-01-05"))


def test_one_actor_holds_the_whole_boundary_and_has_no_front():
    c = make_conflict(
        [-0.2, 0.2], [0.0, 0.1], [("p0", "west", "2024-01-01"), ("p1", "west", "2024-01-01")]
    )
    t = gc.territories(c, "2024-01-02")
    assert t.actor_id.tolist() == ["west"]
    assert t.area_km2.iloc[0] == pytest.approx(geodesic_km2(SQUARE), rel=1e-5)
    f = gc.frontlines(c, "2024-01-02")
    assert f.empty and list(f.columns) == FRONT_COLUMNS and f.crs == "EPSG:4326"


def test_one_place_gets_the_whole_boundary():
    c = make_conflict([0.1], [0.1], [("p0", "east", "2024-01-01")])
    t = gc.territories(c, "2024-01-02")
    assert t.actor_id.tolist() == ["east"]
    assert shapely.symmetric_difference(t.geometry.iloc[0], SQUARE).area < 1e-8
    assert gc.frontlines(c, "2024-01-02").empty
    assert gc.cells(c.places, c.boundary).cell_a.size == 0


def test_disagreeing_places_at_one_point_make_it_contested():
    records = [
        ("p0", "west", "2024-01-01"),
        ("p1", "east", "2024-01-01"),
        ("p2", "east", "2024-01-01"),
        ("p1", "west", "2024-01-05"),
    ]
    c = make_conflict([-0.2, -0.2, 0.2], [0.0, 0.0, 0.0], records, population=[1, 2, 4])
    t = gc.territories(c, "2024-01-02").set_index("actor_id")
    assert t.index.tolist() == ["east", "contested"]
    assert t.loc["contested", "places"] == 2 and t.loc["contested", "population"] == 3
    f = gc.frontlines(c, "2024-01-02")
    assert f[["actor_a", "actor_b"]].values.tolist() == [["contested", "east"]]
    later = gc.territories(c, "2024-01-06")
    assert later.actor_id.tolist() == ["west", "east"]


def test_contested_status_makes_the_cell_contested():
    records = [
        ("p0", "west", "2024-01-01"),
        ("p1", "east", "2024-01-01"),
        ("p1", "east", "2024-01-03", "contested", "west"),
    ]
    c = make_conflict([-0.2, 0.2], [0.0, 0.0], records)
    assert gc.territories(c, "2024-01-02").actor_id.tolist() == ["west", "east"]
    assert gc.territories(c, "2024-01-03").actor_id.tolist() == ["west", "contested"]


def test_places_without_a_controller_are_unknown_and_have_no_front():
    records = [("p0", "west", "2024-01-01"), ("p1", "east", "2024-01-05")]
    c = make_conflict([-0.2, 0.2], [0.0, 0.0], records)
    t = gc.territories(c, "2024-01-02")
    assert t.actor_id.tolist() == ["west", "unknown"]
    assert gc.frontlines(c, "2024-01-02").empty
    assert gc.territories(c, "2023-12-31").actor_id.tolist() == ["unknown"]


def test_tz_aware_dates_are_converted_to_utc(grid):
    # 2024-01-10 01:00 at UTC+3 is still 2024-01-09 in UTC: before the change
    t = gc.territories(grid, pd.Timestamp("2024-01-10 01:00", tz="Etc/GMT-3"))
    assert t.set_index("actor_id").loc["east", "places"] == 2


# --------------------------------------------------------------------------- boundaries


def test_places_outside_the_boundary_are_left_out_with_a_warning():
    records = [(f"p{i}", "west", "2024-01-01") for i in range(3)]
    # p1 lies far outside; p2 lies outside but inside with lon/lat swapped
    box = shapely.box(10, 40, 12, 42)
    c = make_conflict([11.0, 30.0, 41.0], [41.0, 30.0, 11.5], records, boundary=box)
    with pytest.warns(
        DataWarning,
        match=r"2 place\(s\) lie outside the boundary and are "
        r"left out.*'p1' \(30\.0000, 30\.0000\).*With longitude and latitude "
        r"swapped, 'p2' would lie inside",
    ) as caught:
        t = gc.territories(c, "2024-01-02")
    assert t.places.tolist() == [1]
    assert caught[0].filename == __file__  # the warning points at the caller's line
    with pytest.warns(DataWarning, match="'p1'") as caught:
        built = gc.cells(c.places, c.boundary)
    assert caught[0].filename == __file__
    assert built.left_out.tolist() == ["p1", "p2"]
    assert built.place_cell.loc["p1"] == -1


def test_places_outside_the_boundary_are_named_once_per_places_table():
    # a places table cannot be hashed: the remark about it came at every call
    import gc as garbage

    from geoconflict import _warn

    places = gc.make_places(["a", "b"], ["A", "B"], [11.0, 80.0], [41.0, 10.0])
    box = shapely.box(10, 40, 12, 42)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            gc.cells(places, box)
    assert [str(w.message)[:40] for w in caught] == ["1 place(s) lie outside the boundary and "]
    before = len(_warn._SEEN)
    del places
    garbage.collect()
    assert len(_warn._SEEN) < before  # forgotten with the table


def test_places_outside_the_boundary_are_named_once_per_conflict(tmp_path, agg_backend):
    """A script that draws a map, figures and GIS files of one conflict reads the remark once
    (it came about 20 times), at its own line; another conflict gets it again."""
    records = [(f"p{i}", "west" if i else "east", "2024-01-01") for i in range(3)]
    box = shapely.box(10, 40, 12, 42)
    lon, lat = [11.0, 30.0, 11.5], [41.0, 30.0, 41.5]
    c = make_conflict(lon, lat, records, boundary=box)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.territories(c, "2024-01-02")
        gc.frontlines(c, "2024-01-02", max_distance_km=30)
        gc.territory_changes(c, "2024-01-01", "2024-01-02")
        gc.control_summary(c)
        gc.save_map(gc.explore(c), tmp_path / "m.html")
        gc.plot_map(c, "2024-01-02")
        gc.plot_small_multiples(c, ["2024-01-01", "2024-01-02"])
        gc.plot_control_over_time(c)
        gc.to_gpkg(c, tmp_path / "c.gpkg")
        gc.to_geojson(c, tmp_path / "layers")
        c.territories("2024-01-02")
    outside = [w for w in caught if "lie outside the boundary" in str(w.message)]
    assert len(outside) == 1, [f"{w.filename}:{w.lineno}" for w in outside]
    assert outside[0].filename == __file__
    assert [w for w in caught if w not in outside] == []
    again = make_conflict(lon, lat, records, boundary=box)
    with pytest.warns(DataWarning, match=r"1 place\(s\) lie outside the boundary.*'p1'"):
        gc.territories(again, "2024-01-02")


def test_a_warning_made_an_error_is_raised_at_every_call():
    records = [("p0", "west", "2024-01-01"), ("p1", "west", "2024-01-01")]
    c = make_conflict([11.0, 30.0], [41.0, 30.0], records, boundary=shapely.box(10, 40, 12, 42))
    for _ in range(2):  # pytest's settings make warnings errors: nothing is remembered
        with pytest.raises(DataWarning, match="lie outside the boundary"):
            gc.territories(c, "2024-01-02")


def test_places_just_outside_a_generalised_border_are_kept():
    records = [("p0", "west", "2024-01-01"), ("p1", "east", "2024-01-01")]
    c = make_conflict([0.0, 0.503], [0.0, 0.0], records)  # p1 ~330 m outside
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = gc.territories(c, "2024-01-02")
    assert t.actor_id.tolist() == ["west", "east"]
    with pytest.warns(DataWarning, match="'p1'"):
        gc.cells(c.places, c.boundary, tolerance_km=0)


def test_no_place_inside_the_boundary_is_an_error():
    c = make_conflict([5.0], [5.0], [("p0", "west", "2024-01-01")])
    with pytest.raises(
        BoundaryError,
        match=r"none of the 1 places lies inside the boundary "
        r"\(e\.g\. 'p0' \(5\.0000, 5\.0000\)\).*boundary='hull'",
    ):
        gc.territories(c, "2024-01-02")


def test_swapped_coordinates_are_named_when_nothing_is_inside():
    box = shapely.box(10, 40, 12, 42)
    c = make_conflict([41.0], [11.0], [("p0", "west", "2024-01-01")], boundary=box)
    with pytest.raises(
        BoundaryError, match="With longitude and latitude swapped they would lie inside"
    ):
        gc.territories(c, "2024-01-02")


def test_missing_boundary_asks_for_one_or_hull():
    c = make_conflict(
        [-0.2, 0.2],
        [0.0, 0.1],
        [("p0", "west", "2024-01-01"), ("p1", "east", "2024-01-01")],
        boundary=None,
    )
    with pytest.raises(
        BoundaryError,
        match=r"no boundary.*pass boundary=<GeoDataFrame>.*"
        r"boundary='hull'",
    ):
        gc.territories(c, "2024-01-02")
    with pytest.raises(BoundaryError, match="no boundary"):
        gc.cells(c.places, None)
    with pytest.raises(BoundaryError, match="no boundary"):
        gc.control_summary(c)


def test_empty_boundary_is_an_error():
    c = make_conflict([-0.2], [0.0], [("p0", "west", "2024-01-01")], boundary=None)
    empty = gpd.GeoDataFrame(geometry=[shapely.Polygon()], crs="EPSG:4326")
    with pytest.raises(BoundaryError, match="the boundary is empty.*boundary='hull'"):
        gc.territories(c, "2024-01-02", boundary=empty)


def test_boundary_must_be_a_geometry_or_hull():
    c = make_conflict([-0.2], [0.0], [("p0", "west", "2024-01-01")])
    with pytest.raises(BoundaryError, match="got 'convex'. Fix: pass boundary='hull'"):
        gc.territories(c, "2024-01-02", boundary="convex")


def test_hull_boundary_covers_the_places_with_a_margin():
    c = make_conflict(
        [-0.2, 0.2, 0.0],
        [0.0, 0.1, 0.3],
        [("p0", "west", "2024-01-01"), ("p1", "east", "2024-01-01"), ("p2", "east", "2024-01-01")],
        boundary=None,
    )
    t = gc.territories(c, "2024-01-02", boundary="hull")
    union = shapely.union_all(t.geometry.to_numpy())
    hull = shapely.convex_hull(shapely.multipoints(shapely.get_coordinates(c.places.geometry)))
    assert union.contains(hull.buffer(0.04))  # ~10% of a 0.4 degree extent
    assert not union.contains(hull.buffer(0.1))
    one = make_conflict([0.0], [0.0], [("p0", "west", "2024-01-01")], boundary=None)
    area = gc.territories(one, "2024-01-02", boundary="hull").area_km2.iloc[0]
    assert area == pytest.approx(math.pi * 10**2, rel=0.01)  # a 10 km disk


def test_boundary_keyword_overrides_the_conflicts(grid):
    east_half = gpd.GeoDataFrame(geometry=[shapely.box(0, -0.5, 0.5, 0.5)], crs="EPSG:4326")
    with pytest.warns(DataWarning, match="'p0'"):
        t = gc.territories(grid, "2024-01-05", boundary=east_half)
    assert t.actor_id.tolist() == ["east"]


# --------------------------------------------------------------------------- distances


def test_max_distance_leaves_far_land_as_no_data(grid):
    t = gc.territories(grid, "2024-01-05", max_distance_km=10, no_data=True)
    assert t.actor_id.tolist() == ["west", "east", "no_data"]
    disk = math.pi * 10**2 * (64 / (2 * math.pi)) * math.sin(2 * math.pi / 64)  # a 64-gon
    np.testing.assert_allclose(t.area_km2[:2], 2 * disk, rtol=1e-3)
    assert t.area_km2.sum() == pytest.approx(geodesic_km2(SQUARE), rel=1e-5)
    assert t.places.iloc[2] == 0
    assert gc.frontlines(grid, "2024-01-05", max_distance_km=10).empty  # disks apart
    near = gc.frontlines(grid, "2024-01-05", max_distance_km=40)
    assert 0 < near.length_km.iloc[0] < meridian_km(-0.5, 0.5)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            {"method": "buffer", "radius_km": 10},
            {"max_distance_km": 10},
            "method='buffer', radius_km=10 is deprecated: pass max_distance_km=10 instead",
        ),
        (
            {"method": "auto"},
            {"max_distance_km": "auto"},
            "method='auto' is deprecated: pass max_distance_km='auto' instead",
        ),
        ({"method": "voronoi"}, {}, "method='voronoi' is deprecated: leave it out"),
    ],
)
def test_old_spellings_of_the_land_setting_warn_and_give_the_same_land(grid, old, new, said):
    for function in (gc.territories, gc.frontlines):
        with pytest.warns(DeprecationWarning, match=said) as caught:
            before = function(grid, "2024-01-05", **old)
        assert caught[0].filename == __file__  # the warning points at the user's call
        after = function(grid, "2024-01-05", **new)
        assert before.geometry.geom_equals_exact(after.geometry, 0).all()
    with pytest.warns(DeprecationWarning, match=said):
        summary = gc.control_summary(grid, **old)
    pd.testing.assert_frame_equal(summary, gc.control_summary(grid, **new))


def test_auto_distance_is_25_km(grid):
    auto = gc.territories(grid, "2024-01-05", max_distance_km="auto", no_data=True)
    km25 = gc.territories(grid, "2024-01-05", max_distance_km=25, no_data=True)
    assert auto.geometry.geom_equals_exact(km25.geometry, 0).all()
    assert gc.cells(grid.places, grid.boundary, max_distance_km=10).no_data_km2 > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"method": "hexagons"}, "method must be 'voronoi', 'auto' or 'buffer', got 'hexagons'"),
        ({"method": "buffer"}, "method='buffer' needs radius_km"),
        (
            {"method": "buffer", "radius_km": 5, "max_distance_km": 5},
            "pass radius_km or max_distance_km, not both",
        ),
        ({"radius_km": 5}, "radius_km is for method='buffer'"),
        (
            {"max_distance_km": -1},
            "max_distance_km must be a positive number of kilometres, got -1",
        ),
        ({"max_distance_km": "far"}, "max_distance_km must be a number of kilometres, 'auto'"),
        ({"max_distance_km": True}, "max_distance_km must be a positive number"),
        ({"method": "buffer", "radius_km": 0}, "max_distance_km must be a positive number"),
    ],
)
def test_bad_options_say_what_to_pass(grid, options, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(TerritoryOptionError, match=message):
            gc.territories(grid, "2024-01-05", **options)


def test_negative_tolerance_is_an_error(grid):
    with pytest.raises(TerritoryOptionError, match="tolerance_km must be zero or more"):
        gc.cells(grid.places, grid.boundary, tolerance_km=-1)


# --------------------------------------------------------------------------- over time


def test_territory_changes_give_the_land_that_changed_hands(grid):
    ch = gc.territory_changes(grid, "2024-01-05", "2024-01-12")
    assert list(ch.columns) == ["from_actor", "to_actor", "geometry", "area_km2"]
    assert ch[["from_actor", "to_actor"]].values.tolist() == [["east", "west"]]
    assert ch.area_km2.iloc[0] == pytest.approx(
        geodesic_km2(shapely.box(0, 0, 0.5, 0.5)), rel=1e-5
    )
    assert (
        shapely.symmetric_difference(ch.geometry.iloc[0], shapely.box(0, 0, 0.5, 0.5)).area < 1e-8
    )
    none = gc.territory_changes(grid, "2024-01-01", "2024-01-05")
    assert none.empty and list(none.columns) == list(ch.columns)


def test_territory_changes_need_start_before_end(grid):
    with pytest.raises(
        TerritoryOptionError,
        match=r"start \(2024-01-12\) is after end "
        r"\(2024-01-05\). Fix: swap them",
    ):
        gc.territory_changes(grid, "2024-01-12", "2024-01-05")


def test_control_summary_over_the_period(grid):
    s = gc.control_summary(grid)
    assert list(s.columns) == [
        "date",
        "actor_id",
        "places",
        "population",
        "area_km2",
        "frontline_km",
    ]
    assert s.date.min() == pd.Timestamp("2024-01-01")
    assert s.date.max() == pd.Timestamp("2024-01-10")
    assert set(s.actor_id) == {"west", "east"}  # no empty contested/unknown rows
    assert len(s) == 10 * 2
    day9 = s[s.date == "2024-01-09"].set_index("actor_id")
    assert day9.loc["east", "population"] == 70.0
    assert day9.loc["west", "frontline_km"] == pytest.approx(meridian_km(-0.5, 0.5), rel=1e-6)
    day10 = s[s.date == "2024-01-10"].set_index("actor_id")
    assert day10.loc["west", "places"] == 3
    total = s.groupby("date").area_km2.sum()
    np.testing.assert_allclose(total, geodesic_km2(SQUARE), rtol=1e-5)


def test_control_summary_matches_territories_and_frontlines_every_date(grid):
    s = gc.control_summary(grid, start="2023-12-30", end="2024-01-12", freq="2D")
    for date, rows in s.groupby("date"):
        t = gc.territories(grid, date).set_index("actor_id")
        f = gc.frontlines(grid, date)
        for actor, row in rows.set_index("actor_id").iterrows():
            held = t.loc[actor] if actor in t.index else None
            assert row.places == (0 if held is None else held.places)
            assert row.area_km2 == pytest.approx(0 if held is None else held.area_km2)
            front = f.length_km[(f.actor_a == actor) | (f.actor_b == actor)].sum()
            assert row.frontline_km == pytest.approx(front)
    assert "unknown" in set(s.actor_id)  # before the first record


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"freq": "fortnightly"},
            "freq must be a pandas frequency such as 'D', 'W' or 'MS', got 'fortnightly'",
        ),
        (
            {"start": "2024-02-01"},
            r"start \(2024-02-01\) is after end \(2024-01-10, the conflict's last date\)\. "
            r"Fix: pass an end= on or after 2024-02-01",
        ),
        (
            {"start": "2024-01-02", "end": "2024-01-03", "freq": "MS"},
            "no 'MS' dates fall between 2024-01-02 and 2024-01-03",
        ),
    ],
)
def test_control_summary_bad_dates(grid, options, message):
    with pytest.raises(TerritoryOptionError, match=message):
        gc.control_summary(grid, **options)


def test_control_summary_needs_dates_when_there_are_none():
    c = make_conflict([-0.2, 0.2], [0.0, 0.0], [])
    with pytest.raises(TerritoryOptionError, match="no default period. Fix: pass start= and end="):
        gc.control_summary(c)
    s = gc.control_summary(c, start="2024-01-01", end="2024-01-02")
    assert s[s.actor_id == "unknown"].places.tolist() == [2, 2]


def test_place_codes_mark_contested_and_unknown(grid):
    codes = _place_codes(
        grid, pd.Index(["p0", "p3", "nowhere"]), pd.DatetimeIndex(["2023-01-01", "2024-01-10"])
    )
    assert codes.tolist() == [[-1, 0], [-1, 0], [-1, -1]]


# --------------------------------------------------------------------------- the example


@pytest.fixture(scope="module")
def syria() -> gc.Conflict:
    try:
        return gc.load_example()
    except gc.FormatError:
        pytest.skip("the bundled example geoconflict/_data/syria_2024 is not available")


def test_example_idlib_is_hts_and_aleppo_government_on_26_november(syria):
    t = gc.territories(syria, "2024-11-26").set_index("actor_id")
    places = syria.places.geometry
    assert t.loc["hts", "geometry"].contains(places["idlib"])
    assert t.loc["government", "geometry"].contains(places["aleppo"])
    f = gc.frontlines(syria, "2024-11-26")
    front = f[(f.actor_a == "government") & (f.actor_b == "hts")]
    assert not front.empty
    assert shapely.union_all(front.geometry.to_numpy()).intersects(
        shapely.LineString([places["idlib"], places["aleppo"]])
    )


def test_example_areas_add_up_to_the_boundary(syria):
    boundary_km2 = geodesic_km2(shapely.union_all(syria.boundary.geometry.to_numpy()))
    for options in ({}, {"max_distance_km": 40}):
        t = gc.territories(syria, "2024-11-26", no_data=True, **options)
        assert t.area_km2.sum() == pytest.approx(boundary_km2, rel=1e-3)
    towns = (syria.places.geom_type == "Point").sum()
    assert towns == gc.territories(syria, "2024-11-26").places.sum()


def test_no_places_is_an_error():
    empty = gpd.GeoDataFrame(
        {"name": pd.Series([], dtype="string")},
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        index=pd.Index([], name="place_id", dtype="string"),
    )
    with pytest.raises(BoundaryError, match="'places' is empty, so there is nothing to draw"):
        gc.cells(empty, SQUARE)


def test_cells_are_matched_to_their_points_when_geos_gives_them_unordered():
    from geoconflict.territory._geometry import match_cells as _match_cells

    xy = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy)))[::-1]
    matched = _match_cells(cells, xy)
    assert shapely.contains_xy(matched, xy[:, 0], xy[:, 1]).all()
