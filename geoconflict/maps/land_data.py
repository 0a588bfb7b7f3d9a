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

from .._schema import DATE
from ..territory._holders import (
    CONTESTED_CODE,
    UNKNOWN_CODE,
    cell_population,
    contested_sides,
    holders_at,
)
from ..territory._land import land_cells
from ..territory._setting import LandSetting
from ._json import rounded
from .encode import encode_lines, encode_polygons
from .steps import day_values

__all__ = ["land_data"]


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
        sides = contested_sides(conflict, built, days[j], contested) if contested.size else []
        hatch.append(sides)
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
