"""The land part of a map's payload: cells of land sent once, labelled per step.

The territory layer divides the boundary into cells (:class:`geoconflict.territory.Cells`: the
land of polygon places, finer beating coarser, and Voronoi cells of point places, confined to
the polygon they lie in) that do not depend on the date. The map sends their geometry once
(:mod:`.encode`), a label per cell for each date control changed (as differences from the
date before), the shared edges between cells (so the page finds the frontline of a step by
comparing the labels on both sides of each edge), and, for each step on which land changed
hands, the outline of what each gainer took. Nothing is re-sent per step; the page restyles.

Label codes: an actor's position in the payload's actors, ``-1`` unknown, ``-2`` contested
(with the two sides in ``hatch``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import ACTOR_ID, CONTESTED_BY, DATE, STATUS
from ..control import control_at
from ..territory._cells import Cells
from ..territory._holders import CONTESTED_CODE, UNKNOWN_CODE, cell_population, holders_at
from ..territory._land import land_cells
from ..territory._setting import LandSetting
from .columns import rounded
from .encode import encode_lines, encode_polygons
from .steps import day_values

__all__ = ["land_data"]


def _hatch(conflict, built: Cells, day: pd.Timestamp, cells: np.ndarray) -> list[int]:
    """``[cell, side_a, side_b, ...]`` for contested cells: the holder and the challenger
    of a contested place deciding the cell (the finest polygon around it first, then its
    towns), or the first two holders of the cell's towns when they disagree. For cells drawn
    from zones: the contested zone's holder and challenger."""
    if built.zone_of is not None:
        return _zone_hatch(conflict, built, day, cells)
    state = control_at(conflict.control, day).reindex(built.place_ids)
    actors = pd.Index(conflict.actors.index)
    actor = actors.get_indexer(state[ACTOR_ID].astype(object))
    by = (
        actors.get_indexer(state[CONTESTED_BY].astype(object))
        if CONTESTED_BY in state.columns
        else np.full(len(state), -1)
    )
    contested = (
        (state[STATUS] == "contested").fillna(False).to_numpy(dtype=bool)
        if STATUS in state.columns
        else np.zeros(len(state), dtype=bool)
    )
    chain = np.asarray(built.chain)
    cell_of, place_of, rank = [], [], []
    for k in range(chain.shape[1]):  # polygon places around each cell, finest first
        around = chain[cells, k]
        ok = around >= 0
        cell_of.append(cells[ok])
        place_of.append(np.asarray(built.polygon_positions)[around[ok]])
        rank.append(np.full(int(ok.sum()), k))
    towns = np.flatnonzero(np.isin(built.cell_of_place, cells))
    cell_of.append(np.asarray(built.cell_of_place)[towns])
    place_of.append(towns)
    rank.append(np.full(towns.size, chain.shape[1]))
    place = np.concatenate(place_of)
    frame = pd.DataFrame(
        {
            "cell": np.concatenate(cell_of),
            "rank": np.concatenate(rank),
            "actor": actor[place],
            "by": by[place],
            "contested": contested[place],
        }
    )
    frame = frame[frame["actor"] >= 0].sort_values(
        ["cell", "contested", "rank"], ascending=[True, False, True], kind="stable"
    )
    out: list[int] = []
    for cell, rows in frame.groupby("cell", sort=True):  # contested cells only: few
        a = int(rows["actor"].iloc[0])
        b = int(rows["by"].iloc[0]) if rows["contested"].iloc[0] else -1
        if b < 0:
            others = rows.loc[rows["actor"] != a, "actor"]
            b = int(others.iloc[0]) if len(others) else -1
        out += [int(cell), a, b]
    return out


def _zone_hatch(conflict, built: Cells, day: pd.Timestamp, cells: np.ndarray) -> list[int]:
    dates = np.asarray(built.zone_dates, dtype="datetime64[ns]")
    at = int(np.searchsorted(dates, np.datetime64(day, "ns"), side="right")) - 1
    if at < 0 or conflict.zones is None:
        return []
    rows = np.asarray(built.zone_of)[cells, at]
    actors = pd.Index(conflict.actors.index)
    zones = conflict.zones
    side_a = actors.get_indexer(zones[ACTOR_ID].astype(object))[rows]
    side_b = actors.get_indexer(zones[CONTESTED_BY].astype(object))[rows]
    return np.column_stack([cells, side_a, side_b]).ravel().tolist()


