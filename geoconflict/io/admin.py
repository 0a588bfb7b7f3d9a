"""Administrative areas as places: polygons named by names and p-codes.

OCHA's common operational datasets (COD-AB) name each area in English and Arabic and give it
a p-code (``SY02`` for Aleppo governorate). Displacement tables from OCHA and IOM DTM name
origins and destinations by those names or p-codes; with the areas as places they resolve
like town names.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._collect import Collector
from .._kinds import POLYGONAL, is_polygonal
from .._names import (
    LANG_PATTERN,
    LEVEL_NAME,
    lang_key,
    level_name_column,
    name_column,
    name_columns,
)
from .._proj import to_crs
from .._schema import (
    ADMIN1,
    ADMIN2,
    ALIASES,
    CRS,
    NAME,
    PCODE,
    PLACE_ID,
    POPULATION,
    check_id_types,
    require_columns,
    validate_places,
)
from ..errors import DataWarning, FormatError, SchemaError
from ..places import fold_name, resolve_places
from ..territory.coverage import LEVEL
from ._vector import read_vector

__all__ = ["places_from_admin", "resolve_pcodes"]

_MAX_NAMED = 5
_KM_PER_DEGREE = 111.32  # at the equator; the simplification tolerance is approximate

#: What a p-code looks like: a few letters, then digits (``SY02``, ``SY0204``, ``C3987``).
PCODE_PATTERN = r"^[A-Za-z]{1,3}\d{1,12}$"


def places_from_admin(
    layer: gpd.GeoDataFrame | str | os.PathLike[str],
    *,
    id: str | None = None,
    name: str | None = None,
    name_ar: str | None = None,
    names: Mapping[str, str] | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    aliases: Sequence[str] = (),
    population: str | None = None,
    level: str | None = None,
    level_name: str | Mapping[str, str] | None = None,
    simplify_km: float | None = None,
    as_points: bool = False,
) -> gpd.GeoDataFrame:
    """Polygon places, one per administrative area, from an admin layer.

    Reads OCHA COD-AB layers (``adm3_pcode``, ``adm3_name``, ``adm3_name1`` ...; the finest
    level present is used), geoBoundaries layers (``shapeID``, ``shapeName``,
    ``shapeType``), GADM layers (``GID_2``, ``NAME_2``, ``VARNAME_2``, ``ENGTYPE_2`` ...;
    the finest level) and Natural Earth admin-1 (``iso_3166_2``, ``name``, ``type_en``,
    ``name_uk`` ...) without options; name the id and name columns for any other layer (no
    other column is then asked for).

    Parameters
    ----------
    layer : GeoDataFrame or path
        Areas (polygons): a GeoDataFrame, or a GeoJSON, GeoPackage, Shapefile or
        GeoParquet path.
    id : str, optional
        The column of p-codes; they become ``place_id`` and ``pcode``. Default: the OCHA
        p-code column of the finest level (``adm3_pcode`` ...) or geoBoundaries' ``shapeID``.
    name, name_ar : str, optional
        Columns with the names and the Arabic names (default: OCHA's ``admN_name``,
        geoBoundaries' ``shapeName``, GADM's ``NAME_N``).
    names : mapping, optional
        Columns with the names in other languages, by language code:
        ``{"uk": "ADM1_UA", "ru": "ADM1_RU"}`` gives ``name_uk`` and ``name_ru``, which maps
        and figures show with ``lang="uk"`` or ``"ru"``. Default: OCHA's ``admN_name1`` ...
        in the language its ``lang1`` ... column gives (Arabic script without one), older
        OCHA layers' ``admN_fr``, ``admN_ua`` (Ukrainian) ..., and ``name_<code>`` columns.
    admin1, admin2 : str, optional
        Columns naming the first- and second-level areas (default for OCHA layers:
        ``adm1_name`` and ``adm2_name`` when finer than that level).
    aliases : sequence of str
        Columns holding more spellings (default for OCHA layers: ``admN_ref_n``,
        ``admN_name2``, ``admN_name3``); joined with ``|``.
    population : str, optional
        A column of population figures.
    level : str, optional
        The places' ``level`` (default: ``admin1`` ... from the OCHA or GADM columns or
        geoBoundaries' ``shapeType``); polygons of one level must not overlap.
    level_name : str or mapping, optional
        What the areas are called: ``"oblast"``, or by language ``{"en": "oblast", "uk":
        "область"}``; stored in ``level_name`` (``level_name_uk`` ...), where maps and figures
        find it ("Cherkasy (oblast)", "Oblast lines"). Default: the layer's own word, where
        it has one (GADM's ``ENGTYPE_N``, Natural Earth's ``type_en``); else none, and maps
        use a neutral word ("province").
    simplify_km : float, optional
        Simplify the outlines to about this tolerance, as a coverage: neighbours keep one
        shared border, with no gap or overlap opened (``shapely.coverage_simplify``).
    as_points : bool, default False
        One point inside each area instead of its polygon (the area then holds no land).

    Returns
    -------
    GeoDataFrame
        Indexed by ``place_id`` (the p-code): ``name``, ``name_<code>`` (``name_ar`` ...),
        ``pcode``, ``aliases``, ``admin1``, ``admin2``, ``level``, ``level_name``,
        ``population`` as given, and ``geometry``: the area's (Multi)Polygon.

    Raises
    ------
    SchemaError
        When a named column is missing, ids are missing or repeated, or geometry is empty.
    FormatError
        When the file cannot be read, holds no features, or holds no polygons.

    Warns
    -----
    DataWarning
        Naming invalid polygons, which are repaired (``shapely.make_valid``).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> areas = gpd.GeoDataFrame(
    ...     {"adm1_pcode": ["SY02", "SY05"], "adm1_name": ["Aleppo", "Hama"],
    ...      "adm1_name1": ["حلب", "حماة"]},
    ...     geometry=[shapely.box(36, 35.6, 38, 36.6), shapely.box(36, 34.8, 38, 35.6)],
    ...     crs="EPSG:4326")
    >>> p = places_from_admin(areas)
    >>> p[["name", "pcode", "level"]].values.tolist()
    [['Aleppo', 'SY02', 'admin1'], ['Hama', 'SY05', 'admin1']]
    >>> p.geom_type.tolist()
    ['Polygon', 'Polygon']
    >>> from geoconflict import resolve_places
    >>> resolve_places(["sy05", "حلب", "Hamah"], p).tolist()
    ['SY05', 'SY02', 'SY05']
    >>> oblasts = gpd.GeoDataFrame({"shapeID": ["UA-63"], "shapeName": ["Kharkiv Oblast"],
    ...     "shapeType": ["ADM1"], "name_uk": ["Харківська область"]},
    ...     geometry=[shapely.box(35, 49, 38, 50.5)], crs="EPSG:4326")
    >>> o = places_from_admin(oblasts, level_name={"en": "oblast", "uk": "область"})
    >>> o[["name", "name_uk", "level", "level_name", "level_name_uk"]].values.tolist()
    [['Kharkiv Oblast', 'Харківська область', 'admin1', 'oblast', 'область']]
    """
    gdf, label = _admin_layer(layer)
    columns = _admin_columns(
        gdf,
        id=id,
        name=name,
        name_ar=name_ar,
        admin1=admin1,
        admin2=admin2,
        aliases=aliases,
        level=level,
    )
    if columns["id"] is None or columns["name"] is None:
        raise SchemaError(
            f"{label}: no id and name columns recognised (OCHA COD-AB adm<n>_pcode / "
            "adm<n>_name, geoBoundaries shapeID / shapeName, GADM GID_<n> / NAME_<n>, "
            "Natural Earth iso_3166_2 / name); columns: "
            f"{[str(c) for c in gdf.columns if c != gdf.geometry.name][:15]}. Fix: pass "
            "id='<code column>' and name='<name column>'."
        )
    languages = _language_columns(gdf, columns, names)
    level_words = _level_words(level_name)
    wanted = (
        [columns["id"], columns["name"]]
        + [c for c in (columns["admin1"], columns["admin2"], population) if c]
        + list(languages.values())
        + list(columns["aliases"])
        + ([columns["level_name"]] if columns["level_name"] and level_name is None else [])
    )
    require_columns(gdf, wanted, table=label, options={})
    check = Collector(label)
    check_id_types(gdf[columns["id"]], check, columns["id"])
    check.raise_if_any()
    source = gdf if gdf.crs is None or gdf.crs.equals(CRS) else to_crs(gdf, CRS)
    geoms = _admin_polygons(source.geometry.to_numpy(), source[columns["id"]], label)
    if simplify_km is not None:
        geoms = _simplify(geoms, simplify_km, label)
    if as_points:
        geoms = shapely.point_on_surface(geoms)
    data = {
        PLACE_ID: source[columns["id"]].astype("string").str.strip().to_numpy(),
        NAME: source[columns["name"]].astype("string").to_numpy(),
    }
    for code, column in languages.items():
        data[name_column(code)] = source[column].astype("string").to_numpy()
    data[PCODE] = data[PLACE_ID]
    if columns["aliases"]:
        texts = [source[c].astype("string").fillna("") for c in columns["aliases"]]
        text = texts[0].str.cat(texts[1:], sep="|") if len(texts) > 1 else texts[0]
        text = text.str.replace(r"\|+", "|", regex=True).str.strip("|")
        data[ALIASES] = text.mask(text == "", pd.NA).astype("string").to_numpy()
    for key, column in (("admin1", ADMIN1), ("admin2", ADMIN2)):
        if columns[key]:
            data[column] = source[columns[key]].astype("string").to_numpy()
    if columns["level"]:
        data[LEVEL] = np.full(len(source), columns["level"], dtype=object)
    if level_words:
        for code, word in level_words.items():
            data[level_name_column(code or None)] = np.full(len(source), word, dtype=object)
    elif columns["level_name"]:
        data[LEVEL_NAME] = source[columns["level_name"]].astype("string").to_numpy()
    if population:
        data[POPULATION] = pd.to_numeric(source[population], errors="coerce").to_numpy()
    places = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=CRS))
    return validate_places(places, source=label)


def _admin_layer(layer: object) -> tuple[gpd.GeoDataFrame, str]:
    """The layer as a GeoDataFrame, and its name for messages."""
    if isinstance(layer, gpd.GeoDataFrame) and layer._geometry_column_name in layer.columns:
        return layer, "table 'admin areas'"
    if isinstance(layer, pd.DataFrame):
        raise SchemaError(
            f"table 'admin areas': missing column 'geometry'; got "
            f"{[str(c) for c in layer.columns]}. Fix: pass a GeoDataFrame of "
            "the areas, e.g. geopandas.read_file(path)."
        )
    if not isinstance(layer, str | os.PathLike):
        raise FormatError(
            f"places_from_admin needs a GeoDataFrame or the path of a GeoJSON, "
            f"GeoPackage or Shapefile, got {type(layer).__name__}."
        )
    path = Path(layer)
    # the library's reader: GeoJSON, GeoPackage, Shapefile and GeoParquet (COD-AB is now
    # published so), with its own messages for empty, LFS-pointer and broken files
    gdf = read_vector(path)
    if len(gdf) == 0:
        raise FormatError(
            f"{path.name}: the layer holds no features. Fix: pass the admin "
            "layer itself (OCHA COD-AB or geoBoundaries)."
        )
    return gdf, path.name


def _admin_columns(gdf: gpd.GeoDataFrame, **given: object) -> dict:
    """The columns to read: those given, else OCHA's, geoBoundaries', GADM's or Natural
    Earth's names (and the word for the units, where the layer has one)."""
    lower = {str(c).lower(): str(c) for c in gdf.columns}
    levels = sorted(int(m[1]) for c in lower if (m := re.fullmatch(r"adm(\d)_pcode", c)))
    found: dict = {
        "id": None,
        "name": None,
        "name_ar": None,
        "admin1": None,
        "admin2": None,
        "aliases": (),
        "level": None,
        "level_name": lower.get(LEVEL_NAME),
    }
    pick = lower.get
    if levels:
        n = levels[-1]
        found.update(
            id=pick(f"adm{n}_pcode"),
            name=pick(f"adm{n}_name") or pick(f"adm{n}_en") or f"adm{n}_name",
            level=f"admin{n}",
            admin1=(pick("adm1_name") or pick("adm1_en")) if n > 1 else None,
            admin2=(pick("adm2_name") or pick("adm2_en")) if n > 2 else None,
            aliases=tuple(
                c
                for c in (pick(f"adm{n}_ref_n"), pick(f"adm{n}_name2"), pick(f"adm{n}_name3"))
                if c and not _has_language(gdf, pick(f"lang{c[-1]}"))
            ),
        )
    elif "shapeid" in lower and "shapename" in lower:
        found.update(id=lower["shapeid"], name=lower["shapename"])
        if "shapetype" in lower:
            kind = gdf[lower["shapetype"]].dropna().astype(str).str.lower().unique()
            if kind.size == 1 and re.fullmatch(r"adm\d", kind[0]):
                found["level"] = f"admin{kind[0][3]}"
    elif named := sorted(int(m[1]) for c in lower if (m := re.fullmatch(r"adm(\d)_name", c))):
        # OCHA names without the p-code column: ask for the p-code by its OCHA name
        n = named[-1]
        found.update(id=f"adm{n}_pcode", name=lower[f"adm{n}_name"], level=f"admin{n}")
    elif gadm := sorted(
        int(m[1]) for c in lower if (m := re.fullmatch(r"gid_(\d)", c)) and f"name_{m[1]}" in lower
    ):
        n = gadm[-1]  # GADM: GID_n, NAME_n, VARNAME_n, ENGTYPE_n at the finest level n
        found.update(
            id=lower[f"gid_{n}"],
            name=lower[f"name_{n}"],
            level=f"admin{n}",
            admin1=lower.get("name_1") if n > 1 else None,
            admin2=lower.get("name_2") if n > 2 else None,
            aliases=tuple(c for c in (lower.get(f"varname_{n}"),) if c),
            level_name=found["level_name"] or pick(f"engtype_{n}"),
        )
    elif "name" in lower and ("iso_3166_2" in lower or "adm1_code" in lower):
        # Natural Earth admin-1 states and provinces (type_en: "Oblast", "Province" ...)
        found.update(
            id=lower.get("iso_3166_2") or lower["adm1_code"],
            name=lower["name"],
            name_ar=lower.get("name_ar"),
            level="admin1",
            level_name=found["level_name"] or pick("type_en"),
        )
    for key, value in given.items():
        if value is not None and (value != () or key != "aliases"):
            found[key] = value
    if given.get("id") is not None and given.get("name_ar") is None and levels:
        # explicit columns of another level: no guessed other names beside them
        other = re.fullmatch(r"adm(\d)_pcode", str(given["id"]).lower())
        if other and f"adm{levels[-1]}" != f"adm{other[1]}":
            aliases = cast(Sequence[str], given["aliases"])
            found.update(
                name_ar=None,
                admin1=given.get("admin1"),
                admin2=given.get("admin2"),
                aliases=tuple(aliases or ()),
                level=given.get("level") or f"admin{other[1]}",
                other_level=True,
            )
    return found


