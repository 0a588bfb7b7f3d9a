"""Reading and writing: the folder format, single tables, GeoJSON and other GIS formats."""

from .folder import check_folder, read_conflict, save_conflict
from .tables import read_actors, read_boundary, read_control, read_flows, read_places

__all__ = [
    "check_folder",
    "read_actors",
    "read_boundary",
    "read_conflict",
    "read_control",
    "read_flows",
    "read_places",
    "save_conflict",
]
