"""Land from polygon places (admin units, declared zones) and the point places among them.

The rule, for one date (holders are given per date in :mod:`._holders`; the geometry
here does not depend on dates):

- a polygon place with a state holds its polygon, minus the parts held by finer (smaller,
  on the ground; of two equal ones, the one listed first) polygon places that have a state
  of their own;
- where no polygon covering the land has a state, the point places inside the finest of those
  polygons that has any share it by Voronoi regions confined to it, so a town never paints land
  across an admin line;
- land outside every polygon place goes to the Voronoi regions of the point places outside them,
  as for point data alone (cut to the maximum distance, if one is given);
- the rest is ``unknown``: nobody's data covers it (with polygon places, land beyond the
  maximum distance is unknown too). Only thin slivers (under 100 m wide) between the
  polygons and a boundary drawn apart from them are left out, as ``no_data``.

So the land is cut once into *cells*. First the *faces*: the parts of the land covered by
the same polygons (the polygons' arrangement; each face with the polygons covering it,
finest first: its *chain*). Then each face that towns share is cut by the Voronoi regions of
those towns' *sites* (their distinct points); a face nobody's town shares stays whole. The
cut faces (*parts*) are noded together once, so neighbours share their vertices and the
frontlines are exact shared edges: the results are the cells. Each cell keeps its chain and
its site (``-1`` when none); the holder of a cell on a date is then a walk down the chains
in array form.
"""

from __future__ import annotations

import numpy as np
import shapely

from .._kinds import is_polygonal
from ._geometry import clip, dissolve, polygonal, transform, valid
from ._nesting import NEAR_M, containing
from ._point_land import reach, voronoi_cells
from ._sites import Region, Sites

__all__ = ["polygon_land"]

_GLOBAL = -2  # fallback of a face outside every polygon: the points outside them
_NONE = -1  # fallback of a face in polygons that hold no point
_SLIVER_M = 100.0  # land narrower than this between polygons and the outline is left out
_GRID_M = 0.001  # the linework is noded on a millimetre grid
_SNAP_M = 1e-6  # a vertex this close to a neighbour's border lies on it (rounding apart)


