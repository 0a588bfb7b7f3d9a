"""Territories and frontlines derived from who holds which place.

Each place gets the Voronoi cell of its representative point, clipped to the boundary (and,
optionally, to a maximum distance from the place). The cells and their adjacency (which cells
share an edge, that edge's line and its length) depend only on the places and the boundary,
so they are computed once by :func:`cells` and cached. Every question about a date (or about
hundreds of dates) is then array work over the cells: a cell takes the label of its places,
an actor's area is a sum of cell areas, and a frontline is the set of edges whose two cells
carry different labels.

The geometry is built in a Lambert azimuthal equal-area projection centred on the data, so
cell areas are true areas (km²) and distances are close to true distances near the centre;
frontline lengths are geodesic (pyproj.Geod on the WGS 84 ellipsoid). Results are returned in
EPSG:4326.

Labels besides the actors' ids:

``contested``
    a cell whose place has control status ``contested``, or whose places (several places at
    one point) are held by different actors;
``unknown``
    a cell whose places have no control record yet;
``no_data``
    the part of the boundary farther than ``max_distance_km`` (or ``radius_km``) from every
    place.

Only edges between two cells whose labels differ and are both an actor or ``contested`` are
frontlines: ``unknown`` land has no known holder, so it has no front.
"""

from __future__ import annotations

import hashlib
import math
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._schema import (
    ACTOR_ID,
    CRS,
    GEOMETRY,
    PLACE_ID,
    POPULATION,
    STATUS,
    validate_boundary,
)
from ._time import to_timestamp
from .control import ControlIndex
from .errors import BoundaryError, DataWarning, GeoconflictError
from .places import place_points
from .progress import progress as progress_bar

__all__ = [
    "Cells",
    "TerritoryOptionError",
    "cells",
    "control_summary",
    "frontlines",
    "territories",
    "territory_changes",
]

CONTESTED = "contested"
UNKNOWN = "unknown"
NO_DATA = "no_data"

_GEOD = pyproj.Geod(ellps="WGS84")
_QUAD_SEGS = 16  # a disk is a 64-gon
_MAX_CACHED = 8
_CACHE: OrderedDict[str, Cells] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_SEGMENT_DEG = 0.05  # boundary edges are densified to this step before projection
_MAX_NAMED = 10
_MAX_MATRIX = 20_000_000  # entries of a (cells x dates) block in control_summary


class TerritoryOptionError(GeoconflictError, ValueError):
    """An option of a territory function is missing, out of range or not understood."""


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True, eq=False, repr=False)
class Cells:
    """Voronoi cells of the places, clipped to the boundary, and their adjacency.

    Built by :func:`cells`, cached and shared: its arrays are read-only, and ``frame``
    and ``place_cell`` are new objects on every access.

    Attributes
    ----------
    frame : GeoDataFrame
        One row per distinct point (EPSG:4326), indexed ``0 .. n-1``: ``lon``, ``lat`` (the
        point), ``places`` (how many places share it), ``area_km2``, ``geometry``.
    place_cell : Series of int
        The cell of each place (indexed by ``place_id``); ``-1`` for places outside the
        boundary.
    geometry : numpy.ndarray of shapely Polygons
        The cells (EPSG:4326).
    points : numpy.ndarray, shape (n, 2)
        Longitude and latitude of each cell's point.
    places : numpy.ndarray of int
        How many places share each cell.
    place_ids : pandas.Index
        The places, in the order of ``cell_of_place``.
    cell_of_place : numpy.ndarray of int
        The cell of each place, ``-1`` when it is outside the boundary.
    area_km2 : numpy.ndarray
        Cell areas in km² (equal-area projection).
    cell_a, cell_b : numpy.ndarray of int
        The two cells of each shared edge (``cell_a < cell_b``).
    length_km : numpy.ndarray
        Geodesic length of each shared edge.
    segments : numpy.ndarray, shape (m, 2, 2)
        The straight pieces of the shared edges (lon/lat of both ends), sorted by edge.
    segment_edge : numpy.ndarray of int
        The edge each segment belongs to.
    edge_geometry : numpy.ndarray of shapely geometries
        The shared edges as lines (LineString, or MultiLineString where the boundary cuts
        one), EPSG:4326; built on first use.
    boundary : shapely geometry
        The boundary used (EPSG:4326).
    boundary_km2 : float
    no_data : shapely geometry
        The part of the boundary no cell covers (empty without a maximum distance).
    no_data_km2 : float
    left_out : pandas.Index
        Places outside the boundary.
    crs : str
        The equal-area projection the geometry was built in (PROJ string).
    max_distance_km : float or None
        The distance the cells were cut to.
    warning : str
        The :class:`~geoconflict.errors.DataWarning` text naming the places left out
        (empty when none are).
    """

    geometry: np.ndarray
    points: np.ndarray
    places: np.ndarray
    place_ids: pd.Index
    cell_of_place: np.ndarray
    area_km2: np.ndarray
    cell_a: np.ndarray
    cell_b: np.ndarray
    length_km: np.ndarray
    segments: np.ndarray
    segment_edge: np.ndarray
    boundary: shapely.Geometry
    boundary_km2: float
    no_data: shapely.Geometry
    no_data_km2: float
    left_out: pd.Index
    crs: str
    max_distance_km: float | None = None
    warning: str = ""

    @cached_property
    def edge_geometry(self) -> np.ndarray:
        """The shared edges as lines (EPSG:4326), one per (``cell_a``, ``cell_b``)."""
        out = _lines(self.segments, self.segment_edge, self.cell_a.size)
        out.flags.writeable = False
        return out

    @property
    def frame(self) -> gpd.GeoDataFrame:
        """The cells as a table (a new one on every access)."""
        return gpd.GeoDataFrame({"lon": self.points[:, 0], "lat": self.points[:, 1],
                                 "places": self.places, "area_km2": self.area_km2},
                                geometry=self.geometry.copy(), crs=CRS)

    @property
    def place_cell(self) -> pd.Series:
        """The cell of each place, by ``place_id`` (``-1``: outside the boundary)."""
        return pd.Series(self.cell_of_place, index=self.place_ids, name="cell")

    def edges(self) -> gpd.GeoDataFrame:
        """The adjacency as a table: ``cell_a``, ``cell_b``, ``geometry``, ``length_km``."""
        return gpd.GeoDataFrame({"cell_a": self.cell_a, "cell_b": self.cell_b,
                                 "length_km": self.length_km},
                                geometry=self.edge_geometry, crs=CRS)

    def __len__(self) -> int:
        return self.geometry.size

    def __repr__(self) -> str:
        return (f"<Cells: {len(self)} cells of {int((self.cell_of_place >= 0).sum())} "
                f"places, {self.cell_a.size} shared edges, {self.boundary_km2:,.0f} km² "
                f"({self.no_data_km2:,.0f} km² no data)>")


