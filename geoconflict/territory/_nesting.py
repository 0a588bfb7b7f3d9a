"""Places inside polygon places, and the state a place without a record of its own takes.

One containment rule, used by the cells (:mod:`._polygon_land`), by the state a town
inherits (:func:`inherit_states`, :func:`places_at`) and by the maps and figures that list a
unit's towns: a point lies in every polygon it touches; a point in none (a border town a few
hundred metres outside a generalised outline) lies in the nearest polygon within
:data:`NEAR_M` metres, if any. Distances and areas are measured in an equal-area projection.

A town with no control record of its own lies in a sub-district that has one: the town is then
shown as held by the sub-district's holder (the smallest polygon place around it that has a
state wins), and says where the state came from.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._kinds import is_polygonal
from .._proj import to_crs
from .._schema import ACTOR_ID, CONTESTED_BY, CRS, STATUS
from .._time import to_timestamp
from .._types import ConflictLike
from ..control import control_at
from ._geometry import equal_area, transform

__all__ = [
    "NEAR_M",
    "STATE_FROM",
    "containing",
    "containing_polygons",
    "inherit_codes",
    "inherit_states",
    "places_at",
]

#: The column naming the polygon place a place took its state from.
STATE_FROM = "state_from"
#: A point in no polygon lies in the nearest one within this many metres.
NEAR_M = 2_000.0
_CACHE: OrderedDict[str, pd.DataFrame] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_MAX_CACHED = 8


def containing(
    points: np.ndarray, polygons: np.ndarray, *, near: float
) -> tuple[np.ndarray, np.ndarray]:
    """(point, polygon) position pairs: the polygons each point lies in, by the one rule.

    ``near`` is in the coordinates' unit (metres in a projection).
    """
    if points.size == 0 or polygons.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    tree = shapely.STRtree(polygons)
    at, poly = tree.query(points, predicate="intersects")
    alone = np.ones(points.size, dtype=bool)
    alone[at] = False
    if alone.any():
        near_at, near_poly = tree.query_nearest(points[alone], max_distance=near)
        at = np.concatenate([at, np.flatnonzero(alone)[near_at]])
        poly = np.concatenate([poly, near_poly])
    return at.astype(np.int64), poly.astype(np.int64)


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
        ``polygon_id``, ``rank`` (0 for the smallest polygon around the place, by area on
        the ground).

    Examples
    --------
    >>> import shapely
    >>> from geoconflict import make_places
    >>> p = make_places(["unit", "town"], ["Unit", "Town"], [0.0, 0.5], [0.0, 0.5])
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.Point(0.5, 0.5)], crs=4326)
    >>> containing_polygons(p).values.tolist()
    [['town', 'unit', 0]]
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.Point(1.01, 0.5)], crs=4326)
    >>> containing_polygons(p).values.tolist()  # 1.1 km outside: still in it
    [['town', 'unit', 0]]
    """
    geoms = places.geometry.to_numpy()
    if places.crs is not None and not places.crs.equals(CRS):
        geoms = to_crs(places.geometry, CRS).to_numpy()
    is_polygon = is_polygonal(geoms)
    polygons = np.flatnonzero(is_polygon)
    points = np.flatnonzero(~is_polygon & ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
    ids = places.index.astype(str).to_numpy()
    if polygons.size == 0 or points.size == 0:
        return _pairs(np.empty(0, object), np.empty(0, object), np.zeros(0, np.int64))
    key = _key(ids, geoms)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit.copy()
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    _, forward, _ = equal_area(round((x0 + x1) / 2, 6), round((y0 + y1) / 2, 6))
    shapes = transform(geoms[polygons], forward)
    at, poly = containing(transform(geoms[points], forward), shapes, near=NEAR_M)
    area = shapely.area(shapes)
    order = np.lexsort((poly, area[poly], at))  # of two equal areas, the first listed
    at, poly = at[order], poly[order]
    start = np.r_[0, np.flatnonzero(at[1:] != at[:-1]) + 1] if at.size else at
    rank = np.arange(at.size) - np.repeat(start, np.diff(np.r_[start, at.size]))
    out = _pairs(ids[points[at]], ids[polygons[poly]], rank)
    with _CACHE_LOCK:
        _CACHE[key] = out
        while len(_CACHE) > _MAX_CACHED:
            _CACHE.popitem(last=False)
    return out.copy()


def _pairs(place: np.ndarray, polygon: np.ndarray, rank: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place_id": pd.array(place, dtype="string"),
            "polygon_id": pd.array(polygon, dtype="string"),
            "rank": rank.astype(np.int64),
        }
    )


def _key(ids: np.ndarray, geoms: np.ndarray) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update("\x1f".join(ids).encode())
    for wkb in shapely.to_wkb(geoms):
        digest.update(b"" if wkb is None else wkb)
    return digest.hexdigest()


def places_at(conflict: ConflictLike, when: object) -> gpd.GeoDataFrame:
    """Every place with its state at ``when``, inherited where it has none of its own.

    The places table with ``actor_id``, ``status``, ``contested_by``, ``since`` (missing
    where the holder is unknown) and ``state_from`` (see :func:`inherit_states`), as
    :attr:`geoconflict.Snapshot.places` holds it.

    Examples
    --------
    >>> import geoconflict as gc
    >>> gc.territory.places_at(gc.load_example(), "2024-11-26").loc["idlib", "actor_id"]
    'hts'
    """
    held = control_at(conflict.control, to_timestamp(when), places=conflict.places)
    return conflict.places.join(inherit_states(held, conflict.places))


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


def inherit_codes(codes: np.ndarray, place_ids: pd.Index, places: pd.DataFrame) -> np.ndarray:
    """:func:`inherit_states` on arrays: ``codes`` with each point place that has no state
    taking the code of the smallest polygon place around it that has one.

    Parameters
    ----------
    codes : numpy.ndarray of int, shape (n_places, n_dates)
        Codes of the places ``place_ids`` from their own records, ``-1`` where a place has
        no record in force (any other value is a state, a stated ``unknown`` included).
    place_ids : pandas.Index
    places : GeoDataFrame
        The places, indexed by ``place_id`` (those not in ``place_ids`` are not looked at).

    Returns
    -------
    numpy.ndarray
        A new array; the polygons' own codes are never changed.

    Examples
    --------
    >>> import shapely
    >>> from geoconflict import make_places
    >>> p = make_places(["unit", "town"], ["Unit", "Town"], [0.0, 0.5], [0.0, 0.5])
    >>> p = p.set_geometry([shapely.box(0, 0, 1, 1), shapely.Point(0.5, 0.5)], crs=4326)
    >>> inherit_codes(np.array([[-1, 3, 3], [-1, -1, 5]]), p.index, p).tolist()
    [[-1, 3, 3], [-1, 3, 5]]
    """
    out = np.array(codes, dtype=np.int64, copy=True)
    pairs = containing_polygons(places)
    if pairs.empty or out.size == 0:
        return out
    town = pd.Index(place_ids).get_indexer(pairs["place_id"])
    polygon = pd.Index(place_ids).get_indexer(pairs["polygon_id"])
    rank = pairs["rank"].to_numpy()
    known = (town >= 0) & (polygon >= 0)
    town, polygon, rank = town[known], polygon[known], rank[known]
    own = out.copy()  # polygons pass on their own state only
    for r in np.unique(rank):  # smallest polygon first: a later one fills only what is left
        at = rank == r
        rows, source = town[at], own[polygon[at]]
        lacking = out[rows] == -1
        out[rows] = np.where(lacking & (source != -1), source, out[rows])
    return out
