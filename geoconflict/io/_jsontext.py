"""JSON text for whole columns at once.

Each function turns a column into an array holding the JSON literal of every row
(``"Hama"``, ``16034.6``, ``null``, ``"2024-12-05"``), using numpy's vectorised string
functions, so a million features are serialised without a Python loop over rows. Rows are then
assembled by concatenating whole arrays.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from typing import Any, cast

import numpy as np
import pandas as pd
import shapely
from numpy.dtypes import StringDType

from .._warn import user_stacklevel
from ..errors import DataWarning
from ._precision import on_grid

__all__ = [
    "coordinates_text",
    "full_text",
    "geometry_json",
    "json_column",
    "json_key",
    "text_array",
]

_TEXT = StringDType()  # numpy's variable-width strings, with C loops (numpy >= 2 is the floor)

_CONTROL = re.compile(r"[\x00-\x1f]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def text_array(values: object) -> np.ndarray:
    """Values (Python strings) as a variable-width string array."""
    return np.asarray(values, dtype=_TEXT)


def full_text(n: int, text: str) -> np.ndarray:
    return np.full(n, text, dtype=_TEXT)


def _replace(values: np.ndarray, old: str, new: str) -> np.ndarray:
    return np.strings.replace(values, old, new)


def _zfill(values: np.ndarray, width: int) -> np.ndarray:
    return np.strings.zfill(values, width)


def _rstrip_zeros(values: np.ndarray) -> np.ndarray:
    return np.strings.rstrip(values, "0")


def _is_empty(values: np.ndarray) -> np.ndarray:
    return np.strings.str_len(values) == 0


def _numbers_text(values: np.ndarray) -> np.ndarray:
    """Integers (any numpy int array) as decimal text."""
    return values.astype(_TEXT)


def json_key(name: object) -> str:
    """A property name as a JSON string."""
    return json.dumps(str(name), ensure_ascii=False)


def _escape(text: np.ndarray) -> np.ndarray:
    """Strings (no missing values) as JSON string literals."""
    joined = "".join(text.tolist())
    if _CONTROL.search(joined):
        # rare: control characters (tabs, newlines) need json's escapes; per value, only here
        return text_array([json.dumps(s, ensure_ascii=False) for s in text.tolist()])
    if "\\" in joined:
        text = _replace(text, "\\", "\\\\")
    if '"' in joined:
        text = _replace(text, '"', '\\"')
    return '"' + text + '"'


def json_strings(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Text as JSON strings (quotes, backslashes and control characters escaped).

    Repeated values (actor ids, statuses, admin areas) are escaped once and then copied.
    """
    n = len(values)
    codes, uniques = pd.factorize(np.where(missing, cast(Any, None), values), use_na_sentinel=True)
    if len(uniques) > n // 2:
        out = _escape(text_array(np.where(missing, "", values)))
        return np.where(missing, "null", out)
    table = np.concatenate(
        [_escape(text_array(np.asarray(uniques, dtype=object))), text_array(["null"])]
    )
    return table[np.where(codes < 0, len(uniques), codes)]


