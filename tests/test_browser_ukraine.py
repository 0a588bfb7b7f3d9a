"""A second real conflict on the map: the war in Ukraine, built from the public files in
``../shared/data/ukraine_2022_2025/`` (skipped when they are absent), in a real browser.

It is whole at first sight at Ukraine's latitude, moves through its dates, and says nothing
of Syria: no word of the Syrian example's (governorate, sub-district, Syria, ...) reaches the
page.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import ukraine_conflict
from conftest import once_per_run
from test_browser_first_paint import (
    NO_CONTROLS,
    filled_share,
    land_box,
    screenshot,
    wait_still,
    zoom_in_and_out,
)
from test_browser_maps import open_map

import geoconflict as gc

__all__ = ["open_map"]  # the page fixture (the browser is conftest's)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not ukraine_conflict.available(), reason="../shared/data is absent"),
    # geoBoundaries' simplified raions leave small gaps and slivers: the library says so
    pytest.mark.filterwarnings("ignore:.*slivers .small overlaps. between polygon places"),
]

#: Words of the Syrian example that must not appear on a map of another country.
SYRIAN = re.compile(
    r"governorate|sub-district|syria|damascus|aleppo|idlib|\bhts\b|\bsaa\b|محافظة", re.I
)


@pytest.fixture(scope="session")
def ukraine(tmp_path_factory):
    """Built once per test run (see test_ukraine_end_to_end's fixture)."""
    return once_per_run(tmp_path_factory, "ukraine_conflict", ukraine_conflict.conflict)


@pytest.fixture(scope="session")
def ukraine_map(ukraine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ukraine")
    saved: dict = {}

    def build(lang: str = "en"):
        if lang not in saved:
            saved[lang] = gc.save_map(
                gc.explore(ukraine, tiles=None, lang=lang), folder / f"ukraine_{lang}.html"
            )
        return saved[lang]

    return build


def visible_text(opened) -> str:
    """What a reader can read: the page's text, the layer names, and the tooltips of a
    town and a raion."""
    text = opened.page.inner_text("body")
    text += " ".join(
        opened.js(
            "() => [...document.querySelectorAll('.leaflet-control-layers-selector')]"
            ".map(i => i.parentNode.textContent)"
        )
    )
    for level in ("admin2", None):  # hover a raion and a town, as a reader does
        x, y, name = opened.js(
            """(level) => {
            const ctx = geoconflict.maps[0], p = ctx.data.places;
            const i = p.id.findIndex((id, k) => level === null ? p.shape[k] < 0
                : p.shape[k] >= 0 && p.levels[p.level[k]] === level);
            const m = ctx.layers.places.markers[i];
            const at = ctx.map.latLngToContainerPoint(
                m.getLatLng ? m.getLatLng() : [p.lat[i], p.lon[i]]);
            const box = ctx.map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y, ctx.placeName(i)];
        }""",
            level,
        )
        opened.page.mouse.move(x, y)
        tooltip = opened.page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        text += " " + tooltip.inner_text() + " " + name
        opened.page.mouse.move(2, 2)
    return text


def check_the_map(opened, dates: list[str]) -> None:
    opened.page.add_style_tag(content=NO_CONTROLS)
    wait_still(opened)
    first = screenshot(opened)
    # Ukraine fills about half its box (the rest is sea and neighbours; the towns and names
    # cover some): 41 % of its pixels are tinted by a holder here; the cut first
    # paint filled a northern band only
    share = filled_share(first, land_box(opened), bands=False)
    assert share > 0.3, f"only {share:.0%} of the land's box is filled at first paint"
    zoom_in_and_out(opened)
    differs = (np.abs(first - screenshot(opened)).max(axis=2) > 40).mean()
    assert differs < 0.01, f"{differs:.1%} of the pixels differ after a zoom in and out"
    for date in dates:
        opened.go_to(date)
        text = visible_text(opened)
        found = SYRIAN.findall(text)
        assert found == [], f"{date}: {sorted(set(found))}"


def test_the_ukraine_map_in_english(open_map, ukraine_map, ukraine):
    opened = open_map(ukraine_map("en"))
    # opened on the last change of hands; every town is drawn; both sides in the legend
    data = gc.maps.map_data(ukraine)
    assert opened.page.get_attribute(".gc-title-date", "data-date") == data["steps"][data["start"]]
    assert data["steps"][-1] == "2025-04-01"
    assert opened.page.locator("path.gc-place").count() == 316
    legend = opened.page.inner_text(".gc-legend")
    assert "Ukraine" in legend and "Russia" in legend
    # Kherson: held by Russia in 2022, retaken in November 2022
    fill = "(id) => document.querySelector(`path[data-place='${id}']`).getAttribute('fill')"
    kherson = ukraine.places.index[ukraine.places["name"] == "Kherson"][0]
    opened.go_to("2022-06-01")
    assert opened.js(fill, kherson) == "#d55e00"
    opened.go_to("2023-01-01")
    assert opened.js(fill, kherson) == "#0072b2"
    check_the_map(opened, ["2022-04-03", "2022-11-01", "2024-03-01", "2025-04-01"])
    opened.assert_clean()


def test_the_ukraine_map_in_ukrainian(open_map, ukraine_map):
    opened = open_map(ukraine_map("uk"))
    assert opened.page.get_attribute("html", "lang") == "uk"
    check_the_map(opened, ["2022-04-03", "2024-03-01"])
    opened.assert_clean()
