"""The words maps and figures add around the data, in the languages shipped or your own.

Data text (place and actor names) comes from the data (``name_<code>`` columns); these are
only the interface's own words: layer names, legend headings, units, the changes panel,
the names of admin levels where the data gives none, month names. Each shipped language is
a JSON file in ``geoconflict/style/lang/`` (English, Arabic, French, Spanish, Ukrainian,
Russian); ``lang/SOURCES.md`` names the published glossary each term was checked against.
For any other language pass your own words (``words={...}``, keys as in
``words("en")``); keys you leave out are said in English, with a warning naming them.
"""

from __future__ import annotations

import difflib
import functools
import json
import string
import warnings
from collections.abc import Mapping
from pathlib import Path

from .._names import LANG_PATTERN, lang_key
from ..errors import DataWarning, MapOptionError

__all__ = [
    "LANGUAGES",
    "RIGHT_TO_LEFT",
    "check_lang",
    "check_words",
    "text_direction",
    "words",
]

#: The languages whose words ship with the package.
LANGUAGES = ("en", "ar", "fr", "es", "uk", "ru")
#: Languages written right to left (by their ISO 639 code): Arabic, Hebrew, Persian, Urdu,
#: Pashto, Sindhi, Central Kurdish, Uyghur, Yiddish, Dhivehi.
RIGHT_TO_LEFT = ("ar", "he", "fa", "ur", "ps", "sd", "ckb", "ug", "yi", "dv")
_FOLDER = Path(__file__).resolve().parent / "lang"
#: Words made from the level names (:mod:`.levels`), which ``words=`` may also give as they
#: are: the word for a first-level unit (flows merged "from one oblast to another") and the
#: legend entry of the base map's first-level lines.
COMPUTED = ("admin1", "admin_lines")
_MAX_NAMED = 6


@functools.cache
def _shipped(lang: str) -> dict[str, str]:
    text = (_FOLDER / f"{lang}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def check_words(custom: object, *, error: type[Exception] = MapOptionError) -> dict[str, str]:
    """``custom`` as a dict of interface words, or ``error`` saying what is wrong.

    Every key must be one of the interface's keys (``words("en")`` lists them), every value a
    string using no ``{placeholder}`` the English word lacks (``"Widths up to {people}"``,
    not ``{persons}``).

    Examples
    --------
    >>> check_words({"frontlines": "Frontlinien"})
    {'frontlines': 'Frontlinien'}
    >>> check_words({"frontline_s": "x"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: words has unknown key(s) ['frontline_s'] ...
    >>> check_words({"more": "und {m} weitere"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: words['more'] = 'und {m} weitere' uses the ...
    """
    if custom is None:
        return {}
    if not isinstance(custom, Mapping):
        raise error(
            f"words must be a mapping of interface words (key -> text), got "
            f"{type(custom).__name__}. Fix: pass e.g. words={{'frontlines': 'Frontlinien'}}; "
            "geoconflict.style.words('en') lists every key."
        )
    known = [*_shipped("en"), *COMPUTED]
    unknown = [str(k) for k in custom if k not in known]
    if unknown:
        near = {k: difflib.get_close_matches(k, list(known), n=1) for k in unknown}
        hint = "; ".join(f"{k!r}: did you mean {v[0]!r}?" for k, v in near.items() if v)
        raise error(
            f"words has unknown key(s) {unknown[:_MAX_NAMED]}"
            + (f" ({hint})" if hint else "")
            + ". Fix: use the keys of geoconflict.style.words('en')."
        )
    bad = [str(k) for k, v in custom.items() if not isinstance(v, str)]
    if bad:
        raise error(
            f"words values must be text; {bad[:_MAX_NAMED]} are not. Fix: pass strings, "
            "e.g. words={'frontlines': 'Frontlinien'}."
        )
    english = _shipped("en")
    for key, value in custom.items():
        allowed = _fields(english.get(str(key), ""))
        try:
            used = _fields(value)
        except ValueError as exc:  # a lone brace
            raise error(
                f"words[{key!r}] = {value!r} is not a text with {{placeholders}} ({exc}). "
                "Fix: double a brace that is meant as text ({{ or }})."
            ) from None
        if not used <= allowed:
            expected = ", ".join(f"{{{f}}}" for f in sorted(allowed)) or "none"
            raise error(
                f"words[{key!r}] = {value!r} uses the placeholder(s) "
                f"{sorted(used - allowed)}, which this word does not have (it has: {expected}). "
                f"Fix: keep the placeholders of geoconflict.style.words('en')[{key!r}]."
            )
    return {str(k): str(v) for k, v in custom.items()}


def _fields(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a word (an empty name for ``{}`` or ``{0}``
    positional ones, which no word has)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None:
            name = field.split(".")[0].split("[")[0]
            names.add("" if name.isdigit() else name)
    return names


def check_lang(
    lang: object, *, error: type[Exception] = MapOptionError, custom: object = None
) -> str:
    """``lang`` if maps and figures can speak it, else ``error`` naming the choices.

    A shipped language (:data:`LANGUAGES`) always; any other well-formed language code
    (``de``, ``pt-BR``) when its words are given (``custom``).

    Examples
    --------
    >>> check_lang("uk")
    'uk'
    >>> check_lang("de", custom={"frontlines": "Frontlinien"})
    'de'
    >>> check_lang("de")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: lang must be one of ['en', 'ar', 'fr', 'es', 'uk', 'ru'] ...
    """
    if isinstance(lang, str) and lang in LANGUAGES:
        return lang
    if isinstance(lang, str) and LANG_PATTERN.match(lang) and custom:
        return lang
    raise error(
        f"lang must be one of {list(LANGUAGES)} or a language code with your own words, got "
        f"{lang!r}. Fix: pass one of those, or e.g. lang='de', words={{...}} (the keys of "
        "geoconflict.style.words('en'))."
    )


def words(
    lang: str, custom: object = None, *, error: type[Exception] = MapOptionError
) -> dict[str, str]:
    """The interface words for ``lang`` (a new dict each call), ``custom`` words over them.

    For a language that is not shipped, ``custom`` gives the words; the keys it leaves out
    are said in English, with a :class:`~geoconflict.DataWarning` naming them.

    Examples
    --------
    >>> words("en")["flows"], words("ar")["flows"], words("uk")["flows"]
    ('Displacement', 'النزوح', 'Переміщення')
    >>> words("fr", {"flows": "Exode"})["flows"]
    'Exode'
    """
    given = check_words(custom, error=error)
    lang = check_lang(lang, error=error, custom=given)
    if lang in LANGUAGES:
        return {**_shipped(lang), **given}
    missing = [k for k in _shipped("en") if k not in given]
    if missing:
        warnings.warn(
            f"words for {lang!r} leave out {len(missing)} key(s) "
            f"({', '.join(missing[:_MAX_NAMED])}{' ...' if len(missing) > _MAX_NAMED else ''})"
            "; they are shown in English. Fix: give every key of "
            "geoconflict.style.words('en').",
            DataWarning,
            stacklevel=3,
        )
    return {**_shipped("en"), **given}


def text_direction(lang: str) -> str:
    """``"rtl"`` for a language written right to left (:data:`RIGHT_TO_LEFT`), else
    ``"ltr"``.

    Examples
    --------
    >>> text_direction("ar"), text_direction("fa-IR"), text_direction("uk")
    ('rtl', 'rtl', 'ltr')
    """
    return "rtl" if lang_key(lang).split("_")[0] in RIGHT_TO_LEFT else "ltr"
