"""JSON-ready columns: codes into string tables, rounded numbers.

Everything returned is plain Python (``str``, ``int``, ``float``, ``None``, lists), so
``json.dumps`` of it is the same for the same data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["optional_column", "rounded", "string_codes"]


def string_codes(values: pd.Series) -> tuple[list[int], list[str]]:
    """Codes into a table of distinct strings (in order of first appearance); -1 missing.

    Examples
    --------
    >>> string_codes(pd.Series(["b", None, "a", "b"]))
    ([0, -1, 1, 0], ['b', 'a'])
    """
    text = values.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return codes.tolist(), [str(u) for u in uniques]


def rounded(values: np.ndarray, decimals: int) -> list:
    """Floats rounded for JSON; missing values become ``None``.

    Examples
    --------
    >>> rounded(np.array([1.26, np.nan]), 1), rounded(np.array([2.0]), 0)
    ([1.3, None], [2])
    """
    values = np.asarray(values, dtype=float)
    out = np.round(values, decimals)
    return [
        None if math.isnan(v) else (int(v) if decimals == 0 else float(v)) for v in out.tolist()
    ]


def optional_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]``, or a column of missing values when the table has none."""
    if column in frame.columns:
        return frame[column]
    return pd.Series(pd.NA, index=frame.index, dtype="object")
