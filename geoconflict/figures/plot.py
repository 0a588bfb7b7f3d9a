"""Static maps: one map at a date (:func:`plot_map`) and small multiples over dates.

matplotlib is optional: it is imported (through :func:`._common.pyplot`) when a function draws.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import shapely

from .._inputs import conflict_input
from .._schema import ACTOR_ID
from .._time import to_timestamps
from ..basemap import check_basemap, choose_basemap
from ..places import place_points
from ..progress import progress as progress_bar
from ..style import FlowScale, date_text
from ..territory import frontlines, places_at, territories
from ..territory._land import has_land
from ..territory._setting import LandSetting, land_setting
from ._basemap import draw_basemap
from ._common import (
    NOTE_COLOR,
    FigureOptionError,
    attribution_text,
    check_flows,
    colors_of,
    default_date,
    figure_words,
    label_names,
    plain,
    pyplot,
    right_to_left,
)
from ._counts import count_handles, count_scale, counts_drawn, draw_counts
from ._draw import (
    contested_land,
    draw_context,
    draw_flows,
    draw_frontlines,
    draw_labels,
    draw_outline,
    draw_places,
    draw_territories,
    draw_units,
    draw_zones,
    flow_scale,
)
from ._furniture import draw_north_arrow, draw_scale_bar, legend_handles, present
from ._geometry import extent_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_map", "plot_small_multiples"]


class Drawn(NamedTuple):
    """What :func:`draw_map` drew: the labels shown (actors holding land or drawn places on
    the date, then contested and unknown), whether a front, the flow categories, and the
    credit lines of the base map drawn (empty when none)."""

    shown: list[str]
    front: bool
    categories: list[str]
    credits: tuple[str, ...]
    counts: bool = False
    admin_lines: bool = False
    levels: Mapping[str, object] | None = None


def _held(territory, snapshot, points) -> list:
    """Labels of what the map shows in a holder's colour: land (area above zero), places
    drawn as dots, zones outlined; contested and unknown as such."""
    held: list = []
    if territory is not None and len(territory):
        area = territory["area_km2"].to_numpy(dtype=float) if "area_km2" in territory else None
        keep = territory[ACTOR_ID].astype(str)
        held += list(keep[area > 0] if area is not None else keep)
    holder = snapshot[ACTOR_ID].astype("string").fillna("unknown")
    if "status" in snapshot.columns:
        holder = holder.mask((snapshot["status"] == "contested").fillna(False), "contested")
    zone = (
        (snapshot["level"].astype("string") == "zone").fillna(False).to_numpy(dtype=bool)
        if "level" in snapshot.columns
        else False
    )
    held += list(holder[points | zone])
    return held


class MapData(NamedTuple):
    """What a map at a date is drawn from: who holds each place, the places' points, the
    territories and frontlines (``None`` without land to fill), the map's extent, and the
    contested land by its two sides (see :func:`._draw.contested_land`)."""

    snapshot: pd.DataFrame
    lon: np.ndarray
    lat: np.ndarray
    territory: pd.DataFrame | None
    front: pd.DataFrame | None
    extent: tuple[float, float, float, float]
    contested: Sequence = ()


def map_data(conflict, date: pd.Timestamp, land: LandSetting) -> MapData:
    """The snapshot, territories and frontlines at ``date`` and the extent they span."""
    snapshot = places_at(conflict, date)
    lon, lat = place_points(snapshot)
    territory = front = None
    contested: Sequence = ()
    if has_land(conflict, land):
        km, bounds = land.max_distance_km, land.boundary
        territory = territories(conflict, date, no_data=True, max_distance_km=km, boundary=bounds)
        front = frontlines(conflict, date, max_distance_km=km, boundary=bounds)
        if (territory[ACTOR_ID].astype(str) == "contested").any():
            contested = contested_land(conflict, date, land)
    extent = extent_of(conflict, territory, lon, lat)
    return MapData(snapshot, lon, lat, territory, front, extent, contested)


def draw_ground(
    ax: Axes,
    conflict,
    data: MapData,
    *,
    labels: int,
    scale_bar: bool,
    north_arrow: bool,
    lang: str,
    basemap: object = "auto",
    text: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """What a map of the conflict shows on every date: the base map, the context, the
    boundary's outline, the frame, the scale bar and the north arrow (in ``text``, the
    figure's words; default: ``lang``'s). Returns the base map's credit lines (empty when
    none is drawn)."""
    text = figure_words(lang) if text is None else text
    x0, y0, x1, y1 = extent = data.extent
    lon, lat = data.lon, data.lat
    base = choose_basemap(basemap, extent, error=FigureOptionError)
    named = base is not None and draw_basemap(
        ax, base, extent, lang=lang, names=labels > 0, lon=lon, lat=lat
    )
    draw_context(
        ax,
        conflict,
        shapely.box(x0, y0, x1, y1),
        labels=labels > 0 and not named,
        lang=lang,
        land=base is not None and base.countries is not None,
    )
    territory = data.territory
    if territory is not None:
        outline = (
            territory.union_all() if conflict.boundary is None else conflict.boundary.union_all()
        )
        draw_outline(ax, outline)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    ground = None if territory is None else territory.union_all()
    if scale_bar:
        draw_scale_bar(ax, extent, text, land=ground, lon=lon, lat=lat)
    if north_arrow:
        draw_north_arrow(ax, extent, text, land=ground, lon=lon, lat=lat)
    return () if base is None else base.credits


def draw_state(
    ax: Axes,
    conflict,
    date: pd.Timestamp,
    data: MapData,
    *,
    flows: bool | str,
    labels: int,
    lang: str,
    max_flows: int,
    scale: FlowScale,
    grow: dict[tuple[str, str, str], float] | None = None,
) -> tuple[bool, list[str]]:
    """What changes with the date: the territories (contested land hatched in both sides'
    colours), the admin units' outlines, frontlines, flows, zones, places and their names
    (placed without overlap). Returns whether a front was drawn and the flow categories
    drawn. ``grow`` draws the flows of some (origin, destination, category) pairs part of
    the way, as a share of their length."""
    colors = colors_of(conflict)
    snapshot, territory, front = data.snapshot, data.territory, data.front
    if territory is not None:
        draw_territories(ax, territory, colors, data.contested)
    draw_units(ax, snapshot)
    has_front = front is not None and draw_frontlines(ax, front)
    categories = (
        draw_flows(
            ax,
            conflict,
            date,
            "cumulative" if flows is True else str(flows),
            max_flows,
            scale,
            grow=grow,
        )
        if flows
        else []
    )
    if flows:  # people counted where they are: circles with their numbers
        draw_counts(ax, conflict, date, count_scale(conflict))
    draw_zones(ax, snapshot, colors)
    draw_places(ax, snapshot, colors, data.lon, data.lat)
    draw_labels(ax, snapshot, data.lon, data.lat, labels, lang, rtl=right_to_left(lang))
    return has_front, categories


def draw_map(
    ax: Axes,
    conflict,
    date: pd.Timestamp,
    *,
    flows: bool | str,
    labels: int,
    scale_bar: bool,
    north_arrow: bool,
    lang: str,
    text: dict[str, str],
    max_flows: int,
    land: LandSetting,
    scale: FlowScale,
    basemap: object = "auto",
) -> Drawn:
    """Draw the map (``basemap`` as checked by :func:`geoconflict.basemap.check_basemap`,
    ``"auto"`` deciding on the map's extent; ``text`` the figure's words):
    :func:`draw_ground`, then :func:`draw_state`."""
    data = map_data(conflict, date, land)
    credits = draw_ground(
        ax,
        conflict,
        data,
        labels=labels,
        scale_bar=scale_bar,
        north_arrow=north_arrow,
        lang=lang,
        basemap=basemap,
        text=text,
    )
    has_front, categories = draw_state(
        ax,
        conflict,
        date,
        data,
        flows=flows,
        labels=labels,
        lang=lang,
        max_flows=max_flows,
        scale=scale,
    )
    counted = bool(flows) and counts_drawn(conflict, date)
    points = (shapely.get_type_id(data.snapshot.geometry.to_numpy()) == 0) & np.isfinite(data.lon)
    order = list(dict.fromkeys([*colors_of(conflict), "contested", "unknown"]))
    shown = present(order, _held(data.territory, data.snapshot, points))
    base = choose_basemap(basemap, data.extent, error=FigureOptionError)
    if base is None:
        return Drawn(shown, has_front, categories, credits, counted)
    x0, y0, x1, y1 = data.extent
    admin = base.admin1 is not None and bool(
        shapely.intersects(shapely.box(x0, y0, x1, y1), base.admin1.geometry.to_numpy()).any()
    )
    return Drawn(shown, has_front, categories, credits, counted, admin, base.level_names)


def plot_map(
    conflict,
    when: object = None,
    *,
    ax: Axes | None = None,
    flows: bool | str = True,
    labels: int = 10,
    legend: bool = True,
    scale_bar: bool = True,
    north_arrow: bool = False,
    attribution: bool = True,
    title: str | None = None,
    lang: str = "en",
    words: object = None,
    level_names: object = None,
    figsize: tuple[float, float] = (7, 5.5),
    max_flows: int = 100,
    basemap: object = "auto",
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
) -> Axes:
    """A static map of a conflict at a date, for papers and reports.

    Territories are filled in each actor's colour (contested land hatched in the two sides'
    colours), frontlines drawn bold, towns drawn as dots in their controller's colour (sized
    by population), admin units (polygon places) as outlines, never as dots, displacement
    flows as curved arrows (width by people on one scale for every date, colour by category,
    dashed where the figure is an estimate, a pale wider line for the upper end of a range),
    over a light base map (countries, lakes, rivers, first-level admin lines; see
    ``basemap``); the conflict's own neighbours (its ``context``) as land, in light grey
    without a base map. Place names never overlap: a name that fits nowhere beside its dot
    is left out. The legend lists the actors holding land or places on the date shown, in
    the actors' order and colours.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        Default: the last date of the data.
    ax : matplotlib Axes, optional
        Draw here; default: a new figure of ``figsize``.
    flows : bool or {"cumulative", "active"}, default True
        ``True`` or ``"cumulative"``: flows begun on or before ``when``; ``"active"``: flows
        under way on ``when``; ``False``: none. Flows between the same two places are summed.
    labels : int, default 10
        Name up to this many places: seats of government first (a ``seat`` column, OCHA
        levels 0-3), then the most populous (``0`` for none); a name that would overlap
        another gives way to the next place.
    legend : bool, default True
        A legend of the actors on the map, the frontline and flow widths, beside the map.
    scale_bar, north_arrow, attribution : bool
        A scale bar (in the emptier lower corner), a north arrow (in the emptier upper
        corner), and a line under the map naming the data's sources (GeoNames, Natural
        Earth, host names of cited reports ...), wrapped to the figure's width, never cut.
    title : str, optional
        Default: the conflict's title and the date; ``""`` for none.
    lang : str, default "en"
        Language of names (``name_<lang>`` where the data has it: ``name_uk``, ``name_ar``
        ...) and of the map's own words and date: one of :data:`geoconflict.style.LANGUAGES`
        (English, Arabic, French, Spanish, Ukrainian, Russian) or any language code with
        ``words``. Right-to-left languages (Arabic, Hebrew, Persian, Urdu) are laid out
        right to left; their letters are joined by matplotlib versions that shape text with
        libraqm (older ones draw them apart).
    words : mapping, optional
        Your own interface words, over those of ``lang`` or for another language (keys as
        in ``geoconflict.style.words("en")``).
    level_names : mapping, optional
        What admin levels are called (``{"admin1": "oblast"}``), for the legend's
        "Oblast lines"; default: the data's ``level_name``, the base map's, else neutral.
    figsize : (float, float), default (7, 5.5)
        Inches, for a new figure.
    max_flows : int, default 100
        Draw at most this many flows (the largest).
    basemap : "auto", None or Basemap, default "auto"
        The light base map under the conflict, as :func:`geoconflict.explore` draws it:
        neighbouring countries as land with their names, lakes, rivers (over the
        territories, the major ones named) and first-level admin lines (dashed); its
        credits join the sources line. ``"auto"``: the one shipped with the package
        (:func:`geoconflict.load_basemap`, Syria and its neighbours) when it reaches the
        map; a :class:`~geoconflict.Basemap` of your own layers
        (:func:`geoconflict.make_basemap`); ``None`` for none. The map's extent is the
        same either way.
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories` (and the interactive map:
        the same keywords give the same land). Without land to fill (a boundary, in the
        data or here, or polygon places) no territories or frontlines are drawn.
    method, radius_km
        Deprecated spellings of ``max_distance_km``.

    Returns
    -------
    matplotlib Axes
        Save its figure with :func:`save_figure`.

    Raises
    ------
    FigureOptionError
        For an unknown option, ``flows``, ``lang``, ``words``, ``level_names`` or
        ``basemap`` value.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> ax = gc.plot_map(gc.load_example(), "2024-12-06")
    >>> ax.get_title(loc="left")
    '..., 6 December 2024'
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "basemap-river-name")
    ['Euphrates', 'Tigris']
    >>> bare = gc.plot_map(gc.load_example(), "2024-12-06", basemap=None)
    >>> [a for a in bare.collections if (a.get_gid() or "").startswith("basemap")]
    []
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    conflict_input(conflict, function="plot_map")
    land = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    check_flows(flows)
    check_basemap(basemap, error=FigureOptionError)
    text = figure_words(lang, words=words, level_names=level_names, places=conflict.places)
    rtl = right_to_left(lang)
    plt = pyplot()
    date = default_date(conflict, when)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    scale = flow_scale(conflict)
    drawn = draw_map(
        ax,
        conflict,
        date,
        flows=flows,
        labels=labels,
        scale_bar=scale_bar,
        north_arrow=north_arrow,
        lang=lang,
        text=text,
        max_flows=max_flows,
        land=land,
        scale=scale,
        basemap=basemap,
    )
    if drawn.levels:
        text = figure_words(
            lang,
            words=words,
            level_names=level_names,
            places=conflict.places,
            basemap_levels=drawn.levels,
        )
    if title is None:
        title = f"{plain(conflict.title)}, {date_text(date, lang, text)}"
    if title:
        ax.set_title(title, fontsize=10, loc="right" if rtl else "left")
    if legend:
        handles, texts = legend_handles(
            drawn.shown,
            colors_of(conflict),
            label_names(conflict, lang, text),
            front=drawn.front,
            scale=scale if drawn.categories else None,
            categories=drawn.categories,
            text=text,
            admin_lines=drawn.admin_lines,
        )
        if drawn.counts:  # people counted where they are: circle sizes
            more, more_texts = count_handles(count_scale(conflict), text)
            handles, texts = handles + more, texts + more_texts
        ax.legend(
            handles,
            texts,
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            borderaxespad=0.0,
            fontsize=7,
            frameon=False,
            handlelength=1.6,
            alignment="right" if rtl else "left",
        )
    sources = attribution_text(conflict, lang, text, drawn.credits) if attribution else ""
    if sources:
        ax.text(
            1.0 if rtl else 0.0,
            -0.015,
            sources,
            transform=ax.transAxes,
            ha="right" if rtl else "left",
            va="top",
            fontsize=5.5,
            color=NOTE_COLOR,
            clip_on=False,
            wrap=True,
            gid="sources",
        )
    return ax


def plot_small_multiples(
    conflict,
    dates: Iterable[object],
    *,
    ncols: int = 3,
    panel_size: tuple[float, float] = (2.6, 2.3),
    flows: bool | str = False,
    labels: int = 0,
    legend: bool = True,
    scale_bar: bool = True,
    attribution: bool = True,
    title: str | None = None,
    lang: str = "en",
    words: object = None,
    level_names: object = None,
    progress: bool | None = None,
    basemap: object = "auto",
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
) -> Figure:
    """The same map at several dates, side by side, with one legend.

    Parameters
    ----------
    conflict : Conflict
    dates : sequence of dates
        One panel per date, in this order.
    ncols : int, default 3
        Panels per row.
    panel_size : (float, float), default (2.6, 2.3)
        Inches per panel.
    flows : bool or {"cumulative", "active"}, default False
        As for :func:`plot_map`.
    labels : int, default 0
        Places named in each panel (seats of government first, then the most populous).
    legend, scale_bar, attribution : bool
        One legend for every actor shown in any panel, a scale bar in the first panel, the
        sources under the figure.
    title : str, optional
        A title over all panels; default: the conflict's title; ``""`` for none.
    lang, words, level_names
        As for :func:`plot_map`.
    progress : bool or None, default None
        A progress bar over the panels (see :func:`geoconflict.progress.progress`).
    basemap : "auto", None or Basemap, default "auto"
        As for :func:`plot_map`: the base map under every panel (named only when
        ``labels`` is above 0), its credits once under the figure.
    max_distance_km, boundary
        The land setting, as for :func:`plot_map`.
    method, radius_km
        Deprecated spellings of ``max_distance_km``.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    FigureOptionError
        For no dates, ``ncols`` below 1, or a ``flows`` or ``basemap`` value not taken.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> fig = gc.plot_small_multiples(gc.load_example(),
    ...                               ["2024-11-26", "2024-12-01", "2024-12-06", "2024-12-09"])
    >>> len([a for a in fig.axes if a.get_visible()])
    4
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    conflict_input(conflict, function="plot_small_multiples")
    land = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    check_flows(flows)
    check_basemap(basemap, error=FigureOptionError)
    when = to_timestamps(list(dates), argument="dates")
    if when.empty:
        raise FigureOptionError("dates is empty. Fix: pass at least one date.")
    if not isinstance(ncols, int) or ncols < 1:
        raise FigureOptionError(f"ncols must be a whole number of at least 1, got {ncols!r}.")
    text = figure_words(lang, words=words, level_names=level_names, places=conflict.places)
    plt = pyplot()
    ncols = min(ncols, when.size)
    nrows = math.ceil(when.size / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        squeeze=False,
        layout="constrained",
        figsize=(panel_size[0] * ncols + (1.9 if legend else 0), panel_size[1] * nrows + 0.5),
    )
    # panels read in the language's direction: right to left, the first date top right
    flat = (axes[:, ::-1] if right_to_left(lang) else axes).ravel()
    colors = colors_of(conflict)
    seen: set[str] = set()
    categories: dict[str, None] = {}
    front = False
    scale = flow_scale(conflict)
    credits: dict[str, None] = {}
    admin, levels, counted = False, None, False
    for i in progress_bar(range(when.size), desc="small multiples", enabled=progress):
        drawn = draw_map(
            flat[i],
            conflict,
            when[i],
            flows=flows,
            labels=labels,
            scale_bar=scale_bar and i == 0,
            north_arrow=False,
            lang=lang,
            text=text,
            max_flows=100,
            land=land,
            scale=scale,
            basemap=basemap,
        )
        categories.update(dict.fromkeys(drawn.categories))
        credits.update(dict.fromkeys(drawn.credits))
        flat[i].set_title(date_text(when[i], lang, text), fontsize=9)
        seen |= set(drawn.shown)
        front = front or drawn.front
        admin = admin or drawn.admin_lines
        levels = levels or drawn.levels
        counted = counted or drawn.counts
    for ax in flat[when.size :]:
        ax.set_visible(False)
    if title is None:
        title = plain(conflict.title)
    if title:  # over the panels, clear of the legend beside them
        panels = 1.0 - (1.9 / fig.get_figwidth() if legend else 0.0)
        rtl = right_to_left(lang)
        fig.suptitle(title, fontsize=11, x=panels - 0.01 if rtl else 0.01,
                     ha="right" if rtl else "left")  # fmt: skip
    if levels:
        text = figure_words(
            lang,
            words=words,
            level_names=level_names,
            places=conflict.places,
            basemap_levels=levels,
        )
    if legend:
        handles, texts = legend_handles(
            [a for a in dict.fromkeys([*colors, "contested", "unknown"]) if a in seen],
            colors,
            label_names(conflict, lang, text),
            front=front,
            scale=scale if categories else None,
            categories=list(categories),
            text=text,
            width=26,
            admin_lines=admin,
        )
        if counted:  # people counted where they are: circle sizes
            more, more_texts = count_handles(count_scale(conflict), text)
            handles, texts = handles + more, texts + more_texts
        fig.legend(
            handles, texts, loc="outside right upper", fontsize=7, frameon=False, handlelength=1.6
        )
    sources = attribution_text(conflict, lang, text, tuple(credits)) if attribution else ""
    if sources:
        rtl = right_to_left(lang)
        fig.supxlabel(
            sources,
            fontsize=5.5,
            color=NOTE_COLOR,
            x=0.99 if rtl else 0.01,
            ha="right" if rtl else "left",
            wrap=True,
            gid="sources",
        )
    return fig
