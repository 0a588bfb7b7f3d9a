"""The war in Ukraine (April 2022 - April 2025) built from the public files in
``../shared/data/ukraine_2022_2025/`` with the library, as a new user would.

Places: geoBoundaries oblasts (27) and raions (495) through ``places_from_admin``, and the
316 simplemaps towns of Ukraine. Control: each monthly DeepStateMap snapshot (37) says which
places lie in land marked occupied (held by Russia) or not (held by Ukraine), found by a small
point-in-polygon helper here (a baseline independent of the library's own
``control_from_polygons``, which tests/test_ukraine_end_to_end.py checks); a place's record is
written on the first and last dates and on each date its holder changes. The DeepStateMap
files are read from ``../shared`` only, never copied. Used by the browser tests and
``benchmarks/bench_maps.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine_2022_2025"
#: DeepStateMap's names of land held by Russia (Ukrainian, then English): occupied, the
#: "ORDLO" areas of 2014, Crimea, "taken by the enemy".
OCCUPIED = re.compile(r"Окупован|Occupied|ОРДЛО|ORDLO|Крим|Crimea|CADR|CALR|зайнят", re.I)
#: ... and of land retaken: inside these, Ukraine holds (they lie over older occupied land).
LIBERATED = re.compile(r"Звільнен|Liberated", re.I)
TOWN_COLUMNS = [
    "city",
    "city_ascii",
    "lat",
    "lng",
    "country",
    "iso2",
    "iso3",
    "admin_name",
    "capital",
    "population",
    "id",
]


def available() -> bool:
    return (ROOT / "deepstate").is_dir() and (ROOT / "boundaries").is_dir()


def places() -> gpd.GeoDataFrame:
    oblasts = gc.places_from_admin(
        ROOT / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson", level="admin1"
    )
    raions = gc.places_from_admin(
        ROOT / "boundaries" / "geoBoundaries-UKR-ADM2_simplified.geojson", level="admin2"
    )
    towns = pd.read_csv(
        ROOT / "towns" / "worldcities_simplemaps_basic.csv", header=None, names=TOWN_COLUMNS
    )
    towns = towns[towns["iso2"] == "UA"]
    points = gc.make_places(
        [f"town-{i}" for i in towns["id"]],
        towns["city"].tolist(),
        towns["lng"].to_numpy(dtype=float),
        towns["lat"].to_numpy(dtype=float),
        population=pd.to_numeric(towns["population"], errors="coerce").tolist(),
        admin1=towns["admin_name"].tolist(),
    )
    return pd.concat([oblasts, raions, points])


def _held_by_russia(snapshot: gpd.GeoDataFrame, points: np.ndarray) -> np.ndarray:
    """Whether each point lies in land marked occupied and not in land marked retaken."""
    polygons = snapshot[snapshot.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    names = polygons["name"].astype(str)
    geoms = shapely.make_valid(polygons.geometry.to_numpy())

    def inside(mask: pd.Series) -> np.ndarray:
        chosen = geoms[mask.to_numpy()]
        if not chosen.size:
            return np.zeros(points.size, dtype=bool)
        tree = shapely.STRtree(chosen)
        at, _ = tree.query(points, predicate="intersects")
        out = np.zeros(points.size, dtype=bool)
        out[at] = True
        return out

    occupied = names.str.contains(OCCUPIED) & ~names.str.contains(LIBERATED)
    return inside(occupied) & ~inside(names.str.contains(LIBERATED))


def snapshot_dates() -> list[str]:
    """The dates of the 37 DeepStateMap snapshots (ISO), in order."""
    files = sorted((ROOT / "deepstate").glob("*.geojson"), key=lambda p: int(p.stem))
    return [pd.Timestamp(int(p.stem), unit="s").strftime("%Y-%m-%d") for p in files]


def control(where: gpd.GeoDataFrame) -> pd.DataFrame:
    """One record per place on the first and the last date, and one for each change of
    holder between."""
    points = np.asarray(shapely.point_on_surface(where.geometry.to_numpy()), dtype=object)
    rows = []
    last = None
    files = sorted((ROOT / "deepstate").glob("*.geojson"), key=lambda p: int(p.stem))
    for path in files:
        day = pd.Timestamp(int(path.stem), unit="s").strftime("%Y-%m-%d")
        russia = _held_by_russia(gpd.read_file(path), points)
        changed = np.ones(russia.size, bool) if last is None else russia != last
        if path == files[-1]:  # the last snapshot confirms every place
            changed[:] = True
        for place, held in zip(where.index[changed], russia[changed], strict=True):
            rows.append((place, "russia" if held else "ukraine", day, f"DeepStateMap {day}"))
        last = russia
    return pd.DataFrame(rows, columns=["place_id", "actor_id", "date", "source"])


def conflict() -> gc.Conflict:
    """The conflict: oblasts without records of their own, raions and towns with them."""
    all_places = places()
    recorded = all_places[(all_places["level"].astype("string") != "admin1").fillna(True)]
    # two of Sevastopol's raions are drawn in the sea in the simplified layer: places off
    # Natural Earth's land get no record (no holder), as control_from_polygons does (towns
    # just off its coarse coast keep theirs)
    countries = gpd.read_file(ROOT / "naturalearth" / "ne_50m_admin_0_countries.json")
    points = (recorded.geom_type == "Point").to_numpy()
    recorded = recorded[points | recorded.intersects(countries.union_all()).to_numpy()]
    actors = pd.DataFrame(
        {
            "actor_id": ["ukraine", "russia"],
            "name": ["Ukraine", "Russia"],
            "name_uk": ["Україна", "Росія"],
            "color": ["#0072b2", "#d55e00"],
        }
    )
    oblasts = all_places[(all_places["level"].astype("string") == "admin1").fillna(False)]
    boundary = gpd.GeoDataFrame(geometry=[oblasts.union_all()], crs="EPSG:4326")
    return gc.Conflict(
        all_places,
        actors,
        control(recorded),
        boundary=boundary,
        title="War in Ukraine, 2022-2025",
    )
