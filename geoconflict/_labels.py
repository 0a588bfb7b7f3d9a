"""Labels of the land on dates: which actor (or contested / unknown) holds each piece.

The land structure (:class:`geoconflict.land.Cells`) is fixed for a conflict; its labels
change with the dates. Everything here is array work over (pieces x dates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._schema import POPULATION, STATUS
from .control import ControlIndex
from .errors import TerritoryOptionError
from .land import Cells, cached_cells, positive_km, warn_left_out

__all__ = ["CONTESTED", "NO_DATA", "UNKNOWN", "label_names", "labels_at", "options_cells",
           "place_codes", "cell_labels", "cell_population"]

CONTESTED = "contested"
UNKNOWN = "unknown"
NO_DATA = "no_data"


def options_cells(conflict: object, *, method: str, max_distance_km: float | None,
                   radius_km: float | None, boundary: object) -> Cells:
    if method not in ("voronoi", "buffer"):
        raise TerritoryOptionError(f"method must be 'voronoi' or 'buffer', got {method!r}. "
                                   "Fix: pass method='voronoi' (cells) or method='buffer' "
                                   "with radius_km=<km> (circles around places).")
    if method == "buffer":
        if radius_km is None:
            raise TerritoryOptionError("method='buffer' needs radius_km, the radius of the "
                                       "circle around each place. Fix: pass e.g. "
                                       "radius_km=10.")
        if max_distance_km is not None:
            raise TerritoryOptionError("pass radius_km or max_distance_km, not both: with "
                                       "method='buffer' the radius is the maximum distance.")
        distance = positive_km("radius_km", radius_km)
    else:
        if radius_km is not None:
            raise TerritoryOptionError("radius_km is for method='buffer'. Fix: pass "
                                       "method='buffer', or max_distance_km= to limit the "
                                       "cells.")
        distance = max_distance_km
    if boundary is None:
        boundary = getattr(conflict, "boundary", None)
    built = cached_cells(conflict.places, boundary, max_distance_km=distance)
    warn_left_out(built, stacklevel=3)
    return built


def label_names(conflict: object) -> list[str]:
    """Actors in the conflict's order, then ``contested`` and ``unknown``."""
    return [str(a) for a in conflict.actors.index] + [CONTESTED, UNKNOWN]


def place_codes(conflict: object, place_ids: pd.Index, dates: pd.DatetimeIndex
                 ) -> np.ndarray:
    """(n_places, n_dates) codes: actor position, ``-2`` contested status, ``-1`` unknown."""
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
    out = np.where(found < 0, -1, np.where(contested[safe] if contested.size else False,
                                           -2, actor))
    return out.astype(np.int64)


def cell_labels(built: Cells, codes: np.ndarray, n_actors: int) -> np.ndarray:
    """(n_cells, n_dates) label codes from the (places inside, n_dates) place codes.

    ``0 .. n_actors-1`` actors, ``n_actors`` contested, ``n_actors + 1`` unknown.
    """
    contested_code, unknown_code = n_actors, n_actors + 1
    cell_of = built.cell_of_place
    inside = cell_of >= 0
    cell_of, codes = cell_of[inside], codes[inside]
    n_cells = len(built)
    if cell_of.size == n_cells:  # one place per cell: its code is the cell's
        labels = np.empty((n_cells, codes.shape[1]), dtype=np.int64)
        labels[cell_of] = codes
        labels[labels == -2] = contested_code
        labels[labels == -1] = unknown_code
        return labels
    order = np.argsort(cell_of, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, cell_of[order][1:] != cell_of[order][:-1]])
    known = sorted_codes >= 0
    low = np.minimum.reduceat(np.where(known, sorted_codes, n_actors + 2), starts, axis=0)
    high = np.maximum.reduceat(np.where(known, sorted_codes, -1), starts, axis=0)
    flagged = np.maximum.reduceat((sorted_codes == -2).astype(np.int8), starts, axis=0) > 0
    labels = np.where(high < 0, unknown_code, low)
    labels = np.where(flagged | ((high >= 0) & (low != high)), contested_code, labels)
    return labels.astype(np.int64)


def labels_at(conflict: object, built: Cells, dates: pd.DatetimeIndex) -> np.ndarray:
    codes = place_codes(conflict, built.place_ids, dates)
    return cell_labels(built, codes, len(conflict.actors))


def cell_population(conflict: object, built: Cells) -> np.ndarray:
    cell_of = built.cell_of_place
    inside = cell_of >= 0
    if POPULATION in conflict.places.columns:
        people = pd.to_numeric(conflict.places[POPULATION], errors="coerce").reindex(
            built.place_ids).fillna(0.0).to_numpy(dtype=float)
    else:
        people = np.zeros(cell_of.size)
    return np.bincount(cell_of[inside], weights=people[inside], minlength=len(built))

