"""The research functions: geoconflict against the plain geopandas way, same run.

Run from the repository root::

    python benchmarks/bench_research.py            # the full cases (several minutes)
    python benchmarks/bench_research.py --quick    # small sizes, to check that it runs

Data: the synthetic conflict of ``bench_territory.py`` (places uniform in a country-sized
irregular polygon, four actors whose land drifts so that about 1% of the places change
hands per day), and events uniform in it, one date each.

Cases, each in a child process so that its peak memory is its own:

r-e. ``event_context``: 1,000,000 events over 365 daily dates, 20,000 places, from a cold
     cache (the cells built in the run). The plain way is what one writes with geopandas
     for each date: the day's ``territories`` and ``frontlines``, both and the day's events
     ``to_crs`` an equal-area projection, ``sjoin`` of the events to the territories and
     ``sjoin_nearest`` to the frontlines (distance column); timed on 5 dates and
     extrapolated to 365. The answers are compared on those dates (holders, distances).
     One more call, profiled, shows where a call with the cells cached spends its time:
     the search of the nearest front, the search of each event's cell, and the rest
     (checking the events, projecting them, the holders of the dates, the nearest town,
     the geodesic distances, the table).
r-p. ``control_panel`` weekly over 10 years (3,653 days) for 20,000 places with about
     700,000 control records (36 per place, at random days). No plain way is timed: the
     goal is an absolute one.
r-x. ``front_exposure`` daily over a year (365 dates) for 20,000 places, and for 2,000,
     the cells built beforehand (not timed). The plain way, for each date: the day's
     ``territories`` and ``frontlines``, the towns' side by ``sjoin`` and their distance to
     the front by ``sjoin_nearest`` (up to 50 km), counts by side; timed on 5 dates and
     extrapolated to 365. Its distances are planar in the projection where ours are
     geodesic, so a few towns near a distance's edge may count differently (the
     agreement row: the share of the plain way's counts that differ).
r-u. ``event_context`` as r-e on a real war, when ``../shared/data`` holds it: the war in
     Ukraine as ``tests/ukraine_conflict.py`` builds it (raions and towns, their records
     from the monthly DeepStateMap snapshots), 1,000,000 events uniform over its land on
     the 366 days of 2024; the same plain way, on 5 dates. No goal of its own: it shows the
     measure where the land is polygons and changes monthly, not daily. (The benchmark
     reads ../shared in place, as the tests do; nothing of it is written.)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

import geoconflict as gc
from geoconflict.territory import _cells

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_maps as maps_bench  # the war in Ukraine, beside this file
import bench_territory as territory_bench  # the synthetic conflict, beside this file
from _timing import timed

SEED = 20241206
TARGETS = {"r-e": (30.0, 20.0), "r-p": (10.0, None), "r-x": (10.0, None)}
#: The war in Ukraine (r-u), when ../shared holds it.
UKRAINE = maps_bench.SHARED / "ukraine_2022_2025" / "deepstate"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def events_in(conflict: gc.Conflict, dates: pd.DatetimeIndex, n: int, rng) -> gpd.GeoDataFrame:
    lon, lat = territory_bench.random_points(rng, conflict.boundary.geometry.iloc[0], n)
    return gpd.GeoDataFrame(
        {"date": dates[rng.integers(0, dates.size, n)]},
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )


def plain_events(conflict: gc.Conflict, events: gpd.GeoDataFrame, day, crs: str):
    """One date the plain way: the day's land and fronts, sjoin and sjoin_nearest."""
    land = gc.territories(conflict, day)[["actor_id", "geometry"]].to_crs(crs)
    front = gc.frontlines(conflict, day)[["actor_a", "actor_b", "geometry"]].to_crs(crs)
    mine = events[events["date"] == day].to_crs(crs)
    held = gpd.sjoin(mine, land, how="left", predicate="within")
    held = held[~held.index.duplicated()]
    near = gpd.sjoin_nearest(mine, front, how="left", distance_col="front_m")
    near = near[~near.index.duplicated()]
    return held["actor_id"], near["front_m"] / 1000


