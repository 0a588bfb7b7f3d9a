"""Scale limit: 500,000 places and 5,000,000 control records stay under 4 GiB peak memory.

Builds a seeded synthetic conflict, then runs the core steps one after another and reports
the peak resident memory after each: validation into a ``Conflict``, control at one date,
control at 12 monthly dates, changes of hands, periods of control, and the folder save.
Exits non-zero when the peak passes the limit.

Run: ``python benchmarks/bench_scale.py [--places N] [--records N]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc

LIMIT_MIB = 4096


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(places: int, records: int, *, seed: int = 7) -> tuple:
    rng = np.random.default_rng(seed)
    ids = np.char.add("p", np.arange(places).astype(str))
    place_table = gpd.GeoDataFrame(
        {
            "place_id": ids,
            "name": np.char.add("Town ", np.arange(places).astype(str)),
            "population": rng.integers(100, 100_000, places),
        },
        geometry=shapely.points(rng.uniform(35.7, 42.0, places), rng.uniform(32.3, 37.3, places)),
        crs="EPSG:4326",
    )
    actors = pd.DataFrame({"actor_id": ["government", "opposition", "sdf", "sna"]})
    # every place gets a first record, the rest are random later changes
    place_of = np.concatenate([np.arange(places), rng.integers(0, places, records - places)])
    day = np.concatenate([np.zeros(places, np.int64), rng.integers(1, 3650, records - places)])
    control = pd.DataFrame(
        {
            "place_id": ids[place_of],
            "actor_id": np.array(["government", "opposition", "sdf", "sna"])[
                rng.integers(0, 4, records)
            ],
            "date": pd.Timestamp("2015-01-01") + pd.to_timedelta(day, unit="D"),
        }
    ).drop_duplicates(["place_id", "date"])
    return place_table, actors, control


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=500_000)
    parser.add_argument("--records", type=int, default=5_000_000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    places, actors, control = synthetic(args.places, args.records)
    print(
        f"synthetic data: {len(places):,} places, {len(control):,} control records "
        f"({time.perf_counter() - t0:.1f} s, peak {peak_mib():,.0f} MiB)"
    )
    steps = []

    def step(name, func):
        start = time.perf_counter()
        result = func()
        steps.append((name, time.perf_counter() - start, peak_mib()))
        return result

    tables = {"places": places, "actors": actors, "control": control}
    del places, control
    conflict = step("validate into a Conflict", lambda: gc.Conflict(**tables))
    tables.clear()
    step("control_at, one date", lambda: conflict.control_at("2020-06-01"))
    step(
        "control_at, 12 monthly dates",
        lambda: gc.control_at(
            conflict.control, pd.date_range("2020-01-01", periods=12, freq="MS")
        ),
    )
    step("control_changes", lambda: gc.control_changes(conflict.control))
    step("control_periods", lambda: gc.control_periods(conflict.control))
    with tempfile.TemporaryDirectory() as tmp:
        step("save folder format", lambda: conflict.save(f"{tmp}/big"))

    print(f"{'step':<32}{'seconds':>9}{'peak MiB':>10}")
    for name, seconds, peak in steps:
        print(f"{name:<32}{seconds:>9.1f}{peak:>10,.0f}")
    worst = max(peak for *_, peak in steps)
    verdict = "within" if worst < LIMIT_MIB else "OVER"
    print(f"peak memory {worst:,.0f} MiB: {verdict} the {LIMIT_MIB:,} MiB limit")
    return 0 if worst < LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