def cells(places: gpd.GeoDataFrame, boundary: object, *,
          max_distance_km: float | None = None, tolerance_km: float = 1.0) -> Cells:
    """The places' Voronoi cells clipped to the boundary, with their adjacency.

    Computed once per (places, boundary, options) and cached.

    Parameters
    ----------
    places : GeoDataFrame
        Indexed by ``place_id``; Points or Polygons (a polygon's representative point is
        used). Places at one point share one cell.
    boundary : GeoDataFrame, GeoSeries, shapely geometry or ``"hull"``
        The area the cells fill. ``"hull"`` uses the places' convex hull, widened by a tenth
        of its extent (at least 10 km).
    max_distance_km : float, optional
        Parts of a cell farther than this from its place are left out (no data).
    tolerance_km : float, default 1.0
        Places up to this far outside the boundary are kept (their cells are still clipped
        to it): border towns often lie a few hundred metres outside a generalised outline.

    Returns
    -------
    Cells

    Raises
    ------
    BoundaryError
        When there is no boundary or no place lies inside it.

    Warns
    -----
    DataWarning
        Naming the places outside the boundary, which are left out.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict import make_places
    >>> places = make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> c = cells(places, shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> len(c), c.cell_a.tolist(), c.cell_b.tolist()
    (2, [0], [1])
    >>> round(float(c.length_km[0]), 1)  # the line x = 0.5 from y = -0.5 to 0.5
    110.6
    >>> c.place_cell.to_dict()
    {'w': 0, 'e': 1}
    """
    built = _cached_cells(places, boundary, max_distance_km=max_distance_km,
                          tolerance_km=tolerance_km)
    _warn_left_out(built, stacklevel=2)
    return built


def _cached_cells(places: gpd.GeoDataFrame, boundary: object, *,
                  max_distance_km: float | None, tolerance_km: float = 1.0) -> Cells:
    distance = _positive("max_distance_km", max_distance_km)
    tolerance = _positive("tolerance_km", tolerance_km, zero=True) or 0.0
    if places.crs is not None and not places.crs.equals(CRS):
        places = places.to_crs(CRS)
    if len(places) == 0:
        raise BoundaryError("'places' is empty, so there is nothing to draw territories "
                            "from. Fix: pass a places table with at least one place.")
    lon, lat = _points_of(places)
    geom = _boundary_geometry(boundary)
    key = _cache_key(places.index, lon, lat, geom, (distance, tolerance))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    built = _build_cells(pd.Index(places.index, name=PLACE_ID), lon, lat, geom, distance,
                         tolerance)
    with _CACHE_LOCK:
        _CACHE[key] = built
        while len(_CACHE) > _MAX_CACHED:
            _CACHE.popitem(last=False)
    return built


