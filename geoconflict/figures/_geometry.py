"""Geometry for matplotlib: polygon paths with holes, line parts, the map's extent.

matplotlib is optional: it is imported inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def polygon_path(geom: shapely.Geometry):
    """A matplotlib Path for a (Multi)Polygon, holes included."""
    from matplotlib.path import Path as MplPath  # optional dependency

    vertices, codes = [], []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            vertices.append(xy)
            codes.append(
                np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY]
            )
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes).astype(np.uint8))


def compound_path(geoms: np.ndarray):
    """One matplotlib Path for every polygon of ``geoms`` (holes included), built without a
    loop over the shapes; ``None`` when there is nothing to fill."""
    from matplotlib.path import Path as MplPath  # optional dependency

    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    # shells counter-clockwise, holes clockwise: matplotlib fills by the winding rule
    rings = shapely.get_rings(shapely.orient_polygons(parts))
    rings = rings[shapely.get_num_coordinates(rings) >= 4]
    if not len(rings):
        return None
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
    first = np.r_[0, np.flatnonzero(np.diff(ring)) + 1]
    codes[first] = MplPath.MOVETO
    codes[np.r_[first[1:] - 1, len(xy) - 1]] = MplPath.CLOSEPOLY
    return MplPath(xy, codes)


def line_parts(geoms: np.ndarray) -> list[np.ndarray]:
    """The coordinates of every LineString part of ``geoms``, split without a loop over the
    lines (for a LineCollection)."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[(shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)]
    if not len(parts):
        return []
    xy, line = shapely.get_coordinates(parts, return_index=True)
    return np.split(xy, np.flatnonzero(np.diff(line)) + 1)


def add_polygons(
    ax: Axes,
    geoms: Iterable,
    *,
    facecolors: list,
    edgecolor: object,
    linewidth: float,
    zorder: float,
    hatch: str | None = None,
    gid: str | None = None,
) -> None:
    from matplotlib.collections import PathCollection  # optional dependency
    from matplotlib.patches import PathPatch  # optional dependency

    paths, faces = [], []
    for geom, face in zip(geoms, facecolors, strict=True):
        path = None if geom is None else polygon_path(geom)
        if path is not None:
            paths.append(path)
            faces.append(face)
    if not paths:
        return
    if hatch is None:
        # PathCollection draws each path with its own transform-free vertices.
        collection = PathCollection(
            paths,
            facecolors=faces,
            edgecolors=edgecolor,
            linewidths=linewidth,
            zorder=zorder,
            transform=ax.transData,
            gid=gid,
        )
        collection.set_sizes(None)
        ax.add_collection(collection, autolim=False)
    else:
        for path, face in zip(paths, faces, strict=True):
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor=face,
                    edgecolor=edgecolor,
                    hatch=hatch,
                    linewidth=linewidth,
                    zorder=zorder,
                    gid=gid,
                )
            )


def line_segments(geoms: Iterable) -> tuple[list[np.ndarray], np.ndarray]:
    """Coordinates of every LineString part, and the row each part came from."""
    segments, rows = [], []
    for row, geom in enumerate(geoms):
        if geom is None:
            continue
        for part in shapely.get_parts(
            shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        ):
            if part.geom_type == "LineString" and not part.is_empty:
                segments.append(np.asarray(part.coords)[:, :2])
                rows.append(row)
    return segments, np.asarray(rows, dtype=int)


def boundary_lines(geom: shapely.Geometry) -> list[np.ndarray]:
    segments, _ = line_segments([shapely.boundary(geom)])
    return segments


def extent_of(
    conflict, territory: pd.DataFrame | None, lon: np.ndarray, lat: np.ndarray
) -> tuple[float, float, float, float]:
    boxes = []
    if territory is not None and len(territory):
        boxes.append(territory.total_bounds)
    elif conflict.boundary is not None:
        boxes.append(conflict.boundary.total_bounds)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.any():
        boxes.append([lon[ok].min(), lat[ok].min(), lon[ok].max(), lat[ok].max()])
    if not boxes:
        return -1.0, -1.0, 1.0, 1.0
    b = np.asarray(boxes, dtype=float)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    # Places alone need room for their labels; a boundary already frames them.
    pad = max(x1 - x0, y1 - y0, 0.2) * (0.04 if len(boxes) > 1 else 0.1)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad
