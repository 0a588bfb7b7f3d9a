"""What a reader of foreign data left out or changed, row by row.

Every reader of outside data (ACLED, UCDP, HXL, control from events) returns its table with
a :class:`ReadReport`: nothing is dropped silently. One entry per row and problem: the data
row (counted from 1, the header not counted), the column, the value, the reason and whether
the row was ``skipped`` or ``kept`` (kept with the value left missing, say).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._collect import Collector
from ..errors import DataWarning, Problem

__all__ = ["ReadReport", "ReportBuilder"]


@dataclass(frozen=True, repr=False)
class ReadReport:
    """What a reader did with each input row that it could not take as it was.

    Attributes
    ----------
    source : str
        The file (or table) read.
    table : str
        What the rows became: ``"events"``, ``"control"``, ``"places"`` or ``"flows"``.
    rows_read : int
        Data rows in the input.
    rows_kept : int
        Rows in the returned table.
    entries : DataFrame
        ``row``, ``column``, ``value``, ``reason``, ``action`` (``"skipped"`` or ``"kept"``),
        sorted by row.
    notes : tuple of str
        Facts about the whole input (which columns were used, formats seen).
    row_numbers : tuple of int
        The number of every data row read (``rows_read`` of them); every entry's row is one
        of them, and every row read is either kept or skipped.

    Examples
    --------
    >>> b = ReportBuilder("x.csv", "events", rows=np.array([1, 2, 3]))
    >>> b.add(np.array([False, True, False]), ["bad"], "not a date", column="event_date")
    >>> r = b.build(rows_kept=2)
    >>> print(r)
    x.csv: 3 rows read, 2 kept as events, 1 skipped.
      row 2, column 'event_date', value 'bad': not a date (skipped)
    >>> r.skipped_rows
    [2]
    """

    source: str
    table: str
    rows_read: int
    rows_kept: int
    entries: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    row_numbers: tuple[int, ...] = field(default=())

    @property
    def skipped(self) -> pd.DataFrame:
        """The entries of rows left out of the table."""
        return self.entries[self.entries["action"] == "skipped"].reset_index(drop=True)

    @property
    def skipped_rows(self) -> list[int]:
        """Data rows left out, each once, in order."""
        return sorted({int(r) for r in self.skipped["row"]})

    def problems(self) -> list[Problem]:
        """The entries as :class:`~geoconflict.errors.Problem` objects."""
        return [
            Problem(
                f"{e.reason} ({e.action})",
                file=self.source,
                row=int(e.row),
                column=e.column,
                value=e.value,
                has_value=True,
            )
            for e in self.entries.itertuples()
        ]

    def __len__(self) -> int:
        return len(self.entries)

    def __str__(self) -> str:
        skipped = len(self.skipped_rows)
        head = (
            f"{self.source}: {self.rows_read} rows read, {self.rows_kept} kept as "
            f"{self.table}, {skipped} skipped."
        )
        lines = [head] + [f"  note: {n}" for n in self.notes]
        for e in self.entries.head(20).itertuples():
            lines.append(
                f"  row {e.row}, column {e.column!r}, value {e.value!r}: {e.reason} ({e.action})"
            )
        if len(self.entries) > 20:
            lines.append(f"  ... {len(self.entries) - 20} more entries in .entries")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<ReadReport {self.source}: {self.rows_read} read, {self.rows_kept} kept, "
            f"{len(self.skipped_rows)} skipped, {len(self.entries)} entries>"
        )


class ReportBuilder(Collector):
    """The collector in report mode, with the table name and a :meth:`build` step.

    Parameters
    ----------
    source : str
        The file (or table) read.
    table : str
        What the rows become: ``"events"``, ``"control"``, ``"places"`` or ``"flows"``.
    rows : numpy.ndarray
        The data-row number of each position of the table being checked.
    """

    def __init__(self, source: object, table: str, *, rows: np.ndarray):
        rows = np.asarray(rows)
        super().__init__(source, rows, report=True)
        self.source = str(source)
        self.kind = table
        self.rows_read = len(rows)

    def add(  # type: ignore[override]
        self,
        mask: np.ndarray,
        values: Iterable[object],
        reason: str,
        *,
        column: str | None,
        action: str | None = None,
        rows: np.ndarray | None = None,
    ) -> None:
        """Record ``reason`` for every position where ``mask`` is true (see
        :meth:`Collector.add_rows`)."""
        self.add_rows(mask, values, reason, column=column, action=action, rows=rows)

    def build(self, *, kept: np.ndarray | None = None, rows_kept: int | None = None) -> ReadReport:
        """The report. ``kept`` (preferred) says which positions are in the returned table;
        each entry is then ``kept`` or ``skipped`` accordingly."""
        if kept is not None:
            rows_kept = int(np.count_nonzero(kept))
        entries = self.entries(kept=kept)
        if self.rows_read and not rows_kept:
            reasons = (
                list(dict.fromkeys(entries["reason"].astype(str)))[:3] if len(entries) else []
            )
            shown = "; ".join(reasons) if reasons else "no reason recorded"
            warnings.warn(
                f"{self.source}: none of its {self.rows_read} rows was kept as {self.kind}; "
                f"first reasons: {shown}. Fix: see report.skipped for every row, and check "
                "the columns, the date format (dayfirst=) and the places given.",
                DataWarning,
                stacklevel=4,
            )
        return ReadReport(
            self.source,
            self.kind,
            self.rows_read,
            int(rows_kept or 0),
            entries,
            tuple(self.notes),
            tuple(int(r) for r in self.row_numbers(np.arange(self.rows_read))),
        )
