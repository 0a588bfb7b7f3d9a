"""Territories and frontlines: who holds which land at a date, and where the fronts run.

The land is cut once into *cells* (:class:`Cells`, built by :func:`cells` and cached): the
Voronoi cells of the point places, or, with polygon places (admin units, declared zones), the
polygons cut by the Voronoi cells of the towns that share them. Every question about a date
(or thousands of dates) is then array work over the cells: a cell takes a *holder* (an actor,
``contested`` or ``unknown``), an actor's area is a sum of cell areas, and a frontline is the
set of shared edges whose two cells have different holders, neither unknown.

Holders besides the actors' ids:

``contested``
    land whose place has control status ``contested``, or whose places (several at one
    point) are held by different actors;
``unknown``
    land whose places have no control record yet, or that no place's data covers (with
    polygon places);
``no_data``
    with point places only, the part of the boundary farther than ``max_distance_km`` from
    every place (a row of :func:`territories` only with ``no_data=True``).

Every function here takes the *land setting* the same way: ``max_distance_km`` (a number of
km, ``"auto"`` or None) and ``boundary`` (see :mod:`._setting`).

Modules, bottom up: ``_geometry`` (the kernel: projection, clipping, noding, shared edges),
``_sites`` (the boundary in the projection and the distinct points of point places),
``_point_land`` and ``_polygon_land`` (the two builders of cells), ``coverage`` (checks of
polygon places as a coverage), ``_setting`` (the land setting), ``_cells`` (:class:`Cells`,
the cache), ``_nesting`` (which polygon contains which place; the state a place inherits),
``_holders`` (the holder codes of places and cells on dates), and the public functions in
``_territories``, ``_fronts`` and ``_summary``.
"""

from ._cells import Cells, cells
from ._fronts import frontlines
from ._nesting import places_at
from ._setting import AUTO_DISTANCE_KM, LandSetting, land_setting
from ._summary import control_summary
from ._territories import territories, territory_changes
from .coverage import check_coverage

__all__ = [
    "AUTO_DISTANCE_KM",
    "Cells",
    "LandSetting",
    "cells",
    "check_coverage",
    "control_summary",
    "frontlines",
    "land_setting",
    "places_at",
    "territories",
    "territory_changes",
]
