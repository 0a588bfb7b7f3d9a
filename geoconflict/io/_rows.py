"""Parsing the cells of foreign tables, with every bad cell recorded in a report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import EARLIEST, LATEST
from .report import ReportBuilder

__all__ = ["parse_counts", "parse_days", "parse_points"]


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Floats, and where the text was given but is not a finite number."""
    text = values.astype("string").str.strip()
    text = text.mask(text == "", pd.NA)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
    given = text.notna().to_numpy()
    bad = given & ~np.isfinite(numbers)
    return np.where(bad, np.nan, numbers), bad


def parse_points(frame: pd.DataFrame, lon: str, lat: str, report: ReportBuilder
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Points from longitude and latitude columns, and which rows gave a usable point.

    Rows with missing, non-numeric or out-of-range coordinates are recorded as skipped.
    """
    x, bad_x = _numbers(frame[lon])
    y, bad_y = _numbers(frame[lat])
    shown = frame[lon].astype("string").fillna("") + ", " + frame[lat].astype(
        "string").fillna("")
    bad = bad_x | bad_y
    report.add(bad, shown, "coordinates are not numbers", column=f"{lon}/{lat}")
    missing = ~bad & (np.isnan(x) | np.isnan(y))
    report.add(missing, shown, "coordinates are missing", column=f"{lon}/{lat}")
    with np.errstate(invalid="ignore"):
        outside = ~bad & ~missing & ((np.abs(x) > 180) | (np.abs(y) > 90))
    report.add(outside, shown, "coordinates are outside longitude -180..180 / latitude "
               "-90..90", column=f"{lon}/{lat}")
    ok = ~(bad | missing | outside)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    return geoms, ok


def parse_days(values: pd.Series, report: ReportBuilder, *, column: str,
               formats: tuple[str, ...] = (), expected: str = "2024-12-05",
               required: bool = True) -> tuple[pd.Series, np.ndarray]:
    """Dates (naive, ``datetime64[ns]``) from ISO 8601 text or one of ``formats``.

    Returns the dates and which rows are usable; missing (when ``required``) and unreadable
    dates are recorded as skipped.
    """
    text = values.astype("string").str.strip()
    text = text.mask(text == "", pd.NA)
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    for fmt in formats:
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed = parsed.where(~todo, pd.to_datetime(text.where(todo), format=fmt,
                                                    errors="coerce", utc=True))
    parsed = parsed.dt.tz_localize(None)
    far = ((parsed < EARLIEST) | (parsed > LATEST)).fillna(False).to_numpy()
    report.add(far, values, f"date is outside {EARLIEST.year}..{LATEST.year} and is probably "
               "mistyped", column=column)
    parsed = parsed.mask(far).astype("datetime64[ns]")
    given = text.notna().to_numpy()
    bad = given & ~far & parsed.isna().to_numpy()
    report.add(bad, values, f"not a date (expected e.g. {expected})", column=column)
    missing = ~given
    if required:
        report.add(missing, values, "date is missing", column=column)
    ok = ~bad & ~far & (~missing if required else True)
    return parsed, np.asarray(ok, dtype=bool)


def parse_counts(values: pd.Series, report: ReportBuilder, *, column: str, what: str,
                 action: str = "kept") -> pd.Series:
    """Non-negative numbers; text and negative values become missing and are recorded.

    ``action`` says what the caller does with such rows: ``"kept"`` (the value is left
    missing) or ``"skipped"``.
    """
    numbers, bad = _numbers(values)
    tail = "; left missing" if action == "kept" else ""
    report.add(bad, values, f"{what} is not a number{tail}", column=column, action=action)
    with np.errstate(invalid="ignore"):
        negative = numbers < 0
    report.add(negative, values, f"{what} is negative{tail}", column=column, action=action)
    return pd.Series(np.where(negative, np.nan, numbers), index=values.index)
