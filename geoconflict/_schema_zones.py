"""The zones table: dated control polygons, the land as a source drew it.

Each row says that from ``date`` on an actor holds a polygon (``status`` ``held``, or
``contested`` with ``contested_by``), as DeepStateMap, ISW/CTP or a hand-drawn GIS layer draw
"the occupied area on date X". The rows of one date are one *snapshot*: together they are the
land on that date, and they hold until the next snapshot. Land a snapshot does not cover is
``unknown``; where its zones overlap, the smaller zone wins (a grey zone drawn inside an
occupied area is the grey zone). A record whose actor is ``unknown`` draws land no source
gives a holder.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._collect import Collector
from ._kinds import is_polygonal
from ._proj import to_crs
from ._schema import (
    ACTOR_ID,
    CONTESTED_BY,
    CRS,
    DATE,
    GEOMETRY,
    GEOMETRY_TYPES,
    NOTE,
    SOURCE,
    STATUS,
    STATUSES,
    choice_column,
    require_columns,
    table_name,
)
from ._values import check_id_types, clean_ids, parse_dates
from .errors import SchemaError

__all__ = ["validate_zones"]


def validate_zones(
    zones: object, *, source: object = None, rows: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Validate a zones table; return a clean copy (EPSG:4326) sorted by date, stable.

    Invalid rings are repaired (``shapely.make_valid``, keeping the polygonal part); empty
    geometries are an error, as is anything that is not a (Multi)Polygon.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> z = validate_zones(gpd.GeoDataFrame(
    ...     {"date": ["2024-03-05", "2024-03-01"], "actor_id": ["red", "red"]},
    ...     geometry=[shapely.box(0, 0, 2, 1), shapely.box(0, 0, 1, 1)], crs=4326))
    >>> z["date"].dt.strftime("%d").tolist(), z["status"].tolist()
    (['01', '05'], ['held', 'held'])
    """
    table = table_name(source, "zones")
    if not isinstance(zones, gpd.GeoDataFrame):
        raise SchemaError(
            f"{table}: zones must be a GeoDataFrame of dated polygons, got "
            f"{type(zones).__name__}. Fix: read them with geopandas.read_file or "
            "geoconflict.read_geojson."
        )
    frame = zones.copy().reset_index(drop=True)
    require_columns(
        frame, [DATE, ACTOR_ID], table=table, options={DATE: "date", ACTOR_ID: "actor"}
    )
    frame = frame.set_crs(CRS) if frame.crs is None else to_crs(frame, CRS)
    check = Collector(table, rows)
    for col in (ACTOR_ID,):
        check_id_types(frame[col], check, col)
        frame[col] = clean_ids(frame[col])
        check.add_rows(
            frame[col].isna().to_numpy(),
            frame[col],
            f"{col} is missing",
            column=col,
            fix="fill it in, or 'unknown' where no source names the holder",
        )
    frame[DATE] = parse_dates(frame[DATE], check, DATE)
    frame[STATUS] = choice_column(frame, STATUS, STATUSES, check, say_empty=False)
    if CONTESTED_BY not in frame.columns:
        frame[CONTESTED_BY] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame[CONTESTED_BY] = clean_ids(frame[CONTESTED_BY])
    check.add_rows(
        (frame[STATUS] == "contested").to_numpy() & frame[CONTESTED_BY].isna().to_numpy(),
        frame[STATUS],
        "contested zone without a challenger",
        column=CONTESTED_BY,
        fix="fill contested_by with the actor contesting the zone",
    )
    geoms = frame.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    check.add_rows(
        missing,
        pd.Series([""] * len(frame)),
        "the zone has no geometry",
        column=GEOMETRY,
        fix="drop the row, or give the polygon the source drew",
    )
    wrong = ~missing & ~is_polygonal(geoms)
    check.add_rows(
        wrong,
        pd.Series(shapely.get_type_id(geoms)).map(dict(enumerate(GEOMETRY_TYPES))),
        "a zone must be a Polygon or MultiPolygon",
        column=GEOMETRY,
        fix="give the area the source drew (buffer points or lines first if that is meant)",
    )
    for col in (SOURCE, NOTE):
        if col in frame.columns:
            frame[col] = clean_ids(frame[col])
    check.raise_if_any()
    bad = ~shapely.is_valid(geoms)
    if bad.any():  # rings as sources draw them: repaired, the polygonal part kept
        fixed = shapely.make_valid(geoms[bad])
        parts = [shapely.get_parts(g) for g in fixed]
        geoms = geoms.copy()
        geoms[bad] = [shapely.union_all(p[is_polygonal(p)]) for p in parts]  # few rows
        frame = frame.set_geometry(geoms, crs=CRS)
    order = np.argsort(frame[DATE].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)
