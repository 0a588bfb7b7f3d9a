"""JSON-ready columns: codes into string tables, rounded numbers, labels, GeoJSON.

Everything returned is plain Python (``str``, ``int``, ``float``, ``None``, lists, dicts), so
``json.dumps`` of it is the same for the same data.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._schema import NAME, NAME_AR

__all__ = ["DECIMALS", "feature_collection", "geometry_json", "labels_of", "rounded",
           "string_codes"]

#: Territories, frontlines and outlines are rounded to this many decimals (about 1 m).
DECIMALS = 5


def string_codes(values: pd.Series) -> tuple[list[int], list[str]]:
    """Codes into a table of distinct strings (in order of first appearance); -1 missing."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return codes.tolist(), [str(u) for u in uniques]


def rounded(values: np.ndarray, decimals: int) -> list:
    """Floats rounded for JSON; missing values become ``None``."""
    values = np.asarray(values, dtype=float)
    rounded = np.round(values, decimals)
    return [None if math.isnan(v) else (int(v) if decimals == 0 else float(v))
            for v in rounded.tolist()]


def labels_of(frame: pd.DataFrame, lang: str) -> pd.Series:
    names = frame[NAME].astype("string") if NAME in frame.columns else pd.Series(
        frame.index.astype(str), index=frame.index, dtype="string")
    names = names.fillna(pd.Series(frame.index.astype(str), index=frame.index,
                                   dtype="string"))
    if lang == "ar" and NAME_AR in frame.columns:
        names = frame[NAME_AR].astype("string").fillna(names)
    return names


def geometry_json(geometries: np.ndarray, decimals: int = DECIMALS) -> list:
    """GeoJSON geometry dicts, coordinates rounded (``None`` for missing geometries)."""
    geoms = np.asarray(geometries, dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rounded = shapely.transform(geoms[usable], lambda xy: np.round(xy, decimals))
    texts = iter(shapely.to_geojson(rounded).tolist())
    return [json.loads(next(texts)) if ok else None for ok in usable.tolist()]


def feature_collection(frame: gpd.GeoDataFrame, properties: dict[str, list]) -> dict:
    geometries = geometry_json(frame.geometry.to_numpy())
    features = []
    for i, geometry in enumerate(geometries):
        if geometry is None:
            continue
        features.append({"type": "Feature",
                         "properties": {k: v[i] for k, v in properties.items()},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
