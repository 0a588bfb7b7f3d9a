"""Drawing an animation's frames: a map as :func:`geoconflict.plot_map` draws it, with a
title, one legend, the sources, and a band under the map for the date and a progress bar.

A frame is laid out once (in pixels, from the frame's size). What never changes (the base
map, the context, the legend, title and sources) is drawn once and kept as pixels; each
state of the map then restores those pixels and draws only the layers above the land's
fill: the territories, the water and lines of the base map over them, the boundary,
frontlines, flows, places, names and the scale bar, in the order :func:`plot_map` draws
them, so a frame's map has the pixels of :func:`plot_map`'s at the same size.

The date band is drawn apart (:class:`Banner`) and pasted into each frame, so dates that
look the same share one drawing of the map.

matplotlib is optional: it is imported when a canvas is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..style import TEXT_COLOR, attribution, date_text
from ..territory._setting import LandSetting
from ._common import (
    NOTE_COLOR,
    colors_of,
    figure_words,
    label_names,
    plain,
    right_to_left,
    wrap,
)
from ._draw import flow_pairs, flow_scale
from ._furniture import legend_handles
from .plot import MapData, draw_ground, draw_state, map_data

__all__ = ["SIZES", "Banner", "FrameCanvas", "Layout", "Look", "render_state"]

#: Frame sizes by name, in pixels (width, height): the square and the 16:9 of social media.
SIZES = {"square": (1080, 1080), "wide": (1920, 1080)}
#: The frame's shorter side in inches: with it, type sizes in points read as in a figure.
INCHES = 6.0
#: Type sizes in points.
TITLE_PT, LEGEND_PT, DATE_PT, NOTE_PT, TICK_PT = 11.0, 7.0, 14.0, 5.5, 6.5
#: The date band under the map, in points: a gap, the date, the bar and its end dates.
BAND_PT, BAR_PT, GAP_PT = 42.0, 3.6, 4.0
TRACK_COLOR, BAR_COLOR = "#dddddd", "#444444"


@dataclass(frozen=True)
class Look:
    """Everything that decides how a frame looks (sent as is to the drawing processes)."""

    size: tuple[int, int]
    flows: bool | str
    labels: int
    legend: bool
    scale_bar: bool
    north_arrow: bool
    attribution: bool
    title: str
    lang: str
    max_flows: int
    basemap: object
    land: LandSetting

    @property
    def dpi(self) -> float:
        return min(self.size) / INCHES

    @property
    def mode(self) -> str:
        return "cumulative" if self.flows is True else str(self.flows)


@dataclass(frozen=True)
class Legend:
    """What the one legend of the animation lists (see :mod:`._states`)."""

    shown: list[str]
    front: bool
    categories: list[str]


class Layout(NamedTuple):
    """Where things go in a frame, in pixels from the top left: the map's box and the date
    band's (x0, y0, x1, y1)."""

    map_box: tuple[int, int, int, int]
    band_box: tuple[int, int, int, int]


