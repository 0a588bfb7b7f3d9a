"""The layers a GIS user wants from a conflict at one date, as plain tables.

One function, :func:`export_layers`, shared by the GeoJSON writer and anyone who wants the
same layers in another format (``gpd.GeoDataFrame.to_file`` for a shapefile, say).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .._inputs import conflict_input
from .._schema import ACTOR_ID, CONTESTED_BY, NAME, PLACE_ID, STATUS
from .._time import date_or_last
from .._types import ConflictLike
from ..control import control_periods
from ..flows import flow_lines
from ..territory import frontlines, places_at, territories
from ..territory._land import has_land
from ..territory._setting import land_setting

__all__ = ["AREA_LAYERS", "LAYER_NAMES", "export_date", "export_layers", "split_areas"]

#: Every layer :func:`export_layers` can give, in the order they are written.
LAYER_NAMES = ("places", "territories", "frontlines", "flows", "control", "events", "boundary")
#: The layers :func:`split_areas` splits, and the name the polygon rows of each take.
AREA_LAYERS = {"places": "areas", "control": "control_areas"}


def split_areas(layers: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The layers with the polygon rows of ``places`` and ``control`` in layers of their own.

    A GIS reads one kind of geometry per layer: a file of towns and admin units together
    opens in QGIS as one sublayer per kind, all with the same style. The polygon places
    (admin units, declared zones) go to ``areas`` (and their periods to ``control_areas``),
    placed before the layer they came from; a layer left empty is dropped.

    Examples
    --------
    >>> import geoconflict as gc
    >>> layers = split_areas(export_layers(gc.load_example(), when="2024-12-06"))
    >>> list(layers)[:3]
    ['areas', 'places', 'territories']
    >>> sorted(set(layers["places"].geom_type)), sorted(set(layers["areas"].geom_type))
    (['Point'], ['MultiPolygon', 'Polygon'])
    """
    out: dict[str, pd.DataFrame] = {}
    for name, frame in layers.items():
        area_name = AREA_LAYERS.get(name)
        if area_name is None or not isinstance(frame, gpd.GeoDataFrame) or not len(frame):
            out[name] = frame
            continue
        areal = frame.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
        numbered = isinstance(frame.index, pd.RangeIndex)  # rows without ids: renumbered
        for key, rows in ((area_name, areal), (name, ~areal)):
            if rows.any():
                part = frame[rows]
                out[key] = part.reset_index(drop=True) if numbered else part
    return out


def export_date(conflict: ConflictLike, *, when: object = None) -> pd.Timestamp | None:
    """``when`` as a timestamp, or the last date of the data (None when it has no dates)."""
    return date_or_last(when, conflict.period)


def _places_at(conflict: ConflictLike, when: pd.Timestamp | None) -> gpd.GeoDataFrame:
    if when is not None:
        return places_at(conflict, when)
    places = conflict.places.copy()
    for col in (ACTOR_ID, STATUS, CONTESTED_BY):
        places[col] = pd.Series(pd.NA, index=places.index, dtype="string")
    places["since"] = pd.Series(pd.NaT, index=places.index, dtype="datetime64[ns]")
    return places


def _control_layer(conflict: ConflictLike) -> gpd.GeoDataFrame:
    """Places × periods of control: one feature per span a place stayed in one state."""
    periods = control_periods(conflict.control)
    places = conflict.places
    rows = places.index.get_indexer(periods[PLACE_ID])
    out = gpd.GeoDataFrame(
        {
            PLACE_ID: periods[PLACE_ID],
            NAME: places[NAME].to_numpy()[rows],
            **{col: periods[col] for col in periods.columns if col != PLACE_ID},
        },
        geometry=places.geometry.to_numpy()[rows],
        crs=places.crs,
    )
    out[NAME] = out[NAME].astype(places[NAME].dtype)
    return out


def export_layers(
    conflict: ConflictLike,
    *,
    when: object = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
) -> dict[str, pd.DataFrame]:
    """The conflict's map layers at ``when``, ready to write.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        Date of the controller, territories and frontlines; default: the last date.
    max_distance_km, boundary
        The land setting of the territories and frontlines, as for
        :func:`geoconflict.territories` (and :func:`geoconflict.explore`: the same keywords
        give the same land).

    Returns
    -------
    dict of GeoDataFrame, in the order of :data:`LAYER_NAMES`
        ``places``: every place with ``actor_id``, ``status``, ``contested_by`` and ``since``
        at ``when``. ``territories`` and ``frontlines`` at ``when`` (only with land to fill:
        a boundary or polygon places).
        ``flows``: every flow as a line (``length_km``; none for flows within one place).
        ``control``: places × periods (``start``, ``end`` exclusive, missing while it lasts).
        ``events`` and ``boundary`` when the conflict has them.

    Examples
    --------
    >>> import geoconflict as gc
    >>> c = gc.load_example()
    >>> layers = export_layers(c, when="2024-11-26")
    >>> [name for name in layers if name != "flows"]  # flows too when the data has them
    ['places', 'territories', 'frontlines', 'control', 'boundary']
    >>> layers["places"].loc["idlib", "actor_id"]
    'hts'
    """
    conflict_input(conflict, function="export_layers")
    land = land_setting(max_distance_km=max_distance_km, boundary=boundary)
    date = export_date(conflict, when=when)
    layers: dict[str, pd.DataFrame] = {"places": _places_at(conflict, date)}
    if date is not None and has_land(conflict, land):
        layers["territories"] = territories(
            conflict, date, max_distance_km=land.max_distance_km, boundary=land.boundary
        )
        layers["frontlines"] = frontlines(
            conflict, date, max_distance_km=land.max_distance_km, boundary=land.boundary
        )
    if conflict.flows is not None:
        layers["flows"] = flow_lines(conflict.flows, conflict.places)
    layers["control"] = _control_layer(conflict)
    if conflict.events is not None:
        layers["events"] = conflict.events
    if conflict.boundary is not None:
        layers["boundary"] = conflict.boundary
    return layers
