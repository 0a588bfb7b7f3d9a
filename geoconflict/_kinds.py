"""Kinds of geometry, by shapely's :class:`shapely.GeometryType`: one test of "polygonal"."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["POLYGONAL", "is_polygonal"]

#: The geometry types that cover land: Polygon and MultiPolygon.
POLYGONAL = (int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON))


def is_polygonal(geoms: object) -> np.ndarray:
    """A boolean array: which of ``geoms`` are Polygons or MultiPolygons.

    Examples
    --------
    >>> is_polygonal([shapely.box(0, 0, 1, 1), shapely.Point(0, 0), None]).tolist()
    [True, False, False]
    """
    return np.isin(shapely.get_type_id(np.asarray(geoms, dtype=object)), POLYGONAL)
