"""Territories and frontlines: geoconflict against the plain geopandas chain, same run.

Run from the repository root::

    python benchmarks/bench_territory.py            # the full benchmark (a few minutes)
    python benchmarks/bench_territory.py --quick    # small sizes, to check that it runs

The plain chain is what one writes with geopandas alone, for every date: Voronoi cells of
the places (``GeoSeries.voronoi_polygons``) -> ``clip`` to the boundary -> ``sjoin`` to
the places' controllers -> ``dissolve`` by actor -> area, and the intersection of every
two territories' boundaries for the frontlines. It works in the same equal-area projection
as geoconflict, so both give the same areas (checked below).

Synthetic data, seeded: places uniform in a country-sized irregular polygon; four actors
whose territories are additively weighted Voronoi regions of four seats, with weights
drifting so that about 1% of the places change hands per day.

Cases:

a. one date, 20,000 places: territories + frontlines, geoconflict from a cold cache;
b. area and frontline length per actor for 365 daily dates, 10,000 places:
   ``control_summary`` (cold cache) against the plain chain timed on 5 of the dates and
   extrapolated x73;
c. 500,000 places at one date: cells, territories and frontlines, with time and peak
   memory (run in a child process so the peak is its own);
d. the first build: one date, 20,000 places, territories + frontlines from a cold cache
   against the plain shapely way (project, ordered ``voronoi_polygons``, clip only the cells
   that cross the boundary, ``coverage_union_all`` per actor, shared-edge frontlines);
u-a, u-b, u-c. polygon places (sub-districts and communities): see ``bench_units.py``.
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
import pyproj
import shapely

import geoconflict as gc
from geoconflict.territory import _cells as land

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_units  # the polygon cases, beside this file
from _timing import best_of, timed

SEED = 20241206
ACTORS = ["government", "opposition", "kurdish", "local"]
CENTRE = (38.5, 35.0)
TARGETS = {"a": 3.0, "b": 100.0}
D_TARGET = 1 / 1.2  # the cold build within 1.2x of the plain shapely way
REPEAT = 3


# --------------------------------------------------------------------------- data


def country(rng: np.random.Generator) -> shapely.Polygon:
    """An irregular polygon about 500 km across, with 720 vertices."""
    theta = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    wobble = sum(
        rng.uniform(0.03, 0.08) * np.sin(k * theta + rng.uniform(0, 6.3)) for k in (2, 3, 5, 9, 17)
    )
    radius = 2.4 * (1 + wobble)
    lon = CENTRE[0] + radius * np.cos(theta) / np.cos(np.radians(CENTRE[1]))
    lat = CENTRE[1] + radius * np.sin(theta)
    return shapely.make_valid(shapely.Polygon(np.column_stack([lon, lat])))


def random_points(
    rng: np.random.Generator, polygon: shapely.Polygon, n: int
) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = polygon.bounds
    shapely.prepare(polygon)
    lon, lat = np.empty(0), np.empty(0)
    while lon.size < n:
        x, y = rng.uniform(x0, x1, 2 * n), rng.uniform(y0, y1, 2 * n)
        inside = shapely.contains_xy(polygon, x, y)
        lon, lat = np.append(lon, x[inside]), np.append(lat, y[inside])
    return lon[:n], lat[:n]


def holders(
    rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, days: int, turnover: float = 0.01
) -> np.ndarray:
    """(n_places, days) actor codes: weighted-Voronoi regions with drifting weights."""
    seats = np.array([[37.2, 36.2], [36.8, 33.6], [40.5, 36.3], [39.5, 34.0]])
    dist = np.hypot(
        (lon[:, None] - seats[None, :, 0]) * np.cos(np.radians(CENTRE[1])),
        lat[:, None] - seats[None, :, 1],
    )  # (n, 4)
    noise = rng.normal(size=(days, len(ACTORS)))

    def simulate(step: float) -> np.ndarray:
        weight = np.zeros((days, len(ACTORS)))
        for day in range(1, days):  # a loop over days of a 4-vector: data generation only
            weight[day] = 0.99 * weight[day - 1] + step * noise[day]
        return np.argmin(dist[:, None, :] - weight[None, :, :], axis=2)

    step = 0.01
    for _ in range(6):  # scale the drift until about `turnover` of places change per day
        codes = simulate(step)
        rate = (codes[:, 1:] != codes[:, :-1]).mean() if days > 1 else turnover
        step *= turnover / max(rate, 1e-9)
    return simulate(step)


def make_conflict(
    rng: np.random.Generator, n: int, days: int
) -> tuple[gc.Conflict, np.ndarray, pd.DatetimeIndex]:
    polygon = country(rng)
    lon, lat = random_points(rng, polygon, n)
    codes = holders(rng, lon, lat, days)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")
    ids = np.char.add("p", np.arange(n).astype(str))
    changed = np.ones_like(codes, dtype=bool)
    changed[:, 1:] = codes[:, 1:] != codes[:, :-1]
    place, day = np.nonzero(changed)
    control = pd.DataFrame(
        {
            "place_id": ids[place],
            "actor_id": np.asarray(ACTORS)[codes[place, day]],
            "date": dates[day],
        }
    )
    places = gc.make_places(ids, ids, lon, lat, population=rng.integers(100, 50_000, n))
    conflict = gc.Conflict(places, pd.DataFrame({"actor_id": ACTORS}), control, boundary=polygon)
    return conflict, codes, dates


# --------------------------------------------------------------------------- the plain chain


def equal_area_crs(conflict: gc.Conflict) -> str:
    c = conflict.boundary.geometry.iloc[0].centroid
    return f"+proj=laea +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m +no_defs"


def plain_chain(
    points: gpd.GeoDataFrame, boundary: gpd.GeoDataFrame
) -> tuple[pd.Series, pd.Series]:
    """Area (km²) and frontline length (km) per actor with geopandas alone, one date.

    ``points`` and ``boundary`` are already in an equal-area projection (metres).
    """
    cells = gpd.GeoDataFrame(
        geometry=points.geometry.voronoi_polygons(extend_to=boundary.geometry.iloc[0]),
        crs=points.crs,
    )
    cells = gpd.clip(cells, boundary)
    joined = gpd.sjoin(cells, points[["actor_id", "geometry"]], predicate="contains")
    land = joined[["actor_id", "geometry"]].dissolve(by="actor_id")
    area = land.area / 1e6
    front = pd.Series(0.0, index=land.index)
    for a, b in itertools.combinations(land.index, 2):
        line = land.geometry[a].boundary.intersection(land.geometry[b].boundary)
        length = shapely.length(shapely.line_merge(line)) / 1000 if not line.is_empty else 0
        front[a] += length
        front[b] += length
    return area, front


def points_at(conflict: gc.Conflict, codes: np.ndarray, day: int, crs: str) -> gpd.GeoDataFrame:
    points = conflict.places[["geometry"]].copy()
    points["actor_id"] = np.asarray(ACTORS)[codes[:, day]]
    return points.to_crs(crs)


# --------------------------------------------------------------------------- cases


def ours_one_date(conflict: gc.Conflict, when: object):
    t = gc.territories(conflict, when)
    f = gc.frontlines(conflict, when)
    return t, f


def case_a(n: int, rng: np.random.Generator) -> list[tuple]:
    conflict, codes, dates = make_conflict(rng, n, 1)
    crs = equal_area_crs(conflict)
    boundary = conflict.boundary.to_crs(crs)
    points = points_at(conflict, codes, 0, crs)
    plain_s, (plain_area, plain_front) = best_of(REPEAT, plain_chain, points, boundary)
    cold_s, (t, f) = best_of(REPEAT, ours_one_date, conflict, dates[0], before=land._CACHE.clear)
    warm_s, _ = best_of(REPEAT, ours_one_date, conflict, dates[0])
    ours_area = t.set_index("actor_id").area_km2.reindex(plain_area.index)
    ours_front = (
        pd.concat([f.groupby("actor_a").length_km.sum(), f.groupby("actor_b").length_km.sum()])
        .groupby(level=0)
        .sum()
    )
    ours_front = ours_front.reindex(plain_front.index, fill_value=0)
    area_diff = float((ours_area / plain_area - 1).abs().max())
    front_diff = float((ours_front / plain_front - 1).abs().max())
    return [
        (
            "a",
            f"one date, {n:,} places",
            f"plain geopandas chain (best of {REPEAT})",
            plain_s,
            None,
        ),
        (
            "a",
            "",
            f"geoconflict, cold cache: cells built (best of {REPEAT})",
            cold_s,
            plain_s / cold_s,
        ),
        ("a", "", f"geoconflict, cells cached (best of {REPEAT})", warm_s, plain_s / warm_s),
        (
            "a",
            "",
            f"agreement: area {area_diff:.1e}, frontline {front_diff:.1e} "
            "(max relative difference per actor)",
            None,
            None,
        ),
    ]


def case_b(n: int, days: int, sample: int, rng: np.random.Generator) -> list[tuple]:
    conflict, codes, dates = make_conflict(rng, n, days)
    rate = float((codes[:, 1:] != codes[:, :-1]).mean()) if days > 1 else 0.0
    crs = equal_area_crs(conflict)
    boundary = conflict.boundary.to_crs(crs)
    chosen = np.linspace(0, days - 1, sample).round().astype(int)
    plain_s = 0.0
    for day in chosen:
        points = points_at(conflict, codes, day, crs)
        seconds, _ = timed(plain_chain, points, boundary)
        plain_s += seconds
    factor = days / sample
    plain_total = plain_s * factor
    ours_s, summary = best_of(
        REPEAT,
        gc.control_summary,
        conflict,
        start=dates[0],
        end=dates[-1],
        before=land._CACHE.clear,
    )
    assert summary.date.nunique() == days
    return [
        (
            "b",
            f"{days} daily dates, {n:,} places, {rate:.2%} change hands/day",
            f"plain chain: {sample} dates timed ({plain_s:.1f} s) x{factor:g}",
            plain_total,
            None,
        ),
        (
            "b",
            "",
            f"geoconflict control_summary, cold cache (best of {REPEAT})",
            ours_s,
            plain_total / ours_s,
        ),
    ]


def case_c(n: int) -> list[tuple]:
    """Run in a child process: its peak memory is then its own."""
    child = subprocess.run(
        [sys.executable, __file__, "--case-c", str(n)], check=True, capture_output=True, text=True
    )
    rows = []
    for line in child.stdout.splitlines():
        label, seconds = line.rsplit("\t", 1)
        rows.append(
            (
                "c",
                f"one date, {n:,} places" if not rows else "",
                label,
                float(seconds) if seconds != "-" else None,
                None,
            )
        )
    return rows


def run_case_c(n: int) -> None:
    rng = np.random.default_rng(SEED + 3)
    conflict, _, dates = make_conflict(rng, n, 1)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells_s, built = timed(gc.cells, conflict.places, conflict.boundary)
    terr_s, t = timed(gc.territories, conflict, dates[0])
    front_s, f = timed(gc.frontlines, conflict, dates[0])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cells ({len(built):,} cells, {built.cell_a.size:,} shared edges)\t{cells_s}")
    print(f"territories ({len(t)} rows)\t{terr_s}")
    print(f"frontlines ({len(f)} rows)\t{front_s}")
    print(f"total\t{cells_s + terr_s + front_s}")
    print(f"peak memory {peak:,.0f} MB (process after building the data: {base:,.0f} MB)\t-")


def plain_shapely(
    lon: np.ndarray, lat: np.ndarray, codes: np.ndarray, boundary: shapely.Geometry, crs: str
) -> tuple[np.ndarray, np.ndarray]:
    """Area (km²) and frontline length (km) per actor with shapely alone, one date."""
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = forward.transform(lon, lat)
    region = shapely.transform(
        shapely.segmentize(boundary, 0.05), lambda xy: np.column_stack(forward.transform(*xy.T))
    )
    shapely.prepare(region)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(np.column_stack([x, y])), extend_to=region, ordered=True
        )
    )
    crossing = ~shapely.contains_properly(region, cells)
    cells[crossing] = shapely.intersection(cells[crossing], region)
    n = len(ACTORS)
    land = np.array([shapely.coverage_union_all(cells[codes == a]) for a in range(n)])
    # frontlines: ring segments two cells of different actors share
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(cells), return_index=True)
    same = np.flatnonzero(ring[1:] == ring[:-1])
    vertex, uniques = pd.factorize(coords[:, 0] + 1j * coords[:, 1])
    p, q = vertex[same], vertex[same + 1]
    key = np.minimum(p, q).astype(np.int64) * uniques.size + np.maximum(p, q)
    order = np.argsort(key, kind="stable")
    twin = np.flatnonzero(key[order][1:] == key[order][:-1])
    first, second = order[twin], order[twin + 1]
    a, b = coords[same], coords[same + 1]
    owner_a, owner_b = codes[ring[same][first]], codes[ring[same][second]]
    front = owner_a != owner_b
    length = np.hypot(*(b[first] - a[first]).T) / 1000
    km = np.bincount(owner_a[front], weights=length[front], minlength=n) + np.bincount(
        owner_b[front], weights=length[front], minlength=n
    )
    return shapely.area(land) / 1e6, km


def case_d(n: int, rng: np.random.Generator) -> list[tuple]:
    conflict, codes, dates = make_conflict(rng, n, 1)
    crs = equal_area_crs(conflict)
    xy = shapely.get_coordinates(conflict.places.geometry.to_numpy())
    boundary = conflict.boundary.geometry.iloc[0]
    plain_s, (area, _) = best_of(
        REPEAT, plain_shapely, xy[:, 0], xy[:, 1], codes[:, 0], boundary, crs
    )
    cold_s, (t, _) = best_of(REPEAT, ours_one_date, conflict, dates[0], before=land._CACHE.clear)
    ours = t.set_index("actor_id")["area_km2"].reindex(ACTORS).to_numpy()
    diff = float(np.nanmax(np.abs(ours / area - 1)))
    return [
        (
            "d",
            f"first build, {n:,} places",
            f"plain shapely way (best of {REPEAT})",
            plain_s,
            None,
        ),
        ("d", "", f"geoconflict, cold cache (best of {REPEAT})", cold_s, plain_s / cold_s),
        ("d", "", f"agreement: area {diff:.1e} (max relative difference per actor)", None, None),
    ]


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check it runs")
    parser.add_argument("--case-c", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", gc.DataWarning)
    if args.case_c:
        run_case_c(args.case_c)
        return
    sizes = (
        {"a": 2_000, "b": (1_000, 30, 3), "c": 20_000, "d": 2_000}
        if args.quick
        else {"a": 20_000, "b": (10_000, 365, 5), "c": 500_000, "d": 20_000}
    )
    rng = np.random.default_rng(SEED)
    print(
        f"geoconflict {gc.__version__}, geopandas {gpd.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj "
        f"{pyproj.__version__}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    rows = case_a(sizes["a"], rng)
    rows += case_b(*sizes["b"], rng)
    rows += case_c(sizes["c"])
    rows += case_d(sizes["d"], rng)
    rows += bench_units.cases(args.quick)
    bench_units.report(rows, {**TARGETS, **bench_units.TARGETS})
    ratio = next(r[4] for r in rows if r[0] == "d" and r[4] is not None)
    print(
        f"case d: the cold build takes {1 / ratio:.2f}x the plain shapely way's time; "
        f"target at most {1 / D_TARGET:.1f}x {'met' if ratio >= D_TARGET else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
