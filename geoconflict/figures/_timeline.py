"""The time line of an animation: the dates shown, which of them look the same, and the
frames that play them (in-between frames, pauses, durations).

No matplotlib here: only dates and arrays. A *state* is what the map shows apart from its
date banner; consecutive dates with the same state share one drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._schema import CATEGORY, DESTINATION, END, KIND, ORIGIN, PEOPLE, START
from .._time import period_bounds
from ._common import FigureOptionError

__all__ = [
    "FlowSpans",
    "Frame",
    "Timeline",
    "flow_spans",
    "frames",
    "moved_flows",
    "timeline_dates",
]


def timeline_dates(conflict, *, start: object, end: object, freq: str) -> pd.DatetimeIndex:
    """The dates of the animation: every ``freq`` step from ``start`` to ``end`` (default:
    the conflict's first and last dates), with ``start`` and ``end`` themselves always in.

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> c = gc.load_example()
    >>> d = timeline_dates(c, start=None, end=None, freq="W")
    >>> [f"{x:%m-%d}" for x in d]
    ['11-26', '12-01', '12-08', '12-10']
    """
    first, last = period_bounds(
        conflict.period, start, end, error=FigureOptionError, normalize=True
    )
    try:
        steps = pd.date_range(first, last, freq=freq)
    except (ValueError, TypeError) as exc:
        raise FigureOptionError(
            f"freq must be a pandas frequency such as 'D', 'W' or 'MS', got {freq!r}."
        ) from exc
    dates = pd.DatetimeIndex(steps).union(pd.DatetimeIndex([first, last])).as_unit("ns")
    return pd.DatetimeIndex(dates, name="date")


def moved_flows(flows: pd.DataFrame) -> np.ndarray:
    """Which flows a map draws as lines: from one place to another, not ``present``."""
    moved = flows[ORIGIN].astype("string") != flows[DESTINATION].astype("string")
    if KIND in flows.columns:
        moved &= flows[KIND].astype("string").fillna("movement") != "present"
    moved &= flows[ORIGIN].notna() & flows[DESTINATION].notna()
    return moved.fillna(False).to_numpy(dtype=bool)


class FlowSpans(NamedTuple):
    """The flows a map draws lines for, each shown from date position ``first`` up to, not
    including, ``stop`` (``first == stop``: never), with its ``people`` and ``category``."""

    first: np.ndarray
    stop: np.ndarray
    people: np.ndarray
    category: np.ndarray

    def changes(self, n: int) -> np.ndarray:
        """(n,) booleans: whether the flows shown on date ``j`` differ from ``j - 1``'s."""
        live = self.first < self.stop
        out = np.zeros(n, dtype=bool)
        for edge in (self.first[live], self.stop[live]):
            inside = edge[(edge > 0) & (edge < n)]
            out[np.unique(inside)] = True
        return out

    def categories(self) -> list[str]:
        """The categories shown on any date, by the date they first show, then people."""
        live = np.flatnonzero(self.first < self.stop)
        order = live[np.lexsort((-self.people[live], self.first[live]))]
        return list(dict.fromkeys(str(c) for c in self.category[order]))


def flow_spans(conflict, dates: pd.DatetimeIndex, mode: str | bool) -> FlowSpans:
    """When each flow shows on a map of ``dates``: from the first date on or after its
    start, to the last (``mode="cumulative"`` or True) or to the last on or before its end
    (``"active"``); no flow with ``mode=False``. Before the largest are picked."""
    flows = conflict.flows
    if not mode or flows is None or flows.empty:
        empty = np.zeros(0, dtype=np.int64)
        return FlowSpans(empty, empty, np.zeros(0), np.zeros(0, dtype=object))
    keep = moved_flows(flows)
    rows = flows[keep]
    day = dates.asi8
    start = rows[START].to_numpy(dtype="datetime64[ns]").view(np.int64)
    first = np.searchsorted(day, start, side="left")
    if mode == "active":
        end = rows[END].to_numpy(dtype="datetime64[ns]").view(np.int64)
        stop = np.searchsorted(day, end, side="right")
    else:
        stop = np.full(first.size, day.size)
    category = (
        rows[CATEGORY].astype("string").fillna("internal").to_numpy(dtype=object)
        if CATEGORY in rows.columns
        else np.full(first.size, "internal", dtype=object)
    )
    return FlowSpans(
        first.astype(np.int64),
        stop.astype(np.int64),
        rows[PEOPLE].to_numpy(dtype=float),
        category,
    )


@dataclass(frozen=True)
class Timeline:
    """The dates shown and the state each one shows.

    ``state[j]`` numbers the distinct drawings: it grows by one where date ``j`` looks
    different from date ``j - 1`` (a control record or a flow begins or ends between them).
    ``progress[j]`` is date ``j``'s place between the first and the last date (0 to 1).
    """

    dates: pd.DatetimeIndex
    state: np.ndarray
    progress: np.ndarray

    @classmethod
    def build(cls, dates: pd.DatetimeIndex, changed: np.ndarray) -> Timeline:
        """From ``changed[j]``: whether date ``j``'s map differs from date ``j - 1``'s.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> d = pd.date_range("2024-01-01", periods=4)
        >>> t = Timeline.build(d, np.array([False, False, True, False]))
        >>> t.state.tolist(), t.progress.round(2).tolist()
        ([0, 0, 1, 1], [0.0, 0.33, 0.67, 1.0])
        """
        n = dates.size
        flags = np.asarray(changed, dtype=bool).copy()
        if n:
            flags[0] = False
        state = np.cumsum(flags)
        span = float(dates.asi8[-1] - dates.asi8[0]) if n else 0.0
        progress = (dates.asi8 - dates.asi8[0]) / span if span > 0 else np.ones(n, dtype=float)
        return cls(dates, state.astype(np.int64), np.asarray(progress, dtype=float))

    def changes_only(self) -> Timeline:
        """The first date and every date whose map differs from the date before it."""
        keep = np.r_[True, self.state[1:] != self.state[:-1]] if self.state.size else []
        keep = np.asarray(keep, dtype=bool)
        return Timeline(self.dates[keep], self.state[keep], self.progress[keep])

    def drawn_from(self) -> np.ndarray:
        """For each state, the first date (position) that shows it."""
        _, first = np.unique(self.state, return_index=True)
        return first


@dataclass(frozen=True)
class Frame:
    """One frame of the file: date ``date`` (a position in the timeline); ``blend`` of the
    way from the date before's map to this date's (1 for the date's own frame); the banner's
    ``progress``; ``duration`` in milliseconds and ``copies`` (for a fixed frame rate)."""

    date: int
    blend: float
    progress: float
    duration: int
    copies: int


def frames(timeline: Timeline, *, fps: float, tween: int, pause: float) -> list[Frame]:
    """The frames that play ``timeline``: for each date after the first, ``tween``
    in-between frames, then the date's own; the first and last frames held ``pause``
    seconds longer. Durations are whole milliseconds that add up to the exact total.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = Timeline.build(pd.date_range("2024-01-01", periods=3),
    ...                    np.array([False, True, False]))
    >>> [(f.date, f.blend, f.duration, f.copies) for f in frames(t, fps=2, tween=1, pause=1)]
    [(0, 1.0, 1500, 3), (1, 0.5, 500, 1), (1, 1.0, 500, 1), (2, 0.5, 500, 1), (2, 1.0, 1500, 3)]
    """
    plan: list[tuple[int, float, float]] = []
    for j in range(timeline.dates.size):
        if j:
            before, now = timeline.progress[j - 1], timeline.progress[j]
            for k in range(1, tween + 1):
                share = k / (tween + 1)
                plan.append((j, share, before + (now - before) * share))
        plan.append((j, 1.0, float(timeline.progress[j])))
    hold = round(pause * fps)
    ends = np.arange(1, len(plan) + 1, dtype=float) / fps
    extra = np.zeros(len(plan))
    if plan:
        extra[0] += pause
    if len(plan) > 1:
        extra[-1] += pause
    times = np.r_[0.0, ends + np.cumsum(extra)]
    ms = np.round(times * 1000).astype(np.int64)
    out = []
    for i, (j, share, progress) in enumerate(plan):
        copies = 1 + (hold if i == 0 else 0) + (hold if i == len(plan) - 1 and i else 0)
        out.append(Frame(j, share, progress, int(ms[i + 1] - ms[i]), copies))
    return out
