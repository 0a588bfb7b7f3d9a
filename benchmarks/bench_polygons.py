"""control_from_polygons: dated control polygons to records for places.

Two inputs, each compared in the same run with the plain GeoPandas way a user would write
(for each date: ``geopandas.sjoin`` of the points with that date's polygons; for polygon places
``geopandas.overlay`` and the area share per place; then the records where a place's holder
changes):

1. DeepStateMap, 37 monthly snapshots x 838 places (316 towns, 27 oblasts, 495 raions), from
   ../shared (skipped when absent). Goal: under 2 s.
2. A VIINA-sized synthetic input: 1,000 daily snapshots x 30,000 point places (a front that
   moves a little every day, an occupied zone of about 400 vertices and a grey strip), seeded.

Each measurement runs in a fresh process, so that its peak memory (``ru_maxrss``) is its own;
wall and CPU time (``time.process_time``) are both given, since on a shared machine the wall
time says as much about the other work as about this one.
Both answers are checked to agree (the plain way resolves no overlaps, so the synthetic input
has none where points lie).

Run: ``python benchmarks/bench_polygons.py [--days N] [--points N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
UKRAINE = ROOT / ".." / "shared" / "data" / "ukraine_2022_2025"


def synthetic(days: int, points: int, *, seed: int = 20220224):
    """Seeded point places and daily snapshots: an occupied zone east of a wavy front that
    moves west by up to 0.5 km a day, and a grey strip 2-5 km wide along it."""
    import geoconflict as gc

    rng = np.random.default_rng(seed)
    lon = rng.uniform(30.0, 40.0, points)
    lat = rng.uniform(46.0, 52.0, points)
    ids = [f"v{i:05d}" for i in range(points)]
    places = gc.make_places(ids, ids, lon, lat)
    y = np.linspace(46.0, 52.0, 200)
    wave = 0.3 * np.sin(y * 3.1) + 0.1 * np.sin(y * 11.0)
    rows = []
    start = pd.Timestamp("2022-03-01")
    front = 37.5
    for day in range(days):
        front -= rng.uniform(0.0, 0.006)
        x = front + wave + 0.02 * np.sin(y * 7.0 + day / 9.0)
        width = 0.03 + 0.03 * rng.random()
        occupied = shapely.Polygon(
            np.r_[np.c_[x + width, y], [[41.0, 52.0], [41.0, 46.0]]].tolist()
        )
        grey = shapely.Polygon(np.r_[np.c_[x, y], np.c_[x + width, y][::-1]].tolist())
        when = start + pd.Timedelta(days=day)
        rows += [(when, "russia", occupied), (when, "unknown", grey)]
    snaps = gpd.GeoDataFrame(
        {"date": [r[0] for r in rows], "actor_id": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs=4326,
    )
    return places, snaps


def ukraine():
    sys.path.insert(0, str(ROOT / "tests"))
    from test_ukraine_end_to_end import SIMPLEMAPS

    import geoconflict as gc

    towns = gc.read_places(
        UKRAINE / "towns" / "worldcities_simplemaps_basic.csv",
        names=SIMPLEMAPS,
        id="id",
        name="city_ascii",
        x="lng",
        y="lat",
    )
    towns = towns[towns["country"] == "Ukraine"]
    oblasts = gc.places_from_admin(
        UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson",
        id="shapeISO",
        name="shapeName",
    )
    raions = gc.places_from_admin(
        UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM2_simplified.geojson"
    )
    places = pd.concat([towns, oblasts, raions])
    snaps = gc.read_control_polygons(UKRAINE / "deepstate")
    words = snaps["name"].fillna("").str.lower()
    snaps["actor_id"] = np.select(
        [
            words.str.contains("невідом|unknown|contest|contens|під питанням"),
            words.str.contains("звільн|liberated|taken back|dismissed|recaptured"),
            words.str.contains("окупов|occupied|occupation|зайнят|cadr|ordlo|орд|crimea|tuzla"),
        ],
        ["unknown", "ukraine", "russia"],
        None,
    )
    snaps = snaps[snaps["actor_id"].notna() & snaps.geom_type.isin(["Polygon", "MultiPolygon"])]
    return places, snaps[["date", "actor_id", "geometry"]].reset_index(drop=True)


def library(places, snaps, outside):
    import geoconflict as gc

    control, _ = gc.control_from_polygons(places, snaps, outside=outside)
    return control


def plain(places, snaps, outside):
    """The plain GeoPandas way: per date, a spatial join (points) and an overlay (polygons)."""
    snaps = gpd.GeoDataFrame(snaps, geometry=shapely.make_valid(snaps.geometry.values), crs=4326)
    points = places[places.geom_type == "Point"]
    areas = places[places.geom_type != "Point"].to_crs("+proj=laea +lat_0=49 +lon_0=32")
    records = []
    for when, day in snaps.groupby("date"):
        joined = gpd.sjoin(points, day, predicate="within", how="left")
        holder = joined["actor_id"].groupby(level=0).first().fillna(outside)
        records.append(pd.DataFrame({"place_id": holder.index, "date": when, "actor_id": holder}))
        if len(areas):
            cut = gpd.overlay(
                areas.reset_index()[["place_id", "geometry"]],
                day.to_crs(areas.crs)[["actor_id", "geometry"]],
                how="intersection",
                keep_geom_type=True,
            )
            share = cut.area.groupby([cut["place_id"], cut["actor_id"]]).sum()
            share = share / areas.area.reindex(share.index.get_level_values(0)).to_numpy()
            top = share.sort_values().groupby(level=0).tail(1)
            holder = pd.Series(outside, index=areas.index)
            big = top[top >= 0.5]
            holder[big.index.get_level_values(0)] = big.index.get_level_values(1)
            records.append(
                pd.DataFrame({"place_id": holder.index, "date": when, "actor_id": holder})
            )
    table = pd.concat(records, ignore_index=True).sort_values(["place_id", "date"])
    changed = table["actor_id"] != table.groupby("place_id")["actor_id"].shift()
    return table[changed.to_numpy()]


def _measure(kind: str, way: str, days: int, points: int, repeat: int) -> dict:
    places, snaps = ukraine() if kind == "ukraine" else synthetic(days, points)
    outside = "ukraine"
    func = library if way == "library" else plain
    best = cpu = float("inf")
    out = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = func(places, snaps, outside)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    points_only = out[out["place_id"].isin(places.index[places.geom_type == "Point"])]
    key = points_only[["place_id", "date", "actor_id"]].astype(str)
    key = key.sort_values(["place_id", "date"]).values.tolist()
    return {
        "seconds": best,
        "cpu_seconds": cpu,
        "peak_mb": peak_mb,
        "records": len(out),
        "point_records": key,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--points", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, way = args.one
        repeat = args.repeat if kind == "ukraine" else 1
        print(json.dumps(_measure(kind, way, args.days, args.points, repeat)))
        return
    kinds = (["ukraine"] if UKRAINE.exists() else []) + ["synthetic"]
    for kind in kinds:
        results = {}
        for way in ("library", "plain"):
            command = [sys.executable, __file__, "--one", kind, way]
            command += ["--days", str(args.days), "--points", str(args.points)]
            command += ["--repeat", str(args.repeat)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            results[way] = json.loads(done.stdout.strip().splitlines()[-1])
        lib, ref = results["library"], results["plain"]
        same = lib["point_records"] == ref["point_records"]
        label = (
            "DeepStateMap 37 snapshots x 838 places"
            if kind == "ukraine"
            else f"synthetic {args.days} daily snapshots x {args.points:,} points"
        )
        print(
            f"{label}: control_from_polygons {lib['seconds']:.2f} s wall, "
            f"{lib['cpu_seconds']:.2f} s CPU (peak {lib['peak_mb']:.0f} MB); plain geopandas "
            f"{ref['seconds']:.2f} s wall, {ref['cpu_seconds']:.2f} s CPU (peak "
            f"{ref['peak_mb']:.0f} MB): {ref['seconds'] / lib['seconds']:.1f}x wall, "
            f"{ref['cpu_seconds'] / lib['cpu_seconds']:.1f}x CPU; {lib['records']:,} records; "
            f"point records {'agree' if same else 'DIFFER'}"
        )
        if not same:
            raise SystemExit(f"{label}: the point records differ from the plain way's")


if __name__ == "__main__":
    main()
