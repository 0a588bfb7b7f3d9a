"""control_from_polygons, snapshot_zones and read_control_polygons on synthetic conflicts away
from Syria (Sahel, southern Africa, South America): points, area shares, thresholds, the overlap
rule, repairs and the boundary."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc
from geoconflict import (
    DataWarning,
    OptionError,
    control_from_polygons,
    make_places,
    read_control_polygons,
    snapshot_zones,
)
from geoconflict.errors import ArgumentTypeError, FormatError

GEOD = pyproj.Geod(ellps="WGS84")


def _snaps(rows):
    """rows: (date, actor, geometry[, status])"""
    frame = pd.DataFrame(
        {
            "date": [r[0] for r in rows],
            "actor_id": [r[1] for r in rows],
            "status": [r[3] if len(r) > 3 else "held" for r in rows],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[r[2] for r in rows], crs=4326)


def _area(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0])


@pytest.fixture
def sahel_towns():
    # towns around 15 N in the Sahel: one in the zone, one outside, one in the grey strip
    return make_places(["a", "b", "c"], ["Alpha", "Bravo", "Charlie"], [2.5, 6.5, 3.1], [15.5] * 3)


def test_points_take_the_zone_they_lie_in_and_outside_the_default(sahel_towns):
    snaps = _snaps(
        [
            ("2023-01-01", "rebels", shapely.box(2, 15, 4, 16)),
            ("2023-02-01", "rebels", shapely.box(2, 15, 7, 16)),
        ]
    )
    control, report = control_from_polygons(sahel_towns, snaps, outside="army")
    first = control[control["date"] == "2023-01-01"].set_index("place_id")["actor_id"]
    assert first.to_dict() == {"a": "rebels", "b": "army", "c": "rebels"}
    # only changes: on 1 Feb only Bravo changes hands
    second = control[control["date"] == "2023-02-01"]
    assert second[["place_id", "actor_id"]].values.tolist() == [["b", "rebels"]]
    assert control["share"].isna().all()  # points have no share
    assert report.rows_kept == 2

    unknown, _ = control_from_polygons(sahel_towns, snaps)  # no default holder: unknown
    assert unknown.set_index("place_id").loc["b", "actor_id"].iloc[0] == "unknown"


def test_grey_zone_inside_an_occupied_zone_is_the_grey_zone(sahel_towns):
    occupied = shapely.box(2, 15, 4, 16)
    grey = shapely.box(3, 15, 3.2, 16)  # drawn after, inside the occupied zone
    snaps = _snaps(
        [
            ("2023-01-01", "rebels", occupied),
            ("2023-01-01", "unknown", grey, "unknown"),
        ]
    )
    control, _ = control_from_polygons(sahel_towns, snaps, outside="army")
    state = control.set_index("place_id")["actor_id"]
    assert state["c"] == "unknown" and state["a"] == "rebels"
    # "first": the earlier row (the occupied zone) is on top
    control, _ = control_from_polygons(sahel_towns, snaps, outside="army", overlap="first")
    assert control.set_index("place_id").loc["c", "actor_id"] == "rebels"
    zones, _ = snapshot_zones(snaps)
    assert sorted(zones["actor_id"]) == ["rebels", "unknown"]
    a, b = zones.geometry
    assert a.intersection(b).area < 1e-12  # no overlap left within the date
    assert a.area == pytest.approx(2 - 0.2)


def test_polygon_places_by_equal_area_share_and_thresholds():
    # southern Africa, about 20 S: a district 1 x 1 degree, occupied over its western 30 %
    district = shapely.box(30, -21, 31, -20)
    places = make_places(["d"], ["District"], [30.5], [-20.5])
    places = places.set_geometry(gpd.GeoSeries([district], index=places.index, crs=4326))
    cut = shapely.box(29, -21, 30.3, -20)
    snaps = _snaps([("2022-05-01", "north", cut)])
    expected = _area(cut.intersection(district)) / _area(district)  # measured on the ellipsoid
    control, _ = control_from_polygons(places, snaps, outside="south")
    row = control.iloc[0]
    # 70 % south, 30 % north: runner-up reaches 0.25, so contested
    assert (row["actor_id"], row["status"], row["contested_by"]) == ("south", "contested", "north")
    assert row["share"] == pytest.approx(1 - expected, abs=1e-4)
    # a stricter contested threshold: held by the south
    control, _ = control_from_polygons(places, snaps, outside="south", contested=0.4, held=0.6)
    assert (control.iloc[0]["actor_id"], control.iloc[0]["status"]) == ("south", "held")
    # without a default holder the uncovered 70 % is unknown land: nobody reaches `held`
    control, _ = control_from_polygons(places, snaps)
    assert control.iloc[0]["actor_id"] == "unknown"
    assert control.iloc[0]["share"] == pytest.approx(1 - expected, abs=1e-4)
    # held when the zone covers more than `held`
    control, _ = control_from_polygons(places, snaps, held=0.25, contested=0.25)
    assert control.iloc[0]["actor_id"] == "unknown"  # 70 % unknown beats 30 % north
    with pytest.raises(OptionError, match="contested <= held"):
        control_from_polygons(places, snaps, held=0.3, contested=0.5)


def test_share_counts_overlapping_pieces_of_one_holder_once():
    place = shapely.box(-60, -10, -59, -9)  # South America
    places = make_places(["p"], ["P"], [-59.5], [-9.5]).set_geometry(
        gpd.GeoSeries([place], index=["p"], crs=4326)
    )
    # two pieces of one holder overlapping over half the place: 0.6 + 0.6 - 0.4 = 0.8
    snaps = _snaps(
        [
            ("2020-01-01", "x", shapely.box(-60, -10, -59.4, -9)),
            ("2020-01-01", "x", shapely.box(-59.8, -10, -59.2, -9)),
        ]
    )
    control, _ = control_from_polygons(places, snaps, outside="y")
    expected = _area(shapely.box(-60, -10, -59.2, -9)) / _area(place)
    assert control.iloc[0]["actor_id"] == "x"
    assert control.iloc[0]["share"] == pytest.approx(expected, abs=1e-4)


def test_invalid_rings_are_repaired_and_outside_polygons_dropped(sahel_towns):
    bowtie = shapely.Polygon([(2, 15), (4, 16), (4, 15), (2, 16), (2, 15)])
    far = shapely.box(40, 50, 41, 51)  # drawn far from the country
    marker = shapely.Point(3, 15.5)  # a unit marker
    snaps = _snaps(
        [
            ("2023-01-01", "rebels", bowtie),
            ("2023-01-01", "rebels", far),
            ("2023-01-01", "rebels", marker),
        ]
    )
    boundary = shapely.box(0, 12, 8, 20)
    control, report = control_from_polygons(sahel_towns, snaps, boundary=boundary, outside="army")
    reasons = report.entries.set_index("row")["reason"]
    assert "repaired" in reasons[1]
    assert "outside the boundary" in reasons[2]
    assert "not a polygon" in reasons[3]
    assert any("outside the boundary dropped" in n for n in report.notes)
    # the repaired bowtie still holds Alpha (at 2.5, 15.5: inside its western triangle)
    assert control.set_index("place_id").loc["a", "actor_id"] == "rebels"


def test_places_off_the_boundary_get_no_record_and_are_named():
    # a district outline drawn off the coast (as a generalised admin layer can have it): it
    # lies in no snapshot polygon, but it is not land the default holder holds either
    land = shapely.box(-58, -35, -54, -31)  # a stretch of coast in South America
    places = make_places(
        ["in", "sea", "port", "spit"],
        ["Inland", "Offshore District", "Port", "Spit"],
        [-56.0, -53.0, -54.05, -53.9],
        [-33.0, -33.0, -33.0, -31.5],
    )
    places.loc["sea", "geometry"] = shapely.box(-53.5, -33.5, -52.5, -32.5)
    snaps = _snaps(
        [
            ("2023-01-01", "militia", shapely.box(-57, -34, -55, -32)),
            # drawn over the sea beside its coast, as sources draw: the town on the spit,
            # just off the generalised boundary, lies in it
            ("2023-01-01", "militia", shapely.box(-55, -32, -53.5, -31)),
        ]
    )
    control, report = control_from_polygons(places, snaps, boundary=land, outside="army")
    held = control.set_index("place_id")["actor_id"].to_dict()
    assert held == {"in": "militia", "port": "army", "spit": "militia"}
    assert any(
        n.startswith("1 polygon place(s) lie wholly outside the boundary")
        and "Offshore District" in n
        for n in report.notes
    )
    # without a boundary nothing says where the map ends: the default holder holds it
    control, _ = control_from_polygons(places, snaps, outside="army")
    assert control.set_index("place_id").loc["sea", "actor_id"] == "army"


def test_missing_columns_and_bad_input_say_what_to_do(sahel_towns):
    snaps = _snaps([("2023-01-01", "rebels", shapely.box(2, 15, 4, 16))])
    with pytest.raises(OptionError, match="no column 'side'.*actor='<column>'"):
        control_from_polygons(sahel_towns, snaps, actor="side")
    with pytest.raises(ArgumentTypeError, match="GeoDataFrame of dated polygons"):
        control_from_polygons(sahel_towns, [1, 2])
    with pytest.raises(OptionError, match="overlap must be one of"):
        snapshot_zones(snaps, overlap="biggest")
    bad = snaps.assign(status=["shelled"])
    with pytest.warns(DataWarning, match="none of its 1 rows was kept as zones"):
        control, report = control_from_polygons(sahel_towns, bad)
    assert "status is not one of" in report.entries["reason"].iloc[0]
    assert (control["actor_id"] == "unknown").all()


def test_read_control_polygons_dates_from_names(tmp_path):
    folder = tmp_path / "snaps"
    folder.mkdir()
    zone = gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[shapely.box(2, 15, 4, 16)], crs=4326)
    zone.to_file(folder / "1667341666.geojson")  # Unix seconds: 2022-11-01 22:27 UTC
    zone.to_file(folder / "map_2022-12-05.geojson")
    snaps = read_control_polygons(folder)
    assert snaps["date"].astype(str).tolist() == ["2022-11-01", "2022-12-05"]
    gpkg = tmp_path / "snaps.gpkg"
    zone.to_file(gpkg, layer="2023-01-01")
    zone.to_file(gpkg, layer="2023-02-01")
    assert read_control_polygons(gpkg)["date"].astype(str).tolist() == ["2023-01-01", "2023-02-01"]
    (folder / "undated.geojson").write_bytes((folder / "1667341666.geojson").read_bytes())
    with pytest.raises(FormatError, match="no date in its name"):
        read_control_polygons(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FormatError, match="holds no vector files"):
        read_control_polygons(empty)
    with pytest.raises(FormatError, match=r"no layer named \['2024-01-01'\] \(it has"):
        read_control_polygons(gpkg, layers=["2024-01-01"])


def test_dates_in_names_are_whole_numbers_not_digits_inside_longer_ones(tmp_path):
    folder = tmp_path / "snaps"
    folder.mkdir()
    zone = gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[shapely.box(2, 15, 4, 16)], crs=4326)
    zone.to_file(folder / "ds_1620101234.geojson")  # Unix seconds after a prefix: 2021-05-04
    zone.to_file(folder / "v2_20221101_deepstate.geojson")
    dates = read_control_polygons(folder)["date"].astype(str).tolist()
    assert sorted(dates) == ["2021-05-04", "2022-11-01"]  # not 1620-10-12


def test_many_points_and_dates_match_a_plain_spatial_join():
    rng = np.random.default_rng(7)
    n = 500
    places = make_places(
        [f"p{i}" for i in range(n)],
        [f"P{i}" for i in range(n)],
        rng.uniform(100, 104, n),
        rng.uniform(-4, 0, n),
    )
    dates = pd.date_range("2021-01-01", periods=12, freq="MS")
    rows = []
    for i, day in enumerate(dates):
        rows.append((day, "a", shapely.box(100, -4, 101 + i * 0.1, 0)))
        rows.append((day, "b", shapely.box(103 - i * 0.05, -4, 104, -2)))
    snaps = _snaps(rows)
    control, _ = control_from_polygons(places, snaps, outside="c")
    # the plain way: a spatial join per date, then the latest record per place
    for day in dates[[0, 5, 11]]:
        joined = gpd.sjoin(places, snaps[snaps["date"] == day], predicate="within", how="left")
        expected = joined["actor_id"].fillna("c").groupby(level=0).first()
        got = control[control["date"] <= day].groupby("place_id")["actor_id"].last()
        assert got.reindex(expected.index).tolist() == expected.tolist()


def test_snapshot_zones_are_the_conflicts_zones(sahel_towns):
    snaps = _snaps(
        [
            ("2023-01-01", "rebels", shapely.box(2, 15, 4, 16)),
            ("2023-01-01", "unknown", shapely.box(3, 15, 3.2, 16), "unknown"),
            ("2023-02-01", "rebels", shapely.box(2, 15, 7, 16)),
        ]
    )
    country = shapely.box(0, 14, 8, 17)
    zones, _ = snapshot_zones(snaps, boundary=country, outside="army")
    first = zones[zones["date"] == "2023-01-01"].set_index("actor_id")
    assert sorted(first.index) == ["army", "rebels", "unknown"]
    assert first.loc["unknown", "status"] == "held"  # unknown land: actor 'unknown'
    # the three zones of a date cover the country once, without overlaps
    areas = shapely.area(first.geometry.values)
    assert shapely.union_all(first.geometry.values).area == pytest.approx(country.area)
    assert areas.sum() == pytest.approx(country.area)
    with pytest.raises(OptionError, match="outside= needs boundary="):
        snapshot_zones(snaps, outside="army")
    control, _ = control_from_polygons(sahel_towns, snaps, outside="army")
    actors = pd.DataFrame({"actor_id": ["army", "rebels"], "name": ["Army", "Rebels"]})
    conflict = gc.Conflict(sahel_towns, actors, control, zones=zones)
    land = gc.territories(conflict, "2023-01-15")
    held = land.dissolve("actor_id").geometry
    assert shapely.area(held["rebels"]) == pytest.approx(2 - 0.2, rel=1e-3)


def test_snapshot_zones_give_the_outside_holder_one_zone_a_date():
    # the outside holder also drew a zone of its own (a retaken area): one row, its drawn
    # and its undrawn land together, as the docstring's "one zone per date and holder" says
    snaps = _snaps(
        [
            ("2022-11-01", "rebels", shapely.box(3, 13, 5, 14)),
            ("2022-11-01", "army", shapely.box(0.5, 13, 1.5, 14)),
        ]
    )
    country = shapely.box(0, 12, 6, 15)
    zones, _ = snapshot_zones(snaps, boundary=country, outside="army")
    assert zones[["actor_id", "status"]].values.tolist() == [["army", "held"], ["rebels", "held"]]
    army = zones.set_index("actor_id").loc["army"]
    assert army.geometry.area == pytest.approx(country.area - 2.0)
    assert army["area_km2"] == pytest.approx(_area(army.geometry) / 1e6, rel=1e-3)
