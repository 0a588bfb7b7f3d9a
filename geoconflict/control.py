"""Who holds each place when: control at a date, changes of hands, periods of control.

A control record says that from its ``date`` (inclusive) the place is in that state until the
place's next record. Before a place's first record its controller is unknown (missing), which
is not an error.

Every function takes a control table as :class:`~geoconflict.Conflict` holds it, or any table
with ``place_id``, ``actor_id`` and ``date``, which is then validated first with the same
checks (a :class:`~geoconflict.errors.SchemaError` names the column and row at fault).

All queries work on the records sorted once by (place, date) and answer any number of
(place, date) questions with one ``numpy.searchsorted`` call: no Python loop over places or
dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._inputs import control_input, place_ids_input
from ._schema import ACTOR_ID, CONTESTED_BY, DATE, PLACE_ID, SOURCE, STATUS
from ._time import is_scalar_date, to_timestamp, to_timestamps

__all__ = ["ControlIndex", "control_at", "control_changes", "control_codes", "control_periods"]


@dataclass(frozen=True)
class ControlIndex:
    """Control records sorted by place then date, ready for vectorised lookups.

    Attributes
    ----------
    places : pandas.Index
        The place ids that have records; ``place_codes`` index into it.
    actors : pandas.Index
        The actor ids that occur; ``actor_codes`` index into it.
    place_codes, actor_codes, dates : numpy.ndarray
        One entry per record, sorted by (place, date); dates as int64 nanoseconds.
    order : numpy.ndarray
        Positions of the sorted records in the input table.
    """

    places: pd.Index
    actors: pd.Index
    place_codes: np.ndarray
    actor_codes: np.ndarray
    dates: np.ndarray
    order: np.ndarray

    @classmethod
    def build(cls, control: pd.DataFrame) -> ControlIndex:
        """Sort the records once by one integer key (place code, date rank)."""
        place_codes, places = pd.factorize(control[PLACE_ID], sort=True)
        actor_codes, actors = pd.factorize(control[ACTOR_ID], sort=True)
        dates = _date_values(control[DATE])
        ranks, unique_dates = pd.factorize(dates, sort=True)
        order = np.argsort(
            place_codes.astype(np.int64) * (len(unique_dates) + 1) + ranks, kind="stable"
        )
        return cls(
            pd.Index(places, name=PLACE_ID),
            pd.Index(actors, name=ACTOR_ID),
            place_codes[order],
            actor_codes[order],
            dates[order],
            order,
        )

    def lookup(self, place_codes: np.ndarray, when: np.ndarray) -> np.ndarray:
        """(n_places, n_dates) positions (in sorted records) of the records in force.

        ``place_codes`` index :attr:`places` (-1 for a place without records) and ``when``
        holds int64 nanoseconds; -1 marks a place and date with no record in force.

        Each record is written once where it takes effect (its place's row, the first
        requested date on or after it); a running maximum along the dates then carries it
        forward until the place's next record. Linear in records plus grid cells.
        """
        when = np.asarray(when, dtype=np.int64).ravel()
        place_codes = np.asarray(place_codes, dtype=np.int64).ravel()
        order = np.argsort(when, kind="stable")
        sorted_when = when[order]
        n_places = self.places.size
        grid = np.full((n_places, sorted_when.size), -1, dtype=np.int64)
        first = np.searchsorted(sorted_when, self.dates, side="left")
        live = first < sorted_when.size
        # records are sorted by date within a place, so the later one wins a shared cell
        np.maximum.at(grid, (self.place_codes[live], first[live]), np.flatnonzero(live))
        np.maximum.accumulate(grid, axis=1, out=grid)
        if not np.array_equal(order, np.arange(order.size)):
            grid = grid[:, np.argsort(order)]
        if np.array_equal(place_codes, np.arange(n_places)):
            return grid
        rows = (
            grid[np.maximum(place_codes, 0)]
            if n_places
            else np.full((place_codes.size, sorted_when.size), -1, dtype=np.int64)
        )
        rows[place_codes < 0] = -1
        return rows

    def actors_at(self, place_codes: np.ndarray, when: np.ndarray) -> np.ndarray:
        """(n_places, n_dates) codes into :attr:`actors`; -1 where nothing is in force."""
        found = self.lookup(place_codes, when)
        return np.append(self.actor_codes, -1)[found]  # position -1 picks the -1 at the end


def _date_values(dates: pd.Series) -> np.ndarray:
    values = pd.to_datetime(dates)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _target_places(
    index: ControlIndex, places: object, function: str
) -> tuple[pd.Index, np.ndarray]:
    ids = place_ids_input(places, function=function)
    if ids is None:
        return index.places, np.arange(index.places.size)
    target = pd.Index(ids, name=PLACE_ID)
    return target, index.places.get_indexer(target)


def control_codes(
    control: pd.DataFrame, when: object, *, places: object = None
) -> tuple[np.ndarray, pd.Index, pd.Index]:
    """Actor codes of every place at every date, as a 2-D integer array.

    Parameters
    ----------
    control : DataFrame
        A control table (``place_id``, ``actor_id``, ``date`` ...).
    when : sequence of dates
    places : GeoDataFrame or sequence of place ids, optional
        The places to report, in this order; default: every place with a record.

    Returns
    -------
    codes : numpy.ndarray of int, shape (n_places, n_dates)
        Index into ``actors``; -1 where the controller is unknown.
    places : pandas.Index
    actors : pandas.Index

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"place_id": ["a", "a"], "actor_id": ["x", "y"],
    ...                   "date": pd.to_datetime(["2024-01-01", "2024-01-10"])})
    >>> codes, places, actors = control_codes(c, ["2023-12-31", "2024-01-05", "2024-01-10"])
    >>> codes.tolist(), list(actors)
    ([[-1, 0, 1]], ['x', 'y'])
    """
    control = control_input(control, function="control_codes")
    index = ControlIndex.build(control)
    dates = to_timestamps([when] if is_scalar_date(when) else when)
    target, codes = _target_places(index, places, "control_codes")
    return index.actors_at(codes, dates.asi8), target, index.actors


def control_at(control: pd.DataFrame, when: object, *, places: object = None) -> pd.DataFrame:
    """Controller of every place at a date, or at each of several dates.

    Parameters
    ----------
    control : DataFrame
        A control table (``place_id``, ``actor_id``, ``date``, optional
        ``status``, ``contested_by``, ``source``).
    when : date or sequence of dates
        A record dated ``when`` is already in force on ``when``.
    places : GeoDataFrame or sequence of place ids, optional
        The places to report, in this order (places without a record get missing values);
        default: every place that has a record.

    Returns
    -------
    DataFrame
        For one date: indexed by ``place_id`` with ``actor_id``, ``status``,
        ``contested_by`` and ``since`` (the date of the record in force). For several dates:
        indexed by ``place_id`` with one column of actor ids per date.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"place_id": ["hama", "hama", "homs"],
    ...                   "actor_id": ["government", "hts", "government"],
    ...                   "date": pd.to_datetime(["2024-11-26", "2024-12-05", "2024-11-26"])})
    >>> control_at(c, "2024-12-05")["actor_id"].to_dict()
    {'hama': 'hts', 'homs': 'government'}
    >>> control_at(c, ["2024-12-04", "2024-12-05"]).loc["hama"].tolist()
    ['government', 'hts']
    >>> control_at(c, "2024-01-01")["actor_id"].isna().all()
    np.True_
    """
    control = control_input(control, function="control_at")
    index = ControlIndex.build(control)
    target, codes = _target_places(index, places, "control_at")
    if not is_scalar_date(when):
        dates = to_timestamps(when)
        actor = index.actors_at(codes, dates.asi8)
        dtype = pd.CategoricalDtype(index.actors)
        columns = {
            j: pd.Categorical.from_codes(actor[:, j], dtype=dtype, validate=False)
            for j in range(len(dates))
        }
        out = pd.DataFrame(columns, index=target)
        out.columns = pd.DatetimeIndex(dates, name=DATE)
        return out

    ts = to_timestamp(when)
    found = index.lookup(codes, np.array([ts.value]))[:, 0]
    has = found >= 0
    out = pd.DataFrame(index=target)
    if not has.any():  # no record in force (or none at all): every column missing
        for column in (ACTOR_ID, STATUS, CONTESTED_BY):
            out[column] = pd.Series(pd.NA, index=target, dtype="string")
        out["since"] = np.full(len(target), np.datetime64("NaT", "ns"))
        return out
    rows = index.order[np.maximum(found, 0)]
    out[ACTOR_ID] = _pick(control[ACTOR_ID], rows, has)
    status = (
        control[STATUS]
        if STATUS in control.columns
        else pd.Series("held", index=control.index, dtype="string")
    )
    out[STATUS] = _pick(status, rows, has)
    if CONTESTED_BY in control.columns:
        out[CONTESTED_BY] = _pick(control[CONTESTED_BY], rows, has)
    else:
        out[CONTESTED_BY] = pd.Series(pd.NA, index=target, dtype="string")
    since = pd.to_datetime(control[DATE]).to_numpy(dtype="datetime64[ns]")[rows]
    out["since"] = np.where(has, since, np.datetime64("NaT", "ns"))
    return out


def _pick(column: pd.Series, rows: np.ndarray, has: np.ndarray) -> pd.Series:
    """``column`` at positions ``rows`` as strings, missing where ``has`` is false."""
    values = column.take(rows).astype("string").reset_index(drop=True)
    return values.where(pd.Series(has), pd.NA).array


def _codes(column: pd.Series | None, n: int, default: str | None) -> np.ndarray:
    """Integer codes of a text column (missing values share one code)."""
    if column is None:
        return np.zeros(n, dtype=np.int64)
    codes, _ = pd.factorize(
        column.fillna(default) if default is not None else column, use_na_sentinel=False
    )
    return codes.astype(np.int64)


def _take(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    return column.take(positions).astype("string").to_numpy()


def control_changes(
    control: pd.DataFrame, *, start: object = None, end: object = None
) -> pd.DataFrame:
    """Every change of controller, optionally between two dates (both inclusive).

    A place's first record is its initial state, not a change.

    Parameters
    ----------
    control : DataFrame
    start, end : date, optional

    Returns
    -------
    DataFrame
        ``place_id``, ``date``, ``from_actor``, ``to_actor`` (and ``source`` when the
        control table has it), sorted by date then place.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"place_id": ["hama", "hama", "hama"],
    ...                   "actor_id": ["government", "government", "hts"],
    ...                   "date": pd.to_datetime(["2024-11-26", "2024-12-01", "2024-12-05"])})
    >>> control_changes(c)[["place_id", "from_actor", "to_actor"]].values.tolist()
    [['hama', 'government', 'hts']]
    """
    control = control_input(control, function="control_changes")
    index = ControlIndex.build(control)
    n = index.order.size
    same_place = np.zeros(n, dtype=bool)
    same_place[1:] = index.place_codes[1:] == index.place_codes[:-1]
    changed = np.zeros(n, dtype=bool)
    changed[1:] = same_place[1:] & (index.actor_codes[1:] != index.actor_codes[:-1])
    now = index.order[changed]
    before = index.order[np.flatnonzero(changed) - 1]
    out = pd.DataFrame(
        {
            PLACE_ID: _take(control[PLACE_ID], now),
            DATE: index.dates[changed].view("datetime64[ns]"),
            "from_actor": _take(control[ACTOR_ID], before),
            "to_actor": _take(control[ACTOR_ID], now),
        }
    )
    for col in ("from_actor", "to_actor", PLACE_ID):
        out[col] = out[col].astype("string")
    if SOURCE in control.columns:
        out[SOURCE] = control[SOURCE].take(now).to_numpy()
    if start is not None:
        out = out[out[DATE] >= to_timestamp(start, argument="start")]
    if end is not None:
        out = out[out[DATE] <= to_timestamp(end, argument="end")]
    return out.sort_values([DATE, PLACE_ID], kind="stable").reset_index(drop=True)


def control_periods(control: pd.DataFrame) -> pd.DataFrame:
    """Spans during which a place stayed in one state (actor, status, challenger).

    Returns
    -------
    DataFrame
        ``place_id``, ``actor_id``, ``status``, ``contested_by``, ``start`` and ``end``:
        ``end`` is the date the next state began (exclusive), missing while it lasts.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"place_id": ["hama", "hama", "hama"],
    ...                   "actor_id": ["government", "government", "hts"],
    ...                   "date": pd.to_datetime(["2024-11-26", "2024-12-01", "2024-12-05"])})
    >>> p = control_periods(c)
    >>> p[["actor_id", "start", "end"]]
         actor_id      start        end
    0  government 2024-11-26 2024-12-05
    1         hts 2024-12-05        NaT
    """
    control = control_input(control, function="control_periods")
    index = ControlIndex.build(control)
    n = index.order.size
    status = _codes(control.get(STATUS), n, "held")[index.order]
    challenger = _codes(control.get(CONTESTED_BY), n, None)[index.order]
    new_place = np.ones(n, dtype=bool)
    new_place[1:] = index.place_codes[1:] != index.place_codes[:-1]
    new_state = new_place.copy()
    new_state[1:] |= (
        (index.actor_codes[1:] != index.actor_codes[:-1])
        | (status[1:] != status[:-1])
        | (challenger[1:] != challenger[:-1])
    )
    starts = np.flatnonzero(new_state)
    dates = index.dates.view("datetime64[ns]")
    next_start = np.append(starts[1:], n)[: starts.size]  # no records: no periods
    ends = np.full(starts.size, np.datetime64("NaT", "ns"))
    continues = next_start < n
    continues[continues] = ~new_place[next_start[continues]]
    ends[continues] = dates[next_start[continues]]
    rows = index.order[starts]
    held = pd.Series("held", index=control.index, dtype="string")
    none = pd.Series(pd.NA, index=control.index, dtype="string")
    return pd.DataFrame(
        {
            PLACE_ID: _take(control[PLACE_ID], rows),
            ACTOR_ID: _take(control[ACTOR_ID], rows),
            STATUS: _take(control.get(STATUS, held).fillna("held"), rows),
            CONTESTED_BY: _take(control.get(CONTESTED_BY, none), rows),
            "start": dates[starts],
            "end": ends,
        }
    ).astype({PLACE_ID: "string", ACTOR_ID: "string", STATUS: "string", CONTESTED_BY: "string"})
