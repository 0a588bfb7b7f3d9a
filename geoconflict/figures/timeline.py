"""Control over time: area, population or places held by each actor, as stacked areas.

matplotlib is optional: it is imported (through :func:`._common.pyplot`) when it draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._inputs import conflict_input
from .._schema import ACTOR_ID, POPULATION
from ..territory import control_summary
from ..territory._setting import land_setting
from ._common import (
    FigureOptionError,
    colors_of,
    figure_words,
    label_names,
    number,
    plain,
    pyplot,
    right_to_left,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["MEASURES", "plot_control_over_time"]

MEASURES = {"area": "area_km2", "population": POPULATION, "places": "places"}
#: Axis dates as numbers (years, year-months, days), for languages other than English.
NUMERIC_DATES = {
    "formats": ["%Y", "%Y-%m", "%d", "%H:%M", "%H:%M", "%S.%f"],
    "zero_formats": ["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"],
    "offset_formats": ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"],
}


def plot_control_over_time(
    conflict,
    *,
    measure: str = "area",
    freq: str = "D",
    start: object = None,
    end: object = None,
    ax: Axes | None = None,
    percent: bool = False,
    legend: bool = True,
    title: str | None = None,
    lang: str = "en",
    words: object = None,
    figsize: tuple[float, float] = (7, 3.6),
    progress: bool | None = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
) -> Axes:
    """Area, population or places held by each actor over time, as stacked areas.

    Built on :func:`geoconflict.control_summary`: one computation of the cells, then array
    sums over every date. A record holds from its date until the next, so the areas step at
    each date rather than slope between dates.

    Parameters
    ----------
    conflict : Conflict
    measure : {"area", "population", "places"}, default "area"
        Land held (km², equal-area), the population of the places held, or their number.
    freq : str, default "D"
        A pandas frequency for the dates.
    start, end : date, optional
        Default: the conflict's period.
    ax : matplotlib Axes, optional
        Draw here; default: a new figure of ``figsize``.
    percent : bool, default False
        Shares of the total at each date instead of absolute values.
    legend : bool, default True
        Actors beside the plot, in the order of the stack (top first).
    title : str, optional
        Default: the conflict's title; ``""`` for none.
    lang : str, default "en"
        Language of the actors' names (``name_<lang>``) and of the figure's words (see
        :func:`plot_map`); dates on the axis are numeric (``2024-12``) in languages other
        than English.
    words : mapping, optional
        Your own interface words, as for :func:`plot_map`.
    figsize : (float, float), default (7, 3.6)
    progress : bool or None, default None
        Passed to :func:`geoconflict.control_summary`.
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories`.
    method, radius_km
        Deprecated spellings of ``max_distance_km``.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    FigureOptionError
        For an unknown ``measure`` or option.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> ax = gc.plot_control_over_time(gc.load_example(), measure="population")
    >>> ax.get_ylabel()
    'Population of places held'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    conflict_input(conflict, function="plot_control_over_time")
    land = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    if measure not in MEASURES:
        raise FigureOptionError(f"measure must be one of {list(MEASURES)}, got {measure!r}.")
    text = figure_words(lang, words=words)
    plt = pyplot()
    import matplotlib.dates as mdates  # optional dependency
    from matplotlib.ticker import FuncFormatter

    summary = control_summary(
        conflict,
        freq=freq,
        start=start,
        end=end,
        progress=progress,
        max_distance_km=land.max_distance_km,
        boundary=land.boundary,
    )
    wide = summary.pivot(index="date", columns=ACTOR_ID, values=MEASURES[measure])
    wide.columns = wide.columns.astype(str)
    colors = colors_of(conflict)
    order = [a for a in colors if a in wide.columns and wide[a].sum() > 0]
    values = wide[order].to_numpy(dtype=float).T
    if percent:
        total = values.sum(axis=0)
        values = np.divide(values * 100.0, total, out=np.zeros_like(values), where=total > 0)
    # Step after each date: extend by one period so the last date has a width too.
    x = wide.index
    step = x[-1] - x[-2] if len(x) > 1 else pd.Timedelta(days=1)
    x = x.append(pd.DatetimeIndex([x[-1] + step]))
    values = np.concatenate([values, values[:, -1:]], axis=1)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    names = label_names(conflict, lang, text)
    if order:
        ax.stackplot(
            x,
            values,
            colors=[colors[a] for a in order],
            step="post",
            labels=[plain(names.get(a, a)) for a in order],
            edgecolor="white",
            linewidth=0.4,
            alpha=0.9,
        )
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0, 100 if percent else None)
    locator = ax.xaxis.get_major_locator()
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator)
        if lang == "en"
        else mdates.ConciseDateFormatter(locator, **NUMERIC_DATES)  # no English month names
    )
    label = text[f"{measure}_held"]
    if percent:
        label = text["percent"].format(what=text[f"{measure}_short"])
    ax.set_ylabel(label, fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.tick_params(labelsize=7)
    ax.xaxis.get_offset_text().set_fontsize(7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="white", linewidth=0.5, alpha=0.6)
    if title is None:
        title = plain(conflict.title)
    if title:
        ax.set_title(title, fontsize=10, loc="right" if right_to_left(lang) else "left")
    if legend and order:
        handles, texts = ax.get_legend_handles_labels()
        ax.legend(
            handles[::-1],
            [wrap(t, 28) for t in texts[::-1]],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0,
            fontsize=7,
            frameon=False,
        )
    return ax
