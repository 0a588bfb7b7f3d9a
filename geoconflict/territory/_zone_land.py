"""Cells from zones: the land as the source drew it, on the dates it drew it.

A conflict's zones (:mod:`geoconflict._schema_zones`) are snapshots: on each snapshot date a
set of polygons with their holders. The cells are the faces of the arrangement of every
zone of every snapshot, inside the boundary: each face lies, on each snapshot, in the same
zones, so one matrix ``zone_of`` (cells x snapshots) says which zone holds a cell on each
snapshot (the smallest zone of that snapshot around it, ``-1`` for none). The holders of a
date are then a lookup in that matrix (:func:`geoconflict.territory._holders.holders_at`);
the front of a date is the shared edges between cells of different holders, as for cells
from places. The outlines of all zones are noded together once, so neighbouring cells share
their vertices and the fronts are exact shared edges.
"""

from __future__ import annotations

import numpy as np
import shapely

from .._proj import transform_xy
from ._geometry import densify, polygonal, shared_edges, transform
from ._sites import SEGMENT_DEG, Region, Sites

__all__ = ["zone_land"]

_GRID_DEG = 1e-8  # the outlines are noded on a grid of about a millimetre
_GRID_M = 0.001
_THIN_M = 100.0  # a cell narrower than this (twice its area over its perimeter) is a hairline
_SLIVER_M = 100.0  # land narrower than this that no zone covers, along the outline, is left out


def zone_land(region: Region, sites: Sites, zones: np.ndarray, snapshot: np.ndarray) -> dict:
    """The fields of :class:`~geoconflict.territory.Cells` for zones.

    ``zones`` are the zones' polygons (lon/lat); ``snapshot`` the snapshot (date) index of
    each. The arrangement is noded in lon/lat, where edges two zones draw along the same
    line (partly, or between other points) are split at each other's ends; the faces are
    then densified and projected as the polygon places are, so that edges the faces share
    get the same vertices on both sides.
    """
    n_snapshots = int(snapshot.max()) + 1 if snapshot.size else 0
    outline = region.lonlat()
    shapely.prepare(outline)
    # outlines drawn again, unchanged, from one snapshot to the next are noded once; each is
    # cut to the boundary first, so that where a zone runs on past it (over a border, into the
    # sea) its edge there is the boundary's own, not a second drawing of it
    drawn, first = np.unique(shapely.to_wkb(zones), return_index=True)
    shapes = zones[first]
    shapes = shapes[shapely.intersects(outline, shapes) & ~shapely.is_empty(shapes)]
    inner = shapely.contains(outline, shapes)
    shapes[~inner] = polygonal(shapely.intersection(shapes[~inner], outline))
    lines = shapely.boundary(np.concatenate([shapes[~shapely.is_empty(shapes)], [outline]]))
    noded = shapely.union_all(lines, grid_size=_GRID_DEG)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inside = shapely.point_on_surface(faces)
    shapely.prepare(outline)
    keep = shapely.contains(outline, inside)
    faces, inside = densify(faces[keep], SEGMENT_DEG), inside[keep]
    shapes = transform(faces, region.forward)
    zone_of = np.full((faces.size, n_snapshots), -1, dtype=np.int64)
    # each zone, prepared, tests the points inside the faces (a point tested against an
    # unprepared polygon of thousands of vertices is what would make this slow)
    zone_at, face_at = shapely.STRtree(inside).query(zones, predicate="contains_properly")
    if face_at.size:
        area = shapely.area(transform(zones, region.forward))
        snap = snapshot[zone_at]
        order = np.lexsort((zone_at, area[zone_at], snap, face_at))  # smallest zone first
        face_at, zone_at, snap = face_at[order], zone_at[order], snap[order]
        lead = np.r_[True, (face_at[1:] != face_at[:-1]) | (snap[1:] != snap[:-1])]
        zone_of[face_at[lead], snap[lead]] = zone_at[lead]
    # a hairline that no zone ever covers (between the outline and zones drawn along it, or
    # between two drawings of one line) is left out, as no data
    never = (zone_of < 0).all(axis=1)
    thin = never & (2 * shapely.area(shapes) < _SLIVER_M * shapely.length(shapes))
    no_data_proj = (
        shapely.union_all(polygonal(shapely.make_valid(shapes[thin])), grid_size=_GRID_M)
        if thin.any()
        else shapely.Polygon()
    )
    faces, shapes, inside, zone_of = faces[~thin], shapes[~thin], inside[~thin], zone_of[~thin]
    cell_a, cell_b, segments, segment_edge = shared_edges(faces)
    zone_of = _eliminate(zone_of, shapes, cell_a, cell_b, segments, segment_edge, region)
    cell_of_place = _cell_of_place(sites, faces)
    n = faces.size
    return {
        "cell_a": cell_a,
        "cell_b": cell_b,
        "segments": segments,
        "segment_edge": segment_edge,
        "geometry": faces,
        "points": shapely.get_coordinates(inside),
        "places": np.bincount(cell_of_place[cell_of_place >= 0], minlength=n),
        "cell_of_place": cell_of_place,
        "area_km2": shapely.area(shapes) / 1e6,
        "site": np.full(n, -1, dtype=np.int64),
        "site_of_place": np.full(sites.of_place.size, -1, dtype=np.int64),
        "chain": np.zeros((n, 0), dtype=np.int64),
        "zone_of": zone_of,
        "no_data_proj": no_data_proj,
    }


