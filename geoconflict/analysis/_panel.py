"""A place-by-period panel of control, ready for panel regressions.

Every place's state on every day of the periods (towns without a record of their own taking
their polygon's), in blocks of days, then counted per period with one ``bincount``: no loop
over places or periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._inputs import conflict_input
from .._schema import PLACE_ID
from .._time import period_bounds
from .._types import ConflictLike
from ..control import ControlIndex
from ..errors import OptionError
from ..territory._holders import STATED_UNKNOWN_CODE, UNKNOWN_CODE, holder_names, record_codes
from ..territory._nesting import containing_polygons
from ._states import places_over, with_polygons

__all__ = ["FREQUENCIES", "control_panel", "panel_periods"]

#: The periods a panel can have, as pandas frequencies, with the period each means.
FREQUENCIES = {"W": "W", "MS": "M", "QS": "Q", "YS": "Y"}
_MAX_MATRIX = 5_000_000  # entries of a (places x days) block
_DAY = np.int64(86_400_000_000_000)


def control_panel(
    conflict: ConflictLike, *, freq: str = "MS", start: object = None, end: object = None
) -> pd.DataFrame:
    """One row per place and period: who held it, for how many days, how often it changed
    hands.

    Polygon places and towns alike; a town without a control record of its own takes, day by
    day, the state of the smallest polygon place around it that has one (as
    :meth:`geoconflict.Conflict.at` shows it).

    Parameters
    ----------
    conflict : Conflict
    freq : {"W", "MS", "QS", "YS"}, default "MS"
        Weeks (Monday to Sunday), calendar months, quarters or years.
    start, end : date, optional
        The panel covers every period that contains a day from ``start`` to ``end``, whole;
        default: the conflict's period.

    Returns
    -------
    DataFrame
        Tidy: one row per (place, period), places in the conflict's order, periods in time
        order. ``place_id`` (categorical), ``period`` (a pandas Period), ``start`` and
        ``end`` (its first and last day), ``days`` (its length); ``holder`` (on its last
        day: an actor id, ``contested`` or ``unknown``); ``days_<holder>`` for every actor,
        ``contested`` and ``unknown`` (days held in the period; they sum to ``days``);
        ``changes`` (changes of hands during the period: days on which the actor of the
        record in force differs from the day before's, as
        :func:`geoconflict.control_changes` counts them; a first record is not a change);
        ``first_change`` and ``last_change`` (their dates, missing without one).

    Raises
    ------
    OptionError
        For another ``freq``, or ``start`` after ``end``.

    Examples
    --------
    A town taken on 22 January was held 10 of January's 31 days by its new holder:

    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> places = gc.make_places(["t"], ["Town"], [36.0], [35.0])
    >>> control = pd.DataFrame({"place_id": ["t", "t"], "actor_id": ["gov", "reb"],
    ...                         "date": ["2024-01-01", "2024-01-22"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["gov", "reb"]}), control)
    >>> p = control_panel(c, freq="MS", start="2024-01-01", end="2024-02-10")
    >>> p[["period", "days", "holder", "days_gov", "days_reb", "changes"]]
        period  days holder  days_gov  days_reb  changes
    0  2024-01    31    reb        21        10        1
    1  2024-02    29    reb         0        29        0
    >>> p.loc[0, "first_change"]
    Timestamp('2024-01-22 00:00:00')
    """
    conflict_input(conflict, function="control_panel")
    periods = panel_periods(conflict, freq, start, end, function="control_panel")
    first_day = periods.start_time.normalize()
    last_day = periods.end_time.normalize()
    length = ((last_day - first_day).days + 1).to_numpy(dtype=np.int64)
    day0 = first_day[0]
    ids = pd.Index(conflict.places.index, name=PLACE_ID)
    names = holder_names(conflict)
    panel = _Panel(ids.size, length, len(names))
    index, record = record_codes(conflict)
    record = np.where(record == STATED_UNKNOWN_CODE, UNKNOWN_CODE, record)
    grid = _inheriting(conflict, index, ids, day0)
    _from_records(panel, index, record, ids, ~grid, day0)
    if grid.any():
        _day_by_day(panel, conflict, ids, grid, day0)
    return _frame(ids, periods, first_day, last_day, length, names, panel, day0)


class _Panel:
    """The counts of a panel being filled: (labels x places x periods) days held, changes,
    first and last change (day numbers), the holder at each period's end."""

    def __init__(self, n: int, length: np.ndarray, n_labels: int):
        n_periods = length.size
        self.length = length
        self.starts = np.r_[0, np.cumsum(length)[:-1]]
        self.n_days = int(length.sum())
        self.period_of_day = np.repeat(np.arange(n_periods), length)
        self.n_labels = n_labels
        self.held = np.zeros((n_labels, n, n_periods), dtype=np.int32)
        self.changes = np.zeros((n, n_periods), dtype=np.int32)
        self.first = np.full((n, n_periods), np.iinfo(np.int64).max, dtype=np.int64)
        self.last = np.full((n, n_periods), -1, dtype=np.int64)
        self.holder = np.zeros((n, n_periods), dtype=np.int64)

    def add_changes(self, rows: np.ndarray, days: np.ndarray) -> None:
        at = (rows, self.period_of_day[days])
        np.add.at(self.changes, at, 1)
        np.minimum.at(self.first, at, days)
        np.maximum.at(self.last, at, days)


