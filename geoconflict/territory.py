"""Territories and frontlines: who holds which land at a date, and where the fronts run.

The land is cut once into pieces (:mod:`geoconflict.land`): the Voronoi cells of point places,
or, with polygon places (admin units, declared zones), the polygons cut by the cells of the
towns that share the units without a state of their own. Every question about a date (or
hundreds of dates) is then array work over those pieces (:mod:`geoconflict._labels`): a piece
takes a label, an actor's area is a sum of piece areas, and a frontline is the set of shared
edges whose two pieces carry different labels.

Labels besides the actors' ids:

``contested``
    land whose place has control status ``contested``, or whose places (several at one
    point) are held by different actors;
``unknown``
    land whose places have no control record yet, or that no place's data covers (with
    polygon places);
``no_data``
    with point places only, the part of the boundary farther than ``max_distance_km`` (or
    ``radius_km``) from every place.

Only edges between two pieces whose labels differ and are both an actor or ``contested`` are
frontlines: ``unknown`` land has no known holder, so it has no front.

Over 400 lines: four public functions, whose runnable examples take a third of it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ._geometry import dissolve, merge_lines
from ._inputs import conflict_input
from ._labels import (
    AUTO_DISTANCE_KM,
    CONTESTED,
    NO_DATA,
    UNKNOWN,
    cell_population,
    label_names,
    labels_at,
    options_cells,
)
from ._schema import ACTOR_ID, CRS, GEOMETRY, POPULATION
from ._time import to_timestamp
from ._types import ConflictLike
from .errors import TerritoryOptionError
from .land import Cells, cells
from .progress import progress as progress_bar

__all__ = [
    "AUTO_DISTANCE_KM",
    "CONTESTED",
    "NO_DATA",
    "UNKNOWN",
    "Cells",
    "TerritoryOptionError",
    "cells",
    "control_summary",
    "frontlines",
    "territories",
    "territory_changes",
]

_MAX_MATRIX = 20_000_000  # entries of a (cells x dates) block in control_summary


def territories(
    conflict: ConflictLike,
    when: object,
    *,
    method: str = "voronoi",
    max_distance_km: float | None = None,
    radius_km: float | None = None,
    boundary: object = None,
    no_data: bool = False,
) -> gpd.GeoDataFrame:
    """The land each actor holds at a date, from the cells of the places it holds.

    Parameters
    ----------
    conflict : Conflict
    when : date
    method : {"voronoi", "buffer"}
        ``"voronoi"``: each place's Voronoi cell, clipped to the boundary. ``"buffer"``: a
        circle of ``radius_km`` around each place (where circles overlap, the nearer place
        wins), for sparse data.
    max_distance_km : float, optional
        With ``"voronoi"``: land farther than this from every place is no data.
    radius_km : float, optional
        With ``"buffer"``: the circles' radius.
    boundary : GeoDataFrame, shapely geometry or "hull", optional
        Overrides the conflict's boundary; ``"hull"`` uses the places' convex hull, widened.
    no_data : bool, default False
        Add a ``no_data`` row for the part of the boundary no cell covers.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per actor holding land, then ``contested`` and ``unknown`` when
        present: ``actor_id``, ``geometry`` (dissolved), ``area_km2`` (equal-area),
        ``places`` (count), ``population`` (sum; missing counts as 0).

    Raises
    ------
    BoundaryError
        When there is no boundary (pass one or ``boundary="hull"``) or it is empty.
    TerritoryOptionError
        For an unknown method or a bad distance.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0],
    ...                         population=[100, 50])
    >>> control = pd.DataFrame({"place_id": ["w", "e"], "actor_id": ["red", "blue"],
    ...                         "date": ["2024-01-01", "2024-01-01"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> t = territories(c, "2024-01-02")
    >>> t[["actor_id", "places", "population"]]
      actor_id  places  population
    0      red       1       100.0
    1     blue       1        50.0
    >>> [round(v, 6) for v in t.geometry.iloc[0].bounds]
    [-0.5, -0.5, 0.5, 0.5]
    >>> territories(c, "2023-12-31")["actor_id"].tolist()  # before any record
    ['unknown']
    """
    conflict_input(conflict, function="territories")
    built = options_cells(
        conflict,
        method=method,
        max_distance_km=max_distance_km,
        radius_km=radius_km,
        boundary=boundary,
    )
    date = to_timestamp(when)
    labels = labels_at(conflict, built, pd.DatetimeIndex([date]))[:, 0]
    names = label_names(conflict)
    geoms = built.geometry
    population = cell_population(conflict, built)
    rows = []
    for code in np.unique(labels):
        mine = labels == code
        rows.append(
            (
                names[code],
                dissolve(geoms[mine]),
                float(built.area_km2[mine].sum()),
                int(built.places[mine].sum()),
                float(population[mine].sum()),
            )
        )
    if no_data and built.no_data_km2 > 0:
        rows.append((NO_DATA, built.no_data, built.no_data_km2, 0, 0.0))
    return _territory_frame(rows)


def _territory_frame(rows: list[tuple]) -> gpd.GeoDataFrame:
    columns: list[tuple] = list(zip(*rows, strict=True)) if rows else [()] * 5
    return gpd.GeoDataFrame(
        {
            ACTOR_ID: pd.array(list(columns[0]), dtype="string"),
            GEOMETRY: gpd.GeoSeries(list(columns[1]), crs=CRS),
            "area_km2": np.asarray(columns[2], dtype=float),
            "places": np.asarray(columns[3], dtype=np.int64),
            POPULATION: np.asarray(columns[4], dtype=float),
        },
        geometry=GEOMETRY,
        crs=CRS,
    )


def frontlines(
    conflict: ConflictLike,
    when: object,
    *,
    method: str = "voronoi",
    max_distance_km: float | None = None,
    radius_km: float | None = None,
    boundary: object = None,
) -> gpd.GeoDataFrame:
    """Lines where the land of two actors meets at a date (not the outer border).

    Parameters
    ----------
    conflict : Conflict
    when : date
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per pair of neighbours: ``actor_a``, ``actor_b`` (sorted,
        ``actor_a < actor_b``; either may be ``contested``, never ``unknown``),
        ``geometry`` (merged lines), ``length_km`` (geodesic). Empty, with these columns,
        when there is no front.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e"], "actor_id": ["red", "blue"],
    ...                         "date": ["2024-01-01", "2024-01-01"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> f = frontlines(c, "2024-01-02")
    >>> f[["actor_a", "actor_b"]].values.tolist()
    [['blue', 'red']]
    >>> shapely.to_wkt(f.geometry.iloc[0], rounding_precision=6)
    'LINESTRING (0.5 -0.5, 0.5 0.5)'
    >>> round(float(f.length_km.iloc[0]), 1)
    110.6
    """
    conflict_input(conflict, function="frontlines")
    built = options_cells(
        conflict,
        method=method,
        max_distance_km=max_distance_km,
        radius_km=radius_km,
        boundary=boundary,
    )
    labels = labels_at(conflict, built, pd.DatetimeIndex([to_timestamp(when)]))[:, 0]
    names = label_names(conflict)
    la, lb = labels[built.cell_a], labels[built.cell_b]
    unknown = len(conflict.actors) + 1
    front = (la != lb) & (la != unknown) & (lb != unknown)
    rows = []
    if front.any():
        text = np.asarray(names, dtype=object)
        name_a, name_b = text[la[front]], text[lb[front]]
        low = np.where(name_a < name_b, name_a, name_b)
        high = np.where(name_a < name_b, name_b, name_a)
        pairs, pair_of = np.unique(low + "\x1f" + high, return_inverse=True)
        km = np.bincount(pair_of, weights=built.lengths_of(front)[front], minlength=pairs.size)
        edge_pair = np.full(built.cell_a.size, -1)
        edge_pair[front] = pair_of
        seg_pair = edge_pair[built.segment_edge]
        keep = seg_pair >= 0
        order = np.argsort(seg_pair[keep], kind="stable")
        lines = merge_lines(built.segments[keep][order], seg_pair[keep][order], pairs.size)
        for i, pair in enumerate(pairs):  # a loop over actor pairs, not edges
            a, b = pair.split("\x1f")
            rows.append((a, b, lines[i], float(km[i])))
    return _pair_frame(rows, ("actor_a", "actor_b", "length_km"))


def territory_changes(
    conflict: ConflictLike,
    start: object,
    end: object,
    *,
    method: str = "voronoi",
    max_distance_km: float | None = None,
    radius_km: float | None = None,
    boundary: object = None,
) -> gpd.GeoDataFrame:
    """The land that changed hands between two dates.

    Parameters
    ----------
    conflict : Conflict
    start, end : date
        Compare the labels on ``start`` with those on ``end``.
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; one row per (``from_actor``, ``to_actor``) pair with the dissolved
        ``geometry`` and ``area_km2``. Labels include ``contested`` and ``unknown``.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "e"],
    ...                         "actor_id": ["red", "blue", "red"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-05"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> territory_changes(c, "2024-01-02", "2024-01-06")[["from_actor", "to_actor"]]
      from_actor to_actor
    0       blue      red
    """
    conflict_input(conflict, function="territory_changes")
    built = options_cells(
        conflict,
        method=method,
        max_distance_km=max_distance_km,
        radius_km=radius_km,
        boundary=boundary,
    )
    first, last = to_timestamp(start, argument="start"), to_timestamp(end, argument="end")
    if first > last:
        raise TerritoryOptionError(
            f"start ({first:%Y-%m-%d}) is after end ({last:%Y-%m-%d}). Fix: swap them."
        )
    labels = labels_at(conflict, built, pd.DatetimeIndex([first, last]))
    names = np.array(label_names(conflict), dtype=object)
    changed = labels[:, 0] != labels[:, 1]
    rows = []
    if changed.any():
        cells_changed = np.flatnonzero(changed)
        groups = (
            pd.DataFrame({"f": labels[changed, 0], "t": labels[changed, 1]})
            .groupby(["f", "t"], sort=True)
            .indices
        )
        for (f, t), where in groups.items():
            mine = cells_changed[where]
            rows.append(
                (
                    names[f],
                    names[t],
                    dissolve(built.geometry[mine]),
                    float(built.area_km2[mine].sum()),
                )
            )
    return _pair_frame(rows, ("from_actor", "to_actor", "area_km2"))


def control_summary(
    conflict: ConflictLike,
    *,
    freq: str = "D",
    start: object = None,
    end: object = None,
    method: str = "voronoi",
    max_distance_km: float | None = None,
    radius_km: float | None = None,
    boundary: object = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Places, population, area and frontline held by each actor at every date.

    One computation of the cells, then array sums over all dates at once: no Voronoi or
    dissolve per date.

    Parameters
    ----------
    conflict : Conflict
    freq : str, default "D"
        A pandas frequency for the dates (``"D"``, ``"W"``, ``"MS"`` ...).
    start, end : date, optional
        Default: the conflict's period.
    method, max_distance_km, radius_km, boundary
        As for :func:`territories`.
    progress : bool or None, default None
        A progress bar over the blocks of dates (see :func:`geoconflict.progress.progress`);
        ``None`` shows one only on a terminal, when there is more than one block.

    Returns
    -------
    DataFrame
        Long format: ``date``, ``actor_id``, ``places``, ``population``, ``area_km2``,
        ``frontline_km`` (total length of front touching that actor's land). Every actor
        appears at every date; ``contested`` and ``unknown`` rows only when they hold
        something at some date.

    Examples
    --------
    >>> import pandas as pd, shapely
    >>> import geoconflict as gc
    >>> places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    >>> control = pd.DataFrame({"place_id": ["w", "e", "e"],
    ...                         "actor_id": ["red", "blue", "red"],
    ...                         "date": ["2024-01-01", "2024-01-01", "2024-01-02"]})
    >>> c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control,
    ...                 boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    >>> s = control_summary(c)
    >>> s[["date", "actor_id", "places", "frontline_km"]].round({"frontline_km": 1})
            date actor_id  places  frontline_km
    0 2024-01-01      red       1         110.6
    1 2024-01-01     blue       1         110.6
    2 2024-01-02      red       2           0.0
    3 2024-01-02     blue       0           0.0
    """
    conflict_input(conflict, function="control_summary")
    built = options_cells(
        conflict,
        method=method,
        max_distance_km=max_distance_km,
        radius_km=radius_km,
        boundary=boundary,
    )
    dates = _summary_dates(conflict, freq, start, end)
    names = label_names(conflict)
    n_labels, n_actors = len(names), len(conflict.actors)
    unknown = n_actors + 1
    population = cell_population(conflict, built)
    per_cell = built.places.astype(float)
    n_cells = len(built)
    out = {
        k: np.zeros((n_labels, dates.size))
        for k in ("places", "population", "area_km2", "frontline_km")
    }
    step = max(1, _MAX_MATRIX // max(n_cells, 1))
    blocks = range(0, dates.size, step)  # blocks of dates bound the memory, not a loop
    for lo in progress_bar(blocks, desc="control_summary", enabled=progress):
        block = dates[lo : lo + step]
        labels = labels_at(conflict, built, block)  # a record saying 'unknown' is a state
        nd = block.size
        key = (labels * nd + np.arange(nd)[None, :]).ravel()
        size = n_labels * nd
        for name, weight in (
            ("places", per_cell),
            ("population", population),
            ("area_km2", built.area_km2),
        ):
            sums = np.bincount(key, weights=np.repeat(weight, nd), minlength=size)
            out[name][:, lo : lo + nd] = sums.reshape(n_labels, nd)
        la, lb = labels[built.cell_a], labels[built.cell_b]
        front = (la != lb) & (la != unknown) & (lb != unknown)
        weight = np.where(front, built.length_km[:, None], 0.0).ravel()
        cols = np.arange(nd)[None, :]
        total = np.bincount(
            (la * nd + cols).ravel(), weights=weight, minlength=size
        ) + np.bincount((lb * nd + cols).ravel(), weights=weight, minlength=size)
        out["frontline_km"][:, lo : lo + nd] = total.reshape(n_labels, nd)
    keep = np.ones(n_labels, dtype=bool)
    keep[n_actors:] = (out["places"][n_actors:].sum(axis=1) > 0) | (
        out["area_km2"][n_actors:].sum(axis=1) > 0
    )
    rows = np.flatnonzero(keep)
    table = pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), rows.size),
            ACTOR_ID: pd.array(
                np.tile(np.asarray(names, dtype=object)[rows], dates.size), dtype="string"
            ),
            "places": out["places"][rows].T.ravel().round().astype(np.int64),
            POPULATION: out["population"][rows].T.ravel(),
            "area_km2": out["area_km2"][rows].T.ravel(),
            "frontline_km": out["frontline_km"][rows].T.ravel(),
        }
    )
    return table


def _summary_dates(
    conflict: ConflictLike, freq: str, start: object, end: object
) -> pd.DatetimeIndex:
    period = conflict.period
    if (start is None or end is None) and period is None:
        raise TerritoryOptionError(
            "the conflict has no dates, so there is no default period. Fix: pass start= and end=."
        )
    default = period or (pd.NaT, pd.NaT)  # both given when there is no period
    first = to_timestamp(start, argument="start") if start is not None else default[0]
    last = to_timestamp(end, argument="end") if end is not None else default[1]
    if first > last:
        raise TerritoryOptionError(
            f"start ({first:%Y-%m-%d}) is after end ({last:%Y-%m-%d}). Fix: swap them."
        )
    try:
        dates = pd.date_range(first, last, freq=freq)
    except (ValueError, TypeError) as exc:
        raise TerritoryOptionError(
            f"freq must be a pandas frequency such as 'D', 'W' or 'MS', got {freq!r}."
        ) from exc
    if dates.empty:
        raise TerritoryOptionError(
            f"no {freq!r} dates fall between {first:%Y-%m-%d} and "
            f"{last:%Y-%m-%d}. Fix: widen start/end or use a shorter "
            "freq."
        )
    return pd.DatetimeIndex(dates.as_unit("ns"), name="date")


def _pair_frame(rows: list[tuple], names: tuple[str, str, str]) -> gpd.GeoDataFrame:
    """Rows of (actor, actor, geometry, measure) as a GeoDataFrame named ``names``."""
    columns: list[tuple] = list(zip(*rows, strict=True)) if rows else [()] * 4
    first, second, measure = names
    return gpd.GeoDataFrame(
        {
            first: pd.array(list(columns[0]), dtype="string"),
            second: pd.array(list(columns[1]), dtype="string"),
            GEOMETRY: gpd.GeoSeries(list(columns[2]), crs=CRS),
            measure: np.asarray(columns[3], dtype=float),
        },
        geometry=GEOMETRY,
        crs=CRS,
    )