def _pyplot_free_figure(size: tuple[int, int], dpi: float):
    """A figure drawn by Agg, outside pyplot (no window, nothing left open)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # optional dependency
    from matplotlib.figure import Figure

    # a quarter pixel more: matplotlib versions that truncate the size in pixels, and those
    # that round it, then make the same whole number of pixels
    fig = Figure(
        figsize=((size[0] + 0.25) / dpi, (size[1] + 0.25) / dpi), dpi=dpi, facecolor="white"
    )
    FigureCanvasAgg(fig)
    return fig


def _px(points: float, dpi: float) -> float:
    return points * dpi / 72.0


class FrameCanvas:
    """One frame's figure for ``conflict``: ground, legend, title and sources drawn once,
    laid out around the map's box; :meth:`render` draws a date's state over them.

    ``first`` is the date the ground is drawn from (the ground is the same on any date).
    """

    def __init__(self, conflict, look: Look, legend: Legend, first: pd.Timestamp) -> None:
        self.conflict = conflict
        self.look = look
        self.scale = flow_scale(conflict)
        fig = self.fig = _pyplot_free_figure(look.size, look.dpi)
        ax = self.ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        plain_children = set(ax.get_children())
        data = map_data(conflict, first, look.land)
        credits = draw_ground(
            ax,
            conflict,
            data,
            labels=look.labels,
            scale_bar=look.scale_bar,
            north_arrow=look.north_arrow,
            lang=look.lang,
            basemap=look.basemap,
        )
        # the ground's layers over the land's fill, and the frame, are drawn with each state
        self._over = {
            id(a)
            for a in ax.get_children()
            if (a not in plain_children and a.get_zorder() >= 1) or a in ax.spines.values()
        }
        self._state: list[Any] = []
        self._background = None
        self.layout = self._lay_out(data, legend, credits)

    # ----------------------------------------------------------------- layout
    def _lay_out(self, data: MapData, legend: Legend, credits: tuple[str, ...]) -> Layout:
        look, fig, ax = self.look, self.fig, self.ax
        rtl = right_to_left(look.lang)
        width, height = look.size
        dpi = look.dpi
        renderer = fig.canvas.get_renderer()
        pad, gap = 0.03 * min(width, height), 0.012 * min(width, height)

        title = None
        title_h = 0.0
        if look.title:
            title = fig.text(0, 0, look.title, fontsize=TITLE_PT, va="top", color=TEXT_COLOR)
            title_h = title.get_window_extent(renderer).height + gap
        box = None
        legend_w = 0.0
        if look.legend and (legend.shown or legend.front or legend.categories):
            handles, texts = legend_handles(
                legend.shown,
                colors_of(self.conflict),
                label_names(self.conflict, look.lang, figure_words(look.lang)),
                front=legend.front,
                scale=self.scale if legend.categories else None,
                categories=legend.categories,
                text=figure_words(look.lang),
            )
            box = fig.legend(
                handles,
                texts,
                loc="upper left",
                borderaxespad=0.0,
                borderpad=0.0,
                fontsize=LEGEND_PT,
                frameon=False,
                handlelength=1.6,
                alignment="right" if rtl else "left",
            )
            legend_w = box.get_window_extent(renderer).width + gap
        band_h = _px(BAND_PT, dpi)
        text = attribution(self.conflict, lang=look.lang, credits=credits)

        x0, y0, x1, y1 = data.extent
        aspect = 1.0 / math.cos(math.radians((y0 + y1) / 2))
        ratio = (x1 - x0) / ((y1 - y0) * aspect)
        note = None
        note_h = 0.0
        group_w = width - 2 * pad
        for _ in range(2):  # the sources wrap to the map's width, which they help decide
            if note is not None:
                note.remove()
                note = None
            note_h = 0.0
            if look.attribution and text:
                chars = int(group_w / dpi * 72.0 / (NOTE_PT * 0.69))
                note = fig.text(
                    0, 0, wrap(plain(text), chars), fontsize=NOTE_PT, color=NOTE_COLOR, va="top"
                )
                note_h = note.get_window_extent(renderer).height + gap
            room_w = width - 2 * pad - legend_w
            room_h = height - 2 * pad - title_h - band_h - note_h
            map_w = min(room_w, room_h * ratio)
            map_h = map_w / ratio
            group_w = map_w + legend_w
        left = (width - group_w) / 2.0
        top = (height - (title_h + map_h + band_h + note_h)) / 2.0  # from the top
        map_top = top + title_h
        ax.set_position(
            (left / width, 1.0 - (map_top + map_h) / height, map_w / width, map_h / height)
        )
        if title is not None:
            title.set_position(((left + map_w) / width if rtl else left / width, 1 - top / height))
            title.set_horizontalalignment("right" if rtl else "left")
        if box is not None:
            box.set_bbox_to_anchor(((left + map_w + gap) / width, 1.0 - map_top / height))
        if note is not None:
            note.set_position((left / width, 1.0 - (map_top + map_h + band_h) / height))
        map_box = (round(left), round(map_top), round(left + map_w), round(map_top + map_h))
        band_box = (
            map_box[0],
            map_box[3],
            map_box[2],
            min(height, round(map_top + map_h + band_h)),
        )
        return Layout(map_box, band_box)

    # ----------------------------------------------------------------- drawing
    def _prepare(self) -> None:
        over = [a for a in self.ax.get_children() if id(a) in self._over]
        for artist in over:
            artist.set_visible(False)
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in over:
            artist.set_visible(True)

    def render(
        self,
        date: pd.Timestamp,
        data: MapData | None = None,
        *,
        grow: dict[tuple[str, str, str], float] | None = None,
    ) -> np.ndarray:
        """The frame at ``date`` (``data``: :func:`map_data` of it) as (height, width, 3)
        uint8 RGB, the date band left blank."""
        if self._background is None:
            self._prepare()
        look, ax = self.look, self.ax
        if data is None:
            data = map_data(self.conflict, date, look.land)
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        for artist in self._state:
            artist.remove()
        before = {id(a) for a in ax.get_children()}
        draw_state(
            ax,
            self.conflict,
            date,
            data,
            flows=look.flows,
            labels=look.labels,
            lang=look.lang,
            max_flows=look.max_flows,
            scale=self.scale,
            grow=grow,
        )
        children = ax.get_children()
        self._state = [a for a in children if id(a) not in before]
        new = {id(a) for a in self._state}
        drawn = [a for a in children if id(a) in self._over or id(a) in new]
        drawn.sort(key=lambda a: a.get_zorder())  # stable: as Axes.draw orders them
        for artist in drawn:
            ax.draw_artist(artist)
        width, height = look.size
        return np.asarray(canvas.buffer_rgba())[:height, :width, :3].copy()


def render_state(
    canvas: FrameCanvas,
    date: pd.Timestamp,
    before: pd.Timestamp | None,
    shares: list[float],
) -> list[np.ndarray]:
    """The frames of one state: for each of ``shares``, the map with the flows begun since
    ``before`` drawn that share of their way (none when no flow begins), then the map."""
    look = canvas.look
    data = map_data(canvas.conflict, date, look.land)
    out = []
    if shares and before is not None and look.flows:
        now = flow_pairs(canvas.conflict, date, look.mode, look.max_flows)
        old = flow_pairs(canvas.conflict, before, look.mode, look.max_flows)
        keys = ["origin", "destination", "category"]
        new = set(map(tuple, now[keys].astype(str).to_numpy().tolist())) - set(
            map(tuple, old[keys].astype(str).to_numpy().tolist())
        )
        if new:
            for share in shares:
                out.append(canvas.render(date, data, grow=dict.fromkeys(new, share)))
    out.append(canvas.render(date, data))
    return out


class Banner:
    """The date band under the map: the date, large, and a bar from the first date to the
    last, filled to the frame's place between them."""

    def __init__(self, look: Look, layout: Layout, first: pd.Timestamp, last: pd.Timestamp):
        from matplotlib.patches import Rectangle  # optional dependency

        x0, y0, x1, y1 = layout.band_box
        self.box = layout.band_box
        self.look = look
        dpi = look.dpi
        w, h = max(x1 - x0, 1), max(y1 - y0, 1)
        fig = self.fig = _pyplot_free_figure((w, h), dpi)
        rtl = right_to_left(look.lang)
        bar_h = _px(BAR_PT, dpi) / h
        bar_y = 1.0 - _px(GAP_PT + DATE_PT * 1.45, dpi) / h - bar_h
        fig.patches.append(
            Rectangle((0.0, bar_y), 1.0, bar_h, transform=fig.transFigure, color=TRACK_COLOR, lw=0)
        )
        ends = ((0.0, first, "left"), (1.0, last, "right"))
        if rtl:  # time runs from right to left, as the bar fills
            ends = ((1.0, first, "right"), (0.0, last, "left"))
        for x, when, ha in ends:
            fig.text(
                x,
                bar_y - _px(2.0, dpi) / h,
                date_text(when, look.lang),
                fontsize=TICK_PT,
                color=NOTE_COLOR,
                ha=ha,
                va="top",
            )
        fig.canvas.draw()
        self._background = fig.canvas.copy_from_bbox(fig.bbox)
        self.date = fig.text(
            1.0 if rtl else 0.0,
            1.0 - _px(GAP_PT, dpi) / h,
            "",
            fontsize=DATE_PT,
            fontweight="bold",
            color=TEXT_COLOR,
            ha="right" if rtl else "left",
            va="top",
            animated=True,
        )
        self.bar = Rectangle(
            (1.0 if rtl else 0.0, bar_y),
            0.0,
            bar_h,
            transform=fig.transFigure,
            color=BAR_COLOR,
            lw=0,
            animated=True,
        )
        fig.patches.append(self.bar)
        self._rtl = rtl

    def render(self, when: pd.Timestamp, progress: float) -> np.ndarray:
        """The band for ``when`` with the bar filled to ``progress`` (0 to 1)."""
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        self.date.set_text(date_text(when, self.look.lang))
        share = min(max(float(progress), 0.0), 1.0)
        self.bar.set_width(-share if self._rtl else share)
        self.fig.draw_artist(self.date)
        self.fig.draw_artist(self.bar)
        x0, y0, x1, y1 = self.box
        return np.asarray(canvas.buffer_rgba())[: y1 - y0, : x1 - x0, :3].copy()

    def paste(self, frame: np.ndarray, when: pd.Timestamp, progress: float) -> np.ndarray:
        """``frame`` (a copy) with the band of ``when`` in its place."""
        x0, y0, x1, y1 = self.box
        out = frame.copy()
        band = self.render(when, progress)
        out[y0:y1, x0:x1] = band
        return out
