"""Territories from polygon places (admin units, declared zones) and the towns inside them.

A hand-built coverage on the equator, where areas and lengths are known: two one-degree
units side by side (``west`` and ``east``), a half-degree zone across their common border,
and a few towns. Areas are compared with the geodesic area of the expected shape.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

GEOD = pyproj.Geod(ellps="WGS84")
BOX = shapely.box(-1.0, -0.5, 1.0, 0.5)
WEST = shapely.box(-1.0, -0.5, 0.0, 0.5)
EAST = shapely.box(0.0, -0.5, 1.0, 0.5)
ZONE = shapely.box(-0.25, -0.25, 0.25, 0.25)
DAY = "2024-01-01"
ACTORS = ("red", "blue", "green")


def km2(geom: shapely.Geometry) -> float:
    area, _ = GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.005))
    return abs(area) / 1e6


def km(line: shapely.Geometry) -> float:
    return GEOD.geometry_length(line) / 1000.0


def conflict(
    records,
    *,
    towns=(),
    units=(("west", WEST), ("east", EAST)),
    boundary=BOX,
    population=None,
    levels=None,
) -> gc.Conflict:
    """Units (polygons) and towns (id, lon, lat) with (place, actor, date[, status]) rows."""
    ids = [u for u, _ in units] + [t[0] for t in towns]
    geoms = [g for _, g in units] + [shapely.Point(t[1], t[2]) for t in towns]
    places = gc.make_places(ids, [i.title() for i in ids], [0.0] * len(ids), [0.0] * len(ids))
    places = places.set_geometry(geoms, crs="EPSG:4326")
    if population is not None:
        places["population"] = population
    if levels is not None:
        places["level"] = list(levels) + ["town"] * len(towns)
    names = ["place_id", "actor_id", "date", "status", "contested_by"]
    control = pd.DataFrame([dict(zip(names, r, strict=False)) for r in records])
    return gc.Conflict(
        places, pd.DataFrame({"actor_id": list(ACTORS)}), control, boundary=boundary
    )


def areas(c: gc.Conflict, when: str = DAY, **options) -> dict[str, float]:
    t = gc.territories(c, when, **options)
    return dict(zip(t["actor_id"], t["area_km2"], strict=True))


def fronts(c: gc.Conflict, when: str = DAY) -> dict[tuple[str, str], float]:
    f = gc.frontlines(c, when)
    return {
        (a, b): km for a, b, km in zip(f["actor_a"], f["actor_b"], f["length_km"], strict=True)
    }


# --------------------------------------------------------------------------- units


def test_each_unit_holds_its_polygon_and_the_front_is_their_common_border():
    c = conflict([("west", "red", DAY), ("east", "blue", DAY)])
    got = areas(c)
    assert got["red"] == pytest.approx(km2(WEST), rel=1e-4)
    assert got["blue"] == pytest.approx(km2(EAST), rel=1e-4)
    assert set(got) == {"red", "blue"}
    border = shapely.LineString([(0, -0.5), (0, 0.5)])
    assert fronts(c) == {("blue", "red"): pytest.approx(km(border), rel=1e-6)}
    line = gc.frontlines(c, DAY).geometry.iloc[0]
    assert line.hausdorff_distance(border) < 1e-6


def test_a_front_between_units_far_from_any_town_is_found_whole():
    """Five units in a row, towns in the first only. Cutting the first unit by its towns'
    cells mends its neighbour's border too; the front between that neighbour and the next
    unit, which nothing cuts, must still be one shared edge (it went missing once)."""
    x0, y0, y1 = 36.123456789, 35.0123456789, 35.1123456789
    strip = [shapely.box(x0 + 0.1 * i, y0, x0 + 0.1 * (i + 1), y1) for i in range(5)]
    units = [(f"u{i}", box) for i, box in enumerate(strip)]
    towns = [("t1", x0 + 0.03, 35.05), ("t2", x0 + 0.07, 35.06)]
    held = {"u1": "red", "u2": "blue", "u3": "blue", "u4": "red", "t1": "red", "t2": "blue"}
    c = conflict(
        [(p, a, DAY) for p, a in held.items()],
        towns=towns,
        units=units,
        boundary=shapely.box(x0, y0, x0 + 0.5, y1),
    )
    line = gc.frontlines(c, DAY).geometry.iloc[0]
    for k in (1, 2, 4):  # u0|u1, u1|u2 (the one that went missing), u3|u4
        border = shapely.LineString([(x0 + 0.1 * k, y0), (x0 + 0.1 * k, y1)])
        assert line.buffer(1e-7).contains(border), k
    inside_u0 = line.intersection(shapely.box(x0 + 1e-6, y0, x0 + 0.1 - 1e-6, y1))
    expected = 3 * km(shapely.LineString([(x0, y0), (x0, y1)])) + km(inside_u0)
    assert fronts(c) == {("blue", "red"): pytest.approx(expected, rel=1e-5)}
    assert sum(areas(c).values()) == pytest.approx(km2(shapely.box(x0, y0, x0 + 0.5, y1)), 1e-4)


@pytest.mark.xfail(
    strict=True,
    reason="known: a Voronoi border running along a zone's edge (towns mirrored about it) "
    "leaves slivers under a metre wide; projected back to lon/lat one turns invalid, its "
    "repair moves its vertices off its neighbours', and part of the front is lost",
)
def test_a_voronoi_border_along_a_zone_edge_keeps_the_whole_front():
    """Found by the property tests: t5 and t9 are mirrored about the zone's southern edge."""
    zone = shapely.box(0.0, -0.65, 0.4, -0.55)
    units = (("u0", shapely.box(-1, -1, 1, 0)), ("u1", shapely.box(-1, 0, 1, 1)), ("z1", zone))
    c = conflict(
        [("z1", "blue", DAY), ("t9", "red", DAY)],
        towns=[("t0", 0.0, 0.0), ("t5", 0.15, -0.95), ("t9", 0.15, -0.35)],
        units=units,
        boundary=shapely.box(-1, -1, 1, 1),
        levels=["admin", "admin", "zone"],
    )
    t = gc.territories(c, DAY).set_index("actor_id").geometry
    meet = shapely.line_merge(shapely.intersection(t["red"].boundary, t["blue"].boundary))
    assert gc.frontlines(c, DAY).geometry.iloc[0].length == pytest.approx(meet.length, 1e-6)


