"""The dates a map's time slider stops at, and the step each date falls on.

The map works in whole days: every date is taken at midnight (UTC) of its day.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .._schema import DATE, END, START
from .._time import to_timestamp

__all__ = [
    "DAY",
    "MAX_DAILY_STEPS",
    "day_values",
    "iso",
    "last_busy_step",
    "slider_steps",
    "start_step",
    "step_of",
]

#: Longest span (in days) drawn with one slider step per day; longer spans step through
#: the dates on which something changes.
MAX_DAILY_STEPS = 3660
#: One day in nanoseconds.
DAY = np.int64(86_400 * 10**9)


def day_values(values: object) -> np.ndarray:
    """Dates as int64 nanoseconds at midnight (the map works in whole days)."""
    stamps = pd.to_datetime(pd.Series(values)).dropna()
    ns = stamps.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return ns - ns % DAY


def slider_steps(conflict, when: object = None) -> pd.DatetimeIndex:
    """The dates the time slider stops at.

    Every day from the first to the last date of the conflict (control records, flows,
    events, and ``when``), or, for spans longer than :data:`MAX_DAILY_STEPS` days, the dates
    on which something changes.

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> from geoconflict.places import make_places
    >>> c = gc.Conflict(make_places(["a"], ["A"], [36.0], [35.0]),
    ...                 pd.DataFrame({"actor_id": ["x"]}),
    ...                 pd.DataFrame({"place_id": ["a"], "actor_id": ["x"],
    ...                               "date": ["2024-12-01"]}))
    >>> [f"{d:%m-%d}" for d in slider_steps(c, "2024-12-03")]
    ['12-01', '12-02', '12-03']
    """
    parts = [day_values(conflict.control[DATE])]
    if conflict.flows is not None and len(conflict.flows):
        parts.append(day_values(conflict.flows[START]))
        ends = day_values(conflict.flows[END])
        parts.append(ends)
        parts.append(ends + DAY)
    if conflict.events is not None and len(conflict.events):
        parts.append(day_values(conflict.events[DATE]))
    if when is not None:
        parts.append(day_values([to_timestamp(when)]))
    days = np.unique(np.concatenate(parts)) if parts else np.array([], np.int64)
    if days.size and (days[-1] - days[0]) // DAY < MAX_DAILY_STEPS:
        days = np.arange(days[0], days[-1] + DAY, DAY)
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name=DATE)


def start_step(steps: pd.DatetimeIndex, when: object) -> int:
    if not len(steps):
        return -1
    if when is None:
        return len(steps) - 1
    day = day_values([to_timestamp(when)])[0]
    return int(np.searchsorted(steps.asi8, day, side="right") - 1)


def last_busy_step(
    n_steps: int, *, starts: object = (), shown: Iterable[tuple[object, object]] = ()
) -> int:
    """The last step on which something happens: a control period begins (``starts``) or
    a flow or event is shown (``shown``: ``(first, last)`` step arrays); the last step when
    nothing does.

    A map opened on its last step can show nothing at all (flows that ended the day before,
    one old control record): it opens on this step instead.

    Examples
    --------
    >>> last_busy_step(5, starts=[0, 1], shown=[(np.array([0]), np.array([2]))])
    2
    >>> last_busy_step(5)
    4
    """
    busy = [np.asarray(starts, dtype=np.int64).ravel()]
    for first, last in shown:
        first, last = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
        ok = (last >= first) & (last >= 0)
        busy.append(np.minimum(last[ok], n_steps - 1))
    values = np.concatenate(busy)
    values = values[(values >= 0) & (values < n_steps)]
    return int(values.max()) if values.size else n_steps - 1


def iso(ts: pd.Timestamp) -> str:
    return f"{ts:%Y-%m-%d}"


def step_of(steps: pd.DatetimeIndex, values: object) -> np.ndarray:
    """Index of the step each date falls on (the last step on or before it; -1 before)."""
    return np.searchsorted(steps.as_unit("ns").asi8, day_values(values), side="right") - 1
