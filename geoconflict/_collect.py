"""One collector for what is wrong with the rows of a table, for validators and readers alike.

A :class:`Collector` is filled with array masks while a table is checked. It works in one of
two modes:

* **strict** (the default, used by the table validators and the folder format): every row
  problem is an error; :meth:`Collector.raise_if_any` raises them together as one
  :class:`~geoconflict.errors.SchemaError`, showing the first few per check and a count.
* **report** (used by the readers of foreign data): row problems are entries of a report, one
  per row and problem, none left out; the reader decides which rows it keeps, and
  :meth:`Collector.entries` marks each entry ``kept`` or ``skipped`` from that decision, so a
  report can never call a row skipped that is in the table, or the reverse.

Problems of the whole table (a missing column, a bad option) are errors in both modes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from .errors import Problem, SchemaError

__all__ = ["ENTRY_COLUMNS", "Collector", "plain"]

#: The columns of a report's entries.
ENTRY_COLUMNS = ("row", "column", "value", "reason", "action")

#: Rows shown per check in an error message; the rest are counted.
_MAX_PROBLEMS_PER_CHECK = 25

Values = Iterable[object] | Callable[[np.ndarray], Iterable[object]]


def plain(value: object) -> object:
    """Numpy scalars as Python ones and missing values as None, so messages read naturally."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def _pick(values: Values, positions: np.ndarray, n: int) -> np.ndarray:
    """The values at ``positions``: from a callable, a Series, or any sequence of all rows
    (or of the masked rows only, when shorter)."""
    if callable(values):
        return np.asarray(pd.Series(list(values(positions)), dtype=object), dtype=object)
    if isinstance(values, (pd.Series, pd.Index)):
        array = values.to_numpy(dtype=object)
    else:
        array = np.asarray(pd.Series(list(values), dtype=object), dtype=object)
    return array[positions] if len(array) == n else array


class Collector:
    """Collects the problems found in one table.

    Parameters
    ----------
    table : str
        The file the table came from, or a name such as ``"table 'places'"``.
    rows : array-like of int, optional
        The row number to report for each position; default: position + 1.
    report : bool
        Report mode: row problems become report entries instead of errors.

    Examples
    --------
    >>> import numpy as np
    >>> c = Collector("x.csv", report=True)
    >>> c.add_rows(np.array([False, True]), ["a", "b"], "not a date", column="when")
    >>> c.entries(kept=np.array([True, False]))[["row", "value", "action"]].values.tolist()
    [[2, 'b', 'skipped']]
    >>> s = Collector("x.csv")
    >>> s.add_rows(np.array([True]), ["b"], "not a date", column="when", fix="use ISO 8601")
    >>> print(s.problems[0])
    x.csv, row 1, column 'when', value 'b': not a date. Fix: use ISO 8601.
    """

    def __init__(self, table: object, rows: np.ndarray | None = None, *, report: bool = False):
        self.table = str(table)
        self.rows = None if rows is None else np.asarray(rows)
        self.report = report
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self._parts: list[pd.DataFrame] = []

    def row_number(self, position: int) -> int:
        if self.rows is None:
            return int(position) + 1
        return int(self.rows[position])

    def row_numbers(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        return positions + 1 if self.rows is None else self.rows[positions].astype(np.int64)

    def add(self, message: str, *, column: str | None = None, fix: str | None = None) -> None:
        """Record a problem of the whole table or of a column (an error in both modes)."""
        self.problems.append(Problem(message, file=self.table, column=column, fix=fix))

    def note(self, text: str) -> None:
        """Record a fact about the whole input (which column was used, a format seen)."""
        if text not in self.notes:
            self.notes.append(text)

    def add_rows(
        self,
        mask: np.ndarray,
        values: Values,
        message: str,
        *,
        column: str | None,
        fix: str | None = None,
        action: str | None = None,
        rows: np.ndarray | None = None,
    ) -> None:
        """Record ``message`` for every position where ``mask`` is true.

        ``values`` gives the value of every position (or of the masked ones only), or is a
        callable taking the positions. In report mode ``action`` fixes the entry's action
        (``"kept"`` or ``"skipped"``) instead of taking it from the rows kept, and ``rows``
        gives the row numbers of the positions when they are not the collector's.
        """
        mask = np.asarray(mask, dtype=bool)
        positions = np.flatnonzero(mask)
        if positions.size == 0:
            return
        if self.report:
            numbers = (
                np.asarray(rows)[positions].astype(np.int64)
                if rows is not None
                else self.row_numbers(positions)
            )
            picked = _pick(values, positions, len(mask))
            self._parts.append(
                pd.DataFrame(
                    {
                        "row": numbers,
                        "column": column,
                        "value": [plain(v) for v in picked],
                        "reason": message,
                        "action": action,
                    }
                )
            )
            return
        shown = positions[:_MAX_PROBLEMS_PER_CHECK]
        picked = _pick(values, shown if callable(values) else positions, len(mask))
        numbers = np.asarray(rows)[shown] if rows is not None else self.row_numbers(shown)
        for number, value in zip(numbers, picked[: len(shown)], strict=True):
            self.problems.append(
                Problem(
                    message,
                    file=self.table,
                    row=int(number),
                    column=column,
                    value=plain(value),
                    fix=fix,
                    has_value=True,
                )
            )
        if positions.size > _MAX_PROBLEMS_PER_CHECK:
            rest = positions.size - _MAX_PROBLEMS_PER_CHECK
            self.problems.append(
                Problem(
                    f"{rest} more row(s) with the same problem: {message}",
                    file=self.table,
                    column=column,
                    fix=fix,
                )
            )

    def raise_if_any(self) -> None:
        """Raise the errors found so far as one SchemaError."""
        if self.problems:
            raise SchemaError.from_problems(self.problems)

    def entries(self, *, kept: np.ndarray | None = None) -> pd.DataFrame:
        """The report entries sorted by row; each entry's action comes from ``kept``.

        ``kept`` says, per position, whether the row is in the table the reader returns; an
        entry of a kept row is ``kept`` (its value was left missing or noted), any other is
        ``skipped``. Entries recorded with an explicit action keep it.
        """
        if not self._parts:
            frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ENTRY_COLUMNS})
            return frame.astype({"row": np.int64})
        frame = pd.concat(self._parts, ignore_index=True)
        derived = frame["action"].isna().to_numpy()
        if kept is not None:
            kept_rows = self.row_numbers(np.flatnonzero(np.asarray(kept, dtype=bool)))
            in_table = np.isin(frame["row"].to_numpy(), kept_rows)
            frame.loc[derived, "action"] = np.where(in_table[derived], "kept", "skipped")
        else:
            frame.loc[derived, "action"] = "skipped"
        frame = frame.sort_values("row", kind="stable").reset_index(drop=True)
        return frame[list(ENTRY_COLUMNS)]
