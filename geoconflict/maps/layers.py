"""The map's layers: one small function per layer, each returning a folium FeatureGroup.

The data of every layer travels once, in the map's JSON payload (:class:`MapRuntime`); a
layer's group only holds the one line of script that asks the page's runtime to build that
layer into the group. The LayerControl switches the groups on and off.
"""

from __future__ import annotations

import folium

from .elements import TemplateElement
from .escape import html_text

__all__ = [
    "LAYER_FUNCTIONS",
    "MapRuntime",
    "basemap_layer",
    "change_layer",
    "event_layer",
    "flow_layer",
    "frontline_layer",
    "label_layer",
    "outline_layer",
    "place_layer",
    "territory_layer",
]


class MapRuntime(TemplateElement):
    """The payload of one map (``<script type="application/json">``) and its runtime.

    Parameters
    ----------
    data : dict
        The payload, as made by :func:`geoconflict.maps.map_data`.
    tiles : bool
        Whether the map has background tiles (without them the outline is filled in and
        the base map shown; with them, the base map shows if the tiles fail to load).
    url_date : bool
        Whether the URL fragment follows the date shown (``map.html#2024-12-06``).
    """

    template_name = "payload.html"
    assets = (
        ("css", "css", "geoconflict.css"),
        ("runtime", "js", "runtime.js"),
        ("layers", "js", "layers.js"),
        ("land", "js", "land.js"),
        ("basemap", "js", "basemap.js"),
        ("labels", "js", "labels.js"),
        ("flows", "js", "flows.js"),
    )

    def __init__(self, data: dict, *, tiles: bool, url_date: bool = True):
        super().__init__()
        self.data = data
        self.options = {"tiles": bool(tiles), "hash": bool(url_date)}


class LayerScript(TemplateElement):
    """The script line that builds one layer of the payload into its FeatureGroup."""

    template_name = "layer.html"

    def __init__(self, runtime: MapRuntime, layer: str):
        super().__init__()
        self.runtime = runtime
        self.layer = layer


class Start(TemplateElement):
    """Show the first step once every layer exists (or the step of the URL's
    ``#YYYY-MM-DD`` fragment)."""

    template_name = "start.html"

    def __init__(self, runtime: MapRuntime, step: int):
        super().__init__()
        self.runtime = runtime
        self.step = int(step)


def _group(runtime: MapRuntime, layer: str, *, show: bool = True) -> folium.FeatureGroup:
    # Leaflet's layer control puts names into the page as HTML: escape them.
    name = str(html_text(runtime.data["words"][layer]))
    group = folium.FeatureGroup(name=name, show=show)
    group.add_child(LayerScript(runtime, layer))
    return group


def outline_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """The boundary's outline and the context (neighbours), so the map reads without tiles.

    Every layer function takes the map's :class:`MapRuntime` and returns its FeatureGroup,
    named in the map's language.

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> from geoconflict.maps import map_data
    >>> c = gc.Conflict(gc.make_places(["a"], ["A"], [36.0], [35.0]),
    ...                 pd.DataFrame({"actor_id": ["x"]}),
    ...                 pd.DataFrame({"place_id": ["a"], "actor_id": ["x"],
    ...                               "date": ["2024-12-01"]}))
    >>> runtime = MapRuntime(map_data(c, lang="ar"), tiles=False)
    >>> outline_layer(runtime).layer_name, place_layer(runtime).layer_name
    ('الحدود والدول المجاورة', 'المدن والبلدات')
    """
    return _group(runtime, "outline")


def basemap_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Light countries, lakes, rivers and first-level admin lines (their names go to the
    label layer). Shown without tiles; with tiles, shown when they fail to load."""
    return _group(runtime, "basemap", show=not runtime.options["tiles"])


def territory_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Territories: every piece of land filled in its holder's colour (contested hatched
    in the two sides' colours, unknown dotted grey), restyled when control changes."""
    return _group(runtime, "territories")


def change_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """The land that changed hands since the step before, in the gainer's colour."""
    return _group(runtime, "changes")


def frontline_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Frontlines: the shared edges whose two pieces of land are held by different sides."""
    return _group(runtime, "frontlines")


def flow_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Displacement flows: curved lines, width by people, an arrowhead for direction.

    One canvas layer (a Leaflet canvas renderer) draws every flow from the payload's arrays,
    so tens of thousands of lines open and move fast.
    """
    return _group(runtime, "flows")


def place_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Places: point places as circle markers coloured by controller, sized by population;
    polygon places (admin units, zones) as light outlines.

    The tooltip shows the name; the popup the control history and displacement totals.
    """
    return _group(runtime, "places")


def label_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Names of places, countries, governorates and rivers, placed without overlaps."""
    return _group(runtime, "labels")


def event_layer(runtime: MapRuntime) -> folium.FeatureGroup:
    """Events near the date shown, sized by fatalities."""
    return _group(runtime, "events")


LAYER_FUNCTIONS = {
    "basemap": basemap_layer,
    "outline": outline_layer,
    "territories": territory_layer,
    "changes": change_layer,
    "frontlines": frontline_layer,
    "flows": flow_layer,
    "places": place_layer,
    "labels": label_layer,
    "events": event_layer,
}
