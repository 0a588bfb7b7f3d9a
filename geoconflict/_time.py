"""Turning what users pass as ``when`` into timestamps (naive, UTC, nanoseconds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import numpy as np
import pandas as pd

from .errors import DateArgumentError, OptionError

__all__ = ["date_or_last", "is_scalar_date", "period_bounds", "to_timestamp", "to_timestamps"]


def is_scalar_date(when: object) -> bool:
    """True for one date (text, date, datetime, Timestamp, datetime64), False for a sequence."""
    return (
        isinstance(when, (str, dt.date, pd.Timestamp, np.datetime64))
        or np.ndim(cast(Any, when)) == 0
    )


def to_timestamp(when: object, *, argument: str = "when") -> pd.Timestamp:
    """One date as a naive UTC Timestamp; tz-aware input is converted to UTC.

    Examples
    --------
    >>> to_timestamp("2024-12-05")
    Timestamp('2024-12-05 00:00:00')
    >>> to_timestamp("2024-12-05T03:00+03:00")
    Timestamp('2024-12-05 00:00:00')
    """
    try:
        ts = pd.Timestamp(when)
    except (ValueError, TypeError, OverflowError) as exc:
        raise DateArgumentError(
            f"{argument}: could not read {when!r} as a date. Fix: pass a date such as "
            "'2024-12-05' or a datetime."
        ) from exc
    if ts is pd.NaT:
        raise DateArgumentError(
            f"{argument}: a date is needed, got a missing value. Fix: pass "
            "a date such as '2024-12-05'."
        )
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.as_unit("ns")


def to_timestamps(when: object, *, argument: str = "when") -> pd.DatetimeIndex:
    """Several dates as a naive UTC DatetimeIndex, in the order given."""
    if isinstance(when, pd.DatetimeIndex):
        idx = when
        if idx.tz is not None:
            idx = idx.tz_convert("UTC").tz_localize(None)
        return idx.as_unit("ns")
    if isinstance(when, (str, bytes)) or not isinstance(when, Iterable):
        raise DateArgumentError(
            f"{argument}: expected a sequence of dates, got "
            f"{type(when).__name__} {when!r}. Fix: pass a list such as "
            "['2024-12-01', '2024-12-05']."
        )
    return pd.DatetimeIndex([to_timestamp(w, argument=argument) for w in when]).as_unit("ns")


def date_or_last(
    when: object, period: tuple[pd.Timestamp, pd.Timestamp] | None, *, argument: str = "when"
) -> pd.Timestamp | None:
    """``when`` as a timestamp, or the last date of ``period`` (a conflict's ``period``) when
    ``when`` is None; None when neither is given. The one rule for "default: the last date".

    Examples
    --------
    >>> date_or_last(None, (pd.Timestamp("2024-11-26"), pd.Timestamp("2024-12-09")))
    Timestamp('2024-12-09 00:00:00')
    >>> date_or_last("2024-12-05", None)
    Timestamp('2024-12-05 00:00:00')
    >>> date_or_last(None, None) is None
    True
    """
    if when is not None:
        return to_timestamp(when, argument=argument)
    return None if period is None else period[1]


def period_bounds(
    period: tuple[pd.Timestamp, pd.Timestamp] | None,
    start: object,
    end: object,
    *,
    error: type[Exception] = OptionError,
    prefix: str = "",
    normalize: bool = False,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last dates of a period asked for: ``start`` and ``end``, each defaulting
    to the conflict's own ``period``; ``error`` (its message after ``prefix``) when there is
    no default or ``start`` comes after ``end``. ``normalize`` takes both to midnight first.

    Examples
    --------
    >>> days = (pd.Timestamp("2024-11-26"), pd.Timestamp("2024-12-10"))
    >>> [f"{d:%m-%d}" for d in period_bounds(days, "2024-12-01", None)]
    ['12-01', '12-10']
    """
    if (start is None or end is None) and period is None:
        raise error(
            f"{prefix}the conflict has no dates, so there is no default period. Fix: pass "
            "start= and end=."
        )
    default = period or (pd.NaT, pd.NaT)  # both given when there is no period
    first = to_timestamp(start, argument="start") if start is not None else default[0]
    last = to_timestamp(end, argument="end") if end is not None else default[1]
    if normalize:
        first, last = first.normalize(), last.normalize()
    if first > last:
        if start is not None and end is not None:
            fix = "swap them"
        elif end is None:
            fix = f"pass an end= on or after {first:%Y-%m-%d}, or a start= up to {last:%Y-%m-%d}"
        else:
            fix = f"pass a start= on or before {last:%Y-%m-%d}, or an end= from {first:%Y-%m-%d}"
        of_first = "" if start is not None else ", the conflict's first date"
        of_last = "" if end is not None else ", the conflict's last date"
        raise error(
            f"{prefix}start ({first:%Y-%m-%d}{of_first}) is after end "
            f"({last:%Y-%m-%d}{of_last}). Fix: {fix}."
        )
    return first, last
