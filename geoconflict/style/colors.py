"""Colours shared by maps and figures, beside the actors' own (:mod:`geoconflict.palette`).

Flow categories are told apart by colour, dark enough to read over any actor's pale fill;
estimated figures by a dashed line, in both the interactive maps and the figures.
"""

from __future__ import annotations

from ..palette import CONTESTED_COLOR, UNKNOWN_COLOR

__all__ = [
    "BASE_COLORS",
    "BASE_NAME_COLORS",
    "CONTESTED_COLOR",
    "FLOW_CATEGORIES",
    "FLOW_COLORS",
    "FRONT_COLOR",
    "MAP_COLORS",
    "TEXT_COLOR",
    "UNKNOWN_COLOR",
    "label_colors",
]

#: Flow categories, in legend order.
FLOW_CATEGORIES = ("internal", "refugee", "return")
#: One colour per flow category.
FLOW_COLORS = {"internal": "#4a2377", "refugee": "#9b1c31", "return": "#005f73"}
FRONT_COLOR = "#1b1b1b"
TEXT_COLOR = "#222222"
#: The base map: land, water and lines (light, so the conflict's layers stand out).
BASE_COLORS = {
    "sea": "#dce8ef",
    "land": "#f4f1ea",
    "inland": "#fbfaf6",
    "water": "#a9c9dc",
    "river": "#6a9fc0",
    "admin": "#8c8c8c",
    "border": "#8a8a8a",
}
#: The base map's names: countries grey, rivers and lakes blue, governorates dark grey;
#: dark enough to read on land and sea (the maps' CSS ``.gc-label-*`` classes use them).
BASE_NAME_COLORS = {"country": "#595959", "water": "#2f6389", "admin": "#4d4d4d"}

#: The interactive map's own marks (the page receives them in its payload and as CSS custom
#: properties, ``--gc-<name>``; nothing is copied into the page's scripts or style sheet).
MAP_COLORS = {
    "contested": CONTESTED_COLOR,
    "unknown": UNKNOWN_COLOR,
    "unknown_dots": "#8c8c8c",  # the dots of land whose holder is unknown
    "front": FRONT_COLOR,
    "event": "#7a0019",
    "event_edge": "#ffffff",
    "context": BASE_COLORS["land"],  # the neighbours, filled as land without tiles
    "context_line": "#9a9a9a",
    "inland": BASE_COLORS["inland"],  # the conflict's own land without tiles
    "boundary": "#444444",
    "marker_edge": "#2b2b2b",  # the outline of a town's marker
    "unit_line": "#4d4d4d",  # the outline of a polygon place
    "changed_casing": "#ffffff",  # the white line under the outline of land that changed
}


def label_colors(actor_colors: dict[str, str]) -> dict[str, str]:
    """Each label's colour: the actors', then ``contested`` and ``unknown``.

    Examples
    --------
    >>> label_colors({"gov": "#0072b2"})
    {'gov': '#0072b2', 'contested': '#7f7f7f', 'unknown': '#bdbdbd'}
    """
    return {**actor_colors, "contested": CONTESTED_COLOR, "unknown": UNKNOWN_COLOR}