def _inheriting(conflict: ConflictLike, index: ControlIndex, ids: pd.Index, day0: pd.Timestamp):
    """Towns that may take a polygon's state on some day of the panel: inside a polygon
    place, and without a record of their own in force from its first day."""
    pairs = containing_polygons(conflict.places)
    inside = ids.isin(pd.Index(pairs["place_id"]))
    if not inside.any():
        return inside
    first = pd.Series(index.dates, index=index.places[index.place_codes]).groupby(level=0).min()
    own = first.reindex(ids).to_numpy(dtype=float)
    return inside & ~(own <= day0.as_unit("ns").value)


def _from_records(
    panel: _Panel,
    index: ControlIndex,
    record: np.ndarray,
    ids: pd.Index,
    rows: np.ndarray,
    day0: pd.Timestamp,
) -> None:
    """Fill the rows ``rows`` from their own records: each record holds from its day to the
    place's next record, cut into the periods it spans (no daily grid)."""
    n_days = panel.n_days
    row_of = ids.get_indexer(index.places)[index.place_codes]
    day = (index.dates - day0.as_unit("ns").value) // _DAY
    use = (row_of >= 0) & rows[np.maximum(row_of, 0)] & (day < n_days)
    row_of, day, code, actor = row_of[use], day[use], record[use], index.actor_codes[use]
    same = np.zeros(row_of.size, dtype=bool)  # the next record is the same place's
    same[:-1] = row_of[1:] == row_of[:-1]
    end = np.full(row_of.size, n_days, dtype=np.int64)
    end[:-1][same[:-1]] = day[1:][same[:-1]]
    live = end > 0  # a record replaced before the panel starts holds none of its days
    changed = np.zeros(row_of.size, dtype=bool)
    changed[1:] = same[:-1] & (actor[1:] != actor[:-1])
    inside = changed & (day >= 0)
    panel.add_changes(row_of[inside], day[inside])
    row_of, day, end, code = row_of[live], np.maximum(day[live], 0), end[live], code[live]
    # the days before a place's first record (all of them without one) are unknown
    first = np.r_[True, row_of[1:] != row_of[:-1]] if row_of.size else np.zeros(0, bool)
    wanted = np.flatnonzero(rows)
    start_of = np.full(ids.size, n_days)
    start_of[row_of[first]] = day[first]
    blank = wanted[start_of[wanted] > 0]
    row_of = np.r_[blank, row_of]
    code = np.r_[np.full(blank.size, UNKNOWN_CODE), code]
    end = np.r_[start_of[blank], end]
    day = np.r_[np.zeros(blank.size, np.int64), day]
    order = np.lexsort((day, row_of))
    row_of, day, end, code = row_of[order], day[order], end[order], code[order]
    # each span cut into the periods it touches
    p_first, p_last = panel.period_of_day[day], panel.period_of_day[end - 1]
    count = p_last - p_first + 1
    piece = np.repeat(np.arange(day.size), count)
    period = p_first[piece] + np.arange(piece.size) - np.repeat(np.cumsum(count) - count, count)
    lo = np.maximum(day[piece], panel.starts[period])
    hi = np.minimum(end[piece], panel.starts[period] + panel.length[period])
    label = code[piece] % panel.n_labels
    place = row_of[piece]
    n, n_periods = panel.changes.shape
    flat = panel.held.reshape(-1)
    np.add.at(flat, (label * n + place) * n_periods + period, (hi - lo).astype(np.int32))
    key = place * n_periods + period
    last = np.ones(key.size, dtype=bool)  # the span that covers the period's last day
    last[:-1] = key[1:] != key[:-1]
    panel.holder.reshape(-1)[key[last]] = label[last]


def _day_by_day(
    panel: _Panel, conflict: ConflictLike, ids: pd.Index, rows: np.ndarray, day0: pd.Timestamp
) -> None:
    """Fill the rows ``rows`` day by day, with the towns' inherited states."""
    target = ids[rows]
    local = with_polygons(conflict, target)  # and the polygons they inherit from
    out = np.flatnonzero(rows)
    n_rows = target.size
    n_days = panel.n_days
    n_labels = panel.n_labels
    n_periods = panel.length.size
    is_end = np.zeros(n_days, dtype=bool)
    is_end[np.cumsum(panel.length) - 1] = True
    _, before, _ = places_over(conflict, local, pd.DatetimeIndex([day0 - pd.Timedelta(days=1)]))
    previous = before[:n_rows, 0]
    step = max(1, _MAX_MATRIX // max(local.size, 1))
    for lo in range(0, n_days, step):  # blocks of days bound the memory, not a loop
        hi = min(lo + step, n_days)
        dates = pd.DatetimeIndex(day0 + pd.to_timedelta(np.arange(lo, hi), unit="D"))
        codes, actor, _ = places_over(conflict, local, dates)
        labels, actor = codes[:n_rows] % n_labels, actor[:n_rows]
        period = panel.period_of_day[lo:hi]
        key = (labels * panel.held.shape[1] + out[:, None]) * n_periods + period[None, :]
        np.add.at(panel.held.reshape(-1), key.ravel(), 1)
        ends = np.flatnonzero(is_end[lo:hi])
        panel.holder[out[:, None], period[ends][None, :]] = labels[:, ends]
        prior = np.column_stack([previous, actor[:, :-1]])
        where, col = np.nonzero((actor != prior) & (actor >= 0) & (prior >= 0))
        panel.add_changes(out[where], lo + col)
        previous = actor[:, -1]


def _frame(
    ids: pd.Index,
    periods: pd.PeriodIndex,
    first_day: pd.DatetimeIndex,
    last_day: pd.DatetimeIndex,
    length: np.ndarray,
    names: list[str],
    panel: _Panel,
    day0: pd.Timestamp,
) -> pd.DataFrame:
    n, n_periods = panel.holder.shape
    first, last = panel.first, panel.last
    origin = day0.as_unit("ns").value

    def dates(days: np.ndarray, valid: np.ndarray) -> np.ndarray:
        values = np.where(valid, origin + days * _DAY, np.iinfo(np.int64).min)
        return values.ravel().view("datetime64[ns]")

    columns: dict[str, object] = {
        PLACE_ID: pd.Categorical.from_codes(np.repeat(np.arange(n), n_periods), categories=ids),
        "period": pd.arrays.PeriodArray(np.tile(periods.asi8, n), dtype=periods.dtype),
        "start": np.tile(first_day.to_numpy(dtype="datetime64[ns]"), n),
        "end": np.tile(last_day.to_numpy(dtype="datetime64[ns]"), n),
        "days": np.tile(length, n),
        "holder": pd.Categorical.from_codes(panel.holder.ravel(), categories=names),
    }
    for k, name in enumerate(names):
        columns[f"days_{name}"] = panel.held[k].ravel()
    columns["changes"] = panel.changes.ravel()
    columns["first_change"] = dates(first, last >= 0)
    columns["last_change"] = dates(last, last >= 0)
    return pd.DataFrame(columns)


def panel_periods(
    conflict: ConflictLike, freq: str, start: object, end: object, *, function: str
) -> pd.PeriodIndex:
    """The whole periods of ``freq`` from ``start`` to ``end`` (default: the conflict's)."""
    if not isinstance(freq, str) or freq not in FREQUENCIES:
        raise OptionError(
            f"{function}: freq must be one of {', '.join(map(repr, FREQUENCIES))} (weeks, "
            f"months, quarters, years), got {freq!r}. Fix: e.g. freq='MS'."
        )
    first, last = period_bounds(conflict.period, start, end, prefix=f"{function}: ")
    return pd.period_range(first, last, freq=FREQUENCIES[freq])
