"""Labels of the land on dates: which actor (or contested / unknown) holds each piece.

The land structure (:class:`geoconflict.land.Cells`) is fixed for a conflict; its labels
change with the dates. Everything here is array work over (pieces x dates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._schema import POPULATION, STATUS
from ._types import ConflictLike
from .control import ControlIndex
from .errors import TerritoryOptionError
from .land import Cells, cached_cells, positive_km, warn_left_out

__all__ = [
    "AUTO_DISTANCE_KM",
    "CONTESTED",
    "METHODS",
    "NO_DATA",
    "UNKNOWN",
    "cell_labels",
    "cell_population",
    "inherited_codes",
    "label_names",
    "labels_at",
    "options_cells",
    "place_codes",
    "STATED_UNKNOWN",
]

CONTESTED = "contested"
UNKNOWN = "unknown"
NO_DATA = "no_data"
#: With ``method="auto"``: no point place paints land farther than this, outside polygon places.
AUTO_DISTANCE_KM = 25.0
METHODS = ("voronoi", "auto", "buffer")


def options_cells(
    conflict: ConflictLike,
    *,
    method: str,
    max_distance_km: float | None,
    radius_km: float | None,
    boundary: object,
) -> Cells:
    """The land structure for these options (cached), warning about places left out."""
    if method not in METHODS:
        raise TerritoryOptionError(
            f"method must be 'voronoi', 'auto' or 'buffer', got "
            f"{method!r}. Fix: pass method='voronoi' (cells), "
            "method='auto' (polygons, and cells cut at "
            f"{AUTO_DISTANCE_KM:g} km) or method='buffer' with "
            "radius_km=<km> (circles around places)."
        )
    if method == "buffer":
        if radius_km is None:
            raise TerritoryOptionError(
                "method='buffer' needs radius_km, the radius of the "
                "circle around each place. Fix: pass e.g. "
                "radius_km=10."
            )
        if max_distance_km is not None:
            raise TerritoryOptionError(
                "pass radius_km or max_distance_km, not both: with "
                "method='buffer' the radius is the maximum distance."
            )
        distance = positive_km("radius_km", radius_km)
    else:
        if radius_km is not None:
            raise TerritoryOptionError(
                "radius_km is for method='buffer'. Fix: pass "
                "method='buffer', or max_distance_km= to limit the "
                "cells."
            )
        distance = max_distance_km
        if method == "auto" and distance is None:
            distance = AUTO_DISTANCE_KM
    if boundary is None:
        boundary = getattr(conflict, "boundary", None)
    built = cached_cells(conflict.places, boundary, max_distance_km=distance)
    warn_left_out(built, stacklevel=3)
    return built


def label_names(conflict: ConflictLike) -> list[str]:
    """Actors in the conflict's order, then ``contested`` and ``unknown``."""
    return [str(a) for a in conflict.actors.index] + [CONTESTED, UNKNOWN]


#: The code of a record that says the holder is unknown (actor id ``unknown``), when asked for.
STATED_UNKNOWN = -3


def place_codes(
    conflict: ConflictLike, place_ids: pd.Index, dates: pd.DatetimeIndex, *, stated: bool = False
) -> np.ndarray:
    """(n_places, n_dates) codes: actor position, ``-2`` contested status, ``-1`` unknown.

    A record whose actor is ``unknown`` (the holder is not known from its date on) gives
    ``-1`` too, or :data:`STATED_UNKNOWN` with ``stated=True``.
    """
    control = conflict.control
    index = ControlIndex.build(control)
    remap = pd.Index(conflict.actors.index).get_indexer(index.actors)
    if STATUS in control.columns:
        contested = (control[STATUS] == CONTESTED).fillna(False).to_numpy(dtype=bool)
    else:
        contested = np.zeros(len(control), dtype=bool)
    contested = contested[index.order]
    codes = index.places.get_indexer(place_ids)
    found = index.lookup(codes, pd.DatetimeIndex(dates).as_unit("ns").asi8)
    safe = np.maximum(found, 0)
    actor = remap[index.actor_codes[safe]] if index.actor_codes.size else np.zeros_like(found)
    out = np.where(
        found < 0, -1, np.where(contested[safe] if contested.size else False, -2, actor)
    )
    if stated:
        said = np.asarray(index.actors == UNKNOWN)
        if said.any() and index.actor_codes.size:
            out = np.where((found >= 0) & said[index.actor_codes[safe]], STATED_UNKNOWN, out)
    return out.astype(np.int64)