def _language_columns(
    gdf: gpd.GeoDataFrame, columns: Mapping, names: Mapping[str, str] | None
) -> dict[str, str]:
    """The columns of names in other languages, by language code: ``names`` as given, over
    the ``name_ar`` column, over those the layer says (OCHA ``admN_nameK`` with ``langK``,
    older OCHA ``admN_xx``, ``name_<code>``)."""
    out: dict[str, str] = {}
    lower = {str(c).lower(): str(c) for c in gdf.columns}
    if not columns.get("other_level"):
        out.update(_layer_languages(gdf, lower, columns))
    if columns["name_ar"]:
        out["ar"] = columns["name_ar"]
    if names is not None:
        if not isinstance(names, Mapping):
            raise SchemaError(
                f"names must map a language code to a column, got {type(names).__name__}. "
                "Fix: pass e.g. names={'uk': 'ADM1_UA'}."
            )
        for code, column in names.items():
            if not isinstance(code, str) or not LANG_PATTERN.match(code):
                raise SchemaError(
                    f"names: {code!r} is not a language code. Fix: use ISO 639 codes, "
                    "e.g. names={'uk': 'ADM1_UA', 'ru': 'ADM1_RU'}."
                )
            out[lang_key(code)] = str(column)
    return out


def _layer_languages(gdf: gpd.GeoDataFrame, lower: Mapping[str, str], columns: Mapping) -> dict:
    out: dict[str, str] = {}
    own = {str(c).lower() for c in (columns["name"], columns["id"]) if c}
    for column in lower:
        m = re.fullmatch(r"name_([a-z]{2,3})", column)
        if m and column not in own and m[1] != "en":
            out[m[1]] = lower[column]
    level = re.fullmatch(r"admin(\d)", str(columns.get("level") or ""))
    if level is None or f"adm{level[1]}_pcode" not in lower:
        return out
    n = level[1]
    for column in lower:
        m = re.fullmatch(rf"adm{n}_([a-z]{{2}})", column)
        if m and m[1] not in ("en", "id"):
            out["uk" if m[1] == "ua" else m[1]] = lower[column]  # OCHA writes UA for Ukrainian
    for k in (1, 2, 3):
        found = lower.get(f"adm{n}_name{k}")
        if found is None:
            continue
        column = found
        code_column = lower.get(f"lang{k}")
        if code_column is not None:
            codes = gdf[code_column].dropna().astype(str).str.strip().str.lower().unique()
            if len(codes) == 1 and LANG_PATTERN.match(codes[0]) and codes[0] != "en":
                out[lang_key(codes[0])] = column
        elif k == 1 and _arabic(gdf[column]):  # OCHA layers older than the lang columns
            out["ar"] = column
    return out


