"""Checks of polygon places as a coverage: overlaps, gaps and slivers.

Admin layers from the wild rarely tile perfectly: neighbours overlap a little, leave thin gaps,
or one polygon is drawn twice. Territories need to know which polygon holds which land, so the
polygon places are checked once, when the land is built:

- two polygons of the same level that overlap by more than 1% of the smaller one are an error
  naming both and the overlap's area (polygons of different levels may overlap: the finer one
  wins; without a ``level`` column, a polygon lying within another counts as finer);
- smaller overlaps (slivers) and holes inside a level's polygons (gaps) are a
  :class:`~geoconflict.errors.DataWarning` with their total area and where the largest is.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyproj
import shapely

from .._inputs import places_input
from .._kinds import is_polygonal
from ..errors import CoverageError, DataWarning
from ._geometry import dissolve, equal_area, transform

__all__ = ["LEVEL", "check_coverage", "projected_coverage"]

#: The optional places column giving each polygon place's level (``admin3``, ``zone`` ...).
LEVEL = "level"
_OVERLAP_SHARE = 0.01  # an overlap above this share of the smaller polygon is an error
_NESTED_SHARE = 0.99  # a polygon this much inside another is nested in it
_MAX_LISTED = 5


def check_coverage(places: pd.DataFrame, *, warn: bool = True) -> pd.DataFrame:
    """Find overlaps, slivers and gaps among the polygon places.

    Parameters
    ----------
    places : GeoDataFrame
        Indexed by ``place_id`` (EPSG:4326); point places are ignored. An optional
        ``level`` column groups the polygons (overlaps are only looked for within a level).
    warn : bool, default True
        Give a :class:`~geoconflict.errors.DataWarning` for slivers and gaps.

    Returns
    -------
    DataFrame
        One row per finding: ``kind`` (``overlap``, ``sliver`` or ``gap``), ``place_a``,
        ``place_b`` (missing for gaps), ``level``, ``area_km2``, ``lon``, ``lat`` (a point
        inside it).

    Raises
    ------
    CoverageError
        When two polygons of one level overlap by more than 1% of the smaller one.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict import make_places
    >>> p = make_places(["w", "e"], ["West", "East"], [0.0, 0.0], [0.0, 0.0])
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.box(0.5, 0, 1.5, 1)], crs=4326)
    >>> check_coverage(p)
    Traceback (most recent call last):
    ...
    geoconflict.errors.CoverageError: polygon places 'w' and 'e' overlap by 6,154 km² ...
    """
    places = places_input(places, function="check_coverage")
    geoms = places.geometry.to_numpy()
    is_polygon = is_polygonal(geoms)
    found = _empty()
    if is_polygon.sum() < 1:
        return found
    ids = places.index.astype(str).to_numpy()[is_polygon]
    geoms = geoms[is_polygon]
    levels = (
        places[LEVEL].astype("string").fillna("").to_numpy()[is_polygon]
        if LEVEL in places.columns
        else None
    )
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    centre = shapely.Point((x0 + x1) / 2, (y0 + y1) / 2)
    _, forward, back = equal_area(round(centre.x, 6), round(centre.y, 6))
    proj = transform(shapely.make_valid(geoms), forward)
    return projected_coverage(ids, proj, levels, back, warn=warn, stacklevel=3)


def projected_coverage(
    ids: np.ndarray,
    proj: np.ndarray,
    levels: np.ndarray | None,
    back: pyproj.Transformer,
    *,
    warn: bool,
    stacklevel: int,
) -> pd.DataFrame:
    """:func:`check_coverage` of polygons already valid in an equal-area projection (as the
    cells' builder has them), ``back`` turning it into lon/lat."""
    frames = [_overlaps(ids, proj, levels, back)]
    for level in [None] if levels is None else np.unique(levels):
        mine = np.ones(ids.size, bool) if level is None else levels == level
        frames.append(_gaps(proj[mine], level, back))
    found = pd.concat([f for f in frames if len(f)] or [_empty()], ignore_index=True)
    overlaps = found[found["kind"] == "overlap"]
    if len(overlaps):
        raise CoverageError(_overlap_message(overlaps))
    if warn and len(found):
        warnings.warn(_warning(found), DataWarning, stacklevel=stacklevel)
    return found


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": pd.Series(dtype="string"),
            "place_a": pd.Series(dtype="string"),
            "place_b": pd.Series(dtype="string"),
            LEVEL: pd.Series(dtype="string"),
            "area_km2": pd.Series(dtype=float),
            "lon": pd.Series(dtype=float),
            "lat": pd.Series(dtype=float),
        }
    )


