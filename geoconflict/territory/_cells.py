"""The land structure: the cells territories are made of, and their adjacency.

For point places alone, each distinct point gets its Voronoi cell, clipped to the boundary
(and, optionally, to a maximum distance from it). With polygon places (admin units, declared
zones) the land is cut by the polygons first; see :mod:`._polygon_land` for the rule. A
conflict's zones (dated control polygons) are the land instead (:mod:`._zone_land`). Either
way the cells and their adjacency (which cells share an edge, that edge's line and length)
depend only on the places and the boundary, so they are computed once by :func:`cells` and
cached; every question about dates is array work over them (:mod:`geoconflict._labels`).

The geometry is built in a Lambert azimuthal equal-area projection centred on the data, so
areas are true areas (km²); frontline lengths are geodesic (WGS 84). Results are in
EPSG:4326.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._inputs import places_input
from .._kinds import is_polygonal
from .._proj import to_crs
from .._schema import CRS, PLACE_ID, validate_boundary
from .._warn import warn_once
from ..errors import BoundaryError, DataWarning
from ..places import place_points
from ._geometry import (
    clip,
    densify,
    dissolve,
    edge_lengths,
    merge_lines,
    polygonal,
    shared_edges,
    transform,
    valid,
)
from ._point_land import point_land
from ._polygon_land import polygon_land
from ._setting import positive_km
from ._sites import SEGMENT_DEG, find_sites, project_region
from ._zone_land import zone_land
from .coverage import LEVEL, projected_coverage

__all__ = ["Cells", "cached_cells", "cells", "warn_left_out"]

_MAX_CACHED = 8
_CACHE: OrderedDict[str, Cells] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False, repr=False)
class Cells:
    """The cells of the land, what decides each one's holder, and their adjacency.

    For point places alone the cells are the Voronoi cells of the distinct points (one
    cell per point, in the order of ``points``). With polygon places a cell is a part of
    the land covered by the same polygons and, where points share it, by one point's cell.

    Built by :func:`cells`, cached and shared: its arrays are read-only, and ``frame``
    and ``place_cell`` are new objects on every access.

    Attributes
    ----------
    frame : GeoDataFrame
        One row per cell (EPSG:4326), indexed ``0 .. n-1``: ``lon``, ``lat`` (the
        point, or a point inside the cell), ``places`` (how many point places lie in it),
        ``area_km2``, ``geometry``.
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
        The straight segments of the shared edges (lon/lat of both ends), sorted by edge.
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
    site : numpy.ndarray of int
        The point (site) whose Voronoi cell each cell lies in; ``-1`` for a cell of a
        polygon that holds no point. Sites are the distinct points of the point places.
    site_of_place : numpy.ndarray of int
        The site of each place; ``-1`` for polygon places and places left out.
    chain : numpy.ndarray of int, shape (n, depth)
        The polygon places covering each cell, smallest first, as positions in
        ``polygon_ids``; padded with ``-1``. ``depth`` is 0 without polygon places.
    polygon_ids : pandas.Index
        The polygon places that hold land (inside the boundary).
    zone_of : numpy.ndarray of int, shape (n, snapshots), or None
        For cells drawn from a conflict's zones (dated control polygons): the row of the
        zones table holding each cell on each snapshot date (``-1``: none); None for cells
        drawn from the places.
    zone_dates : numpy.ndarray of datetime64, or None
        The snapshot dates of ``zone_of``'s columns.
    """

    geometry: np.ndarray
    points: np.ndarray
    places: np.ndarray
    place_ids: pd.Index
    cell_of_place: np.ndarray
    area_km2: np.ndarray
    cell_a: np.ndarray
    cell_b: np.ndarray
    segments: np.ndarray
    segment_edge: np.ndarray
    boundary: shapely.Geometry
    boundary_km2: float
    no_data: shapely.Geometry
    no_data_km2: float
    left_out: pd.Index
    crs: str
    site: np.ndarray
    site_of_place: np.ndarray
    chain: np.ndarray
    polygon_ids: pd.Index
    max_distance_km: float | None = None
    warning: str = ""
    zone_of: np.ndarray | None = None
    zone_dates: np.ndarray | None = None

    @cached_property
    def length_km(self) -> np.ndarray:
        """Geodesic length (km) of each shared edge; measured on first use."""
        out = edge_lengths(self.segments, self.segment_edge, self.cell_a.size)
        out.flags.writeable = False
        return out

    def lengths_of(self, edges: np.ndarray) -> np.ndarray:
        """:attr:`length_km` of the edges in the mask ``edges`` (0 for the others), measuring
        only those unless all were measured already."""
        if "length_km" in self.__dict__:
            return np.where(edges, self.length_km, 0.0)
        return edge_lengths(self.segments, self.segment_edge, self.cell_a.size, edges)

    @cached_property
    def edge_geometry(self) -> np.ndarray:
        """The shared edges as lines (EPSG:4326), one per (``cell_a``, ``cell_b``)."""
        out = merge_lines(self.segments, self.segment_edge, self.cell_a.size)
        out.flags.writeable = False
        return out

    @cached_property
    def polygon_positions(self) -> np.ndarray:
        """Positions of ``polygon_ids`` in ``place_ids``."""
        out = self.place_ids.get_indexer(self.polygon_ids)
        out.flags.writeable = False
        return out

    @property
    def frame(self) -> gpd.GeoDataFrame:
        """The cells as a table (a new one on every access)."""
        return gpd.GeoDataFrame(
            {
                "lon": self.points[:, 0],
                "lat": self.points[:, 1],
                "places": self.places,
                "area_km2": self.area_km2,
            },
            geometry=self.geometry.copy(),
            crs=CRS,
        )

    @property
    def place_cell(self) -> pd.Series:
        """The cell of each place, by ``place_id`` (``-1``: outside the boundary)."""
        return pd.Series(self.cell_of_place, index=self.place_ids, name="cell")

    def edges(self) -> gpd.GeoDataFrame:
        """The adjacency as a table: ``cell_a``, ``cell_b``, ``geometry``, ``length_km``."""
        return gpd.GeoDataFrame(
            {"cell_a": self.cell_a, "cell_b": self.cell_b, "length_km": self.length_km},
            geometry=self.edge_geometry,
            crs=CRS,
        )

    def __len__(self) -> int:
        return self.geometry.size

    def __repr__(self) -> str:
        units = f", {self.polygon_ids.size} polygon places" if self.polygon_ids.size else ""
        return (
            f"<Cells: {len(self)} cells of {int((self.cell_of_place >= 0).sum())} "
            f"places{units}, {self.cell_a.size} shared edges, "
            f"{self.boundary_km2:,.0f} km² ({self.no_data_km2:,.0f} km² no data)>"
        )


def cells(
    places: gpd.GeoDataFrame,
    boundary: object,
    *,
    max_distance_km: float | None = None,
    tolerance_km: float = 1.0,
) -> Cells:
    """The places' Voronoi cells clipped to the boundary, with their adjacency.

    Computed once per (places, boundary, options) and cached.

    Parameters
    ----------
    places : GeoDataFrame
        Indexed by ``place_id``; Points, Polygons or MultiPolygons. Places at one point
        share one cell; polygon places cut the land first (see :mod:`geoconflict._units`).
    boundary : GeoDataFrame, GeoSeries, shapely geometry, ``"hull"`` or None
        The area the cells fill. ``"hull"`` uses the places' convex hull, widened by a tenth
        of its extent (at least 10 km). ``None`` is allowed when there are polygon places:
        their union is the boundary.
    max_distance_km : float, optional
        Parts of a cell farther than this from its place are left out (no data). Inside a
        polygon place the points share the polygon whatever the distance.
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
    places = places_input(places, function="cells")
    built = cached_cells(
        places, boundary, max_distance_km=max_distance_km, tolerance_km=tolerance_km
    )
    warn_left_out(built, about=places)
    return built


