"""``explore``: the interactive map of a conflict, assembled from the small layer functions.

The payload (:func:`~geoconflict.maps.payload.map_data`) is built once; each layer, the
legend, the "what changed" panel, the title and the time slider are separate folium elements
reading from it.
"""

from __future__ import annotations

import re
from typing import cast

import folium
import numpy as np
import xyzservices
from branca.element import Figure

from .._inputs import conflict_input
from ..errors import MapOptionError
from ..territory._setting import land_setting
from .assets import link_leaflet, strip_cdn_assets
from .elements import inline_leaflet
from .escape import html_text
from .layers import MapRuntime, Start, layer_group
from .legend import Legend, Panel, Title
from .payload import map_data, whole_number
from .save import page_language, stable_ids
from .slider import TimeSlider

__all__ = ["explore", "tile_layer"]

#: A CSS length the map's size takes: a number with %, px, em, rem, vw or vh.
_SIZE = re.compile(r"\d+(\.\d+)?(%|px|em|rem|vw|vh)")


def tile_layer(tiles: object) -> folium.TileLayer:
    """A folium TileLayer for a provider named in xyzservices (or a TileProvider).

    Examples
    --------
    >>> tile_layer("OpenStreetMap Mapnik").layer_name
    'OpenStreetMap.Mapnik'
    """
    if isinstance(tiles, xyzservices.TileProvider):
        provider = tiles
    else:
        try:
            provider = xyzservices.providers.query_name(str(tiles))
        except ValueError as exc:
            raise MapOptionError(
                f"tiles: no tile provider is named {tiles!r}. Fix: pass a name from "
                "xyzservices.providers (such as 'CartoDB positron' or 'OpenStreetMap "
                "Mapnik'), an xyzservices.TileProvider, or tiles=None for none."
            ) from exc
    # xyzservices only warns for CARTO's (the tiles are built without the key); other
    # providers cannot be used without theirs.
    if provider.requires_token() and not provider.name.startswith("CartoDB"):
        raise MapOptionError(
            f"tiles: the provider {provider.name!r} needs an API key. Fix: "
            "pass xyzservices.providers.query_name(name)(apikey='...') "
            "instead."
        )
    return folium.TileLayer(tiles=provider, name=provider.name)


