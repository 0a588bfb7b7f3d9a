"""GeoJSON export of 1,000,000 place features: geoconflict.to_geojson vs pyogrio (GDAL).

Both write the same table (a places layer at a date: id, names in Latin and Arabic script,
population with gaps, admin area, controller, status, date since) to a GeoJSON file, in the
same run. The goal is a ratio ours / pyogrio of at most 1.5. Both files are then read back
with pyogrio to check they hold the same features.

Run: ``python benchmarks/bench_io.py [--features N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geoconflict.io.geojson import to_geojson


def synthetic_places(n: int, *, seed: int = 20241127) -> gpd.GeoDataFrame:
    """Seeded places over Syria's extent, as ``export_layers`` gives them."""
    rng = np.random.default_rng(seed)
    ids = pd.Series(np.arange(n)).map("p{:07d}".format)
    population = rng.integers(100, 2_000_000, n).astype(float)
    population[rng.random(n) < 0.1] = np.nan
    admin = np.array(["Aleppo", "Idleb", "Hama", "Homs", "Dar'a", "Ar-Raqqa"])
    actors = np.array(["government", "hts", "sna", "sdf"])
    frame = gpd.GeoDataFrame(
        {
            "place_id": ids.astype("string"),
            "name": ("Town " + ids.str[1:]).astype("string"),
            "name_ar": pd.Series(np.full(n, "بلدة"), dtype="string"),
            "population": population,
            "admin1": pd.Series(admin[rng.integers(0, admin.size, n)], dtype="string"),
            "actor_id": pd.Series(actors[rng.integers(0, actors.size, n)], dtype="string"),
            "status": pd.Series(np.full(n, "held"), dtype="string"),
            "since": pd.Timestamp("2024-11-26")
            + pd.to_timedelta(rng.integers(0, 14, n), unit="D"),
        },
        geometry=shapely.points(
            np.round(rng.uniform(35.7, 42.4, n), 6), np.round(rng.uniform(32.3, 37.3, n), 6)
        ),
        crs="EPSG:4326",
    )
    return frame.set_index("place_id")


def best_of(repeat: int, write) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        write()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best counts")
    args = parser.parse_args()

    places = synthetic_places(args.features)
    flat = places.reset_index()  # GDAL writes no index: give it the id as a column
    print(f"{len(places):,} place features, {len(flat.columns) - 1} properties each")
    with tempfile.TemporaryDirectory() as folder:
        ours_path = Path(folder) / "ours.geojson"
        gdal_path = Path(folder) / "pyogrio.geojson"
        t_gdal = best_of(
            args.repeat, lambda: pyogrio.write_dataframe(flat, gdal_path, driver="GeoJSON")
        )
        t_ours = best_of(args.repeat, lambda: to_geojson(places, ours_path))
        size_ours = ours_path.stat().st_size / 2**20
        size_gdal = gdal_path.stat().st_size / 2**20
        print(f"pyogrio.write_dataframe(driver='GeoJSON'): {t_gdal:7.2f} s  {size_gdal:6.0f} MiB")
        print(f"geoconflict to_geojson:                    {t_ours:7.2f} s  {size_ours:6.0f} MiB")
        ratio = t_ours / t_gdal
        print(
            f"ratio ours / pyogrio: {ratio:.2f} (goal <= 1.5: "
            f"{'met' if ratio <= 1.5 else 'NOT met'})"
        )
        info_ours = pyogrio.read_info(ours_path)
        info_gdal = pyogrio.read_info(gdal_path)
        assert info_ours["features"] == info_gdal["features"] == len(places)
        assert list(info_ours["fields"]) == list(info_gdal["fields"])
        print(
            f"check: both files read by GDAL with {info_ours['features']:,} features and "
            f"fields {list(info_ours['fields'])}"
        )


if __name__ == "__main__":
    main()
