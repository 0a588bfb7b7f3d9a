"""Geometry kernel shared by the land structure and its labels.

Equal-area projection, clipping a coverage to a region, repairing what projection or overlay
made invalid, the edges two polygons of a coverage share (vertex for vertex), merging those
edges into lines, and dissolving a coverage. Nothing here knows about places, actors or dates.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyproj
import shapely

from .._kinds import POLYGONAL, is_polygonal
from .._proj import geod_inv, transform_xy
from .._schema import CRS

__all__ = [
    "GEOD",
    "clip",
    "clip_crossing",
    "densify",
    "dissolve",
    "edge_lengths",
    "equal_area",
    "match_cells",
    "merge_lines",
    "polygonal",
    "shared_edges",
    "transform",
    "valid",
]

GEOD = pyproj.Geod(ellps="WGS84")


@lru_cache(maxsize=16)
def equal_area(lon0: float, lat0: float) -> tuple[str, pyproj.Transformer, pyproj.Transformer]:
    crs = (
        f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +x_0=0 +y_0=0 +ellps=WGS84 "
        "+units=m +no_defs"
    )
    forward = pyproj.Transformer.from_crs(CRS, crs, always_xy=True)
    back = pyproj.Transformer.from_crs(crs, CRS, always_xy=True)
    return crs, forward, back


def transform(geoms: Any, transformer: pyproj.Transformer) -> Any:
    def func(xy: np.ndarray) -> np.ndarray:
        if xy.size == 0:
            return xy
        x, y = transform_xy(transformer, xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, func)  # an array for arrays, a geometry for one


def match_cells(raw: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Put Voronoi cells in the order of their points (fallback for unordered output)."""
    tree = shapely.STRtree(raw)
    pts, cell = tree.query(shapely.points(xy), predicate="within")
    out = np.full(xy.shape[0], None, dtype=object)
    out[pts[::-1]] = raw[cell[::-1]]
    missing = shapely.is_missing(out)
    out[missing] = shapely.Polygon()
    return out


def clip(geoms: np.ndarray, region: shapely.Geometry) -> np.ndarray:
    """Intersect cells with the (prepared) region, only where a cell crosses its border."""
    return clip_crossing(geoms, region)[0]


