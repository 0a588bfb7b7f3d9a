"""The events part of a map's payload (:class:`~.payload_types.Events`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import DATE, SOURCE
from ._json import rounded, string_codes
from .steps import DAY, day_values, step_of

__all__ = ["events_data"]


def events_data(conflict, steps: pd.DatetimeIndex, *, days: int = 7) -> dict:
    """Events as columns; each shows from its step for ``days`` days."""
    events = conflict.events
    points = shapely.point_on_surface(events.geometry.to_numpy())
    day0 = steps.asi8[0] if len(steps) else 0
    ev_days = day_values(events[DATE])
    first = step_of(steps, events[DATE])
    last = np.searchsorted(steps.asi8, ev_days + (max(int(days), 1) - 1) * DAY, side="right") - 1
    out = {
        "lat": rounded(shapely.get_y(points), 5),
        "lon": rounded(shapely.get_x(points), 5),
        "day": ((ev_days - day0) // DAY).tolist(),
        "first": first.tolist(),
        "last": last.tolist(),
        "fatalities": rounded(events["fatalities"].to_numpy(dtype=float), 0)
        if "fatalities" in events.columns
        else [None] * len(events),
    }
    for column in ("event_type", "actor1", "actor2", SOURCE):
        values = (
            events[column] if column in events.columns else pd.Series(pd.NA, index=events.index)
        )
        codes, table = string_codes(values)
        out[column] = codes
        out[column + "_table"] = table
    return out
