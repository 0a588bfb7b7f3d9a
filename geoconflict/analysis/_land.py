"""The land of many dates, for questions about points: where a point is, what holds it, how
far the front is.

Built on the territory package: the cells (:func:`~geoconflict.territory._land.land_cells`,
built once and cached), their holders on any number of dates in one array call
(:func:`~geoconflict.territory._holders.holders_at`), and their shared edges. Here:

- :class:`Plane`: the cells, their shared edges and the boundary in the equal-area projection
  the cells were built in (:attr:`Cells.crs`), made once per set of cells and cached;
- :func:`locate`: the cell of each point (one STRtree query for all of them);
- :func:`holder_states`: the distinct holder columns among the dates, so that dates with the
  same holders (and so the same front) are handled once;
- :func:`front_of`: the segments of the front of one holder column;
- :func:`geodesic_km`: distances on the WGS 84 ellipsoid between lon/lat points.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyproj
import shapely

from .._proj import geod_inv, transform_xy
from .._schema import CRS
from .._types import ConflictLike
from ..territory._cells import Cells
from ..territory._geometry import GEOD, transform
from ..territory._holders import UNKNOWN_CODE, holders_at
from ._nearest import BoxedPoints

__all__ = [
    "Plane",
    "front_of",
    "geodesic_km",
    "holder_states",
    "locate",
    "plane_of",
]

_MAX_MATRIX = 20_000_000  # entries of a (cells x dates) block of holders
_TOLERANCE_M = 1.0  # a point this close to a cell is in it
_PLANES: weakref.WeakKeyDictionary[Cells, Plane] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class Plane:
    """The land of a :class:`Cells` in its equal-area projection (metres)."""

    built: Cells
    forward: pyproj.Transformer
    back: pyproj.Transformer

    @cached_property
    def cells(self) -> np.ndarray:
        """The cells, projected (the vertices they were built with)."""
        return transform(self.built.geometry, self.forward)

    @cached_property
    def tree(self) -> shapely.STRtree:
        return shapely.STRtree(self.cells)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Each projected cell's bounding box: (n, 4) of xmin, ymin, xmax, ymax."""
        return shapely.bounds(self.cells)

    @cached_property
    def prepared_cells(self) -> np.ndarray:
        """The projected cells, prepared for point-in-polygon tests."""
        cells = self.cells.copy()  # the same objects: preparing them is their cache
        shapely.prepare(cells)
        return cells

    @cached_property
    def sites(self) -> np.ndarray:
        """Each cell's point (its site, for point places alone), projected: (n, 2)."""
        points = np.asarray(self.built.points, dtype=float).reshape(-1, 2)
        return self.project(points[:, 0], points[:, 1])

    @cached_property
    def site_points(self) -> np.ndarray:
        """:attr:`sites` as shapely Points."""
        return shapely.points(self.sites)

    @cached_property
    def boundary(self) -> shapely.Geometry:
        """The boundary, projected and prepared."""
        area = transform(self.built.boundary, self.forward)
        shapely.prepare(area)
        return area

    @cached_property
    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """Both ends of every shared-edge segment, projected: two (m, 2) arrays."""
        seg = self.built.segments
        x, y = transform_xy(self.forward, seg[:, :, 0].ravel(), seg[:, :, 1].ravel())
        xy = np.column_stack([x, y]).reshape(-1, 2, 2)
        return xy[:, 0].copy(), xy[:, 1].copy()

    @cached_property
    def lines(self) -> np.ndarray:
        """The shared-edge segments as shapely LineStrings (projected)."""
        a, b = self.segments
        return shapely.linestrings(np.stack([a, b], axis=1))

    def project(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """(n, 2) projected coordinates of lon/lat points (NaN stays NaN)."""
        if lon.size == 0:
            return np.zeros((0, 2))
        x, y = transform_xy(self.forward, lon, lat)
        return np.column_stack([x, y])

    def unproject(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if xy.shape[0] == 0:
            return np.zeros(0), np.zeros(0)
        return transform_xy(self.back, xy[:, 0], xy[:, 1])


def plane_of(built: Cells) -> Plane:
    """The :class:`Plane` of ``built``, made once and kept as long as ``built`` is."""
    plane = _PLANES.get(built)
    if plane is None:
        forward = pyproj.Transformer.from_crs(CRS, built.crs, always_xy=True)
        back = pyproj.Transformer.from_crs(built.crs, CRS, always_xy=True)
        plane = Plane(built, forward, back)
        _PLANES[built] = plane
    return plane


def locate(plane: Plane, xy: np.ndarray, boxed: BoxedPoints | None = None) -> np.ndarray:
    """The cell of each projected point (``-1``: in no cell, or not a point); ``boxed``: the
    same points in boxes, when the caller has them.

    A point on the edge of two cells is in the one listed first; a point outside every cell
    by less than a metre (rounding, on the outline) is in the nearest.
    """
    n = xy.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    finite = np.isfinite(xy).all(axis=1)
    if len(plane.built) == 0 or not finite.any():
        return out
    boxed = BoxedPoints(xy) if boxed is None else boxed
    built = plane.built
    if built.chain.shape[1] == 0 and built.zone_of is None:
        # point places alone: cell i is the Voronoi cell of site i, so a point's cell is
        # its nearest site's, when the point is inside that cell (checked: the edges, the
        # outline and the cells cut to a distance go the way below)
        sites = plane.sites
        rows, site = boxed.nearest(sites, sites, max_distance=None, lines=plane.site_points)
        inside = shapely.contains_xy(plane.prepared_cells[site], xy[rows, 0], xy[rows, 1])
        out[rows[inside]] = site[inside]
        rest = np.flatnonzero(finite & (out < 0))
        if rest.size == 0:
            return out
        boxed = BoxedPoints(xy[rest])
    else:
        rest = np.arange(n)
    # the cells whose bounding box holds each point, found per box of nearby points (a tree
    # query per box, no Point made), then the point in the cell (prepared: a cell of many
    # vertices is not walked whole for each point)
    box, cell = plane.tree.query(boxed.squares())
    at = boxed.members(box)
    cell = np.repeat(cell, boxed.count[box])
    px, py = xy[rest[at], 0], xy[rest[at], 1]
    x0, y0, x1, y1 = plane.bounds[cell].T
    near = (x0 <= px) & (px <= x1) & (y0 <= py) & (py <= y1)
    at, cell, px, py = at[near], cell[near], px[near], py[near]
    inside = shapely.intersects_xy(plane.prepared_cells[cell], px, py)
    at, cell = rest[at[inside]], cell[inside]
    out[at] = cell
    twice = np.flatnonzero(np.bincount(at, minlength=n) > 1)
    if twice.size:  # a point in two cells (on their edge) is in the one listed first
        both = np.isin(at, twice)
        first = pd.Series(cell[both]).groupby(at[both]).min()
        out[first.index.to_numpy()] = first.to_numpy()
    # a point on the outline (a town on the boundary's edge) may miss its cell by the
    # rounding of the way to lon/lat and back: within a metre of a cell, it is in it
    missed = rest[finite[rest] & (out[rest] < 0)]
    if missed.size:
        near_at, found = plane.tree.query_nearest(
            shapely.points(xy[missed]), max_distance=_TOLERANCE_M, all_matches=False
        )
        out[missed[near_at]] = found
    return out


def holder_states(
    conflict: ConflictLike, built: Cells, dates: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct holder columns of the land among ``dates``.

    Returns
    -------
    states : numpy.ndarray of int, shape (n_cells, n_states)
        Holder codes of the cells (see :mod:`geoconflict.territory._holders`), one column
        per distinct state, in the order of the dates that first have it.
    state_of : numpy.ndarray of int
        The state of each date.

    Holders are computed in blocks of dates (bounding the memory); a column is kept only
    when it differs from every column kept before (compared by a hash, then in full).
    """
    n_cells = len(built)
    state_of = np.empty(dates.size, dtype=np.int64)
    kept: list[np.ndarray] = []
    seen: dict[int, list[int]] = {}
    weights = np.random.default_rng(0).integers(1, 2**62, n_cells, dtype=np.int64)
    step = max(1, _MAX_MATRIX // max(n_cells, 1))
    for lo in range(0, dates.size, step):  # blocks of dates bound the memory
        block = holders_at(conflict, built, dates[lo : lo + step])
        with np.errstate(over="ignore"):
            hashes = weights @ block if n_cells else np.zeros(block.shape[1], np.int64)
        for j, h in enumerate(hashes.tolist()):  # a loop over dates, not cells or events
            found = next(
                (s for s in seen.get(h, []) if np.array_equal(kept[s], block[:, j])), None
            )
            if found is None:
                found = len(kept)
                kept.append(block[:, j].copy())
                seen.setdefault(h, []).append(found)
            state_of[lo + j] = found
    states = np.column_stack(kept) if kept else np.zeros((n_cells, 0), dtype=np.int64)
    return states, state_of


def front_of(built: Cells, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The front of one holder column: its edges (a mask) and their segments (positions).

    The front is the shared edges whose two cells have different holders, neither unknown
    (as :func:`geoconflict.frontlines` draws it).
    """
    la, lb = column[built.cell_a], column[built.cell_b]
    edges = (la != lb) & (la != UNKNOWN_CODE) & (lb != UNKNOWN_CODE)
    return edges, np.flatnonzero(edges[built.segment_edge])


def geodesic_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Geodesic distance (km, WGS 84) between two sets of lon/lat points, row by row.

    Lambert's formula for long lines on the ellipsoid, in numpy (pyproj's geodesic
    computes azimuths too, one point at a time in C, about six times slower on a million
    pairs): the great-circle angle between the points' reduced latitudes, corrected to
    first order in the flattening. Against pyproj's geodesic, measured on random pairs
    (``tests/test_analysis_events.py``): within 4e-6 of the distance up to 20 degrees
    apart, within 1e-3 beyond; pairs more than 150 degrees apart, where the formula
    loses accuracy near the antipode, are measured by pyproj.

    Examples
    --------
    >>> km = geodesic_km(np.array([36.0]), np.array([33.0]), np.array([36.2]), np.array([33.0]))
    >>> round(float(km[0]), 2)
    18.69
    """
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    )
    if lon1.size == 0:
        return np.zeros(0)
    radius, flattening = GEOD.a, GEOD.f
    b1 = np.arctan((1 - flattening) * np.tan(np.radians(lat1)))
    b2 = np.arctan((1 - flattening) * np.tan(np.radians(lat2)))
    half = np.sin((b2 - b1) / 2) ** 2
    half += np.cos(b1) * np.cos(b2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    np.clip(half, 0.0, 1.0, out=half)  # sin^2 of half the angle between the points
    angle = 2 * np.arcsin(np.sqrt(half))
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    sin_angle = np.sin(angle)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (angle - sin_angle) * (np.sin(p) * np.cos(q)) ** 2 / (1 - half)
        y = (angle + sin_angle) * (np.cos(p) * np.sin(q)) ** 2 / half
    metres = radius * (angle - flattening / 2 * np.where(half > 0, x + y, 0.0))
    far = np.flatnonzero(angle > np.radians(150.0))
    if far.size:
        metres[far] = geod_inv(GEOD, lon1[far], lat1[far], lon2[far], lat2[far])[2]
    return metres / 1000.0
