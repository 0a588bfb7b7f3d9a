"""The places and control parts of a map's payload.

Places travel as columns: a point for every place (a polygon's inner point), the polygon
places' outlines once (:mod:`.encode`), the order and tier their labels are placed in
(:func:`geoconflict.style.label_order`), and, for each town inside polygon places, the
polygon whose state its marker shows on dates it has none of its own (found in Python by the
library's one rule, on each control date; the page looks it up). Control travels as
periods (every state a place was in), each pointing at the period before it, so the page can
list what changed on a step and the history of a place without recomputing anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._kinds import is_polygonal
from .._schema import (
    ACTOR_ID,
    CONTESTED_BY,
    DATE,
    NOTE,
    PLACE_ID,
    POPULATION,
    SOURCE,
    STATUS,
)
from ..control import control_periods
from ..flows import place_totals
from ..places import place_points
from ..style import display_names, label_order, label_tiers, place_radius
from ..territory._nesting import containing_polygons, inherit_codes
from ._json import rounded, string_codes
from .encode import encode_polygons
from .steps import day_values, iso, step_of

__all__ = ["STATUS_CODES", "control_data", "inherit_data", "places_data", "within"]

STATUS_CODES = {"held": 0, "contested": 1, "besieged": 2}


def inherit_data(conflict, steps: pd.DatetimeIndex) -> dict:
    """The polygon place whose state each place shows on dates it has none of its own.

    The rule is :func:`geoconflict.territory._nesting.inherit_states` (the smallest polygon
    place around a town that has a state), applied here on each date control changes;
    the page only looks the result up. ``base`` is the polygon (a position in the places;
    -1: none) at the first control date, ``diff`` the ``[place, polygon, ...]`` changes at
    each later one, ``at`` the control date in force at each step (-1 before the first).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> import geoconflict as gc
    >>> p = gpd.GeoDataFrame({"name": ["District", "Town"]},
    ...     geometry=[shapely.box(0, 0, 2, 2), shapely.Point(1, 1)],
    ...     index=pd.Index(["d", "t"], name="place_id"), crs="EPSG:4326")
    >>> control = pd.DataFrame({"place_id": ["d", "t"], "actor_id": ["x", "x"],
    ...     "date": ["2024-12-01", "2024-12-03"]})
    >>> c = gc.Conflict(p, pd.DataFrame({"actor_id": ["x"]}), control)
    >>> out = inherit_data(c, pd.date_range("2024-12-01", periods=3))
    >>> out["base"], out["diff"], out["at"]
    ([-1, 0], [[1, -1]], [0, 0, 1])
    """
    places = conflict.places
    days = pd.DatetimeIndex(np.unique(day_values(conflict.control[DATE])).astype("datetime64[ns]"))
    at = np.searchsorted(days.asi8, steps.as_unit("ns").asi8, side="right") - 1
    n = len(places)
    if not len(containing_polygons(places)) or not len(days):
        return {
            "at": at.tolist(),
            "base": [-1] * n,
            "diff": [[] for _ in range(max(len(days) - 1, 0))],
        }
    # a place's own record is in force from its first date on: there it is its own source
    # (its position), elsewhere -1; the one inheriting rule then gives each point place
    # without a record the position of the polygon it takes its state from
    control = conflict.control
    first = (
        pd.Series(day_values(control[DATE]))
        .groupby(places.index.get_indexer(control[PLACE_ID].astype(object)))
        .min()
    )
    first = first[first.index >= 0]
    starts = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    starts[first.index.to_numpy()] = first.to_numpy()
    own = np.where(starts[:, None] <= days.as_unit("ns").asi8[None, :], np.arange(n)[:, None], -1)
    taken = inherit_codes(own, places.index, places)
    codes = np.where(taken == np.arange(n)[:, None], -1, taken)
    diff = []
    for j in range(1, len(days)):
        moved = np.flatnonzero(codes[:, j] != codes[:, j - 1])
        diff.append(np.column_stack([moved, codes[moved, j]]).ravel().tolist())
    return {"at": at.tolist(), "base": codes[:, 0].tolist(), "diff": diff}


def within(places: pd.DataFrame) -> np.ndarray:
    """For each place, the smallest polygon place it lies in (a position; -1 none), by the
    library's one containment rule (:func:`~geoconflict.territory._nesting.containing`).

    The page lists a town and that unit as one change when both change hands alike.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> p = gpd.GeoDataFrame({"name": ["District", "Town", "Far"]},
    ...     geometry=[shapely.box(0, 0, 2, 2), shapely.Point(1, 1), shapely.Point(5, 5)],
    ...     index=pd.Index(["d", "t", "f"], name="place_id"), crs="EPSG:4326")
    >>> within(p).tolist()
    [-1, 0, -1]
    """
    out = np.full(len(places), -1, dtype=np.int64)
    around = containing_polygons(places)
    smallest = around[around["rank"] == 0]
    if len(smallest):
        ids = places.index
        out[ids.get_indexer(smallest["place_id"].astype(object))] = ids.get_indexer(
            smallest["polygon_id"].astype(object)
        )
    return out


def places_data(conflict, steps: pd.DatetimeIndex, lang: str = "en") -> dict:
    """Place columns: id, label, point (lat/lon), population, marker radius, flow totals,
    outline (``shape``, into ``shapes``), ``level`` (into ``levels``), label order and
    tier, the polygon whose state a place shows when it has none (``inherit``, see
    :func:`inherit_data`)."""
    places = conflict.places
    lon, lat = place_points(places)
    if POPULATION in places.columns:
        population = places[POPULATION].to_numpy(dtype=float, na_value=np.nan)
    else:
        population = np.full(len(places), np.nan)
    if conflict.flows is None:
        totals = pd.DataFrame(0.0, index=places.index, columns=["inflow", "outflow", "internal"])
    else:
        totals = place_totals(conflict.flows, places=places).reindex(places.index).fillna(0.0)
    geoms = places.geometry.to_numpy()
    polygonal = is_polygonal(geoms)
    shape = np.full(len(places), -1, dtype=np.int64)
    shape[polygonal] = np.arange(int(polygonal.sum()))
    point_rows = np.flatnonzero(~polygonal)
    level_codes, levels = string_codes(
        places["level"] if "level" in places.columns else pd.Series(pd.NA, index=places.index)
    )
    order = point_rows[label_order(places.iloc[point_rows], lang)]
    return {
        "id": [str(i) for i in places.index],
        "name": [str(n) for n in display_names(places, lang)],
        "lat": rounded(lat, 5),
        "lon": rounded(lon, 5),
        "population": rounded(population, 0),
        "radius": rounded(place_radius(population), 1),
        "inflow": rounded(totals["inflow"].to_numpy(), 1),
        "outflow": rounded(totals["outflow"].to_numpy(), 1),
        "internal": rounded(totals["internal"].to_numpy(), 1),
        "shape": shape.tolist(),
        "level": level_codes,
        "levels": levels,
        "shapes": encode_polygons(geoms[polygonal]),
        "inherit": inherit_data(conflict, steps),
        "within": within(places).tolist(),
        "order": order.tolist(),
        "tier": label_tiers(places).tolist(),
    }


def control_data(
    conflict, steps: pd.DatetimeIndex, place_ids: pd.Index, actor_ids: list[str]
) -> dict:
    """Control periods (every state a place was in), sorted by their first step.

    ``place``, ``actor`` and ``by`` (the challenger) index the places and actors; ``status``
    is 0 held, 1 contested, 2 besieged; ``start`` and ``end`` are steps (``end`` exclusive,
    -1 while the state lasts); ``prev`` is the period the place was in before (-1 for its
    first). The state at step ``k`` is, for each place, its period with ``start <= k`` and
    ``end`` after ``k`` (or -1). ``source`` and ``note`` index their string tables (the record
    that began the period).
    """
    control = conflict.control
    periods = control_periods(control)
    first = control.drop_duplicates([PLACE_ID, DATE], keep="last").set_index([PLACE_ID, DATE])
    keys = pd.MultiIndex.from_arrays([periods[PLACE_ID].astype(object), periods["start"]])
    record = first.reindex(keys)
    actors = pd.Index(actor_ids)
    start = step_of(steps, periods["start"])
    end = np.full(len(periods), -1, dtype=np.int64)
    has_end = periods["end"].notna().to_numpy()
    end[has_end] = step_of(steps, periods["end"][has_end])
    # a period that began and ended on the same step never shows: keep it for the history
    status = periods[STATUS].map(STATUS_CODES).fillna(0).astype(int).to_numpy()
    challenger = actors.get_indexer(periods[CONTESTED_BY].astype(object).fillna(""))
    source_codes, sources = string_codes(
        record[SOURCE] if SOURCE in record.columns else pd.Series(pd.NA, index=record.index)
    )
    note_codes, notes = string_codes(
        record[NOTE] if NOTE in record.columns else pd.Series(pd.NA, index=record.index)
    )
    place = place_ids.get_indexer(periods[PLACE_ID].astype(object))
    order = np.lexsort((place, start))
    # the period before each one: the same place's, by start date
    by_place = np.lexsort((periods["start"].to_numpy(), place))
    prev_raw = np.full(len(periods), -1, dtype=np.int64)
    same = place[by_place][1:] == place[by_place][:-1]
    prev_raw[by_place[1:][same]] = by_place[:-1][same]
    position = np.empty(len(periods), dtype=np.int64)
    position[order] = np.arange(len(periods))
    prev = np.where(prev_raw >= 0, position[np.maximum(prev_raw, 0)], -1)[order]
    actor = actors.get_indexer(periods[ACTOR_ID].astype(object))
    return {
        "place": place[order].tolist(),
        "actor": actor[order].tolist(),
        "status": status[order].tolist(),
        "by": challenger[order].tolist(),
        "start": start[order].tolist(),
        "end": end[order].tolist(),
        "prev": prev.tolist(),
        "from": [iso(t) for t in periods["start"].iloc[order]],
        "to": [None if pd.isna(t) else iso(t) for t in periods["end"].iloc[order]],
        "source": np.asarray(source_codes, dtype=np.int64)[order].tolist(),
        "note": np.asarray(note_codes, dtype=np.int64)[order].tolist(),
        "sources": sources,
        "notes": notes,
    }
