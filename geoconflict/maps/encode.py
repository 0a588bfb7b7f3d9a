"""Compact geometry for the page: integer coordinates on a grid, delta-encoded, flat.

Polygons and lines travel as one flat list of integers (x, y in units of ``grid`` degrees,
each vertex as the difference from the one before it in its ring or line, the first vertex
of each ring or line as it is) plus offset arrays, built in one vectorised pass with
``shapely.to_ragged_array``. Two pieces of land that share a border share its vertices
exactly after rounding, and the text is a fraction of the size of GeoJSON with fixed decimals.
The page's ``geoconflict.decodePolygons`` / ``decodeLines`` turn it back into Leaflet latlngs.
"""

from __future__ import annotations

import numpy as np
import shapely

from .._kinds import POLYGONAL, is_polygonal

__all__ = ["GRID", "encode_lines", "encode_polygons"]

#: The grid (degrees) land, edges and outlines are rounded to (about 11 m north-south).
GRID = 1e-4

_LINEAR = (1, 2, 5)


def _usable(geoms: object, kinds: tuple[int, ...], empty: shapely.Geometry) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object).ravel()
    out = geoms.copy()
    missing = shapely.is_missing(geoms)
    out[missing] = empty
    bad = ~np.isin(shapely.get_type_id(out), kinds) | shapely.is_empty(out)
    if bad.any():  # keep the polygonal / linear parts of collections, drop the rest
        parts = [
            shapely.union_all([p for p in shapely.get_parts(g) if shapely.get_type_id(p) in kinds])
            if g is not None
            else empty
            for g in out[bad]
        ]
        out[bad] = [
            p if (shapely.get_type_id(p) in kinds and not p.is_empty) else empty for p in parts
        ]
    return out


def _deltas(coords: np.ndarray, starts: np.ndarray, grid: float) -> list[int]:
    q = np.round(coords[:, :2] / grid).astype(np.int64)
    d = q.copy()
    d[1:] -= q[:-1]
    d[starts] = q[starts]
    return d.ravel().tolist()


def encode_polygons(geoms: object, grid: float = GRID) -> dict:
    """(Multi)Polygons as ``{"grid", "xy", "rings", "polys", "geoms"}``.

    Geometry ``i`` is polygons ``geoms[i]:geoms[i+1]``; polygon ``p`` is rings
    ``polys[p]:polys[p+1]`` (its shell first); ring ``r`` is vertices
    ``rings[r]:rings[r+1]`` of ``xy`` (pairs). Missing or empty geometries have no polygons.

    Examples
    --------
    >>> e = encode_polygons([shapely.box(0, 0, 0.001, 0.002), None])
    >>> e["xy"], e["rings"], e["polys"], e["geoms"]
    ([10, 0, 0, 20, -10, 0, 0, -20, 10, 0], [0, 5], [0, 1], [0, 1, 1])
    """
    geoms = _usable(geoms, POLYGONAL, shapely.MultiPolygon())
    if not len(geoms) or shapely.is_empty(geoms).all():
        return {
            "grid": grid,
            "xy": [],
            "rings": [0],
            "polys": [0],
            "geoms": [0] * (len(geoms) + 1),
        }
    # empty geometries would make to_ragged_array reject the mix: encode the others
    full = ~shapely.is_empty(geoms)
    kind, coords, offsets = shapely.to_ragged_array(geoms[full])
    if len(offsets) == 2:  # all Polygons: one polygon per geometry
        rings, polys = offsets
        per_geom = np.arange(len(polys))
    else:
        rings, polys, per_geom = offsets
    counts = np.zeros(len(geoms), dtype=np.int64)
    counts[full] = np.diff(per_geom)
    return {
        "grid": grid,
        "xy": _deltas(coords, rings[:-1], grid),
        "rings": rings.tolist(),
        "polys": polys.tolist(),
        "geoms": np.r_[0, np.cumsum(counts)].tolist(),
    }


def encode_lines(geoms: object, grid: float = GRID) -> dict:
    """(Multi)LineStrings as ``{"grid", "xy", "lines", "geoms"}`` (see
    :func:`encode_polygons`; polygons given here are drawn as their boundary).

    Examples
    --------
    >>> e = encode_lines([shapely.LineString([(0, 0), (0.001, 0.001), (0.002, 0.001)])])
    >>> e["xy"], e["lines"], e["geoms"]
    ([0, 0, 10, 10, 10, 0], [0, 3], [0, 1])
    """
    geoms = np.asarray(geoms, dtype=object).ravel()
    polygonal = is_polygonal(geoms)
    if polygonal.any():
        geoms = geoms.copy()
        geoms[polygonal] = shapely.boundary(geoms[polygonal])
    geoms = _usable(geoms, _LINEAR, shapely.MultiLineString())
    full = ~shapely.is_empty(geoms)
    if not full.any():
        return {"grid": grid, "xy": [], "lines": [0], "geoms": [0] * (len(geoms) + 1)}
    # LinearRings become LineStrings so to_ragged_array sees one kind
    rings = shapely.get_type_id(geoms) == 2
    geoms[rings] = (
        shapely.linestrings([shapely.get_coordinates(g) for g in geoms[rings]])
        if rings.any()
        else geoms[rings]
    )
    kind, coords, offsets = shapely.to_ragged_array(geoms[full])
    if len(offsets) == 1:
        lines = offsets[0]
        per_geom = np.arange(len(lines))
    else:
        lines, per_geom = offsets
    counts = np.zeros(len(geoms), dtype=np.int64)
    counts[full] = np.diff(per_geom)
    return {
        "grid": grid,
        "xy": _deltas(coords, lines[:-1], grid),
        "lines": lines.tolist(),
        "geoms": np.r_[0, np.cumsum(counts)].tolist(),
    }