def _site_labels(
    site_of: np.ndarray, codes: np.ndarray, n_sites: int, n_actors: int
) -> np.ndarray:
    """(n_sites, n_dates) label codes of the sites from the codes of their places.

    A site whose places disagree, or one of whose places is contested, is contested.
    """
    contested_code, unknown_code = n_actors, n_actors + 1
    inside = site_of >= 0
    site_of, codes = site_of[inside], np.where(codes[inside] == STATED_UNKNOWN, -1, codes[inside])
    if site_of.size == n_sites:  # one place per site: its code is the site's
        labels = np.empty((n_sites, codes.shape[1]), dtype=np.int64)
        labels[site_of] = codes
        labels[labels == -2] = contested_code
        labels[labels == -1] = unknown_code
        return labels
    order = np.argsort(site_of, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, site_of[order][1:] != site_of[order][:-1]])
    if starts.size == 0:
        return np.empty((0, codes.shape[1]), dtype=np.int64)
    known = sorted_codes >= 0
    low = np.minimum.reduceat(np.where(known, sorted_codes, n_actors + 2), starts, axis=0)
    high = np.maximum.reduceat(np.where(known, sorted_codes, -1), starts, axis=0)
    flagged = np.maximum.reduceat((sorted_codes == -2).astype(np.int8), starts, axis=0) > 0
    labels = np.where(high < 0, unknown_code, low)
    labels = np.where(flagged | ((high >= 0) & (low != high)), contested_code, labels)
    return labels.astype(np.int64)


def cell_labels(built: Cells, codes: np.ndarray, n_actors: int) -> np.ndarray:
    """(n_cells, n_dates) label codes from the (n_places, n_dates) place codes.

    ``0 .. n_actors-1`` actors, ``n_actors`` contested, ``n_actors + 1`` unknown. A piece
    takes the state of the finest polygon place of its chain that has one (a record saying
    the holder is unknown is a state: the land is unknown, whatever the towns in it say);
    failing that, the label of its site (the point sharing it); failing that, unknown.
    """
    n_sites = int(built.site_of_place.max()) + 1 if built.site_of_place.size else 0
    sites = _site_labels(built.site_of_place, codes, n_sites, n_actors)
    depth = built.chain.shape[1]
    if depth == 0:  # point places only: a piece per site
        return sites
    contested_code, unknown_code = n_actors, n_actors + 1
    labels = np.full((len(built), codes.shape[1]), unknown_code, dtype=np.int64)
    has_site = built.site >= 0
    labels[has_site] = sites[built.site[has_site]]
    polygon_codes = codes[built.polygon_positions]
    for k in range(depth - 1, -1, -1):  # coarsest first, so that finer polygons win
        rows = np.flatnonzero(built.chain[:, k] >= 0)
        state = polygon_codes[built.chain[rows, k]]
        labels[rows] = np.where(
            state == -1,
            labels[rows],
            np.where(
                state == -2, contested_code, np.where(state == STATED_UNKNOWN, unknown_code, state)
            ),
        )
    return labels


def inherited_codes(built: Cells, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Place codes where a point place without a state of its own takes its polygon's.

    Returns the (n_places, n_dates) codes and, for each, the position in ``polygon_ids`` of
    the polygon place the state came from (``-1``: the place's own, or none).
    """
    out = codes.copy()
    source = np.full(codes.shape, -1, dtype=np.int64)
    depth = built.chain.shape[1]
    points = np.flatnonzero(built.cell_of_place >= 0)
    if depth == 0 or points.size == 0:
        return out, source
    chain = built.chain[built.cell_of_place[points]]
    polygon_codes = codes[built.polygon_positions]
    own = codes[points]  # a record saying 'unknown' is the place's own: nothing to take
    got = own.copy()
    via = np.full(own.shape, -1, dtype=np.int64)
    for k in range(depth - 1, -1, -1):  # finer polygons overwrite coarser ones
        rows = np.flatnonzero(chain[:, k] >= 0)
        state = polygon_codes[chain[rows, k]]
        take = (own[rows] == -1) & (state != -1)
        got[rows] = np.where(take, state, got[rows])
        via[rows] = np.where(take, chain[rows, k][:, None], via[rows])
    out[points], source[points] = got, via
    out[out == STATED_UNKNOWN] = -1
    return out, source


def labels_at(conflict: ConflictLike, built: Cells, dates: pd.DatetimeIndex) -> np.ndarray:
    """(n_cells, n_dates) label codes of the land on ``dates`` (see :func:`cell_labels`)."""
    codes = place_codes(conflict, built.place_ids, dates, stated=True)
    return cell_labels(built, codes, len(conflict.actors))


def cell_population(conflict: ConflictLike, built: Cells) -> np.ndarray:
    """People on each piece of land.

    A polygon place's population is its own ``population``, spread over its land by area;
    where it has none, the point places inside it carry theirs (at their piece). Finer
    polygons with a population carry it for their part of a coarser one.
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
        return np.bincount(cell_of[inside], weights=people[inside], minlength=n)
    polygon_people = people[built.polygon_positions]
    chain = built.chain
    carries = (chain >= 0) & (polygon_people[np.maximum(chain, 0)] > 0)
    first = carries.argmax(axis=1)
    carrier = np.where(carries.any(axis=1), chain[np.arange(n), first], -1)
    carried = carrier >= 0
    area_of = np.bincount(
        carrier[carried], weights=built.area_km2[carried], minlength=polygon_people.size
    )
    out = np.zeros(n)
    out[carried] = (
        polygon_people[carrier[carried]] * built.area_km2[carried] / area_of[carrier[carried]]
    )
    free = inside.copy()
    free[inside] = ~carried[cell_of[inside]]
    out += np.bincount(cell_of[free], weights=people[free], minlength=n)
    return out
