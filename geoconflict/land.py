"""The land structure: the pieces of land territories are made of, and their adjacency.

Each place gets the Voronoi cell of its point, clipped to the boundary (and, optionally, to a
maximum distance from the place). The cells and their adjacency (which cells share an edge,
that edge's line and its length) depend only on the places and the boundary, so they are
computed once by :func:`cells` and cached; every question about dates is array work over them
(see :mod:`geoconflict.territory`).

The geometry is built in a Lambert azimuthal equal-area projection centred on the data, so
cell areas are true areas (km²); frontline lengths are geodesic (WGS 84). Results are in
EPSG:4326.
"""

from __future__ import annotations

import hashlib
import math
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._geometry import (
    clip,
    dissolve,
    equal_area,
    match_cells,
    merge_lines,
    polygonal,
    shared_edges,
    transform,
    valid,
)
from ._schema import CRS, PLACE_ID, validate_boundary
from .errors import BoundaryError, DataWarning, TerritoryOptionError
from .places import place_points

__all__ = ["Cells", "cached_cells", "cells", "positive_km", "warn_left_out"]

_QUAD_SEGS = 16  # a disk is a 64-gon
_MAX_CACHED = 8
_CACHE: OrderedDict[str, Cells] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_SEGMENT_DEG = 0.05  # boundary edges are densified to this step before projection
_MAX_NAMED = 10


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
        out = merge_lines(self.segments, self.segment_edge, self.cell_a.size)
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
    built = cached_cells(places, boundary, max_distance_km=max_distance_km,
                          tolerance_km=tolerance_km)
    warn_left_out(built, stacklevel=2)
    return built


def cached_cells(places: gpd.GeoDataFrame, boundary: object, *,
                  max_distance_km: float | None, tolerance_km: float = 1.0) -> Cells:
    distance = positive_km("max_distance_km", max_distance_km)
    tolerance = positive_km("tolerance_km", tolerance_km, zero=True) or 0.0
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


def positive_km(name: str, value: float | None, *, zero: bool = False) -> float | None:
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



def _build_cells(ids: pd.Index, lon: np.ndarray, lat: np.ndarray,
                 boundary: shapely.Geometry | str, distance: float | None,
                 tolerance: float) -> Cells:
    # ---- the projection and the boundary in it
    if isinstance(boundary, str):  # "hull"
        lon0 = float(np.nanmin(lon) + np.nanmax(lon)) / 2
        lat0 = float(np.nanmin(lat) + np.nanmax(lat)) / 2
        crs, forward, back = equal_area(round(lon0, 6), round(lat0, 6))
        px, py = forward.transform(lon, lat)
        hull = shapely.convex_hull(shapely.multipoints(np.column_stack([px, py])))
        x0, y0, x1, y1 = hull.bounds
        pad = max(0.1 * max(x1 - x0, y1 - y0), 10_000.0)
        region = shapely.buffer(hull, pad, quad_segs=_QUAD_SEGS)
        boundary_ll = transform(region, back)
    else:
        boundary_ll = shapely.segmentize(boundary, _SEGMENT_DEG)
        centre = shapely.centroid(boundary_ll)
        crs, forward, back = equal_area(round(centre.x, 6), round(centre.y, 6))
        region = transform(boundary_ll, forward)
        if not shapely.is_valid(region):
            region = polygonal(np.array([shapely.make_valid(region)]))[0]
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
            raw = match_cells(raw, xy)
    # what the cells fill: the boundary, or its part within the distance of some place.
    # Every cell is cut by this one polygon, so neighbours keep sharing their vertices.
    covered = region
    if distance is not None:
        disks = shapely.buffer(shapely.points(xy), distance * 1000.0, quad_segs=_QUAD_SEGS)
        covered = polygonal(np.array([shapely.intersection(shapely.union_all(disks),
                                                            region)]))[0]
        shapely.prepare(covered)
    cell_proj = clip(raw, covered)
    area_km2 = shapely.area(cell_proj) / 1e6

    # ---- no data
    boundary_km2 = float(shapely.area(region)) / 1e6
    if distance is None:
        no_data_proj = shapely.Polygon()
    else:  # from the cells themselves, so its border has the cells' vertices
        no_data_proj = polygonal(np.array([shapely.difference(
            region, dissolve(cell_proj))]))[0]
    no_data_km2 = float(shapely.area(no_data_proj)) / 1e6
    no_data = valid(np.array([transform(no_data_proj, back)]))[0]
    boundary_ll = valid(np.array([transform(region, back)]))[0]  # vertices as the cells'

    cell_ll = valid(transform(cell_proj, back))

    # ---- adjacency: the segments two cells share, vertex for vertex
    cell_a, cell_b, segments, segment_edge, length_km = shared_edges(cell_ll)
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


def warn_left_out(built: Cells, *, stacklevel: int) -> None:
    if built.warning:  # stacklevel points at the user's call
        warnings.warn(built.warning, DataWarning, stacklevel=stacklevel + 1)

