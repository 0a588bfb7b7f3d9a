"""Reading and writing: the folder format, single tables, GeoJSON and other GIS formats.

The readers of whole datasets here return plain tables; :mod:`geoconflict.read` turns
them into a :class:`~geoconflict.Conflict` (``read_conflict``, ``read_gpkg``,
``read_parquet``).
"""

from .acled import control_from_events, read_acled
from .admin import places_from_admin
from .folder import check_folder, read_folder, save_conflict
from .geojson import read_geojson, to_geojson
from .gpkg import read_gpkg_tables, to_gpkg
from .hxl import read_hxl
from .parquet import read_parquet_data, to_parquet
from .polygon_control import control_from_polygons
from .report import ReadReport
from .tables import read_actors, read_boundary, read_control, read_flows, read_places
from .ucdp import read_ucdp_ged
from .zones import read_control_polygons, snapshot_zones

__all__ = [
    "ReadReport",
    "check_folder",
    "control_from_events",
    "control_from_polygons",
    "places_from_admin",
    "read_acled",
    "read_actors",
    "read_boundary",
    "read_folder",
    "read_control",
    "read_control_polygons",
    "read_flows",
    "read_geojson",
    "read_gpkg_tables",
    "read_hxl",
    "read_parquet_data",
    "read_places",
    "read_ucdp_ged",
    "save_conflict",
    "snapshot_zones",
    "to_geojson",
    "to_gpkg",
    "to_parquet",
]
