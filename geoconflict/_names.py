"""Names in several languages: the ``name_<code>`` columns and the words for admin levels.

A table names its rows in ``name`` and, in any other language, in ``name_<code>`` (an ISO
639 code: ``name_ar``, ``name_uk``, ``name_fr`` ...). Admin units say what they are in
``level_name`` (and ``level_name_<code>``): ``oblast``, ``raion``, ``governorate``. This
module knows those columns, the language codes, and how to find names in layers as
third parties publish them (Natural Earth's ``NAME`` and ``NAME_UK``, OCHA COD-AB's
``adm1_name1`` with its language in ``lang1``, geoBoundaries' ``shapeName``, GADM's
``NAME_1`` and ``ENGTYPE_1``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

__all__ = [
    "LANG_PATTERN",
    "LEVEL_NAME",
    "NAME_PREFIX",
    "lang_key",
    "layer_names",
    "level_name_column",
    "name_column",
    "name_columns",
    "text_columns",
]

NAME = "name"
NAME_PREFIX = "name_"
LEVEL_NAME = "level_name"
#: A language code: ISO 639 (two or three letters), optionally a region or script
#: (``pt-BR``, ``zh-Hant``); case does not matter.
LANG_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_SUFFIX = re.compile(r"^[a-z]{2,3}(?:_[a-z0-9]{2,8})*$")
#: Columns that name a feature in a layer as it comes, in the order they are preferred:
#: ours, Natural Earth (upper or lower case), geoBoundaries, OCHA COD-AB (older ``ADMn_EN``
#: layers), GADM, and Natural Earth's English names.
_NAME_COLUMNS = ("name", "shapename", "name_en", "admin")
#: Natural Earth's columns that look like ``name_<code>`` but are not a language.
_NOT_LANGUAGES = {"name_alt", "name_long", "name_sort", "name_len", "name_ciawf", "name_local"}


def lang_key(lang: str) -> str:
    """A language code as it appears in a column name: lower case, ``_`` for ``-``.

    Examples
    --------
    >>> lang_key("uk"), lang_key("pt-BR"), lang_key("zh_Hant")
    ('uk', 'pt_br', 'zh_hant')
    """
    return str(lang).strip().lower().replace("-", "_")


def name_column(lang: str) -> str:
    """The column of names in ``lang``.

    Examples
    --------
    >>> name_column("ar"), name_column("pt-BR")
    ('name_ar', 'name_pt_br')
    """
    return NAME_PREFIX + lang_key(lang)


def level_name_column(lang: str | None = None) -> str:
    """The column saying what an admin unit is, in ``lang`` (``level_name`` without one).

    Examples
    --------
    >>> level_name_column(), level_name_column("uk")
    ('level_name', 'level_name_uk')
    """
    return LEVEL_NAME if lang is None else f"{LEVEL_NAME}_{lang_key(lang)}"


def name_columns(columns: object) -> dict[str, str]:
    """The ``name_<code>`` columns among ``columns``, by language code.

    Examples
    --------
    >>> name_columns(["name", "name_ar", "name_uk", "name_alt", "aliases"])
    {'ar': 'name_ar', 'uk': 'name_uk'}
    """
    out = {}
    for column in map(str, columns):  # type: ignore[call-overload]
        if not column.startswith(NAME_PREFIX) or column in _NOT_LANGUAGES:
            continue
        suffix = column[len(NAME_PREFIX) :]
        if _SUFFIX.match(suffix):
            out[suffix] = column
    return out


def _cod_ab_names(frame: pd.DataFrame, lower: Mapping[str, str]) -> dict[str, pd.Series]:
    """Names of an OCHA COD-AB layer: ``admN_name`` (English) and ``admN_nameK`` in the
    language its ``langK`` column gives; older layers: ``ADMn_EN``, ``ADMn_FR`` ..."""
    levels = sorted(int(m[1]) for c in lower if (m := re.fullmatch(r"adm(\d)_pcode", c)))
    if not levels:
        return {}
    n = levels[-1]
    out: dict[str, pd.Series] = {}
    for key in (f"adm{n}_name", f"adm{n}_en"):
        if key in lower and NAME not in out:
            out[NAME] = frame[lower[key]]
    for k in range(1, 4):
        column, code = lower.get(f"adm{n}_name{k}"), lower.get(f"lang{k}")
        if column is None or code is None:
            continue
        codes = frame[code].dropna().astype(str).str.strip().str.lower().unique()
        if len(codes) == 1 and LANG_PATTERN.match(codes[0]) and codes[0] != "en":
            out[name_column(codes[0])] = frame[column]
    for column in lower:
        m = re.fullmatch(rf"adm{n}_([a-z]{{2}})", column)
        if m and m[1] not in ("en",) and column not in (f"adm{n}_id",):
            # OCHA's older layers spell Ukrainian as the country code UA
            out.setdefault(name_column("uk" if m[1] == "ua" else m[1]), frame[lower[column]])
    return out


def layer_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The names of a layer as published, in our columns: ``name`` and ``name_<code>``.

    Reads Natural Earth (``NAME``, ``NAME_EN``, ``NAME_UK`` ... in either case),
    geoBoundaries (``shapeName``), OCHA COD-AB (``admN_name``, ``admN_nameK`` in the
    language ``langK`` gives) and GADM (``NAME_N`` of the finest level). Columns it does not
    know are left out; a layer without any gives an empty table.

    Examples
    --------
    >>> ne = pd.DataFrame({"NAME": ["Ukraine"], "NAME_UK": ["Україна"], "NAME_ALT": [None]})
    >>> layer_names(ne).to_dict("records")
    [{'name': 'Ukraine', 'name_uk': 'Україна'}]
    >>> cod = pd.DataFrame({"adm1_pcode": ["SY02"], "adm1_name": ["Aleppo"],
    ...                     "adm1_name1": ["حلب"], "lang1": ["ar"]})
    >>> layer_names(cod).to_dict("records")
    [{'name': 'Aleppo', 'name_ar': 'حلب'}]
    """
    lower: dict[str, str] = {}
    for column in map(str, frame.columns):
        lower.setdefault(column.lower(), column)
    found: dict[str, pd.Series] = _cod_ab_names(frame, lower)
    if NAME not in found:
        gadm = sorted(int(m[1]) for c in lower if (m := re.fullmatch(r"name_(\d)", c)))
        for key in _NAME_COLUMNS + ((f"name_{gadm[-1]}",) if gadm else ()):
            if key in lower:
                found[NAME] = frame[lower[key]]
                break
    for code, column in name_columns(lower).items():
        if code == "en" or not _SUFFIX.match(code) or code.isdigit():
            continue
        found.setdefault(name_column(code), frame[lower[column]])
    out = pd.DataFrame(
        {k: v.astype("string").str.strip().replace("", pd.NA) for k, v in found.items()},
        index=frame.index,
    )
    return out.astype("string")


def text_columns(columns: object) -> list[str]:
    """The columns of names and level names among ``columns`` (``name_<code>``,
    ``level_name``, ``level_name_<code>``): text, whatever a file made of them.

    Examples
    --------
    >>> text_columns(["name", "name_uk", "level_name", "level_name_uk", "population"])
    ['name_uk', 'level_name', 'level_name_uk']
    """
    names = list(map(str, columns))  # type: ignore[call-overload]
    found = set(name_columns(names).values())
    found |= {c for c in names if c == LEVEL_NAME or c.startswith(LEVEL_NAME + "_")}
    return [c for c in names if c in found]
