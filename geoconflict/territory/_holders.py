"""Holders of the land on dates: which actor (or contested / unknown) holds each cell.

The cells (:class:`~geoconflict.territory.Cells`) are fixed for a conflict; their holders
change with the dates. Everything here is array work over (cells x dates).

One code scheme, for places and cells alike, in Python and in the page's payload:

- ``0 .. n_actors - 1``: the actor at that position in ``conflict.actors``;
- :data:`UNKNOWN_CODE` (``-1``): nobody's data says who holds it;
- :data:`CONTESTED_CODE` (``-2``): contested;
- :data:`STATED_UNKNOWN_CODE` (``-3``, place codes only, when asked for): a record says the
  holder is unknown from its date on.

With ``names = holder_names(conflict)`` (the actors, then ``contested`` and ``unknown``),
``names[code]`` is the holder's id for every cell code, negative ones included, and
``code % len(names)`` its row in a table of sums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._schema import ACTOR_ID, CONTESTED_BY, POPULATION, STATUS
from .._types import ConflictLike
from ..control import ControlIndex, control_at
from ._cells import Cells
from ._kept import LOCK, kept

__all__ = [
    "CONTESTED",
    "CONTESTED_CODE",
    "NO_DATA",
    "STATED_UNKNOWN_CODE",
    "UNKNOWN",
    "UNKNOWN_CODE",
    "cell_holders",
    "cell_population",
    "contested_sides",
    "holder_names",
    "holders_at",
    "place_codes",
    "place_states",
    "population_parts",
    "record_codes",
    "zone_codes",
]

CONTESTED = "contested"
UNKNOWN = "unknown"
NO_DATA = "no_data"
UNKNOWN_CODE = -1
CONTESTED_CODE = -2
STATED_UNKNOWN_CODE = -3


def holder_names(conflict: ConflictLike) -> list[str]:
    """Actors in the conflict's order, then ``contested`` and ``unknown``: ``names[code]``."""
    return [str(a) for a in conflict.actors.index] + [CONTESTED, UNKNOWN]


def place_codes(
    conflict: ConflictLike, place_ids: pd.Index, dates: pd.DatetimeIndex, *, stated: bool = False
) -> np.ndarray:
    """(n_places, n_dates) holder codes of places, from their own records only.

    A record whose actor is ``unknown`` (the holder is not known from its date on) gives
    :data:`UNKNOWN_CODE` too, or :data:`STATED_UNKNOWN_CODE` with ``stated=True``.
    """
    return place_states(conflict, place_ids, dates, stated=stated)[0]


