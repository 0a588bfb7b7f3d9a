"""Share of Syria's area each actor and bloc holds in the example on given days.

A plain computation with shapely and pyproj, independent of the library's territory code:
every polygon place with a record on or before the day is painted in decreasing order of
area, so a finer polygon (half of a sub-district, the al-Tanf zone) overrides the coarser
one it lies in; land is measured in the equal-area projection EPSG:6933. Point places
(towns) hold no land here.

Run ``python data/area_shares.py 2024-11-26 2024-12-09`` to print the Markdown table that
``data/README.md`` shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

DATA = Path(__file__).resolve().parents[1] / "geoconflict" / "_data" / "syria_2024"
#: The three blocs of the published estimates; other actors are listed apart.
BLOC = {
    "government": "government",
    "sdf": "SDF",
    "hts": "opposition",
    "sna": "opposition",
    "sfa": "opposition",
    "southern": "opposition",
}
_EQUAL_AREA = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


def equal_area_km2(geom):
    """Area of a lon/lat geometry in EPSG:6933, in km²."""
    projected = shapely.transform(
        geom, lambda xy: np.column_stack(_EQUAL_AREA.transform(xy[:, 0], xy[:, 1]))
    )
    return float(shapely.area(projected)) / 1e6


def land_by_actor(day, data=DATA):
    """km² per actor on ``day`` (ISO date), from the example's polygon places."""
    places = pd.read_csv(data / "places.csv", dtype=str, keep_default_na=False)
    control = pd.read_csv(data / "control.csv", dtype=str, keep_default_na=False)
    latest = control[control.date <= day].sort_values("date").groupby("place_id").last()
    polygons = places[places.wkt != ""].set_index("place_id")
    polygons = polygons[polygons.index.isin(latest.index)]
    geoms = shapely.from_wkt(polygons.wkt.to_numpy())
    land = {}
    for i in np.argsort(-shapely.area(geoms), kind="stable"):
        for actor in land:
            land[actor] = shapely.difference(land[actor], geoms[i])
        actor = latest.actor_id[polygons.index[i]]
        land[actor] = shapely.union(land.get(actor, shapely.Polygon()), geoms[i])
    return {actor: equal_area_km2(geom) for actor, geom in sorted(land.items())}


def shares(day, data=DATA):
    """Percent of the painted land per actor and per bloc, and the total km²."""
    areas = land_by_actor(day, data)
    total = sum(areas.values())
    by_actor = {actor: 100.0 * km2 / total for actor, km2 in areas.items()}
    by_bloc = {}
    for actor, pct in by_actor.items():
        bloc = BLOC.get(actor, actor)
        by_bloc[bloc] = by_bloc.get(bloc, 0.0) + pct
    return by_actor, by_bloc, total


def main(days):
    for day in days:
        by_actor, by_bloc, total = shares(day)
        print(f"\n{day} (land painted: {total:,.0f} km²)\n")
        print("| bloc | share | actors |\n|---|---|---|")
        for bloc, pct in sorted(by_bloc.items(), key=lambda kv: -kv[1]):
            members = ", ".join(
                f"{a} {p:.2f} %" for a, p in by_actor.items() if BLOC.get(a, a) == bloc
            )
            print(f"| {bloc} | {pct:.2f} % | {members} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["2024-11-26"])
