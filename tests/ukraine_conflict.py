"""The war in Ukraine (April 2022 - April 2025) built from the public files in
``../shared/data/ukraine_2022_2025/`` with the library, as a new user would.

Places: geoBoundaries oblasts (27) and raions (495) through ``places_from_admin``, and the
316 simplemaps towns of Ukraine. Control: each monthly DeepStateMap snapshot (37), its
polygons read as occupied (held by Russia) or retaken (held by Ukraine) from their names,
everything else held by Ukraine, turned into records by ``control_from_polygons`` (towns by
the polygon they lie in, raions by area share over the land; the reading of the names is
this helper's, INFERRED from DeepStateMap's own labels); a place's record is written on its
first date, on each date its holder changes and on the last date. The land is the oblasts
less the sea as Natural Earth draws it (two raions drawn in the sea are left out). The
DeepStateMap files are read from ``../shared``
only, never copied. Used by the browser tests and
``benchmarks/bench_maps.py``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from ukraine import TOWN_COLUMNS  # the headerless simplemaps file's columns

import geoconflict as gc

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine_2022_2025"
#: DeepStateMap's names of land held by Russia (Ukrainian, then English): occupied, the
#: "ORDLO" areas of 2014, Crimea, "taken by the enemy".
OCCUPIED = re.compile(r"Окупован|Occupied|ОРДЛО|ORDLO|Крим|Crimea|CADR|CALR|зайнят", re.I)
#: ... and of land retaken: inside these, Ukraine holds (they lie over older occupied land).
LIBERATED = re.compile(r"Звільнен|Liberated", re.I)


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


def snapshot_dates() -> list[str]:
    """The dates of the 37 DeepStateMap snapshots (ISO), in order."""
    files = sorted((ROOT / "deepstate").glob("*.geojson"), key=lambda p: int(p.stem))
    return [pd.Timestamp(int(p.stem), unit="s").strftime("%Y-%m-%d") for p in files]


@functools.cache
def land(slack: float = 0.05) -> shapely.Geometry:
    """The land the map fills: the oblasts less the sea, as Natural Earth draws the coast,
    with ``slack`` degrees to spare (its 1:50m coast leaves ports such as Ochakiv in the sea)."""
    oblasts = gc.places_from_admin(
        ROOT / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson", level="admin1"
    )
    countries = gpd.read_file(ROOT / "naturalearth" / "ne_50m_admin_0_countries.json")
    return oblasts.union_all().intersection(countries.union_all().buffer(slack))


def control(where: gpd.GeoDataFrame, boundary: shapely.Geometry) -> pd.DataFrame:
    """The places' records from the snapshots by the library (``control_from_polygons``:
    towns by the polygon they lie in, units by area share), each with its snapshot as
    source; the last snapshot confirms every place."""
    snaps = gc.read_control_polygons(ROOT / "deepstate")
    names = snaps["name"].fillna("").astype(str)
    retaken = names.str.contains(LIBERATED)
    snaps["actor_id"] = np.select(
        [retaken, names.str.contains(OCCUPIED)], ["ukraine", "russia"], default=None
    )
    found, _ = gc.control_from_polygons(where, snaps, outside="ukraine", boundary=boundary)
    last = pd.Timestamp(snapshot_dates()[-1])  # the last snapshot, changes or none
    final = gc.control_at(found, last).reset_index()
    final["date"] = last
    records = pd.concat([found[found["date"] < last], final], ignore_index=True)
    records["source"] = "DeepStateMap " + pd.to_datetime(records["date"]).dt.strftime("%Y-%m-%d")
    return records[["place_id", "actor_id", "date", "source"]]


def conflict() -> gc.Conflict:
    """The conflict: oblasts without records of their own, raions and towns with them."""
    all_places, boundary = places(), land()
    # the simplified raion layer draws two of Sevastopol's districts in the sea (Gagarin
    # 0.23 degrees, about 20 km, off the coast; Leninskyi just off it): units off Natural
    # Earth's land are left out, as a user who looked at them would (towns off its coarse
    # coast stay: the slack takes them in)
    units = (all_places.geom_type != "Point").to_numpy()
    off = all_places.index[units & ~all_places.intersects(land(0.0)).to_numpy()]
    all_places = all_places.drop(off)
    recorded = all_places[(all_places["level"].astype("string") != "admin1").fillna(True)]
    actors = pd.DataFrame(
        {
            "actor_id": ["ukraine", "russia"],
            "name": ["Ukraine", "Russia"],
            "name_uk": ["Україна", "Росія"],
            "color": ["#0072b2", "#d55e00"],
        }
    )
    return gc.Conflict(
        all_places,
        actors,
        control(recorded, boundary),
        boundary=gpd.GeoDataFrame(geometry=[boundary], crs="EPSG:4326"),
        title="War in Ukraine, 2022-2025",
    )
