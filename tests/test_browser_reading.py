"""The map read as a conflict map, in Chromium: names on the map, the offline base map, what
changed and why, the date in the URL, the keyboard, polygon places, patterns and flows.

Uses the page fixtures of ``test_browser_maps.py`` (every request but the page's own is
recorded and aborted).
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_places
from test_browser_maps import READY, open_map

import geoconflict as gc

__all__ = ["open_map"]  # fixtures used here

pytestmark = pytest.mark.browser

#: Each name shown and the box its text is drawn in (the text's own extent, so text running
#: past its element would count).
LABEL_BOXES = """() => [...document.querySelectorAll('.gc-label')]
    .filter(n => n.style.display !== 'none')
    .map(n => { const range = document.createRange(); range.selectNodeContents(n);
                const r = range.getBoundingClientRect();
                return [n.textContent, r.left, r.top, r.right, r.bottom]; })"""


def overlaps(a, b) -> bool:
    return a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


def assert_apart(boxes) -> None:
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), (a, b)


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_town_names_are_on_the_map_apart_and_more_when_zoomed_in(open_map, example_map, lang):
    opened = open_map(example_map(lang=lang))
    page = opened.page
    wide = opened.js(LABEL_BOXES)
    names = [b[0] for b in wide]
    expected = {
        "en": ("Aleppo", "Damascus", "Homs", "Hama", "Idlib"),
        "ar": ("حلب", "دمشق", "حمص", "حماة", "إدلب"),
    }[lang]
    assert set(expected) <= set(names), names
    assert_apart(wide)
    size = page.viewport_size
    for box in wide:  # every name shown lies inside the map
        assert 0 <= box[1] and box[3] <= size["width"] and 0 <= box[2] and box[4] <= size["height"]
    if lang == "ar":
        assert page.locator(".gc-label", has_text="حلب").first.get_attribute("dir") == "rtl"
    opened.js("""() => new Promise(done => { const map = geoconflict.maps[0].map;
        map.once('moveend', () => done()); map.setView([35.6, 36.7], 9, {animate: false}); })""")
    close = opened.js(LABEL_BOXES)
    assert_apart(close)
    # zoomed in on Idlib and Hama, smaller towns are named too
    small = {"en": ("Saraqib", "Khan Shaykhun"), "ar": ("سراقب", "خان شيخون")}[lang]
    assert set(small) <= {b[0] for b in close}, [b[0] for b in close]
    assert not set(small) & set(names)
    opened.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_bundled_examples_names_never_overlap(open_map, tmp_path, lang):
    opened = open_map(
        gc.save_map(
            gc.explore(gc.load_example(), tiles=None, lang=lang), tmp_path / "bundled.html"
        )
    )
    for zoom in (None, 9):
        if zoom:
            opened.js(
                """(z) => new Promise(done => { const map = geoconflict.maps[0].map;
                map.once('moveend', () => done()); map.setView([35.4, 36.8], z,
                {animate: false}); })""",
                zoom,
            )
        boxes = opened.js(LABEL_BOXES)
        assert len(boxes) >= 10
        assert_apart(boxes)
    opened.assert_clean()


def test_names_are_text_not_markup(open_map):
    from test_maps import HOSTILE_NAME, hostile_conflict

    opened = open_map(gc.explore(hostile_conflict(), "2024-12-02", tiles=None))
    texts = [b[0] for b in opened.js(LABEL_BOXES)]
    assert HOSTILE_NAME in texts
    assert opened.page.locator(".gc-label img, .gc-label script").count() == 0
    opened.assert_clean()


# --------------------------------------------------------------------------- base map


BASE_DRAWN = """() => ['gc-base-river', 'gc-base-admin', 'gc-base-country', 'gc-base-lake']
    .map(c => { const p = document.querySelector('path.' + c);
                return p && p.getAttribute('d') &&
                       Math.max(p.getBBox().width, p.getBBox().height) > 50 ? c : null; })"""


def test_offline_the_base_map_draws_rivers_governorates_and_neighbours(open_map, example_map):
    opened = open_map(example_map())
    assert opened.js(BASE_DRAWN) == [
        "gc-base-river",
        "gc-base-admin",
        "gc-base-country",
        "gc-base-lake",
    ]
    names = [b[0] for b in opened.js(LABEL_BOXES)]
    assert {"Turkey", "Iraq", "Lebanon", "Jordan"} <= set(names)  # neighbours
    assert "Euphrates" in names  # the river
    assert {"Deir-ez-Zor", "Al-Hasakeh"} <= set(names)  # governorates (OCHA's spelling)
    credits = opened.page.inner_text(".leaflet-control-attribution")
    assert "Natural Earth (public domain)" in credits
    assert "UN OCHA / UNCS, Syrian Arab Republic COD-AB" in credits and "CC BY 3.0 IGO" in credits
    opened.assert_clean()


def test_when_tiles_fail_the_base_map_takes_their_place(pages, tmp_path, example):
    path = gc.save_map(gc.explore(example, tiles="OpenStreetMap Mapnik"), tmp_path / "tiles.html")
    page = pages.new_page()
    tiles, errors = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(r):
        if r.request.url == path.as_uri():
            r.continue_()
        else:  # offline: every tile fails
            tiles.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function(READY)
    page.wait_for_function("() => document.querySelector('path.gc-base-river') !== null")
    assert page.evaluate(BASE_DRAWN)[:2] == ["gc-base-river", "gc-base-admin"]
    assert "gc-no-tiles" in page.get_attribute(".folium-map", "class")
    assert tiles and all("tile.openstreetmap.org" in url for url in tiles)
    assert "CC BY 3.0 IGO" in page.inner_text(".leaflet-control-attribution")
    assert errors == []
    page.close()


def test_a_users_own_base_map(open_map):
    halves = gpd.GeoDataFrame(
        {"name": ["West Province", "East Province"]},
        crs="EPSG:4326",
        geometry=[shapely.box(35.75, 34.75, 36.5, 35.75), shapely.box(36.5, 34.75, 37.25, 35.75)],
    )
    river = gpd.GeoDataFrame(
        {"name": ["Long River"]},
        crs="EPSG:4326",
        geometry=[shapely.LineString([(35.8, 35.2), (37.2, 35.3)])],
    )
    base = gc.make_basemap(admin1=halves, rivers=river, credits="Provinces: my survey")
    conflict = gc.Conflict(make_places(), make_actors(), make_control(), boundary=make_boundary())
    opened = open_map(gc.explore(conflict, tiles=None, basemap=base))
    assert opened.js(BASE_DRAWN)[:2] == ["gc-base-river", "gc-base-admin"]
    assert "Provinces: my survey" in opened.page.inner_text(".gc-credits")
    assert opened.page.locator("path.gc-base-country").count() == 0  # not Syria's layers
    opened.assert_clean()


# --------------------------------------------------------------------------- what changed


def test_the_panel_lists_hamas_change_with_its_source(open_map, example, example_map):
    opened = open_map(example_map())
    opened.go_to("2024-12-05")
    panel = opened.page.locator(".gc-panel")
    assert panel.locator(".gc-panel-title").inner_text() == "Changes on 5 December 2024"
    # the row of Hama (the town, or its sub-district where the record is the unit's)
    hama = panel.locator("li.gc-change", has_text="Hama:").first
    text = hama.inner_text()
    assert text.startswith("Hama: Syrian government (SAA) → HTS-led opposition")
    link = hama.locator("a")
    href = link.get_attribute("href")
    assert href.startswith(("https://", "http://"))
    place = hama.get_attribute("data-place")
    record = example.control[
        (example.control.place_id == place) & (example.control.date == "2024-12-05")
    ]
    assert href == record["source"].iloc[0]
    assert "noopener" in link.get_attribute("rel").split()
    assert link.get_attribute("target") == "_blank"
    # the land Hama's change handed over is outlined in the gainer's colour
    hts = example.actor_colors()["hts"]
    strokes = opened.js(
        "() => [...document.querySelectorAll('path.gc-changed')]"
        ".map(p => p.getAttribute('stroke'))"
    )
    assert strokes == [hts]
    opened.go_to("2024-12-02")
    assert opened.page.locator("path.gc-changed").count() == 0  # nothing changed that day
    assert "No change of hands recorded." in panel.inner_text()
    opened.go_to("2024-12-01")  # the displacement reported from that day, with its source
    begun = panel.locator("li.gc-panel-flow", has_text="Tal Rifaat → Raqqa")
    assert begun.inner_text().startswith("Tal Rifaat → Raqqa: 35,000 people (estimate)")
    assert begun.locator("a").get_attribute("href").startswith("https://reliefweb.int/")
    opened.assert_clean()


def test_the_panel_follows_play(open_map, example_map):
    opened = open_map(example_map(when="2024-11-29", interval=200))
    opened.page.click(".gc-play")
    opened.page.wait_for_function(
        "() => document.querySelector('.gc-panel-title').textContent"
        " === 'Changes on 30 November 2024'"
    )
    assert "Aleppo: Syrian government (SAA) · contested" in opened.page.inner_text(".gc-panel")
    opened.page.click(".gc-play")
    opened.assert_clean()


def test_the_panel_folds_away_to_uncover_the_map_and_back(open_map, example_map):
    opened = open_map(example_map())
    opened.go_to("2024-12-05")
    page = opened.page
    toggle = page.get_by_role("button", name="Hide the list of changes")
    body = page.locator(".gc-panel-body")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.get_attribute("aria-controls") == body.get_attribute("id")
    tall = page.locator(".gc-panel").bounding_box()["height"]
    toggle.focus()
    page.keyboard.press("Enter")  # a button: the keyboard works as the mouse does
    assert not body.is_visible()
    short = page.locator(".gc-panel").bounding_box()["height"]
    assert short < tall / 2, (short, tall)
    opened.go_to("2024-12-06")  # folded, the title still follows the slider
    assert page.inner_text(".gc-panel-title") == "Changes on 6 December 2024"
    shown = page.get_by_role("button", name="Show the list of changes")
    assert shown.get_attribute("aria-expanded") == "false"
    shown.click()
    assert body.is_visible() and "Hama" not in page.inner_text(".gc-panel-changes")
    assert page.inner_text(".gc-panel-changes")  # 6 Dec's own changes
    opened.assert_clean()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(2)</script>",
        "JaVaScRiPt:alert(3)",
        " javascript:alert(4)",
        'https://ok.example/x"><img src=x onerror=alert(5)>',
    ],
)
def test_hostile_source_urls_are_never_links(open_map, url):
    control = make_control()
    control.loc[control.place_id == "b", "source"] = url
    flows = pd.DataFrame(
        {
            "origin": ["b"],
            "destination": ["e"],
            "start": ["2024-12-05"],
            "people": [10.0],
            "source": [url],
        }
    )
    conflict = gc.Conflict(make_places(), make_actors(), control, flows, boundary=make_boundary())
    opened = open_map(gc.explore(conflict, "2024-12-05", tiles=None))
    panel = opened.page.locator(".gc-panel")
    assert "Bravo:" in panel.inner_text()
    opened.page.click('path[data-place="b"]')
    opened.page.locator(".leaflet-popup-content").wait_for()
    hrefs = opened.js(
        "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    assert not [h for h in hrefs if h.lower().strip().startswith(("javascript", "data"))]
    assert opened.page.locator(".gc-panel a, .leaflet-popup-content a").count() == 0
    # shown as text: whole, or cut at a word with the whole in its tooltip (as text)
    titles = opened.js(
        "() => [...document.querySelectorAll('.gc-panel .gc-source')].map(s => s.title)"
    )
    assert url.strip() in opened.page.inner_text(".gc-panel") or url.strip() in titles
    opened.page.wait_for_timeout(200)
    opened.assert_clean()


# --------------------------------------------------------------------------- URL, keyboard


def test_the_url_fragment_opens_a_date_and_follows_the_slider(pages, example_map):
    path = example_map()
    page = pages.new_page()
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(path.as_uri()) else r.abort()
    )
    page.goto(path.as_uri() + "#2024-12-06")
    page.wait_for_function(READY)
    assert page.inner_text(".gc-date") == "2024-12-06"
    assert page.get_attribute(".gc-title-date", "data-date") == "2024-12-06"
    page.focus(".gc-range")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash === '#2024-12-07'")
    page.evaluate("() => { location.hash = '#2024-11-30'; }")
    page.wait_for_function("() => document.querySelector('.gc-date').textContent === '2024-11-30'")
    page.close()


def test_the_slider_answers_the_keyboard(open_map, example_map):
    opened = open_map(example_map(when="2024-12-03"))
    page = opened.page
    slider = page.locator(".gc-range")
    assert slider.get_attribute("aria-label") == "Date shown"
    assert slider.get_attribute("aria-valuetext") == "3 December 2024"
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".gc-date") == "2024-12-04"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.inner_text(".gc-date") == "2024-12-02"
    page.keyboard.press("End")
    assert page.inner_text(".gc-date") == "2024-12-09"
    page.keyboard.press("Home")
    assert page.inner_text(".gc-date") == "2024-11-26"
    assert slider.get_attribute("aria-valuetext") == "26 November 2024"
    assert page.get_attribute(".gc-play", "aria-label") == "Play"
    opened.assert_clean()


# --------------------------------------------------------------------------- shapes, patterns


def unit_conflict() -> gc.Conflict:
    """Two sub-district-like polygons, a town in each, the east one contested on 12-03."""
    places = gpd.GeoDataFrame(
        {
            "place_id": ["west", "east", "w-town", "e-town"],
            "name": ["West District", "East District", "Westville", "Eastville"],
            "level": ["admin3", "admin3", "town", "town"],
        },
        geometry=[
            shapely.box(36.0, 35.0, 36.5, 35.5),
            shapely.box(36.5, 35.0, 37.0, 35.5),
            shapely.Point(36.2, 35.2),
            shapely.Point(36.8, 35.3),
        ],
        crs="EPSG:4326",
    )
    control = pd.DataFrame(
        {
            "place_id": ["west", "east", "east"],
            "actor_id": ["gov", "gov", "gov"],
            "date": ["2024-12-01", "2024-12-01", "2024-12-03"],
            "status": ["held", "held", "contested"],
            "contested_by": [None, None, "reb"],
            "source": "https://example.org/report",
        }
    )
    return gc.Conflict(
        places,
        make_actors(),
        control,
        boundary=gpd.GeoDataFrame(geometry=[shapely.box(36.0, 35.0, 37.0, 35.5)], crs="EPSG:4326"),
    )


def test_polygon_places_are_outlines_and_towns_show_their_holder(open_map):
    opened = open_map(gc.explore(unit_conflict(), "2024-12-01", tiles=None))
    page = opened.page
    assert page.locator('path.gc-shape[data-place="west"]').count() == 1
    assert page.locator('path.gc-place[data-place="west"]').count() == 0
    assert page.locator('path.gc-place[data-place="w-town"]').count() == 1
    # the town has no record: its marker shows its district's holder
    gov = make_actors().set_index("actor_id").loc["gov", "color"]
    assert page.get_attribute('path[data-place="w-town"]', "fill") == gov
    page.hover('path.gc-shape[data-place="west"]', position={"x": 5, "y": 5})
    card = page.locator(".leaflet-tooltip .gc-shape-card")
    card.wait_for()
    assert card.inner_text().startswith("West District") and "Government" in card.inner_text()
    opened.assert_clean()


def test_contested_land_is_hatched_in_both_sides_colours(open_map):
    opened = open_map(gc.explore(unit_conflict(), "2024-12-03", tiles=None))
    colors = make_actors().set_index("actor_id")["color"]
    pattern = opened.js("""() => {
        const p = [...document.querySelectorAll('.leaflet-gc-territories-pane path')]
            .map(p => p.getAttribute('fill')).find(f => f.includes('hatch'));
        const node = document.querySelector(p.slice(4, -1));
        return [...node.querySelectorAll('rect')].map(r => r.getAttribute('fill'));
    }""")
    assert pattern == [colors["gov"], colors["reb"]]
    legend = opened.page.inner_text(".gc-legend")
    assert "contested (hatched in the two sides' colours)" in legend
    assert "controller unknown" in legend
    opened.assert_clean()


# --------------------------------------------------------------------------- flows


def test_flows_merge_by_governorate_when_zoomed_out(open_map):
    places = make_places().assign(admin1=["North", "North", "North", "South", "South", "South"])
    flows = pd.DataFrame(
        {
            "origin": ["a", "b", "c"],
            "destination": ["d", "e", "f"],
            "start": "2024-12-02",
            "end": "2024-12-04",
            "people": [100.0, 200.0, 300.0],
            "people_max": [150.0, None, None],
            "category": ["internal", "internal", "return"],
            "quality": ["estimate", "reported", "reported"],
        }
    )
    conflict = gc.Conflict(places, make_actors(), make_control(), flows)
    opened = open_map(gc.explore(conflict, "2024-12-03", tiles=None, merge_flows_below=8))
    drawn = "() => geoconflict.maps[0].layers.flows.drawn()"
    zoom = """(z) => new Promise(done => { const map = geoconflict.maps[0].map;
        map.once('zoomend', () => done()); map.setZoom(z, {animate: false}); })"""
    opened.js(zoom, 7)
    assert opened.js(drawn) == 2  # North → South internal (a→d + b→e), and the return
    card = opened.js("""() => {
        const r = geoconflict.maps[0].layers.flows.renderer;
        const j = r.list.findIndex(item => item[5] < 0);
        return geoconflict.maps[0].mergedCard(-(r.list[j][5] + 1), r.sumLow, r.sumHigh,
                                                r.count).textContent;
    }""")
    assert card.startswith("North → South") and "300–350" in card and "2 flows merged" in card
    opened.js(zoom, 9)
    assert opened.js(drawn) == 3
    legend = opened.page.inner_text(".gc-legend")
    for words in (
        "Internal displacement",
        "Returns",
        "Estimated figure (dashed)",
        "A range: pale outer line = upper figure",
        "one scale for every date",
        "Zoomed out, flows from one governorate to another are merged",  # the base map says
    ):
        assert words in legend, words
    opened.assert_clean()


def test_a_countrywide_count_is_in_the_panel_and_not_a_ring(open_map):
    boundary = make_boundary()
    extra = gpd.GeoDataFrame(
        {"place_id": ["country", "camp"], "name": ["The country", "A camp"]},
        geometry=[boundary.geometry.iloc[0], shapely.box(36.0, 35.0, 36.1, 35.1)],
        crs="EPSG:4326",
    )
    places = pd.concat([make_places(), extra], ignore_index=True)
    flows = pd.DataFrame(
        {
            "origin": [None, None],
            "destination": ["country", "camp"],
            "start": ["2024-12-01", "2024-12-01"],
            "end": ["2024-12-05", "2024-12-05"],
            "people": [300000.0, 2500.0],
            "kind": ["present", "present"],
            "source": ["https://example.org/country", "https://example.org/camp"],
        }
    )
    conflict = gc.Conflict(places, make_actors(), make_control(), flows, boundary=boundary)
    opened = open_map(gc.explore(conflict, tiles=None))
    opened.go_to("2024-12-01")
    panel = opened.page.locator(".gc-panel")
    across = panel.locator("li.gc-panel-flow", has_text="Counted across The country")
    assert across.inner_text().startswith("Counted across The country: 300,000 people")
    assert across.locator("a").get_attribute("href") == "https://example.org/country"
    assert panel.locator("li.gc-panel-flow", has_text="Counted at A camp").count() == 1
    opened.go_to("2024-12-03")
    ring_edge = """(id) => {
        const ctx = geoconflict.maps[0];
        const i = ctx.data.places.id.indexOf(id);
        const k = ctx.data.flows.rings.place.indexOf(i);
        const p = ctx.map.latLngToContainerPoint([ctx.data.places.lat[i], ctx.data.places.lon[i]]);
        const box = ctx.map.getContainer().getBoundingClientRect();
        return [box.left + p.x + ctx.data.flows.rings.radius[k], box.top + p.y];
    }"""
    tooltip = opened.page.locator(".leaflet-tooltip.gc-flow-tip")
    opened.page.mouse.move(*opened.js(ring_edge, "camp"))
    tooltip.wait_for()
    assert "Counted at A camp" in tooltip.inner_text()
    opened.page.mouse.move(5, 5)
    opened.page.mouse.move(*opened.js(ring_edge, "country"))
    opened.page.wait_for_timeout(200)
    assert tooltip.count() == 0 or not tooltip.is_visible()
    assert "listed in the panel, not drawn" in opened.page.inner_text(".gc-legend")
    opened.assert_clean()


def test_a_count_of_people_present_shows_as_a_numbered_circle_until_the_next_count(open_map):
    flows = pd.DataFrame(
        {
            "origin": [None, None],
            "destination": ["f", "f"],
            "start": ["2024-12-01", "2024-12-04"],
            "end": ["2024-12-01", "2024-12-04"],
            "people": [5000.0, 3000.0],
            "kind": ["present", "present"],
            "quality": "reported",
        }
    )
    conflict = gc.Conflict(make_places(), make_actors(), make_control(), flows)
    opened = open_map(gc.explore(conflict, tiles=None))
    shown = "() => Array.from(geoconflict.maps[0].layers.flows.renderer.ringShown)"
    drawn = []
    for date in ("2024-12-01", "2024-12-03", "2024-12-04", "2024-12-05"):
        opened.go_to(date)
        drawn.append(opened.js(shown))
    # the first count holds through 3 Dec, the second from 4 Dec to the end
    assert drawn == [[1, 0], [1, 0], [0, 1], [0, 1]]
    legend = opened.page.inner_text(".gc-legend")
    assert "Counted where they are" in legend and "5,000 people" in legend
    assert opened.page.locator(".gc-legend .gc-count-sample").count() >= 2
    opened.assert_clean()


def test_the_panel_stays_short_long_sources_cut_at_a_word_and_no_nested_brackets(open_map):
    long_note = (
        "Local council statement read out on the evening news and repeated by three "
        "neighbourhood committees <b>not markup</b>"
    )
    actors = pd.DataFrame(
        {
            "actor_id": ["gov", "reb"],
            "name": ["Government", "Rebels (Northern Front)"],
            "color": ["#0072b2", "#d55e00"],
        }
    )
    control = pd.concat(
        [
            make_control(),
            pd.DataFrame(
                {
                    "place_id": ["a"],
                    "actor_id": ["gov"],
                    "date": ["2024-12-04"],
                    "status": ["contested"],
                    "contested_by": ["reb"],
                    "source": [long_note],
                }
            ),
        ],
        ignore_index=True,
    )
    conflict = gc.Conflict(make_places(), actors, control)
    opened = open_map(gc.explore(conflict, tiles=None))
    opened.go_to("2024-12-04")
    row = opened.page.locator("li.gc-change", has_text="Alpha")
    text = row.inner_text()
    assert "contested – by Rebels (Northern Front)" in text
    assert "((" not in text and "))" not in text
    source = row.locator(".gc-source")
    shown = source.inner_text()
    assert shown.endswith("…") and len(shown) <= 49
    assert long_note.startswith(shown[:-1]) and long_note[len(shown) - 1] == " "  # at a word
    assert source.get_attribute("title") == long_note  # the whole text on hover, as text
    assert source.locator("b").count() == 0
    opened.go_to("2024-12-05")  # a URL source shows as its site
    link = opened.page.locator("li.gc-change", has_text="Bravo").locator("a")
    assert link.inner_text() == "example.org"
    assert link.get_attribute("title") == "https://example.org/report"
    opened.assert_clean()


def test_the_panel_lists_a_town_and_its_unit_changing_hands_alike_as_one_line(open_map):
    opened = open_map(gc.explore(gc.load_example(), "2024-12-05", tiles=None))
    panel = opened.page.locator(".gc-panel")
    hama = panel.locator("li.gc-change", has_text="Hama, Hama (sub-district):")
    assert hama.count() == 1
    assert hama.inner_text().startswith(
        "Hama, Hama (sub-district): Syrian government (SAA) → HTS-led opposition"
    )
    assert panel.locator("li.gc-change", has_text="Hama:").count() == 0
    assert hama.locator("a").count() == 1  # their one source, once
    assert hama.locator("a").inner_text() == "semafor.com"  # a link shows its site
    opened.assert_clean()


def test_the_legend_lists_the_actors_holding_land_or_places_on_the_date_shown(open_map):
    example = gc.load_example()
    opened = open_map(gc.explore(example, tiles=None))
    # what a reader sees: an entry drawn (a hidden attribute a style sheet overrides is not)
    shown = """() => [...document.querySelectorAll('.gc-legend li[data-actor]')]
        .filter(li => getComputedStyle(li).display !== 'none').map(li => li.innerText.trim())"""
    opened.go_to("2024-11-27")
    early = opened.js(shown)
    assert "Syrian government (SAA)" in early
    opened.go_to("2024-12-09")
    late = opened.js(shown)
    assert "Syrian government (SAA)" not in late  # it holds nothing on 9 Dec
    assert "HTS-led opposition (Military Operations Command)" in late
    names = [a for a in example.actors.index]
    order = opened.js(
        "() => [...document.querySelectorAll('.gc-legend li[data-actor]')]"
        ".map(li => Number(li.dataset.actor))"
    )
    assert order == list(range(len(names)))  # the same order and colours on every date
    opened.assert_clean()
