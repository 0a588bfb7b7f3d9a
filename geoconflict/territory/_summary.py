"""Places, population, area and frontline held by each holder at every date, as sums.

One build of the cells, then array sums over blocks of dates: no Voronoi or dissolve per date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._inputs import conflict_input
from .._schema import ACTOR_ID, POPULATION
from .._time import period_bounds
from .._types import ConflictLike
from ..errors import TerritoryOptionError
from ..progress import progress as progress_bar
from ._holders import UNKNOWN_CODE, cell_population, holder_names, holders_at
from ._land import land_cells
from ._setting import land_setting

__all__ = ["control_summary", "summary_dates"]

_MAX_MATRIX = 20_000_000  # entries of a (cells x dates) block in control_summary


def control_summary(
    conflict: ConflictLike,
    *,
    freq: str = "D",
    start: object = None,
    end: object = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Places, population, area and frontline held by each actor at every date.

    One computation of the cells, then array sums over all dates at once: no Voronoi or
    dissolve per date.

    Parameters
    ----------
    conflict : Conflict
    freq : str, default "D"
        A pandas frequency for the dates (``"D"``, ``"W"``, ``"MS"`` ...).
    start, end : date, optional
        Default: the conflict's period.
    max_distance_km, boundary
        The land setting, as for :func:`territories` (``method`` and ``radius_km`` are
        its deprecated spellings).
    method, radius_km
        Deprecated.
    progress : bool or None, default None
        A progress bar over the blocks of dates (see :func:`geoconflict.progress.progress`);
        ``None`` shows one only on a terminal, when there is more than one block.

    Returns
    -------
    DataFrame
        Long format: ``date``, ``actor_id``, ``places``, ``population``, ``area_km2``,
        ``frontline_km`` (total length of front touching that actor's land). Every actor
        appears at every date; ``contested`` and ``unknown`` rows only when they hold
        something at some date.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "e"],
    ...                         "actor_id": ["red", "blue", "red"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-02"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> s = control_summary(c)
    >>> s[["date", "actor_id", "places", "frontline_km"]].round({"frontline_km": 1})
            date actor_id  places  frontline_km
    0 2024-01-01      red       1         110.6
    1 2024-01-01     blue       1         110.6
    2 2024-01-02      red       2           0.0
    3 2024-01-02     blue       0           0.0
    """
    conflict_input(conflict, function="control_summary")
    setting = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    dates = summary_dates(conflict, freq, start, end)
    built = land_cells(conflict, setting, dates=dates)
    names = holder_names(conflict)
    n_labels, n_actors = len(names), len(conflict.actors)
    population = cell_population(conflict, built)
    per_cell = built.places.astype(float)
    n_cells = len(built)
    out = {
        k: np.zeros((n_labels, dates.size))
        for k in ("places", "population", "area_km2", "frontline_km")
    }
    step = max(1, _MAX_MATRIX // max(n_cells, 1))
    blocks = range(0, dates.size, step)  # blocks of dates bound the memory, not a loop
    for lo in progress_bar(blocks, desc="control_summary", enabled=progress):
        block = dates[lo : lo + step]
        codes = holders_at(conflict, built, block)
        labels = codes % n_labels  # the row of each holder in names
        nd = block.size
        key = (labels * nd + np.arange(nd)[None, :]).ravel()
        size = n_labels * nd
        for name, weight in (
            ("places", per_cell),
            ("population", population),
            ("area_km2", built.area_km2),
        ):
            sums = np.bincount(key, weights=np.repeat(weight, nd), minlength=size)
            out[name][:, lo : lo + nd] = sums.reshape(n_labels, nd)
        la, lb = labels[built.cell_a], labels[built.cell_b]
        unknown = n_labels + UNKNOWN_CODE
        front = (la != lb) & (la != unknown) & (lb != unknown)
        weight = np.where(front, built.length_km[:, None], 0.0).ravel()
        cols = np.arange(nd)[None, :]
        total = np.bincount(
            (la * nd + cols).ravel(), weights=weight, minlength=size
        ) + np.bincount((lb * nd + cols).ravel(), weights=weight, minlength=size)
        out["frontline_km"][:, lo : lo + nd] = total.reshape(n_labels, nd)
    keep = np.ones(n_labels, dtype=bool)
    keep[n_actors:] = (out["places"][n_actors:].sum(axis=1) > 0) | (
        out["area_km2"][n_actors:].sum(axis=1) > 0
    )
    rows = np.flatnonzero(keep)
    table = pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), rows.size),
            ACTOR_ID: pd.array(
                np.tile(np.asarray(names, dtype=object)[rows], dates.size), dtype="string"
            ),
            "places": out["places"][rows].T.ravel().round().astype(np.int64),
            POPULATION: out["population"][rows].T.ravel(),
            "area_km2": out["area_km2"][rows].T.ravel(),
            "frontline_km": out["frontline_km"][rows].T.ravel(),
        }
    )
    return table


def summary_dates(
    conflict: ConflictLike, freq: str, start: object, end: object
) -> pd.DatetimeIndex:
    first, last = period_bounds(conflict.period, start, end, error=TerritoryOptionError)
    try:
        dates = pd.date_range(first, last, freq=freq)
    except (ValueError, TypeError) as exc:
        raise TerritoryOptionError(
            f"freq must be a pandas frequency such as 'D', 'W' or 'MS', got {freq!r}."
        ) from exc
    if dates.empty:
        raise TerritoryOptionError(
            f"no {freq!r} dates fall between {first:%Y-%m-%d} and "
            f"{last:%Y-%m-%d}. Fix: widen start/end or use a shorter "
            "freq."
        )
    return pd.DatetimeIndex(dates.as_unit("ns"), name="date")
