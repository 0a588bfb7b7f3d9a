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

from .._schema import ACTOR_ID
from ..control import control_at
from ..territory import places_at
from ..territory._holders import UNKNOWN_CODE, holder_names, holders_at, place_codes
from ..territory._land import has_land, land_cells
from ..territory._setting import LandSetting
from ._common import colors_of
from ._furniture import present
from ._timeline import FlowSpans

__all__ = ["StateFacts", "state_facts"]


#: Dates looked at together: memory stays (places or cells) x CHUNK, whatever the span.
CHUNK = 64


@dataclass(frozen=True)
class StateFacts:
    """``changed[j]``: whether date ``j``'s map differs from date ``j - 1``'s (who holds a
    place, or which flows show); ``shown``: the labels of the legend, in colour order;
    ``front``: whether any date has a frontline; ``categories``: the flow categories shown
    on any date, in the order they first appear (largest flow first)."""

    changed: np.ndarray
    shown: list[str]
    front: bool
    categories: list[str]


def _land(conflict, built, dates: pd.DatetimeIndex) -> tuple[set[str], bool]:
    """The holders of the land on any of ``dates`` and whether two holders' land meets."""
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
    for j in np.flatnonzero((codes == UNKNOWN_CODE).any(axis=0)):
        # a place without a record may take its admin unit's: ask the snapshot
        if places_at(conflict, dates[j])[ACTOR_ID].isna().any():
            seen.add("unknown")
            break
    return seen


def state_facts(
    conflict, dates: pd.DatetimeIndex, spans: FlowSpans, *, land: LandSetting
) -> StateFacts:
    """When the map changes and what the legend of the whole animation lists, looking at
    :data:`CHUNK` dates at a time (``spans``: :func:`._timeline.flow_spans` of ``dates``)."""
    n = dates.size
    changed = spans.changes(n)
    built = land_cells(conflict, land, dates=dates) if has_land(conflict, land) else None
    held: set[str] = set()
    front = False
    last = None
    ids = pd.Index(conflict.places.index)
    for lo in range(0, n, CHUNK):
        chunk = dates[lo : lo + CHUNK]
        codes = place_codes(conflict, ids, chunk, stated=True)
        if last is not None:
            changed[lo] |= bool((codes[:, 0] != last).any())
        changed[lo + 1 : lo + chunk.size] |= (codes[:, 1:] != codes[:, :-1]).any(axis=0)
        last = codes[:, -1]
        if built is not None:
            land_held, meets = _land(conflict, built, chunk)
            held |= land_held
            front = front or meets
        if "unknown" in held:
            codes = np.where(codes == UNKNOWN_CODE, 0, codes)  # no need to look again
        held |= _holders(conflict, chunk, codes)
    shown = present(list(colors_of(conflict)), held)
    return StateFacts(changed, shown, front, spans.categories())