def clip_crossing(geoms: np.ndarray, region: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clip`, and which cells crossed the border (the others are unchanged)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    if geoms.size == 0:
        return geoms, np.zeros(0, dtype=bool)
    inside = shapely.contains_properly(region, geoms)
    crossing = ~inside & shapely.intersects(region, geoms)
    geoms[~inside & ~crossing] = shapely.Polygon()
    if crossing.any():
        geoms[crossing] = shapely.intersection(geoms[crossing], region)
    return polygonal(geoms), crossing


def valid(geoms: np.ndarray, suspects: np.ndarray | None = None) -> np.ndarray:
    """Repair the rare polygon that projecting back to lon/lat made invalid.

    A cell or the no-data area can touch the boundary at a very shallow angle; moving its
    vertices to lon/lat can then make an edge cross a neighbouring one by a nanodegree.
    Only ``suspects`` (a mask; default: all) are checked: a Voronoi cell inside the region is
    convex and stays valid.
    """
    if suspects is None:
        bad = ~shapely.is_valid(geoms)
    else:
        bad = np.zeros(len(geoms), dtype=bool)
    if suspects is not None and suspects.any():
        bad[suspects] = ~shapely.is_valid(geoms[suspects])
    if not bad.any():
        return geoms
    out = geoms.copy()
    out[bad] = polygonal(shapely.make_valid(geoms[bad]))
    return out


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts (an overlay may add stray lines or points)."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)
    odd = np.flatnonzero(~np.isin(types, POLYGONAL))
    if odd.size == 0:
        return geoms
    out = geoms.copy()
    for i in odd:  # rare: only overlay results with lower-dimensional leftovers
        parts = shapely.get_parts(geoms[i])
        polys = parts[is_polygonal(parts)]
        out[i] = shapely.union_all(polys) if polys.size else shapely.Polygon()
        if out[i].geom_type not in ("Polygon", "MultiPolygon"):
            out[i] = shapely.Polygon()
    return out


def shared_edges(geoms: np.ndarray) -> tuple[np.ndarray, ...]:
    """Which cells share an edge, the edge's segments and its geodesic length (km).

    The cells form a coverage: a segment two neighbours share has the same two end points
    in both (in one direction or the other). Sorting every ring segment by its end points
    puts the two copies next to each other, so the adjacency is one sort and a comparison,
    and the edges are exactly the cells' own borders. Cells that meet at a point only share
    no segment and are not neighbours.

    Returns ``cell_a``, ``cell_b`` (``a < b``), ``segments`` (m, 2, 2) and ``segment_edge``
    (m,); :func:`edge_lengths` gives the edges' lengths.
    """
    coords, index, owner = _ring_coordinates(geoms)
    if coords.shape[0] < 2:
        return (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros((0, 2, 2)),
            np.zeros(0, np.int64),
        )
    same_ring = np.flatnonzero(index[1:] == index[:-1])
    owner = owner[index[same_ring]]
    # number the distinct vertices once, then a segment is a pair of vertex numbers
    vertex, uniques = pd.factorize(coords[:, 0] + 1j * coords[:, 1])
    p, q = vertex[same_ring], vertex[same_ring + 1]
    moves = p != q
    p, q, owner, start = p[moves], q[moves], owner[moves], same_ring[moves]
    lo, hi = np.minimum(p, q), np.maximum(p, q)
    key = lo.astype(np.int64) * uniques.size + hi
    order = np.argsort(key, kind="stable")
    key, owner, start = key[order], owner[order], start[order]
    twin = (key[1:] == key[:-1]) & (owner[1:] != owner[:-1])
    first = np.flatnonzero(twin)
    n = len(geoms)
    a = np.minimum(owner[first], owner[first + 1])
    b = np.maximum(owner[first], owner[first + 1])
    keys, edge_of = np.unique(a.astype(np.int64) * n + b, return_inverse=True)
    order = np.argsort(edge_of, kind="stable")
    edge_of, start = edge_of[order], start[first][order]
    segments = np.stack([coords[start], coords[start + 1]], axis=1)
    back = (segments[:, 0, 0] > segments[:, 1, 0]) | (
        (segments[:, 0, 0] == segments[:, 1, 0]) & (segments[:, 0, 1] > segments[:, 1, 1])
    )
    segments[back] = segments[back, ::-1]  # west to east, then south to north
    return keys // n, keys % n, segments, edge_of.astype(np.int64)


def _ring_coordinates(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of every ring, the ring of each coordinate and the cell of each ring.

    Most cells are one polygon without holes: their coordinates are their one ring's. Only
    the others are split into rings (which copies them).
    """
    simple = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
    simple_at = np.flatnonzero(simple)
    coords, index = shapely.get_coordinates(geoms[simple_at], return_index=True)
    owner = simple_at
    if not simple.all():
        complex_at = np.flatnonzero(~simple)
        parts, part_owner = shapely.get_parts(geoms[complex_at], return_index=True)
        rings, ring_owner = shapely.get_rings(parts, return_index=True)
        more, more_index = shapely.get_coordinates(rings, return_index=True)
        coords = np.concatenate([coords, more])
        index = np.concatenate([index, more_index + simple_at.size])
        owner = np.concatenate([simple_at, complex_at[part_owner[ring_owner]]])
    return coords, index, owner


def merge_lines(segments: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
    """One merged line per group of segments (``group`` sorted, values ``0 .. size-1``)."""
    out = np.full(size, shapely.LineString(), dtype=object)
    if segments.shape[0] == 0:
        return out
    lines = shapely.linestrings(segments)
    count = np.bincount(group, minlength=size)
    single = count[group] == 1  # most edges are one segment: nothing to merge
    out[group[single]] = lines[single]
    if not single.all():
        several = np.unique(group[~single])
        out[several] = shapely.line_merge(
            shapely.multilinestrings(
                lines[~single], indices=np.searchsorted(several, group[~single])
            )
        )
    return out


def dissolve(geoms: np.ndarray) -> shapely.Geometry:
    """Union of cells.

    The cells form a coverage (neighbours share their edges vertex for vertex: the Voronoi
    diagram gives them those, and every cell is cut by the same polygon), which GEOS's
    coverage union merges quickly; the general union is the fallback.
    """
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_empty(geoms)]
    if geoms.size == 0:
        return shapely.Polygon()
    if geoms.size == 1:
        return geoms[0]
    try:
        merged = shapely.coverage_union_all(geoms)
        if shapely.is_valid(merged):
            return merged
    except shapely.errors.GEOSException:
        pass
    return shapely.union_all(geoms)


def densify(geoms: np.ndarray, step: float) -> np.ndarray:
    """(Multi)Polygons with vertices added so that no edge is longer than ``step``.

    Unlike ``shapely.segmentize``, an edge gets the same new vertices, bit for bit, whichever
    way it runs: they are computed from its lexicographically smaller end. Two polygons that
    share an edge therefore still share every vertex on it, so they stay a coverage.
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    start = np.flatnonzero(index[1:] == index[:-1])  # each segment's first coordinate
    a, b = coords[start], coords[start + 1]
    # a length that is a whole number of steps but for float noise (0.1 + 0.2) takes that
    # number: two edges along one line, of 0.3 and 0.2 degrees, then share their vertices
    n = np.maximum(np.ceil(np.hypot(*(b - a).T) / step - 1e-9), 1).astype(np.int64)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    low, high = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    seg = np.repeat(np.arange(start.size), n)
    k = np.arange(seg.size) - np.repeat(np.cumsum(n) - n, n)
    kk = np.where(swap[seg], n[seg] - k, k)
    out = low[seg] + (kk / n[seg])[:, None] * (high[seg] - low[seg])
    out[k == 0] = a[seg[k == 0]]  # the segment's own first vertex, exactly
    ring = index[start][seg]
    # close each ring with its first coordinate
    first = np.r_[0, np.flatnonzero(ring[1:] != ring[:-1]) + 1]
    closing = out[first]
    all_coords = np.concatenate([out, closing])
    all_ring = np.concatenate([ring, ring[first]])
    order = np.argsort(all_ring, kind="stable")
    new_rings = shapely.linearrings(all_coords[order], indices=all_ring[order])
    polys = shapely.polygons(new_rings, indices=ring_of)
    result = shapely.multipolygons(polys, indices=part_of)
    single = shapely.get_type_id(geoms) == 3
    result[single] = shapely.get_geometry(result[single], 0)
    return result


def edge_lengths(
    segments: np.ndarray, segment_edge: np.ndarray, n_edges: int, edges: np.ndarray | None = None
) -> np.ndarray:
    """Geodesic length (km) of each shared edge, summed over its segments (lon/lat).

    With ``edges`` (a mask of the edges wanted) only their segments are measured; the
    others come out as 0.
    """
    if edges is not None:
        keep = edges[segment_edge]
        segments, segment_edge = segments[keep], segment_edge[keep]
    _, _, metres = geod_inv(
        GEOD, segments[:, 0, 0], segments[:, 0, 1], segments[:, 1, 0], segments[:, 1, 1]
    )
    return np.bincount(segment_edge, weights=metres, minlength=n_edges) / 1000.0
