"""Building places and resolving the names people write for them.

Names are matched in three steps, each stricter than the next fails:

1. the place id, exactly;
2. a *folded* name: case, accents, hyphens, apostrophes and Arabic articles removed
   (``Ma'arrat al-Nu'man`` = ``Maarat al Numan``; ``الرقة`` = ``رقة``);
3. a *skeleton*: the folded name with vowels, ``y``/``w`` and doubled letters removed, which
   absorbs the usual transliteration variants (Khan Shaykhun, Khan Sheikhoun, Khan Shaykhoun).

A name matching two places at the same step is resolved as a person means it:

- a **town wins over an admin unit of the same name** (a point place over polygon places:
  "Hama" is the city, not its sub-district);
- the unit is named by its p-code or id, or by the name with a qualifier: "Hama
  sub-district", "Hama (district)", "Kharkiv oblast", "Izium raion" (the qualifiers are
  :data:`QUALIFIERS`; a place's ``level`` column, when it has one, picks between units);
- otherwise (two towns, two units) the name is ambiguous: an error, or a missing value with
  ``errors="coerce"``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import overload

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._collect import Collector
from ._kinds import is_polygonal
from ._names import name_columns
from ._schema import (
    ALIASES,
    CRS,
    NAME,
    PCODE,
    PLACE_ID,
    as_table,
    parse_numbers,
    require_columns,
    validate_places,
)
from .errors import ArgumentTypeError, OptionError, SchemaError, UnknownPlaceError

__all__ = [
    "QUALIFIERS",
    "fold_name",
    "make_places",
    "place_points",
    "resolve_places",
    "skeleton",
]

#: Words after a name that mean "the admin unit of this name" (compared folded).
QUALIFIERS = (
    "sub-district",
    "subdistrict",
    "district",
    "governorate",
    "province",
    "region",
    "oblast",
    "raion",
    "rayon",
    "county",
    "municipality",
    "nahiya",
    "state",
    "admin1",
    "admin2",
    "admin3",
)
_QUALIFIED = re.compile(
    r"^(?P<base>.+?)[\s,]*\(?\s*(?P<word>"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\s*\)?\s*$",
    re.IGNORECASE,
)

_ARABIC_ARTICLE = re.compile(r"(^|\s)ال(?=\S{2,})")
_LATIN_ARTICLE = re.compile(r"(^|[\s-])(?:al|el|ul|[ae][dnrstz]|ash|adh|ath)[\s-](?=\w)")
_ALEF = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "ؤ": "و", "ئ": "ي"}
)
_PUNCT = re.compile(r"[\s\-_‐‑–—'`’‘ʼʻʿʾ\".,()]+")
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLE = re.compile(r"(.)\1+")


def fold_name(name: str) -> str:
    """Case, accents, punctuation and leading Arabic articles removed.

    Examples
    --------
    >>> fold_name("Ma'arrat al-Nu'man")
    'maarrat numan'
    >>> fold_name("Ḩamāh") == fold_name("hamah")
    True
    >>> fold_name("الرقة") == fold_name("رقة")
    True
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_ALEF)
    text = text.replace("ʿ", "").replace("ʾ", "").replace("'", "").replace("’", "")
    text = _LATIN_ARTICLE.sub(r"\1", text)
    text = _ARABIC_ARTICLE.sub(r"\1", text)
    text = _PUNCT.sub(" ", text).strip()
    return text


def skeleton(name: str) -> str:
    """The folded name reduced to its consonants, for transliteration variants.

    Examples
    --------
    >>> {skeleton(n) for n in ["Khan Shaykhun", "Khan Sheikhoun", "Khan Shaykhoun"]}
    {'khn shkhn'}
    >>> skeleton("Hamah") == skeleton("Hama")
    True
    """
    folded = fold_name(name)
    if not folded.isascii():
        return folded
    text = folded.replace("q", "k").replace("ph", "f").replace("ou", "u")
    text = re.sub(r"(?<=[aeiou])h\b", "", text)  # Hamah -> Hama, Raqqah -> Raqqa
    # a word that begins with a vowel keeps it, so "Afrin" does not become "Frin"
    words = [_DOUBLE.sub(r"\1", word[0] + _VOWELS.sub("", word[1:])) for word in text.split()]
    text = " ".join(words)
    return text