def _overlaps(
    ids: np.ndarray, proj: np.ndarray, levels: np.ndarray | None, back: pyproj.Transformer
) -> pd.DataFrame:
    tree = shapely.STRtree(proj)
    a, b = tree.query(proj, predicate="intersects")
    keep = a < b
    if levels is not None:
        keep &= levels[a] == levels[b]
        for level in np.unique(levels):  # a clean coverage has no overlap: no pair to measure
            mine = levels == level
            if shapely.coverage_is_valid(proj[mine]):
                keep &= ~mine[a]
    elif shapely.coverage_is_valid(proj):
        keep[:] = False
    a, b = a[keep], b[keep]
    if a.size == 0:
        return _empty()
    inter = shapely.intersection(proj[a], proj[b])
    area = shapely.area(inter)
    smaller = np.minimum(shapely.area(proj[a]), shapely.area(proj[b]))
    real = area > 0
    if levels is None:  # one polygon inside another is nesting, not an overlap
        real &= area < _NESTED_SHARE * smaller
    a, b, inter, area, smaller = a[real], b[real], inter[real], area[real], smaller[real]
    if a.size == 0:
        return _empty()
    kind = np.where(area > _OVERLAP_SHARE * smaller, "overlap", "sliver")
    where = shapely.get_coordinates(transform(shapely.point_on_surface(inter), back))
    return pd.DataFrame(
        {
            "kind": pd.array(kind, dtype="string"),
            "place_a": pd.array(ids[a], dtype="string"),
            "place_b": pd.array(ids[b], dtype="string"),
            LEVEL: pd.array(levels[a] if levels is not None else [pd.NA] * a.size, dtype="string"),
            "area_km2": area / 1e6,
            "lon": where[:, 0],
            "lat": where[:, 1],
        }
    )


def _gaps(proj: np.ndarray, level: str | None, back: pyproj.Transformer) -> pd.DataFrame:
    union = dissolve(proj)
    holes = shapely.get_parts(shapely.get_rings(shapely.get_parts(union)))
    holes = holes[shapely.get_num_coordinates(holes) > 0]
    exterior = shapely.get_parts(shapely.get_exterior_ring(shapely.get_parts(union)))
    holes = holes[~np.isin(shapely.to_wkb(holes), shapely.to_wkb(exterior))]
    if holes.size == 0:
        return _empty()
    gaps = shapely.polygons(holes)
    area = shapely.area(gaps)
    where = shapely.get_coordinates(transform(shapely.point_on_surface(gaps), back))
    return pd.DataFrame(
        {
            "kind": pd.array(["gap"] * gaps.size, dtype="string"),
            "place_a": pd.array([pd.NA] * gaps.size, dtype="string"),
            "place_b": pd.array([pd.NA] * gaps.size, dtype="string"),
            LEVEL: pd.array([level or pd.NA] * gaps.size, dtype="string"),
            "area_km2": area / 1e6,
            "lon": where[:, 0],
            "lat": where[:, 1],
        }
    )


def _overlap_message(overlaps: pd.DataFrame) -> str:
    worst = overlaps.sort_values("area_km2", ascending=False)
    shown = "; ".join(
        f"{a!r} and {b!r} overlap by {km2:,.0f} km² (near {_deg(lon)}, {_deg(lat)})"
        for a, b, km2, lon, lat in worst[["place_a", "place_b", "area_km2", "lon", "lat"]]
        .head(_MAX_LISTED)
        .itertuples(index=False)
    )
    more = f" and {len(worst) - _MAX_LISTED} more pairs" if len(worst) > _MAX_LISTED else ""
    return (
        f"polygon places {shown}{more}. Land can have only one holder per level. "
        "Fix: correct the polygons (e.g. shapely.coverage_simplify or a GIS's topology "
        "tools), or give the places a 'level' column when one is meant to lie over the "
        "other (a zone over admin units): the finer one then wins."
    )


def _warning(found: pd.DataFrame) -> str:
    parts = []
    for kind, words in (("sliver", "slivers (small overlaps)"), ("gap", "gaps")):
        mine = found[found["kind"] == kind]
        if len(mine):
            big = mine.loc[mine["area_km2"].idxmax()]
            parts.append(
                f"{len(mine)} {words} between polygon places, "
                f"{mine['area_km2'].sum():,.2f} km² in all; the largest, "
                f"{big['area_km2']:,.2f} km², near "
                f"({_deg(big['lon'])}, {_deg(big['lat'])})"
            )
    return (
        "; ".join(parts) + ". Overlaps go to the smaller polygon, gaps are unknown land. "
        "Fix: geoconflict.check_coverage(places) lists them all; repair the layer if they "
        "matter (e.g. shapely.coverage_simplify)."
    )


def _deg(value: float) -> str:
    """Degrees to 4 decimals, without a minus sign on zero."""
    return f"{round(float(value), 4) + 0.0:.4f}"
