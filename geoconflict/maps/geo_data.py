"""The geographic parts of a map's payload: territories, frontlines, events, outline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import ACTOR_ID, DATE, NAME, SOURCE
from ..palette import CONTESTED_COLOR, UNKNOWN_COLOR
from .columns import feature_collection, rounded, string_codes
from .steps import DAY, day_values, iso, step_of

__all__ = ["events_data", "outline_data", "territory_data"]


def territory_data(conflict, steps: pd.DatetimeIndex, colors: dict[str, str],
                   actors: list[dict], *, territories: bool = True,
                   frontlines: bool = True) -> dict:
    """Territories and frontlines as GeoJSON, keyed by the dates control changed.

    ``actors`` are the payload's actors (their names label the territories). Returns
    ``{"territories": {"dates": {date: FeatureCollection}, "at": [...]}, ...}`` where
    ``at[k]`` is the key in force at step ``k`` (``None`` before the first record).
    """
    from .. import territory

    periods_start = pd.DatetimeIndex(day_values(conflict.control[DATE]).astype(
        "datetime64[ns]")).unique().sort_values()
    keys = [iso(d) for d in periods_start]
    at_index = np.searchsorted(periods_start.asi8, steps.asi8, side="right") - 1
    at = [None if i < 0 else keys[i] for i in at_index]
    names = {a["id"]: a["name"] for a in actors}
    palette = {**colors, "contested": CONTESTED_COLOR, "unknown": UNKNOWN_COLOR}
    out: dict = {}
    terr: dict[str, dict] = {}
    front: dict[str, dict] = {}
    for key, day in zip(keys, periods_start, strict=True):
        if territories:
            t = territory.territories(conflict, day)
            ids = t[ACTOR_ID].astype(str).tolist()
            props = {
                "actor_id": ids,
                "color": [palette.get(a, UNKNOWN_COLOR) for a in ids],
                "area_km2": rounded(t["area_km2"].to_numpy(dtype=float), 1)
                if "area_km2" in t.columns else [None] * len(t),
                "population": rounded(t["population"].to_numpy(dtype=float), 0)
                if "population" in t.columns else [None] * len(t),
            }
            props["name"] = [names.get(a, a) for a in ids]
            terr[key] = feature_collection(t, props)
        if frontlines:
            f = territory.frontlines(conflict, day)
            props = {
                "actor_a": f["actor_a"].astype(str).tolist(),
                "actor_b": f["actor_b"].astype(str).tolist(),
                "length_km": rounded(f["length_km"].to_numpy(dtype=float), 1)
                if "length_km" in f.columns else [None] * len(f),
            }
            front[key] = feature_collection(f, props)
    if territories:
        out["territories"] = {"dates": terr, "at": at}
    if frontlines:
        out["frontlines"] = {"dates": front, "at": at}
    return out


def events_data(conflict, steps: pd.DatetimeIndex, *, days: int = 7) -> dict:
    """Events as columns; each shows from its step for ``days`` days."""
    events = conflict.events
    points = shapely.point_on_surface(events.geometry.to_numpy())
    day0 = steps.asi8[0] if len(steps) else 0
    ev_days = day_values(events[DATE])
    first = step_of(steps, events[DATE])
    last = np.searchsorted(steps.asi8, ev_days + (max(int(days), 1) - 1) * DAY,
                           side="right") - 1
    out = {
        "lat": rounded(shapely.get_y(points), 5),
        "lon": rounded(shapely.get_x(points), 5),
        "day": ((ev_days - day0) // DAY).tolist(),
        "first": first.tolist(),
        "last": last.tolist(),
        "fatalities": rounded(events["fatalities"].to_numpy(dtype=float), 0)
        if "fatalities" in events.columns else [None] * len(events),
    }
    for column in ("event_type", "actor1", "actor2", SOURCE):
        values = events[column] if column in events.columns else pd.Series(
            pd.NA, index=events.index)
        codes, table = string_codes(values)
        out[column] = codes
        out[column + "_table"] = table
    return out


def outline_data(conflict) -> dict:
    """The boundary and the context (neighbours) as GeoJSON, with their names."""
    out: dict = {}
    for key, frame in (("boundary", conflict.boundary), ("context", conflict.context)):
        if frame is None or not len(frame):
            continue
        names = (frame[NAME].astype("string").fillna("").tolist() if NAME in frame.columns
                 else [""] * len(frame))
        out[key] = feature_collection(frame, {"name": [str(n) for n in names]})
    return out
