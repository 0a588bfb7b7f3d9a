"""The example's 26 Nov 2024 map agrees with published estimates of who held how much of Syria.

The areas come from ``data/area_shares.py``: a plain shapely/pyproj computation, independent
of the library's territory code (polygon places painted coarse to fine, equal-area km²).

Published estimate (cited in data/README.md): Jusoor for Studies' control map of the end of
2023 keeps the shares it had recorded since February 2020: government 63.38 %, SDF 25.64 %,
opposition factions 10.98 % (Idlib, northern Aleppo, Tal Abyad and Ras al-Ayn, al-Tanf).
"""

import sys
from pathlib import Path

import pandas as pd
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


README = ROOT / "data" / "README.md"


def _offensive_table():
    """The lines of the README's table of shares through the offensive."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Through the offensive"))
    first = next(i for i in range(start, len(lines)) if lines[i].startswith("| holder |"))
    last = next(i for i in range(first, len(lines)) if not lines[i].startswith("|"))
    return lines[first:last]


def test_the_readme_table_through_the_offensive_is_what_the_script_prints():
    assert "\n".join(_offensive_table()) == area_shares.offensive_table()


@pytest.fixture(scope="module")
def summary():
    import geoconflict as gc

    days = area_shares.OFFENSIVE_DAYS
    table = gc.control_summary(gc.load_example(), start=days[0], end=days[-1])
    return table[table["date"].isin(pd.to_datetime(days))]


def test_every_cell_of_the_readme_table_is_what_control_summary_counts(summary):
    rows = _offensive_table()
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header[2:] == [
        f"{pd.Timestamp(d).day} {pd.Timestamp(d):%b}" for d in area_shares.OFFENSIVE_DAYS
    ]
    checked = 0
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        actor = cells[1]
        for day, cell in zip(area_shares.OFFENSIVE_DAYS, cells[2:], strict=True):
            on_day = summary[summary["date"] == pd.Timestamp(day)].set_index("actor_id")
            share = 100.0 * on_day["area_km2"] / on_day["area_km2"].sum()
            got = float(share.get(actor, 0.0))
            if cell == "0":
                assert got == 0.0, (actor, day, got)
            else:
                assert cell.endswith(" %"), cell
                assert abs(float(cell[:-2]) - got) <= 0.0051, (actor, day, cell, got)
            checked += 1
    assert checked == 10 * len(area_shares.OFFENSIVE_DAYS)


def test_the_independent_count_agrees_with_control_summary_every_day(summary):
    for day in area_shares.OFFENSIVE_DAYS:
        by_actor, _, total = area_shares.shares(day)
        on_day = summary[summary["date"] == pd.Timestamp(day)].set_index("actor_id")
        assert on_day["area_km2"].sum() == pytest.approx(total, rel=1e-4)  # slivers, projection
        share = 100.0 * on_day["area_km2"] / on_day["area_km2"].sum()
        for actor in set(by_actor) | set(share.index[share > 0]):
            assert abs(by_actor.get(actor, 0.0) - share.get(actor, 0.0)) < 0.01, (day, actor)