def _names_of(places: pd.DataFrame) -> pd.DataFrame:
    """Long table of (place_id, name) from ids, names (in every language: ``name_ar``,
    ``name_uk`` ...), aliases and p-codes."""
    ids = pd.Series(places.index.astype(str), index=places.index)
    parts = [pd.DataFrame({PLACE_ID: ids.to_numpy(), "name": ids.to_numpy()})]
    for col in (NAME, *name_columns(places.columns).values(), PCODE):
        if col in places.columns:
            parts.append(
                pd.DataFrame(
                    {PLACE_ID: ids.to_numpy(), "name": places[col].astype("string").to_numpy()}
                )
            )
    if ALIASES in places.columns:
        aliases = places[ALIASES].astype("string").str.split("|").explode()
        parts.append(
            pd.DataFrame({PLACE_ID: aliases.index.astype(str), "name": aliases.to_numpy()})
        )
    names = pd.concat(parts, ignore_index=True)
    names["name"] = names["name"].astype("string").str.strip()
    return names[names["name"].notna() & (names["name"] != "")].drop_duplicates()


class _Resolver:
    def __init__(self, places: pd.DataFrame):
        names = _names_of(places)
        self.display = places[NAME].astype(str).to_dict() if NAME in places.columns else {}
        self.ids = set(places.index.astype(str))
        self.units: set[str] = set()
        self.levels: dict[str, str] = {}
        if isinstance(places, gpd.GeoDataFrame) and places.geometry.name in places.columns:
            polygonal = is_polygonal(places.geometry.to_numpy())
            self.units = set(places.index.astype(str)[polygonal])
        if "level" in places.columns:
            self.levels = {
                str(k): fold_name(str(v))
                for k, v in places["level"].items()
                if isinstance(v, str) and v
            }
        self.by_fold = self._index(names, fold_name)
        self.by_skeleton = self._index(names, skeleton)
        # ids first, so that a name spelled like an id is shown as the name
        is_id = names["name"].isin(self.ids).to_numpy()
        known = dict.fromkeys([*sorted(names["name"][is_id]), *sorted(names["name"][~is_id])])
        self.folded_known = {fold_name(k): k for k in known}

    @staticmethod
    def _index(names: pd.DataFrame, key) -> dict[str, set[str]]:
        table: dict[str, set[str]] = {}
        for pid, name in zip(names[PLACE_ID], names["name"], strict=True):
            table.setdefault(key(name), set()).add(pid)
        return table

    def _lookup(self, name: str, among: set[str] | None) -> set[str]:
        for table, key in ((self.by_fold, fold_name), (self.by_skeleton, skeleton)):
            hits = table.get(key(name), set())
            if among is not None:
                hits = hits & among
            if hits:
                return hits
        return set()

    def find(self, name: str) -> str | None:
        if name in self.ids:
            return name
        hits = self._lookup(name, None)
        qualified = _QUALIFIED.match(name)
        if qualified and self.units and (not hits or len(hits) > 1):
            word = fold_name(qualified["word"])
            units = self._lookup(qualified["base"], self.units)
            if len(units) > 1 and self.levels:
                level = {u for u in units if word in self.levels.get(u, "")}
                units = level or units
            if units:
                hits = units
        if len(hits) > 1:
            towns = hits - self.units
            if len(towns) == 1 and self.units & hits:  # a town wins over units of its name
                hits = towns
        if len(hits) == 1:
            return next(iter(hits))
        if hits:
            shown = ", ".join(f"{h} ({self.display.get(h, h)})" for h in sorted(hits))
            raise UnknownPlaceError(
                f"place name {name!r} is ambiguous: it matches {shown}. Fix: use the "
                "place id (or p-code) instead, or a qualifier such as '<name> district' "
                "for an admin unit.",
                name=name,
                suggestions=sorted(hits),
            )
        return None

    def closest(self, name: str, n: int = 3) -> list[str]:
        folded = self.folded_known
        hits = difflib.get_close_matches(fold_name(name), list(folded), n=n, cutoff=0.0)
        return [folded[h] for h in hits]


