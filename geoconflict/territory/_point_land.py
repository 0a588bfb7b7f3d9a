"""Land from point places: each distinct point's Voronoi cell, clipped to the boundary.

Optionally cut to a maximum distance from the points (the rest is ``no_data``). Every cell is
cut by one and the same polygon, so neighbours keep sharing their vertices and the shared
edges come out exactly (:func:`geoconflict._geometry.shared_edges`).
"""

from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity

from ..errors import TerritoryError
from ._geometry import clip_crossing, dissolve, match_cells, polygonal, transform, valid
from ._sites import QUAD_SEGS, Region, Sites

__all__ = ["point_land", "reach", "voronoi_cells"]


def voronoi_cells(xy: np.ndarray, around: shapely.Geometry) -> np.ndarray:
    """The Voronoi cells of the points ``xy`` (n, 2), in their order, covering ``around``.

    Sites on a regular lon/lat grid are nearly co-circular in fours, where GEOS's diagram can
    come out wrong (a cell that misses its own site and overlaps its neighbours'). Each cell
    is checked to hold its site; if one does not, the diagram is built again about the sites'
    centre (the same diagram, moved: other rounding), then with the sites' coordinates about
    that centre rounded to the millimetre (sites moved by under a millimetre).
    """
    x0, y0, x1, y1 = shapely.bounds(around)
    span = max(x1 - x0, y1 - y0, 1.0)
    env = shapely.box(x0 - 0.1 * span, y0 - 0.1 * span, x1 + 0.1 * span, y1 + 0.1 * span)
    if xy.shape[0] == 1:
        return np.array([env])
    centre = xy.mean(axis=0)
    tries = ((np.zeros(2), xy), (centre, xy - centre), (centre, np.round(xy - centre, 3)))
    for shift, sites in tries:
        raw = _diagram(sites, shapely.affinity.translate(env, -shift[0], -shift[1]))
        if shift.any():
            raw = shapely.transform(raw, lambda p, s=shift: p + s)
        if shapely.contains_xy(raw, xy[:, 0], xy[:, 1]).all():
            return raw
    raise TerritoryError(
        f"the land of {xy.shape[0]} point places could not be divided: the Voronoi diagram "
        "of their points came out broken (points in a regular pattern). Fix: move one "
        "place of the pattern by a few metres."
    )


def _diagram(xy: np.ndarray, env: shapely.Geometry) -> np.ndarray:
    # the sites are the vertices of any geometry: a line is the cheapest to build
    ordered = shapely.geos_version >= (3, 12, 0)
    raw = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.linestrings(xy), extend_to=env, **({"ordered": True} if ordered else {})
        )
    )
    if not ordered or raw.size != xy.shape[0]:  # GEOS before 3.12 returns them unordered
        raw = match_cells(raw, xy)
    return raw


def reach(xy: np.ndarray, area: shapely.Geometry, distance_km: float | None) -> shapely.Geometry:
    """The part of ``area`` within ``distance_km`` of some point (all of it without one)."""
    if distance_km is None or xy.shape[0] == 0:
        return area if distance_km is None else shapely.Polygon()
    disks = shapely.buffer(shapely.points(xy), distance_km * 1000.0, quad_segs=QUAD_SEGS)
    covered = polygonal(np.array([shapely.intersection(shapely.union_all(disks), area)]))[0]
    shapely.prepare(covered)
    return covered


def point_land(region: Region, sites: Sites, distance_km: float | None) -> dict:
    """The fields of :class:`~geoconflict.land.Cells` for point places only."""
    raw = voronoi_cells(sites.xy, region.area)
    covered = reach(sites.xy, region.area, distance_km)
    cell_proj, _ = clip_crossing(raw, covered)
    area_km2 = shapely.area(cell_proj) / 1e6
    if distance_km is None:
        no_data_proj = shapely.Polygon()
    else:  # from the cells themselves, so its border has the cells' vertices
        no_data_proj = polygonal(np.array([shapely.difference(region.area, dissolve(cell_proj))]))[
            0
        ]
    n = sites.xy.shape[0]
    return {
        # every cell checked: even a convex cell can come back with a nanodegree zigzag
        # where sites lie on a regular grid (four on a circle: two vertices nearly one)
        "geometry": valid(transform(cell_proj, region.back)),
        "points": sites.lonlat,
        "places": sites.count,
        "cell_of_place": sites.of_place,
        "area_km2": area_km2,
        "site": np.arange(n, dtype=np.int64),
        "site_of_place": sites.of_place,
        "chain": np.zeros((n, 0), dtype=np.int64),
        "no_data_proj": no_data_proj,
    }