def test_zones_along_one_line_keep_the_whole_front_despite_float_noise():
    # two zones sharing their top edge's line, their corners computed as people compute
    # them: 6 * 0.05 is 0.30000000000000004, which once cut that edge into 7 pieces and the
    # other zone's into 4, so the two lines parted by nanodegrees, left slivers, and lost a
    # piece of the front between the zones (found by the property test of the fronts)
    wide = shapely.box(0.0, 0.0, 6 * 0.05, 11 * 0.05)
    narrow = shapely.box(0.0, 2 * 0.05, 4 * 0.05, 2 * 0.05 + 9 * 0.05)
    c = conflict(
        [("wide", "red", DAY), ("narrow", "blue", DAY)],
        units=(
            ("south", shapely.box(-1, -1, 1, 0)),
            ("north", shapely.box(-1, 0, 1, 1)),
            ("wide", wide),
            ("narrow", narrow),
        ),  # fmt: skip
        boundary=shapely.box(-1, -1, 1, 1),
        levels=["admin", "admin", "zone0", "zone1"],
    )
    f = gc.frontlines(c, DAY)
    assert f[["actor_a", "actor_b"]].values.tolist() == [["blue", "red"]]
    # the narrow zone's east side and its southern side: 0.45 and 0.2 degrees
    expected = km(shapely.LineString([(0.2, 0.1), (0.2, 0.55)])) + km(
        shapely.LineString([(0.0, 0.1), (0.2, 0.1)])
    )
    assert f["length_km"].iloc[0] == pytest.approx(expected, rel=1e-6)
    assert gc.territories(c, DAY).set_index("actor_id").geometry["red"].geom_type == "Polygon"


