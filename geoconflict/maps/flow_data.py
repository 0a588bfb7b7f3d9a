"""The flows part of a map's payload: the largest flows, their widths and curves.

The page draws each flow as the quadratic curve through its origin, the middle of its
:func:`~geoconflict.flow_lines` curve (bent to the right of travel, so A→B and B→A stay
apart) and its destination: one point per origin-destination pair crosses the wire.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from .._schema import DESTINATION, END, ORIGIN, PEOPLE, QUALITY, SOURCE, START
from .columns import rounded, string_codes
from .steps import DAY, day_values, step_of

__all__ = ["FLOW_GRID", "FLOW_MAX_PX", "FLOW_MIN_PX", "flow_width", "flows_data"]

#: The grid (degrees) the curves' middle points are rounded to (about 11 m).
FLOW_GRID = 1e-4
#: Flow line widths in pixels: the thinnest line and the largest flow's. Widths follow the
#: square root of people; lines of 1 px are drawn as (fast) hairlines.
FLOW_MIN_PX = 1.0
FLOW_MAX_PX = 14.0


def flow_width(people: np.ndarray, top: float) -> np.ndarray:
    """Line width in pixels for ``people`` when the largest flow has ``top`` people.

    The width is :data:`FLOW_MAX_PX` times the square root of the share of ``top`` (so a
    line's area on the map follows people, roughly), and never less than
    :data:`FLOW_MIN_PX`, so small flows stay visible beside large ones.

    Examples
    --------
    >>> flow_width(np.array([0.0, 2500.0, 10000.0]), 10000.0).round(2).tolist()
    [1.0, 7.0, 14.0]
    """
    people = np.asarray(people, dtype=float)
    if not top or not np.isfinite(top) or top <= 0:
        return np.full(people.shape, FLOW_MIN_PX)
    share = np.sqrt(np.clip(people / top, 0.0, 1.0))
    return np.maximum(FLOW_MAX_PX * share, FLOW_MIN_PX)


def _nice_ticks(top: float) -> list[float]:
    """Up to three round numbers for the width legend: about top, top/5 and top/25."""
    ticks: list[float] = []
    for value in (top, top / 5.0, top / 25.0):
        if value <= 0:
            continue
        exponent = math.floor(math.log10(value))
        base = 10.0 ** exponent
        nice = max(m for m in (1, 2, 5, 10) if m * base <= value * (1 + 1e-9)) * base
        if nice >= 1 and nice not in ticks:
            ticks.append(float(nice))
    return ticks


def _middles(geometries: np.ndarray) -> list[int]:
    """The middle vertex of each 3-point curve as ``[x0, y0, x1, y1, ...]`` in grid units."""
    coords = shapely.get_coordinates(geometries).reshape(-1, 3, 2)[:, 1, :]
    return np.round(coords / FLOW_GRID).astype(np.int64).ravel().tolist()


def flows_data(conflict, steps: pd.DatetimeIndex, *, mode: str = "active",
               max_flows: int = 3000) -> dict:
    """Flow lines to draw: the largest ``max_flows`` between two different places.

    Flows are listed largest first (drawn first, so smaller ones stay on top). ``pair``
    indexes the origin-destination pairs (``origin``, ``destination``, and ``middle``: the
    middle of the pair's curve, in units of ``grid`` degrees); ``first``/``last`` are the
    steps a flow shows at (from its start; in ``"active"`` mode until its end);
    ``start``/``end`` are days after ``steps[0]``; ``width`` is in pixels.
    """
    from ..flows import flow_lines

    flows = conflict.flows
    places = conflict.places
    people = flows[PEOPLE].to_numpy(dtype=float)
    # a row of kind 'present' has no origin, so no line
    moved = (flows[ORIGIN].notna() & (flows[ORIGIN] != flows[DESTINATION])).fillna(False
                                                                                   ).to_numpy(bool)
    drawable = np.flatnonzero(moved & np.isfinite(people))
    order = drawable[np.argsort(-people[drawable], kind="stable")]
    kept = order[:max_flows]
    left = order[max_flows:]
    chosen = flows.iloc[kept]
    pairs = pd.MultiIndex.from_arrays([chosen[ORIGIN].astype(str), chosen[DESTINATION]
                                       .astype(str)])
    pair_codes, unique_pairs = pd.factorize(pairs)
    ends = pd.DataFrame({ORIGIN: unique_pairs.get_level_values(0),
                         DESTINATION: unique_pairs.get_level_values(1)})
    lines = flow_lines(ends, places, points=3) if len(ends) else None
    place_ids = places.index
    top = float(people[kept].max()) if kept.size else 0.0
    first = step_of(steps, chosen[START])
    last = (step_of(steps, chosen[END]) if mode == "active"
            else np.full(len(chosen), len(steps) - 1))
    day0 = steps.asi8[0] if len(steps) else 0
    source_codes, sources = string_codes(chosen[SOURCE] if SOURCE in chosen.columns
                                     else pd.Series(pd.NA, index=chosen.index))
    quality_codes, qualities = string_codes(chosen[QUALITY] if QUALITY in chosen.columns
                                        else pd.Series(pd.NA, index=chosen.index))
    ticks = _nice_ticks(top)
    return {
        "mode": mode,
        "total": int(len(flows)),
        "drawable": int(drawable.size),
        "shown": int(kept.size),
        "left_out": int(left.size),
        "left_out_people": float(round(people[left].sum(), 1)),
        "internal": int((~moved).sum()),
        "grid": FLOW_GRID,
        "origin": place_ids.get_indexer(unique_pairs.get_level_values(0)).tolist(),
        "destination": place_ids.get_indexer(unique_pairs.get_level_values(1)).tolist(),
        "middle": [] if lines is None else _middles(lines.geometry.to_numpy()),
        "pair": pair_codes.tolist(),
        "people": rounded(people[kept], 1),
        "width": rounded(flow_width(people[kept], top), 1),
        "first": first.tolist(),
        "last": last.tolist(),
        "start": ((day_values(chosen[START]) - day0) // DAY).tolist(),
        "end": ((day_values(chosen[END]) - day0) // DAY).tolist(),
        "source": source_codes,
        "sources": sources,
        "quality": quality_codes,
        "qualities": qualities,
        "legend": [{"people": t, "width": float(round(flow_width(np.array([t]), top)[0], 1))}
                   for t in ticks],
    }
