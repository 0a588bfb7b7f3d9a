"""The cells a conflict's land needs, for the dates asked about.

A conflict with zones (dated control polygons) has its land drawn from them
(:mod:`._zone_land`); otherwise from its places, as follows.

Every land consumer goes through :func:`land_cells`: the conflict's places and boundary under
a :class:`~._setting.LandSetting`, cut only as finely as the dates need. On a date where a
polygon place has a state, the towns inside it do not share it, so its land need not be cut
into their cells: a question about one date builds only the cells that date needs (the
plain way's work), and one about every date the cells of all of them. Each set is cached.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd
import shapely

from .._kinds import is_polygonal
from .._schema import DATE
from .._types import ConflictLike
from ._cells import Cells, cached_cells, warn_left_out
from ._holders import UNKNOWN_CODE, place_codes
from ._kept import LOCK, kept
from ._setting import LandSetting

__all__ = ["has_land", "land_cells"]


#: The cells a conflict keeps: those of its last few (setting, dates) asked about.
_KEPT_PER_CONFLICT = 4  # a few: cells can be large, and the content cache has them too


def land_cells(
    conflict: ConflictLike,
    setting: LandSetting,
    *,
    dates: pd.DatetimeIndex | None = None,
) -> Cells:
    """The cells of a conflict's land under ``setting`` (cached), warning about the places
    left out once per conflict, at the user's call.

    With ``dates``, the cells serve those dates only (cut where towns decide on one of
    them); without, every date.
    """
    store = _kept(conflict, setting)
    days = None if dates is None else pd.DatetimeIndex(dates).as_unit("ns").asi8.tobytes()
    # the boundary by identity: the entry holds it, so the id stays its own
    key = (setting.max_distance_km, id(setting.boundary), days)
    if store is not None:
        with LOCK:
            hit = store.get(key)
            if hit is not None:
                store.move_to_end(key)
        if hit is not None:
            warn_left_out(hit[1], about=conflict)
            return hit[1]
    built = _land_cells(conflict, setting, dates)
    if store is not None:
        with LOCK:
            store[key] = (setting.boundary, built)
            while len(store) > _KEPT_PER_CONFLICT:
                store.popitem(last=False)
    return built


def _kept(conflict: ConflictLike, setting: LandSetting) -> OrderedDict | None:
    """The cells kept with ``conflict``; ``None`` when they cannot be: a boundary given as
    a table (the caller's, which may change: the content cache decides), or an object that
    cannot be held weakly."""
    if setting.boundary is not None and not isinstance(setting.boundary, str | shapely.Geometry):
        return None
    return kept(conflict, "cells")


def _land_cells(
    conflict: ConflictLike, setting: LandSetting, dates: pd.DatetimeIndex | None
) -> Cells:
    boundary = setting.boundary if setting.boundary is not None else conflict.boundary
    zones = getattr(conflict, "zones", None)
    if zones is not None:  # the land as the source drew it: the dates need no cutting
        drawn = (zones.geometry.to_numpy(), zones[DATE].to_numpy())
        built = cached_cells(
            conflict.places, boundary, max_distance_km=setting.max_distance_km, zones=drawn
        )
        warn_left_out(built, about=conflict)
        return built
    stated = None if dates is None else _stated(conflict, pd.DatetimeIndex(dates))
    built = cached_cells(
        conflict.places, boundary, max_distance_km=setting.max_distance_km, stated=stated
    )
    warn_left_out(built, about=conflict)
    return built


def _stated(conflict: ConflictLike, dates: pd.DatetimeIndex) -> np.ndarray | None:
    """(places x patterns) whether each polygon place has a state, one column per distinct
    pattern on ``dates`` (points: False); None without polygon places.

    A date's pattern is that of the last control date on or before it, so the work is
    bounded by the number of control dates, not of dates asked about.
    """
    polygonal = is_polygonal(conflict.places.geometry.to_numpy())
    if not polygonal.any():
        return None
    days = np.unique(conflict.control[DATE].to_numpy().astype("datetime64[ns]"))
    at = np.searchsorted(days, dates.as_unit("ns").to_numpy(), side="right") - 1
    used = np.unique(at)
    ids = conflict.places.index[polygonal]
    known = used[used >= 0]
    codes = place_codes(conflict, ids, pd.DatetimeIndex(days[known]), stated=True)
    patterns = codes != UNKNOWN_CODE
    if (used < 0).any():  # a date before every record: no polygon is stated
        patterns = np.column_stack([patterns, np.zeros(ids.size, dtype=bool)])
    out = np.zeros((polygonal.size, patterns.shape[1]), dtype=bool)
    out[polygonal] = patterns
    return out


def has_land(conflict: ConflictLike, setting: LandSetting) -> bool:
    """Whether the conflict has land to fill under ``setting``: a boundary (its own or the
    setting's) or polygon places, whose union is then the boundary."""
    if setting.boundary is not None or conflict.boundary is not None:
        return True
    if getattr(conflict, "zones", None) is not None:
        return True
    return bool(is_polygonal(conflict.places.geometry.to_numpy()).any())