def place_states(
    conflict: ConflictLike, place_ids: pd.Index, dates: pd.DatetimeIndex, *, stated: bool = True
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Holder codes of places (as :func:`place_codes`) and the actor of the record in force.

    Returns
    -------
    codes : numpy.ndarray of int, shape (n_places, n_dates)
    actor : numpy.ndarray of int, shape (n_places, n_dates)
        Position in ``actor_ids`` of the actor the record in force names (whatever its
        status; ``unknown`` included when a record says so); -1 where no record is in force.
        Two dates with different values are a change of hands, as
        :func:`geoconflict.control_changes` counts them.
    actor_ids : pandas.Index
        The actor ids the records name.
    """
    index, record = record_codes(conflict, stated=stated)
    found = index.lookup(
        index.places.get_indexer(place_ids), pd.DatetimeIndex(dates).as_unit("ns").asi8
    )
    none = found < 0
    safe = np.maximum(found, 0)
    if not index.actor_codes.size:
        return np.full(found.shape, UNKNOWN_CODE, np.int64), np.full(found.shape, -1), index.actors
    codes = np.where(none, UNKNOWN_CODE, record[safe])
    actor = np.where(none, -1, index.actor_codes[safe])
    return codes.astype(np.int64), actor.astype(np.int64), index.actors


def record_codes(
    conflict: ConflictLike, *, stated: bool = True
) -> tuple[ControlIndex, np.ndarray]:
    """The control records sorted once (:class:`~geoconflict.control.ControlIndex`) and the
    holder code each record gives, in that order (``stated`` as for :func:`place_codes`).

    Kept with the conflict (held weakly; its tables stay as built), read-only: the land of
    each date of a map, an animation or a panel asks again.
    """
    store = kept(conflict, "records")
    with LOCK:
        found = None if store is None else store.get(stated)
    if found is None:
        found = _record_codes(conflict, stated=stated)
        if store is not None:
            with LOCK:
                store[stated] = found
    return found


def _record_codes(conflict: ConflictLike, *, stated: bool) -> tuple[ControlIndex, np.ndarray]:
    control = conflict.control
    index = ControlIndex.build(control)
    remap = pd.Index(conflict.actors.index).get_indexer(index.actors)
    if STATUS in control.columns:
        contested = (control[STATUS] == CONTESTED).fillna(False).to_numpy(dtype=bool)
    else:
        contested = np.zeros(len(control), dtype=bool)
    contested = contested[index.order]
    actor = remap[index.actor_codes]
    out = np.where(contested, CONTESTED_CODE, actor)
    said = np.asarray(index.actors == UNKNOWN)[index.actor_codes]
    out = np.where(said, STATED_UNKNOWN_CODE if stated else UNKNOWN_CODE, out).astype(np.int64)
    for array in (index.place_codes, index.actor_codes, index.dates, index.order, out):
        array.setflags(write=False)
    return index, out


def _site_holders(site_of: np.ndarray, codes: np.ndarray, n_sites: int) -> np.ndarray:
    """(n_sites, n_dates) holder codes of the sites from the codes of their places.

    A site whose places disagree, or one of whose places is contested, is contested.
    """
    inside = site_of >= 0
    site_of = site_of[inside]
    codes = np.where(codes[inside] == STATED_UNKNOWN_CODE, UNKNOWN_CODE, codes[inside])
    if site_of.size == n_sites:  # one place per site: its code is the site's
        out = np.empty((n_sites, codes.shape[1]), dtype=np.int64)
        out[site_of] = codes
        return out
    order = np.argsort(site_of, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, site_of[order][1:] != site_of[order][:-1]])
    if starts.size == 0:
        return np.empty((0, codes.shape[1]), dtype=np.int64)
    known = sorted_codes >= 0
    big = np.iinfo(np.int64).max
    low = np.minimum.reduceat(np.where(known, sorted_codes, big), starts, axis=0)
    high = np.maximum.reduceat(np.where(known, sorted_codes, -1), starts, axis=0)
    flagged = np.maximum.reduceat(sorted_codes == CONTESTED_CODE, starts, axis=0)
    out = np.where(high < 0, UNKNOWN_CODE, low)
    out = np.where(flagged | ((high >= 0) & (low != high)), CONTESTED_CODE, out)
    return out.astype(np.int64)


def cell_holders(built: Cells, codes: np.ndarray, *, keep_stated: bool = False) -> np.ndarray:
    """(n_cells, n_dates) holder codes of the cells from the (n_places, n_dates) place codes.

    A cell takes the state of the finest polygon place of its chain that has one (a record
    saying the holder is unknown is a state: the land is unknown, whatever the towns in it
    say; ``keep_stated`` leaves it :data:`STATED_UNKNOWN_CODE`, to tell it from land no
    record covers); failing that, the holder of its site (the point whose cell it lies in);
    failing that, unknown.
    """
    n_sites = int(built.site_of_place.max()) + 1 if built.site_of_place.size else 0
    sites = _site_holders(built.site_of_place, codes, n_sites)
    depth = built.chain.shape[1]
    if depth == 0:  # point places only: a cell per site
        return sites
    out = np.full((len(built), codes.shape[1]), UNKNOWN_CODE, dtype=np.int64)
    has_site = built.site >= 0
    out[has_site] = sites[built.site[has_site]]
    polygon_codes = codes[built.polygon_positions]
    for k in range(depth - 1, -1, -1):  # coarsest first, so that finer polygons win
        rows = np.flatnonzero(built.chain[:, k] >= 0)
        state = polygon_codes[built.chain[rows, k]]
        stated = (
            state if keep_stated else np.where(state == STATED_UNKNOWN_CODE, UNKNOWN_CODE, state)
        )
        out[rows] = np.where(state == UNKNOWN_CODE, out[rows], stated)  # -1: no state here
    return out


def holders_at(conflict: ConflictLike, built: Cells, dates: pd.DatetimeIndex) -> np.ndarray:
    """(n_cells, n_dates) holder codes of the land on ``dates``: from the places (see
    :func:`cell_holders`), or, for cells drawn from zones, from the zones of the last
    snapshot on or before each date (unknown before the first)."""
    if built.zone_of is not None:
        return _zone_holders(conflict, built, pd.DatetimeIndex(dates))
    codes = place_codes(conflict, built.place_ids, dates, stated=True)
    return cell_holders(built, codes)


def zone_codes(conflict: ConflictLike) -> np.ndarray:
    """The holder code of each row of the conflict's zones (a zone saying ``unknown``, or
    naming no actor of the conflict, is unknown land)."""
    zones = conflict.zones
    if zones is None:
        return np.zeros(0, dtype=np.int64)
    actor = pd.Index(conflict.actors.index).get_indexer(zones[ACTOR_ID].astype(object))
    contested = (zones[STATUS] == CONTESTED).fillna(False).to_numpy(dtype=bool)
    return np.where(contested, CONTESTED_CODE, actor).astype(np.int64)


def _zone_holders(conflict: ConflictLike, built: Cells, dates: pd.DatetimeIndex) -> np.ndarray:
    snapshot_dates = np.asarray(built.zone_dates, dtype="datetime64[ns]")
    at = np.searchsorted(snapshot_dates, dates.as_unit("ns").to_numpy(), side="right") - 1
    zone_of = np.asarray(built.zone_of)[:, np.maximum(at, 0)]
    codes = zone_codes(conflict)
    out = np.where(zone_of >= 0, codes[np.maximum(zone_of, 0)], UNKNOWN_CODE)
    out[:, at < 0] = UNKNOWN_CODE
    return out.astype(np.int64)


def cell_population(conflict: ConflictLike, built: Cells) -> np.ndarray:
    """People on each cell of the land.

    A polygon place's population is its own ``population``, spread over its land by area;
    where it has none, the point places inside it carry theirs (at their cell). Finer
    polygons with a population carry it for their part of a coarser one.
    """
    people, free, spread = population_parts(conflict, built)
    cell_of = built.cell_of_place
    return spread + np.bincount(cell_of[free], weights=people[free], minlength=len(built))


def population_parts(
    conflict: ConflictLike, built: Cells
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two kinds of people of :func:`cell_population`: where they are is known to a point,
    or spread over a polygon's land.

    Returns
    -------
    people : numpy.ndarray
        The ``population`` of each place (in ``built.place_ids`` order; 0 where missing).
    free : numpy.ndarray of bool
        The places whose people are at their own point (point places inside the land whose
        cell no polygon with a population carries).
    spread : numpy.ndarray
        People of each cell spread by area from the polygon place that carries it.
    """
    cell_of = built.cell_of_place
    inside = cell_of >= 0
    if POPULATION in conflict.places.columns:
        people = (
            pd.to_numeric(conflict.places[POPULATION], errors="coerce")
            .reindex(built.place_ids)
            .fillna(0.0)
            .to_numpy(dtype=float)
        )
    else:
        people = np.zeros(cell_of.size)
    n = len(built)
    depth = built.chain.shape[1]
    if depth == 0:
        return people, inside, np.zeros(n)
    polygon_people = people[built.polygon_positions]
    chain = built.chain
    carries = (chain >= 0) & (polygon_people[np.maximum(chain, 0)] > 0)
    first = carries.argmax(axis=1)
    carrier = np.where(carries.any(axis=1), chain[np.arange(n), first], -1)
    carried = carrier >= 0
    area_of = np.bincount(
        carrier[carried], weights=built.area_km2[carried], minlength=polygon_people.size
    )
    spread = np.zeros(n)
    spread[carried] = (
        polygon_people[carrier[carried]] * built.area_km2[carried] / area_of[carrier[carried]]
    )
    free = inside.copy()
    free[inside] = ~carried[cell_of[inside]]
    return people, free, spread