def parts(conflict: gc.Conflict, events: gpd.GeoDataFrame) -> dict:
    """Seconds of one profiled ``event_context`` call (cells cached) in its two searches
    (cumulative, by the functions' names) and in the rest."""
    profile = cProfile.Profile()
    profile.enable()
    gc.event_context(events, conflict)
    profile.disable()
    cumulative: dict[str, float] = {}
    for (path, _, name), (*_, seconds, _callers) in pstats.Stats(profile).stats.items():
        if "geoconflict" in path:
            cumulative[name] = cumulative.get(name, 0.0) + seconds
    total = cumulative["event_context"]
    front, cell = cumulative.get("_fronts", 0.0), cumulative.get("locate", 0.0)
    return {"total": total, "front": front, "cell": cell, "rest": total - front - cell}


def measure_events(
    conflict: gc.Conflict, events: gpd.GeoDataFrame, dates: pd.DatetimeIndex, sample: int
) -> dict:
    """``event_context`` from a cold cache and again, and the plain way on ``sample`` of
    ``dates`` (extrapolated to all), with the agreement of the answers on those dates."""
    before = peak_mib()
    _cells._CACHE.clear()
    ours_s, out = timed(gc.event_context, events, conflict)
    ours_peak = peak_mib()
    warm_s, _ = timed(gc.event_context, events, conflict)
    split = parts(conflict, events)
    crs = territory_bench.equal_area_crs(conflict)
    chosen = dates[np.linspace(0, dates.size - 1, sample).round().astype(int)]
    plain_s, agree, rel = 0.0, [], []
    for day in chosen:
        seconds, (holder, km) = timed(plain_events, conflict, events, day, crs)
        plain_s += seconds
        ours = out.loc[holder.index]
        agree.append(
            float((ours["holder"].to_numpy() == holder.fillna("unknown").to_numpy()).mean())
        )
        both = km.notna().to_numpy() & ours["front_km"].notna().to_numpy() & (km.to_numpy() > 1)
        rel.append(
            float(np.abs(ours["front_km"].to_numpy()[both] / km.to_numpy()[both] - 1).max())
        )
    return {
        "ours_s": ours_s,
        "warm_s": warm_s,
        "plain_s": plain_s * dates.size / sample,
        "plain_sample_s": plain_s,
        "sample": sample,
        "holders_agree": min(agree),
        "km_rel_diff": max(rel),
        "peak_mib": ours_peak,
        "before_mib": before,
        "parts": split,
    }


def case_events(n_places: int, n_events: int, days: int, sample: int) -> dict:
    rng = np.random.default_rng(SEED)
    conflict, _, dates = territory_bench.make_conflict(rng, n_places, days)
    events = events_in(conflict, dates, n_events, rng)
    return {
        "data": f"{n_events:,} events, {days} daily dates, {n_places:,} places",
        **measure_events(conflict, events, dates, sample),
    }


def case_ukraine(n_events: int, sample: int) -> dict:
    """r-u: the same measure on a real war, as ``tests/ukraine_conflict.py`` builds it."""
    conflict, _ = maps_bench.ukraine_conflict()  # the tests' builder, from ../shared
    rng = np.random.default_rng(SEED + 3)
    dates = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    events = events_in(conflict, dates, n_events, rng)
    polygons = int((conflict.places.geom_type != "Point").sum())
    return {
        "data": f"{n_events:,} events, the {dates.size} days of 2024, Ukraine "
        f"({len(conflict.places)} places, {polygons} of them units)",
        **measure_events(conflict, events, dates, sample),
    }