def test_a_finer_zone_with_a_state_beats_the_units_it_lies_across():
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY), ("zone", "green", DAY)],
        units=(("west", WEST), ("east", EAST), ("zone", ZONE)),
        levels=("admin3", "admin3", "zone"),
    )
    got = areas(c)
    assert got["green"] == pytest.approx(km2(ZONE), rel=1e-4)
    assert got["red"] == pytest.approx(km2(WEST.difference(ZONE)), rel=1e-4)
    assert got["blue"] == pytest.approx(km2(EAST.difference(ZONE)), rel=1e-4)
    held = gc.territories(c, DAY).set_index("actor_id").geometry
    # the same shape, up to edges drawn straight in the equal-area projection
    assert held["green"].symmetric_difference(ZONE).area < 1e-5 * ZONE.area
    green_red = shapely.MultiLineString(
        [[(0, -0.25), (-0.25, -0.25)], [(-0.25, -0.25), (-0.25, 0.25)], [(-0.25, 0.25), (0, 0.25)]]
    )
    red_blue = shapely.MultiLineString([[(0, -0.5), (0, -0.25)], [(0, 0.25), (0, 0.5)]])
    assert fronts(c) == {
        ("blue", "green"): pytest.approx(km(green_red), rel=1e-6),
        ("blue", "red"): pytest.approx(km(red_blue), rel=1e-5),
        ("green", "red"): pytest.approx(km(green_red), rel=1e-6),
    }


def test_a_zone_without_a_state_changes_nothing():
    with_zone = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)],
        units=(("west", WEST), ("east", EAST), ("zone", ZONE)),
        levels=("admin3", "admin3", "zone"),
    )
    without = conflict([("west", "red", DAY), ("east", "blue", DAY)])
    assert areas(with_zone) == pytest.approx(areas(without), rel=1e-9)
    assert fronts(with_zone) == pytest.approx(fronts(without), rel=1e-7)  # a mm grid


def test_a_coarser_unit_holds_what_its_finer_units_leave():
    country = ("country", BOX)
    c = conflict(
        [("country", "blue", DAY), ("west", "red", DAY)],
        units=(country, ("west", WEST), ("east", EAST)),
    )
    got = areas(c)
    assert got["red"] == pytest.approx(km2(WEST), rel=1e-4)
    assert got["blue"] == pytest.approx(km2(EAST), rel=1e-4)


def test_towns_share_a_unit_without_a_state_and_never_cross_its_border():
    towns = [("a", -0.75, 0.0), ("b", -0.4, 0.0), ("c", 0.1, 0.0)]
    c = conflict(
        [("a", "red", DAY), ("b", "blue", DAY), ("c", "blue", DAY), ("east", "green", DAY)],
        towns=towns,
    )
    held = gc.territories(c, DAY).set_index("actor_id")
    # the east unit has a state: town c, though blue, paints nothing there
    assert held.loc["green", "area_km2"] == pytest.approx(km2(EAST), rel=1e-4)
    assert held.loc["red", "area_km2"] + held.loc["blue", "area_km2"] == pytest.approx(
        km2(WEST), rel=1e-4
    )
    # the west unit splits between a and b near their bisector, x = -0.575
    assert held.loc["red", "area_km2"] == pytest.approx(
        km2(shapely.box(-1, -0.5, -0.575, 0.5)), rel=2e-3
    )
    assert held.loc["blue", "geometry"].within(WEST.buffer(1e-7))
    assert held.loc["red", "places"] == 1 and held.loc["blue", "places"] == 1
    assert held.loc["green", "places"] == 1  # town c lies on green land


def test_a_unit_without_state_or_towns_is_unknown_and_has_no_front():
    c = conflict([("east", "blue", DAY)])
    got = areas(c)
    assert got["unknown"] == pytest.approx(km2(WEST), rel=1e-4)
    assert fronts(c) == {}


def test_land_outside_every_unit_goes_to_the_towns_outside_them():
    boundary = shapely.box(-2.0, -0.5, 1.0, 0.5)
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY), ("d", "green", DAY)],
        towns=[("d", -1.5, 0.0)],
        boundary=boundary,
    )
    got = areas(c)
    assert got["green"] == pytest.approx(km2(shapely.box(-2, -0.5, -1, 0.5)), rel=1e-4)
    assert got["red"] == pytest.approx(km2(WEST), rel=1e-4)
    # and with nobody outside, nobody's data covers that land: unknown
    c = conflict([("west", "red", DAY), ("east", "blue", DAY)], boundary=boundary)
    t = gc.territories(c, DAY, no_data=True).set_index("actor_id")
    # (only hairline slivers between the outline and the units are left out)
    assert t["area_km2"].get("no_data", 0.0) < 1e-4 * km2(boundary)
    assert t.loc["unknown", "area_km2"] == pytest.approx(
        km2(shapely.box(-2, -0.5, -1, 0.5)), rel=1e-4
    )