def polygon_land(
    region: Region,
    sites: Sites,
    polygons: np.ndarray,
    distance_km: float | None,
    stated: np.ndarray | None = None,
) -> dict:
    """The fields of :class:`~geoconflict.territory.Cells` for polygon and point places.

    ``polygons`` are the polygon places in the projection, clipped to the region (none
    empty); the chains in the result index them. ``stated`` (polygons x patterns, bool)
    says which polygons have a state on the dates the cells are for, one column per distinct
    pattern: a face that on every pattern has a stated polygon in its chain is never shared
    by its towns, so it stays whole (``None``: cells for every date).
    """
    areas = shapely.area(polygons)
    faces, chain = _faces(region, polygons, areas)
    # every vertex on the noding grid: the parts noded below land on it, and a face left
    # whole must share its border with them vertex for vertex
    faces = _on_grid(faces)
    site_points = shapely.points(sites.xy) if sites.xy.size else np.empty(0, dtype=object)
    s_of, p_of = containing(site_points, polygons, near=NEAR_M)
    has_site = np.bincount(p_of, minlength=polygons.size) > 0
    outside = np.ones(sites.xy.shape[0], dtype=bool)
    outside[s_of] = False
    fallback = _fallback(chain, has_site)
    if stated is not None:  # towns share only the faces no stated polygon covers on a date
        fallback[(fallback >= 0) & _always_stated(chain, stated)] = _NONE

    voronoi, voronoi_site, voronoi_group = _group_voronoi(sites, s_of, p_of, polygons, fallback)
    if (fallback == _GLOBAL).any() and outside.any():
        out = np.flatnonzero(outside)
        covered = reach(sites.xy[out], region.area, distance_km)
        glob = clip(voronoi_cells(sites.xy[out], region.area), covered)
        voronoi = np.concatenate([voronoi, glob])
        voronoi_site = np.concatenate([voronoi_site, out])
        voronoi_group = np.concatenate([voronoi_group, np.full(out.size, _GLOBAL)])

    # parts: faces cut by the Voronoi regions of their fallback group; faces without one stay whole
    shared = np.flatnonzero(fallback != _NONE)
    face_at, voronoi_at = (
        shapely.STRtree(voronoi).query(faces[shared], predicate="intersects")
        if voronoi.size and shared.size
        else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    )
    match = voronoi_group[voronoi_at] == fallback[shared][face_at]
    face_at, voronoi_at = shared[face_at[match]], voronoi_at[match]
    cut = polygonal(shapely.intersection(voronoi[voronoi_at], faces[face_at]))
    whole = np.flatnonzero(fallback == _NONE)
    parts = np.concatenate([cut, faces[whole]])
    part_face = np.concatenate([face_at, whole])
    part_site = np.concatenate([voronoi_site[voronoi_at], np.full(whole.size, -1)])
    keep = ~shapely.is_empty(parts)
    parts, part_face, part_site = parts[keep], part_face[keep], part_site[keep]

    # node the parts together, so that neighbours share their vertices (only cutting faces
    # by Voronoi regions puts vertices on one side of a border that the other side lacks)
    cells = _node(parts, part_face, faces, face_at) if cut.size else parts
    part_at = np.arange(parts.size)
    # land no part covers (gaps between polygons, no town near) is unknown land; a thin
    # sliver between an outline and polygons drawn apart from it is left out (no data)
    gaps, gap_face = _gaps(faces, np.flatnonzero(fallback == _GLOBAL), parts, part_face)
    thin = 2 * shapely.area(gaps) < _SLIVER_M * shapely.length(gaps)
    no_data_proj = dissolve(gaps[thin]) if thin.any() else shapely.Polygon()
    gaps, gap_face = gaps[~thin], gap_face[~thin]  # their vertices are the parts' and faces'

    cells = np.concatenate([cells, gaps])
    at_point = shapely.point_on_surface(cells)
    cell_chain = chain[np.r_[part_face[part_at], gap_face].astype(np.int64)]
    cell_site = np.r_[part_site[part_at], np.full(gaps.size, -1)]

    cell_of_place = _cell_of_place(sites, cells, cell_site)
    xy = shapely.get_coordinates(transform(at_point, region.back))
    return {
        "geometry": valid(transform(cells, region.back)),
        "points": xy,
        "places": np.bincount(cell_of_place[cell_of_place >= 0], minlength=cells.size),
        "cell_of_place": cell_of_place,
        "area_km2": shapely.area(cells) / 1e6,
        "site": cell_site.astype(np.int64),
        "site_of_place": sites.of_place,
        "chain": cell_chain.astype(np.int64),
        "no_data_proj": no_data_proj,
    }


