"""A whole conflict as named tables: what the GeoPackage and GeoParquet formats share."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..conflict import Conflict

__all__ = ["TABLES", "conflict_from", "default_actors", "tables_of"]

#: The tables of a conflict, in the order they are written.
TABLES = ("places", "actors", "control", "flows", "events", "boundary", "context")


def tables_of(conflict: Conflict) -> dict[str, pd.DataFrame]:
    """The conflict's tables that are present, by name, in the order of :data:`TABLES`."""
    return {name: table for name in TABLES if (table := getattr(conflict, name)) is not None}


def default_actors(control: pd.DataFrame) -> pd.DataFrame:
    """An actors table of the actor ids found in ``control``, sorted, with no colours."""
    from .._schema import ACTOR_ID, validate_actors

    ids = sorted(pd.unique(control[ACTOR_ID].dropna()))
    return validate_actors(pd.DataFrame({ACTOR_ID: ids}))


def conflict_from(tables: dict[str, pd.DataFrame], *, title: str,
                  household_size: object) -> Conflict:
    """A Conflict from tables read back; without ``actors``, the ids in ``control``."""
    from ..conflict import Conflict

    actors = tables.get("actors")
    if actors is None:
        actors = default_actors(tables["control"])
    return Conflict(tables["places"], actors, tables["control"], tables.get("flows"),
                    boundary=tables.get("boundary"), events=tables.get("events"),
                    context=tables.get("context"), title=title,
                    household_size=household_size)