def test_auto_cuts_point_cells_outside_units_at_the_stated_distance():
    boundary = shapely.box(-3.0, -0.5, 1.0, 0.5)
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY), ("d", "green", DAY)],
        towns=[("d", -2.0, 0.0)],
        boundary=boundary,
    )
    wide = areas(c)["green"]
    cut = areas(c, max_distance_km="auto")
    assert cut["unknown"] == pytest.approx(
        km2(shapely.box(-3, -0.5, -1, 0.5)) - cut["green"], rel=1e-4
    )
    cut = cut["green"]
    assert wide == pytest.approx(km2(shapely.box(-3, -0.5, -1, 0.5)), rel=1e-4)
    disk = np.pi * gc.territory.AUTO_DISTANCE_KM**2
    assert cut == pytest.approx(disk, rel=0.01)  # a 25 km disk, all inside the land


def test_the_boundary_defaults_to_the_units():
    c = conflict([("west", "red", DAY), ("east", "blue", DAY)], boundary=None)
    assert sum(areas(c).values()) == pytest.approx(km2(BOX), rel=1e-4)


def test_a_contested_unit_is_contested_land():
    c = conflict([("west", "red", DAY, "contested", "blue"), ("east", "blue", DAY)])
    assert areas(c)["contested"] == pytest.approx(km2(WEST), rel=1e-4)
    assert fronts(c) == {
        ("blue", "contested"): pytest.approx(
            km(shapely.LineString([(0, -0.5), (0, 0.5)])), rel=1e-6
        )
    }


def test_changes_and_summary_follow_the_units_over_dates():
    c = conflict([("west", "red", DAY), ("east", "blue", DAY), ("east", "red", "2024-01-05")])
    changed = gc.territory_changes(c, DAY, "2024-01-06")
    assert changed[["from_actor", "to_actor"]].values.tolist() == [["blue", "red"]]
    assert changed["area_km2"].iloc[0] == pytest.approx(km2(EAST), rel=1e-4)
    s = gc.control_summary(c, start=DAY, end="2024-01-06").set_index(["date", "actor_id"])
    assert s.loc[(pd.Timestamp("2024-01-04"), "red"), "area_km2"] == pytest.approx(
        km2(WEST), rel=1e-4
    )
    assert s.loc[(pd.Timestamp("2024-01-05"), "red"), "area_km2"] == pytest.approx(
        km2(BOX), rel=1e-4
    )
    assert s.loc[(pd.Timestamp("2024-01-04"), "red"), "frontline_km"] == pytest.approx(
        km(shapely.LineString([(0, -0.5), (0, 0.5)])), rel=1e-6
    )
    assert s.loc[(pd.Timestamp("2024-01-05"), "red"), "frontline_km"] == 0


def test_population_of_a_unit_is_its_own_or_its_towns():
    towns = [("a", -0.75, 0.0), ("c", 0.5, 0.0)]
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)],
        towns=towns,
        population=[1000.0, np.nan, 300.0, 40.0],
    )
    t = gc.territories(c, DAY).set_index("actor_id")
    assert t.loc["red", "population"] == pytest.approx(1000.0)  # its own, not town a's
    assert t.loc["blue", "population"] == pytest.approx(40.0)  # none: its town's


def test_units_outside_the_boundary_are_left_out_with_a_warning():
    far = ("far", shapely.box(10, 10, 11, 11))
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)], units=(("west", WEST), ("east", EAST), far)
    )
    with pytest.warns(gc.DataWarning, match="1 place\\(s\\) lie outside the boundary.*'far'"):
        got = areas(c)
    assert set(got) == {"red", "blue"}


# --------------------------------------------------------------------------- real units

