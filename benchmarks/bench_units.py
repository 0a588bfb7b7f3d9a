"""Territories from polygon places: geoconflict against the plain geopandas way, same run.

Run from the repository root (``bench_territory.py`` runs these cases too)::

    python benchmarks/bench_units.py            # the full cases
    python benchmarks/bench_units.py --quick    # small sizes, to check that it runs

Data: the 272 OCHA sub-districts and 5,251 OCHA communities in ../shared/data (the cases
are skipped without it). Four actors hold the land as drifting weighted-Voronoi regions; on
each day 80% of the sub-districts have a state of their own (the holder of their centre), and
in the other 20% the communities decide (each community's holder at its own point).

The plain way is what one writes with geopandas for one date: the stated sub-districts as
they are; in each other sub-district, the Voronoi cells of its communities (``GeoSeries.
voronoi_polygons``), ``clip``-ped to it and ``sjoin``-ed to their holders; ``concat`` ->
``dissolve`` by actor -> area in an equal-area projection, and the intersection of every two
territories' boundaries for the frontlines.

Cases:

u-a. one date: territories + frontlines, geoconflict from a cold cache;
u-b. area and frontline per actor on 365 daily dates: ``control_summary`` against the plain
     way timed on 3 dates and extrapolated;
u-c. 5,000 polygons and 100,000 points at one date (synthetic), time and peak memory, in a
     child process.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc
from geoconflict.territory import _cells as land

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of, timed  # the timing helpers, beside this file

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ADMIN3 = SHARED / "ocha_cod_ab_syr_2020" / "syr_admin3_simplified.geojson"
TOWNS = SHARED / "ocha_syr_populated_places_2015" / "syr_admin4_populated_places_ocha_2015.geojson"
ACTORS = ["government", "opposition", "kurdish", "local"]
SEATS = np.array([[37.2, 36.2], [36.8, 33.6], [40.5, 36.3], [39.5, 34.0]])
SEED = 20241127
REPEAT = 3
TARGETS = {"u-a": 2.0, "u-b": 100.0}


def holders(
    rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, noise: np.ndarray
) -> np.ndarray:
    """(n, days) actor codes from the seats' drifting weights (``noise``: days x 4)."""
    dist = np.hypot(
        (lon[:, None] - SEATS[None, :, 0]) * np.cos(np.radians(35.0)),
        lat[:, None] - SEATS[None, :, 1],
    )
    weight = np.cumsum(noise, axis=0) * 0.02
    return np.argmin(dist[:, None, :] - weight[None, :, :], axis=2)


def syria(days: int, rng: np.random.Generator):
    """The OCHA units and communities, with daily holders; None without ../shared."""
    if not ADMIN3.exists() or not TOWNS.exists():
        return None
    units = gpd.read_file(ADMIN3)[["adm3_pcode", "geometry"]]
    towns = gpd.read_file(TOWNS)[["PCODE", "ADMIN3_COD", "geometry"]]
    noise = rng.normal(size=(days, len(ACTORS)))
    centre = units.geometry.representative_point()
    unit_codes = holders(rng, centre.x.to_numpy(), centre.y.to_numpy(), noise)
    town_codes = holders(rng, towns.geometry.x.to_numpy(), towns.geometry.y.to_numpy(), noise)
    stated = rng.random(len(units)) < 0.8
    return units, towns, unit_codes, town_codes, stated


def make_conflict(units, towns, unit_codes, town_codes, stated, dates) -> gc.Conflict:
    ids = np.r_[units["adm3_pcode"].to_numpy(), towns["PCODE"].to_numpy()]
    places = gc.make_places(ids, ids, np.zeros(ids.size), np.zeros(ids.size))
    places = places.set_geometry(
        np.r_[units.geometry.to_numpy(), towns.geometry.to_numpy()], crs="EPSG:4326"
    )
    places["level"] = ["admin3"] * len(units) + ["town"] * len(towns)
    frames = []
    for pids, codes in (
        (units["adm3_pcode"].to_numpy()[stated], unit_codes[stated]),
        (towns["PCODE"].to_numpy(), town_codes),
    ):
        changed = np.ones_like(codes, dtype=bool)
        changed[:, 1:] = codes[:, 1:] != codes[:, :-1]
        row, day = np.nonzero(changed)
        frames.append(
            pd.DataFrame(
                {
                    "place_id": pids[row],
                    "actor_id": np.asarray(ACTORS)[codes[row, day]],
                    "date": dates[day],
                }
            )
        )
    return gc.Conflict(places, pd.DataFrame({"actor_id": ACTORS}), pd.concat(frames))


# --------------------------------------------------------------------------- the plain way


