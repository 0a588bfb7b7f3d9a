"""Land held at a date and land that changed hands between two dates.

Both read the conflict's cells (:mod:`._cells`) and their holders (:mod:`._holders`); the land
of one holder is the dissolve of its cells.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._inputs import conflict_input
from .._schema import ACTOR_ID, CRS, GEOMETRY, POPULATION
from .._time import to_timestamp
from .._types import ConflictLike
from ..errors import TerritoryOptionError
from ._frames import pair_frame
from ._geometry import dissolve
from ._holders import NO_DATA, cell_population, holder_names, holders_at
from ._land import land_cells
from ._setting import land_setting

__all__ = ["territories", "territory_changes"]


def territories(
    conflict: ConflictLike,
    when: object,
    *,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
    no_data: bool = False,
) -> gpd.GeoDataFrame:
    """The land each actor holds at a date, from the cells of the places it holds.

    Parameters
    ----------
    conflict : Conflict
    when : date
    max_distance_km : float, "auto" or None, default None
        How far a town's land reaches: land farther than this from every point place
        (outside polygon places) is ``no_data`` with point places only, ``unknown`` among
        polygon places; ``"auto"`` is 25 km; ``None``: no limit. Inside a polygon place the
        towns share the polygon whatever the distance.
    boundary : GeoDataFrame, shapely geometry or "hull", optional
        The area the land fills; overrides the conflict's boundary; ``"hull"`` uses the
        places' convex hull, widened.
    method, radius_km
        Deprecated: ``method="buffer", radius_km=R`` is ``max_distance_km=R``,
        ``method="auto"`` is ``max_distance_km="auto"``, ``method="voronoi"`` the default.
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
    setting = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    date = to_timestamp(when)
    built = land_cells(conflict, setting, dates=pd.DatetimeIndex([date]))
    codes = holders_at(conflict, built, pd.DatetimeIndex([date]))[:, 0]
    names = holder_names(conflict)
    geoms = built.geometry
    population = cell_population(conflict, built)
    rows = []
    rows_of = codes % len(names)  # each holder's row in names: actors, contested, unknown
    for code in np.unique(rows_of):
        mine = rows_of == code
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


def territory_changes(
    conflict: ConflictLike,
    start: object,
    end: object,
    *,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
) -> gpd.GeoDataFrame:
    """The land that changed hands between two dates.

    Parameters
    ----------
    conflict : Conflict
    start, end : date
        Compare the labels on ``start`` with those on ``end``.
    max_distance_km, boundary
        The land setting, as for :func:`territories` (``method`` and ``radius_km`` are
        its deprecated spellings).
    method, radius_km
        Deprecated.

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
    setting = land_setting(
        max_distance_km=max_distance_km, boundary=boundary, method=method, radius_km=radius_km
    )
    first, last = to_timestamp(start, argument="start"), to_timestamp(end, argument="end")
    if first > last:
        raise TerritoryOptionError(
            f"start ({first:%Y-%m-%d}) is after end ({last:%Y-%m-%d}). Fix: swap them."
        )
    built = land_cells(conflict, setting, dates=pd.DatetimeIndex([first, last]))
    codes = holders_at(conflict, built, pd.DatetimeIndex([first, last]))
    names = np.array(holder_names(conflict), dtype=object)
    changed = codes[:, 0] != codes[:, 1]
    rows_of = codes % names.size  # each holder's row in names: actors, contested, unknown
    rows = []
    if changed.any():
        cells_changed = np.flatnonzero(changed)
        groups = (
            pd.DataFrame({"f": rows_of[changed, 0], "t": rows_of[changed, 1]})
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
    return pair_frame(rows, ("from_actor", "to_actor", "area_km2"))


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
