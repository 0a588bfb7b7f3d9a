"""People counted where they are (``kind="present"``) on a static map: a circle at the place,
its area by people on one scale for every date, with the number beside it.

A count is a stock: it holds at its place from its date until the next count there (of the
same category), as on the interactive map (:func:`geoconflict.maps.flow_data.stock_spans`).
A count over a polygon covering a fifth or more of the map's land (a country) is not drawn
at a point (:func:`geoconflict.maps.flow_data.wide_places`), as on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._schema import DESTINATION, PEOPLE, START
from .._time import to_timestamp
from ..maps.flow_data import wide_places  # one rule for the page and the figures
from ..places import place_points
from ..style import FLOW_COLORS, CountScale
from ._common import number

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Circle radius in points: the smallest, and the largest count of any date.
COUNT_POINTS = (2.0, 9.0)
KIND, CATEGORY, PEOPLE_MAX = "kind", "category", "people_max"


def _counts(conflict) -> pd.DataFrame:
    """The present rows at a known place, not over a wide polygon, with ``upper``."""
    flows = conflict.flows
    if flows is None or flows.empty or KIND not in flows.columns:
        return pd.DataFrame(columns=[DESTINATION, START, PEOPLE, "upper", CATEGORY])
    rows = flows[(flows[KIND].astype("string") == "present").fillna(False).to_numpy(dtype=bool)]
    at = conflict.places.index.get_indexer(rows[DESTINATION].astype(object))
    rows, at = rows[at >= 0], at[at >= 0]
    rows = rows[~wide_places(conflict, at)]
    people = rows[PEOPLE].astype(float)
    upper = (
        pd.to_numeric(rows[PEOPLE_MAX], errors="coerce").fillna(people)
        if PEOPLE_MAX in rows.columns
        else people
    )
    category = (
        rows[CATEGORY].astype("string").fillna("internal")
        if CATEGORY in rows.columns
        else pd.Series("internal", index=rows.index, dtype="string")
    )
    return pd.DataFrame(
        {
            DESTINATION: rows[DESTINATION].astype(str).to_numpy(),
            START: pd.to_datetime(rows[START]).to_numpy(),
            PEOPLE: people.to_numpy(),
            "upper": np.maximum(upper.to_numpy(dtype=float), people.to_numpy()),
            CATEGORY: category.to_numpy(),
        }
    )


def count_scale(conflict) -> CountScale:
    """One circle scale for every date: the largest count drawn (its upper figure) gets the
    largest circle."""
    counts = _counts(conflict)
    # a circle stands for the rows of one count added up (counts_at)
    top = (
        float(counts.groupby([DESTINATION, CATEGORY, START])["upper"].sum().max())
        if len(counts)
        else 0.0
    )
    return CountScale(top, smallest=COUNT_POINTS[0], largest=COUNT_POINTS[1])


def counts_at(conflict, when: object) -> pd.DataFrame:
    """The counts in force at ``when``, one row per place and category: the rows of the
    latest count dated on or before it, added up (the rule of
    :func:`geoconflict.flows.present_counts`)."""
    counts = _counts(conflict)
    held = counts[counts[START] <= to_timestamp(when)]
    keys = [DESTINATION, CATEGORY]
    latest = held.groupby(keys, sort=False)[START].transform("max")
    return (
        held[held[START] == latest]
        .groupby(keys, sort=True, as_index=False)
        .agg({START: "max", PEOPLE: "sum", "upper": "sum"})
    )


def counts_drawn(conflict, when: object) -> bool:
    """Whether :func:`draw_counts` draws any count at ``when``."""
    return bool(len(counts_at(conflict, when))) and count_scale(conflict).top > 0


def draw_counts(ax: Axes, conflict, when: object, scale: CountScale) -> bool:
    """Circles of people present at ``when`` with their numbers; whether any was drawn."""
    from matplotlib.colors import to_rgba  # optional dependency

    counts = counts_at(conflict, when)
    if not len(counts) or not scale.top > 0:
        return False
    points = conflict.places.loc[counts[DESTINATION]]
    lon, lat = place_points(points)
    radius = scale.radius(counts[PEOPLE].to_numpy(dtype=float))
    color = counts[CATEGORY].map(FLOW_COLORS).fillna(FLOW_COLORS["internal"]).to_numpy()
    order = np.argsort(-radius, kind="stable")  # small circles on top
    ax.scatter(
        lon[order],
        lat[order],
        s=(2 * radius[order]) ** 2,
        facecolors=[to_rgba(c, 0.3) for c in color[order]],
        edgecolors=list(color[order]),
        linewidths=0.8,
        zorder=4.5,
        gid="present-counts",
    )
    for x, y, r, people, c in zip(lon, lat, radius, counts[PEOPLE], color, strict=True):
        ax.annotate(
            number(people),
            xy=(x, y),
            xytext=(r + 1.5, 0),
            textcoords="offset points",
            fontsize=5.5,
            color=c,
            va="center",
            zorder=4.6,
            gid="present-count-number",
        )
    return True


def count_handles(scale: CountScale, words: dict[str, str]) -> tuple[list, list[str]]:
    """Legend entries: a heading and one circle per round figure, largest first."""
    from matplotlib.colors import to_rgba  # optional dependency
    from matplotlib.lines import Line2D

    handles: list[object] = [Line2D([], [], linestyle="none")]
    texts = [words["present"]]
    for people, radius in scale.legend():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=2 * float(radius),
                markerfacecolor=to_rgba(FLOW_COLORS["internal"], 0.3),
                markeredgecolor=FLOW_COLORS["internal"],
                markeredgewidth=0.8,
            )
        )
        texts.append(f"{number(people)} {words['people']}")
    return handles, texts