def plain_units(
    units: gpd.GeoDataFrame, towns: gpd.GeoDataFrame, crs: str
) -> tuple[pd.Series, pd.Series]:
    """Area (km²) and frontline (km) per actor with geopandas, one date.

    ``units`` has ``actor_id`` (missing where the towns decide); ``towns`` has ``actor_id``
    and ``ADMIN3_COD``.
    """
    units, towns = units.to_crs(crs), towns.to_crs(crs)
    stated = units[units["actor_id"].notna()][["actor_id", "geometry"]]
    open_units = units[units["actor_id"].isna()].set_index("adm3_pcode")
    pieces = [stated]
    inside = towns[towns["ADMIN3_COD"].isin(open_units.index)]
    for pcode, group in inside.groupby("ADMIN3_COD"):
        unit = open_units.geometry[pcode]
        cells = gpd.GeoDataFrame(geometry=group.geometry.voronoi_polygons(extend_to=unit), crs=crs)
        cells = gpd.clip(cells, unit)
        joined = gpd.sjoin(cells, group[["actor_id", "geometry"]], predicate="contains")
        pieces.append(joined[["actor_id", "geometry"]])
    all_land = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), crs=crs)
    held = all_land.dissolve(by="actor_id")
    area = held.area / 1e6
    front = pd.Series(0.0, index=held.index)
    for a, b in itertools.combinations(held.index, 2):
        line = held.geometry[a].boundary.intersection(held.geometry[b].boundary)
        length = shapely.length(shapely.line_merge(line)) / 1000 if not line.is_empty else 0
        front[a] += length
        front[b] += length
    return area, front


def plain_inputs(units, towns, unit_codes, town_codes, stated, day):
    u = units.copy()
    u["actor_id"] = np.where(stated, np.asarray(ACTORS)[unit_codes[:, day]], None)
    t = towns.copy()
    t["actor_id"] = np.asarray(ACTORS)[town_codes[:, day]]
    return u, t


def laea(units: gpd.GeoDataFrame) -> str:
    c = shapely.centroid(shapely.union_all(units.geometry.to_numpy()))
    return f"+proj=laea +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m +no_defs"


# --------------------------------------------------------------------------- cases


def one_date(conflict, when):
    return gc.territories(conflict, when), gc.frontlines(conflict, when)


def case_a(data) -> list[tuple]:
    units, towns, unit_codes, town_codes, stated = data
    dates = pd.date_range("2024-01-01", periods=1)
    conflict = make_conflict(units, towns, unit_codes[:, :1], town_codes[:, :1], stated, dates)
    crs = laea(units)
    u, t = plain_inputs(units, towns, unit_codes, town_codes, stated, 0)
    plain_s, (area, front) = best_of(REPEAT, plain_units, u, t, crs)
    cold_s, (ours, ours_front) = best_of(
        REPEAT, one_date, conflict, dates[0], before=land._CACHE.clear
    )
    warm_s, _ = best_of(REPEAT, one_date, conflict, dates[0])
    ours_area = ours.set_index("actor_id")["area_km2"].reindex(area.index)
    diff = float((ours_area / area - 1).abs().max())
    label = f"one date, {len(units)} units + {len(towns):,} towns"
    return [
        ("u-a", label, f"plain geopandas way (best of {REPEAT})", plain_s, None),
        ("u-a", "", f"geoconflict, cold cache (best of {REPEAT})", cold_s, plain_s / cold_s),
        ("u-a", "", f"geoconflict, land cached (best of {REPEAT})", warm_s, plain_s / warm_s),
        ("u-a", "", f"agreement: area {diff:.1e} (max relative difference per actor)", None, None),
    ]


def case_b(data, days: int, sample: int) -> list[tuple]:
    units, towns, unit_codes, town_codes, stated = data
    dates = pd.date_range("2024-01-01", periods=days)
    conflict = make_conflict(units, towns, unit_codes, town_codes, stated, dates)
    crs = laea(units)
    chosen = np.linspace(0, days - 1, sample).round().astype(int)
    plain_s = sum(
        timed(plain_units, *plain_inputs(units, towns, unit_codes, town_codes, stated, day), crs)[
            0
        ]
        for day in chosen
    )
    total = plain_s * days / sample
    cold_s, summary = best_of(
        REPEAT,
        gc.control_summary,
        conflict,
        start=dates[0],
        end=dates[-1],
        before=land._CACHE.clear,
    )
    warm_s, _ = best_of(REPEAT, gc.control_summary, conflict, start=dates[0], end=dates[-1])
    assert summary["date"].nunique() == days
    return [
        (
            "u-b",
            f"{days} daily dates",
            f"plain way: {sample} dates timed ({plain_s:.1f} s) x{days / sample:g}",
            total,
            None,
        ),
        (
            "u-b",
            "",
            f"geoconflict control_summary, cold cache (best of {REPEAT})",
            cold_s,
            total / cold_s,
        ),
        (
            "u-b",
            "",
            f"geoconflict control_summary, land cached (best of {REPEAT})",
            warm_s,
            total / warm_s,
        ),
    ]