def contested_sides(conflict, built: Cells, day: pd.Timestamp, cells: np.ndarray) -> list[int]:
    """``[cell, side_a, side_b, ...]`` for the contested ``cells`` on ``day``, the sides as
    actor positions (``-1`` where there is no second side): the holder and the challenger
    of a contested place deciding the cell (the finest polygon around it first, then its
    towns), or the first two holders of the cell's towns when they disagree. For cells drawn
    from zones: the contested zone's holder and challenger."""
    if built.zone_of is not None:
        return _zone_sides(conflict, built, day, cells)
    state = control_at(conflict.control, day).reindex(built.place_ids)
    actors = pd.Index(conflict.actors.index)
    actor = actors.get_indexer(state[ACTOR_ID].astype(object))
    by = (
        actors.get_indexer(state[CONTESTED_BY].astype(object))
        if CONTESTED_BY in state.columns
        else np.full(len(state), -1)
    )
    contested = (
        (state[STATUS] == "contested").fillna(False).to_numpy(dtype=bool)
        if STATUS in state.columns
        else np.zeros(len(state), dtype=bool)
    )
    chain = np.asarray(built.chain)
    cell_of, place_of, rank = [], [], []
    for k in range(chain.shape[1]):  # polygon places around each cell, finest first
        around = chain[cells, k]
        ok = around >= 0
        cell_of.append(cells[ok])
        place_of.append(np.asarray(built.polygon_positions)[around[ok]])
        rank.append(np.full(int(ok.sum()), k))
    towns = np.flatnonzero(np.isin(built.cell_of_place, cells))
    cell_of.append(np.asarray(built.cell_of_place)[towns])
    place_of.append(towns)
    rank.append(np.full(towns.size, chain.shape[1]))
    place = np.concatenate(place_of)
    frame = pd.DataFrame(
        {
            "cell": np.concatenate(cell_of),
            "rank": np.concatenate(rank),
            "actor": actor[place],
            "by": by[place],
            "contested": contested[place],
        }
    )
    frame = frame[frame["actor"] >= 0].sort_values(
        ["cell", "contested", "rank"], ascending=[True, False, True], kind="stable"
    )
    out: list[int] = []
    for cell, rows in frame.groupby("cell", sort=True):  # contested cells only: few
        a = int(rows["actor"].iloc[0])
        b = int(rows["by"].iloc[0]) if rows["contested"].iloc[0] else -1
        if b < 0:
            others = rows.loc[rows["actor"] != a, "actor"]
            b = int(others.iloc[0]) if len(others) else -1
        out += [int(cell), a, b]
    return out


def _zone_sides(conflict, built: Cells, day: pd.Timestamp, cells: np.ndarray) -> list[int]:
    dates = np.asarray(built.zone_dates, dtype="datetime64[ns]")
    at = int(np.searchsorted(dates, np.datetime64(day, "ns"), side="right")) - 1
    if at < 0 or conflict.zones is None:
        return []
    rows = np.asarray(built.zone_of)[cells, at]
    actors = pd.Index(conflict.actors.index)
    zones = conflict.zones
    side_a = actors.get_indexer(zones[ACTOR_ID].astype(object))[rows]
    side_b = actors.get_indexer(zones[CONTESTED_BY].astype(object))[rows]
    return np.column_stack([cells, side_a, side_b]).ravel().tolist()
