"""What a table looks like (index, column order, dtypes), written beside it and restored on read.

GIS formats lose pandas details: GDAL returns every text column as ``str`` and every date as
``datetime64[ms]``, GeoJSON has no dates at all, and the index becomes a plain column. Our
writers store a small description of the table next to the data (a foreign member in GeoJSON,
a metadata table in a GeoPackage, ``attrs`` in Parquet); the readers use it to rebuild the
table exactly as it was written.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._schema import CRS

__all__ = ["describe", "dtype_name", "flat", "is_described", "restore"]

GEOMETRY = "geometry"


def dtype_name(dtype: object) -> str:
    """A portable name for a dtype: ``string`` (missing = NA), ``str`` (missing = NaN), ...

    Examples
    --------
    >>> import pandas as pd
    >>> dtype_name(pd.StringDtype()), dtype_name(pd.Series(["a"]).dtype)
    ('string', 'str')
    >>> dtype_name(pd.Series(pd.to_datetime(["2024-12-05"])).astype("datetime64[ns]").dtype)
    'datetime64[ns]'
    """
    if isinstance(dtype, pd.StringDtype):
        return "string" if dtype.na_value is pd.NA else "str"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    return str(dtype)


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The named index as leading columns; an unnamed one (a row number) is dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> flat(pd.DataFrame({"n": [1.5]}, index=pd.Index(["a"], name="id"))).columns.tolist()
    ['id', 'n']
    >>> flat(pd.DataFrame({"n": [1.5]}, index=[7])).index.tolist()
    [0]
    """
    if any(name is not None for name in frame.index.names):
        return frame.reset_index()
    return frame.reset_index(drop=True)


def describe(frame: pd.DataFrame, *, layer: str) -> dict:
    """Index names, columns in order with their dtype names, and the geometry column.

    Only a named index is described (and written); an unnamed one is a row number.

    Examples
    --------
    >>> import pandas as pd
    >>> describe(pd.DataFrame({"n": [1.5]}, index=pd.Index(["a"], name="id")), layer="x")
    {'layer': 'x', 'index': ['id'], 'columns': [['id', 'str'], ['n', 'float64']], 'geometry': None}
    """
    index = [str(n) for n in frame.index.names if n is not None]
    geometry = None
    if isinstance(frame, gpd.GeoDataFrame) and frame._geometry_column_name in frame.columns:
        geometry = str(frame.geometry.name)
    columns = [[name, dtype_name(frame.index.get_level_values(name).dtype)] for name in index]
    for col in frame.columns:
        kind = GEOMETRY if col == geometry else dtype_name(frame[col].dtype)
        columns.append([str(col), kind])
    return {"layer": layer, "index": index, "columns": columns, "geometry": geometry}


def is_described(value: object) -> bool:
    """Whether ``value`` looks like a description written by :func:`describe`."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("columns"), list)
        and all(isinstance(c, list) and len(c) == 2 for c in value["columns"])
    )


def _as_dates(values: pd.Series, dtype: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values
    else:
        text = values.astype(object).where(values.notna(), None)
        stamps = pd.to_datetime(text, format="ISO8601", utc=True)
    target = pd.api.types.pandas_dtype(dtype)
    if isinstance(target, pd.DatetimeTZDtype):
        if stamps.dt.tz is None:
            stamps = stamps.dt.tz_localize("UTC")
        return stamps.dt.tz_convert(target.tz).astype(target)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps.astype(target)


def _cast(values: pd.Series, kind: str) -> pd.Series:
    if kind.startswith("datetime64"):
        return _as_dates(values, kind)
    if kind == "object":
        return values.astype(object).where(values.notna(), None)
    if kind == "category":
        return values.astype("category")
    if kind in ("bool", "boolean"):
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            values = values.map(
                {
                    "true": True,
                    "false": False,
                    "True": True,
                    "False": False,
                    True: True,
                    False: False,
                },
                na_action="ignore",
            )
        return values.astype(kind)
    if kind in ("string", "str"):
        return values.astype(object).where(values.notna(), None).astype(kind)
    return values.astype(kind)


def _empty(kind: str, n: int) -> pd.Series:
    if kind == GEOMETRY:
        return gpd.GeoSeries(np.full(n, None, dtype=object), crs=CRS)
    return _cast(pd.Series([None] * n, dtype=object), kind)


def restore(frame: pd.DataFrame, description: dict, *, crs: object = CRS) -> pd.DataFrame:
    """Rebuild a table read from a file as ``description`` (from :func:`describe`) says.

    Columns the file lacks (GDAL drops the fields of an empty layer) are added empty;
    columns the description does not name are dropped.
    """
    n = len(frame)
    data: dict[str, pd.Series] = {}
    for name, kind in description["columns"]:
        if kind == GEOMETRY:
            source = None
            if isinstance(frame, gpd.GeoDataFrame) and (
                frame._geometry_column_name in frame.columns
            ):
                source = frame.geometry
            elif name in frame.columns:
                source = gpd.GeoSeries(frame[name])
            values = (
                gpd.GeoSeries(source.to_numpy(), crs=source.crs or crs)
                if source is not None
                else _empty(GEOMETRY, n)
            )
            data[name] = values
            continue
        values = (
            frame[name].reset_index(drop=True)
            if name in frame.columns
            else pd.Series([None] * n, dtype=object)
        )
        data[name] = _cast(values, kind)
    geometry = description.get("geometry")
    if geometry is not None:
        out = gpd.GeoDataFrame(data, geometry=geometry, crs=data[geometry].crs)
    else:
        out = pd.DataFrame(data, index=pd.RangeIndex(n))
    if description.get("index"):
        out = out.set_index(description["index"])
    return out
