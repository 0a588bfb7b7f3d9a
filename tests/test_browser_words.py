"""The page in the reader's language, in Chromium: the words, the dates, the direction, and
the admin levels named by the data (uses the page fixtures of ``test_browser_maps.py``)."""

from __future__ import annotations

import pytest
from test_browser_maps import open_map
from test_words import _units

import geoconflict as gc

__all__ = ["open_map"]  # the page fixture (browser and example are conftest's)

pytestmark = pytest.mark.browser


def _oblasts() -> gc.Conflict:
    import pandas as pd

    places = _units({"en": "oblast", "uk": "область"}).assign(
        name_uk=["Харківська область", "Сумська область"]
    )
    control = pd.DataFrame(
        {
            "place_id": ["UA-63", "UA-59", "UA-63"],
            "actor_id": ["ua", "ua", "ru"],
            "date": ["2024-11-01", "2024-11-01", "2024-12-05"],
        }
    )
    actors = pd.DataFrame(
        {"actor_id": ["ua", "ru"], "name": ["Ukraine", "Russia"], "name_uk": ["Україна", "Росія"]}
    )
    return gc.Conflict(places, actors, control, title="Oblasts")


@pytest.mark.parametrize(
    "lang, changed, month",
    [("en", "Kharkiv Oblast (oblast)", "Dec"), ("uk", "Харківська область (область)", "груд")],
)
def test_the_panel_and_the_dates_speak_the_readers_language(open_map, lang, changed, month):
    opened = open_map(gc.explore(_oblasts(), "2024-12-05", tiles=None, lang=lang))
    page = opened.page
    assert page.locator("html").get_attribute("lang") == lang
    panel = page.locator(".gc-panel").inner_text()
    assert changed in panel and month in panel
    slider = page.locator("input[type=range]").first.get_attribute("aria-valuetext")
    assert month in slider
    banner = page.locator(".gc-title-date")  # the title's date in the reader's language
    assert month in banner.inner_text() and banner.get_attribute("data-date") == "2024-12-05"
    assert "governorate" not in page.locator("body").inner_text().lower()  # as read
    opened.assert_clean()


def test_the_example_keeps_its_own_words(open_map, example_map):
    opened = open_map(example_map(lang="en"))
    legend = opened.page.locator(".gc-legend").inner_text()
    assert "Governorate lines" in legend  # the Syria base map says so
    opened.assert_clean()