def _points_of(places: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~geoconflict.places.place_points`, reading points' coordinates directly."""
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    if is_point.all():
        xy = shapely.get_coordinates(geoms)
        return xy[:, 0].copy(), xy[:, 1].copy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    if (~is_point).any():
        lon[~is_point], lat[~is_point] = place_points(places[~is_point])
    return lon, lat


def _positive(name: str, value: float | None, *, zero: bool = False) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        word = "zero or more" if zero else "a positive number of"
        raise TerritoryOptionError(f"{name} must be {word} kilometres, got {value!r}. Fix: "
                                   f"pass e.g. {name}=25, or leave it out.")
    return number


def _boundary_geometry(boundary: object) -> shapely.Geometry | str:
    """One (Multi)Polygon in EPSG:4326, or the string ``"hull"``."""
    if isinstance(boundary, str):
        if boundary == "hull":
            return "hull"
        raise BoundaryError(f"boundary must be a GeoDataFrame, a shapely geometry or 'hull', "
                            f"got {boundary!r}. Fix: pass boundary='hull' to use the places' "
                            "convex hull.")
    if boundary is None:
        raise BoundaryError("no boundary: territories need the area they fill. Fix: pass "
                            "boundary=<GeoDataFrame> (e.g. geoconflict.read_boundary(path)), or "
                            "boundary='hull' to use the places' convex hull.")
    gdf = validate_boundary(boundary)
    return shapely.union_all(gdf.geometry.to_numpy())


def _cache_key(ids: pd.Index, lon: np.ndarray, lat: np.ndarray,
               boundary: shapely.Geometry | str, options: tuple) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(pd.util.hash_pandas_object(pd.Index(ids).astype(str), index=False)
                  .to_numpy().tobytes())
    digest.update(np.ascontiguousarray(lon, dtype=float).tobytes())
    digest.update(np.ascontiguousarray(lat, dtype=float).tobytes())
    digest.update(b"hull" if isinstance(boundary, str) else shapely.to_wkb(boundary))
    digest.update(repr(options).encode())
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _equal_area(lon0: float, lat0: float) -> tuple[str, pyproj.Transformer, pyproj.Transformer]:
    crs = (f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +x_0=0 +y_0=0 +ellps=WGS84 "
           "+units=m +no_defs")
    forward = pyproj.Transformer.from_crs(CRS, crs, always_xy=True)
    back = pyproj.Transformer.from_crs(crs, CRS, always_xy=True)
    return crs, forward, back


def _transform(geoms: object, transformer: pyproj.Transformer) -> object:
    def func(xy: np.ndarray) -> np.ndarray:
        if xy.size == 0:
            return xy
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, func)


def _build_cells(ids: pd.Index, lon: np.ndarray, lat: np.ndarray,
                 boundary: shapely.Geometry | str, distance: float | None,
                 tolerance: float) -> Cells:
    # ---- the projection and the boundary in it
    if isinstance(boundary, str):  # "hull"
        lon0 = float(np.nanmin(lon) + np.nanmax(lon)) / 2
        lat0 = float(np.nanmin(lat) + np.nanmax(lat)) / 2
        crs, forward, back = _equal_area(round(lon0, 6), round(lat0, 6))
        px, py = forward.transform(lon, lat)
        hull = shapely.convex_hull(shapely.multipoints(np.column_stack([px, py])))
        x0, y0, x1, y1 = hull.bounds
        pad = max(0.1 * max(x1 - x0, y1 - y0), 10_000.0)
        region = shapely.buffer(hull, pad, quad_segs=_QUAD_SEGS)
        boundary_ll = _transform(region, back)
    else:
        boundary_ll = shapely.segmentize(boundary, _SEGMENT_DEG)
        centre = shapely.centroid(boundary_ll)
        crs, forward, back = _equal_area(round(centre.x, 6), round(centre.y, 6))
        region = _transform(boundary_ll, forward)
        if not shapely.is_valid(region):
            region = _polygonal(np.array([shapely.make_valid(region)]))[0]
        px, py = forward.transform(lon, lat)
    shapely.prepare(region)

    # ---- places outside the boundary are left out
    inside = shapely.intersects_xy(region, px, py)
    if tolerance > 0 and not inside.all():
        near = np.flatnonzero(~inside)
        inside[near] = shapely.dwithin(region, shapely.points(px[near], py[near]),
                                       tolerance * 1000.0)
    if not inside.any():
        swapped = _swapped_inside(region, forward, lon, lat)
        hint = (" With longitude and latitude swapped they would lie inside: swap the "
                "coordinates." if swapped.any() else "")
        raise BoundaryError(f"none of the {ids.size} places lies inside the boundary "
                            f"(e.g. {_name_places(ids, lon, lat, np.arange(min(3, ids.size)))})."
                            f"{hint} Fix: pass the boundary of the area the places are in, or "
                            "boundary='hull'.")
    left_out = np.flatnonzero(~inside)
    swapped_out = _swapped_inside(region, forward, lon[left_out], lat[left_out])

    # ---- one cell per distinct point
    codes, uniques = pd.factorize(lon[inside] + 1j * lat[inside])
    first = np.full(uniques.size, -1)
    first[codes[::-1]] = np.arange(codes.size)[::-1]
    inside_pos = np.flatnonzero(inside)
    xy = np.column_stack([px[inside_pos[first]], py[inside_pos[first]]])
    n = xy.shape[0]
    place_cell = np.full(ids.size, -1, dtype=np.int64)
    place_cell[inside] = codes
    per_cell = np.bincount(codes, minlength=n)

    x0, y0, x1, y1 = shapely.bounds(region)
    span = max(x1 - x0, y1 - y0, 1.0)
    env = shapely.box(x0 - 0.1 * span, y0 - 0.1 * span, x1 + 0.1 * span, y1 + 0.1 * span)
    if n == 1:
        raw = np.array([env])
    else:
        # the sites are the vertices of any geometry: a line is the cheapest to build
        ordered = shapely.geos_version >= (3, 12, 0)
        raw = shapely.get_parts(shapely.voronoi_polygons(
            shapely.linestrings(xy), extend_to=env, **({"ordered": True} if ordered else {})))
        if not ordered or raw.size != n:  # GEOS before 3.12 returns the cells unordered
            raw = _match_cells(raw, xy)
    # what the cells fill: the boundary, or its part within the distance of some place.
    # Every cell is cut by this one polygon, so neighbours keep sharing their vertices.
    covered = region
    if distance is not None:
        disks = shapely.buffer(shapely.points(xy), distance * 1000.0, quad_segs=_QUAD_SEGS)
        covered = _polygonal(np.array([shapely.intersection(shapely.union_all(disks),
                                                            region)]))[0]
        shapely.prepare(covered)
    cell_proj = _clip(raw, covered)
    area_km2 = shapely.area(cell_proj) / 1e6

    # ---- no data
    boundary_km2 = float(shapely.area(region)) / 1e6
    if distance is None:
        no_data_proj = shapely.Polygon()
    else:  # from the cells themselves, so its border has the cells' vertices
        no_data_proj = _polygonal(np.array([shapely.difference(
            region, _dissolve(cell_proj))]))[0]
    no_data_km2 = float(shapely.area(no_data_proj)) / 1e6
    no_data = _valid(np.array([_transform(no_data_proj, back)]))[0]
    boundary_ll = _valid(np.array([_transform(region, back)]))[0]  # vertices as the cells'

    cell_ll = _valid(_transform(cell_proj, back))

    # ---- adjacency: the segments two cells share, vertex for vertex
    cell_a, cell_b, segments, segment_edge, length_km = _shared_edges(cell_ll)
    points = np.column_stack([np.real(uniques), np.imag(uniques)])
    for array in (cell_ll, points, per_cell, place_cell, area_km2, cell_a, cell_b, segments,
                  segment_edge, length_km):
        array.flags.writeable = False
    return Cells(
        geometry=cell_ll, points=points, places=per_cell, place_ids=ids,
        cell_of_place=place_cell,
        area_km2=area_km2, cell_a=cell_a, cell_b=cell_b, length_km=length_km,
        segments=segments, segment_edge=segment_edge, boundary=boundary_ll,
        boundary_km2=boundary_km2, no_data=no_data, no_data_km2=no_data_km2,
        left_out=pd.Index(ids[left_out], name=PLACE_ID), crs=crs, max_distance_km=distance,
        warning=_left_out_message(ids, left_out, swapped_out, lon, lat))


def _left_out_message(ids: pd.Index, left_out: np.ndarray, swapped: np.ndarray,
                      lon: np.ndarray, lat: np.ndarray) -> str:
    """The warning naming the places outside the boundary (empty when there are none)."""
    if left_out.size:
        named = _name_places(ids, lon, lat, left_out[:_MAX_NAMED])
        more = (f" and {left_out.size - _MAX_NAMED} more" if left_out.size > _MAX_NAMED
                else "")
        hint = ""
        if swapped.any():
            flipped = ", ".join(repr(str(i)) for i in ids[left_out[swapped]][:_MAX_NAMED])
            hint = (f" With longitude and latitude swapped, {flipped} would lie inside: check "
                    "that lon and lat are not exchanged.")
        return (f"{left_out.size} place(s) lie outside the boundary and are left out of "
                f"territories and frontlines: {named}{more}.{hint} Fix: correct their "
                "coordinates, or pass a boundary that contains them (or boundary='hull').")
    return ""


def _name_places(ids: pd.Index, lon: np.ndarray, lat: np.ndarray,
                 positions: np.ndarray) -> str:
    return ", ".join(f"{str(ids[p])!r} ({lon[p]:.4f}, {lat[p]:.4f})" for p in positions)


def _swapped_inside(region: shapely.Geometry, forward: pyproj.Transformer,
                    lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    ok = (np.abs(lon) <= 90) & np.isfinite(lon) & np.isfinite(lat)
    out = np.zeros(lon.shape, dtype=bool)
    if ok.any():
        sx, sy = forward.transform(lat[ok], lon[ok])
        out[ok] = shapely.covers(region, shapely.points(sx, sy))
    return out


def _warn_left_out(built: Cells, *, stacklevel: int) -> None:
    if built.warning:  # stacklevel points at the user's call
        warnings.warn(built.warning, DataWarning, stacklevel=stacklevel + 1)


def _match_cells(raw: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Put Voronoi cells in the order of their points (fallback for unordered output)."""
    tree = shapely.STRtree(raw)
    pts, cell = tree.query(shapely.points(xy), predicate="within")
    out = np.full(xy.shape[0], None, dtype=object)
    out[pts[::-1]] = raw[cell[::-1]]
    missing = shapely.is_missing(out)
    out[missing] = shapely.Polygon()
    return out


def _clip(geoms: np.ndarray, region: shapely.Geometry) -> np.ndarray:
    """Intersect cells with the (prepared) region, only where a cell crosses its border."""
    geoms = np.asarray(geoms, dtype=object).copy()
    if geoms.size == 0:
        return geoms
    inside = shapely.contains_properly(region, geoms)
    crossing = ~inside & shapely.intersects(region, geoms)
    geoms[~inside & ~crossing] = shapely.Polygon()
    if crossing.any():
        geoms[crossing] = shapely.intersection(geoms[crossing], region)
    return _polygonal(geoms)


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair the rare polygon that projecting back to lon/lat made invalid.

    A cell or the no-data area can touch the boundary at a very shallow angle; moving its
    vertices to lon/lat can then make an edge cross a neighbouring one by a nanodegree.
    """
    bad = ~shapely.is_valid(geoms)
    if not bad.any():
        return geoms
    out = geoms.copy()
    out[bad] = _polygonal(shapely.make_valid(geoms[bad]))
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts (an overlay may add stray lines or points)."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)
    odd = np.flatnonzero(~np.isin(types, [3, 6]))
    if odd.size == 0:
        return geoms
    out = geoms.copy()
    for i in odd:  # rare: only overlay results with lower-dimensional leftovers
        parts = shapely.get_parts(geoms[i])
        polys = parts[np.isin(shapely.get_type_id(parts), [3, 6])]
        out[i] = shapely.union_all(polys) if polys.size else shapely.Polygon()
        if out[i].geom_type not in ("Polygon", "MultiPolygon"):
            out[i] = shapely.Polygon()
    return out


def _shared_edges(geoms: np.ndarray) -> tuple[np.ndarray, ...]:
    """Which cells share an edge, the edge's segments and its geodesic length (km).

    The cells form a coverage: a segment two neighbours share has the same two end points
    in both (in one direction or the other). Sorting every ring segment by its end points
    puts the two copies next to each other, so the adjacency is one sort and a comparison,
    and the edges are exactly the cells' own borders. Cells that meet at a point only share
    no segment and are not neighbours.

    Returns ``cell_a``, ``cell_b`` (``a < b``), ``segments`` (m, 2, 2), ``segment_edge``
    (m,) and ``length_km``.
    """
    coords, index, owner = _ring_coordinates(geoms)
    if coords.shape[0] < 2:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 2, 2)),
                np.zeros(0, np.int64), np.zeros(0))
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
        (segments[:, 0, 0] == segments[:, 1, 0]) & (segments[:, 0, 1] > segments[:, 1, 1]))
    segments[back] = segments[back, ::-1]  # west to east, then south to north
    _, _, metres = _GEOD.inv(segments[:, 0, 0], segments[:, 0, 1], segments[:, 1, 0],
                             segments[:, 1, 1])
    length_km = np.bincount(edge_of, weights=metres, minlength=keys.size) / 1000.0
    return keys // n, keys % n, segments, edge_of.astype(np.int64), length_km


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


def _lines(segments: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
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
        out[several] = shapely.line_merge(shapely.multilinestrings(
            lines[~single], indices=np.searchsorted(several, group[~single])))
    return out


def _dissolve(geoms: np.ndarray) -> shapely.Geometry:
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


# --------------------------------------------------------------------------- labels


def _options_cells(conflict: object, *, method: str, max_distance_km: float | None,
                   radius_km: float | None, boundary: object) -> Cells:
    if method not in ("voronoi", "buffer"):
        raise TerritoryOptionError(f"method must be 'voronoi' or 'buffer', got {method!r}. "
                                   "Fix: pass method='voronoi' (cells) or method='buffer' "
                                   "with radius_km=<km> (circles around places).")
    if method == "buffer":
        if radius_km is None:
            raise TerritoryOptionError("method='buffer' needs radius_km, the radius of the "
                                       "circle around each place. Fix: pass e.g. "
                                       "radius_km=10.")
        if max_distance_km is not None:
            raise TerritoryOptionError("pass radius_km or max_distance_km, not both: with "
                                       "method='buffer' the radius is the maximum distance.")
        distance = _positive("radius_km", radius_km)
    else:
        if radius_km is not None:
            raise TerritoryOptionError("radius_km is for method='buffer'. Fix: pass "
                                       "method='buffer', or max_distance_km= to limit the "
                                       "cells.")
        distance = max_distance_km
    if boundary is None:
        boundary = getattr(conflict, "boundary", None)
    built = _cached_cells(conflict.places, boundary, max_distance_km=distance)
    _warn_left_out(built, stacklevel=3)
    return built


def _label_names(conflict: object) -> list[str]:
    """Actors in the conflict's order, then ``contested`` and ``unknown``."""
    return [str(a) for a in conflict.actors.index] + [CONTESTED, UNKNOWN]


def _place_codes(conflict: object, place_ids: pd.Index, dates: pd.DatetimeIndex
                 ) -> np.ndarray:
    """(n_places, n_dates) codes: actor position, ``-2`` contested status, ``-1`` unknown."""
    control = conflict.control
    index = ControlIndex.build(control)
    remap = pd.Index(conflict.actors.index).get_indexer(index.actors)
    if STATUS in control.columns:
        contested = (control[STATUS] == CONTESTED).fillna(False).to_numpy(dtype=bool)
    else:
        contested = np.zeros(len(control), dtype=bool)
    contested = contested[index.order]
    codes = index.places.get_indexer(place_ids)
    found = index.lookup(codes, pd.DatetimeIndex(dates).as_unit("ns").asi8)
    safe = np.maximum(found, 0)
    actor = remap[index.actor_codes[safe]] if index.actor_codes.size else np.zeros_like(found)
    out = np.where(found < 0, -1, np.where(contested[safe] if contested.size else False,
                                           -2, actor))
    return out.astype(np.int64)


def _cell_labels(built: Cells, codes: np.ndarray, n_actors: int) -> np.ndarray:
    """(n_cells, n_dates) label codes from the (places inside, n_dates) place codes.

    ``0 .. n_actors-1`` actors, ``n_actors`` contested, ``n_actors + 1`` unknown.
    """
    contested_code, unknown_code = n_actors, n_actors + 1
    cell_of = built.cell_of_place
    inside = cell_of >= 0
    cell_of, codes = cell_of[inside], codes[inside]
    n_cells = len(built)
    if cell_of.size == n_cells:  # one place per cell: its code is the cell's
        labels = np.empty((n_cells, codes.shape[1]), dtype=np.int64)
        labels[cell_of] = codes
        labels[labels == -2] = contested_code
        labels[labels == -1] = unknown_code
        return labels
    order = np.argsort(cell_of, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, cell_of[order][1:] != cell_of[order][:-1]])
    known = sorted_codes >= 0
    low = np.minimum.reduceat(np.where(known, sorted_codes, n_actors + 2), starts, axis=0)
    high = np.maximum.reduceat(np.where(known, sorted_codes, -1), starts, axis=0)
    flagged = np.maximum.reduceat((sorted_codes == -2).astype(np.int8), starts, axis=0) > 0
    labels = np.where(high < 0, unknown_code, low)
    labels = np.where(flagged | ((high >= 0) & (low != high)), contested_code, labels)
    return labels.astype(np.int64)


def _labels_at(conflict: object, built: Cells, dates: pd.DatetimeIndex) -> np.ndarray:
    codes = _place_codes(conflict, built.place_ids, dates)
    return _cell_labels(built, codes, len(conflict.actors))


def _cell_population(conflict: object, built: Cells) -> np.ndarray:
    cell_of = built.cell_of_place
    inside = cell_of >= 0
    if POPULATION in conflict.places.columns:
        people = pd.to_numeric(conflict.places[POPULATION], errors="coerce").reindex(
            built.place_ids).fillna(0.0).to_numpy(dtype=float)
    else:
        people = np.zeros(cell_of.size)
    return np.bincount(cell_of[inside], weights=people[inside], minlength=len(built))


# --------------------------------------------------------------------------- public


def territories(conflict: object, when: object, *, method: str = "voronoi",
                max_distance_km: float | None = None, radius_km: float | None = None,
                boundary: object = None, no_data: bool = False) -> gpd.GeoDataFrame:
    """The land each actor holds at a date, from the cells of the places it holds.

    Parameters
    ----------
    conflict : Conflict
    when : date
    method : {"voronoi", "buffer"}
        ``"voronoi"``: each place's Voronoi cell, clipped to the boundary. ``"buffer"``: a
        circle of ``radius_km`` around each place (where circles overlap, the nearer place
        wins), for sparse data.
    max_distance_km : float, optional
        With ``"voronoi"``: land farther than this from every place is no data.
    radius_km : float, optional
        With ``"buffer"``: the circles' radius.
    boundary : GeoDataFrame, shapely geometry or "hull", optional
        Overrides the conflict's boundary; ``"hull"`` uses the places' convex hull, widened.
    no_data : bool, default False
        Add a ``no_data`` row for the part of the boundary no cell covers.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per actor holding land, then ``contested`` and ``unknown`` when
        present: ``actor_id``, ``geometry`` (dissolved), ``area_km2`` (equal-area),
        ``places`` (count), ``population`` (sum; missing counts as 0).

    Raises
    ------
    BoundaryError
        When there is no boundary (pass one or ``boundary="hull"``) or it is empty.
    TerritoryOptionError
        For an unknown method or a bad distance.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0],
    ...                         population=[100, 50])
    >>> control = pd.DataFrame({"place_id": ["w", "e"], "actor_id": ["red", "blue"],
    ...                         "date": ["2024-01-01", "2024-01-01"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> t = territories(c, "2024-01-02")
    >>> t[["actor_id", "places", "population"]]
      actor_id  places  population
    0      red       1       100.0
    1     blue       1        50.0
    >>> [round(v, 6) for v in t.geometry.iloc[0].bounds]
    [-0.5, -0.5, 0.5, 0.5]
    >>> territories(c, "2023-12-31")["actor_id"].tolist()  # before any record
    ['unknown']
    """
    built = _options_cells(conflict, method=method, max_distance_km=max_distance_km,
                           radius_km=radius_km, boundary=boundary)
    date = to_timestamp(when)
    labels = _labels_at(conflict, built, pd.DatetimeIndex([date]))[:, 0]
    names = _label_names(conflict)
    geoms = built.geometry
    population = _cell_population(conflict, built)
    rows = []
    for code in np.unique(labels):
        mine = labels == code
        rows.append((names[code], _dissolve(geoms[mine]),
                     float(built.area_km2[mine].sum()),
                     int(built.places[mine].sum()),
                     float(population[mine].sum())))
    if no_data and built.no_data_km2 > 0:
        rows.append((NO_DATA, built.no_data, built.no_data_km2, 0, 0.0))
    return _territory_frame(rows)


def _territory_frame(rows: list[tuple]) -> gpd.GeoDataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], [], []]
    return gpd.GeoDataFrame({
        ACTOR_ID: pd.array(list(columns[0]), dtype="string"),
        GEOMETRY: gpd.GeoSeries(list(columns[1]), crs=CRS),
        "area_km2": np.asarray(columns[2], dtype=float),
        "places": np.asarray(columns[3], dtype=np.int64),
        POPULATION: np.asarray(columns[4], dtype=float),
    }, geometry=GEOMETRY, crs=CRS)


def frontlines(conflict: object, when: object, *, method: str = "voronoi",
               max_distance_km: float | None = None, radius_km: float | None = None,
               boundary: object = None) -> gpd.GeoDataFrame:
    """Lines where the land of two actors meets at a date (not the outer border).

    Parameters
    ----------
    conflict : Conflict
    when : date
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per pair of neighbours: ``actor_a``, ``actor_b`` (sorted,
        ``actor_a < actor_b``; either may be ``contested``, never ``unknown``),
        ``geometry`` (merged lines), ``length_km`` (geodesic). Empty, with these columns,
        when there is no front.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e"], "actor_id": ["red", "blue"],
    ...                         "date": ["2024-01-01", "2024-01-01"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> f = frontlines(c, "2024-01-02")
    >>> f[["actor_a", "actor_b"]].values.tolist()
    [['blue', 'red']]
    >>> shapely.to_wkt(f.geometry.iloc[0], rounding_precision=6)
    'LINESTRING (0.5 -0.5, 0.5 0.5)'
    >>> round(float(f.length_km.iloc[0]), 1)
    110.6
    """
    built = _options_cells(conflict, method=method, max_distance_km=max_distance_km,
                           radius_km=radius_km, boundary=boundary)
    labels = _labels_at(conflict, built, pd.DatetimeIndex([to_timestamp(when)]))[:, 0]
    names = _label_names(conflict)
    la, lb = labels[built.cell_a], labels[built.cell_b]
    unknown = len(conflict.actors) + 1
    front = (la != lb) & (la != unknown) & (lb != unknown)
    rows = []
    if front.any():
        text = np.asarray(names, dtype=object)
        name_a, name_b = text[la[front]], text[lb[front]]
        low = np.where(name_a < name_b, name_a, name_b)
        high = np.where(name_a < name_b, name_b, name_a)
        pairs, pair_of = np.unique(low + "\x1f" + high, return_inverse=True)
        km = np.bincount(pair_of, weights=built.length_km[front], minlength=pairs.size)
        edge_pair = np.full(built.cell_a.size, -1)
        edge_pair[front] = pair_of
        seg_pair = edge_pair[built.segment_edge]
        keep = seg_pair >= 0
        order = np.argsort(seg_pair[keep], kind="stable")
        lines = _lines(built.segments[keep][order], seg_pair[keep][order], pairs.size)
        for i, pair in enumerate(pairs):  # a loop over actor pairs, not edges
            a, b = pair.split("\x1f")
            rows.append((a, b, lines[i], float(km[i])))
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
    return gpd.GeoDataFrame({
        "actor_a": pd.array(list(columns[0]), dtype="string"),
        "actor_b": pd.array(list(columns[1]), dtype="string"),
        GEOMETRY: gpd.GeoSeries(list(columns[2]), crs=CRS),
        "length_km": np.asarray(columns[3], dtype=float),
    }, geometry=GEOMETRY, crs=CRS)


def territory_changes(conflict: object, start: object, end: object, *,
                      method: str = "voronoi", max_distance_km: float | None = None,
                      radius_km: float | None = None, boundary: object = None
                      ) -> gpd.GeoDataFrame:
    """The land that changed hands between two dates.

    Parameters
    ----------
    conflict : Conflict
    start, end : date
        Compare the labels on ``start`` with those on ``end``.
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per (``from_actor``, ``to_actor``) pair with the dissolved
        ``geometry`` and ``area_km2``. Labels include ``contested`` and ``unknown``.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "e"],
    ...                         "actor_id": ["red", "blue", "red"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-05"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> territory_changes(c, "2024-01-02", "2024-01-06")[["from_actor", "to_actor"]]
      from_actor to_actor
    0       blue      red
    """
    built = _options_cells(conflict, method=method, max_distance_km=max_distance_km,
                           radius_km=radius_km, boundary=boundary)
    first, last = to_timestamp(start, argument="start"), to_timestamp(end, argument="end")
    if first > last:
        raise TerritoryOptionError(f"start ({first:%Y-%m-%d}) is after end ({last:%Y-%m-%d})."
                                   " Fix: swap them.")
    labels = _labels_at(conflict, built, pd.DatetimeIndex([first, last]))
    names = np.array(_label_names(conflict), dtype=object)
    changed = labels[:, 0] != labels[:, 1]
    rows = []
    if changed.any():
        cells_changed = np.flatnonzero(changed)
        groups = pd.DataFrame({"f": labels[changed, 0], "t": labels[changed, 1]}).groupby(
            ["f", "t"], sort=True).indices
        for (f, t), where in groups.items():
            mine = cells_changed[where]
            rows.append((names[f], names[t], _dissolve(built.geometry[mine]),
                         float(built.area_km2[mine].sum())))
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
    return gpd.GeoDataFrame({
        "from_actor": pd.array(list(columns[0]), dtype="string"),
        "to_actor": pd.array(list(columns[1]), dtype="string"),
        GEOMETRY: gpd.GeoSeries(list(columns[2]), crs=CRS),
        "area_km2": np.asarray(columns[3], dtype=float),
    }, geometry=GEOMETRY, crs=CRS)


def control_summary(conflict: object, *, freq: str = "D", start: object = None,
                    end: object = None, method: str = "voronoi",
                    max_distance_km: float | None = None, radius_km: float | None = None,
                    boundary: object = None, progress: bool | None = None) -> pd.DataFrame:
    """Places, population, area and frontline held by each actor at every date.

    One computation of the cells, then array sums over all dates at once: no Voronoi or
    dissolve per date.

    Parameters
    ----------
    conflict : Conflict
    freq : str, default "D"
        A pandas frequency for the dates (``"D"``, ``"W"``, ``"MS"`` ...).
    start, end : date, optional
        Default: the conflict's period.
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.
    progress : bool or None, default None
        A progress bar over the blocks of dates (see :func:`geoconflict.progress.progress`);
        ``None`` shows one only on a terminal, when there is more than one block.

    Returns
    -------
    DataFrame
        Long format: ``date``, ``actor_id``, ``places``, ``population``, ``area_km2``,
        ``frontline_km`` (total length of front touching that actor's land). Every actor
        appears at every date; ``contested`` and ``unknown`` rows only when they hold
        something at some date.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "e"],
    ...                         "actor_id": ["red", "blue", "red"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-02"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> s = control_summary(c)
    >>> s[["date", "actor_id", "places", "frontline_km"]].round({"frontline_km": 1})
            date actor_id  places  frontline_km
    0 2024-01-01      red       1         110.6
    1 2024-01-01     blue       1         110.6
    2 2024-01-02      red       2           0.0
    3 2024-01-02     blue       0           0.0
    """
    built = _options_cells(conflict, method=method, max_distance_km=max_distance_km,
                           radius_km=radius_km, boundary=boundary)
    dates = _summary_dates(conflict, freq, start, end)
    names = _label_names(conflict)
    n_labels, n_actors = len(names), len(conflict.actors)
    unknown = n_actors + 1
    population = _cell_population(conflict, built)
    per_cell = built.places.astype(float)
    n_cells = len(built)
    out = {k: np.zeros((n_labels, dates.size)) for k in
           ("places", "population", "area_km2", "frontline_km")}
    step = max(1, _MAX_MATRIX // max(n_cells, 1))
    codes_index = built.place_ids
    blocks = range(0, dates.size, step)  # blocks of dates bound the memory, not a loop
    for lo in progress_bar(blocks, desc="control_summary", enabled=progress):
        block = dates[lo:lo + step]
        labels = _cell_labels(built, _place_codes(conflict, codes_index, block), n_actors)
        nd = block.size
        key = (labels * nd + np.arange(nd)[None, :]).ravel()
        size = n_labels * nd
        for name, weight in (("places", per_cell), ("population", population),
                             ("area_km2", built.area_km2)):
            sums = np.bincount(key, weights=np.repeat(weight, nd), minlength=size)
            out[name][:, lo:lo + nd] = sums.reshape(n_labels, nd)
        la, lb = labels[built.cell_a], labels[built.cell_b]
        front = (la != lb) & (la != unknown) & (lb != unknown)
        weight = np.where(front, built.length_km[:, None], 0.0).ravel()
        cols = np.arange(nd)[None, :]
        total = (np.bincount((la * nd + cols).ravel(), weights=weight, minlength=size)
                 + np.bincount((lb * nd + cols).ravel(), weights=weight, minlength=size))
        out["frontline_km"][:, lo:lo + nd] = total.reshape(n_labels, nd)
    keep = np.ones(n_labels, dtype=bool)
    keep[n_actors:] = out["places"][n_actors:].sum(axis=1) > 0
    rows = np.flatnonzero(keep)
    table = pd.DataFrame({
        "date": np.repeat(dates.to_numpy(), rows.size),
        ACTOR_ID: pd.array(np.tile(np.asarray(names, dtype=object)[rows], dates.size),
                           dtype="string"),
        "places": out["places"][rows].T.ravel().round().astype(np.int64),
        POPULATION: out["population"][rows].T.ravel(),
        "area_km2": out["area_km2"][rows].T.ravel(),
        "frontline_km": out["frontline_km"][rows].T.ravel(),
    })
    return table


def _summary_dates(conflict: object, freq: str, start: object, end: object
                   ) -> pd.DatetimeIndex:
    period = conflict.period
    if (start is None or end is None) and period is None:
        raise TerritoryOptionError("the conflict has no dates, so there is no default period."
                                   " Fix: pass start= and end=.")
    first = to_timestamp(start, argument="start") if start is not None else period[0]
    last = to_timestamp(end, argument="end") if end is not None else period[1]
    if first > last:
        raise TerritoryOptionError(f"start ({first:%Y-%m-%d}) is after end ({last:%Y-%m-%d})."
                                   " Fix: swap them.")
    try:
        dates = pd.date_range(first, last, freq=freq)
    except (ValueError, TypeError) as exc:
        raise TerritoryOptionError(f"freq must be a pandas frequency such as 'D', 'W' or "
                                   f"'MS', got {freq!r}.") from exc
    if dates.empty:
        raise TerritoryOptionError(f"no {freq!r} dates fall between {first:%Y-%m-%d} and "
                                   f"{last:%Y-%m-%d}. Fix: widen start/end or use a shorter "
                                   "freq.")
    return pd.DatetimeIndex(dates.as_unit("ns"), name="date")
