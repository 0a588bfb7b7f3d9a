"""The example's 26 Nov 2024 map agrees with published estimates of who held how much of Syria.

The areas come from ``data/area_shares.py``: a plain shapely/pyproj computation, independent
of the library's territory code (polygon places painted coarse to fine, equal-area km²).

Published estimate (cited in data/README.md): Jusoor for Studies' control map of the end of
2023 keeps the shares it had recorded since February 2020: government 63.38 %, SDF 25.64 %,
opposition factions 10.98 % (Idlib, northern Aleppo, Tal Abyad and Ras al-Ayn, al-Tanf).
"""

import sys
from pathlib import Path

import pytest
import shapely

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "data"))
import area_shares  # noqa: E402

sys.path.pop(0)

JUSOOR_END_2023 = {"government": 63.38, "SDF": 25.64, "opposition": 10.98}
TOLERANCE_PP = 3.0


@pytest.fixture(scope="module")
def baseline():
    return area_shares.shares("2024-11-26")


def test_the_painted_land_is_all_of_syria(baseline):
    *_, total = baseline
    outline = shapely.from_geojson(
        (area_shares.DATA / "boundary.geojson").read_text(encoding="utf-8")
    )
    whole = area_shares.equal_area_km2(shapely.union_all(shapely.get_parts(outline)))
    assert total == pytest.approx(whole, rel=1e-5)
    assert 185_000 < total < 190_000  # Syria is 185,180 km² officially


@pytest.mark.parametrize("bloc", sorted(JUSOOR_END_2023))
def test_baseline_bloc_share_is_within_3_points_of_jusoor(baseline, bloc):
    _, by_bloc, _ = baseline
    assert abs(by_bloc[bloc] - JUSOOR_END_2023[bloc]) <= TOLERANCE_PP, by_bloc


def test_only_the_occupied_golan_is_outside_the_three_blocs(baseline):
    _, by_bloc, _ = baseline
    assert set(by_bloc) == {"government", "SDF", "opposition", "israel"}
    assert 0.3 < by_bloc["israel"] < 1.0  # the Golan west of the 1974 line, about 1,100 km²


def test_finer_polygons_override_coarser_ones(baseline):
    by_actor, _, total = baseline
    # The 55-km al-Tanf zone lies inside two large government-held sub-districts.
    assert by_actor["sfa"] * total / 100 == pytest.approx(7054, rel=0.01)
