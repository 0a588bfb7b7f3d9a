"""RFC 7946 GeoJSON: EPSG:4326 lon/lat, no ``crs`` member, counter-clockwise exteriors,
ISO 8601 dates, coordinates at 6 decimals. Output is deterministic (same input, same bytes).
"""

from __future__ import annotations

import json
import math
import os

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._atomic import write_text
from .._schema import CRS

__all__ = ["feature_collection", "write_feature_collection"]


def _json_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            value = value.tz_convert("UTC").tz_localize(None)
        if value == value.normalize():
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


def prepare_geometries(geoms: np.ndarray, *, precision: int = 6) -> np.ndarray:
    """Round coordinates and wind polygon exteriors counter-clockwise (right-hand rule)."""
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, precision))
    return shapely.orient_polygons(geoms, exterior_cw=False)


def feature_collection(gdf: gpd.GeoDataFrame, *, precision: int = 6, id_column: str | None = None
                       ) -> str:
    """Serialise a GeoDataFrame as an RFC 7946 FeatureCollection string.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(36.1234567, 35.0)],
    ...                      crs="EPSG:4326")
    >>> feature_collection(g)
    '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[36.123457,35.0]}}]}'
    """
    if gdf.crs is not None and not gdf.crs.equals(CRS):
        gdf = gdf.to_crs(CRS)
    geoms = prepare_geometries(gdf.geometry.to_numpy(), precision=precision)
    geo_json = shapely.to_geojson(geoms)
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    records = props.astype(object).to_dict("records")
    ids = props.index if id_column is None else None
    parts = []
    for i, (record, geometry) in enumerate(zip(records, geo_json, strict=True)):
        properties = {str(k): _json_value(v) for k, v in record.items()}
        if id_column is None and ids is not None and ids.name is not None:
            properties = {str(ids.name): _json_value(ids[i]), **properties}
        head = json.dumps({"type": "Feature", "properties": properties}, ensure_ascii=False,
                          separators=(",", ":"), allow_nan=False)
        geom = "null" if geometry is None else geometry
        parts.append(f'{head[:-1]},"geometry":{geom}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def write_feature_collection(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *,
                             precision: int = 6) -> None:
    """Write ``gdf`` as an RFC 7946 GeoJSON file, atomically."""
    write_text(path, feature_collection(gdf, precision=precision) + "\n")
