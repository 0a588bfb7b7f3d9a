"""Share of Syria's area each actor and bloc holds in the example on given days.

A plain computation with shapely and pyproj, independent of the library's territory code:
every polygon place with a record on or before the day is painted in decreasing order of
area, so a finer polygon (half of a sub-district, the al-Tanf zone) overrides the coarser
one it lies in; land is measured in the equal-area projection EPSG:6933. Point places
(towns) hold no land here. A record with the status ``contested`` paints its land
``contested``, and one naming the actor ``unknown`` paints it ``unknown``, as the library
draws them.

Run ``python data/area_shares.py 2024-11-26 2024-12-09`` to print the share per bloc on
those days, and ``python data/area_shares.py --offensive`` to print the table of shares
through the offensive that ``data/README.md`` shows (``tests/test_example_area_shares.py``
checks that table against this script and against ``geoconflict.control_summary``).
"""

from __future__ import annotations

import sys
from functools import lru_cache
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
#: The days of the README's table through the offensive.
OFFENSIVE_DAYS = [
    "2024-11-26",
    "2024-11-30",
    "2024-12-06",
    "2024-12-07",
    "2024-12-08",
    "2024-12-09",
]
#: Holders the land falls to besides the actors.
OTHER_HOLDERS = {"contested": "contested", "unknown": "unknown (no source names a holder)"}
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
        record = latest.loc[polygons.index[i]]
        actor = "contested" if record.status == "contested" else record.actor_id
        land[actor] = shapely.union(land.get(actor, shapely.Polygon()), geoms[i])
    return {actor: equal_area_km2(geom) for actor, geom in sorted(land.items())}


def shares(day, data=DATA):
    """Percent of the painted land per actor and per bloc, and the total km²."""
    return _shares(str(day), Path(data))


@lru_cache(maxsize=32)
def _shares(day, data):
    """:func:`shares`, computed once per day and folder."""
    areas = land_by_actor(day, data)
    total = sum(areas.values())
    by_actor = {actor: 100.0 * km2 / total for actor, km2 in areas.items()}
    by_bloc = {}
    for actor, pct in by_actor.items():
        bloc = BLOC.get(actor, actor)
        by_bloc[bloc] = by_bloc.get(bloc, 0.0) + pct
    return by_actor, by_bloc, total


def offensive_table(days=OFFENSIVE_DAYS, data=DATA):
    """The Markdown table of ``data/README.md``: percent of the land per holder and day.

    One row per actor of ``actors.csv`` (in its order) and for contested and unknown land;
    a holder with no land on a day gets ``0``.
    """
    actors = pd.read_csv(data / "actors.csv", dtype=str, keep_default_na=False)
    holders = dict(zip(actors.actor_id, actors.name, strict=True)) | OTHER_HOLDERS
    columns = [shares(day, data)[0] for day in days]
    labels = [f"{pd.Timestamp(day).day} {pd.Timestamp(day):%b}" for day in days]
    lines = [
        "| holder | id | " + " | ".join(labels) + " |",
        "|---|---|" + "---|" * len(days),
    ]
    for actor, name in holders.items():
        cells = [f"{col[actor]:.2f} %" if col.get(actor, 0.0) > 0 else "0" for col in columns]
        lines.append(f"| {name} | {actor} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(days):
    if days == ["--offensive"]:
        print(offensive_table())
        return
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
