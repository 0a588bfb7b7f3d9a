"""Map furniture: scale bar, north arrow (each in the emptier corner) and the legend.

matplotlib is optional: it is imported inside the functions that draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyproj
import shapely

from ..style import (
    BASE_COLORS,
    CONTESTED_COLOR,
    FLOW_COLORS,
    FRONT_COLOR,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    FlowScale,
    nice_number,
)
from ._common import FILL_ALPHA, number, plain, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_GEOD = pyproj.Geod(ellps="WGS84")


def emptiest(
    corners: dict[str, shapely.Geometry],
    land: shapely.Geometry | None,
    lon: np.ndarray,
    lat: np.ndarray,
) -> str:
    """The corner box that covers the least mapped land and the fewest places."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    points = shapely.points(lon[ok], lat[ok])

    def crowding(box: shapely.Geometry) -> float:
        covered = 0.0 if land is None else shapely.area(shapely.intersection(land, box))
        return covered / shapely.area(box) + 0.2 * float(shapely.contains(box, points).sum())

    return min(corners, key=lambda name: crowding(corners[name]))


def draw_scale_bar(
    ax: Axes,
    extent: tuple[float, float, float, float],
    text: Mapping[str, str],
    *,
    land: shapely.Geometry | None,
    lon: np.ndarray,
    lat: np.ndarray,
) -> None:
    from matplotlib.patches import Rectangle  # optional dependency

    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    base = y0 + 0.05 * h
    km = nice_number(_GEOD.inv(x0, base, x1, base)[2] / 1000.0 / 5.0)
    if km <= 0:
        return
    span = _GEOD.fwd(x0, base, 90.0, km * 1000.0)[0] - x0
    corners = {
        "left": shapely.box(x0, y0, x0 + 0.08 * w + span, y0 + 0.14 * h),
        "right": shapely.box(x1 - 0.08 * w - span, y0, x1, y0 + 0.14 * h),
    }
    corner = emptiest(corners, land, lon, lat)
    start = x0 + 0.04 * w if corner == "left" else x1 - 0.04 * w - span
    height = 0.012 * h
    for left, face in ((start, "#222222"), (start + span / 2, "white")):
        ax.add_patch(
            Rectangle(
                (left, base),
                span / 2,
                height,
                facecolor=face,
                edgecolor="#222222",
                linewidth=0.6,
                zorder=7,
            )
        )
    ax.text(
        start + span / 2,
        base + 1.8 * height,
        f"{number(km)} {text['km']}",
        ha="center",
        va="bottom",
        fontsize=7,
        color=TEXT_COLOR,
        zorder=7,
    )


def draw_north_arrow(
    ax: Axes,
    extent: tuple[float, float, float, float],
    text: Mapping[str, str],
    *,
    land: shapely.Geometry | None,
    lon: np.ndarray,
    lat: np.ndarray,
) -> None:
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    corners = {
        "left": shapely.box(x0, y1 - 0.16 * h, x0 + 0.08 * w, y1),
        "right": shapely.box(x1 - 0.08 * w, y1 - 0.16 * h, x1, y1),
    }
    x = 0.04 if emptiest(corners, land, lon, lat) == "left" else 0.96
    ax.annotate(
        text["north"],
        xy=(x, 0.96),
        xytext=(x, 0.86),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=9,
        fontweight="bold",
        color=TEXT_COLOR,
        zorder=7,
        arrowprops={
            "arrowstyle": "-|>,head_length=0.6,head_width=0.3",
            "color": TEXT_COLOR,
            "linewidth": 1.2,
        },
    )


def legend_handles(
    labels: list[str],
    colors: dict[str, str],
    names: dict[str, str],
    *,
    front: bool,
    scale: FlowScale | None,
    categories: Iterable[str] = (),
    text: Mapping[str, str],
    width: int = 30,
    admin_lines: bool = False,
):
    """Legend entries: actors (fill and dot), contested land (hatched), the frontline, flow
    categories and widths."""
    from matplotlib.colors import to_rgba  # optional dependency
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    words = text
    handles: list[object] = []
    texts: list[str] = []
    for label in labels:
        color = colors.get(label, UNKNOWN_COLOR)
        fill = (
            Patch(facecolor="white", edgecolor=CONTESTED_COLOR, hatch="////", linewidth=0)
            if label == "contested"
            else Patch(facecolor=to_rgba(color, FILL_ALPHA), edgecolor="none")
        )
        dot = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4.5,
            markerfacecolor=color,
            markeredgecolor="#222222",
            markeredgewidth=0.5,
        )
        handles.append((fill, dot))
        texts.append(wrap(plain(names.get(label, label)), width))
    if front:
        handles.append(Line2D([], [], color=FRONT_COLOR, linewidth=1.8))
        texts.append(words["frontline"])
    if admin_lines:  # the base map's first-level lines, as the interactive map's legend
        handles.append(
            Line2D([], [], color=BASE_COLORS["admin"], linewidth=0.8, linestyle=(0, (4, 2.5)))
        )
        texts.append(wrap(plain(words["admin_lines"]), width))
    categories = list(categories)
    if scale is None:
        return handles, texts
    if categories != ["internal"]:
        for category in categories:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=FLOW_COLORS.get(category, FLOW_COLORS["internal"]),
                    linewidth=2.0,
                    alpha=0.8,
                )
            )
            texts.append(
                words.get("internal_flow" if category == "internal" else category, category)
            )
    for people, line in scale.legend():
        handles.append(
            Line2D([], [], color=FLOW_COLORS["internal"], alpha=0.8, linewidth=float(line))
        )
        texts.append(words["displaced"].format(n=number(people)))
    return handles, texts


def present(order: list[str], *held: Iterable) -> list[str]:
    """The labels of ``order`` that occur in any of ``held``, in ``order``'s order."""
    seen = set()
    for values in held:
        seen |= {str(v) for v in values if not pd.isna(v)}
    return [label for label in order if label in seen]