SHARED = "../shared/data"


@pytest.fixture(scope="module")
def ocha():
    from pathlib import Path

    import geopandas as gpd

    root = Path(__file__).resolve().parents[1] / SHARED
    admin3 = root / "ocha_cod_ab_syr_2020" / "syr_admin3_simplified.geojson"
    towns = (
        root / "ocha_syr_populated_places_2015" / "syr_admin4_populated_places_ocha_2015.geojson"
    )
    if not admin3.exists() or not towns.exists():
        pytest.skip("../shared/data is absent")
    units = gpd.read_file(admin3)
    communities = gpd.read_file(towns)
    return units, communities


def test_ocha_sub_districts_and_communities(ocha):
    units, communities = ocha
    ids = list(units["adm3_pcode"]) + list(communities["PCODE"])
    geoms = list(units.geometry) + list(communities.geometry)
    places = gc.make_places(ids, ids, [0.0] * len(ids), [0.0] * len(ids))
    places = places.set_geometry(geoms, crs="EPSG:4326")
    # every sub-district is 'red', but one (its communities decide: each one 'blue')
    open_unit = "SY070500"  # Ariha, Idleb
    inside = communities.loc[communities["ADMIN3_COD"] == open_unit, "PCODE"]
    assert len(inside) > 5
    records = [(u, "red", DAY) for u in units["adm3_pcode"] if u != open_unit]
    records += [(p, "blue", DAY) for p in inside]
    records += [(p, "green", DAY) for p in communities["PCODE"] if p not in set(inside)]
    control = pd.DataFrame(records, columns=["place_id", "actor_id", "date"])
    c = gc.Conflict(places, pd.DataFrame({"actor_id": list(ACTORS)}), control)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.DataWarning)  # a few towns off the outline
        t = gc.territories(c, DAY).set_index("actor_id")
        f = gc.frontlines(c, DAY)
    unit = units.set_index("adm3_pcode").geometry[open_unit]
    # the blue land is exactly that sub-district: its towns paint nothing beyond it
    assert t.loc["blue", "area_km2"] == pytest.approx(km2(unit), rel=2e-3)
    assert "green" not in t.index  # communities in stated units paint nothing
    total = km2(shapely.union_all(units.geometry.to_numpy()))
    assert t["area_km2"].sum() == pytest.approx(total, rel=2e-3)
    # the front is the sub-district's outline, less any stretch on the country's border
    assert list(zip(f["actor_a"], f["actor_b"], strict=True)) == [("blue", "red")]
    assert f["length_km"].iloc[0] == pytest.approx(km(unit.boundary), rel=0.02)


def test_a_town_without_a_record_shows_its_units_holder():
    towns = [("a", -0.75, 0.0), ("c", 0.5, 0.0), ("far", 5.0, 5.0)]
    c = conflict(
        [("west", "red", DAY), ("east", "blue", "2024-01-03"), ("c", "green", "2024-01-04")],
        towns=towns,
        boundary=None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.DataWarning)
        places = c.at("2024-01-03").places
    assert places.loc["a", "actor_id"] == "red" and places.loc["a", "state_from"] == "west"
    assert places.loc["c", "actor_id"] == "blue" and places.loc["c", "state_from"] == "east"
    assert places.loc["c", "since"] == pd.Timestamp("2024-01-03")
    assert pd.isna(places.loc["far", "actor_id"])  # in no unit: nothing to take
    later = c.at("2024-01-04").places  # its own record wins over the unit's
    assert later.loc["c", "actor_id"] == "green" and pd.isna(later.loc["c", "state_from"])
    assert pd.isna(later.loc["west", "state_from"])  # a unit's state is its own


# --------------------------------------------------------------------------- coverage


def test_overlapping_units_of_one_level_are_an_error_naming_both():
    west = shapely.box(-1.0, -0.5, 0.2, 0.5)  # 0.2 degrees into the east unit
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)], units=(("west", west), ("east", EAST))
    )
    overlap = km2(shapely.box(0, -0.5, 0.2, 0.5))
    with pytest.raises(
        gc.CoverageError,
        match=(
            rf"polygon places 'west' and 'east' overlap by {overlap:,.0f} km² \(near 0\.1"
            r".*Fix: correct the polygons.*or give the places a 'level' column"
        ),
    ):
        gc.territories(c, DAY)