def explore(
    conflict,
    when: object = None,
    *,
    tiles: object = "OpenStreetMap Mapnik",
    offline: bool = True,
    time_slider: bool = True,
    layers: object = None,
    lang: str = "en",
    words: object = None,
    level_names: object = None,
    max_flows: int = 3000,
    flows: str = "active",
    title: str | None = None,
    event_days: int = 7,
    interval: int = 800,
    basemap: object = "auto",
    flow_groups: object = None,
    merge_flows_below: int = 7,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    panel: bool = True,
    url_date: bool = True,
    width: str | float = "100%",
    height: str | float = "100%",
    method: str | None = None,
) -> folium.Map:
    """An interactive map of a conflict, animated through time.

    Town names are drawn on the map (the largest first, more as one zooms in, never over
    each other); polygon places (admin units, zones) are outlines filled by the territory
    layer; land that changed hands on the date shown is outlined in the gainer's colour and
    listed, with its sources, in the "what changed" panel; contested land is hatched in the
    two sides' colours and unknown land dotted. The URL fragment carries the date
    (``map.html#2024-12-06`` opens on that day).

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        The date shown first; default: the last date on which something happens (a change
        of control, a flow under way, an event), so the map never opens empty; the legend
        says so when that is not the last date.
    tiles : str, xyzservices.TileProvider or None
        Background tiles by xyzservices name; ``None`` for none: the base map (rivers,
        lakes, first-level admin lines, neighbouring countries and their names) and the outline
        then draw the map, and they stand in for tiles that fail to load. The default needs
        no API key; CARTO's tiles (``"CartoDB positron"``) now do: pass
        ``xyzservices.providers.CartoDB.Positron(apikey="...")``.
    offline : bool
        Inline Leaflet's JavaScript and CSS so the page opens with no network (default).
        ``False`` links Leaflet from its CDN instead (a smaller page).
    time_slider : bool
        Add the slider (with play / pause) that moves every layer through the dates.
    layers : sequence of str, optional
        A subset of ``("basemap", "outline", "territories", "changes", "frontlines",
        "flows", "places", "labels", "events")``; default: all the data supports. Without
        a boundary there are no territories, changes or frontlines.
    lang : str, default "en"
        Language of names (``name_<lang>`` where present: ``name_uk``, ``name_ar`` ...) and
        words: English, Arabic, French, Spanish, Ukrainian or Russian
        (:data:`geoconflict.style.LANGUAGES`), or any language code with ``words``; the
        page's ``lang`` and ``dir`` follow (right to left for Arabic, Hebrew, Persian, Urdu).
    words : mapping, optional
        Your own interface words, over those of ``lang`` or for another language (keys as
        in ``geoconflict.style.words("en")``).
    level_names : mapping, optional
        What admin levels are called (``{"admin1": "oblast", "admin2": "raion"}``); default:
        what the data says (the places' ``level_name``), else neutral words.
    max_flows : int
        Draw at most this many flows, the largest; the legend says how many were left out.
    flows : {"active", "cumulative"}
        At each date show the flows under way, or all flows begun by then.
    title : str, optional
        Default: the conflict's title.
    event_days : int
        An event shows for this many days from its date.
    interval : int
        Milliseconds per step when the slider plays.
    basemap : "auto", None or Basemap
        ``"auto"``: the shipped Syria base map where the conflict lies in its reach (see
        :func:`geoconflict.load_basemap`); a :class:`~geoconflict.Basemap` of your own
        layers (:func:`geoconflict.make_basemap`) for another country; ``None`` for none.
    flow_groups : None, False, str or mapping
        Zoomed out, flows between the same two groups of places are merged into one line:
        default the places' ``admin1`` (first-level units); a column name; a mapping of place id
        to group; ``False`` never merges.
    merge_flows_below : int
        The zoom level below which flows are merged.
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories`: how far a town's land
        reaches (km, or ``"auto"``: 25 km outside the polygon places) and the area the land
        fills. :func:`geoconflict.to_gpkg` and :func:`geoconflict.to_geojson` take the same
        keywords, so the files hold the land the map shows.
    panel : bool
        Add the "what changed" panel.
    url_date : bool
        Keep the date shown in the page's URL fragment (and open on the fragment's date).
    width, height : str or float
        Size of the map.
    method
        Deprecated: ``method="auto"`` is ``max_distance_km="auto"``.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` for byte-identical output.

    Examples
    --------
    >>> import geoconflict as gc
    >>> m = gc.explore(gc.load_example(), "2024-12-05", tiles=None)
    >>> html = gc.maps.render_html(m)
    >>> "cdn.jsdelivr" in html, "Aleppo" in html, '<html lang="en" dir="ltr">' in html
    (False, True, True)
    """
    conflict_input(conflict, function="explore")
    interval = whole_number(interval, "interval", minimum=1, example=800)
    for name, size in (("width", width), ("height", height)):
        number = isinstance(size, (int, float, np.number)) and not isinstance(size, bool)
        css = isinstance(size, str) and _SIZE.fullmatch(size.strip()) is not None
        if not (css or (number and float(size) > 0)):
            raise MapOptionError(
                f"{name} must be a CSS size such as '100%' or '600px', or a number of pixels, "
                f"got {size!r}. Fix: pass e.g. {name}='100%'."
            )
    land = land_setting(max_distance_km=max_distance_km, boundary=boundary, method=method)
    data = map_data(
        conflict,
        when,
        flows=flows,
        max_flows=max_flows,
        lang=lang,
        words=words,
        level_names=level_names,
        title=title,
        layers=layers,
        event_days=event_days,
        basemap=basemap,
        flow_groups=flow_groups,
        merge_flows_below=merge_flows_below,
        max_distance_km=land.max_distance_km,
        boundary=land.boundary,
    )
    bounds = data["bounds"]
    m = folium.Map(
        # the runtime fits the bounds (without animation) before any layer is added
        location=[0.0, 0.0]
        if bounds is None
        else [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=2,
        tiles=None,
        control_scale=True,
        width=width,
        height=height,
    )
    figure = cast(Figure, m.get_root())  # a folium Map's root is its page
    figure.title = str(html_text(data["title"]))
    page_language(figure, data["lang"], data["dir"])
    if tiles is not None:
        tile_layer(tiles).add_to(m)
    runtime = MapRuntime(data, tiles=tiles is not None, url_date=url_date)
    m.add_child(runtime)
    for name in data["layers"]:
        m.add_child(layer_group(runtime, name))
    m.add_child(Title(runtime))
    m.add_child(Legend(runtime))
    if panel:
        m.add_child(Panel(runtime))
    if time_slider and len(data["steps"]) > 1:
        m.add_child(TimeSlider(runtime, interval=interval))
    folium.LayerControl(collapsed=True).add_to(m)
    m.add_child(Start(runtime, data["start"]))
    strip_cdn_assets(figure)
    if offline:
        inline_leaflet(figure)
    else:
        link_leaflet(m)
    stable_ids(figure)
    return m
