"""Places and people within given distances of the front, per date and side.

People are where the data puts them: a town's at its point; a polygon place's own population
spread over its land by area (:func:`geoconflict.territory._holders.population_parts`, the
rule of :func:`geoconflict.control_summary`). Each distinct state of the land is measured
once; its dates share the answer.

- Towns: the nearest front segment of every town is found per box of nearby towns
  (:class:`~geoconflict.analysis._nearest.BoxedPoints`), within a little more than the
  largest distance asked; the geodesic km is measured once per pair of a town and a
  segment.
- Polygon land, cell by cell in the land's equal-area projection (:class:`Plane`): a cell
  is within a distance when its distance to the front is; the share of its people within
  is the share of its area inside the front's buffer of that distance (an overlay, exact
  for area whatever the cell's size or the distance). A cell's share is kept by a key of
  the front's segments near it, and measured again only on a state where they differ.

Memory: the towns and, per block of states, at most about a million (town, segment)
pairs with their km (some tens of MB); the shares measured, one number per cell, distance
and front near it.
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

__all__ = ["front_exposure"]

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
        where some of its land lies within the distance (its distance to the front, not
        a sample of points; once per side), and its own ``population`` is spread over
        its land by area: the people within are its population times the share of its
        land's area (on that side) within the distance, measured exactly for area (the
        land cut by the front's buffer in the land's equal-area projection), whatever
        the unit's size or the distance. Towns inside a polygon that has a population
        count as places, and their people are the polygon's (not counted twice).
        Distances are to the nearest point of the front (the lines of
        :func:`geoconflict.frontlines`): geodesic (WGS 84) for a town; for polygon land,
        in the equal-area projection centred on the land, within 0.4 % of geodesic up to
        1,100 km from its centre. With no front on a date, nothing is within any
        distance.

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
    land = _land(conflict, built, plane)
    shares = _Shares(plane.segments[0].shape[0], len(built), bands.size)
    names = holder_names(conflict)
    n_labels, n_actors = len(names), len(conflict.actors)
    people = np.zeros((states.shape[1], bands.size, n_labels))
    count = np.zeros((states.shape[1], bands.size, n_labels))
    for s, km, segs in _front_km(plane, states, units, float(bands.max())):
        label = states[units.cell, s] % n_labels
        bands_land = _land_within(plane, land, segs, bands, shares)
        for b, d in enumerate(bands):  # a loop over the few distances asked
            within = km <= d
            people[s, b] = np.bincount(
                label[within], weights=units.people[within], minlength=n_labels
            )
            count[s, b] = np.bincount(label[within], minlength=n_labels)
            near, share = bands_land[b]
            side = states[land.cell[near], s] % n_labels
            people[s, b] += np.bincount(
                side, weights=land.people[near] * share, minlength=n_labels
            )
            count[s, b] += _count_polygons(land.polygon_of[near], side, n_labels)
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
    """The towns: where their people and they are, and their cells."""

    def __init__(self, xy, lonlat, cell, people):
        self.xy, self.lonlat, self.cell, self.people = xy, lonlat, cell, people


def _units(conflict: ConflictLike, built: Cells, plane: Plane) -> _Units:
    people, free, _ = population_parts(conflict, built)
    geoms = conflict.places.geometry.reindex(built.place_ids).to_numpy()
    town = np.flatnonzero(~is_polygonal(geoms) & (built.cell_of_place >= 0))
    lon, lat = shapely.get_x(geoms[town]), shapely.get_y(geoms[town])
    return _Units(
        plane.project(lon, lat),
        np.column_stack([lon, lat]),
        built.cell_of_place[town].astype(np.int64),
        np.where(free[town], people[town], 0.0),
    )


class _Land:
    """The cells of polygon places: their people (spread by area), their area in the
    plane (m², equal-area) and the polygon places each is in."""

    def __init__(self, cell, people, area, polygon_of):
        self.cell, self.people, self.area, self.polygon_of = cell, people, area, polygon_of


def _land(conflict: ConflictLike, built: Cells, plane: Plane) -> _Land:
    depth = built.chain.shape[1]
    if depth == 0:
        none = np.zeros(0, np.int64)
        return _Land(none, np.zeros(0), np.zeros(0), np.zeros((0, 0), np.int64))
    _, _, spread = population_parts(conflict, built)
    cell = np.flatnonzero(built.chain[:, 0] >= 0)
    return _Land(cell, spread[cell], shapely.area(plane.cells[cell]), built.chain[cell])


class _Shares:
    """The shares of cells within each distance of the front measured so far, by a key of
    the cell, the distance and the front's segments near the cell (those whose box meets
    the cell's box widened by the distance: the only ones its share depends on), so that
    a cell is measured again only when the front near it moved."""

    def __init__(self, n_segments: int, n_cells: int, n_bands: int):
        # random 62-bit weights: a key is a sum of them (wrapping), two different sets
        # of the same key a chance of about 2**-62
        rng = np.random.default_rng(1)
        self.segment = rng.integers(1, 2**62, n_segments, dtype=np.int64)
        self.cell = rng.integers(1, 2**62, n_cells, dtype=np.int64)
        self.band = rng.integers(1, 2**62, n_bands, dtype=np.int64)
        self.keys = np.zeros(0, np.int64)  # sorted
        self.values = np.zeros(0)

    def key(
        self,
        cell: np.ndarray,
        band: int,
        segs: np.ndarray,
        pair_cell: np.ndarray,
        pair_seg: np.ndarray,
    ) -> np.ndarray:
        """A key per cell of ``cell`` (positions in the plane) within the distance
        ``band`` (its position), from the segments near it: ``pair_cell`` (positions in
        ``cell``) and ``pair_seg`` (positions in ``segs``)."""
        with np.errstate(over="ignore"):
            near = np.zeros(cell.size, np.int64)
            np.add.at(near, pair_cell, self.segment[segs[pair_seg]])
            return near + 3 * self.cell[cell] + 5 * self.band[band]

    def get(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shares known (NaN where not) and whether each is."""
        if self.keys.size == 0:
            return np.full(keys.size, np.nan), np.zeros(keys.size, dtype=bool)
        pos = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        known = self.keys[pos] == keys
        return np.where(known, self.values[pos], np.nan), known

    def put(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Keep ``values`` under ``keys``."""
        keys, first = np.unique(keys, return_index=True)
        all_keys = np.r_[self.keys, keys]
        order = np.argsort(all_keys, kind="stable")
        self.keys, self.values = all_keys[order], np.r_[self.values, values[first]][order]


def _land_within(
    plane: Plane, land: _Land, segs: np.ndarray, bands: np.ndarray, shares: _Shares
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each distance of ``bands`` (km, increasing), the cells of ``land`` (positions in
    it) with some of their land within it of the front (segments ``segs`` of the plane),
    and the share of each one's area that is.

    Measured in the plane (the land's equal-area projection, centred on it: areas are
    exact, distances within 0.4 % of geodesic ones up to 1,100 km from the centre). A cell
    is within when its distance to the front is (exact, with the cells' tree); its share is
    the area of it inside the front's buffer (arcs drawn with 64 segments a circle: the
    buffer's edge is within 0.12 % of the distance of the true one), measured by overlay
    only when the buffer does not cover the cell, and only when ``shares`` does not have
    it already (the front near the cell is as on a state measured before). The buffer of
    each distance is that of the one before, widened by the difference (widening by ``a``
    then by ``b`` is widening by ``a + b``), much quicker than buffering the front's many
    short segments by a long distance; it is made only when some cell needs it.
    """
    none = [(np.zeros(0, np.int64), np.zeros(0))] * bands.size
    if segs.size == 0 or land.cell.size == 0:
        return none
    lines = plane.lines[segs]
    front = shapely.line_merge(shapely.multilinestrings(lines))
    shapely.prepare(front)
    tree = shapely.STRtree(lines)
    wanted, local = [], []
    for b, d in enumerate(bands * 1000.0):  # a loop over the few distances asked
        found = plane.tree.query(front, predicate="dwithin", distance=d)
        near = np.flatnonzero(np.isin(land.cell, found))
        x0, y0, x1, y1 = plane.bounds[land.cell[near]].T
        pair_cell, pair_seg = tree.query(shapely.box(x0 - d, y0 - d, x1 + d, y1 + d))
        keys = shares.key(land.cell[near], b, segs, pair_cell, pair_seg)
        share, known = shares.get(keys)
        wanted.append((near, share, keys, np.flatnonzero(~known)))
        local.append(pair_seg[~known[pair_cell]])
    last = max((b for b, w in enumerate(wanted) if w[3].size), default=-1)
    if last < 0:
        return [(near, share) for near, share, _, _ in wanted]
    # the segments the cells to measure depend on: their buffer is, in those cells, the
    # whole front's
    local_lines = lines[np.unique(np.concatenate(local))]
    band, done = shapely.line_merge(shapely.multilinestrings(local_lines)), 0.0
    for b, d in enumerate(bands[: last + 1] * 1000.0):
        band = shapely.buffer(band, d - done, quad_segs=16)
        shapely.prepare(band)
        done = d
        near, share, keys, missing = wanted[b]
        if missing.size == 0:
            continue
        cells = plane.cells[land.cell[near[missing]]]
        value = np.ones(missing.size)
        part = np.flatnonzero(~shapely.covers(band, cells))
        if part.size:
            inside = shapely.area(shapely.intersection(cells[part], band))
            area = land.area[near[missing[part]]]
            value[part] = np.clip(inside / np.where(area > 0, area, np.inf), 0.0, 1.0)
        share[missing] = value
        shares.put(keys[missing], value)
    return [(near, share) for near, share, _, _ in wanted]


def _front_km(
    plane: Plane, states: np.ndarray, units: _Units, reach: float
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each state, with the geodesic km from each town to its front (inf beyond ``reach``
    km, or without a front) and the front's segments (positions in ``plane.segments``).

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
    block: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    held = 0
    for s in range(n_states):  # a loop over distinct states of the land
        _, segs = front_of(plane.built, states[:, s])
        at, k = boxed.nearest(
            seg_a[segs], seg_b[segs], max_distance=limit, lines=lines[segs], ids=segs
        )
        block.append((s, at, segs[k], segs))
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
            for state, at, _, front in block:
                km = np.full(n_units, np.inf)
                km[at] = km_pair[back[lo : lo + at.size]]
                lo += at.size
                yield state, km, front
            block, held = [], 0


def _count_polygons(polygon_of: np.ndarray, side: np.ndarray, n: int) -> np.ndarray:
    """Polygon places with land within, once per side: ``polygon_of`` (cells, depth), the
    polygon places each cell within is in, and ``side``, the label of each cell."""
    depth = polygon_of.shape[1]
    if depth == 0 or side.size == 0:
        return np.zeros(n)
    polygon = polygon_of.ravel()
    label = np.repeat(side, depth)
    ok = polygon >= 0
    pairs = np.unique(polygon[ok] * n + label[ok])
    return np.bincount(pairs % n, minlength=n).astype(float)
