"""Names as they are drawn: by language, and in the order labels are placed.

A label goes on the map in priority order: the seat of government first (OCHA ``seat``
levels 0-3: capital, governorate, district, sub-district seat), then by population, then by
name; a label that would overlap one placed before it is left out. :func:`label_order` is
that order, shared by the interactive maps and the figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._names import lang_key, name_column
from .._schema import NAME, POPULATION
from .words import words as interface_words

__all__ = ["LABEL_TIERS", "date_text", "display_names", "label_order", "label_tiers"]

#: Columns that may hold a place's seat level (0 capital ... 3 sub-district seat).
SEAT = "seat"
#: Zoom from which each tier of labels may show on the interactive map.
LABEL_TIERS = (0, 6, 8, 9)


def display_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The names drawn for a table's rows: ``name_<lang>`` where present, else ``name``.

    ``lang`` is a language code: ``name_uk`` for ``"uk"``; for ``"pt-BR"`` ``name_pt_br``,
    then ``name_pt``. Rows without a name show their index.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Aleppo", None], "name_ar": [None, "حماة"]},
    ...                  index=["aleppo", "hama"])
    >>> display_names(t, "ar").tolist(), display_names(t, "en").tolist()
    (['Aleppo', 'حماة'], ['Aleppo', 'hama'])
    >>> u = pd.DataFrame({"name": ["Kyiv", "Lviv"], "name_uk": ["Київ", None]})
    >>> display_names(u, "uk").tolist()
    ['Київ', 'Lviv']
    """
    ids = pd.Series(frame.index.astype(str), index=frame.index, dtype="string")
    names = frame[NAME].astype("string").fillna(ids) if NAME in frame.columns else ids
    primary = lang_key(lang).split("_")[0]
    for candidate in dict.fromkeys([name_column(lang), name_column(primary)]):
        if candidate in frame.columns:
            return frame[candidate].astype("string").str.strip().replace("", pd.NA).fillna(names)
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


def date_text(when: pd.Timestamp, lang: str, words: dict[str, str] | None = None) -> str:
    """A date as a title shows it, in ``lang`` (the interface ``words`` of a drawing, when
    given: their ``date_format`` and month names).

    Examples
    --------
    >>> day = pd.Timestamp("2024-12-06")
    >>> date_text(day, "en"), date_text(day, "uk"), date_text(day, "es")
    ('6 December 2024', '6 грудня 2024 р.', '6 de diciembre de 2024')
    >>> date_text(day, "ar")
    '6 كانون الأول/ديسمبر 2024'
    """
    text = interface_words(lang) if words is None else words
    month = text[f"month_{when.month}"]
    return text["date_format"].format(day=when.day, month=month, year=when.year)