def _has_language(gdf: gpd.GeoDataFrame, column: str | None) -> bool:
    """Whether an OCHA ``langK`` column names a language (its ``admN_nameK`` are names in
    it, not more spellings)."""
    return column is not None and bool(gdf[column].notna().any())


def _arabic(values: pd.Series) -> bool:
    text = values.dropna().astype(str)
    return bool(len(text)) and bool(text.str.contains("[\u0600-\u06ff]", regex=True).mean() > 0.5)


def _level_words(level_name: object) -> dict[str, str]:
    """``level_name`` as columns' words: ``{"": word}`` for ``level_name``, ``{"uk": word}``
    for ``level_name_uk``."""
    if level_name is None:
        return {}
    if isinstance(level_name, str) and level_name.strip():
        return {"": level_name.strip()}
    if isinstance(level_name, Mapping) and level_name:
        words = {lang_key(str(k)): v for k, v in level_name.items()}
        bad = [k for k, v in words.items() if not (isinstance(v, str) and v.strip())]
        if not bad and all(LANG_PATTERN.match(k) for k in words):
            first = words.get("en", next(iter(words.values())))
            return {"": first.strip(), **{k: v.strip() for k, v in words.items()}}
    raise SchemaError(
        f"level_name must be a word or a mapping of language -> word, got {level_name!r}. "
        "Fix: pass e.g. level_name='oblast' or level_name={'en': 'oblast', 'uk': 'область'}."
    )