def _union(geoms: np.ndarray) -> shapely.Geometry:
    try:  # the cells form a coverage (shared vertices): the fast union applies
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:  # pragma: no cover - a repaired cell overlaps
        return shapely.union_all(geoms)


def land_data(
    conflict,
    steps: pd.DatetimeIndex,
    *,
    changes: bool = True,
    land: LandSetting,
) -> dict:
    """The cells, their labels at each control date, their edges and the changes.

    Returns ``{"cells": encoded polygons, "area": km², "population", "keys": ISO dates,
    "at": key per step (-1 before the first), "base": labels at the first key, "diff":
    per later key ``[cell, label, ...]``, "hatch": per key ``[cell, a, b, ...]``,
    "edges": {"a", "b", "km", "lines"}, "changes": {"step", "actor", "shapes"}}``.
    """
    days = pd.DatetimeIndex(np.unique(day_values(conflict.control[DATE])).astype("datetime64[ns]"))
    built = land_cells(conflict, land, dates=days)
    codes = holders_at(conflict, built, days) if len(days) else np.empty((len(built), 0), np.int64)
    geoms = np.asarray(built.geometry, dtype=object)
    area = np.asarray(built.area_km2, dtype=float)
    population = cell_population(conflict, built)
    if built.no_data_km2 > 0:  # land beyond every place's reach: unknown on every date
        geoms = np.append(geoms, np.array([built.no_data], dtype=object))
        area = np.append(area, built.no_data_km2)
        population = np.append(population, 0.0)
        codes = np.vstack([codes, np.full((1, codes.shape[1]), UNKNOWN_CODE, np.int64)])
    at = np.searchsorted(days.asi8, steps.asi8, side="right") - 1
    diff = []
    for j in range(1, codes.shape[1]):  # a loop over dates, each one array comparison
        moved = np.flatnonzero(codes[:, j] != codes[:, j - 1])
        diff.append(np.column_stack([moved, codes[moved, j]]).ravel().tolist())
    hatch = []
    for j in range(codes.shape[1]):
        contested = np.flatnonzero(codes[:, j] == CONTESTED_CODE)
        hatch.append(_hatch(conflict, built, days[j], contested) if contested.size else [])
    out = {
        "cells": encode_polygons(geoms),
        "area": rounded(area, 1),
        "population": rounded(population, 0),
        "keys": [f"{d:%Y-%m-%d}" for d in days],
        "at": at.tolist(),
        "base": codes[:, 0].tolist() if codes.shape[1] else [UNKNOWN_CODE] * len(geoms),
        "diff": diff,
        "hatch": hatch,
        "edges": {
            "a": np.asarray(built.cell_a).tolist(),
            "b": np.asarray(built.cell_b).tolist(),
            "km": rounded(built.length_km, 1),
            "lines": encode_lines(built.edge_geometry),
        },
    }
    if changes:
        out["changes"] = _changes(codes, at, geoms)
    return out


def _changes(codes: np.ndarray, at: np.ndarray, geoms: np.ndarray) -> dict:
    """For each step whose labels differ from the step before: each gainer's new land."""
    step, actor, shapes = [], [], []
    for k in range(1, at.size):  # a loop over steps; the work inside is per gainer
        before, now = at[k - 1], at[k]
        if before < 0 or now == before:
            continue
        old, new = codes[:, before], codes[:, now]
        moved = (old != new) & (new != UNKNOWN_CODE)
        for gainer in np.unique(new[moved]):
            step.append(k)
            actor.append(int(gainer))
            shapes.append(_union(geoms[moved & (new == gainer)]))
    return {
        "step": step,
        "actor": actor,
        "shapes": encode_polygons(np.array(shapes, dtype=object)),
    }
