"""Zones: dated control polygons stored in the conflict are the land, as the source drew it.

A straight front near 48 N moves east between two snapshots; a grey zone inside one side's
zone is unknown; a contested zone is hatched in both sides' colours; the files round-trip;
bad zones get the library's errors; DeepStateMap's snapshots give the front it drew.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

GEOD = pyproj.Geod(ellps="WGS84")
BOX = shapely.box(30.0, 47.5, 32.0, 48.5)
UKRAINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine_2022_2025"


def km2(geom: shapely.Geometry) -> float:
    """Area on the ellipsoid of a lon/lat polygon whose edges follow parallels and meridians."""
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.01))[0]) / 1e6


def zones(rows) -> gpd.GeoDataFrame:
    """(date, actor, geometry[, status, contested_by]) rows as a zones table."""
    frame = pd.DataFrame(
        [r[:2] + (r[3] if len(r) > 3 else "held", r[4] if len(r) > 4 else None) for r in rows],
        columns=["date", "actor_id", "status", "contested_by"],
    )
    return gpd.GeoDataFrame(frame, geometry=[r[2] for r in rows], crs="EPSG:4326")


def drawn(rows, **options) -> gc.Conflict:
    places = gc.make_places(["w", "e"], ["West", "East"], [30.5, 31.5], [48.0, 48.0])
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["red", "blue"], "date": ["2024-01-01"] * 2}
    )
    return gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["red", "blue"]}),
        control,
        boundary=options.pop("boundary", BOX),
        zones=zones(rows),
        **options,
    )


@pytest.fixture
def moving() -> gc.Conflict:
    """red holds west of 31.0 E in January, west of 31.2 E from February."""
    return drawn(
        [
            ("2024-01-01", "red", shapely.box(30.0, 47.5, 31.0, 48.5)),
            ("2024-01-01", "blue", shapely.box(31.0, 47.5, 32.0, 48.5)),
            ("2024-02-01", "red", shapely.box(30.0, 47.5, 31.2, 48.5)),
            ("2024-02-01", "blue", shapely.box(31.2, 47.5, 32.0, 48.5)),
        ]
    )


def areas(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["actor_id"], frame["area_km2"], strict=True))


def test_the_land_is_the_zones_of_the_last_snapshot(moving):
    assert areas(gc.territories(moving, "2023-12-31")) == pytest.approx({"unknown": km2(BOX)})
    jan = areas(gc.territories(moving, "2024-01-20"))
    assert jan["red"] == pytest.approx(km2(shapely.box(30.0, 47.5, 31.0, 48.5)), rel=1e-5)
    feb = areas(gc.territories(moving, "2024-03-01"))
    assert feb["red"] == pytest.approx(km2(shapely.box(30.0, 47.5, 31.2, 48.5)), rel=1e-5)
    assert feb["blue"] == pytest.approx(km2(shapely.box(31.2, 47.5, 32.0, 48.5)), rel=1e-5)
    assert set(feb) == {"red", "blue"}  # no sliver of unknown land where zones meet the outline


def test_the_front_is_the_line_the_source_drew(moving):
    for day, lon in (("2024-01-20", 31.0), ("2024-02-20", 31.2)):
        front = gc.frontlines(moving, day)
        assert front[["actor_a", "actor_b"]].values.tolist() == [["blue", "red"]]
        xy = shapely.get_coordinates(front.geometry.iloc[0])
        np.testing.assert_allclose(xy[:, 0], lon, atol=1e-9)
        assert sorted([xy[0, 1], xy[-1, 1]]) == pytest.approx([47.5, 48.5])
        meridian = GEOD.line_length([lon, lon], [47.5, 48.5]) / 1000
        assert front.length_km.iloc[0] == pytest.approx(meridian, rel=1e-4)


def test_summary_and_changes_follow_the_snapshots(moving):
    s = gc.control_summary(moving, freq="MS", start="2024-01-01", end="2024-02-01")
    red = s[s["actor_id"] == "red"].set_index("date")["area_km2"]
    assert red.iloc[1] - red.iloc[0] == pytest.approx(
        km2(shapely.box(31.0, 47.5, 31.2, 48.5)), rel=1e-4
    )
    changes = gc.territory_changes(moving, "2024-01-15", "2024-02-15")
    assert changes[["from_actor", "to_actor"]].values.tolist() == [["blue", "red"]]


def test_the_smallest_zone_of_a_snapshot_wins_and_unknown_zones_are_unknown():
    grey = shapely.box(30.9, 47.9, 31.1, 48.1)
    c = drawn(
        [
            ("2024-01-01", "blue", BOX),  # the rest of the country
            ("2024-01-01", "red", shapely.box(30.0, 47.5, 31.0, 48.5)),  # occupied, inside it
            ("2024-01-01", "unknown", grey),  # a grey zone across the front
        ]
    )
    t = areas(gc.territories(c, "2024-01-02"))
    assert t["unknown"] == pytest.approx(km2(grey), rel=1e-4)
    assert t["red"] == pytest.approx(
        km2(shapely.box(30.0, 47.5, 31.0, 48.5).difference(grey)), rel=1e-4
    )
    front = gc.frontlines(c, "2024-01-02")
    assert front.length_km.sum() == pytest.approx(
        GEOD.line_length([31.0, 31.0], [47.5, 47.9]) / 1000
        + GEOD.line_length([31.0, 31.0], [48.1, 48.5]) / 1000,
        rel=1e-4,
    )  # no front along the grey zone


def test_a_contested_zone_is_contested_land_with_both_sides_in_the_map():
    c = drawn(
        [
            ("2024-01-01", "red", shapely.box(30.0, 47.5, 31.0, 48.5)),
            ("2024-01-01", "blue", shapely.box(31.0, 47.5, 32.0, 48.5), "contested", "red"),
        ]
    )
    assert set(gc.territories(c, "2024-01-02")["actor_id"]) == {"red", "contested"}
    land = gc.maps.map_data(c, "2024-01-02")["land"]
    hatch = land["hatch"][0]
    sides = {tuple(hatch[i + 1 : i + 3]) for i in range(0, len(hatch), 3)}
    assert sides == {(1, 0)}  # blue holds it, red contests it


def test_zones_round_trip_through_every_format(moving, tmp_path):
    expected = areas(gc.territories(moving, "2024-02-15"))
    for back in (
        gc.read_conflict(gc.save_conflict(moving, tmp_path / "folder")),
        gc.read_conflict(gc.save_conflict(moving, tmp_path / "c.gpkg")),
        gc.read_parquet(gc.to_parquet(moving, tmp_path / "parquet")),
    ):
        assert len(back.zones) == 4
        assert back.zones["date"].tolist() == moving.zones["date"].tolist()
        assert areas(gc.territories(back, "2024-02-15")) == pytest.approx(expected)
    assert gc.check_folder(tmp_path / "folder") == []


def test_an_invalid_ring_as_sources_draw_it_is_repaired():
    bowtie = shapely.Polygon([(30, 47.5), (31, 48.5), (31, 47.5), (30, 48.5)])
    assert not bowtie.is_valid
    c = drawn([("2024-01-01", "red", bowtie)])
    assert shapely.is_valid(c.zones.geometry).all()
    assert areas(gc.territories(c, "2024-01-02"))["red"] == pytest.approx(
        km2(shapely.make_valid(bowtie)), rel=1e-3
    )


@pytest.mark.parametrize(
    ("rows", "error", "match"),
    [
        (
            [("2024-01-01", "green", BOX)],
            gc.SchemaError,
            r"zones, row 1, column 'actor_id', value 'green': unknown actor id",
        ),
        (
            [("2024-01-01", "red", shapely.Point(31, 48))],
            gc.SchemaError,
            r"'zones', row 1, column 'geometry', value 'Point': a zone must be a Polygon",
        ),
        (
            [("1st of May", "red", BOX)],
            gc.SchemaError,
            r"'zones', row 1, column 'date', value '1st of May': not a date",
        ),
        (
            [("2024-01-01", "red", BOX, "contested")],
            gc.SchemaError,
            "contested zone without a challenger",
        ),
    ],
)
def test_bad_zones_say_which_row_and_what_to_do(rows, error, match):
    with pytest.raises(error, match=match):
        drawn(rows)


def test_zones_must_be_a_table_of_polygons():
    with pytest.raises(gc.SchemaError, match="zones must be a GeoDataFrame of dated polygons"):
        gc.Conflict(
            gc.make_places(["w"], ["West"], [30.5], [48.0]),
            pd.DataFrame({"actor_id": ["red"]}),
            pd.DataFrame({"place_id": ["w"], "actor_id": ["red"], "date": ["2024-01-01"]}),
            zones=pd.DataFrame({"date": ["2024-01-01"], "actor_id": ["red"]}),
        )


# ------------------------------------------------------------------------- a real source

KHERSON = shapely.Point(32.617, 46.635)  # liberated 11 Nov 2022
MARIUPOL = shapely.Point(37.543, 47.097)  # held by Russia from May 2022
KHARKIV = shapely.Point(36.231, 49.993)  # never taken


def deepstate_zones(files: list[Path], country: shapely.Geometry) -> gpd.GeoDataFrame:
    """The user's part: DeepStateMap's feature names as holders, and the rest of the country
    Ukraine's (the map draws only the occupied side)."""
    frames = []
    for path in files:
        day = pd.Timestamp(int(path.stem), unit="s").normalize()
        drawn_ = gpd.read_file(path)
        drawn_ = drawn_[drawn_.geom_type.isin(["Polygon", "MultiPolygon"])]
        name = drawn_["name"].str.replace("\xa0", " ")
        actor = np.select(
            [
                name.str.contains("Occupied|CADR|Crimea", case=False),
                name.str.contains("Unknown status", case=False),
            ],
            ["russia", "unknown"],
            default="ukraine",
        )
        frames.append(
            gpd.GeoDataFrame(
                {"date": day, "actor_id": actor}, geometry=drawn_.geometry.values, crs=4326
            )
        )
        frames.append(
            gpd.GeoDataFrame(
                {"date": [day], "actor_id": ["ukraine"]}, geometry=[country], crs=4326
            )
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


@pytest.mark.skipif(not UKRAINE.exists(), reason="needs ../shared/data/ukraine_2022_2025")
def test_deepstatemap_snapshots_give_the_front_the_map_drew():
    oblasts = gpd.read_file(UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson")
    countries = gpd.read_file(UKRAINE / "naturalearth" / "ne_50m_admin_0_countries.json")
    # geoBoundaries' coastal oblasts reach into the sea: the land is where Natural Earth's
    # land is (Ukraine, and Crimea, which that file draws with Russia)
    land = shapely.union_all(countries[countries["ADMIN"].isin(["Ukraine", "Russia"])].geometry)
    country = shapely.intersection(
        shapely.make_valid(shapely.union_all(oblasts.geometry.to_numpy())), land
    )
    files = [UKRAINE / "deepstate" / f"{t}.geojson" for t in (1664627935, 1669933036)]
    towns = gc.make_places(
        ["kherson", "mariupol", "kharkiv"],
        ["Kherson", "Mariupol", "Kharkiv"],
        [KHERSON.x, MARIUPOL.x, KHARKIV.x],
        [KHERSON.y, MARIUPOL.y, KHARKIV.y],
    )
    control = pd.DataFrame(
        {"place_id": ["kharkiv"], "actor_id": ["ukraine"], "date": ["2022-10-01"]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.DataWarning)  # rings as the source drew them
        c = gc.Conflict(
            towns,
            pd.DataFrame({"actor_id": ["ukraine", "russia"]}),
            control,
            boundary=gpd.GeoDataFrame(geometry=[country], crs="EPSG:4326"),
            zones=deepstate_zones(files, country),
        )
        october = gc.territories(c, "2022-10-15").set_index("actor_id").geometry
        december = gc.territories(c, "2022-12-15").set_index("actor_id").geometry
        front = gc.frontlines(c, "2022-12-15")
    assert october["russia"].contains(KHERSON) and december["ukraine"].contains(KHERSON)
    assert october["russia"].contains(MARIUPOL) and december["russia"].contains(MARIUPOL)
    assert october["ukraine"].contains(KHARKIV) and december["ukraine"].contains(KHARKIV)
    # the front of December 2022 runs along the Dnipro below Kherson and on through
    # Zaporizhzhia oblast (one line of over 300 km) and through Donbas: Bakhmut (held by
    # Ukraine until May 2023) on the Ukrainian side, the land 13 km east of it Russian.
    # (Where Natural Earth's coast and DeepStateMap's differ by more than a 100 m hairline,
    # short pieces of "front" run along the coast: the two sources' coasts.)
    between = front[(front.actor_a == "russia") & (front.actor_b == "ukraine")]
    parts = shapely.get_parts(shapely.line_merge(between.geometry.iloc[0]))
    longest = parts[np.argmax([GEOD.geometry_length(p) for p in parts])]
    assert GEOD.geometry_length(longest) / 1000 > 300
    assert longest.distance(KHERSON) < 0.1
    assert december["ukraine"].contains(shapely.Point(38.0, 48.595))
    assert december["russia"].contains(shapely.Point(38.13, 48.6))