def resolve_places(
    names: Iterable[object], places: pd.DataFrame, *, errors: str = "raise"
) -> pd.Series:
    """Map names (or ids, aliases, Arabic names, p-codes) to place ids.

    Parameters
    ----------
    names : iterable of str
    places : GeoDataFrame
        A places table indexed by ``place_id`` (``name`` and optional ``name_ar``,
        ``aliases`` (``|``-separated), ``pcode``).
    errors : {"raise", "coerce"}
        ``"coerce"`` gives a missing value for names that match nothing or stay ambiguous
        (see the module docstring for how a town and a unit of one name are told apart).

    Returns
    -------
    Series of place ids, aligned with ``names``.

    Raises
    ------
    UnknownPlaceError
        For a name that matches no place (listing the three closest known names) or more
        than one place.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> places = gpd.GeoDataFrame(
    ...     {"name": ["Khan Shaykhun", "Hama"], "aliases": ["Khan Sheikhoun|خان شيخون", ""]},
    ...     geometry=[shapely.Point(36.64, 35.44), shapely.Point(36.75, 35.13)],
    ...     index=pd.Index(["khan-shaykhun", "hama"], name="place_id"), crs="EPSG:4326")
    >>> resolve_places(["Khan Shaykhoun", "KHAN SHEIKHUN", "خان شيخون", "Ḩamāh"], places).tolist()
    ['khan-shaykhun', 'khan-shaykhun', 'khan-shaykhun', 'hama']
    """
    if errors not in ("raise", "coerce"):
        raise OptionError(
            f"errors must be 'raise' or 'coerce', got {errors!r}. Fix: pass "
            "errors='coerce' to get missing values for unknown names."
        )
    series = pd.Series(
        _sequence(names, function="resolve_places", argument="names"), dtype="string"
    )
    resolver = _Resolver(_names_table(places, function="resolve_places"))
    unique = series.dropna().unique()
    found: dict[str, object] = {}
    for name in unique:  # one lookup per distinct name, not per row
        try:
            hit = resolver.find(str(name))
        except UnknownPlaceError:
            if errors == "raise":
                raise
            hit = None
        if hit is None and errors == "raise":
            close = resolver.closest(str(name))
            raise UnknownPlaceError(
                f"unknown place {str(name)!r}; closest known names: "
                f"{', '.join(repr(c) for c in close)}. Fix: correct the name or add it to "
                "the place's aliases.",
                name=str(name),
                suggestions=close,
            )
        found[str(name)] = hit if hit is not None else pd.NA
    return series.map(found).astype("string")


@overload
def closest_names(names: str, places: pd.DataFrame, n: int = 3) -> list[str]: ...


@overload
def closest_names(
    names: Iterable[str], places: pd.DataFrame, n: int = 3
) -> dict[str, list[str]]: ...


def closest_names(
    names: str | Iterable[str], places: pd.DataFrame, n: int = 3
) -> list[str] | dict[str, list[str]]:
    """The ``n`` known names (names, aliases, ids) closest to a name, or to each of several
    names (a dict; the known names are indexed once)."""
    resolver = _Resolver(places)
    if isinstance(names, str):
        return resolver.closest(names, n)
    return {str(name): resolver.closest(str(name), n) for name in names}


def place_points(places: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each place's representative point (polygons' inner point)."""
    points = shapely.point_on_surface(places.geometry.to_numpy())
    return shapely.get_x(points), shapely.get_y(points)


def make_places(
    ids: Iterable[str],
    names: Iterable[str],
    lon: Iterable[float],
    lat: Iterable[float],
    **columns: Iterable[object],
) -> gpd.GeoDataFrame:
    """Build a validated places table from plain columns.

    Examples
    --------
    >>> p = make_places(["hama"], ["Hama"], [36.75], [35.13], population=[460602])
    >>> p.loc["hama", "population"]
    np.float64(460602.0)
    """
    given = {PLACE_ID: ids, NAME: names, "lon": lon, "lat": lat, **columns}
    lists = {k: _sequence(v, function="make_places", argument=k) for k, v in given.items()}
    lengths = {k: len(v) for k, v in lists.items()}
    if len(set(lengths.values())) > 1:
        raise SchemaError(
            f"make_places: the columns differ in length: {lengths}. Fix: give "
            "one value per place in each of them."
        )
    frame = pd.DataFrame(lists)
    table = "make_places: table 'places'"
    check = Collector(table)
    x = parse_numbers(frame.pop("lon"), check, "lon", what="longitude", required=True)
    y = parse_numbers(frame.pop("lat"), check, "lat", what="latitude", required=True)
    check.raise_if_any()
    geometry = shapely.points(x.to_numpy(), y.to_numpy())
    return validate_places(gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS), source=table)


def _sequence(values: object, *, function: str, argument: str) -> list[object]:
    """``values`` as a list; ArgumentTypeError for a lone string or a non-sequence."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ArgumentTypeError(
            f"{function}: {argument} must be a sequence of values, got "
            f"{type(values).__name__} {values!r}. Fix: wrap a single "
            "value in a list."
        )
    return list(values)


def _names_table(places: object, *, function: str) -> pd.DataFrame:
    """A places table (indexed by place id, with ``name``) to match names against."""
    table = f"{function}: table 'places'"
    frame = as_table(places, table=table)
    if PLACE_ID in frame.columns:
        frame = frame.set_index(PLACE_ID)
    require_columns(frame, [NAME], table=table, options={})
    return frame