def _admin_polygons(geoms: np.ndarray, ids: pd.Series, label: str) -> np.ndarray:
    """The areas' polygons; invalid ones repaired (with a warning), points refused."""
    types = shapely.get_type_id(geoms)
    usable = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    polygonal = np.isin(types, POLYGONAL)
    if usable.any() and not polygonal[usable].any():
        kind = shapely.get_type_id(geoms[usable][0])
        names = {0: "Points", 1: "LineStrings", 4: "MultiPoints", 5: "MultiLineStrings"}
        raise FormatError(
            f"{label}: the layer holds {names.get(int(kind), 'no polygons')}, "
            "not areas (Polygons). Fix: pass an admin boundary layer; for towns "
            "use geoconflict.read_places or make_places."
        )
    bad = usable & polygonal & ~shapely.is_valid(geoms)
    if not bad.any():
        return geoms
    out = geoms.copy()
    reasons = shapely.is_valid_reason(geoms[bad])
    repaired = shapely.make_valid(geoms[bad])
    parts = [
        shapely.union_all(p[is_polygonal(p)]) for p in (shapely.get_parts(g) for g in repaired)
    ]  # a few invalid areas only
    out[bad] = parts
    named = ", ".join(
        f"{str(i)!r} ({r})"
        for i, r in zip(ids.to_numpy()[bad][:_MAX_NAMED], reasons[:_MAX_NAMED], strict=True)
    )
    more = f" and {int(bad.sum()) - _MAX_NAMED} more" if bad.sum() > _MAX_NAMED else ""
    warnings.warn(
        f"{label}: {int(bad.sum())} invalid polygon(s) repaired with "
        f"shapely.make_valid: {named}{more}. Fix: check these areas in a GIS if "
        "their shape matters.",
        DataWarning,
        stacklevel=3,
    )
    return out


