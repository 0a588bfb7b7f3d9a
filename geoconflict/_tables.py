"""A conflict's tables checked together: what :class:`~geoconflict.Conflict` checks once.

The readers of whole datasets (the folder format, GeoPackage, GeoParquet) return a
:class:`Dataset` of plain tables; the container is built above them
(:meth:`geoconflict.Conflict.from_tables`), and :func:`geoconflict.check_folder` runs the same
:func:`validate_tables` without building one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._schema import (
    ACTOR_ID,
    check_references,
    clean_ids,
    validate_actors,
    validate_boundary,
    validate_control,
    validate_events,
    validate_places,
)
from ._schema_flows import validate_flows
from ._schema_zones import validate_zones

__all__ = ["TABLES", "Dataset", "default_actors", "validate_tables"]

#: The tables of a conflict, in the order they are written.
TABLES = ("places", "actors", "control", "flows", "events", "boundary", "context", "zones")


@dataclass(frozen=True)
class Dataset:
    """The tables of a conflict as read from files, before they are checked together.

    Attributes
    ----------
    tables : dict of str to DataFrame
        By name (see :data:`TABLES`); ``places`` and ``control`` are always there.
    title : str
    household_size : float or None
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    title: str = "conflict"
    household_size: float | None = None


def default_actors(control: pd.DataFrame) -> pd.DataFrame:
    """An actors table of the actor ids found in ``control``, sorted, with no colours.

    Examples
    --------
    >>> import pandas as pd
    >>> default_actors(pd.DataFrame({"actor_id": ["sdf", "hts", "sdf"]})).index.tolist()
    ['hts', 'sdf']
    """
    ids = sorted(pd.unique(clean_ids(control[ACTOR_ID]).dropna()))
    return validate_actors(pd.DataFrame({ACTOR_ID: ids}))


def validate_tables(
    *,
    places: pd.DataFrame,
    actors: pd.DataFrame | None,
    control: pd.DataFrame,
    flows: pd.DataFrame | None = None,
    boundary: object = None,
    events: pd.DataFrame | None = None,
    context: object = None,
    zones: object = None,
    household_size: float | None = None,
) -> dict[str, pd.DataFrame | None]:
    """Every table validated, and the ids in control and flows checked against places and
    actors: the checks a Conflict makes. Without ``actors``, the ids in ``control``.

    Returns
    -------
    dict
        The validated copies by name (:data:`TABLES`), missing ones as None.
    """
    out: dict[str, pd.DataFrame | None] = dict.fromkeys(TABLES)
    out["places"] = validate_places(places)
    out["control"] = validate_control(control)
    out["actors"] = default_actors(out["control"]) if actors is None else validate_actors(actors)
    if flows is not None:
        out["flows"] = validate_flows(flows, household_size=household_size)
    if boundary is not None:
        out["boundary"] = validate_boundary(boundary)
    if context is not None:
        out["context"] = validate_boundary(context, source="context")
    if events is not None:
        out["events"] = validate_events(events)
    if zones is not None:
        out["zones"] = validate_zones(zones)
    check_references(
        places=out["places"],
        actors=out["actors"],
        control=out["control"],
        flows=out["flows"],
        zones=out["zones"],
    )
    return out
