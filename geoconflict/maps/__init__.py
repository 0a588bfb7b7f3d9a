"""Interactive maps: folium layers, legend, time slider, offline assets, deterministic HTML."""

from ._explore import explore, tile_layer
from .escape import html_text, script_json
from .payload import map_data
from .save import render_html, save_map, stable_ids
from .steps import slider_steps

__all__ = [
    "explore",
    "html_text",
    "map_data",
    "render_html",
    "save_map",
    "script_json",
    "slider_steps",
    "stable_ids",
    "tile_layer",
]
