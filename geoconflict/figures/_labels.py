"""Place names on a static map, never over each other: placed as the figure is drawn.

Each name is tried beside its dot (right, then left, above, below; the other way round
right to left), in the maps' label order (seat of government, population, name). A name
goes where its box (as drawn, in pixels) stays inside the map and clear of every name placed
before it and of the dots named; a name that fits nowhere is left out. The base map's names
(countries, rivers) then show only where they overlap no place name and no other name. The
placing happens when the figure is drawn (a small artist drawn before every text), so it
holds at any size, resolution and layout the figure is saved with.

matplotlib is optional: it is imported inside the functions that draw.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["LABEL_GID", "place_labels"]

#: The gid of every place name drawn (tests and users find them by it).
LABEL_GID = "place-label"
#: Where a name is tried, in this order: right of its dot, left, above, below, then the four
#: corners (a direction in x and y, with the alignment that puts the name on that side).
_OFFSETS = ((1, 0, "left", "center"), (-1, 0, "right", "center"),
            (0, 1, "center", "bottom"), (0, -1, "center", "top"),
            (1, 1, "left", "bottom"), (1, -1, "left", "top"),
            (-1, 1, "right", "bottom"), (-1, -1, "right", "top"))  # fmt: skip
_GAP = 3.0  # points between a dot's edge and its name
_PAD = 1.0  # pixels of air kept around each name
_MIRROR = {"left": "right", "right": "left", "center": "center"}


def _overlaps(box: np.ndarray, boxes: list[np.ndarray]) -> bool:
    if not boxes:
        return False
    b = np.asarray(boxes)
    return bool(
        ((box[0] < b[:, 2]) & (box[2] > b[:, 0]) & (box[1] < b[:, 3]) & (box[3] > b[:, 1])).any()
    )


@functools.cache
def _placer_class():
    from matplotlib.artist import Artist  # optional dependency

    class LabelPlacer(Artist):
        """Decides, as the figure is drawn, where each name goes and which are left out."""

        def __init__(
            self,
            texts,
            dots: np.ndarray,
            radii: np.ndarray,
            rtl: bool,
            limit: int,
            others,
            fixed,
        ) -> None:
            super().__init__()
            self.texts = texts
            self.limit = limit
            self.others = list(others)
            self.fixed = list(fixed)
            self.dots = dots  # data coordinates of the dots named
            self.radii = radii  # their radii in points
            # right to left: a name goes left of its dot first
            self.offsets = (
                [(-dx, dy, _MIRROR[ha], va) for dx, dy, ha, va in _OFFSETS] if rtl else _OFFSETS
            )

        def draw(self, renderer) -> None:
            axes = self.axes
            if axes is None or not self.get_visible():
                return
            frame = axes.get_window_extent(renderer)
            inside = np.array([frame.x0, frame.y0, frame.x1, frame.y1])
            scale = renderer.points_to_pixels(1.0)
            centres = axes.transData.transform(self.dots) if len(self.dots) else self.dots
            taken: list[np.ndarray] = [
                np.array([x - r, y - r, x + r, y + r])
                for (x, y), r in zip(centres, self.radii * scale, strict=True)
            ]
            for other in self.fixed:  # texts that stay where they are (counts' numbers)
                if other.get_visible():
                    bbox = other.get_window_extent(renderer)
                    taken.append(np.array([bbox.x0, bbox.y0, bbox.x1, bbox.y1]))
            shown = 0
            for text, r in zip(self.texts, self.radii, strict=True):
                text.set_visible(False)
                if shown >= self.limit:
                    continue
                for dx, dy, ha, va in self.offsets:
                    gap = (r + _GAP) / (np.sqrt(2.0) if dx and dy else 1.0)  # clear of the dot
                    text.xyann = (dx * gap, dy * gap)
                    text.set_horizontalalignment(ha)
                    text.set_verticalalignment(va)
                    text.set_visible(True)  # an invisible text measures as nothing
                    bbox = text.get_window_extent(renderer)
                    text.set_visible(False)
                    box = np.array([bbox.x0, bbox.y0, bbox.x1, bbox.y1])
                    box += np.array([-_PAD, -_PAD, _PAD, _PAD])
                    if (
                        box[0] < inside[0]
                        or box[1] < inside[1]
                        or box[2] > inside[2]
                        or box[3] > inside[3]
                        or _overlaps(box, taken)
                    ):
                        continue
                    text.set_visible(True)
                    taken.append(box)
                    shown += 1
                    break
            for other in self.others:  # the base map's names give way to the places'
                other.set_visible(True)
                bbox = other.get_window_extent(renderer)
                box = np.array([bbox.x0, bbox.y0, bbox.x1, bbox.y1])
                free = not _overlaps(box, taken)
                other.set_visible(free)
                if free:
                    taken.append(box)
            self.stale = False

    return LabelPlacer


def place_labels(
    ax: Axes,
    names: list[str],
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    radii: np.ndarray,
    rtl: bool,
    limit: int | None = None,
    others: list | tuple = (),
    fixed: list | tuple = (),
    fontsize: float = 7,
    color: str = "#222222",
    zorder: float = 6,
) -> list:
    """Name the dots at ``lon``, ``lat`` (in this order of priority), each name placed where
    it overlaps no other name nor a dot named (``radii`` in points), or left out; at most
    ``limit`` names show (the next in order takes the place of one that fits nowhere).
    ``others`` (texts already on the map: the base map's names) show where they overlap no
    name placed, nor each other; ``fixed`` texts (the numbers of people counted) stay, and
    names keep clear of them.

    Returns the names' Annotations (gid :data:`LABEL_GID`); which of them show is decided
    when the figure is drawn.
    """
    import matplotlib.patheffects as pe  # optional dependency

    texts = [
        ax.annotate(
            name,
            (x, y),
            xytext=(4.0, 0.0),
            textcoords="offset points",
            fontsize=fontsize,
            color=color,
            zorder=zorder,
            ha="left",
            va="center",
            annotation_clip=True,
            gid=LABEL_GID,
            path_effects=[pe.withStroke(linewidth=2.2, foreground="white")],
        )
        for name, x, y in zip(names, lon, lat, strict=True)
    ]
    placer = _placer_class()(
        texts,
        np.column_stack([lon, lat]),
        np.asarray(radii, dtype=float),
        rtl,
        len(texts) if limit is None else int(limit),
        others,
        fixed,
    )
    placer.set_zorder(-10)  # drawn before every text of the map: it places them
    ax.add_artist(placer)
    return texts
