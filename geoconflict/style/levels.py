"""What admin units are called: "oblast", "raion", "governorate" ... as the data or the user
says, neutral words ("province", "district") where nothing does.

A place of an admin ``level`` (``admin1``, ``admin2`` ..., ``zone``, ``region``) is shown
with its level's word in lists ("Bilozerka (raion)"), the base map's first-level lines are
"Oblast lines", and flows are merged "from one oblast to another". The word for a level
comes, first found:

1. from ``level_names`` passed to the map or figure (``{"admin1": "oblast"}``, or per
   language ``{"admin1": {"en": "oblast", "uk": "область"}}``), or the interface words
   passed as ``words=`` (``level_admin1``);
2. from the data: the places' ``level_name_<lang>`` column, else their ``level_name``
   column (as :func:`geoconflict.places_from_admin` writes them), the most common word
   among the places of that level;
3. from the base map (:attr:`geoconflict.Basemap.level_names`);
4. the interface's neutral word in the language shown.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .._names import LEVEL_NAME, lang_key, level_name_column
from ..errors import MapOptionError
from .words import check_words, words

__all__ = ["check_level_names", "drawing_words", "level_word", "level_words"]

LEVEL = "level"
ADMIN1 = "admin1"


def check_level_names(
    level_names: object, *, error: type[Exception] = MapOptionError
) -> dict[str, str | dict[str, str]]:
    """``level_names`` as a dict (level -> word, or level -> {language: word}), or
    ``error`` saying what is wrong.

    Examples
    --------
    >>> check_level_names({"admin1": "oblast", "admin2": {"en": "raion", "uk": "район"}})
    {'admin1': 'oblast', 'admin2': {'en': 'raion', 'uk': 'район'}}
    >>> check_level_names({"admin1": 3})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: level_names['admin1'] must be a word ...
    """
    if level_names is None:
        return {}
    if not isinstance(level_names, Mapping):
        raise error(
            f"level_names must be a mapping of level -> word, got "
            f"{type(level_names).__name__}. Fix: pass e.g. "
            "level_names={'admin1': 'oblast', 'admin2': 'raion'}."
        )
    out: dict[str, str | dict[str, str]] = {}
    for level, value in level_names.items():
        if isinstance(value, str) and value.strip():
            out[str(level)] = value.strip()
        elif isinstance(value, Mapping) and all(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            out[str(level)] = {lang_key(str(k)): str(v).strip() for k, v in value.items()}
        else:
            raise error(
                f"level_names[{level!r}] must be a word or a mapping of language -> word, "
                f"got {value!r}. Fix: pass e.g. {{{str(level)!r}: 'oblast'}} or "
                f"{{{str(level)!r}: {{'en': 'oblast', 'uk': 'область'}}}}."
            )
    return out


def level_word(value: object, lang: str) -> str | None:
    """The word for ``lang`` in a ``level_names`` value (a word for every language, or a
    mapping by language), ``None`` when it has none for ``lang``.

    Examples
    --------
    >>> level_word("oblast", "fr"), level_word({"en": "oblast", "uk": "область"}, "uk")
    ('oblast', 'область')
    >>> level_word({"en": "oblast"}, "ru") is None
    True
    """
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        key = lang_key(lang)
        found = value.get(key, value.get(key.split("_")[0]))
        return None if found is None else str(found)
    return None


def _data_words(places: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """The most common word per level in the places' ``level_name_<lang>`` column, then
    their ``level_name`` column."""
    if places is None or LEVEL not in places.columns or not len(places):
        return {}
    out: dict[str, str] = {}
    for column in (level_name_column(lang), LEVEL_NAME):
        if column not in places.columns:
            continue
        table = pd.DataFrame(
            {
                LEVEL: places[LEVEL].astype("string").to_numpy(),
                "word": places[column].astype("string").str.strip().to_numpy(),
            }
        ).dropna()
        table = table[table["word"] != ""]
        if table.empty:
            continue
        counts = table.groupby([LEVEL, "word"], sort=True).size().reset_index(name="n")
        top = counts.sort_values(["n"], ascending=False, kind="stable").drop_duplicates(LEVEL)
        for level, word in zip(top[LEVEL], top["word"], strict=True):
            out.setdefault(str(level), str(word))
    return out


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def level_words(
    base: Mapping[str, str],
    lang: str,
    *,
    custom: Mapping[str, str] | None = None,
    level_names: Mapping[str, object] | None = None,
    places: pd.DataFrame | None = None,
    basemap_levels: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """The words naming admin levels, for the interface words ``base`` in ``lang``.

    Returns ``level_<level>`` for every level the data, the base map or the user names
    (and the neutral ones of ``base``), ``admin1`` (the first-level word flows are merged
    by) and ``admin_lines`` (the legend entry of the base map's first-level lines). Words
    in ``custom`` (the user's ``words=``) are kept as given.

    Examples
    --------
    >>> from geoconflict.style import words
    >>> places = pd.DataFrame({"level": ["admin1", "admin2", "town"],
    ...                        "level_name": ["oblast", "raion", None]})
    >>> out = level_words(words("en"), "en", places=places)
    >>> out["level_admin1"], out["level_admin2"], out["admin1"], out["admin_lines"]
    ('oblast', 'raion', 'oblast', 'Oblast lines')
    >>> level_words(words("en"), "en")["admin_lines"]
    'Province lines'
    >>> level_words(words("uk"), "uk", level_names={"admin1": {"uk": "область"}})["admin_lines"]
    'Адміністративні межі (область)'
    """
    custom = dict(custom or {})
    given = {
        level: word
        for level, value in (level_names or {}).items()
        if (word := level_word(value, lang)) is not None
    }
    given.update(
        {
            k[len("level_") :]: v
            for k, v in custom.items()
            if k.startswith("level_") and k != "level_lines"
        }
    )
    data = _data_words(places, lang)
    base_map = {
        level: word
        for level, value in (basemap_levels or {}).items()
        if (word := level_word(value, lang)) is not None
    }
    neutral = {k[len("level_") :]: v for k, v in base.items() if k.startswith("level_")}
    neutral.pop("lines", None)
    out: dict[str, str] = {}
    for level in dict.fromkeys([*neutral, *base_map, *data, *given]):
        word = given.get(level) or data.get(level) or base_map.get(level) or neutral.get(level)
        if word:
            out[f"level_{level}"] = word
    first = out.get(f"level_{ADMIN1}", "")
    out[ADMIN1] = custom.get(ADMIN1, first)
    lines_word = given.get(ADMIN1) or base_map.get(ADMIN1) or data.get(ADMIN1) or first
    template = custom.get("level_lines", base.get("level_lines", "{level} lines"))
    text = template.format(level=lines_word)
    out["admin_lines"] = custom.get(
        "admin_lines", _capitalised(text) if template.startswith("{level}") else text
    )
    return out


def drawing_words(
    lang: str,
    *,
    custom: object = None,
    level_names: object = None,
    places: pd.DataFrame | None = None,
    basemap_levels: Mapping[str, object] | None = None,
    error: type[Exception] = MapOptionError,
) -> dict[str, str]:
    """Every word a map or a figure in ``lang`` shows around the data: the interface words
    (:func:`~geoconflict.style.words`, ``custom`` over them) and the admin levels' words
    (:func:`level_words`).

    Examples
    --------
    >>> w = drawing_words("fr", level_names={"admin1": "oblast"})
    >>> w["level_admin1"], w["admin_lines"], w["frontlines"]
    ('oblast', 'Limites administratives (oblast)', 'Lignes de front')
    """
    given = check_words(custom, error=error)
    names = check_level_names(level_names, error=error)
    out = words(lang, given, error=error)
    out.update(
        level_words(
            out,
            lang,
            custom=given,
            level_names=names,
            places=places,
            basemap_levels=basemap_levels,
        )
    )
    return out
