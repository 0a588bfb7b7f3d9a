"""The map is whole at first sight, anywhere: synthetic conflicts at several latitudes and
extents, in a real browser, compared with the same view after a zoom in and out.

A map of Ukraine used to open with its fills, unit outlines and town dots drawn only in a
northern band: the opening view was reached by an animated zoom from folium's first view
that began after the layers were added, and Chromium kept part of what it had painted while
the map pane was scaled up. The tests look at the pixels, as a reader would.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from test_browser_maps import open_map

__all__ = ["open_map"]  # the page fixture (the browser is conftest's)

import geoconflict as gc

pytestmark = pytest.mark.browser
Image = pytest.importorskip("PIL.Image")

BLUE, ORANGE = "#0072b2", "#d55e00"
#: Hide the controls (title, panel, legend, slider, zoom) so the pixels are the map's.
NO_CONTROLS = ".leaflet-control-container, .gc-title { display: none !important; }"


def synthetic(lat: float, lon: float, size: float, *, n: int = 8) -> gc.Conflict:
    """``n`` x ``n`` towns over a square ``size`` degrees wide centred on (lat, lon), the
    west half held by one side and the east by the other, in a boundary around them."""
    half = size / 2
    xs = np.linspace(lon - half, lon + half, n)
    ys = np.linspace(lat - half, lat + half, n)
    # towns a little off the grid, as towns are (a perfect grid makes degenerate Voronoi
    # cells whose union GEOS cannot always build)
    shift = np.random.default_rng(7).uniform(-0.15, 0.15, (n, n, 2)) * size / (n - 1)
    ids, names, lons, lats = [], [], [], []
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            ids.append(f"t{i}_{j}")
            names.append(f"Town {i}-{j}")
            lons.append(float(x + shift[i, j, 0]))
            lats.append(float(y + shift[i, j, 1]))
    places = gc.make_places(ids, names, lons, lats)
    actors = pd.DataFrame({"actor_id": ["west", "east"], "color": [BLUE, ORANGE]})
    control = pd.DataFrame(
        {
            "place_id": ids,
            "actor_id": ["west" if j < n // 2 else "east" for i in range(n) for j in range(n)],
            "date": "2024-01-01",
        }
    )
    later = pd.DataFrame({"place_id": [ids[0]], "actor_id": ["east"], "date": ["2024-01-05"]})
    pad = size / (2 * (n - 1))
    boundary = gpd.GeoDataFrame(
        geometry=[
            shapely.box(lon - half - pad, lat - half - pad, lon + half + pad, lat + half + pad)
        ],
        crs="EPSG:4326",
    )
    return gc.Conflict(
        places,
        actors,
        pd.concat([control, later], ignore_index=True),
        boundary=boundary,
        title="Synthetic",
    )


def screenshot(opened) -> np.ndarray:
    png = opened.page.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def land_box(opened) -> tuple[int, int, int, int]:
    """The boundary's box on screen (container pixels), inset by 3 px, cut to the window."""
    return tuple(
        opened.js(
            """() => {
        const ctx = geoconflict.maps[0], map = ctx.map;
        const b = L.latLngBounds(ctx.data.bounds);
        const a = map.latLngToContainerPoint(b.getNorthWest());
        const c = map.latLngToContainerPoint(b.getSouthEast());
        const size = map.getSize();
        return [Math.max(Math.round(a.x) + 3, 0), Math.max(Math.round(a.y) + 3, 0),
                Math.min(Math.round(c.x) - 3, size.x), Math.min(Math.round(c.y) - 3, size.y)];
    }"""
        )
    )


def filled_share(
    image: np.ndarray, box: tuple[int, int, int, int], *, bands: bool = True
) -> float:
    """The share of the box's pixels tinted by a holder's fill (blue or orange over the
    land), not the sea, the land without a holder, nor white; with ``bands``, the smallest
    share of any of ten bands across and ten down, so a band left blank counts whatever the
    rest holds (for land that fills its box)."""
    x0, y0, x1, y1 = box
    part = image[y0:y1, x0:x1]
    red, blue = part[..., 0], part[..., 2]
    tinted = ((blue - red > 25) & (blue > 150)) | ((red - blue > 25) & (red > 180))
    if not bands:
        return float(tinted.mean())
    shares = [b.mean() for b in np.array_split(tinted, 10, axis=0)]
    shares += [b.mean() for b in np.array_split(tinted, 10, axis=1)]
    return float(min(shares))


