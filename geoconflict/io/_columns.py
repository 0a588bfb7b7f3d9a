"""Column mappings of foreign exports, as data, and the one function that applies them.

A reader describes its format as a tuple of :class:`Column` rows (our column, the names the
exports use for it across vintages, the kind of value) and calls :func:`take_columns`; the
kind picks the parser from :data:`PARSERS`. Adding a vintage's spelling of a column is a new
name in a row, not new code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._collect import Collector
from .._values import FOREIGN_DATE_FORMATS, parse_dates, parse_numbers

__all__ = ["PARSERS", "Column", "find_columns", "take_columns"]


@dataclass(frozen=True)
class Column:
    """One column of our table and where exports keep it.

    Attributes
    ----------
    ours : str
        Our column name.
    names : tuple of str
        The export's names for it, lower case, first found wins (current name first, then
        older vintages' names).
    kind : str
        ``"text"``, ``"date"`` (``required``: a row without it is skipped), ``"count"``
        (a non-negative number; bad values are left missing), ``"whole"`` (a whole number).
    what : str
        What the values count, for messages (``"deaths"``).
    values : mapping
        Codes and what they mean (UCDP's ``1`` -> ``"state-based conflict"``); other values
        are kept as they are.
    """

    ours: str
    names: tuple[str, ...]
    kind: str = "text"
    required: bool = False
    what: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


def _text(
    values: pd.Series, spec: Column, check: Collector, column: str, expected: str
) -> pd.Series:
    text = values.astype("string")
    if spec.values:
        stripped = text.str.strip()
        return stripped.map(dict(spec.values)).fillna(stripped).astype("string")
    return text


def _date(
    values: pd.Series,
    spec: Column,
    check: Collector,
    column: str,
    expected: str,
    dayfirst: bool | None = None,
) -> pd.Series:
    return parse_dates(
        values,
        check,
        column,
        required=spec.required,
        formats=FOREIGN_DATE_FORMATS,
        expected=expected,
        dayfirst=dayfirst,
    )


def _count(
    values: pd.Series, spec: Column, check: Collector, column: str, expected: str
) -> pd.Series:
    return parse_numbers(values, check, column, what=spec.what or spec.ours, minimum=0)


def _whole(
    values: pd.Series, spec: Column, check: Collector, column: str, expected: str
) -> pd.Series:
    numbers = pd.to_numeric(values.astype("string"), errors="coerce").astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2**31)
    return pd.Series(np.where(whole, numbers, np.nan), index=values.index).astype("Int64")


#: The parser of each kind of column.
PARSERS: dict[str, Callable[..., pd.Series]] = {
    "text": _text,
    "date": _date,
    "count": _count,
    "whole": _whole,
}


def find_columns(frame: pd.DataFrame, specs: tuple[Column, ...]) -> dict[str, str]:
    """Our column -> the export's column, for the columns the export has."""
    have = {str(c).strip().lower(): c for c in frame.columns}
    found = {}
    for spec in specs:
        name = next((n for n in spec.names if n in have), None)
        if name is not None:
            found[spec.ours] = have[name]
    return found


def take_columns(
    frame: pd.DataFrame,
    specs: tuple[Column, ...],
    check: Collector,
    *,
    expected: str = "2024-12-05",
    dayfirst: bool | None = None,
) -> dict[str, pd.Series]:
    """Our columns, parsed, in the order of ``specs``, for the columns the export has."""
    found = find_columns(frame, specs)
    out: dict[str, pd.Series] = {}
    for spec in specs:
        if spec.ours in found:
            column = found[spec.ours]
            parse = PARSERS[spec.kind]
            if spec.kind == "date":
                out[spec.ours] = _date(
                    frame[column], spec, check, str(column), expected, dayfirst=dayfirst
                )
            else:
                out[spec.ours] = parse(frame[column], spec, check, str(column), expected)
    return out
