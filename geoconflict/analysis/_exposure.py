"""Places and people within given distances of the front, per date and side.

People are where the data puts them: a town's at its point; a polygon place's own population
spread over its land by area (:func:`geoconflict.territory._holders.population_parts`, the
rule of :func:`geoconflict.control_summary`), here over a grid of points laid on each of its
cells. Each distinct state of the land is measured once; its dates share the answer. The
nearest front segment of every unit is found per box of nearby units
(:class:`~geoconflict.analysis._nearest.BoxedPoints`), within a little more than the
largest distance asked; the geodesic km is measured once per pair of a unit and a segment.
Memory: the units and, per block of states, at most about a million (unit, segment)
pairs with their km (some tens of MB).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import shapely

from .._inputs import conflict_input, number_option
from .._kinds import is_polygonal
from .._types import ConflictLike
from ..errors import OptionError
from ..territory._cells import Cells
from ..territory._holders import holder_names, population_parts
from ..territory._land import land_cells
from ..territory._setting import land_setting
from ..territory._summary import summary_dates
from ._land import Plane, front_of, geodesic_km, holder_states, plane_of
from ._nearest import BoxedPoints, segment_distance

__all__ = ["SAMPLES_PER_CELL", "front_exposure"]

#: Points laid on each cell of a polygon place (about; on a square grid) to spread its people.
SAMPLES_PER_CELL = 64

_PAIRS_PER_BLOCK = 1_000_000  # (unit, nearest segment) pairs held at once


def front_exposure(
    conflict: ConflictLike,
    *,
    distances_km: Sequence[float] = (5, 15, 50),
    freq: str = "D",
    start: object = None,
    end: object = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
) -> pd.DataFrame:
    """Places and people within each distance of the front line, per date and side.

    Parameters
    ----------
    conflict : Conflict
    distances_km : sequence or 1-D array of float, default (5, 15, 50)
        The distances (km) asked about; humanitarian sampling frames use 5 km (REACH) and
        15 km (UN assessments).
    freq : str, default "D"
        A pandas frequency for the dates.
    start, end : date, optional
        Default: the conflict's period.
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories`.

    Returns
    -------
    DataFrame
        Long format: ``date``, ``within_km`` (each distance: the counts are of everything
        within it, so they grow with it), ``side`` (the holder of the land they are on: an
        actor id, ``contested`` or ``unknown``), ``places`` and ``population``. Every
        actor appears at every date and distance; ``contested`` and ``unknown`` rows only
        when they have something within some distance.

        A point place counts where its point is. A polygon place counts on each side
        whose land of it lies within the distance (once per side), and its own
        ``population`` is spread over its land by area, estimated with about
        :data:`SAMPLES_PER_CELL` points per cell of it. Towns inside a polygon that has a
        population count as places, and their people are the polygon's (not counted
        twice). Distances are geodesic (WGS 84) to the nearest point of the front (the
        lines of :func:`geoconflict.frontlines`); with no front on a date, nothing is
        within any distance.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e", "far"], ["West", "East", "Far"],
    ...                         [35.98, 36.06, 36.9], [33.0, 33.0, 33.0],
    ...                         population=[100, 200, 400])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "far"],
    ...                         "actor_id": ["red", "blue", "blue"],
    ...                         "date": ["2024-01-01"] * 3})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(35.5, 32.5, 37.5, 33.5))
    >>> x = front_exposure(c, distances_km=[5, 50])
    >>> x[["within_km", "side", "places", "population"]]
       within_km  side  places  population
    0        5.0   red       1       100.0
    1        5.0  blue       1       200.0
    2       50.0   red       1       100.0
    3       50.0  blue       1       200.0
    """
    conflict_input(conflict, function="front_exposure")
    bands = _distances(distances_km)
    setting = land_setting(max_distance_km=max_distance_km, boundary=boundary)
    dates = summary_dates(conflict, freq, start, end)
    built = land_cells(conflict, setting, dates=dates)
    plane = plane_of(built)
    states, state_of = holder_states(conflict, built, dates)
    units = _units(conflict, built, plane)
    names = holder_names(conflict)
    n_labels, n_actors = len(names), len(conflict.actors)
    people = np.zeros((states.shape[1], bands.size, n_labels))
    count = np.zeros((states.shape[1], bands.size, n_labels))
    for s, km in _front_km(plane, states, units, float(bands.max())):
        label = states[units.cell, s] % n_labels
        for b, d in enumerate(bands):  # a loop over the few distances asked
            within = km <= d
            people[s, b] = np.bincount(
                label[within], weights=units.people[within], minlength=n_labels
            )
            count[s, b] = _count_places(units, within, label, n_labels)
    keep = np.ones(n_labels, dtype=bool)
    keep[n_actors:] = count[:, :, n_actors:].sum(axis=(0, 1)) > 0
    rows = np.flatnonzero(keep)
    n_dates = dates.size
    return pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), bands.size * rows.size),
            "within_km": np.tile(np.repeat(bands, rows.size), n_dates),
            "side": pd.array(
                np.tile(np.asarray(names, dtype=object)[rows], n_dates * bands.size),
                dtype="string",
            ),
            "places": count[state_of][:, :, rows].ravel().round().astype(np.int64),
            "population": people[state_of][:, :, rows].ravel(),
        }
    )


def _distances(distances_km: object) -> np.ndarray:
    if isinstance(distances_km, (np.ndarray, pd.Series, pd.Index)) and distances_km.ndim == 1:
        distances_km = distances_km.tolist()
    if isinstance(distances_km, (str, bytes)) or not isinstance(distances_km, Sequence):
        raise OptionError(
            f"front_exposure: distances_km must be a sequence of km, got {distances_km!r}. "
            "Fix: e.g. distances_km=(5, 15, 50)."
        )
    if len(distances_km) == 0:
        raise OptionError(
            "front_exposure: distances_km is empty. Fix: e.g. distances_km=(5, 15, 50)."
        )
    values = [
        number_option(d, function="front_exposure", argument="distances_km", above=0)
        for d in distances_km
    ]
    return np.array(sorted(set(values)), dtype=float)


class _Units:
    """Where people and places are: towns at their points, polygon land as grid points."""

    def __init__(self, xy, lonlat, cell, people, town, polygon_of, n_polygons):
        self.xy, self.lonlat, self.cell, self.people = xy, lonlat, cell, people
        self.town = town  # one unit per town (a place to count), -1 for a grid point
        self.polygon_of = polygon_of  # (units, depth) the polygon places a unit is in
        self.n_polygons = n_polygons


def _units(conflict: ConflictLike, built: Cells, plane: Plane) -> _Units:
    people, free, spread = population_parts(conflict, built)
    geoms = conflict.places.geometry.reindex(built.place_ids).to_numpy()
    town = np.flatnonzero(~is_polygonal(geoms) & (built.cell_of_place >= 0))
    tlon, tlat = shapely.get_x(geoms[town]), shapely.get_y(geoms[town])
    t_xy = plane.project(tlon, tlat)
    t_people = np.where(free[town], people[town], 0.0)
    depth = built.chain.shape[1]
    polygon_cells = np.flatnonzero(built.chain[:, 0] >= 0) if depth else np.zeros(0, np.int64)
    g_xy, g_cell = _grid_points(plane.cells[polygon_cells], SAMPLES_PER_CELL)
    g_cell = polygon_cells[g_cell]
    per_cell = np.bincount(g_cell, minlength=len(built))
    g_people = spread[g_cell] / np.maximum(per_cell[g_cell], 1)
    glon, glat = plane.unproject(g_xy)
    xy = np.concatenate([t_xy, g_xy])
    lonlat = np.column_stack([np.r_[tlon, glon], np.r_[tlat, glat]])
    cell = np.r_[built.cell_of_place[town], g_cell].astype(np.int64)
    chain = (
        np.r_[np.full((town.size, depth), -1), built.chain[g_cell]]
        if depth
        else np.zeros((cell.size, 0), np.int64)
    )
    return _Units(
        xy,
        lonlat,
        cell,
        np.r_[t_people, g_people],
        np.r_[np.arange(town.size), np.full(g_cell.size, -1)],
        chain,
        built.polygon_ids.size,
    )


def _grid_points(cells: np.ndarray, per_cell: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``per_cell`` points of a square grid inside each cell (and its representative
    point when none falls inside), with the cell of each."""
    if cells.size == 0:
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    x0, y0, x1, y1 = shapely.bounds(cells).T
    step = np.sqrt(np.maximum(shapely.area(cells), 1e-9) / per_cell)
    nx = np.maximum(np.ceil((x1 - x0) / step), 1).astype(np.int64)
    ny = np.maximum(np.ceil((y1 - y0) / step), 1).astype(np.int64)
    count = nx * ny
    owner = np.repeat(np.arange(cells.size), count)
    k = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)
    x = x0[owner] + (k % nx[owner] + 0.5) * step[owner]
    y = y0[owner] + (k // nx[owner] + 0.5) * step[owner]
    inside = shapely.contains_xy(cells[owner], x, y)
    owner, x, y = owner[inside], x[inside], y[inside]
    empty = np.setdiff1d(np.arange(cells.size), owner)
    if empty.size:
        point = shapely.point_on_surface(cells[empty])
        owner = np.r_[owner, empty]
        x, y = np.r_[x, shapely.get_x(point)], np.r_[y, shapely.get_y(point)]
    return np.column_stack([x, y]), owner


def _front_km(
    plane: Plane, states: np.ndarray, units: _Units, reach: float
) -> Iterator[tuple[int, np.ndarray]]:
    """Each state, with the geodesic km from each unit to its front (inf beyond ``reach``
    km, or without a front).

    The nearest segment of the front is found in the plane, within a little more than
    ``reach`` (projected distances are within a few per cent of geodesic ones at a
    continent's scale), for all units of a state at once (:class:`BoxedPoints`); the
    geodesic km to the nearest point of it is measured once per pair of a unit and a
    segment among a block of states (a unit near a moving front has the same nearest
    segment on many dates).
    """
    n_units, n_states = units.cell.size, states.shape[1]
    seg_a, seg_b = plane.segments
    lines = plane.lines
    boxed = BoxedPoints(units.xy)
    limit = reach * 1000.0 * 1.1 + 1.0
    block: list[tuple[int, np.ndarray, np.ndarray]] = []
    held = 0
    for s in range(n_states):  # a loop over distinct states of the land
        _, segs = front_of(plane.built, states[:, s])
        at, k = boxed.nearest(
            seg_a[segs], seg_b[segs], max_distance=limit, lines=lines[segs], ids=segs
        )
        block.append((s, at, segs[k]))
        held += at.size
        if held >= _PAIRS_PER_BLOCK or s == n_states - 1:  # bounds the memory
            at_all = np.concatenate([b[1] for b in block])
            seg_all = np.concatenate([b[2] for b in block])
            pair, back = np.unique(at_all * seg_a.shape[0] + seg_all, return_inverse=True)
            u, g = np.divmod(pair, seg_a.shape[0])
            _, q = segment_distance(seg_a[g], seg_b[g], units.xy[u])
            qlon, qlat = plane.unproject(q)
            km_pair = geodesic_km(units.lonlat[u, 0], units.lonlat[u, 1], qlon, qlat)
            lo = 0
            for state, at, _ in block:
                km = np.full(n_units, np.inf)
                km[at] = km_pair[back[lo : lo + at.size]]
                lo += at.size
                yield state, km
            block, held = [], 0


def _count_places(units: _Units, within: np.ndarray, label: np.ndarray, n: int) -> np.ndarray:
    """Places within: towns at their points, polygon places once per side of their land."""
    towns = within & (units.town >= 0)
    out = np.bincount(label[towns], minlength=n).astype(float)
    depth = units.polygon_of.shape[1]
    if depth:
        rows = np.flatnonzero(within & (units.town < 0))
        polygon = units.polygon_of[rows].ravel()
        side = np.repeat(label[rows], depth)
        ok = polygon >= 0
        pairs = np.unique(polygon[ok] * n + side[ok])
        out += np.bincount(pairs % n, minlength=n)
    return out
