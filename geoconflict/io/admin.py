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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._kinds import POLYGONAL, is_polygonal
from .._proj import to_crs
from .._schema import (
    ADMIN1,
    ADMIN2,
    ALIASES,
    CRS,
    NAME,
    NAME_AR,
    PCODE,
    PLACE_ID,
    POPULATION,
    Checker,
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
    admin1: str | None = None,
    admin2: str | None = None,
    aliases: Sequence[str] = (),
    population: str | None = None,
    level: str | None = None,
    simplify_km: float | None = None,
    as_points: bool = False,
) -> gpd.GeoDataFrame:
    """Polygon places, one per administrative area, from an admin layer.

    Reads OCHA COD-AB layers (``adm3_pcode``, ``adm3_name``, ``adm3_name1`` ...; the finest
    level present is used), geoBoundaries layers (``shapeID``, ``shapeName``,
    ``shapeType``), GADM layers (``GID_2``, ``NAME_2``, ``VARNAME_2`` ...; the finest level)
    and Natural Earth admin-1 (``iso_3166_2``, ``name``, ``name_ar``) without options; name
    the id and name columns for any other layer (no other column is then asked for).

    Parameters
    ----------
    layer : GeoDataFrame or path
        Areas (polygons): a GeoDataFrame, or a GeoJSON, GeoPackage, Shapefile or
        GeoParquet path.
    id : str, optional
        The column of p-codes; they become ``place_id`` and ``pcode``. Default: the OCHA
        p-code column of the finest level (``adm3_pcode`` ...) or geoBoundaries' ``shapeID``.
    name, name_ar : str, optional
        Columns with the English and Arabic names (default: OCHA's ``admN_name`` and
        ``admN_name1``, geoBoundaries' ``shapeName``).
    admin1, admin2 : str, optional
        Columns naming the first- and second-level areas (default for OCHA layers:
        ``adm1_name`` and ``adm2_name`` when finer than that level).
    aliases : sequence of str
        Columns holding more spellings (default for OCHA layers: ``admN_ref_n``,
        ``admN_name2``, ``admN_name3``); joined with ``|``.
    population : str, optional
        A column of population figures.
    level : str, optional
        The places' ``level`` (default: ``admin1`` ... from the OCHA columns or
        geoBoundaries' ``shapeType``); polygons of one level must not overlap.
    simplify_km : float, optional
        Simplify the outlines to about this tolerance, as a coverage: neighbours keep one
        shared border, with no gap or overlap opened (``shapely.coverage_simplify``).
    as_points : bool, default False
        One point inside each area instead of its polygon (the area then holds no land).

    Returns
    -------
    GeoDataFrame
        Indexed by ``place_id`` (the p-code): ``name``, ``name_ar``, ``pcode``, ``aliases``,
        ``admin1``, ``admin2``, ``level``, ``population`` as given, and ``geometry``: the
        area's (Multi)Polygon.

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
    wanted = (
        [columns["id"], columns["name"]]
        + [c for c in (columns["name_ar"], columns["admin1"], columns["admin2"], population) if c]
        + list(columns["aliases"])
    )
    require_columns(gdf, wanted, table=label, options={})
    check = Checker(label)
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
    if columns["name_ar"]:
        data[NAME_AR] = source[columns["name_ar"]].astype("string").to_numpy()
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
    """The columns to read: those given, else OCHA's or geoBoundaries' names."""
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
    }
    if levels:
        n = levels[-1]
        pick = lower.get
        found.update(
            id=pick(f"adm{n}_pcode"),
            name=pick(f"adm{n}_name") or f"adm{n}_name",
            name_ar=pick(f"adm{n}_name1"),
            level=f"admin{n}",
            admin1=pick("adm1_name") if n > 1 else None,
            admin2=pick("adm2_name") if n > 2 else None,
            aliases=tuple(
                c
                for c in (pick(f"adm{n}_ref_n"), pick(f"adm{n}_name2"), pick(f"adm{n}_name3"))
                if c
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
        n = gadm[-1]  # GADM: GID_n, NAME_n, VARNAME_n at the finest level n
        found.update(
            id=lower[f"gid_{n}"],
            name=lower[f"name_{n}"],
            level=f"admin{n}",
            admin1=lower.get("name_1") if n > 1 else None,
            admin2=lower.get("name_2") if n > 2 else None,
            aliases=tuple(c for c in (lower.get(f"varname_{n}"),) if c),
        )
    elif "name" in lower and ("iso_3166_2" in lower or "adm1_code" in lower):
        # Natural Earth admin-1 states and provinces
        found.update(
            id=lower.get("iso_3166_2") or lower["adm1_code"],
            name=lower["name"],
            name_ar=lower.get("name_ar"),
            level="admin1",
        )
    for key, value in given.items():
        if value is not None and (value != () or key != "aliases"):
            found[key] = value
    if given.get("id") is not None and given.get("name_ar") is None and levels:
        # explicit columns of another level: no guessed Arabic or admin names beside them
        other = re.fullmatch(r"adm(\d)_pcode", str(given["id"]).lower())
        if other and f"adm{levels[-1]}" != f"adm{other[1]}":
            aliases = cast(Sequence[str], given["aliases"])
            found.update(
                name_ar=None,
                admin1=given.get("admin1"),
                admin2=given.get("admin2"),
                aliases=tuple(aliases or ()),
                level=given.get("level") or f"admin{other[1]}",
            )
    return found


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
    names = [row.get(NAME), row.get(NAME_AR)]
    if isinstance(row.get(ALIASES), str):
        names += row[ALIASES].split("|")
    return {fold_name(n) for n in names if isinstance(n, str)}