def cached_cells(
    places: gpd.GeoDataFrame,
    boundary: object,
    *,
    max_distance_km: float | None,
    tolerance_km: float = 1.0,
    stated: np.ndarray | None = None,
    zones: tuple[np.ndarray, np.ndarray] | None = None,
) -> Cells:
    """:func:`cells` without the warning about places left out (the caller gives it).

    ``stated`` (places x patterns, bool, in the order of ``places``), when given, says which
    places have a state on the dates the cells are for, one column per distinct pattern of
    dates: the land is then cut only where towns decide on one of those dates (see
    :func:`~geoconflict.territory._polygon_land.polygon_land`). Cells so built serve those
    dates only; ``None`` builds cells for every date.
    """
    distance = positive_km("max_distance_km", max_distance_km)
    tolerance = positive_km("tolerance_km", tolerance_km, zero=True) or 0.0
    if places.crs is not None and not places.crs.equals(CRS):
        places = to_crs(places, CRS)
    if len(places) == 0:
        raise BoundaryError(
            "'places' is empty, so there is nothing to draw territories "
            "from. Fix: pass a places table with at least one place."
        )
    geoms = places.geometry.to_numpy()
    is_polygon = is_polygonal(geoms)
    lon, lat = _points_of(places, is_polygon)
    outlines = geoms[is_polygon]
    if zones is not None:  # without a boundary, the zones are the land with the polygons
        outlines = np.concatenate([outlines, zones[0]])
    # a boundary derived from the polygons is known by them (in the key): built on a miss
    geom = None if boundary is None and outlines.size else _boundary_geometry(boundary, outlines)
    levels = (
        tuple(places[LEVEL].astype("string").fillna("")[is_polygon])
        if LEVEL in places.columns
        else None
    )
    if stated is not None:  # only the polygons' patterns matter, each once
        stated = np.unique(np.asarray(stated, dtype=bool)[is_polygon], axis=1)
    key = _cache_key(
        places.index,
        lon,
        lat,
        geoms[is_polygon],
        "union" if geom is None else geom,
        (distance, tolerance, levels, None if stated is None else stated.tobytes()),
        zones,
    )
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    if geom is None:
        geom = _boundary_geometry(None, outlines)
    built = _build(
        pd.Index(places.index, name=PLACE_ID),
        lon,
        lat,
        geoms,
        is_polygon,
        geom,
        distance,
        tolerance,
        stated,
        zones,
        levels,
    )
    with _CACHE_LOCK:
        _CACHE[key] = built
        while len(_CACHE) > _MAX_CACHED:
            _CACHE.popitem(last=False)
    return built