def run_case_c(n_units: int, n_points: int) -> None:
    rng = np.random.default_rng(SEED + 3)
    region = shapely.Point(38.5, 35.0).buffer(2.4, quad_segs=64)
    x0, y0, x1, y1 = region.bounds
    seeds = shapely.points(rng.uniform(x0, x1, (n_units * 2, 2)))
    seeds = seeds[shapely.contains(region, seeds)][:n_units]
    units = shapely.intersection(
        shapely.get_parts(
            shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region, ordered=True)
        ),
        region,
    )
    xy = rng.uniform([x0, y0], [x1, y1], (n_points * 2, 2))
    xy = xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])][:n_points]
    ids = np.r_[[f"u{i}" for i in range(units.size)], [f"p{i}" for i in range(len(xy))]]
    places = gc.make_places(ids, ids, np.zeros(ids.size), np.zeros(ids.size))
    places = places.set_geometry(np.r_[units, shapely.points(xy)], crs="EPSG:4326")
    stated = np.flatnonzero(rng.random(units.size) < 0.5)
    control = pd.DataFrame(
        {
            "place_id": np.r_[ids[stated], ids[units.size :]],
            "actor_id": rng.choice(ACTORS, stated.size + len(xy)),
            "date": "2024-01-01",
        }
    )
    conflict = gc.Conflict(places, pd.DataFrame({"actor_id": ACTORS}), control)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells_s, built = timed(gc.cells, conflict.places, None)
    terr_s, t = timed(gc.territories, conflict, "2024-01-01")
    front_s, f = timed(gc.frontlines, conflict, "2024-01-01")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"land ({len(built):,} pieces, {built.cell_a.size:,} shared edges)\t{cells_s}")
    print(f"territories ({len(t)} rows)\t{terr_s}")
    print(f"frontlines ({len(f)} rows)\t{front_s}")
    print(f"total\t{cells_s + terr_s + front_s}")
    print(f"peak memory {peak:,.0f} MB (process after building the data: {base:,.0f} MB)\t-")


def case_c(n_units: int, n_points: int) -> list[tuple]:
    child = subprocess.run(
        [sys.executable, __file__, "--case-c", str(n_units), str(n_points)],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in child.stdout.splitlines():
        label, seconds = line.rsplit("\t", 1)
        rows.append(
            (
                "u-c",
                f"one date, {n_units:,} units + {n_points:,} points" if not rows else "",
                label,
                float(seconds) if seconds != "-" else None,
                None,
            )
        )
    return rows


def cases(quick: bool) -> list[tuple]:
    """Every case's rows (none without ../shared/data for u-a and u-b)."""
    rng = np.random.default_rng(SEED)
    days, sample = (30, 2) if quick else (365, 3)
    data = syria(days, rng)
    rows = []
    if data is None:
        print(f"(cases u-a and u-b skipped: {ADMIN3} not found)")
    else:
        rows += case_a(data)
        rows += case_b(data, days, sample)
    rows += case_c(*((500, 10_000) if quick else (5_000, 100_000)))
    return rows


def report(rows: list[tuple], targets: dict[str, float]) -> None:
    data_w = max(len(r[1]) for r in rows)
    width = max(len(r[2]) for r in rows)
    print(f"\n{'case':<5} {'data':<{data_w}} {'method':<{width}} {'seconds':>9} {'ratio':>8}")
    for case, data, method, seconds, ratio in rows:
        sec = f"{seconds:9.3f}" if seconds is not None else " " * 9
        rat = f"{ratio:7.1f}x" if ratio is not None else ""
        print(f"{case:<5} {data:<{data_w}} {method:<{width}} {sec} {rat:>8}")
    print()
    for case, target in targets.items():
        ratios = [r[4] for r in rows if r[0] == case and r[4] is not None]
        if ratios:
            verdict = "met" if ratios[0] >= target else "NOT met"
            print(
                f"case {case}: geoconflict (cold cache) is {ratios[0]:.1f}x faster than the "
                f"plain way; target {target:g}x {verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check it runs")
    parser.add_argument("--case-c", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", gc.DataWarning)
    if args.case_c:
        run_case_c(*args.case_c)
        return
    report(cases(args.quick), TARGETS)


if __name__ == "__main__":
    main()
