"""An ACLED or UCDP export with the context of each event added: the same rows, as they were.

Used by ``geoconflict events FILE --conflict DIR -o out.csv``: the export is read by its
reader (:func:`~geoconflict.read_acled` or :func:`~geoconflict.read_ucdp_ged`), the events
it could read get :func:`~geoconflict.event_context`'s columns, and every row of the file is
written back with its own cells unchanged and those columns added (an HXL hashtag row under
the header stays there); a row the reader left out says why in ``reason``. The file is
written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_path
from .._types import ConflictLike
from ..analysis import event_context
from ..analysis._events import CONTEXT_COLUMNS
from ..errors import FormatError, OptionError
from ._csv import read_text_table, split_hashtag_row
from .acled import read_acled
from .ucdp import _with_header, read_ucdp_ged

__all__ = ["SOURCES", "add_event_context", "export_kind"]

#: The exports read: ACLED (``event_date``, ``latitude``, ``longitude``) and UCDP GED.
SOURCES = ("acled", "ucdp")


def export_kind(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> str:
    """``"acled"`` when the header names ``event_date``, else ``"ucdp"``."""
    try:
        with open(path, encoding=encoding, errors="replace") as fh:
            head = fh.readline().lower()
    except IsADirectoryError:
        raise FormatError(f"{path}: is a folder. Fix: pass an ACLED or UCDP CSV file.") from None
    return "acled" if "event_date" in head else "ucdp"


def add_event_context(
    path: str | os.PathLike[str],
    conflict: ConflictLike,
    output: str | os.PathLike[str],
    *,
    source: str = "auto",
    max_distance_km: float | str | None = None,
) -> tuple[Path, int, int]:
    """Write ``path``'s rows with the context columns to ``output`` (CSV).

    Returns the output path, the rows written and how many of them the reader left out.
    """
    if source not in ("auto", *SOURCES):
        raise OptionError(f"source must be 'auto', 'acled' or 'ucdp', got {source!r}.")
    kind = export_kind(path) if source == "auto" else source
    if kind == "acled":
        events, report = read_acled(path)
        raw, rows = read_text_table(path, blank_headers="drop")
    else:
        events, report = read_ucdp_ged(path)
        raw, rows = read_text_table(path, header=False)
        raw, rows, _ = _with_header(raw, rows, None, str(path))
    with_tags = raw
    raw, rows, tags = split_hashtag_row(raw, rows)
    context = event_context(events, conflict, max_distance_km=max_distance_km)
    skipped = set(report.skipped_rows)
    kept = np.array([r not in skipped for r in rows.tolist()], dtype=bool)
    if int(kept.sum()) != len(context):  # the reader and this reading disagree: never guess
        raise FormatError(
            f"{path}: {len(context)} events read but {int(kept.sum())} rows expected. Fix: "
            "check the file with geoconflict.read_acled or read_ucdp_ged."
        )
    out = raw.drop(columns=[c for c in CONTEXT_COLUMNS if c in raw.columns])
    at = np.cumsum(kept) - 1  # the event of each kept row
    for column in CONTEXT_COLUMNS:
        values = context[column].reset_index(drop=True).reindex(np.where(kept, at, -1))
        out[column] = values.to_numpy()
    if (~kept).any():
        why = report.skipped.groupby("row")["reason"].first()
        out.loc[~kept, "reason"] = [f"not read: {why.get(r, 'skipped')}" for r in rows[~kept]]
        out.loc[~kept, "holder"] = "unknown"
    if tags is not None:  # an HDX export's HXL row stays under the header
        out = pd.concat([with_tags.iloc[:1], out], ignore_index=True)
    target = Path(output)
    with atomic_path(target) as tmp:
        out.to_csv(tmp, index=False, float_format="%.3f")
    return target, int(kept.size), int((~kept).sum())