def _points_of(places: gpd.GeoDataFrame, is_polygon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points' coordinates, and a representative point of each polygon place."""
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    if is_point.all():
        xy = shapely.get_coordinates(geoms)
        return xy[:, 0].copy(), xy[:, 1].copy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    if (~is_point).any():
        lon[~is_point], lat[~is_point] = place_points(places[~is_point])
    return lon, lat


def _boundary_geometry(boundary: object, polygons: np.ndarray) -> shapely.Geometry | str:
    """One (Multi)Polygon in EPSG:4326, or the string ``"hull"``."""
    if isinstance(boundary, str):
        if boundary == "hull":
            return "hull"
        raise BoundaryError(
            f"boundary must be a GeoDataFrame, a shapely geometry or 'hull', "
            f"got {boundary!r}. Fix: pass boundary='hull' to use the places' "
            "convex hull."
        )
    if boundary is None:
        if polygons.size:
            return polygonal(np.array([dissolve(shapely.make_valid(polygons))]))[0]
        raise BoundaryError(
            "no boundary: territories need the area they fill. Fix: pass "
            "boundary=<GeoDataFrame> (e.g. geoconflict.read_boundary(path)), or "
            "boundary='hull' to use the places' convex hull."
        )
    gdf = validate_boundary(boundary)
    return shapely.union_all(gdf.geometry.to_numpy())


def _cache_key(
    ids: pd.Index,
    lon: np.ndarray,
    lat: np.ndarray,
    polygons: np.ndarray,
    boundary: shapely.Geometry | str,
    options: tuple,
    zones: tuple[np.ndarray, np.ndarray] | None = None,
) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(
        pd.util.hash_pandas_object(pd.Index(ids).astype(str), index=False).to_numpy().tobytes()
    )
    digest.update(np.ascontiguousarray(lon, dtype=float).tobytes())
    digest.update(np.ascontiguousarray(lat, dtype=float).tobytes())
    for wkb in shapely.to_wkb(polygons):
        digest.update(wkb)
    digest.update(boundary.encode() if isinstance(boundary, str) else shapely.to_wkb(boundary))
    digest.update(repr(options).encode())
    if zones is not None:
        for wkb in shapely.to_wkb(zones[0]):
            digest.update(wkb)
        digest.update(np.ascontiguousarray(zones[1]).astype("datetime64[ns]").tobytes())
    return digest.hexdigest()


def _build(
    ids: pd.Index,
    lon: np.ndarray,
    lat: np.ndarray,
    geoms: np.ndarray,
    is_polygon: np.ndarray,
    boundary: shapely.Geometry | str,
    distance: float | None,
    tolerance: float,
    stated: np.ndarray | None,
    zones: tuple[np.ndarray, np.ndarray] | None,
    levels: tuple | None,
) -> Cells:
    extra = geoms[is_polygon] if zones is None else np.concatenate([geoms[is_polygon], zones[0]])
    region = project_region(boundary, lon[~is_polygon], lat[~is_polygon], extra=extra)
    poly_pos = np.flatnonzero(is_polygon)
    polygons = np.empty(0, dtype=object)
    outside_polygons = np.zeros(0, dtype=np.int64)
    if poly_pos.size:
        polygons = valid(transform(densify(geoms[poly_pos], SEGMENT_DEG), region.forward))
        # once per set of cells, in the projection just made: overlaps are an error, gaps a
        # warning (what geoconflict.check_coverage says)
        projected_coverage(
            np.asarray(ids[poly_pos]).astype(str),
            polygons,
            None if levels is None else np.asarray(levels, dtype=object),
            region.back,
            warn=True,
            stacklevel=6,
        )
        polygons = clip(polygons, region.area)
        empty = shapely.is_empty(polygons) | (shapely.area(polygons) <= 0)
        outside_polygons = poly_pos[empty]
        poly_pos, polygons = poly_pos[~empty], polygons[~empty]
        if stated is not None:
            stated = stated[~empty]
    sites = find_sites(
        ids,
        lon,
        lat,
        region,
        tolerance_km=tolerance,
        use=~is_polygon,
        left_out_polygons=outside_polygons if is_polygon.any() else None,
    )
    zone_dates = None
    if zones is not None:
        zone_dates, snapshot = np.unique(zones[1].astype("datetime64[ns]"), return_inverse=True)
        fields = zone_land(region, sites, zones[0], snapshot)
        poly_pos = poly_pos[:0]  # the land is the zones': no polygon place decides it
    elif poly_pos.size:
        fields = polygon_land(region, sites, polygons, distance, stated)
    else:
        fields = point_land(region, sites, distance)
    no_data_proj = fields.pop("no_data_proj")
    cell_ll = fields["geometry"]
    if "cell_a" in fields:  # the builder needed the adjacency already
        cell_a, cell_b = fields.pop("cell_a"), fields.pop("cell_b")
        segments, segment_edge = fields.pop("segments"), fields.pop("segment_edge")
    else:
        cell_a, cell_b, segments, segment_edge = shared_edges(cell_ll)
    no_data = valid(np.array([transform(no_data_proj, region.back)]))[0]
    arrays = dict(
        fields, cell_a=cell_a, cell_b=cell_b, segments=segments, segment_edge=segment_edge
    )
    for array in arrays.values():
        array.flags.writeable = False
    return Cells(
        **arrays,
        place_ids=ids,
        boundary=region.lonlat(),
        boundary_km2=region.km2,
        no_data=no_data,
        no_data_km2=float(shapely.area(no_data_proj)) / 1e6,
        left_out=pd.Index(ids[sites.left_out], name=PLACE_ID),
        crs=region.crs,
        polygon_ids=pd.Index(ids[poly_pos], name=PLACE_ID),
        max_distance_km=distance,
        warning=sites.warning,
        zone_dates=zone_dates,
    )


def warn_left_out(built: Cells, *, about: object) -> None:
    """Give the warning naming the places left out, at the user's call, once per ``about``
    (the conflict or places table the cells were built for)."""
    if built.warning:
        warn_once(built.warning, DataWarning, about=about)
