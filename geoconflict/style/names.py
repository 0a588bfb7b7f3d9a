"""Names as they are drawn: by language, and in the order labels are placed.

A label goes on the map in priority order: the seat of government first (OCHA ``seat``
levels 0-3: capital, governorate, district, sub-district seat), then by population, then by
name; a label that would overlap one placed before it is left out. :func:`label_order` is
that order, shared by the interactive maps and the figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._schema import NAME, NAME_AR, POPULATION

__all__ = ["LABEL_TIERS", "date_text", "display_names", "label_order", "label_tiers"]

#: Columns that may hold a place's seat level (0 capital ... 3 sub-district seat).
SEAT = "seat"
#: Zoom from which each tier of labels may show on the interactive map.
LABEL_TIERS = (0, 6, 8, 9)


def display_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The names drawn for a table's rows: ``name_ar`` in Arabic where present, else ``name``.

    Rows without a name show their index.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Aleppo", None], "name_ar": [None, "حماة"]},
    ...                  index=["aleppo", "hama"])
    >>> display_names(t, "ar").tolist(), display_names(t, "en").tolist()
    (['Aleppo', 'حماة'], ['Aleppo', 'hama'])
    """
    ids = pd.Series(frame.index.astype(str), index=frame.index, dtype="string")
    names = frame[NAME].astype("string").fillna(ids) if NAME in frame.columns else ids
    if lang == "ar" and NAME_AR in frame.columns:
        names = frame[NAME_AR].astype("string").fillna(names)
    return names


def _seat(frame: pd.DataFrame) -> np.ndarray:
    """Seat levels, the capital (0) ranked with the governorate seats (1): OCHA's 2015
    community list codes one sub-district seat (Sur, C5157) as the capital and Damascus as
    a governorate seat, so level 0 cannot be trusted to come first."""
    if SEAT not in frame.columns:
        return np.full(len(frame), np.nan)
    seat = pd.to_numeric(frame[SEAT], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(seat < 1, 1.0, seat)


def _population(frame: pd.DataFrame) -> np.ndarray:
    if POPULATION not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[POPULATION], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def label_order(frame: pd.DataFrame, lang: str = "en") -> np.ndarray:
    """Row positions in the order their labels are placed: seat, population, name.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Saraqib", "Idlib", "Binnish", "Damascus"],
    ...                   "population": [32000, 165000, 21000, 1569394],
    ...                   "seat": [3, 1, None, 1]})
    >>> label_order(t).tolist()
    [3, 1, 0, 2]
    """
    seat = np.nan_to_num(_seat(frame), nan=9.0)
    population = np.nan_to_num(_population(frame), nan=-1.0)
    names = display_names(frame, lang).to_numpy(dtype=object).astype(str)
    return np.lexsort((names, -population, seat))


def label_tiers(frame: pd.DataFrame) -> np.ndarray:
    """Each place's label tier (0 shows from any zoom; see :data:`LABEL_TIERS`).

    Tier 0: a capital or governorate seat, or 500,000 people or more; 1: a district seat or
    100,000; 2: a sub-district seat or 20,000; 3: the rest.

    Examples
    --------
    >>> t = pd.DataFrame({"population": [2_000_000, 150_000, 5_000, None],
    ...                   "seat": [None, None, 3, None]})
    >>> label_tiers(t).tolist()
    [0, 1, 2, 3]
    """
    seat = np.nan_to_num(_seat(frame), nan=9.0)
    population = np.nan_to_num(_population(frame), nan=0.0)
    tier = np.full(len(frame), 3, dtype=np.int64)
    for level, (max_seat, min_people) in enumerate(((1, 500_000), (2, 100_000), (3, 20_000))):
        hit = ((seat <= max_seat) | (population >= min_people)) & (tier == 3)
        tier[hit] = level
    return tier


def date_text(when: pd.Timestamp, lang: str) -> str:
    """A date as a title shows it: ``6 December 2024``, or ISO in Arabic.

    Examples
    --------
    >>> date_text(pd.Timestamp("2024-12-06"), "en"), date_text(pd.Timestamp("2024-12-06"), "ar")
    ('6 December 2024', '2024-12-06')
    """
    return f"{when:%Y-%m-%d}" if lang == "ar" else f"{when.day} {when:%B %Y}"