def test_a_zone_over_units_needs_a_level_and_nesting_does_not():
    units = (("west", WEST), ("east", EAST), ("zone", ZONE))
    with pytest.raises(gc.CoverageError, match="'west' and 'zone' overlap"):
        gc.check_coverage(conflict([("west", "red", DAY)], units=units).places)
    nested = (("west", WEST), ("east", EAST), ("inner", shapely.box(-0.9, -0.4, -0.1, 0.4)))
    assert gc.check_coverage(conflict([("west", "red", DAY)], units=nested).places).empty


def test_slivers_and_gaps_are_a_warning_with_their_area_and_place():
    west = shapely.box(-1.0, -0.5, 0.001, 0.5)  # a thin overlap with east
    hole = shapely.box(-0.6, -0.1, -0.4, 0.1)
    west = west.difference(hole)
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)], units=(("west", west), ("east", EAST))
    )
    with pytest.warns(
        gc.DataWarning,
        match=(
            r"1 slivers \(small overlaps\) between polygon places, 12\.\d\d km² in all.*"
            r"1 gaps between polygon places, 49\d\.\d\d km² in all; the largest.*near "
            r"\(-0\.5\d+, -?0\.0\d+\).*geoconflict\.check_coverage"  # a point in the hole
        ),
    ):
        got = areas(c)
    found = gc.check_coverage(c.places, warn=False).set_index("kind")
    assert found.loc["gap", "area_km2"] == pytest.approx(km2(hole), rel=1e-3)
    assert found.loc["sliver", ["place_a", "place_b"]].tolist() == ["west", "east"]
    assert got["unknown"] == pytest.approx(km2(hole), rel=1e-3)  # the gap: nobody's data


def test_a_snapshot_sums_the_same_land():
    towns = [("a", -0.75, 0.0), ("c", 0.5, 0.0)]
    c = conflict(
        [("west", "red", DAY), ("east", "blue", DAY)],
        towns=towns,
        population=[1000.0, np.nan, 300.0, 40.0],
    )
    summary = c.at(DAY).summary().set_index("actor_id")
    land = gc.territories(c, DAY).set_index("actor_id")
    assert summary["places"].to_dict() == {"red": 2, "blue": 2}  # units and their towns
    assert summary["area_km2"].to_dict() == land["area_km2"].to_dict()
    assert summary["population"].to_dict() == pytest.approx({"red": 1000.0, "blue": 40.0})


def test_a_record_saying_unknown_ends_a_holder_and_leaves_the_land_unknown():
    towns = [("a", -0.75, 0.0), ("b", -0.25, 0.0)]
    c = conflict(
        [
            ("west", "red", DAY),
            ("west", "unknown", "2024-01-05"),
            ("a", "blue", DAY),
            ("east", "blue", DAY),
        ],
        towns=towns,
    )
    assert areas(c, "2024-01-04")["red"] == pytest.approx(km2(WEST), rel=1e-4)
    later = areas(c, "2024-01-05")
    # the unit's own record says unknown: town a's record does not paint it
    assert later["unknown"] == pytest.approx(km2(WEST), rel=1e-4)
    assert "red" not in later and fronts(c, "2024-01-05") == {}
    places = c.at("2024-01-05").places
    assert places.loc["west", "actor_id"] == "unknown"
    assert places.loc["b", "actor_id"] == "unknown" and places.loc["b", "state_from"] == "west"
    assert places.loc["a", "actor_id"] == "blue"  # a town's own record stays its own
    changes = gc.control_changes(c.control)
    assert changes.query("place_id == 'west'")[["from_actor", "to_actor"]].values.tolist() == [
        ["red", "unknown"]
    ]


def test_an_unknown_actor_id_is_named_with_the_fix():
    with pytest.raises(
        gc.SchemaError,
        match=r"column 'actor_id', value 'purple': unknown "
        r"actor id\. Fix: use an id from the actors table .* or 'unknown' when "
        r"no source says who holds the place",
    ):
        conflict([("west", "purple", DAY)])