def wait_still(opened) -> None:
    """Until no zoom or pan animation runs, and two frames have been painted."""
    opened.page.wait_for_function(
        """() => {
        const map = geoconflict.maps[0].map;
        return !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
    }"""
    )
    opened.js("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def zoom_in_and_out(opened) -> None:
    for method in ("zoomIn", "zoomOut"):
        opened.js(
            f"""() => new Promise(done => {{
            const map = geoconflict.maps[0].map;
            map.once('zoomend', () => setTimeout(done, 50));
            map.{method}();
        }})"""
        )
    wait_still(opened)


CASES = {
    # (latitude, longitude, size in degrees)
    "country 70 S": (-70.0, 0.0, 8.0),
    "country 30 S": (-30.0, 25.0, 8.0),
    "country at the equator": (0.0, 35.0, 8.0),
    "country 35 N": (35.0, 38.0, 8.0),
    "country 48 N (Ukraine)": (48.0, 31.0, 8.0),
    "country 62 N": (62.0, 15.0, 8.0),
    "country 75 N": (75.0, 20.0, 8.0),
    "city 48 N": (48.0, 31.0, 0.2),
    "city 30 S": (-30.0, -60.0, 0.2),
    "continent 48 N": (48.0, 30.0, 40.0),
    "continent at the equator": (0.0, 20.0, 50.0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_first_paint_is_whole_and_equals_the_view_after_a_zoom(open_map, case):
    lat, lon, size = CASES[case]
    opened = open_map(gc.explore(synthetic(lat, lon, size), tiles=None))
    opened.page.add_style_tag(content=NO_CONTROLS)
    wait_still(opened)
    opened.page.wait_for_timeout(400)  # any animation would have run by now
    first = screenshot(opened)
    box = land_box(opened)
    # the view fits the land (Mercator draws a square of degrees at 75 N four times as tall)
    width, height = box[2] - box[0], box[3] - box[1]
    assert max(width, height) > 300 and min(width, height) > 50, box
    share = filled_share(first, box)
    assert share > 0.6, f"{case}: only {share:.0%} of the land is filled at first paint"
    zoom_in_and_out(opened)
    again = screenshot(opened)
    assert land_box(opened) == box
    differs = (np.abs(first - again).max(axis=2) > 40).mean()
    assert differs < 0.01, f"{case}: {differs:.1%} of the pixels differ after a zoom"
    opened.assert_clean()


def test_panning_resizing_and_the_slider_leave_no_layer_half_drawn(open_map):
    lat, lon, size = CASES["country 48 N (Ukraine)"]
    opened = open_map(gc.explore(synthetic(lat, lon, size), tiles=None))
    opened.page.add_style_tag(content=NO_CONTROLS)
    wait_still(opened)

    def whole(what: str) -> None:
        wait_still(opened)
        opened.page.wait_for_timeout(300)
        share = filled_share(screenshot(opened), land_box(opened))
        assert share > 0.6, f"after {what}: only {share:.0%} of the land is filled"

    opened.js("() => geoconflict.maps[0].map.panBy([250, -180], {animate: true})")
    whole("a pan")
    opened.js("() => geoconflict.maps[0].map.panBy([-500, 300], {animate: false})")
    whole("a second pan")
    opened.page.set_viewport_size({"width": 700, "height": 500})
    whole("a smaller window")
    opened.page.set_viewport_size({"width": 1400, "height": 900})
    whole("a larger window")
    opened.js("() => geoconflict.maps[0].setStep(0)")
    whole("the slider to the first date")
    opened.js("() => geoconflict.maps[0].setStep(geoconflict.maps[0].data.steps.length - 1)")
    whole("the slider to the last date")
    opened.assert_clean()


def test_a_conflict_across_the_antimeridian_gets_a_clear_error():
    places = gc.make_places(["a", "b"], ["Suva", "Apia"], [178.4, -171.8], [-18.1, -13.8])
    conflict = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["x"]}),
        pd.DataFrame({"place_id": ["a", "b"], "actor_id": ["x", "x"], "date": "2024-01-01"}),
    )
    with pytest.raises(gc.MapOptionError, match="cross the antimeridian"):
        gc.explore(conflict, tiles=None)
    with pytest.raises(gc.MapOptionError, match="map each side of 180 degrees"):
        gc.maps.map_data(conflict)
