"""The tables the territory functions return, built from rows."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .._schema import CRS, GEOMETRY

__all__ = ["pair_frame"]


def pair_frame(rows: list[tuple], names: tuple[str, str, str]) -> gpd.GeoDataFrame:
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
