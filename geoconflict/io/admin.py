"""Administrative areas as places: governorates or districts named by names and p-codes.

OCHA's common operational datasets (COD-AB) name each area in English and Arabic and give it
a p-code (``SY02`` for Aleppo governorate). Displacement tables from OCHA and IOM DTM name
origins and destinations by those names or p-codes; with the areas as places they resolve
like town names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._schema import (
    ADMIN1,
    ALIASES,
    CRS,
    NAME,
    NAME_AR,
    PCODE,
    PLACE_ID,
    POPULATION,
    require_columns,
    validate_places,
)
from ..places import fold_name, resolve_places

__all__ = ["places_from_admin", "resolve_pcodes"]

#: What a p-code looks like: a few letters, then digits (``SY02``, ``SY0204``, ``C3987``).
PCODE_PATTERN = r"^[A-Za-z]{1,3}\d{1,12}$"


def places_from_admin(gdf: gpd.GeoDataFrame, *, id: str = "adm1_pcode",
                      name: str = "adm1_name", name_ar: str | None = "adm1_name1",
                      admin1: str | None = None, aliases: Sequence[str] = (),
                      population: str | None = None) -> gpd.GeoDataFrame:
    """A places table with one place per administrative area, at a point inside it.

    Parameters
    ----------
    gdf : GeoDataFrame
        Areas (polygons), e.g. OCHA's ``syr_admin1.geojson``.
    id : str
        The column of p-codes; they become ``place_id`` and ``pcode``.
    name, name_ar : str
        Columns with the English and Arabic names (``name_ar=None`` if there is none).
    admin1 : str, optional
        A column naming the first-level area (for districts: ``"adm1_name"``).
    aliases : sequence of str
        Columns holding more spellings (e.g. ``["adm1_ref_n"]``); joined with ``|``.
    population : str, optional
        A column of population figures.

    Returns
    -------
    GeoDataFrame
        Indexed by ``place_id`` (the p-code): ``name``, ``name_ar``, ``pcode``, ``aliases``,
        ``admin1``, ``population`` as given, and ``geometry``: a representative point
        (always inside the area, unlike the centroid of a crescent-shaped one).

    Raises
    ------
    SchemaError
        When a named column is missing, or ids are missing or repeated.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> areas = gpd.GeoDataFrame(
    ...     {"adm1_pcode": ["SY02", "SY05"], "adm1_name": ["Aleppo", "Hama"],
    ...      "adm1_name1": ["حلب", "حماة"]},
    ...     geometry=[shapely.box(36, 35.6, 38, 36.6), shapely.box(36, 34.8, 38, 35.6)],
    ...     crs="EPSG:4326")
    >>> p = places_from_admin(areas)
    >>> p[["name", "pcode"]].values.tolist()
    [['Aleppo', 'SY02'], ['Hama', 'SY05']]
    >>> from geoconflict import resolve_places
    >>> resolve_places(["sy05", "حلب", "Hamah"], p).tolist()
    ['SY05', 'SY02', 'SY05']
    """
    wanted = [id, name] + [c for c in (name_ar, admin1, population) if c] + list(aliases)
    require_columns(gdf, wanted, table="table 'admin areas'", options={})
    source = gdf if gdf.crs is None or gdf.crs.equals(CRS) else gdf.to_crs(CRS)
    geoms = source.geometry.to_numpy()
    points = shapely.point_on_surface(geoms)
    data = {PLACE_ID: source[id].astype("string").str.strip().to_numpy(),
            NAME: source[name].astype("string").to_numpy()}
    if name_ar:
        data[NAME_AR] = source[name_ar].astype("string").to_numpy()
    data[PCODE] = data[PLACE_ID]
    if aliases:
        columns = [source[c].astype("string").fillna("") for c in aliases]
        text = columns[0].str.cat(columns[1:], sep="|") if len(columns) > 1 else columns[0]
        text = text.str.replace(r"\|+", "|", regex=True).str.strip("|")
        data[ALIASES] = text.mask(text == "", pd.NA).astype("string").to_numpy()
    if admin1:
        data[ADMIN1] = source[admin1].astype("string").to_numpy()
    if population:
        data[POPULATION] = pd.to_numeric(source[population], errors="coerce").to_numpy()
    places = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(points, crs=CRS))
    return validate_places(places, source="table 'admin areas'")


def resolve_pcodes(values: Iterable[object], places: pd.DataFrame) -> pd.Series:
    """Place ids for names or p-codes; missing where nothing matches.

    Names are resolved like :func:`geoconflict.resolve_places` (spelling variants allowed).
    Values that look like p-codes are matched only exactly (ignoring case) against the
    places' ids and ``pcode`` column: ``SY0211`` must never fall back to a similar code.

    Examples
    --------
    >>> from geoconflict.places import make_places
    >>> p = make_places(["SY02", "SY05"], ["Aleppo", "Hama"], [37.2, 36.8], [36.2, 35.1],
    ...                 pcode=["SY02", "SY05"])
    >>> resolve_pcodes(["sy05", "SY0500", "Halab", "Aleppo"], p).tolist()
    ['SY05', <NA>, <NA>, 'SY02']
    >>> t4 = make_places(["t4"], ["T4"], [37.6], [34.5])
    >>> resolve_pcodes(["t4", "T4", "T04"], t4).tolist()
    ['t4', 't4', <NA>]
    """
    text = pd.Series(list(values), dtype="string").str.strip()
    ids = resolve_places(text, places, errors="coerce")
    codes = pd.Series(places.index.astype(str), index=places.index.astype(str).str.upper())
    if PCODE in places.columns:
        by_pcode = pd.Series(places.index.astype(str),
                             index=places[PCODE].astype("string").str.upper())
        codes = pd.concat([codes, by_pcode[by_pcode.index.notna()]])
    codes = codes[~codes.index.duplicated()]
    looks = text.str.match(PCODE_PATTERN).fillna(False).to_numpy()
    exact = text.str.upper().map(codes).astype("string")
    # a code-like value that is no code may still be a place's name ("T4"), spelled exactly
    by_name = looks & exact.isna().to_numpy() & ids.notna().to_numpy()
    for pos in np.flatnonzero(by_name):
        if fold_name(text.iloc[pos]) not in _folded_names(places, ids.iloc[pos]):
            ids.iloc[pos] = pd.NA
    return ids.where(~looks | by_name, exact)


def _folded_names(places: pd.DataFrame, place_id: str) -> set[str]:
    row = places.loc[place_id]
    names = [row.get(NAME), row.get(NAME_AR)]
    if isinstance(row.get(ALIASES), str):
        names += row[ALIASES].split("|")
    return {fold_name(n) for n in names if isinstance(n, str)}
