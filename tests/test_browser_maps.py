"""The map pages running in a real browser (headless Chromium driven by playwright).

Each page is opened from its file with no server; every request other than the file itself is
recorded and aborted, so a page that needs the network fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control, make_places
from test_maps import (
    HOSTILE_ACTOR,
    HOSTILE_NAME,
    HOSTILE_SOURCE,
    HOSTILE_TITLE,
    TEMPLATE_NAME,
    gpd_frame,
    grid,
    hostile_conflict,
)

import geoconflict as gc

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1200, "height": 800}
READY = "() => window.geoconflict && geoconflict.maps.length > 0 && geoconflict.maps[0].step >= 0"


@dataclass
class Opened:
    page: object
    errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def js(self, expression: str, arg: object = None):
        return self.page.evaluate(expression, arg)

    def fill_of(self, place_id: str) -> str:
        return self.page.get_attribute(f'path[data-place="{place_id}"]', "fill")

    def go_to(self, date: str) -> None:
        """Move the slider to a date as a user's drag does (an input event)."""
        index = self.js("(d) => geoconflict.maps[0].data.steps.indexOf(d)", date)
        assert index >= 0, date
        self.page.eval_on_selector(
            ".gc-range",
            "(el, v) => { el.value = String(v); "
            "el.dispatchEvent(new Event('input', {bubbles: true})); }",
            index,
        )

    def hover_flow(self, i: int) -> str:
        """Move the mouse onto flow ``i`` (on the canvas) and return its tooltip's text."""
        x, y = self.js(
            """(i) => {
            const ctx = geoconflict.maps[0];
            const p = ctx.map.latLngToContainerPoint(ctx.layers.flows.latLngOf(i, 0.3));
            const box = ctx.map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
            i,
        )
        self.page.mouse.move(x, y)
        tooltip = self.page.locator(".leaflet-tooltip.gc-flow-tip")
        tooltip.wait_for()
        return tooltip.inner_text()

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.requests == []
        assert self.dialogs == []


@pytest.fixture
def open_map(pages, spare_pages, tmp_path):
    used = []  # (page, its listeners)

    def opener(m) -> Opened:
        path = m if isinstance(m, Path) else gc.save_map(m, tmp_path / "map.html")
        page = spare_pages.pop() if spare_pages else pages.new_page()
        opened = Opened(page)

        def on_dialog(dialog):
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        listeners = {
            "pageerror": lambda exc: opened.errors.append(str(exc)),
            "console": lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None,
            "dialog": on_dialog,
        }
        for event, listener in listeners.items():
            page.on(event, listener)
        used.append((page, listeners))

        def route(r):
            if r.request.url == path.as_uri():
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.as_uri())
        page.wait_for_function(READY)
        return opened

    yield opener
    for page, listeners in used:
        give_back(page, listeners, spare_pages)


def give_back(page, listeners: dict, spare_pages: list) -> None:
    """Make ``page`` blank again for the next test: its listeners and route removed, the
    window at its first size, the mouse off the page, about:blank loaded (a new document:
    no script, element or state of the map is left). A page that will not go back is
    closed instead."""
    if page.is_closed():
        return
    try:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
        page.unroute("**/*")
        page.set_viewport_size(VIEWPORT)
        page.mouse.move(-1, -1)  # outside the window: hovers nothing
        page.goto("about:blank")
    except Exception:
        page.close()
        return
    spare_pages.append(page)


def colors(conflict) -> dict[str, str]:
    return conflict.actor_colors()


# --------------------------------------------------------------------------- the example


def test_bundled_example_opens_with_no_error_and_no_request(open_map, tmp_path):
    example = gc.load_example()
    # it opens on the last day something happens: a change of hands, a flow under way, or
    # people counted where they are (a stock, shown until the next count there: to the end)
    days = [example.control["date"].max()]
    if example.flows is not None and len(example.flows):
        days.append(example.flows["end"].max())
        if (example.flows["kind"] == "present").any():
            days.append(gc.maps.slider_steps(example)[-1])
    last = max(days).strftime("%Y-%m-%d")
    opened = open_map(gc.save_map(gc.explore(example, tiles=None), tmp_path / "bundled.html"))
    opened.page.wait_for_timeout(300)
    opened.assert_clean()
    assert opened.page.get_attribute(".gc-title-date", "data-date") == last
    assert opened.page.locator(".leaflet-gc-territories-pane path").count() > 0


def test_example_opens_with_no_error_and_no_request(open_map, example, example_map):
    opened = open_map(example_map())
    opened.page.wait_for_timeout(300)
    opened.assert_clean()
    assert opened.page.locator("path.gc-place").count() == len(example.places)
    assert opened.page.get_attribute(".gc-title-date", "data-date") == "2024-12-09"
    assert opened.page.inner_text(".gc-date") == "2024-12-09"
    assert opened.page.locator(".leaflet-gc-territories-pane path").count() > 0
    assert opened.page.locator(".leaflet-gc-frontlines-pane path").count() > 0
    assert opened.page.locator(".leaflet-gc-context-pane path").count() > 0
    assert opened.page.locator(".gc-legend").is_visible()


def test_hovering_aleppo_shows_its_name(open_map, example_map):
    opened = open_map(example_map())
    opened.page.hover('path[data-place="aleppo"]')
    tooltip = opened.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == "Aleppo"
    opened.assert_clean()


def test_the_slider_hands_hama_from_the_government_to_hts(open_map, example, example_map):
    color = colors(example)
    opened = open_map(example_map())
    opened.go_to("2024-12-04")
    assert opened.fill_of("hama") == color["government"]
    assert opened.page.get_attribute(".gc-title-date", "data-date") == "2024-12-04"
    opened.page.focus(".gc-range")
    opened.page.keyboard.press("ArrowRight")  # a real key press moves one day
    assert opened.page.inner_text(".gc-date") == "2024-12-05"
    assert opened.fill_of("hama") == color["hts"]
    assert opened.page.get_attribute(".gc-title-date", "data-date") == "2024-12-05"
    opened.assert_clean()


def land_labels(data: dict, date: str) -> list[int]:
    """The label of every piece of land on ``date``, replayed from the payload."""
    land = data["land"]
    key = land["at"][data["steps"].index(date)]
    codes = list(land["base"])
    for diff in land["diff"][:key]:
        for i in range(0, len(diff), 2):
            codes[diff[i]] = diff[i + 1]
    return codes


def test_territories_and_frontlines_follow_the_slider(open_map, example, example_map):
    opened = open_map(example_map())
    fills = (
        "() => [...document.querySelectorAll('.leaflet-gc-territories-pane path')]"
        ".map(p => p.getAttribute('fill'))"
    )
    front = (
        "() => [...document.querySelectorAll('.leaflet-gc-frontlines-pane path')]"
        ".map(p => p.getAttribute('d')).join('|')"
    )
    data = gc.maps.map_data(example)
    colors = [a["color"] for a in data["actors"]]
    for date in ("2024-11-26", "2024-11-29", "2024-12-04", "2024-12-05"):
        opened.go_to(date)
        got = opened.js(fills)
        labels = land_labels(data, date)
        assert len(got) == len(labels)
        for fill, code in zip(got, labels, strict=True):
            if code >= 0:
                assert fill == colors[code]
            else:  # contested land is hatched, unknown dotted: SVG patterns
                assert fill.startswith("url(#") and ("hatch" if code == -2 else "unknown") in fill
    before = opened.js(front)
    opened.go_to("2024-12-08")
    assert opened.js(front) != before
    opened.assert_clean()


def test_territories_and_frontlines_have_tooltips(open_map, example_map):
    opened = open_map(example_map())
    opened.go_to("2024-12-05")
    point = """(args) => {
        const [lat, lon] = args;
        const ctx = geoconflict.maps[0];
        const p = ctx.map.latLngToContainerPoint([lat, lon]);
        const box = ctx.map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }"""
    opened.page.mouse.move(*opened.js(point, [34.0, 39.5]))  # the desert, far from places
    card = opened.page.locator(".leaflet-tooltip .gc-territory-card")
    card.wait_for()
    assert card.inner_text().startswith("Syrian government (SAA)")
    assert "Area: " in card.inner_text() and "km²" in card.inner_text()
    opened.go_to("2024-12-09")  # no flow under way: none hides the frontline's tooltip
    line = opened.js("""() => {
        const ctx = geoconflict.maps[0];
        const hts = ctx.data.actors.findIndex(a => a.id === 'hts');
        const found = ctx.groups.frontlines.getLayers().find(l => l.gcPair.includes(hts));
        const pts = found.getLatLngs().flat(3);
        const p = pts[Math.floor(pts.length / 2)];
        return [p.lat, p.lng];
    }""")
    opened.page.mouse.move(*opened.js(point, line[:2]))
    front = opened.page.locator(".leaflet-tooltip .gc-frontline-card")
    front.wait_for()
    assert "Frontline" in front.inner_text() and "HTS-led opposition" in front.inner_text()
    opened.assert_clean()


def test_play_runs_to_the_last_date_and_stops(open_map, example_map):
    opened = open_map(example_map(when="2024-12-04", interval=150))
    opened.page.click(".gc-play")
    assert opened.page.get_attribute(".gc-play", "aria-pressed") == "true"
    opened.page.wait_for_function("() => geoconflict.maps[0].step > 8")
    opened.page.wait_for_function(
        "() => geoconflict.maps[0].step === geoconflict.maps[0].data.steps.length - 1"
    )
    opened.page.wait_for_function(
        "() => document.querySelector('.gc-play').getAttribute('aria-pressed') === 'false'"
    )
    assert opened.page.inner_text(".gc-date") == "2024-12-09"
    opened.page.click(".gc-play")  # at the end, play starts again from the first date
    opened.page.wait_for_function("() => geoconflict.maps[0].step < 13")
    opened.page.click(".gc-play")
    opened.assert_clean()


def test_flows_show_while_under_way_with_a_tooltip(open_map, example_map):
    opened = open_map(example_map())
    opened.go_to("2024-12-02")
    count = "() => geoconflict.maps[0].layers.flows.count()"
    assert opened.js(count) == 4  # Aleppo, Hama (from 11-27), Tal Rifaat x2 (from 12-01)
    text = opened.hover_flow(0)
    assert text.startswith("Tal Rifaat → ")
    assert "People: 35,000" in text and "Date: 2024-12-01 – 2024-12-05" in text
    assert "Source: https://reliefweb.int/" in text
    opened.go_to("2024-12-06")
    assert opened.js(count) == 2  # Homs to Latakia and Tartus
    opened.go_to("2024-12-09")
    assert opened.js(count) == 0
    opened.assert_clean()


def test_cumulative_flows_stay(open_map, example_map):
    opened = open_map(example_map(flows="cumulative"))
    assert opened.js("() => geoconflict.maps[0].layers.flows.count()") == 6
    assert "All flows begun by the date shown" in opened.page.inner_text(".gc-legend")
    opened.assert_clean()


def test_popup_lists_the_control_history(open_map, example_map):
    opened = open_map(example_map())
    opened.go_to("2024-12-05")
    opened.page.click('path[data-place="hama"]')
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert text.startswith("Hama")
    assert "2024-11-26 – 2024-12-05" in text and "Syrian government (SAA)" in text
    assert "HTS-led opposition" in text
    assert "Left: 5,435" in text
    current = opened.page.inner_text(".gc-period.gc-current")
    assert "HTS-led" in current
    opened.assert_clean()


def test_arabic_reads_right_to_left(open_map, example_map):
    opened = open_map(example_map(lang="ar"))
    opened.page.hover('path[data-place="aleppo"]')
    tooltip = opened.page.locator(".leaflet-tooltip .gc-card")
    tooltip.wait_for()
    assert tooltip.inner_text() == "حلب"
    assert tooltip.get_attribute("dir") == "rtl"
    for selector in (".gc-legend", ".gc-title", ".gc-slider"):
        assert opened.page.get_attribute(selector, "dir") == "rtl"
    assert "السيطرة" in opened.page.inner_text(".gc-legend")
    opened.page.click('path[data-place="aleppo"]')
    assert opened.page.get_attribute(".leaflet-popup-content .gc-card", "dir") == "rtl"
    opened.assert_clean()


# --------------------------------------------------------------------------- hostile data


def test_hostile_text_shows_as_plain_text_and_runs_nothing(open_map):
    conflict = hostile_conflict(boundary=gpd_frame([shapely.box(35.5, 34.5, 37.5, 35.8)]))
    opened = open_map(gc.explore(conflict, "2024-12-02", tiles=None))
    page = opened.page
    assert page.title() == HOSTILE_TITLE
    assert page.inner_text(".gc-title-text") == HOSTILE_TITLE
    assert HOSTILE_ACTOR in page.inner_text(".gc-legend")

    page.hover('path[data-place="x"]')
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == HOSTILE_NAME
    assert tooltip.locator("img").count() == 0

    page.click('path[data-place="x"]')
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert HOSTILE_SOURCE in text and "<!-- </script> -->" in text and HOSTILE_ACTOR in text
    assert popup.locator("script, img, b").count() == 0
    page.keyboard.press("Escape")

    page.click('path[data-place="y"]')
    popup.wait_for()
    assert "javascript:alert(7)" in popup.inner_text()
    assert page.locator("a[href^='javascript']").count() == 0

    page.hover('path[data-place="z"]')
    page.wait_for_function(
        f"() => document.querySelector('.leaflet-tooltip').textContent === {TEMPLATE_NAME!r}"
    )
    page.wait_for_timeout(300)  # give any injected handler time to fire
    opened.assert_clean()
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0


def test_hostile_flow_source_in_the_tooltip(open_map):
    opened = open_map(gc.explore(hostile_conflict(), "2024-12-01", tiles=None))
    text = opened.hover_flow(0)
    assert HOSTILE_NAME + " → Safe & Sound" in text and HOSTILE_SOURCE in text
    assert opened.page.locator(".leaflet-tooltip :is(script, img)").count() == 0
    opened.page.wait_for_timeout(200)
    opened.assert_clean()


# --------------------------------------------------------------------------- other data


def test_events_appear_for_their_days(open_map):
    events = gpd_frame(
        [shapely.Point(36.2, 35.2), shapely.Point(36.8, 35.1)],
        date=["2024-12-02", "2024-12-04"],
        event_type=["Battles", "Shelling"],
        fatalities=[4, 0],
        source="ACLED",
    )
    opened = open_map(gc.explore(grid(events=events), "2024-12-02", tiles=None, event_days=2))
    count = "() => document.querySelectorAll('path.gc-event').length"
    assert opened.js(count) == 1
    opened.go_to("2024-12-04")
    assert opened.js(count) == 1
    opened.go_to("2024-12-05")
    assert opened.js(count) == 1
    opened.go_to("2024-12-06")
    assert opened.js(count) == 0
    opened.assert_clean()


def test_thousands_of_flows_are_capped_and_the_legend_says_so(open_map):
    rng = np.random.default_rng(1)
    n = 5000
    ids = list("abcdef")
    flows = pd.DataFrame(
        {
            "origin": rng.choice(ids, n),
            "destination": rng.choice(ids, n),
            "start": "2024-12-02",
            "end": "2024-12-06",
            "people": rng.integers(1, 10_000, n) * 1.0,
        }
    )
    conflict = gc.Conflict(make_places(), make_actors(), make_control(), flows)
    data = gc.maps.map_data(conflict, max_flows=300)
    opened = open_map(gc.explore(conflict, "2024-12-03", tiles=None, max_flows=300))
    assert opened.js("() => geoconflict.maps[0].layers.flows.count()") == 300
    legend = opened.page.inner_text(".gc-legend")
    assert (
        f"Showing the 300 largest of {data['flows']['counts']['drawable']:,} flows; "
        f"{data['flows']['counts']['left_out']:,} smaller flows"
    ) in legend
    opened.assert_clean()