def case_panel(n_places: int, years: int) -> dict:
    rng = np.random.default_rng(SEED + 1)
    days = pd.date_range("2015-01-01", periods=365 * years + years // 4, freq="D")
    ids = np.char.add("p", np.arange(n_places).astype(str))
    per_place = 36
    place = np.repeat(np.arange(n_places), per_place)
    day = rng.integers(0, days.size, place.size)
    day[::per_place] = 0
    actors = np.array(territory_bench.ACTORS)
    control = pd.DataFrame(
        {
            "place_id": ids[place],
            "actor_id": actors[rng.integers(0, actors.size, place.size)],
            "date": days[day],
        }
    ).drop_duplicates(["place_id", "date"])
    lon, lat = rng.uniform(36, 40, n_places), rng.uniform(33, 37, n_places)
    conflict = gc.Conflict(
        gc.make_places(ids, ids, lon, lat), pd.DataFrame({"actor_id": actors}), control
    )
    before = peak_mib()
    seconds, panel = timed(gc.control_panel, conflict, freq="W")
    held = panel.filter(like="days_").sum(axis=1)
    assert (held == panel["days"]).all()
    return {
        "data": f"{n_places:,} places x {panel['period'].nunique()} weeks "
        f"({days.size:,} days, {len(control):,} records)",
        "ours_s": seconds,
        "rows": len(panel),
        "peak_mib": peak_mib(),
        "before_mib": before,
    }


def plain_exposure(conflict: gc.Conflict, towns: gpd.GeoDataFrame, day, crs: str, bands):
    """One date the plain way: the day's land and fronts, each town's side (sjoin) and
    distance to the front (sjoin_nearest, up to the largest distance), counts by side."""
    land = gc.territories(conflict, day)[["actor_id", "geometry"]].to_crs(crs)
    front = gc.frontlines(conflict, day)[["geometry"]].to_crs(crs)
    side = gpd.sjoin(towns, land, how="left", predicate="within")
    side = side[~side.index.duplicated()]["actor_id"].fillna("unknown")
    near = gpd.sjoin_nearest(
        towns, front, how="left", max_distance=max(bands) * 1000, distance_col="front_m"
    )
    km = near[~near.index.duplicated()]["front_m"] / 1000
    return {d: (km <= d).groupby(side).sum() for d in bands}


def case_exposure(n_places: int, days: int, sample: int) -> dict:
    rng = np.random.default_rng(SEED + 2)
    conflict, _, dates = territory_bench.make_conflict(rng, n_places, days)
    gc.cells(conflict.places, conflict.boundary)  # the cells are built once; not timed here
    before = peak_mib()
    seconds, table = timed(gc.front_exposure, conflict)
    ours_peak = peak_mib()
    crs = territory_bench.equal_area_crs(conflict)
    towns = conflict.places[["geometry"]].to_crs(crs)
    bands = (5.0, 15.0, 50.0)
    chosen = dates[np.linspace(0, days - 1, sample).round().astype(int)]
    plain_s, diff = 0.0, 0.0
    for day in chosen:
        took, counts = timed(plain_exposure, conflict, towns, day, crs, bands)
        plain_s += took
        mine = table[table["date"] == day].set_index(["within_km", "side"])["places"]
        for d in bands:
            theirs = counts[d]
            ours = mine.loc[d].reindex(theirs.index, fill_value=0)
            diff = max(diff, float((ours - theirs).abs().sum() / max(theirs.sum(), 1)))
    return {
        "data": f"{days} daily dates, {n_places:,} places",
        "ours_s": seconds,
        "plain_s": plain_s * days / sample,
        "plain_sample_s": plain_s,
        "sample": sample,
        "places_diff": diff,
        "rows": len(table),
        "peak_mib": ours_peak,
        "before_mib": before,
    }


def event_rows(case: str, e: dict) -> list[tuple]:
    """The table's rows of one ``event_context`` case."""
    plain = f"plain: {e['sample']} dates timed ({e['plain_sample_s']:.1f} s), extrapolated"
    agreement = (
        f"agreement: holders {e['holders_agree']:.4f}, km {e['km_rel_diff']:.1e} (max rel.)"
    )
    return [
        (case, e["data"], plain, e["plain_s"], None, None),
        (
            case,
            "",
            "geoconflict.event_context, cold cache",
            e["ours_s"],
            e["plain_s"] / e["ours_s"],
            e["peak_mib"],
        ),
        (
            case,
            "",
            "geoconflict.event_context, cells cached",
            e["warm_s"],
            e["plain_s"] / e["warm_s"],
            None,
        ),
        (case, "", agreement, None, None, None),
        (
            case,
            "",
            f"profiled, cells cached: nearest front {e['parts']['front']:.2f} s, "
            f"each event's cell {e['parts']['cell']:.2f} s, the rest",
            e["parts"]["rest"],
            None,
            None,
        ),
    ]


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def child(case: str, args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check it runs")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", gc.DataWarning)
    if args.child:
        case, *rest = args.child
        numbers = [int(x) for x in rest]
        run = {"e": case_events, "p": case_panel, "x": case_exposure, "u": case_ukraine}[case]
        print(json.dumps(run(*numbers)))
        return
    sizes = (
        {"e": [2_000, 20_000, 30, 3], "p": [2_000, 1], "x": [[1_000, 30, 3]], "u": [20_000, 2]}
        if args.quick
        else {
            "e": [20_000, 1_000_000, 365, 5],
            "p": [20_000, 10],
            "x": [[20_000, 365, 5], [2_000, 365, 5]],
            "u": [1_000_000, 5],
        }
    )
    print(
        f"geoconflict {gc.__version__}, geopandas {gpd.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj "
        f"{pyproj.__version__}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    started = time.perf_counter()
    e = child("e", list(map(str, sizes["e"])))
    p = child("p", list(map(str, sizes["p"])))
    xs = [child("x", list(map(str, s))) for s in sizes["x"]]
    u = child("u", list(map(str, sizes["u"]))) if UKRAINE.is_dir() else None
    rows = [
        *event_rows("r-e", e),
        (
            "r-p",
            p["data"],
            "geoconflict.control_panel(freq='W')",
            p["ours_s"],
            None,
            p["peak_mib"],
        ),
    ]
    for x in xs:
        rows += [
            (
                "r-x",
                x["data"],
                f"plain: {x['sample']} dates timed ({x['plain_sample_s']:.1f} s), extrapolated",
                x["plain_s"],
                None,
                None,
            ),
            (
                "r-x",
                "",
                "geoconflict.front_exposure (5, 15, 50 km)",
                x["ours_s"],
                x["plain_s"] / x["ours_s"],
                x["peak_mib"],
            ),
            (
                "r-x",
                "",
                f"agreement: town counts differ by {x['places_diff']:.1e} (share)",
                None,
                None,
                None,
            ),
        ]
    if u is not None:
        rows += event_rows("r-u", u)
    width = max(len(r[1]) for r in rows)
    method = max(len(r[2]) for r in rows)
    head = f"{'case':<5} {'data':<{width}} {'method':<{method}} {'seconds':>9} {'ratio':>8}"
    print(f"\n{head} {'peak MiB':>9}")
    for case, data, how, seconds, ratio, peak in rows:
        sec = f"{seconds:9.2f}" if seconds is not None else " " * 9
        rat = f"{ratio:7.1f}x" if ratio is not None else ""
        mem = f"{peak:9,.0f}" if peak is not None else ""
        print(f"{case:<5} {data:<{width}} {how:<{method}} {sec} {rat:>8} {mem:>9}")
    total = time.perf_counter() - started
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}; {total:.0f} s in all")
    goal_s, goal_ratio = TARGETS["r-e"]
    ratio = e["plain_s"] / e["ours_s"]
    print(
        f"r-e: {e['ours_s']:.1f} s (goal under {goal_s:g} s: {verdict(e['ours_s'] < goal_s)}), "
        f"{ratio:.1f}x the plain way (goal {goal_ratio:g}x: {verdict(ratio >= goal_ratio)}); "
        f"{goal_ratio:g}x needs under {e['plain_s'] / goal_ratio:.2f} s, and the parts other "
        f"than the two searches took {e['parts']['rest']:.2f} s (profiled)"
    )
    print(
        f"r-p: {p['ours_s']:.1f} s (goal under 10 s: {'met' if p['ours_s'] < 10 else 'NOT met'})"
    )
    for x in xs:
        print(
            f"r-x {x['data']}: {x['ours_s']:.1f} s (goal under 10 s: "
            f"{verdict(x['ours_s'] < 10)}), {x['plain_s'] / x['ours_s']:.1f}x the plain way"
        )
    if u is not None:
        print(f"r-u: {u['ours_s']:.1f} s, {u['plain_s'] / u['ours_s']:.1f}x the plain way")
    else:
        print(f"r-u skipped: {UKRAINE} not found")
    print("peak MiB: the child process's maximum resident size, data generation included")


if __name__ == "__main__":
    main()
