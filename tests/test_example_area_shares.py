"""The example's 26 Nov 2024 map agrees with published estimates of who held how much of Syria.

The area of each bloc is computed here directly with shapely and pyproj, independently of
the library's territory code: every polygon place with a record on the day is painted in
decreasing order of area, so a finer polygon (a half of a sub-district, the al-Tanf zone)
overrides the coarser one it lies in; areas are taken in the equal-area projection
EPSG:6933.

Published estimates (cited in data/README.md): Jusoor for Studies' control map of the end
of 2023 keeps the shares it recorded in February 2020, unchanged through 2023: government
63.38 %, SDF 25.64 %, opposition factions 10.98 % (Idlib, northern Aleppo, Tal Abyad and
Ras al-Ayn, al-Tanf and al-Zakf).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

DATA = Path(__file__).parents[1] / "geoconflict" / "_data" / "syria_2024"
BLOC = {"government": "government", "sdf": "sdf", "hts": "opposition", "sna": "opposition",
        "sfa": "opposition", "southern": "opposition"}
JUSOOR_END_2023 = {"government": 63.38, "sdf": 25.64, "opposition": 10.98}
TOLERANCE_PP = 3.0


_EQUAL_AREA = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


def equal_area_km2(geom):
    """Area in the equal-area EPSG:6933 projection (vertices projected, edges straight)."""
    projected = shapely.transform(geom, lambda xy: np.column_stack(
        _EQUAL_AREA.transform(xy[:, 0], xy[:, 1])))
    return shapely.area(projected) / 1e6


def land_by_actor(day):
    places = pd.read_csv(DATA / "places.csv", dtype=str, keep_default_na=False)
    control = pd.read_csv(DATA / "control.csv", dtype=str, keep_default_na=False)
    latest = control[control.date <= day].sort_values("date").groupby("place_id").last()
    polygons = places[places.wkt != ""].set_index("place_id")
    polygons = polygons[polygons.index.isin(latest.index)]
    geoms = shapely.from_wkt(polygons.wkt.to_numpy())
    order = np.argsort(-shapely.area(geoms), kind="stable")
    land = {}
    for i in order:
        for actor in land:
            land[actor] = shapely.difference(land[actor], geoms[i])
        actor = latest.actor_id[polygons.index[i]]
        land[actor] = shapely.union(land.get(actor, shapely.Polygon()), geoms[i])
    return {actor: equal_area_km2(geom) for actor, geom in land.items()}


def bloc_shares(day):
    areas = land_by_actor(day)
    total = sum(areas.values())
    shares = {}
    for actor, km2 in areas.items():
        bloc = BLOC.get(actor, "other")
        shares[bloc] = shares.get(bloc, 0.0) + 100.0 * km2 / total
    return shares, total


@pytest.fixture(scope="module")
def baseline():
    return bloc_shares("2024-11-26")


def test_the_painted_land_is_all_of_syria(baseline):
    _, total = baseline
    outline = shapely.from_geojson((DATA / "boundary.geojson").read_text(encoding="utf-8"))
    assert total == pytest.approx(equal_area_km2(shapely.union_all(shapely.get_parts(outline))),
                                  rel=1e-5)
    assert 185_000 < total < 190_000  # Syria is 185,180 km2 officially


@pytest.mark.parametrize("bloc", sorted(JUSOOR_END_2023))
def test_baseline_bloc_share_is_within_3_points_of_jusoor(baseline, bloc):
    shares, _ = baseline
    assert abs(shares[bloc] - JUSOOR_END_2023[bloc]) <= TOLERANCE_PP, shares


def test_only_the_occupied_golan_is_outside_the_three_blocs(baseline):
    shares, _ = baseline
    assert set(shares) == {"government", "sdf", "opposition", "other"}
    assert 0.3 < shares["other"] < 1.0  # the Golan west of the 1974 line, about 1,200 km2
