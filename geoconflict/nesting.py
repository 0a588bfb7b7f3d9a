"""Places inside polygon places, and the state a place without a record of its own takes.

A town with no control record of its own lies in a sub-district that has one: the town is then
shown as held by the sub-district's holder (the smallest polygon place around it that has a
state wins), and says where the state came from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ._proj import to_crs
from ._schema import ACTOR_ID, CONTESTED_BY, CRS, STATUS

__all__ = ["STATE_FROM", "containing_polygons", "inherit_states"]

#: The column naming the polygon place a place took its state from.
STATE_FROM = "state_from"
_POLYGON_TYPES = (3, 6)


def containing_polygons(places: pd.DataFrame) -> pd.DataFrame:
    """The polygon places around each point place, smallest first.

    Parameters
    ----------
    places : GeoDataFrame
        Indexed by ``place_id``.

    Returns
    -------
    DataFrame
        One row per (point place, polygon place containing it): ``place_id``,
        ``polygon_id``, ``rank`` (0 for the smallest polygon around the place).

    Examples
    --------
    >>> import shapely
    >>> from geoconflict import make_places
    >>> p = make_places(["unit", "town"], ["Unit", "Town"], [0.0, 0.5], [0.0, 0.5])
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.Point(0.5, 0.5)], crs=4326)
    >>> containing_polygons(p).values.tolist()
    [['town', 'unit', 0]]
    """
    geoms = places.geometry.to_numpy()
    if places.crs is not None and not places.crs.equals(CRS):
        geoms = to_crs(places.geometry, CRS).to_numpy()
    is_polygon = np.isin(shapely.get_type_id(geoms), _POLYGON_TYPES)
    polygons = np.flatnonzero(is_polygon)
    points = np.flatnonzero(~is_polygon & ~shapely.is_missing(geoms))
    if polygons.size == 0 or points.size == 0:
        return pd.DataFrame(
            {
                "place_id": pd.Series(dtype="string"),
                "polygon_id": pd.Series(dtype="string"),
                "rank": pd.Series(dtype=np.int64),
            }
        )
    tree = shapely.STRtree(geoms[polygons])
    at, poly = tree.query(geoms[points], predicate="intersects")
    area = shapely.area(geoms[polygons])
    order = np.lexsort((area[poly], at))
    at, poly = at[order], poly[order]
    start = np.r_[0, np.flatnonzero(at[1:] != at[:-1]) + 1] if at.size else at
    rank = np.arange(at.size) - np.repeat(start, np.diff(np.r_[start, at.size]))
    ids = places.index.astype(str).to_numpy()
    return pd.DataFrame(
        {
            "place_id": pd.array(ids[points[at]], dtype="string"),
            "polygon_id": pd.array(ids[polygons[poly]], dtype="string"),
            "rank": rank.astype(np.int64),
        }
    )


def inherit_states(held: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """``held`` with each point place that has no state taking its polygon's.

    Parameters
    ----------
    held : DataFrame
        :func:`geoconflict.control_at` at one date, for every place (indexed by
        ``place_id``).
    places : GeoDataFrame
        The places, indexed by ``place_id``.

    Returns
    -------
    DataFrame
        A copy of ``held`` where a point place with no record in force takes the
        ``actor_id``, ``status``, ``contested_by`` and ``since`` of the smallest polygon
        place around it that has one; the column ``state_from`` names that polygon place
        (missing where the state is the place's own, or there is none).

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> from geoconflict import control_at, make_places
    >>> p = make_places(["unit", "town"], ["Unit", "Town"], [0.0, 0.5], [0.0, 0.5])
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.Point(0.5, 0.5)], crs=4326)
    >>> control = pd.DataFrame({"place_id": ["unit"], "actor_id": ["red"],
    ...                         "date": pd.to_datetime(["2024-01-01"])})
    >>> out = inherit_states(control_at(control, "2024-01-02", places=p), p)
    >>> out[["actor_id", "state_from"]].values.tolist()
    [['red', <NA>], ['red', 'unit']]
    """
    out = held.copy()
    out[STATE_FROM] = pd.Series(pd.NA, index=out.index, dtype="string")
    pairs = containing_polygons(places)
    if pairs.empty:
        return out
    actor = out[ACTOR_ID]
    lacking = actor.isna().reindex(pairs["place_id"]).to_numpy()
    stated = actor.notna().reindex(pairs["polygon_id"]).fillna(False).to_numpy(dtype=bool)
    pairs = pairs[lacking & stated]
    if pairs.empty:
        return out
    first = pairs.drop_duplicates("place_id")  # sorted by rank: the smallest polygon
    target = pd.Index(first["place_id"])
    source = pd.Index(first["polygon_id"])
    for column in (ACTOR_ID, STATUS, CONTESTED_BY, "since"):
        if column in out.columns:
            values = out[column].reindex(source).to_numpy()
            out.loc[target, column] = values
    out.loc[target, STATE_FROM] = source.to_numpy()
    return out