def _simplify(geoms: np.ndarray, km: float, label: str) -> np.ndarray:
    """Outlines simplified as a coverage (shared borders stay shared)."""
    try:
        tolerance = float(km)
    except (TypeError, ValueError):
        tolerance = math.nan
    if not math.isfinite(tolerance) or tolerance <= 0:
        raise SchemaError(
            f"simplify_km must be a positive number of kilometres, got "
            f"{km!r}. Fix: pass e.g. simplify_km=0.5, or leave it out."
        )
    degrees = tolerance / _KM_PER_DEGREE
    if shapely.coverage_is_valid(geoms):
        return shapely.coverage_simplify(geoms, degrees, simplify_boundary=True)
    warnings.warn(
        f"{label}: the areas are not a clean coverage (neighbours' borders differ), "
        "so each is simplified on its own and small gaps or overlaps may open. Fix: "
        "check the layer with geoconflict.check_coverage.",
        DataWarning,
        stacklevel=3,
    )
    return shapely.simplify(geoms, degrees, preserve_topology=True)


def resolve_pcodes(values: Iterable[object], places: pd.DataFrame) -> pd.Series:
    """Place ids for names or p-codes; missing where nothing matches.

    Names are resolved like :func:`geoconflict.resolve_places` (spelling variants allowed).
    Values that look like p-codes are matched only exactly (ignoring case, spaces and
    punctuation: geoBoundaries' ``UA-71`` is OCHA's ``UA71``) against the places' ids and
    ``pcode`` column: ``SY0211`` must never fall back to a similar code.

    Examples
    --------
    >>> from geoconflict.places import make_places
    >>> p = make_places(["SY02", "SY05"], ["Aleppo", "Hama"], [37.2, 36.8], [36.2, 35.1],
    ...                 pcode=["SY02", "SY05"])
    >>> resolve_pcodes(["sy05", "SY0500", "Halab", "Aleppo", "SY-05"], p).tolist()
    ['SY05', <NA>, <NA>, 'SY02', 'SY05']
    >>> t4 = make_places(["t4"], ["T4"], [37.6], [34.5])
    >>> resolve_pcodes(["t4", "T4", "T04"], t4).tolist()
    ['t4', 't4', <NA>]
    """
    text = pd.Series(list(values), dtype="string").str.strip()
    ids = resolve_places(text, places, errors="coerce")
    codes = pd.Series(places.index.astype(str), index=_code_key(places.index.astype("string")))
    if PCODE in places.columns:
        by_pcode = pd.Series(
            places.index.astype(str), index=_code_key(places[PCODE].astype("string"))
        )
        codes = pd.concat([codes, by_pcode[by_pcode.index.notna()]])
    codes = codes[~codes.index.duplicated()]
    key = pd.Series(_code_key(text), index=text.index, dtype="string")
    looks = key.str.match(PCODE_PATTERN).fillna(False).to_numpy()
    exact = key.map(codes).astype("string")
    # a code-like value that is no code may still be a place's name ("T4"), spelled exactly
    by_name = looks & exact.isna().to_numpy() & ids.notna().to_numpy()
    for pos in np.flatnonzero(by_name):
        if fold_name(text.iloc[pos]) not in _folded_names(places, ids.iloc[pos]):
            ids.iloc[pos] = pd.NA
    return ids.where(~looks | by_name, exact)


def _code_key(codes: pd.Series | pd.Index) -> pd.Index:
    """Codes compared without punctuation, spaces or case: ``UA-71`` = ``UA71`` = ``ua 71``."""
    return pd.Index(
        pd.Series(codes, dtype="string").str.replace(r"[\W_]+", "", regex=True).str.upper()
    )


def _folded_names(places: pd.DataFrame, place_id: str) -> set[str]:
    row = places.loc[place_id]
    names = [row.get(c) for c in (NAME, *name_columns(places.columns).values())]
    if isinstance(row.get(ALIASES), str):
        names += row[ALIASES].split("|")
    return {fold_name(n) for n in names if isinstance(n, str)}
