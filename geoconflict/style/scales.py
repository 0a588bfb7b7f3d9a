"""Visual scales shared by maps and figures: flow widths, round ticks, marker sizes.

A flow's line width follows the square root of its people, so the line's area on the map
follows people roughly. One scale serves every date of a map or a set of figures: the widest
line is the largest figure drawn on *any* date, so a line of a given width means the same
number of people on 26 November as on 9 December.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FLOW_MAX_PX",
    "FLOW_MIN_PX",
    "COUNT_RADIUS_PX",
    "PLACE_RADIUS",
    "CountScale",
    "FlowScale",
    "count_radius",
    "flow_width",
    "largest_line",
    "nice_number",
    "nice_ticks",
    "place_radius",
]

#: Flow line widths in pixels on the interactive map: the thinnest line and the widest.
FLOW_MIN_PX = 1.0
FLOW_MAX_PX = 14.0
#: Circles of people counted where they are (``kind="present"``): the smallest radius in
#: pixels and the radius of the largest count on any date.
COUNT_RADIUS_PX = (3.0, 22.0)
_MAX_CELLS = 20_000_000  # entries of the (lines x dates) table of largest_line
#: Place marker radius in pixels: without population, smallest and largest population.
PLACE_RADIUS = (5.0, 4.0, 14.0)


def flow_width(
    people: object, top: float, *, thinnest: float = FLOW_MIN_PX, widest: float = FLOW_MAX_PX
) -> np.ndarray:
    """Line width for ``people`` when the widest line stands for ``top`` people.

    ``widest`` times the square root of the share of ``top``, and never less than
    ``thinnest``, so small flows stay visible beside large ones.

    Examples
    --------
    >>> flow_width([0.0, 2500.0, 10000.0], 10000.0).round(2).tolist()
    [1.0, 7.0, 14.0]
    """
    people = np.asarray(people, dtype=float)
    if not top or not np.isfinite(top) or top <= 0:
        return np.full(people.shape, thinnest)
    share = np.sqrt(np.clip(people / top, 0.0, 1.0))
    return np.maximum(widest * share, thinnest)


def largest_line(key: object, first: object, last: object, people: object) -> float:
    """The top of a width scale: the most people one line stands for on any date.

    Rows sharing a ``key`` and shown on the same step are drawn as one line (their people
    add up); row ``i`` is shown from step ``first[i]`` to step ``last[i]``. The maps and the
    figures both set their widest line with it, each saying what a line is: the map draws
    each flow as its own line and merges groups zoomed out; a figure draws one line per
    origin, destination and category, as wide as their total over every date.

    Examples
    --------
    >>> largest_line([0, 0, 1], [0, 2, 0], [1, 3, 3], [5.0, 7.0, 9.0])
    9.0
    >>> largest_line([0, 0, 1], [0, 1, 0], [1, 3, 3], [5.0, 7.0, 9.0])
    12.0
    """
    key = np.asarray(key, dtype=np.int64).ravel()
    if not key.size:
        return 0.0
    first = np.asarray(first, dtype=np.int64).ravel()
    last = np.asarray(last, dtype=np.int64).ravel()
    figures = np.nan_to_num(np.asarray(people, dtype=float).ravel(), nan=0.0)
    if np.unique(key).size == key.size:  # every line alone: its own figure
        return float(figures.max())
    keys, key = np.unique(key, return_inverse=True)
    days, at = np.unique(np.concatenate([first, last + 1]), return_inverse=True)
    if keys.size * days.size > _MAX_CELLS:  # too big a table: the all-dates total bounds it
        return float(np.bincount(key, weights=figures, minlength=keys.size).max())
    table = np.zeros((keys.size, days.size))
    np.add.at(table, (key, at[: key.size]), figures)
    np.add.at(table, (key, at[key.size :]), -figures)
    return float(np.cumsum(table, axis=1).max())


def count_radius(
    people: object,
    top: float,
    *,
    smallest: float = COUNT_RADIUS_PX[0],
    largest: float = COUNT_RADIUS_PX[1],
) -> np.ndarray:
    """The radius of a circle for ``people`` counted at a place: the circle's area follows
    people, ``top`` people get ``largest``, and no circle is smaller than ``smallest``.

    Examples
    --------
    >>> count_radius([0.0, 25_000.0, 100_000.0], 100_000.0).round(1).tolist()
    [3.0, 11.0, 22.0]
    """
    people = np.asarray(people, dtype=float)
    if not top or not np.isfinite(top) or top <= 0:
        return np.full(people.shape, smallest)
    share = np.sqrt(np.clip(np.nan_to_num(people / top, nan=0.0), 0.0, 1.0))
    return np.maximum(largest * share, smallest)


@dataclass(frozen=True)
class CountScale:
    """One circle scale for every date: ``top`` people get a circle of radius ``largest``.

    Examples
    --------
    >>> scale = CountScale(2_500_000.0)
    >>> [t for t, _ in scale.legend()]
    [2000000.0, 500000.0, 100000.0]
    """

    top: float
    smallest: float = COUNT_RADIUS_PX[0]
    largest: float = COUNT_RADIUS_PX[1]

    def radius(self, people: object) -> np.ndarray:
        return count_radius(people, self.top, smallest=self.smallest, largest=self.largest)

    def legend(self) -> list[tuple[float, float]]:
        """``(people, radius)`` of each legend circle, largest first."""
        ticks = nice_ticks(self.top)
        return list(zip(ticks, self.radius(ticks).tolist(), strict=True))


def nice_number(value: float) -> float:
    """The largest of 1, 2, 5 x 10^k not above ``value`` (0 for values <= 0).

    Examples
    --------
    >>> nice_number(7300.0), nice_number(0.3), nice_number(0)
    (5000.0, 0.2, 0.0)
    """
    if not value > 0 or not math.isfinite(value):
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return float(max(step * power for step in (1, 2, 5, 10) if step * power <= value * (1 + 1e-9)))


def nice_ticks(top: float) -> list[float]:
    """Up to three round values for a width legend: about ``top``, a quarter and a twentieth.

    Examples
    --------
    >>> nice_ticks(1000.0)
    [1000.0, 200.0, 50.0]
    >>> nice_ticks(35000.0)
    [20000.0, 5000.0, 1000.0]
    """
    first = nice_number(top)
    ticks = [first, nice_number(first / 4), nice_number(first / 20)]
    return sorted({t for t in ticks if t >= 1}, reverse=True)


@dataclass(frozen=True)
class FlowScale:
    """One width scale for every date: ``top`` people get ``widest``.

    Examples
    --------
    >>> scale = FlowScale(10000.0)
    >>> scale.width([2500.0]).tolist(), [t for t, _ in scale.legend()]
    ([7.0], [10000.0, 2000.0, 500.0])
    """

    top: float
    thinnest: float = FLOW_MIN_PX
    widest: float = FLOW_MAX_PX

    def width(self, people: object) -> np.ndarray:
        return flow_width(people, self.top, thinnest=self.thinnest, widest=self.widest)

    def legend(self) -> list[tuple[float, float]]:
        """``(people, width)`` of each legend sample, largest first."""
        ticks = nice_ticks(self.top)
        return list(zip(ticks, self.width(ticks).tolist(), strict=True))


def place_radius(population: object) -> np.ndarray:
    """Marker radius in pixels: by the square root of population, a plain radius without.

    Examples
    --------
    >>> place_radius([None, 100.0, 400.0]).tolist()
    [5.0, 9.0, 14.0]
    """
    values = np.asarray(population, dtype=float)
    none_r, min_r, max_r = PLACE_RADIUS
    top = np.nanmax(values) if np.isfinite(values).any() else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        radius = min_r + (max_r - min_r) * np.sqrt(np.clip(values / top, 0, 1))
    return np.where(np.isfinite(radius), radius, none_r)
