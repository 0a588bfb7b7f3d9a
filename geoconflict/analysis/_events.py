"""Who held the ground of each event on its date, and how far the front was.

One build of the land (cached), the holders of all the events' dates in one array call,
dates with the same holders handled once, each event's cell found once (with point places
alone, as its nearest town's Voronoi cell, checked), the nearest front segment found per
box of a date's events (:class:`~geoconflict.analysis._nearest.BoxedPoints`): no loop over
events.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._inputs import conflict_input, events_input
from .._kinds import is_polygonal
from .._schema import DATE, PLACE_ID
from .._types import ConflictLike
from ..territory._cells import Cells
from ..territory._holders import (
    CONTESTED_CODE,
    STATED_UNKNOWN_CODE,
    UNKNOWN_CODE,
    cell_holders,
    holder_names,
    place_codes,
)
from ..territory._land import land_cells
from ..territory._setting import land_setting
from ._land import Plane, front_of, geodesic_km, holder_states, locate, plane_of
from ._nearest import BoxedPoints, nearest_points, segment_distance
from ._states import places_over, with_polygons

__all__ = ["CONTEXT_COLUMNS", "event_context"]

#: The columns :func:`event_context` adds, in order.
CONTEXT_COLUMNS = (
    "holder",
    "front_km",
    "across",
    "place_id",
    "place_km",
    "imprecise",
    "reason",
)

#: Why an event has no holder or no distance (the ``reason`` column).
NO_LOCATION = "no location"
OUTSIDE = "outside the boundary"
BEYOND = "farther than max_distance_km from every place"
BEFORE = "before the first control record"
NO_RECORD = "no control record names a holder for this land"
NO_RECORD_AROUND = "no control record names a holder for the land around this town"
NO_FRONT = "no front on that date"


def event_context(
    events: gpd.GeoDataFrame,
    conflict: ConflictLike,
    *,
    max_distance_km: float | str | None = None,
    boundary: object = None,
) -> gpd.GeoDataFrame:
    """Who held the ground of each event on its date, the front's distance and the nearest
    place.

    Parameters
    ----------
    events : GeoDataFrame
        Dated points, as :func:`geoconflict.read_acled` and :func:`geoconflict.read_ucdp_ged`
        return them (``date``, point ``geometry``; ``geo_precision`` or ``where_prec`` when
        the source gives them).
    conflict : Conflict
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories`.

    Returns
    -------
    GeoDataFrame
        The events (same rows, same order, same index) with these columns added (replacing
        columns of the same names):

        ``holder``
            Who held the land at the event's point on its date: an actor id, ``contested``
            or ``unknown`` (as :func:`geoconflict.territories` gives the land). An event
            exactly on a town's point takes the town's own holder where its record says an
            actor or contested and the land around it is another actor's (a pocket, such as
            a besieged town or an airport, recorded as a town inside a unit held by
            another) or unknown for want of a record (not where a record says unknown);
            ``front_km`` and ``across`` are then still those of the land around it.
        ``front_km``
            Geodesic distance (km, WGS 84) to the nearest front line of that date (the lines
            of :func:`geoconflict.frontlines`): the nearest point of the front is found in
            the equal-area projection the land was built in, and the distance to it is
            measured on the ellipsoid. NaN when there is no front that day, or when the
            holder is ``unknown``.
        ``across``
            The holder on the other side of that nearest front line (missing where
            ``front_km`` is).
        ``place_id``, ``place_km``
            The nearest point place (town) and its geodesic distance; with polygon places
            only, the smallest polygon place the event lies in (0 km).
        ``imprecise``
            True where the source located the event only roughly: ACLED ``geo_precision`` 3
            (a wider region) or UCDP ``where_prec`` 4 or more (an admin unit or coarser);
            such points are often an admin unit's centroid, not where it happened. Missing
            when the table has neither column. The other columns are computed at the point
            given: filter on this one to leave them out.
        ``reason``
            Why ``holder`` is ``unknown`` or ``front_km`` is missing: ``no location``,
            ``outside the boundary``, ``farther than max_distance_km from every place``,
            ``before the first control record``, ``no control record names a holder for this
            land`` (none covers it, or one says the holder is unknown), ``no control
            record names a holder for the land around this town`` (an event on a town
            that has a holder where its land has none: no distance),
            ``no front on that date``; missing otherwise.

    Examples
    --------
    A straight front along 36 E between a western and an eastern town; an event 0.2 degrees
    east of it at 33 N:

    >>> import geopandas as gpd, pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [35.6, 36.4], [33.0, 33.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e"], "actor_id": ["red", "blue"],
    ...                         "date": ["2024-01-01", "2024-01-01"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(35.0, 32.5, 37.0, 33.5))
    >>> events = gpd.GeoDataFrame({"date": pd.to_datetime(["2024-01-05", "2023-12-30"])},
    ...                           geometry=[shapely.Point(36.2, 33.0)] * 2, crs=4326)
    >>> out = event_context(events, c)
    >>> out[["holder", "across", "place_id", "reason"]].values.tolist()
    [['blue', 'red', 'e', <NA>], ['unknown', <NA>, 'e', 'before the first control record']]
    >>> out["front_km"].round(2).tolist()
    [18.69, nan]
    """
    given = events.index if isinstance(events, pd.DataFrame) else None
    events = events_input(events, function="event_context")
    if given is not None and len(given) == len(events):
        events = events.set_axis(given)  # validation numbers rows afresh: keep the caller's
    conflict_input(conflict, function="event_context")
    setting = land_setting(max_distance_km=max_distance_km, boundary=boundary)
    dates = pd.DatetimeIndex(events[DATE])
    unique_dates, date_of = np.unique(dates.as_unit("ns").asi8, return_inverse=True)
    days = pd.DatetimeIndex(unique_dates.view("datetime64[ns]"))
    built = land_cells(conflict, setting, dates=days)
    plane = plane_of(built)
    names = np.asarray(holder_names(conflict), dtype=object)

    geoms = events.geometry.to_numpy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    located = np.isfinite(lon) & np.isfinite(lat)
    xy = plane.project(np.where(located, lon, 0.0), np.where(located, lat, 0.0))
    xy[~located] = np.nan
    boxed = BoxedPoints(xy, per_box=32)  # the events in boxes: their cells, nearest towns
    cell = locate(plane, xy, boxed)

    states, state_of_date = holder_states(conflict, built, days)
    state = state_of_date[date_of] if date_of.size else np.zeros(0, np.int64)
    code = np.full(len(events), UNKNOWN_CODE, dtype=np.int64)
    inside = cell >= 0
    code[inside] = states[cell[inside], state[inside]]

    front_km, across = _fronts(plane, states, state, cell, code, xy, lon, lat)
    place, place_km, on_town = _nearest_place(conflict, built, plane, cell, xy, lon, lat, boxed)
    town_ids = conflict.places.index.to_numpy()
    first_record = conflict.control[DATE].min() if len(conflict.control) else pd.NaT
    before = np.asarray(dates < first_record) if pd.notna(first_record) else ~inside
    reason = _reasons(plane, located, inside, before, code, front_km, xy, built)
    none = ~inside | before | (code == UNKNOWN_CODE)
    front_km[none] = np.nan
    across[none] = -999
    on_town[~inside | before] = -1
    land = code.copy()
    pocket = _pockets(conflict, built, code, cell, town_ids, on_town, days, date_of)
    reason[pocket[land[pocket] == UNKNOWN_CODE]] = NO_RECORD_AROUND

    out = events.copy()
    labels = pd.array(names, dtype="string")  # taken by position: no string per event made
    out["holder"] = labels.take(code % len(names))
    out["front_km"] = front_km
    across = np.where(across == -999, -1, across % len(names))
    out["across"] = labels.take(across, allow_fill=True)
    out[PLACE_ID] = pd.array(place, dtype="string")
    out["place_km"] = place_km
    out["imprecise"] = _imprecise(events)
    out["reason"] = pd.array(reason, dtype="string")
    return out


def _fronts(
    plane: Plane,
    states: np.ndarray,
    state: np.ndarray,
    cell: np.ndarray,
    code: np.ndarray,
    xy: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic km to the nearest front of each event's date, and the holder across it
    (``-999`` where there is none)."""
    built = plane.built
    n = code.size
    seg_a, seg_b = plane.segments
    segment = np.full(n, -1, dtype=np.int64)
    todo = cell >= 0
    order = np.argsort(state, kind="stable")
    order = order[todo[order]]
    if order.size == 0:
        return np.full(n, np.nan), np.full(n, -999, dtype=np.int64)
    bounds = np.flatnonzero(np.r_[True, state[order][1:] != state[order][:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):  # a loop over states
        rows = order[lo:hi]
        _, segs = front_of(built, states[:, state[rows[0]]])
        if segs.size == 0:
            continue
        at, found = BoxedPoints(xy[rows]).nearest(
            seg_a[segs], seg_b[segs], max_distance=None, lines=plane.lines[segs]
        )
        segment[rows[at]] = segs[found]
    km = np.full(n, np.nan)
    across = np.full(n, -999, dtype=np.int64)
    has = segment >= 0
    if not has.any():
        return km, across
    _, near = segment_distance(seg_a[segment[has]], seg_b[segment[has]], xy[has])
    qlon, qlat = plane.unproject(near)
    km[has] = geodesic_km(lon[has], lat[has], qlon, qlat)
    edge = built.segment_edge[segment[has]]
    col = state[has]
    ha, hb = states[built.cell_a[edge], col], states[built.cell_b[edge], col]
    mine = code[has]
    other = np.where(mine == ha, hb, ha)
    unsure = (mine != ha) & (mine != hb)
    if unsure.any():  # the event's land is not one of the two sides: which side is it on?
        idx = np.flatnonzero(unsure)
        cells_a = plane.cells[built.cell_a[edge[idx]]]
        cells_b = plane.cells[built.cell_b[edge[idx]]]
        pts = shapely.points(xy[has][idx])
        nearer_a = shapely.distance(pts, cells_a) <= shapely.distance(pts, cells_b)
        other[idx] = np.where(nearer_a, hb[idx], ha[idx])
    across[has] = other
    return km, across


def _nearest_place(
    conflict: ConflictLike,
    built: Cells,
    plane: Plane,
    cell: np.ndarray,
    xy: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    boxed: BoxedPoints,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The nearest point place and its geodesic km; with polygon places only, the smallest
    polygon place the event lies in (``boxed``: the events in boxes); and the town whose
    point the event is exactly on (its position in the places; ``-1``: none).

    With point places alone the cells are the towns' Voronoi cells in the projection the
    distances are measured in: the nearest town to a point in a cell is the cell's own, and
    only the points outside every cell are looked up."""
    n = cell.size
    place = np.full(n, None, dtype=object)
    km = np.full(n, np.nan)
    on_town = np.full(n, -1, dtype=np.int64)
    places = conflict.places
    geoms = places.geometry.to_numpy()
    point = ~is_polygonal(geoms) & (shapely.get_type_id(geoms) == 0)
    ok = np.isfinite(xy).all(axis=1)
    if point.any():
        plon, plat = shapely.get_x(geoms[point]), shapely.get_y(geoms[point])
        ids = places.index.to_numpy()[point]
        found = np.full(n, -1, dtype=np.int64)
        if built.chain.shape[1] == 0 and point.all() and built.zone_of is None:
            # a cell's site is the first place at its point, in the places' order
            first_place = np.full(len(built), -1, dtype=np.int64)
            kept = np.flatnonzero(built.site_of_place >= 0)[::-1]
            first_place[built.site_of_place[kept]] = kept
            inside = cell >= 0
            found[inside] = first_place[cell[inside]]
        rest = np.flatnonzero(ok & (found < 0))
        if rest.size:
            sites = plane.project(plon, plat)
            if rest.size == ok.sum():  # every event: its boxes serve
                found[rest] = nearest_points(sites, xy, boxed)[0][rest]
            else:
                found[rest], _ = nearest_points(sites, xy[rest])
        place[ok] = ids[found[ok]]
        km[ok] = geodesic_km(lon[ok], lat[ok], plon[found[ok]], plat[found[ok]])
        exact = ok & (lon == plon[np.maximum(found, 0)]) & (lat == plat[np.maximum(found, 0)])
        on_town[exact] = np.flatnonzero(point)[found[exact]]
    elif built.chain.shape[1]:
        inside = cell >= 0
        finest = built.chain[cell[inside], 0]
        has = finest >= 0
        rows = np.flatnonzero(inside)[has]
        place[rows] = built.polygon_ids.to_numpy()[finest[has]]
        km[rows] = 0.0
    return place, km, on_town


def _pockets(
    conflict: ConflictLike,
    built: Cells,
    code: np.ndarray,
    cell: np.ndarray,
    town_ids: np.ndarray,
    on_town: np.ndarray,
    days: pd.DatetimeIndex,
    date_of: np.ndarray,
) -> np.ndarray:
    """Give the events exactly on a town's point (``on_town``: its position in
    ``town_ids``) the town's state (``code``, in place) where it says an actor or contested
    and the land there is another actor's or unknown for want of a record (not because one
    says so); return the events changed."""
    rows = np.flatnonzero((on_town >= 0) & ((code >= 0) | (code == UNKNOWN_CODE)))
    if rows.size == 0:
        return rows
    towns, town_of = np.unique(on_town[rows], return_inverse=True)
    used, day_of = np.unique(date_of[rows], return_inverse=True)
    # the town's state as Conflict.at gives it: its own record, else the polygon's it
    # inherits (a town within a geocoding slip of a unit)
    ids = with_polygons(conflict, pd.Index(town_ids[towns]))
    own = places_over(conflict, ids, days[used])[0][town_of, day_of]
    pocket = ((own >= 0) | (own == CONTESTED_CODE)) & (own != code[rows])
    said = code[rows] == UNKNOWN_CODE
    if (pocket & said).any() and built.chain.shape[1]:
        said[said] = _said_unknown(conflict, built, cell[rows[said]], days[used], day_of[said])
        pocket &= ~said  # said: now only where a record says the land is unknown
    code[rows[pocket]] = own[pocket]
    return rows[pocket]


def _said_unknown(
    conflict: ConflictLike,
    built: Cells,
    cells: np.ndarray,
    days: pd.DatetimeIndex,
    day_of: np.ndarray,
) -> np.ndarray:
    """Whether the land of each cell is unknown because a record says so (on its day of
    ``days``), as :func:`~geoconflict.territory._holders.cell_holders` decides it."""
    codes = place_codes(conflict, built.place_ids, days, stated=True)
    return cell_holders(built, codes, keep_stated=True)[cells, day_of] == STATED_UNKNOWN_CODE


def _reasons(
    plane: Plane,
    located: np.ndarray,
    inside: np.ndarray,
    before: np.ndarray,
    code: np.ndarray,
    front_km: np.ndarray,
    xy: np.ndarray,
    built: Cells,
) -> np.ndarray:
    reason = np.full(code.size, None, dtype=object)
    reason[np.isnan(front_km)] = NO_FRONT
    reason[code == UNKNOWN_CODE] = NO_RECORD
    reason[before] = BEFORE
    out = located & ~inside
    if out.any():
        idx = np.flatnonzero(out)
        in_boundary = shapely.contains_xy(plane.boundary, xy[idx, 0], xy[idx, 1])
        reason[idx] = np.where(in_boundary & (built.max_distance_km is not None), BEYOND, OUTSIDE)
    reason[~located] = NO_LOCATION
    return reason


def _imprecise(events: pd.DataFrame) -> pd.arrays.BooleanArray:
    """ACLED ``geo_precision`` 3 or UCDP ``where_prec`` 4 and more: a rough location; False
    where a column says precise and none says rough, missing where none says anything."""
    n = len(events)
    rough = np.zeros(n, dtype=bool)
    said = np.zeros(n, dtype=bool)
    for column, limit in (("geo_precision", 3), ("where_prec", 4)):
        if column in events.columns:
            value = pd.to_numeric(events[column], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )
            rough |= value >= limit
            said |= ~np.isnan(value)
    return pd.arrays.BooleanArray(rough, ~said)
