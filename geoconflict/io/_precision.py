"""The coordinates the text formats carry: 6 decimals of a degree, and still valid.

The folder format (``places.csv``'s ``wkt``, ``boundary.geojson``, ``context.geojson``) and
GeoJSON write lon/lat at :data:`DECIMALS` decimals (about 0.1 m on the ground). Rounding each
coordinate on its own can make a valid polygon invalid: two edges a few centimetres apart
may cross once their vertices move to the grid, as on the OCHA COD-AB outline of Sudan near
38.567 E, 18.001 N. The reader would then refuse the file its own writer wrote.

:func:`on_grid` rounds every coordinate the way the text is written (so the file reads back
to exactly these numbers) and, only for the geometries that rounding breaks, snaps the
original to the same grid with :func:`shapely.set_precision`, whose output is valid: crossing
edges are noded, parts narrower than the grid are dropped. All others keep their vertices
in their order, so files written before read and write back to the same bytes.

GeoPackage and GeoParquet keep full double precision (no rounding).
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["DECIMALS", "on_grid"]

#: Decimals of a degree written in the text formats (1e-6 degree is about 0.11 m).
DECIMALS = 6


def on_grid(geoms: np.ndarray, *, decimals: int = DECIMALS) -> tuple[np.ndarray, np.ndarray]:
    """Geometries at ``decimals`` decimals, valid wherever the originals are.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries (or None)
        In the coordinates that will be written (lon/lat).
    decimals : int
        Decimals kept.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray of bool)
        The rounded geometries, and which of them collapsed: valid and not empty before,
        but narrower than the grid everywhere, so nothing is left (they come back empty).

    Examples
    --------
    A quadrilateral a few tenths of a micro-degree across: rounded vertex by vertex it
    becomes a bow tie; snapped, a valid triangle on the grid:

    >>> import numpy as np, shapely
    >>> p = shapely.Polygon([(38.5670026, 18.0000013), (38.5670008, 18.0000024),
    ...                      (38.5670007, 18.0000012), (38.5670018, 18.0000016)])
    >>> naive = shapely.transform(p, lambda xy: np.round(xy, 6))
    >>> bool(p.is_valid), bool(naive.is_valid)
    (True, False)
    >>> out, collapsed = on_grid(np.array([p]))
    >>> bool(out[0].is_valid), collapsed.tolist()
    (True, [False])
    >>> print(shapely.to_wkt(out[0], rounding_precision=6))
    POLYGON ((38.567001 18.000001, 38.567001 18.000002, 38.567002 18.000002, 38.567001 18.000001))
    >>> on_grid(np.array([shapely.box(0, 0, 1e-7, 1e-7)]))[1].tolist()
    [True]
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    collapsed = np.zeros(geoms.shape, dtype=bool)
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return out, collapsed
    given = geoms[present]
    rounded = shapely.transform(given, lambda xy: np.round(xy, decimals))
    broken = shapely.is_valid(given) & ~shapely.is_valid(rounded)
    if broken.any():
        with np.errstate(divide="ignore", invalid="ignore"):  # GEOS on subnormal numbers
            rounded[broken] = shapely.set_precision(given[broken], 10.0**-decimals)
    out[present] = rounded
    collapsed[present] = ~shapely.is_empty(given) & shapely.is_empty(rounded)
    return out, collapsed
