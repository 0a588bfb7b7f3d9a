"""The base map under a static map, drawn as the interactive map draws it.

Bottom to top: the sea (the axes' background) and the countries as light land with their
borders; then, over the territories' fill, lakes, rivers (thin blue lines, so a river shows
across held land) and first-level admin lines (thin, dashed, grey); then the names of the
neighbouring countries and the major rivers, under the boundary, the frontlines and the
places. Colours come from :mod:`geoconflict.style` (as in the maps); every layer is clipped
to the figure's extent and drawn as one collection. Each artist has a ``gid``
(``basemap-countries``, ``basemap-rivers`` ...) that names its layer.

matplotlib is optional: it is imported inside the functions that draw.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from ..basemap import Basemap
from ..style import (
    BASE_COLORS,
    BASE_NAME_COLORS,
    inland_points,
    longest_stretches,
    optional_names,
)
from ._common import plain
from ._geometry import compound_path, line_parts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Above the context (0.5) and under the territories (1): the countries; over the
#: territories' fill and under the boundary (2): water, admin lines, then the names.
Z_COUNTRIES = 0.2
Z_LAKES = 1.2
Z_RIVERS = 1.3
Z_ADMIN = 1.4
Z_NAMES = 1.8
#: Line widths in points.
RIVER_WIDTH = 0.8
ADMIN_WIDTH = 0.6
BORDER_WIDTH = 0.5
#: Rivers named in a figure: Natural Earth's ``scalerank`` (the ``rank`` column) up to this;
#: without ranks, every named river with a stretch across a tenth of the figure's width.
MAJOR_RANK = 5
MIN_STRETCH = 0.1
#: A river's name goes this far in from the figure's edges (a share of its width, height).
INSET = 0.03


def draw_basemap(
    ax: Axes,
    base: Basemap,
    extent: tuple[float, float, float, float],
    *,
    lang: str,
    names: bool,
    lon: np.ndarray,
    lat: np.ndarray,
) -> bool:
    """Draw ``base`` inside ``extent``; return whether countries' names were drawn.

    ``lon`` and ``lat`` are the places' points: a river's name goes where it is furthest
    from them.
    """
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    wide = (x0 - 0.05 * w, y0 - 0.05 * h, x1 + 0.05 * w, y1 + 0.05 * h)
    if base.countries is not None and len(base.countries):
        ax.set_facecolor(BASE_COLORS["sea"])
        _fill(ax, base.countries, wide, "countries", BASE_COLORS["land"], BASE_COLORS["border"])
    if base.lakes is not None:
        _fill(ax, base.lakes, wide, "lakes", BASE_COLORS["water"], BASE_COLORS["river"], z=Z_LAKES)
    if base.rivers is not None:
        _lines(
            ax,
            base.rivers,
            wide,
            "rivers",
            color=BASE_COLORS["river"],
            width=RIVER_WIDTH,
            z=Z_RIVERS,
            capstyle="round",
        )
    if base.admin1 is not None:
        _lines(
            ax,
            base.admin1,
            wide,
            "admin1",
            color=BASE_COLORS["admin"],
            width=ADMIN_WIDTH,
            z=Z_ADMIN,
            linestyle=(0, (4, 2.5)),
        )
    if not names:
        return False
    named = _country_names(ax, base.countries, shapely.box(*extent), lang)
    inner = shapely.box(x0 + INSET * w, y0 + INSET * h, x1 - INSET * w, y1 - INSET * h)
    _river_names(ax, base.rivers, inner, lang, lon, lat)
    return named


def _fill(
    ax: Axes,
    layer: pd.DataFrame,
    box: tuple[float, float, float, float],
    name: str,
    face: str,
    edge: str,
    *,
    z: float = Z_COUNTRIES,
) -> None:
    from matplotlib.collections import PathCollection  # optional dependency

    path = compound_path(shapely.clip_by_rect(layer.geometry.to_numpy(), *box))
    if path is None:
        return
    fill = PathCollection(
        [path],
        facecolors=face,
        edgecolors=edge,
        linewidths=BORDER_WIDTH if name == "countries" else 0.3,
        zorder=z,
        transform=ax.transData,
    )
    fill.set_sizes(None)
    fill.set_gid(f"basemap-{name}")
    ax.add_collection(fill, autolim=False)


def _lines(
    ax: Axes,
    layer: pd.DataFrame,
    box: tuple[float, float, float, float],
    name: str,
    *,
    color: str,
    width: float,
    z: float,
    capstyle: str = "butt",
    linestyle: object = "solid",
) -> None:
    from matplotlib.collections import LineCollection  # optional dependency

    segments = line_parts(shapely.clip_by_rect(layer.geometry.to_numpy(), *box))
    if not segments:
        return
    lines = LineCollection(
        segments,
        colors=color,
        linewidths=width,
        linestyles=linestyle,
        capstyle=capstyle,
        joinstyle="round",
        zorder=z,
    )
    lines.set_gid(f"basemap-{name}")
    ax.add_collection(lines, autolim=False)


def _halo(width: float = 2.0):
    import matplotlib.patheffects as pe  # optional dependency

    return [pe.withStroke(linewidth=width, foreground="white")]


def _country_names(
    ax: Axes, countries: pd.DataFrame | None, view: shapely.Geometry, lang: str
) -> bool:
    """Each neighbour's name at the most inland point of its part inside ``view``; none
    for the country the figure is about (the one under its middle) or a narrow strip."""
    if countries is None or not len(countries):
        return False
    texts = optional_names(countries, lang)
    if not any(texts):
        return False
    geoms = countries.geometry.to_numpy()
    middle = shapely.centroid(view)
    texts = [None if shapely.contains(g, middle) else t for g, t in zip(geoms, texts, strict=True)]
    points = inland_points(geoms, view, texts)
    found = np.flatnonzero(~shapely.is_missing(points))
    x0, y0, x1, y1 = view.bounds
    room = shapely.distance(
        points[found],
        shapely.boundary(shapely.intersection(geoms[found], view)),
    )
    for i, space in zip(found, room, strict=True):  # a few countries
        if space < 0.03 * (y1 - y0):
            continue  # too narrow a strip for a name
        ax.text(
            points[i].x,
            points[i].y,
            plain(texts[i]),
            fontsize=7,
            color=BASE_NAME_COLORS["country"],
            style="italic",
            ha="center",
            va="center",
            zorder=Z_NAMES,
            clip_on=True,
            gid="basemap-country-name",
            path_effects=_halo(),
        )
    return True


def _major(rivers: pd.DataFrame, stretches: np.ndarray, width: float) -> np.ndarray:
    if "rank" in rivers.columns:
        rank = pd.to_numeric(rivers["rank"], errors="coerce").to_numpy(dtype=float)
        return np.nan_to_num(rank, nan=np.inf) <= MAJOR_RANK
    return np.asarray(shapely.length(stretches), dtype=float) >= MIN_STRETCH * width


def _river_names(
    ax: Axes,
    rivers: pd.DataFrame | None,
    inner: shapely.Geometry,
    lang: str,
    lon: np.ndarray,
    lat: np.ndarray,
) -> None:
    """The major rivers' names along their longest stretch inside ``inner``, where it runs
    furthest from the places, turned to follow the river."""
    if rivers is None or not len(rivers):
        return
    texts = optional_names(rivers, lang)
    x0, y0, x1, y1 = inner.bounds
    stretches = longest_stretches(rivers.geometry.to_numpy(), inner)
    named = np.asarray([t is not None for t in texts]) & ~shapely.is_missing(stretches)
    named &= np.nan_to_num(_major(rivers, stretches, x1 - x0), nan=0).astype(bool)
    squeeze = math.cos(math.radians((y0 + y1) / 2))  # degrees of longitude to latitude's
    ok = np.isfinite(lon) & np.isfinite(lat)
    towns = np.c_[lon[ok] * squeeze, lat[ok]]
    along = np.linspace(0.25, 0.75, 21)
    for i in np.flatnonzero(named):  # a few rivers
        spots = shapely.get_coordinates(
            shapely.line_interpolate_point(stretches[i], along, normalized=True)
        )
        best = 0.5
        if len(towns):
            dx = spots[:, None, 0] * squeeze - towns[None, :, 0]
            gaps = np.hypot(dx, spots[:, None, 1] - towns[None, :, 1]).min(axis=1)
            # the name runs along the river: the room at a spot and at its neighbours
            padded = np.r_[gaps[0], gaps, gaps[-1]]
            room = np.minimum(gaps, np.minimum(padded[:-2], padded[2:]))
            best = float(along[int(np.argmax(room))])
        ends = shapely.get_coordinates(
            shapely.line_interpolate_point(
                stretches[i], [max(best - 0.04, 0.0), min(best + 0.04, 1.0)], normalized=True
            )
        )
        (ax0, ay0), (ax1, ay1) = ends
        point = shapely.get_coordinates(
            shapely.line_interpolate_point(stretches[i], best, normalized=True)
        )[0]
        # the angle on paper: a degree of latitude is 1 / cos(latitude) degrees of longitude
        angle = math.degrees(math.atan2((ay1 - ay0) / squeeze, ax1 - ax0))
        if angle > 90:
            angle -= 180
        elif angle <= -90:
            angle += 180
        normal = math.radians(angle + 90)
        ax.annotate(
            plain(texts[i]),
            (float(point[0]), float(point[1])),
            xytext=(4.5 * math.cos(normal), 4.5 * math.sin(normal)),
            textcoords="offset points",
            rotation=angle,
            rotation_mode="anchor",
            ha="center",
            va="center",
            fontsize=6.5,
            style="italic",
            color=BASE_NAME_COLORS["water"],
            zorder=Z_NAMES,
            annotation_clip=True,
            gid="basemap-river-name",
            path_effects=_halo(1.6),
        )
