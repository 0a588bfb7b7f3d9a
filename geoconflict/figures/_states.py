"""What an animation's maps show over all its dates, found before any is drawn: when the
map changes, and what its one legend lists (every actor, front and flow category shown on
any date), so the legend stays the same on every frame.

Array work over (places x dates) and (cells x dates), as :func:`geoconflict.control_summary`
does it, instead of a territory per date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._schema import ACTOR_ID, CATEGORY, PEOPLE
from ..control import control_at
from ..territory import places_at
from ..territory._holders import UNKNOWN_CODE, holder_names, holders_at, place_codes
from ..territory._land import has_land, land_cells
from ..territory._setting import LandSetting
from ._common import colors_of
from ._furniture import present
from ._timeline import moved_flows

__all__ = ["StateFacts", "state_facts"]


@dataclass(frozen=True)
class StateFacts:
    """``codes``: (places x dates) who holds each place by its own records (an actor's
    position, ``-2`` contested, ``-1`` unknown, ``-3`` stated unknown); ``shown``: the
    labels of the legend, in colour order; ``front``: whether any date has a frontline;
    ``categories``: the flow categories drawn on any date, in the order they first appear
    (largest flow first)."""

    codes: np.ndarray
    shown: list[str]
    front: bool
    categories: list[str]


def _land(conflict, dates: pd.DatetimeIndex, land: LandSetting) -> tuple[set[str], bool]:
    """The holders of the land on any of ``dates`` and whether two holders' land meets."""
    if not has_land(conflict, land):
        return set(), False
    built = land_cells(conflict, land, dates=dates, stacklevel=4)
    codes = holders_at(conflict, built, dates)
    names = holder_names(conflict)  # names[code], negative codes too
    seen = {names[code] for code in np.unique(codes)}
    la, lb = codes[built.cell_a], codes[built.cell_b]
    front = bool(((la != lb) & (la != UNKNOWN_CODE) & (lb != UNKNOWN_CODE)).any())
    return seen, front


def _holders(conflict, dates: pd.DatetimeIndex, codes: np.ndarray) -> set[str]:
    """The holders of the places' dots on any of ``dates`` (a contested place's dot is its
    holder's), and ``unknown`` when a dot shows no holder."""
    held = control_at(conflict.control, dates, places=conflict.places)
    seen = {str(v) for v in pd.unique(held.to_numpy().ravel()) if not pd.isna(v)}
    missing = np.flatnonzero((codes == -1).any(axis=0))
    for j in missing:  # a place without a record may take its admin unit's: ask the snapshot
        snapshot = places_at(conflict, dates[j])
        if snapshot[ACTOR_ID].isna().any():
            seen.add("unknown")
            break
    return seen


def _categories(conflict, dates: pd.DatetimeIndex, active: np.ndarray) -> list[str]:
    """Flow categories of the flows drawn on any date: by first date, then people."""
    flows = conflict.flows
    if flows is None or not active.size or not active.any():
        return []
    moved = flows[moved_flows(flows)]
    on = active.any(axis=1)
    first = np.argmax(active, axis=1)[on]
    rows = moved[on]
    category = (
        rows[CATEGORY].astype("string").fillna("internal")
        if CATEGORY in rows.columns
        else pd.Series("internal", index=rows.index, dtype="string")
    )
    order = np.lexsort((-rows[PEOPLE].to_numpy(dtype=float), first))
    return list(dict.fromkeys(category.to_numpy(dtype=object)[order].astype(str)))


def state_facts(
    conflict, dates: pd.DatetimeIndex, active: np.ndarray, *, land: LandSetting, flows: object
) -> StateFacts:
    """Who holds what on every date, and what the legend of the whole animation lists.

    ``active`` is :func:`._timeline.flow_activity` on the same dates.
    """
    codes = place_codes(conflict, pd.Index(conflict.places.index), dates, stated=True)
    held, front = _land(conflict, dates, land)
    shown = present(list(colors_of(conflict)), held, _holders(conflict, dates, codes))
    categories = _categories(conflict, dates, active) if flows else []
    return StateFacts(codes, shown, front, categories)
