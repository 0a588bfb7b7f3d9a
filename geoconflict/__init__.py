"""geoconflict: map frontlines and displacement.

Places with time-stamped control, displacement flows, territories and frontlines derived
from them, interactive maps and GIS files.
"""

from ._version import __version__
from .analysis import control_panel, event_context, flows_by_control, front_exposure
from .basemap import Basemap, load_basemap, make_basemap
from .conflict import Conflict, Snapshot
from .control import control_at, control_changes, control_codes, control_periods
from .errors import (
    ArgumentTypeError,
    BoundaryError,
    CoverageError,
    DataFileNotFoundError,
    DataWarning,
    DateArgumentError,
    FigureOptionError,
    FormatError,
    GeoconflictError,
    MapOptionError,
    MissingDependencyError,
    OptionError,
    SchemaError,
    TerritoryError,
    TerritoryOptionError,
    UnknownPlaceError,
)
from .examples import example_path, load_example
from .figures import animate, plot_control_over_time, plot_map, plot_small_multiples, save_figure
from .flows import (
    active_flows,
    aggregate_flows,
    flow_lines,
    net_flows,
    place_totals,
    present_counts,
)
from .io.acled import control_from_events, read_acled
from .io.admin import places_from_admin
from .io.exports import export_layers
from .io.folder import check_folder, save_conflict
from .io.geojson import read_geojson, to_geojson
from .io.gpkg import to_gpkg
from .io.hxl import read_hxl
from .io.parquet import to_parquet
from .io.polygon_control import control_from_polygons
from .io.report import ReadReport
from .io.tables import read_actors, read_boundary, read_control, read_flows, read_places
from .io.ucdp import read_ucdp_ged
from .io.zones import read_control_polygons, snapshot_zones
from .maps import explore, save_map
from .palette import actor_colors
from .places import make_places, resolve_places
from .read import read_conflict, read_gpkg, read_parquet
from .territory import (
    cells,
    check_coverage,
    control_summary,
    frontlines,
    territories,
    territory_changes,
)

__all__ = [
    "ArgumentTypeError",
    "Basemap",
    "BoundaryError",
    "Conflict",
    "CoverageError",
    "DataFileNotFoundError",
    "DataWarning",
    "DateArgumentError",
    "FigureOptionError",
    "FormatError",
    "GeoconflictError",
    "MapOptionError",
    "MissingDependencyError",
    "OptionError",
    "ReadReport",
    "SchemaError",
    "Snapshot",
    "TerritoryError",
    "TerritoryOptionError",
    "UnknownPlaceError",
    "__version__",
    "active_flows",
    "actor_colors",
    "aggregate_flows",
    "animate",
    "cells",
    "check_coverage",
    "check_folder",
    "control_at",
    "control_changes",
    "control_codes",
    "control_from_events",
    "control_from_polygons",
    "control_panel",
    "control_periods",
    "control_summary",
    "event_context",
    "example_path",
    "explore",
    "export_layers",
    "flow_lines",
    "flows_by_control",
    "front_exposure",
    "frontlines",
    "load_basemap",
    "load_example",
    "make_basemap",
    "make_places",
    "net_flows",
    "place_totals",
    "places_from_admin",
    "plot_control_over_time",
    "plot_map",
    "plot_small_multiples",
    "present_counts",
    "read_acled",
    "read_actors",
    "read_boundary",
    "read_conflict",
    "read_control",
    "read_control_polygons",
    "read_flows",
    "read_geojson",
    "read_gpkg",
    "read_hxl",
    "read_parquet",
    "read_places",
    "read_ucdp_ged",
    "resolve_places",
    "save_conflict",
    "save_figure",
    "save_map",
    "snapshot_zones",
    "territories",
    "territory_changes",
    "to_geojson",
    "to_gpkg",
    "to_parquet",
]
