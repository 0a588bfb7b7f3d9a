"""Where a base map's names go, the same in the interactive maps and the figures.

A country's name goes at the most inland point of the largest part of it inside the view
(parts too small to hold a name get none); a river's along its longest stretch inside the
view. Names come in the drawing's language (``name_ar`` in Arabic), ``None`` where a row
has no name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from .._schema import NAME
from .names import display_names

__all__ = ["inland_points", "longest_stretches", "optional_names"]


def optional_names(frame: pd.DataFrame, lang: str) -> list[str | None]:
    """Each row's name in ``lang``, ``None`` where the row has none (not its index).

    Examples
    --------
    >>> optional_names(pd.DataFrame({"name": ["Euphrates", None]}), "en")
    ['Euphrates', None]
    """
    if NAME not in frame.columns:
        return [None] * len(frame)
    names = display_names(frame, lang).where(frame[NAME].notna())
    return [None if pd.isna(n) else str(n) for n in names]


def inland_points(
    geoms: np.ndarray, view: shapely.Geometry, names: list, *, smallest: float = 0.01
) -> np.ndarray:
    """The most inland point of each named polygon's largest part inside ``view``; ``None``
    for unnamed rows and parts under ``smallest`` of the view's area.

    Examples
    --------
    >>> geoms = np.array([shapely.box(0, 0, 4, 2), shapely.box(9, 9, 10, 10)])
    >>> points = inland_points(geoms, shapely.box(0, 0, 2, 2), ["A", "B"])
    >>> round(points[0].x, 6), round(points[0].y, 6), points[1]
    (1.0, 1.0, None)
    """
    out = np.full(len(geoms), None, dtype=object)
    for i, (geom, name) in enumerate(zip(geoms, names, strict=True)):  # a few names
        part = shapely.intersection(geom, view) if name else None
        if part is None or part.is_empty or shapely.area(part) < smallest * shapely.area(view):
            continue
        polygons = [p for p in shapely.get_parts(part) if p.geom_type == "Polygon"]
        largest = max(polygons, key=shapely.area)
        x0, y0, x1, y1 = largest.bounds
        out[i] = polylabel(largest, tolerance=max(x1 - x0, y1 - y0) / 100)
    return out


def longest_stretches(geoms: np.ndarray, view: shapely.Geometry) -> np.ndarray:
    """Each line's longest stretch inside ``view`` (a LineString), ``None`` where none.

    Examples
    --------
    >>> line = shapely.LineString([(-1, 1), (5, 1)])
    >>> longest_stretches(np.array([line]), shapely.box(0, 0, 2, 2))[0].wkt
    'LINESTRING (0 1, 2 1)'
    """
    out = np.full(len(geoms), None, dtype=object)
    for i, geom in enumerate(geoms):  # a few rivers
        inside = shapely.intersection(geom, view)
        parts = [
            p
            for p in shapely.get_parts(
                shapely.line_merge(inside) if inside.geom_type == "MultiLineString" else inside
            )
            if p.geom_type == "LineString"
        ]
        parts = [p for p in parts if shapely.length(p) > 0]
        if parts:
            out[i] = max(parts, key=shapely.length)
    return out