def _eliminate(
    zone_of: np.ndarray,
    shapes: np.ndarray,
    cell_a: np.ndarray,
    cell_b: np.ndarray,
    segments: np.ndarray,
    segment_edge: np.ndarray,
    region: Region,
) -> np.ndarray:
    """``zone_of`` with every hairline cell (under :data:`_THIN_M` wide) taking the zones of
    the wider neighbour it shares the longest border with.

    Two drawings of one line (a front redrawn from one snapshot to the next, a coast drawn
    by the zones' source and by the boundary's) leave strips metres wide between them, which
    would otherwise be held by whichever zone covers them and draw fronts along the coast.
    """
    width = 2 * shapely.area(shapes) / np.maximum(shapely.length(shapes), 1e-9)
    thin = width < _THIN_M
    if not thin.any() or cell_a.size == 0:
        return zone_of
    x, y = transform_xy(region.forward, segments[:, :, 0].ravel(), segments[:, :, 1].ravel())
    step = np.hypot(np.diff(x.reshape(-1, 2), axis=1), np.diff(y.reshape(-1, 2), axis=1))
    length = np.bincount(segment_edge, weights=step.ravel(), minlength=cell_a.size)
    cell = np.r_[cell_a, cell_b]
    other = np.r_[cell_b, cell_a]
    length = np.r_[length, length]
    pick = thin[cell] & ~thin[other]
    cell, other, length = cell[pick], other[pick], length[pick]
    order = np.lexsort((-length, cell))
    cell, other = cell[order], other[order]
    lead = np.r_[True, cell[1:] != cell[:-1]] if cell.size else cell.astype(bool)
    out = zone_of.copy()
    out[cell[lead]] = zone_of[other[lead]]
    return out


def _cell_of_place(sites: Sites, faces: np.ndarray) -> np.ndarray:
    """The cell holding each point place (the first, where it lies on a border)."""
    out = np.full(sites.of_place.size, -1, dtype=np.int64)
    if sites.xy.shape[0] == 0 or faces.size == 0:
        return out
    points = shapely.points(sites.lonlat)
    s_at, f_at = shapely.STRtree(faces).query(points, predicate="intersects")
    order = np.lexsort((f_at, s_at))
    s_at, f_at = s_at[order], f_at[order]
    lead = np.r_[True, s_at[1:] != s_at[:-1]] if s_at.size else s_at.astype(bool)
    face_of_site = np.full(sites.xy.shape[0], -1, dtype=np.int64)
    face_of_site[s_at[lead]] = f_at[lead]
    placed = sites.of_place >= 0
    out[placed] = face_of_site[sites.of_place[placed]]
    return out
