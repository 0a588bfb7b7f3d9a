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
    "PLACE_RADIUS",
    "FlowScale",
    "flow_width",
    "nice_number",
    "nice_ticks",
    "place_radius",
]

#: Flow line widths in pixels on the interactive map: the thinnest line and the widest.
FLOW_MIN_PX = 1.0
FLOW_MAX_PX = 14.0
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
