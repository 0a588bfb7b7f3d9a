"""``explore``: the interactive map of a conflict, assembled from the small layer functions.

The payload (:func:`~geoconflict.maps.payload.map_data`) is built once; each layer, the
legend, the title and the time slider are separate folium elements reading from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shapely
import shapely.geometry

from .assets import inline_leaflet, link_leaflet, strip_cdn_assets
from .escape import html_text
from .layers import LAYER_FUNCTIONS, MapRuntime, Start
from .legend import Legend, Title
from .payload import map_data
from .save import stable_ids
from .slider import TimeSlider

if TYPE_CHECKING:
    import folium

__all__ = ["explore", "tile_layer"]


def tile_layer(tiles: object) -> folium.TileLayer:
    """A folium TileLayer for a provider named in xyzservices (or a TileProvider).

    Examples
    --------
    >>> tile_layer("OpenStreetMap Mapnik").layer_name
    'OpenStreetMap.Mapnik'
    """
    import folium
    import xyzservices

    if isinstance(tiles, xyzservices.TileProvider):
        provider = tiles
    else:
        try:
            provider = xyzservices.providers.query_name(str(tiles))
        except ValueError as exc:
            raise ValueError(
                f"tiles: no tile provider is named {tiles!r}. Fix: pass a name from "
                "xyzservices.providers (such as 'CartoDB positron' or 'OpenStreetMap "
                "Mapnik'), an xyzservices.TileProvider, or tiles=None for none.") from exc
    # xyzservices only warns for CARTO's (the tiles are built without the key); other
    # providers cannot be used without theirs.
    if provider.requires_token() and not provider.name.startswith("CartoDB"):
        raise ValueError(f"tiles: the provider {provider.name!r} needs an API key. Fix: pass "
                         "xyzservices.providers.query_name(name)(apikey='...') instead.")
    return folium.TileLayer(tiles=provider, name=provider.name)


def _bounds(data: dict) -> list[list[float]] | None:
    lat = [v for v in data["places"]["lat"] if v is not None]
    lon = [v for v in data["places"]["lon"] if v is not None]
    outline = data.get("outline", {}).get("boundary")
    if outline:
        coords = shapely.get_coordinates(
            [shapely.geometry.shape(f["geometry"]) for f in outline["features"]])
        lon += coords[:, 0].tolist()
        lat += coords[:, 1].tolist()
    if not lat:
        return None
    return [[min(lat), min(lon)], [max(lat), max(lon)]]


def explore(conflict, when: object = None, *, tiles: object = "OpenStreetMap Mapnik",
            offline: bool = True, time_slider: bool = True, layers: object = None,
            lang: str = "en", max_flows: int = 3000, flows: str = "active",
            title: str | None = None, event_days: int = 7, interval: int = 800,
            width: str | float = "100%", height: str | float = "100%") -> folium.Map:
    """An interactive map of a conflict, animated through time.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        The date shown first; default: the conflict's last date.
    tiles : str, xyzservices.TileProvider or None
        Background tiles by xyzservices name; ``None`` for none (the outline of the boundary
        and its neighbours still draws the map). The default needs no API key; CARTO's
        tiles (``"CartoDB positron"``) now do: pass
        ``xyzservices.providers.CartoDB.Positron(apikey="...")``.
    offline : bool
        Inline Leaflet's JavaScript and CSS so the page opens with no network (default).
        ``False`` links Leaflet from its CDN instead (a smaller page).
    time_slider : bool
        Add the slider (with play / pause) that moves every layer through the dates.
    layers : sequence of str, optional
        A subset of ``("outline", "territories", "frontlines", "flows", "places",
        "events")``; default: all the data supports. Without a boundary there are no
        territories or frontlines.
    lang : {"en", "ar"}
        Labels in English, or in Arabic (``name_ar`` where present, right to left).
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
    width, height : str or float
        Size of the map.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` for byte-identical output.

    Examples
    --------
    >>> import geoconflict as gc
    >>> m = gc.explore(gc.load_example(), "2024-12-05", tiles=None)
    >>> html = gc.maps.render_html(m)
    >>> "cdn.jsdelivr" in html, "Aleppo" in html
    (False, True)
    """
    import folium

    data = map_data(conflict, when, flows=flows, max_flows=max_flows, lang=lang, title=title,
                    layers=layers, event_days=event_days)
    m = folium.Map(location=[0.0, 0.0], zoom_start=2, tiles=None, control_scale=True,
                   width=width, height=height)
    figure = m.get_root()
    figure.title = str(html_text(data["title"]))
    if tiles is not None:
        tile_layer(tiles).add_to(m)
    runtime = MapRuntime(data, tiles=tiles is not None)
    m.add_child(runtime)
    for name in data["layers"]:
        m.add_child(LAYER_FUNCTIONS[name](runtime))
    m.add_child(Title(runtime))
    m.add_child(Legend(runtime))
    if time_slider and len(data["steps"]) > 1:
        m.add_child(TimeSlider(runtime, interval=interval))
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(data)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(10, 10))
    m.add_child(Start(runtime, data["start"]))
    strip_cdn_assets(figure)
    if offline:
        inline_leaflet(figure)
    else:
        link_leaflet(m)
    stable_ids(figure)
    return m
