"""An automated WCAG 2 A/AA audit of the example map with axe-core, in Chromium, offline.

axe-core ships inside the PyPI package ``axe-playwright-python`` (in the test extra) and is
injected into the page as a script: no request leaves the page.
"""

from __future__ import annotations

import pytest
from test_browser_maps import open_map

import geoconflict as gc

__all__ = ["open_map"]  # fixtures used here

pytestmark = pytest.mark.browser

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def audit(page) -> list[str]:
    """Each violation as 'rule: target, target ...'."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
    ).Axe()
    results = axe.run(page, options=WCAG)
    return [
        f"{v['id']}: " + ", ".join(str(n["target"]) for n in v["nodes"])
        for v in results.response["violations"]
    ]


@pytest.fixture(scope="module")
def bundled_map(tmp_path_factory):
    """The bundled example's map, as ``make demo`` writes it but offline, per language."""
    folder = tmp_path_factory.mktemp("a11y")
    example = gc.load_example()
    return {
        lang: gc.save_map(
            gc.explore(example, tiles=None, lang=lang), folder / f"example_{lang}.html"
        )
        for lang in ("en", "ar")
    }


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing(open_map, bundled_map, lang):
    opened = open_map(bundled_map[lang])
    page = opened.page
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert audit(page) == []
    steps = opened.js("() => geoconflict.maps[0].data.steps")
    if "2024-12-05" in steps:  # with the changes panel full and a source link in it
        opened.go_to("2024-12-05")
    page.hover(".leaflet-control-layers")  # the layer list opened too
    page.locator(".leaflet-control-layers-list").wait_for()
    assert audit(page) == []
    opened.assert_clean()


def test_axe_finds_what_it_should(open_map, bundled_map):
    """The audit is live: a page that breaks the rules is caught."""
    opened = open_map(bundled_map["en"])
    opened.page.evaluate("""() => { document.documentElement.removeAttribute('lang');
        const zoom = document.querySelector('.leaflet-control-zoom-in');
        zoom.removeAttribute('aria-label'); zoom.removeAttribute('title'); }""")
    found = " ".join(audit(opened.page))
    assert "html-has-lang" in found and "leaflet-control-zoom-in" in found
