"""Displacement flows and control: who held the origin and the destination, and whether
the origin had just changed hands.

The states of the flows' places on the days of their windows come from one array call
(towns taking their polygon's state where they have none, as everywhere), then each flow
reads its own row: no loop over flows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._inputs import conflict_input, flows_input, number_option
from .._schema import DESTINATION, KIND, ORIGIN, PEOPLE, START
from .._types import ConflictLike
from ..territory._holders import holder_names
from ._states import places_over, with_polygons

__all__ = ["flows_by_control"]

_MAX_WINDOW_DAYS = 36_525  # a century: longer windows leave the dates' range


def flows_by_control(
    conflict: ConflictLike, *, window_days: int = 14
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each flow with who held its origin and destination when it began, and whether its
    origin had just changed hands; and the people displaced from land taken by each actor.

    Parameters
    ----------
    conflict : Conflict
    window_days : int, default 14
        A flow's origin *changed hands before it* when the actor holding it changed on a day
        from ``window_days`` days before the flow's ``start`` to ``start`` itself.

    Returns
    -------
    flows : DataFrame
        The conflict's flows (same rows and order) with ``origin_holder`` and
        ``destination_holder`` (on ``start``: an actor id, ``contested`` or ``unknown``; a
        town without a record of its own takes its polygon's state), ``origin_changed``
        (True or False; missing where no record covers the origin on any day of the
        window, such as a governorate that has none of its own while its towns have
        some: whether it changed hands is not known), ``changed_on`` (the day of the last
        change in the window), ``taken_from`` and ``taken_by`` (the actors of that
        change; ``unknown`` where a record said the holder became unknown).
        Flows of kind ``present`` (people counted at a destination, origin unknown) have no
        origin: their origin columns are missing, and they are left out of the summary.
    taken : DataFrame
        One row per (``taken_from``, ``taken_by``) pair among the flows whose origin
        changed hands: ``flows``, ``origins`` (distinct places) and ``people`` (the sum of
        ``people``: the lower figure where the source gives a range), most people first.

    Raises
    ------
    OptionError
        When ``window_days`` is not a whole number of days from 0 to 36,525 (a century).

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> places = gc.make_places(["a", "b"], ["A", "B"], [36.0, 36.5], [35.0, 35.0])
    >>> control = pd.DataFrame({"place_id": ["a", "b", "a"], "actor_id": ["gov", "gov", "reb"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-10"]})
    >>> flows = pd.DataFrame({"origin": ["a", "a"], "destination": ["b", "b"],
    ...                       "start": ["2024-01-12", "2024-02-20"], "people": [500, 40]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["gov", "reb"]}), control, flows)
    >>> out, taken = flows_by_control(c, window_days=7)
    >>> out[["origin_holder", "origin_changed", "changed_on", "taken_by"]].values.tolist()
    [['reb', True, Timestamp('2024-01-10 00:00:00'), 'reb'], ['reb', False, NaT, <NA>]]
    >>> taken.values.tolist()
    [['gov', 'reb', 1, 1, 500.0]]
    """
    conflict_input(conflict, function="flows_by_control")
    window = int(
        number_option(
            window_days,
            function="flows_by_control",
            argument="window_days",
            minimum=0,
            maximum=_MAX_WINDOW_DAYS,
            whole=True,
        )
    )
    flows = conflict.flows
    if flows is None:
        flows = pd.DataFrame(
            {
                ORIGIN: pd.Series(dtype="string"),
                DESTINATION: pd.Series(dtype="string"),
                START: pd.Series(dtype="datetime64[ns]"),
                PEOPLE: pd.Series(dtype=float),
            }
        )
    flows = flows_input(flows, function="flows_by_control", needs=(DESTINATION, START, PEOPLE))
    names = np.asarray(holder_names(conflict), dtype=object)
    out = flows.copy()
    n = len(flows)
    has_origin = flows[ORIGIN].notna().to_numpy() if ORIGIN in flows.columns else np.zeros(n, bool)
    if KIND in flows.columns:
        has_origin = has_origin & (flows[KIND] != "present").fillna(True).to_numpy(dtype=bool)
    origin = (
        flows[ORIGIN].astype("string").to_numpy(dtype=object, na_value=None)
        if ORIGIN in flows.columns
        else np.full(n, None, dtype=object)
    )
    destination = flows[DESTINATION].astype("string").to_numpy(dtype=object, na_value=None)
    start = pd.DatetimeIndex(flows[START]).normalize()

    ids = pd.Index(pd.unique(np.r_[origin[has_origin], destination[pd.notna(destination)]]))
    ids = with_polygons(conflict, ids)  # and the polygons their towns inherit from
    offsets = np.arange(-window - 1, 1)
    days = pd.DatetimeIndex(
        np.unique((start.to_numpy()[:, None] + offsets * np.timedelta64(1, "D")).ravel())
    )
    codes, actor, actor_ids = places_over(conflict, ids, days)
    day_of = days.get_indexer(start)
    o_row = ids.get_indexer(origin.astype(object))
    d_row = ids.get_indexer(destination.astype(object))

    o_code = np.where(has_origin, codes[np.maximum(o_row, 0), day_of], 0)
    d_code = np.where(d_row >= 0, codes[np.maximum(d_row, 0), day_of], -1)
    missing = np.full(n, None, dtype=object)
    out["origin_holder"] = pd.array(np.where(has_origin, names[o_code], missing), dtype="string")
    out["destination_holder"] = pd.array(names[d_code], dtype="string")

    # the origin's record actor on each day of the window: (flows, window + 2)
    cols = days.get_indexer((start.to_numpy()[:, None] + offsets * np.timedelta64(1, "D")).ravel())
    window_actor = actor[np.maximum(o_row, 0)[:, None], cols.reshape(n, offsets.size)]
    before, after = window_actor[:, :-1], window_actor[:, 1:]
    changed = (before != after) & (before >= 0) & (after >= 0) & has_origin[:, None]
    any_change = changed.any(axis=1)
    last = changed.shape[1] - 1 - np.argmax(changed[:, ::-1], axis=1)
    rows = np.arange(n)
    actor_names = np.append(actor_ids.to_numpy(dtype=object), np.array([None], dtype=object))
    taken_from = np.where(any_change, actor_names[before[rows, last]], missing)
    taken_by = np.where(any_change, actor_names[after[rows, last]], missing)
    when = start.to_numpy() + (last - window).astype("timedelta64[D]")
    # no record covers the origin on any day of the window: whether it changed hands is
    # not known (missing), not False
    known = has_origin & (window_actor >= 0).any(axis=1)
    out["origin_changed"] = pd.array(np.where(known, any_change, None), dtype="boolean")
    out["changed_on"] = np.where(any_change, when, np.datetime64("NaT")).astype("datetime64[ns]")
    out["taken_from"] = pd.array(taken_from, dtype="string")
    out["taken_by"] = pd.array(taken_by, dtype="string")
    return out, _taken(out)


def _taken(out: pd.DataFrame) -> pd.DataFrame:
    moved = out[out["origin_changed"].fillna(False).to_numpy(dtype=bool)]
    summary = (
        moved.groupby(["taken_from", "taken_by"], sort=True)
        .agg(flows=(PEOPLE, "size"), origins=(ORIGIN, "nunique"), people=(PEOPLE, "sum"))
        .reset_index()
    )
    summary = summary.sort_values("people", ascending=False, kind="stable").reset_index(drop=True)
    summary["people"] = summary["people"].astype(float)
    return summary
