"""The static parts of a map's payload: the base map, the outline, and where names go.

The base map (:class:`~geoconflict.basemap.Basemap`) and the conflict's boundary and context
never change with the date: they travel once, encoded (:mod:`.encode`), with the names in the
map's language and a point for each name. A country's name goes at the most inland point of
its part inside the first view; a river's at the middle of its longest stretch there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import DATE, DESTINATION, ORIGIN, PLACE_ID
from ..basemap import Basemap
from ..style import BASE_COLORS, inland_points, longest_stretches, optional_names
from ._json import rounded
from .encode import encode_lines, encode_polygons

__all__ = ["basemap_data", "outline_data", "view_bounds"]


def view_bounds(conflict) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of what the map opens on: the boundary and the places
    that have data (a control record, a flow or an event); all places when none has."""
    places = conflict.places
    used = pd.Index(conflict.control[PLACE_ID].astype(object).unique())
    if conflict.flows is not None and len(conflict.flows):
        used = used.union(pd.Index(conflict.flows[ORIGIN].dropna().astype(object).unique()))
        used = used.union(pd.Index(conflict.flows[DESTINATION].dropna().astype(object).unique()))
    chosen = places[places.index.isin(used)]
    if not len(chosen):
        chosen = places
    found = [*chosen.geometry.to_numpy().tolist()]
    if conflict.boundary is not None and len(conflict.boundary):
        found += conflict.boundary.geometry.to_numpy().tolist()
    if conflict.events is not None and len(conflict.events) and DATE in conflict.events:
        found += conflict.events.geometry.to_numpy().tolist()
    geoms = np.asarray([g for g in found if g is not None and not g.is_empty], dtype=object)
    if not geoms.size:
        return None
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    return float(x0), float(y0), float(x1), float(y1)


def _points(points: np.ndarray) -> dict:
    return {"lat": rounded(shapely.get_y(points), 4), "lon": rounded(shapely.get_x(points), 4)}


def _labelled(points: np.ndarray, names: list) -> dict:
    keep = [
        i
        for i, (p, n) in enumerate(zip(points, names, strict=True))
        if p is not None and not p.is_empty and n
    ]
    chosen = np.asarray([points[i] for i in keep], dtype=object)
    return {
        "name": [names[i] for i in keep],
        **(_points(chosen) if keep else {"lat": [], "lon": []}),
    }


def basemap_data(
    base: Basemap, lang: str, bounds: tuple[float, float, float, float] | None
) -> dict:
    """The base map's layers (encoded), their names in ``lang`` and where the names go."""
    box = bounds or base.bounds or (0.0, 0.0, 0.0, 0.0)  # an empty base map has no box
    view = shapely.box(*box)
    x0, y0, x1, y1 = view.bounds
    centre = shapely.Point((x0 + x1) / 2, (y0 + y1) / 2)
    wide = shapely.box(x0 - (x1 - x0), y0 - (y1 - y0), x1 + (x1 - x0), y1 + (y1 - y0))
    out: dict = {"credits": list(base.credits), "colors": dict(BASE_COLORS)}
    if base.countries is not None:
        geoms = base.countries.geometry.to_numpy()
        names = optional_names(base.countries, lang)
        # the country the map is about needs no name over its middle
        names = [
            None if shapely.contains(g, centre) else n for g, n in zip(geoms, names, strict=True)
        ]
        out["countries"] = {
            "shapes": encode_polygons(shapely.intersection(geoms, wide)),
            "labels": _labelled(inland_points(geoms, view, names), names),
        }
    if base.lakes is not None:
        geoms = base.lakes.geometry.to_numpy()
        names = optional_names(base.lakes, lang)
        out["lakes"] = {
            "shapes": encode_polygons(geoms),
            "labels": _labelled(np.asarray(shapely.point_on_surface(geoms), dtype=object), names),
        }
    if base.rivers is not None:
        geoms = base.rivers.geometry.to_numpy()
        out["rivers"] = {
            "lines": encode_lines(geoms),
            "labels": _labelled(
                shapely.line_interpolate_point(
                    longest_stretches(geoms, view), 0.5, normalized=True
                ),
                optional_names(base.rivers, lang),
            ),
        }
    if base.admin1 is not None:
        out["admin1"] = {"lines": encode_lines(base.admin1.geometry.to_numpy())}
    if base.admin1_labels is not None:
        geoms = shapely.point_on_surface(base.admin1_labels.geometry.to_numpy())
        out["admin1_labels"] = _labelled(
            np.asarray(geoms, dtype=object), optional_names(base.admin1_labels, lang)
        )
    return out


def outline_data(conflict, lang: str = "en") -> dict:
    """The boundary and the context (neighbours), encoded, with the context's names."""
    out: dict = {}
    if conflict.boundary is not None and len(conflict.boundary):
        out["boundary"] = encode_polygons(conflict.boundary.geometry.to_numpy())
    context = conflict.context
    if context is not None and len(context):
        geoms = context.geometry.to_numpy()
        names = optional_names(context, lang)
        out["context"] = encode_polygons(geoms)
        out["context_names"] = [n or "" for n in names]
    return out