def _json_floats(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        integral = finite & (np.mod(values, 1) == 0) & (np.abs(values) < 2**53)
    as_int = _numbers_text(np.where(integral, values, 0).astype(np.int64))
    as_float = values.astype(_TEXT)
    out = np.where(integral, as_int, as_float)
    return np.where(finite, out, "null")


def _json_dates(series: pd.Series, *, midnight: bool | None = None) -> np.ndarray:
    """ISO 8601 text: plain days when every value is at midnight (or ``midnight`` says so),
    else date-times in UTC."""
    stamps = series
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    values = stamps.to_numpy(dtype="datetime64[ns]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype="datetime64[ns]")
    if midnight is None:
        midnight = bool(np.all(uniques == uniques.astype("datetime64[D]")))
    unit = "D" if midnight else "s"
    text = text_array(np.datetime_as_string(uniques, unit=cast(Any, unit)))
    table = np.concatenate(['"' + text + ('"' if midnight else 'Z"'), text_array(["null"])])
    return table[np.where(codes < 0, len(uniques), codes)]


def _json_value(value: object) -> str:
    """One value of a mixed (object) column as JSON; lists and dicts stay JSON."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "null"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, pd.Timestamp):
        return _json_dates(pd.Series([value]))[0]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "null"
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)


def json_column(series: pd.Series, *, midnight: bool | None = None) -> np.ndarray:
    """The JSON literal of every value in ``series``.

    ``midnight`` fixes the style of a date column (days or date-times) when the series is
    one chunk of a longer column; by default the series' own values decide.

    Examples
    --------
    >>> import pandas as pd
    >>> json_column(pd.Series([1.5, 2.0, None])).tolist()
    ['1.5', '2', 'null']
    >>> json_column(pd.Series(['Ma\\'arrat "al"', None], dtype="string")).tolist()
    ['"Ma\\'arrat \\\\"al\\\\""', 'null']
    >>> json_column(pd.Series(pd.to_datetime(["2024-12-05", None]))).tolist()
    ['"2024-12-05"', 'null']
    """
    dtype = series.dtype
    n = len(series)
    if n == 0:
        return text_array([])
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        categories = json_column(pd.Series(series.cat.categories))
        picked = categories[np.maximum(codes, 0)] if len(categories) else full_text(n, "null")
        return np.where(codes < 0, full_text(n, "null"), picked)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _json_dates(series, midnight=midnight)
    if pd.api.types.is_bool_dtype(dtype):
        missing = series.isna().to_numpy()
        truth = series.fillna(False).to_numpy(dtype=bool)
        out = np.where(truth, full_text(n, "true"), full_text(n, "false"))
        return np.where(missing, full_text(n, "null"), out)
    if pd.api.types.is_integer_dtype(dtype):
        missing = series.isna().to_numpy()
        text = _numbers_text(series.fillna(0).to_numpy(dtype=np.int64))
        return np.where(missing, full_text(n, "null"), text)
    if pd.api.types.is_float_dtype(dtype):
        return _json_floats(series.to_numpy(dtype=float, na_value=np.nan))
    if isinstance(dtype, pd.StringDtype) or (
        dtype == np.dtype(object) and pd.api.types.infer_dtype(series) in ("string", "empty")
    ):
        missing = series.isna().to_numpy()
        return json_strings(series.to_numpy(dtype=object, na_value=""), missing)
    return text_array([_json_value(v) for v in series.to_numpy(dtype=object)])


def coordinates_text(values: np.ndarray, *, precision: int = 6) -> np.ndarray:
    """Numbers rounded to ``precision`` decimals, as text without trailing zeros.

    Examples
    --------
    >>> coordinates_text(np.array([36.1234567, -0.0000004, -35.5, 2.0])).tolist()
    ['36.123457', '0.0', '-35.5', '2.0']
    """
    scale = 10**precision
    scaled = np.rint(np.asarray(values, dtype=float) * scale).astype(np.int64)
    negative = scaled < 0
    whole, fraction = np.divmod(np.abs(scaled), scale)
    fraction_text = _rstrip_zeros(_zfill(_numbers_text(fraction), precision))
    fraction_text = np.where(_is_empty(fraction_text), full_text(len(scaled), "0"), fraction_text)
    text = _numbers_text(whole) + "." + fraction_text
    return np.where(negative, "-" + text, text)


def geometry_json(geoms: np.ndarray, *, precision: int = 6) -> np.ndarray:
    """GeoJSON geometry objects; missing and empty geometries become ``null``.

    Points are formatted with array arithmetic; other types are written by GEOS and their
    numbers rewritten with array arithmetic. Polygon exteriors are wound counter-clockwise
    and holes clockwise (RFC 7946's right-hand rule), after rounding to the written decimals
    so that rounding cannot turn a sliver ring the wrong way. Rounding keeps geometries valid
    (:func:`geoconflict.io._precision.on_grid`); one narrower than the grid everywhere is
    written as ``null``, with a :class:`~geoconflict.errors.DataWarning`.
    """
    n = len(geoms)
    out = full_text(n, "null")
    if n == 0:
        return out
    usable = ~shapely.is_missing(geoms)
    usable[usable] = ~shapely.is_empty(geoms[usable])
    type_id = np.full(n, -1)
    type_id[usable] = shapely.get_type_id(geoms[usable])
    point = usable & (type_id == 0)
    if point.any():
        flat = point.copy()
        flat[point] = ~shapely.has_z(geoms[point])
        if flat.any():
            x = coordinates_text(shapely.get_x(geoms[flat]), precision=precision)
            y = coordinates_text(shapely.get_y(geoms[flat]), precision=precision)
            out[flat] = '{"type":"Point","coordinates":[' + x + "," + y + "]}"
        point = flat
    other = usable & ~point
    if other.any():
        # On the written grid before orienting (rounding a sliver ring after orienting it
        # could flip it), and valid there (see on_grid). Idempotent: files read back unchanged.
        rounded, collapsed = on_grid(geoms[other], decimals=precision)
        if collapsed.any():
            positions = np.flatnonzero(other)[collapsed]
            warnings.warn(
                f"{positions.size} geometries are narrower than {precision} decimals of a "
                f"degree can hold and are written as null (rows "
                f"{', '.join(str(p + 1) for p in positions[:5])}"
                f"{' ...' if positions.size > 5 else ''}). Fix: write a GeoPackage or "
                "GeoParquet file, which keep full precision.",
                DataWarning,
                stacklevel=user_stacklevel(),
            )
        kept = ~collapsed
        oriented = shapely.orient_polygons(rounded[kept], exterior_cw=False)
        written = np.flatnonzero(other)[kept]
        out[written] = text_array(
            _rounded_numbers(shapely.to_geojson(oriented).tolist(), precision=precision)
        )
    return out


def _rounded_numbers(texts: list[str], *, precision: int) -> list[str]:
    """Every number in GEOS's GeoJSON rewritten at ``precision`` decimals, all at once.

    GEOS writes up to 17 significant digits (``36.746339999999996``); the numbers are cut
    out of the joined text, formatted as arrays and put back.
    """
    joined = "\x1e".join(texts)  # a separator JSON text never holds unescaped
    pieces = _NUMBER.split(joined)
    numbers = np.array(_NUMBER.findall(joined), dtype=float)
    parts: list[str] = [""] * (2 * len(pieces) - 1)
    parts[0::2] = pieces
    parts[1::2] = coordinates_text(numbers, precision=precision).tolist()
    return "".join(parts).split("\x1e")
