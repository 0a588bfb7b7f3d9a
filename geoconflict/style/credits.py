"""The line that names a map's or figure's sources, from the data's ``source`` columns.

Known providers get their short name (GeoNames, Natural Earth, ACLED, ...), datasets under a
licence that asks for attribution also their licence ("GeoNames (CC BY 4.0)", "OCHA COD-AB
(CC BY 3.0 IGO)"; see data/LICENSES.md); other web sources their host name; at most four per
table, then how many more. Base-map layers add their own credit lines (the text their
licences ask for).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import pandas as pd

from .words import words as interface_words

__all__ = ["attribution", "shortened", "source_names"]

_MAX_SOURCES = 4
#: Free-text sources longer than this are cut at a word boundary (where room is short).
_SHORT = 40
#: A source cited with a date at its end: "<name> YYYY-MM-DD".
_DATED = re.compile(r"(.*\S)\s+(\d{4}-\d{2}-\d{2})")

#: Providers named in ``source`` columns, shown by a short name; datasets whose licence asks
#: for attribution (or says none is needed) with their licence, as data/LICENSES.md gives it.
_KNOWN_SOURCES = (
    ("geonames", "GeoNames (CC BY 4.0)"),
    ("natural earth", "Natural Earth (public domain)"),
    ("openstreetmap", "OpenStreetMap contributors (ODbL)"),
    ("acled", "ACLED"),
    ("ucdp", "UCDP"),
    ("wikipedia", "Wikipedia"),
    ("dtm", "IOM DTM"),
    ("reliefweb", "ReliefWeb"),
    ("unocha", "OCHA"),
    ("humdata", "HDX"),
    ("unhcr", "UNHCR"),
    ("cod-ab", "OCHA COD-AB (CC BY 3.0 IGO)"),
    ("cod_ab", "OCHA COD-AB (CC BY 3.0 IGO)"),
    ("populated places", "OCHA populated places (CC BY 3.0 IGO)"),
    ("opensyria", "OpenSyria (CC BY 4.0)"),
)
#: Hosts that give way to a dataset named later in the same text (an HDX address of a COD).
_HOSTS = ("HDX", "OCHA")


def shortened(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis;
    whole when it fits or ``limit`` is ``None``.

    Examples
    --------
    >>> shortened("DeepStateMap archive, as mirrored on GitHub", 30)
    'DeepStateMap archive, as…'
    >>> shortened("DeepStateMap archive", None)
    'DeepStateMap archive'
    """
    if limit is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 3 else cut
    return cut.rstrip(" ,;:.-") + "…"


def source_names(values: object, *, shorten: int | None = _SHORT) -> list[str]:
    """Short names of the sources in a ``source`` column, most cited first.

    Known providers by their short name, web addresses by their site; other text as it is,
    cut at a word boundary beyond ``shorten`` characters (``None``: never); one source cited
    on several dates (text ending in an ISO date) once, with its first and last date.

    Examples
    --------
    >>> source_names(["https://www.acleddata.com/x", "https://reliefweb.int/a",
    ...               "https://reliefweb.int/b", "my notes"])
    ['ReliefWeb', 'ACLED', 'my notes']
    >>> source_names(["DeepStateMap 2022-05-01", "DeepStateMap 2022-04-03", "ISW 2022-04-03"])
    ['DeepStateMap 2022-04-03 – 2022-05-01', 'ISW 2022-04-03']
    """
    if values is None:
        return []
    texts = pd.Series(values, dtype="string").dropna().str.strip()
    counts: dict[str, int] = {}
    # one look at each distinct text (a column of 50,000 rows cites a few sources)
    for text, times in texts[texts != ""].value_counts(sort=False).items():
        low = text.lower()
        known = sorted((low.index(key), short) for key, short in _KNOWN_SOURCES if key in low)
        datasets = [short for _, short in known if short not in _HOSTS]
        if known:  # the source named first: "Wikipedia ...; not in GeoNames" is Wikipedia
            name = known[0][1]
            if name in _HOSTS and datasets:  # the dataset an HDX or OCHA address serves
                name = datasets[0]
        elif "://" in text:
            name = urlsplit(text.split()[0]).hostname or text
            name = name.removeprefix("www.")
        else:
            name = shortened(text, shorten)
        counts[name] = counts.get(name, 0) + int(times)
    counts = _dated_runs(counts)
    return sorted(counts, key=lambda k: (-counts[k], k))


def _dated_runs(counts: dict[str, int]) -> dict[str, int]:
    """One source cited on several dates ("DeepStateMap 2022-04-03", "DeepStateMap
    2022-05-01", ...) named once, with its first and last date.

    A loop over the distinct source texts (a handful, or one per snapshot), not over rows.
    """
    dated = {text: found.groups() for text in counts if (found := _DATED.fullmatch(text))}
    days: dict[str, list[str]] = {}
    for name, day in dated.values():
        days.setdefault(name, []).append(day)
    runs = {name: (min(d), max(d)) for name, d in days.items() if len(d) > 1}
    if not runs:
        return counts
    out: dict[str, int] = {}
    for text, n in counts.items():
        name = dated[text][0] if text in dated else None
        key = f"{name} {runs[name][0]} – {runs[name][1]}" if name in runs else text
        out[key] = out.get(key, 0) + n
    return out


def attribution(
    conflict,
    *,
    lang: str = "en",
    credits: Iterable[str] = (),
    words: Mapping[str, str] | None = None,
    shorten: int | None = _SHORT,
) -> str:
    """One line naming the sources in the data's ``source`` columns, by table.

    Parameters
    ----------
    conflict : Conflict
    lang : str
        A language of :data:`geoconflict.style.LANGUAGES`.
    credits : iterable of str
        Credit lines of base-map layers drawn with the data, added as they are.
    words : mapping, optional
        The drawing's interface words (for a language of your own); default: ``lang``'s.
    shorten : int or None
        Free-text sources longer than this are cut at a word boundary; ``None`` keeps
        them whole (figures, which wrap the line).

    Examples
    --------
    >>> import geoconflict as gc
    >>> attribution(gc.load_example())
    'Sources. Places: OCHA COD-AB (CC BY 3.0 IGO), OCHA populated places (CC BY 3.0 IGO), ...'
    """
    words = interface_words(lang) if words is None else words
    groups = [
        ("places_src", [conflict.places]),
        ("outlines", [conflict.boundary, conflict.context]),
        ("control", [conflict.control]),
        ("displacement", [conflict.flows]),
        ("events", [conflict.events]),
    ]
    parts = []
    for key, tables in groups:
        names: list[str] = []
        for table in tables:
            if table is not None and "source" in table.columns:
                found = source_names(table["source"], shorten=shorten)
                names += [n for n in found if n not in names]
        if not names:
            continue
        shown = ", ".join(names[:_MAX_SOURCES])
        if len(names) > _MAX_SOURCES:
            shown += ", " + words["more"].format(n=len(names) - _MAX_SOURCES)
        parts.append(f"{words[key]}: {shown}.")
    extra = [str(c).strip() for c in credits if str(c).strip()]
    if extra:
        parts.append(f"{words['base_credits']}: " + "; ".join(extra) + ".")
    return f"{words['sources']}. " + " ".join(parts) if parts else ""
