"""Frontlines: where the land of two holders meets at a date.

The shared edges of the cells (:attr:`Cells.segments`) whose two cells have different holders,
neither unknown, merged into one line per pair of holders.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._inputs import conflict_input
from .._time import to_timestamp
from .._types import ConflictLike
from ._frames import pair_frame
from ._geometry import merge_lines
from ._holders import UNKNOWN_CODE, holder_names, holders_at
from ._land import land_cells
from ._setting import land_setting

__all__ = ["frontlines"]


def frontlines(
    conflict: ConflictLike,
    when: object,
    *,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
) -> gpd.GeoDataFrame:
    """Lines where the land of two actors meets at a date (not the outer border).

    Parameters
    ----------
    conflict : Conflict
    when : date
    max_distance_km, boundary
        The land setting, as for :func:`territories` (``method`` and ``radius_km`` are
        its deprecated spellings).
    method, radius_km
        Deprecated.

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
    conflict_input(conflict, function="frontlines")
    setting = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    date = pd.DatetimeIndex([to_timestamp(when)])
    built = land_cells(conflict, setting, dates=date)
    codes = holders_at(conflict, built, date)[:, 0]
    names = holder_names(conflict)
    la, lb = codes[built.cell_a], codes[built.cell_b]
    front = (la != lb) & (la != UNKNOWN_CODE) & (lb != UNKNOWN_CODE)
    rows = []
    if front.any():
        text = np.asarray(names, dtype=object)
        name_a, name_b = text[la[front]], text[lb[front]]
        low = np.where(name_a < name_b, name_a, name_b)
        high = np.where(name_a < name_b, name_b, name_a)
        pairs, pair_of = np.unique(low + "\x1f" + high, return_inverse=True)
        km = np.bincount(pair_of, weights=built.lengths_of(front)[front], minlength=pairs.size)
        edge_pair = np.full(built.cell_a.size, -1)
        edge_pair[front] = pair_of
        seg_pair = edge_pair[built.segment_edge]
        keep = seg_pair >= 0
        order = np.argsort(seg_pair[keep], kind="stable")
        lines = merge_lines(built.segments[keep][order], seg_pair[keep][order], pairs.size)
        for i, pair in enumerate(pairs):  # a loop over actor pairs, not edges
            a, b = pair.split("\x1f")
            rows.append((a, b, lines[i], float(km[i])))
    return pair_frame(rows, ("actor_a", "actor_b", "length_km"))
