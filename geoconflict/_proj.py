"""pyproj calls on arrays that always give arrays back.

pyproj's ``Geod.inv``, ``Geod.fwd`` and ``Transformer.transform`` first try their inputs as
scalars. A one-element array then passes as a scalar: the call returns plain floats instead
of arrays, and with numpy before 2.4 it also gives a DeprecationWarning (converting an array
to a scalar). These wrappers pass one-element arrays as two and take the first result back,
so every caller gets arrays of the input's length whatever the numpy version.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyproj

__all__ = ["geod_fwd", "geod_inv", "to_crs", "transform_xy"]


def _arrays(*values: object) -> tuple[list[np.ndarray], int]:
    arrays = [np.atleast_1d(np.asarray(v, dtype=float)) for v in values]
    n = max(a.size for a in arrays)
    if n == 1:
        arrays = [np.repeat(a.ravel(), 2) for a in arrays]
    return arrays, n


def _take(results: tuple, n: int) -> tuple[np.ndarray, ...]:
    return tuple(
        np.atleast_1d(np.asarray(r, dtype=float))[:n] if n == 1 else np.asarray(r, dtype=float)
        for r in results
    )


def geod_inv(
    geod: pyproj.Geod, lon1: object, lat1: object, lon2: object, lat2: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward azimuths, back azimuths and distances (m), as arrays.

    Examples
    --------
    >>> az, back, metres = geod_inv(pyproj.Geod(ellps="WGS84"), [0.0], [0.0], [1.0], [0.0])
    >>> metres.shape, round(float(metres[0]) / 1000, 1)
    ((1,), 111.3)
    """
    arrays, n = _arrays(lon1, lat1, lon2, lat2)
    az, back, dist = _take(geod.inv(arrays[0], arrays[1], arrays[2], arrays[3]), n)
    return az, back, dist


def geod_fwd(
    geod: pyproj.Geod, lon: object, lat: object, azimuth: object, distance: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """End longitudes, latitudes and back azimuths, as arrays."""
    arrays, n = _arrays(lon, lat, azimuth, distance)
    x, y, back = _take(geod.fwd(arrays[0], arrays[1], arrays[2], arrays[3]), n)
    return x, y, back


def transform_xy(
    transformer: pyproj.Transformer, x: object, y: object
) -> tuple[np.ndarray, np.ndarray]:
    """``transformer.transform(x, y)`` as arrays."""
    arrays, n = _arrays(x, y)
    tx, ty = _take(transformer.transform(arrays[0], arrays[1]), n)
    return tx, ty


def to_crs(frame: Any, crs: object) -> Any:
    """``frame.to_crs(crs)`` for a GeoDataFrame or GeoSeries, one-row ones included.

    geopandas hands pyproj a one-geometry table as one-element arrays (see above): such a
    table is reprojected doubled, and its first row kept.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> one = gpd.GeoSeries([shapely.Point(0, 0)], crs="EPSG:4326")
    >>> round(to_crs(one, "EPSG:3857").iloc[0].x, 3), len(to_crs(one, "EPSG:3857"))
    (0.0, 1)
    """
    if frame.crs is not None and frame.crs == crs:  # most tables come in lon/lat already
        return frame.copy()  # a copy, as to_crs gives
    if len(frame) != 1:
        return frame.to_crs(crs)
    doubled = pd.concat([frame, frame])
    return doubled.to_crs(crs).iloc[:1]
