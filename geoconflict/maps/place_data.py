"""The places and control parts of a map's payload.

Places travel as columns: a point for every place (a polygon's inner point), the polygon
places' outlines once (:mod:`.encode`), the order and tier their labels are placed in
(:func:`geoconflict.style.label_order`), and, for each town inside polygon places, those
places, whose state its marker shows on dates it has none of its own. Control travels as
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
from ..territory._nesting import containing_polygons
from .columns import rounded, string_codes
from .encode import encode_polygons
from .steps import iso, step_of

__all__ = ["STATUS_CODES", "control_data", "inherit_pairs", "places_data"]

STATUS_CODES = {"held": 0, "contested": 1, "besieged": 2}


def inherit_pairs(places: pd.DataFrame) -> list[int]:
    """``[place, polygon, ...]``: for each point place, the polygon places around it,
    smallest first (positions in ``places``).

    On a date a point place has no state of its own, its marker shows the state of the first
    of these that has one (as :meth:`geoconflict.Conflict.at` does).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> p = gpd.GeoDataFrame({"name": ["District", "Town", "Far"]},
    ...     geometry=[shapely.box(0, 0, 2, 2), shapely.Point(1, 1), shapely.Point(5, 5)],
    ...     index=pd.Index(["d", "t", "f"], name="place_id"), crs="EPSG:4326")
    >>> inherit_pairs(p)
    [1, 0]
    """
    around = containing_polygons(places)
    if not len(around):
        return []
    ids = places.index
    pairs = np.column_stack(
        [
            ids.get_indexer(around["place_id"].astype(object)),
            ids.get_indexer(around["polygon_id"].astype(object)),
        ]
    )
    order = np.lexsort((around["rank"].to_numpy(), pairs[:, 0]))
    return pairs[order].ravel().tolist()


def places_data(conflict, lang: str = "en") -> dict:
    """Place columns: id, label, point (lat/lon), population, marker radius, flow totals,
    outline (``shape``, into ``shapes``), ``level`` (into ``levels``), label order and
    tier, the polygons around each point place (``inherit``, see :func:`inherit_pairs`)."""
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
        "inherit": inherit_pairs(places),
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
