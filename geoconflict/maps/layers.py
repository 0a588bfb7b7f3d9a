"""The map's layers: one table says what each is; one function makes its folium group.

The data of every layer travels once, in the map's JSON payload (:class:`MapRuntime`); a
layer's group only holds the one line of script that asks the page's runtime to build that
layer into the group (``static/<file>.js``: ``geoconflict.layers[name]``). The
LayerControl switches the groups on and off, named in the map's language.
"""

from __future__ import annotations

from typing import NamedTuple

import folium

from .elements import TemplateElement
from .escape import html_text

__all__ = ["LAYERS", "Layer", "MapRuntime", "layer_group"]


class Layer(NamedTuple):
    """One layer of the map: what it draws, and whether it is shown when there are tiles."""

    draws: str
    with_tiles: bool = True


#: The map's layers, bottom to top: what each draws (the page builds it from the payload).
LAYERS: dict[str, Layer] = {
    "basemap": Layer(
        "Light countries, lakes, rivers and first-level admin lines (their names go to the "
        "label layer). Shown without tiles; with tiles, shown when they fail to load.",
        with_tiles=False,
    ),
    "outline": Layer(
        "The boundary's outline and the context (neighbours), so the map reads without tiles."
    ),
    "territories": Layer(
        "Every cell of land filled in its holder's colour (contested hatched in the two "
        "sides' colours, unknown dotted grey), restyled when control changes."
    ),
    "changes": Layer("The land that changed hands since the step before, in the gainer's colour."),
    "frontlines": Layer("The shared edges whose two cells of land are held by different sides."),
    "flows": Layer(
        "Displacement: curved lines, width by people, an arrowhead for direction, drawn by one "
        "canvas from the payload's arrays; people counted where they are as circles with "
        "their number."
    ),
    "places": Layer(
        "Point places as circle markers coloured by holder, sized by population; polygon "
        "places (admin units, zones) as light outlines. Tooltip: the name; popup: the "
        "control history and displacement totals."
    ),
    "labels": Layer(
        "Names of places, countries, first-level units and rivers, placed without overlaps."
    ),
    "events": Layer("Events near the date shown, sized by fatalities."),
}


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


def layer_group(runtime: MapRuntime, name: str) -> folium.FeatureGroup:
    """The folium group of layer ``name`` (a key of :data:`LAYERS`), named in the map's
    language; its one line of script builds the layer from the payload.

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
    >>> layer_group(runtime, "outline").layer_name, layer_group(runtime, "places").layer_name
    ('الحدود والدول المجاورة', 'المدن والبلدات')
    """
    show = LAYERS[name].with_tiles or not runtime.options["tiles"]
    # Leaflet's layer control puts names into the page as HTML: escape them.
    group = folium.FeatureGroup(name=str(html_text(runtime.data["words"][name])), show=show)
    group.add_child(LayerScript(runtime, name))
    return group
