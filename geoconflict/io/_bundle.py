"""A whole conflict as named tables: what the GeoPackage and GeoParquet formats share."""

from __future__ import annotations

import pandas as pd

from .._tables import TABLES
from .._types import ConflictLike

__all__ = ["TABLES", "tables_of"]


def tables_of(conflict: ConflictLike) -> dict[str, pd.DataFrame]:
    """The conflict's tables that are present, by name, in the order of :data:`TABLES`."""
    return {name: table for name in TABLES if (table := getattr(conflict, name)) is not None}