def _on_grid(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` with each vertex rounded to the millimetre grid the noding uses.

    Rounding vertex by vertex keeps the vertices neighbours share equal; the rare polygon
    that rounding makes invalid (vertices under a millimetre apart) is repaired.
    """
    if not geoms.size:
        return geoms
    out = shapely.set_precision(geoms, _GRID_M, mode="pointwise")
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = polygonal(shapely.make_valid(out[bad]))
    return out


def _faces(
    region: Region, polygons: np.ndarray, areas: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The faces of the polygons' arrangement in the region, and each face's chain.

    The chain is the (faces, depth) matrix of the polygons covering each face, smallest first,
    padded with ``-1``.
    """
    if shapely.coverage_is_valid(polygons):  # a clean coverage: the polygons are the faces
        rest = shapely.get_parts(shapely.difference(region.area, dissolve(polygons)))
        rest = rest[is_polygonal(rest) & (shapely.area(rest) > 0)]
        chain = np.r_[np.arange(polygons.size), np.full(rest.size, -1)].astype(np.int64)
        return np.concatenate([polygons, rest]), chain[:, None]
    lines = shapely.boundary(np.concatenate([polygons, [region.area]]))
    noded = shapely.union_all(lines, grid_size=_GRID_M)  # near-coincident vertices meet
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inside = shapely.point_on_surface(faces)
    keep = shapely.contains(region.area, inside)
    faces, inside = faces[keep], inside[keep]
    face_at, poly_at = shapely.STRtree(polygons).query(inside, predicate="within")
    order = np.lexsort((poly_at, areas[poly_at], face_at))  # equal areas: first listed
    face_at, poly_at = face_at[order], poly_at[order]
    counts = np.bincount(face_at, minlength=faces.size)
    depth = int(counts.max()) if counts.size else 0
    rank = np.arange(face_at.size) - np.repeat(np.cumsum(counts) - counts, counts)
    chain = np.full((faces.size, depth), -1, dtype=np.int64)
    chain[face_at, rank] = poly_at
    return faces, chain


def _fallback(chain: np.ndarray, has_site: np.ndarray) -> np.ndarray:
    """Per face: the finest polygon of its chain holding a point, else -1; -2 outside all."""
    n, depth = chain.shape
    if depth == 0:
        return np.full(n, _GLOBAL, dtype=np.int64)
    candidate = (chain >= 0) & has_site[np.maximum(chain, 0)]
    first = candidate.argmax(axis=1)
    out = np.where(candidate.any(axis=1), chain[np.arange(n), first], _NONE)
    out[chain[:, 0] < 0] = _GLOBAL
    return out.astype(np.int64)


def _always_stated(chain: np.ndarray, stated: np.ndarray) -> np.ndarray:
    """Per face: whether some polygon of its chain is stated on every pattern."""
    covered = np.zeros((chain.shape[0], stated.shape[1]), dtype=bool)
    for k in range(chain.shape[1]):  # a loop over the chain depth (a few levels)
        rows = chain[:, k] >= 0
        covered[rows] |= stated[chain[rows, k]]
    return np.asarray(covered.all(axis=1), dtype=bool)


def _group_voronoi(
    sites: Sites, s_of: np.ndarray, p_of: np.ndarray, polygons: np.ndarray, fallback: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Voronoi regions of the points of each polygon that is some face's fallback.

    One Voronoi diagram per such polygon, of the points inside it only (a loop over
    polygons, not over points or parts).
    """
    groups = np.unique(fallback[fallback >= 0])
    order = np.argsort(p_of, kind="stable")
    p_sorted, s_sorted = p_of[order], s_of[order]
    lo = np.searchsorted(p_sorted, groups, side="left")
    hi = np.searchsorted(p_sorted, groups, side="right")
    voronoi, site, group = [], [], []
    for q, a, b in zip(groups, lo, hi, strict=True):
        members = s_sorted[a:b]
        voronoi.append(voronoi_cells(sites.xy[members], polygons[q]))
        site.append(members)
        group.append(np.full(members.size, q))
    if not voronoi:
        return (np.empty(0, dtype=object), np.zeros(0, np.int64), np.zeros(0, np.int64))
    return np.concatenate(voronoi), np.concatenate(site), np.concatenate(group)


def _node(
    parts: np.ndarray, part_face: np.ndarray, faces: np.ndarray, cut_faces: np.ndarray
) -> np.ndarray:
    """The parts with every vertex of a neighbour on a shared border inserted.

    Cutting a face by Voronoi regions adds vertices where their edges meet the face's
    border; the face on the other side lacks them. Where one Voronoi edge crosses into two
    faces, each cut computes the crossing on its own and the two results may differ in the
    last bits: such twins (within a micrometre) become one vertex. Then every part whose
    border passes within a micrometre of a new vertex (it lies on that border, up to
    rounding) gets it inserted (``shapely.snap``): only the borders next to a cut are
    touched, and no old vertex moves.
    """
    cut = np.flatnonzero(np.isin(part_face, np.unique(cut_faces)))
    out = parts.copy()
    xy = shapely.get_coordinates(out[cut])
    old = shapely.get_coordinates(faces[np.unique(cut_faces)])
    key = xy[:, 0] + 1j * xy[:, 1]
    fresh = ~np.isin(key, old[:, 0] + 1j * old[:, 1])
    new, position = np.unique(key[fresh], return_inverse=True)
    if new.size == 0:
        return out
    points = shapely.points(np.column_stack([new.real, new.imag]))
    rep = _twins(points)
    if (rep != np.arange(new.size)).any():  # one vertex for each pair of twins
        key[np.flatnonzero(fresh)] = new[rep[position]]
        moved = shapely.set_coordinates(out[cut].copy(), np.column_stack([key.real, key.imag]))
        out[cut] = shapely.remove_repeated_points(moved)
        keep = np.unique(rep)
        points = points[keep]
    near, at = shapely.STRtree(points).query(
        shapely.boundary(out), predicate="dwithin", distance=_SNAP_M
    )
    if near.size == 0:
        return out
    targets, group = np.unique(near, return_inverse=True)
    refs = shapely.multipoints(points[at], indices=group)
    snapped = shapely.snap(out[targets], refs, _SNAP_M)
    bad = ~shapely.is_valid(snapped)
    if bad.any():  # pragma: no cover - inserting near-collinear vertices keeps validity
        snapped[bad] = polygonal(shapely.make_valid(snapped[bad]))
    out[targets] = snapped
    return out


def _twins(points: np.ndarray) -> np.ndarray:
    """For each point, the first of the points within :data:`_SNAP_M` of it (transitively)."""
    a, b = shapely.STRtree(points).query(points, predicate="dwithin", distance=_SNAP_M)
    rep = np.arange(points.size)
    pairs = a != b
    a, b = a[pairs], b[pairs]
    while a.size:  # a few rounds: twins come in pairs, rarely more
        low = np.minimum(rep[a], rep[b])
        before = rep.copy()
        np.minimum.at(rep, a, low)
        np.minimum.at(rep, b, low)
        if (rep == before).all():
            break
    return rep


def _gaps(
    faces: np.ndarray, open_faces: np.ndarray, parts: np.ndarray, part_face: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The parts of the faces ``open_faces`` that no part covers, and their faces.

    A loop over those faces (the land outside every polygon: usually one or a few).
    """
    out, owner = [], []
    order = np.argsort(part_face, kind="stable")
    lo = np.searchsorted(part_face[order], open_faces, side="left")
    hi = np.searchsorted(part_face[order], open_faces, side="right")
    for face, a, b in zip(open_faces, lo, hi, strict=True):
        rest = (
            faces[face] if a == b else shapely.difference(faces[face], dissolve(parts[order[a:b]]))
        )
        left = shapely.get_parts(polygonal(np.array([rest]))[0])
        left = left[shapely.area(left) > 0]
        out.append(left)
        owner.append(np.full(left.size, face))
    if not out:
        return np.empty(0, dtype=object), np.zeros(0, np.int64)
    return np.concatenate(out), np.concatenate(owner).astype(np.int64)


def _cell_of_place(sites: Sites, cells: np.ndarray, cell_site: np.ndarray) -> np.ndarray:
    """The cell holding each point place (one of its own site's where it lies on a border)."""
    out = np.full(sites.of_place.size, -1, dtype=np.int64)
    if sites.xy.shape[0] == 0 or cells.size == 0:
        return out
    s_at, c_at = shapely.STRtree(cells).query(shapely.points(sites.xy), predicate="intersects")
    own = cell_site[c_at] == s_at
    rank = np.where(own, 0, 1)
    order = np.lexsort((rank, s_at))
    s_at, c_at = s_at[order], c_at[order]
    first = np.r_[True, s_at[1:] != s_at[:-1]] if s_at.size else s_at.astype(bool)
    cell_of_site = np.full(sites.xy.shape[0], -1, dtype=np.int64)
    cell_of_site[s_at[first]] = c_at[first]
    placed = sites.of_place >= 0
    out[placed] = cell_of_site[sites.of_place[placed]]
    return out
