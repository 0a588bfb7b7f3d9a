"""geoconflict: map frontlines and displacement.

Places with time-stamped control, displacement flows, territories and frontlines derived
from them, interactive maps and GIS files.
"""

from ._version import __version__
from .conflict import Conflict, Snapshot
from .control import control_at, control_changes, control_codes, control_periods
from .errors import (
    BoundaryError,
    DataWarning,
    FormatError,
    GeoconflictError,
    SchemaError,
    UnknownPlaceError,
)
from .examples import example_path, load_example
from .flows import active_flows, aggregate_flows, flow_lines, net_flows, place_totals
from .io.folder import check_folder, read_conflict, save_conflict
from .io.tables import read_actors, read_boundary, read_control, read_flows, read_places
from .maps import explore, save_map
from .palette import actor_colors
from .places import make_places, resolve_places
from .territory import cells, control_summary, frontlines, territories, territory_changes

__all__ = [
    "BoundaryError",
    "Conflict",
    "DataWarning",
    "FormatError",
    "GeoconflictError",
    "SchemaError",
    "Snapshot",
    "UnknownPlaceError",
    "__version__",
    "active_flows",
    "actor_colors",
    "aggregate_flows",
    "cells",
    "check_folder",
    "control_at",
    "control_changes",
    "control_codes",
    "control_periods",
    "control_summary",
    "example_path",
    "explore",
    "flow_lines",
    "frontlines",
    "load_example",
    "make_places",
    "net_flows",
    "place_totals",
    "read_actors",
    "read_boundary",
    "read_conflict",
    "read_control",
    "read_flows",
    "read_places",
    "resolve_places",
    "save_conflict",
    "save_map",
    "territories",
    "territory_changes",
]
