"""The region land is built in: the boundary in an equal-area projection, and the sites.

Shared by the two builders of the land structure (:mod:`geoconflict._voronoi` for point
places, :mod:`geoconflict._units` for polygon places): both project the boundary the same way,
keep the places inside it (within a tolerance) and name the ones they leave out.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj
import shapely

from .._proj import transform_xy
from .._warn import user_stacklevel
from ..errors import BoundaryError, DataWarning
from ._geometry import densify, equal_area, polygonal, transform, valid

__all__ = [
    "QUAD_SEGS",
    "SEGMENT_DEG",
    "Region",
    "Sites",
    "find_sites",
    "left_out_message",
    "project_region",
]

QUAD_SEGS = 16  # a disk is a 64-gon
SEGMENT_DEG = 0.05  # edges are densified to this step before projection
_MAX_NAMED = 10


@dataclass(frozen=True)
class Region:
    """The boundary in the projection (``area``, prepared) and the projection itself."""

    area: shapely.Geometry
    crs: str
    forward: pyproj.Transformer
    back: pyproj.Transformer

    @property
    def km2(self) -> float:
        return float(shapely.area(self.area)) / 1e6

    def lonlat(self) -> shapely.Geometry:
        """The boundary back in lon/lat, with the vertices the cells have."""
        return valid(np.array([transform(self.area, self.back)]))[0]


def project_region(
    boundary: shapely.Geometry | str,
    lon: np.ndarray,
    lat: np.ndarray,
    extra: np.ndarray | None = None,
) -> Region:
    """The boundary projected to an equal-area CRS centred on it.

    ``"hull"`` is the convex hull of the points (and of the ``extra`` geometries, lon/lat),
    widened by a tenth of its extent and at least 10 km.
    """
    if isinstance(boundary, str):  # "hull"
        xs, ys = lon, lat
        if extra is not None and extra.size:
            xy = shapely.get_coordinates(extra)
            xs, ys = np.r_[lon, xy[:, 0]], np.r_[lat, xy[:, 1]]
        if _across_180(xs):
            raise BoundaryError(
                "the places lie on both sides of longitude 180: their hull cannot be "
                "drawn across it. Fix: pass the boundary of the land (cut at 180, as "
                "GeoJSON gives it: the territories on each side are right, but no front "
                "across 180 is found)."
            )
        lon0 = float(np.nanmin(xs) + np.nanmax(xs)) / 2
        lat0 = float(np.nanmin(ys) + np.nanmax(ys)) / 2
        crs, forward, back = equal_area(round(lon0, 6), round(lat0, 6))
        px, py = transform_xy(forward, xs, ys)
        ok = np.isfinite(px) & np.isfinite(py)
        hull = shapely.convex_hull(shapely.multipoints(np.column_stack([px[ok], py[ok]])))
        x0, y0, x1, y1 = hull.bounds
        pad = max(0.1 * max(x1 - x0, y1 - y0), 10_000.0)
        area = shapely.buffer(hull, pad, quad_segs=QUAD_SEGS)
    else:  # densified as the polygon places are, so shared edges keep every vertex
        if _cut_at_180(boundary):
            warnings.warn(
                "the boundary is cut at longitude 180 (land on both sides of it): its two "
                "sides are not joined, so no front across 180 is drawn or measured; the "
                "territories on each side are right.",
                DataWarning,
                stacklevel=user_stacklevel(),
            )
        dense = (
            densify(np.array([boundary]), SEGMENT_DEG)[0]
            if extra is not None and extra.size
            else shapely.segmentize(boundary, SEGMENT_DEG)
        )
        centre = shapely.centroid(dense)
        crs, forward, back = equal_area(round(centre.x, 6), round(centre.y, 6))
        area = transform(dense, forward)
        if not shapely.is_valid(area):
            area = polygonal(np.array([shapely.make_valid(area)]))[0]
    shapely.prepare(area)
    return Region(area=area, crs=crs, forward=forward, back=back)


def _across_180(lon: np.ndarray) -> bool:
    """Whether longitudes lie on both sides of 180: they span less taken from 0 to 360
    than from -180 to 180."""
    lon = lon[np.isfinite(lon)]
    if lon.size == 0:
        return False
    east = np.mod(lon, 360.0)
    return bool(east.max() - east.min() < lon.max() - lon.min())


def _cut_at_180(boundary: shapely.Geometry) -> bool:
    """Whether the boundary has parts reaching 180 and others reaching -180 (land cut
    at the antimeridian), none of them spanning the globe."""
    bounds = shapely.bounds(shapely.get_parts(boundary))
    east = np.isclose(bounds[:, 2], 180.0, rtol=0, atol=1e-9)
    west = np.isclose(bounds[:, 0], -180.0, rtol=0, atol=1e-9)
    return bool(east.any() and west.any() and not (east & west).any())


@dataclass(frozen=True)
class Sites:
    """The distinct points of the places inside the region.

    ``xy`` (projected) and ``lonlat`` of each site; ``of_place``: the site of each place
    (``-1``: not a point place, or outside); ``count``: places per site; ``left_out``:
    positions of point places outside the region.
    """

    xy: np.ndarray
    lonlat: np.ndarray
    of_place: np.ndarray
    count: np.ndarray
    left_out: np.ndarray
    warning: str


def find_sites(
    ids: pd.Index,
    lon: np.ndarray,
    lat: np.ndarray,
    region: Region,
    *,
    tolerance_km: float,
    use: np.ndarray | None = None,
    left_out_polygons: np.ndarray | None = None,
) -> Sites:
    """The sites of the places ``use`` (default: all) that lie in the region.

    Raises
    ------
    BoundaryError
        When no place lies inside the region.
    """
    use = np.ones(ids.size, dtype=bool) if use is None else use
    px, py = transform_xy(region.forward, lon, lat)
    inside = use & shapely.intersects_xy(region.area, px, py)
    if tolerance_km > 0 and not inside[use].all():
        near = np.flatnonzero(use & ~inside)
        inside[near] = shapely.dwithin(
            region.area, shapely.points(px[near], py[near]), tolerance_km * 1000.0
        )
    polygons_in = 0 if left_out_polygons is None else int((~use).sum() - left_out_polygons.size)
    if not inside.any() and polygons_in == 0:
        swapped = _swapped_inside(region, lon, lat)
        hint = (
            " With longitude and latitude swapped they would lie inside: swap the coordinates."
            if swapped.any()
            else ""
        )
        raise BoundaryError(
            f"none of the {ids.size} places lies inside the boundary "
            f"(e.g. {_name_places(ids, lon, lat, np.arange(min(3, ids.size)))})."
            f"{hint} Fix: pass the boundary of the area the places are in, or "
            "boundary='hull'."
        )
    left_out = np.flatnonzero(use & ~inside)
    if left_out_polygons is not None:
        left_out = np.sort(np.r_[left_out, left_out_polygons]).astype(np.int64)
    swapped_out = _swapped_inside(region, lon[left_out], lat[left_out])
    codes, uniques = pd.factorize(lon[inside] + 1j * lat[inside])
    first = np.full(uniques.size, -1)
    first[codes[::-1]] = np.arange(codes.size)[::-1]
    inside_pos = np.flatnonzero(inside)
    xy = np.column_stack([px[inside_pos[first]], py[inside_pos[first]]])
    of_place = np.full(ids.size, -1, dtype=np.int64)
    of_place[inside] = codes
    return Sites(
        xy=xy,
        lonlat=np.column_stack([np.real(uniques), np.imag(uniques)]),
        of_place=of_place,
        count=np.bincount(codes, minlength=uniques.size),
        left_out=left_out,
        warning=left_out_message(ids, left_out, swapped_out, lon, lat),
    )


def left_out_message(
    ids: pd.Index, left_out: np.ndarray, swapped: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> str:
    """The warning naming the places outside the boundary (empty when there are none)."""
    if left_out.size:
        named = _name_places(ids, lon, lat, left_out[:_MAX_NAMED])
        more = f" and {left_out.size - _MAX_NAMED} more" if left_out.size > _MAX_NAMED else ""
        hint = ""
        if swapped.any():
            flipped = ", ".join(repr(str(i)) for i in ids[left_out[swapped]][:_MAX_NAMED])
            hint = (
                f" With longitude and latitude swapped, {flipped} would lie inside: check "
                "that lon and lat are not exchanged."
            )
        return (
            f"{left_out.size} place(s) lie outside the boundary and are left out of "
            f"territories and frontlines: {named}{more}.{hint} Fix: correct their "
            "coordinates, or pass a boundary that contains them (or boundary='hull')."
        )
    return ""


def _name_places(ids: pd.Index, lon: np.ndarray, lat: np.ndarray, positions: np.ndarray) -> str:
    return ", ".join(f"{str(ids[p])!r} ({lon[p]:.4f}, {lat[p]:.4f})" for p in positions)


def _swapped_inside(region: Region, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    ok = (np.abs(lon) <= 90) & np.isfinite(lon) & np.isfinite(lat)
    out = np.zeros(lon.shape, dtype=bool)
    if ok.any():
        sx, sy = transform_xy(region.forward, lat[ok], lon[ok])
        out[ok] = shapely.covers(region.area, shapely.points(sx, sy))
    return out
