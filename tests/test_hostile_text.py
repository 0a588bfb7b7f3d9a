"""A corpus of hostile strings put into every text field of a dataset.

The map opened in Chromium must show each string as text, open no dialog, make no request,
raise no error and keep its layout; files written and read back keep the text exactly.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from test_browser_maps import open_map  # noqa: F401  (fixture)

import geoconflict as gc

CORPUS = {
    "script tag": "<script>alert(1)</script>",
    "event handler": "<img src=x onerror=alert(1)>",
    "attribute break-out": '"><svg onload=alert(1)>',
    "closing script": "</script><script>alert(1)</script>",
    "javascript url": "javascript:alert(1)",
    "link": '<a href="javascript:alert(1)">click</a>',
    "quotes and backticks": "' \" ` ${alert(1)} \\",
    "template syntax": "{{ 7*7 }} {% raw %} ${7*7}",
    "html comment and cdata": "<!-- --> ]]> <![CDATA[x]]>",
    "already escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "direction overrides": "\u202eevil\u202c \u2066iso\u2069 \u200f",
    "line separators": "a\u2028b\u2029c",
    "very long": "<b>" + "x" * 3000 + "</b>",
}


def hostile_dataset(text: str) -> gc.Conflict:
    """Every text field carries ``text``: names, Arabic names, aliases, actor names,
    groups, sources, notes, flow notes, event text, outline names and the title."""
    places = gc.make_places(
        ["p0", "p1", "p2"],
        [text, f"{text} 1", f"{text} 2"],
        [36.0, 36.6, 37.0],
        [35.0, 35.4, 35.0],
        population=[1000, 2000, 500],
        name_ar=[text] * 3,
        aliases=[text, None, text],
        admin1=[text] * 3,
    )
    actors = pd.DataFrame(
        {
            "actor_id": ["one", "two"],
            "name": [text, f"{text} (2)"],
            "group": [text, text],
            "color": [None, None],
        }
    )
    control = pd.DataFrame(
        {
            "place_id": ["p0", "p1", "p2", "p0"],
            "actor_id": ["one", "one", "two", "two"],
            "date": ["2024-12-01", "2024-12-01", "2024-12-01", "2024-12-03"],
            "source": [text] * 4,
            "note": [text] * 4,
        }
    )
    flows = pd.DataFrame(
        {
            "origin": ["p0", "p1"],
            "destination": ["p1", "p0"],
            "start": ["2024-12-01", "2024-12-02"],
            "people": [500.0, 80.0],
            "source": [text, text],
            "note": [text, text],
            "quality": ["reported", "estimate"],
        }
    )
    events = gpd.GeoDataFrame(
        {
            "date": ["2024-12-02"],
            "event_type": [text],
            "actor1": [text],
            "actor2": [text],
            "fatalities": [1],
            "source": [text],
        },
        geometry=[shapely.Point(36.3, 35.2)],
        crs="EPSG:4326",
    )
    boundary = gpd.GeoDataFrame(
        {"name": [text]}, geometry=[shapely.box(35.5, 34.5, 37.5, 35.8)], crs="EPSG:4326"
    )
    context = gpd.GeoDataFrame(
        {"name": [text]}, geometry=[shapely.box(37.6, 34.5, 38.5, 35.5)], crs="EPSG:4326"
    )
    return gc.Conflict(
        places,
        actors,
        control,
        flows,
        boundary=boundary,
        events=events,
        context=context,
        title=text,
    )


@pytest.fixture(scope="module")
def plain_elements() -> dict:
    """The elements of the page built from plain text, counted once per test process."""
    return {}


@pytest.mark.browser
@pytest.mark.parametrize("text", CORPUS.values(), ids=CORPUS.keys())
def test_map_shows_hostile_text_as_text(open_map, plain_elements, text):  # noqa: F811
    opened = open_map(gc.explore(hostile_dataset(text), "2024-12-02", tiles=None))
    page = opened.page
    size = page.evaluate("() => [innerWidth, innerHeight]")

    page.hover('path[data-place="p0"]')
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert page.evaluate("() => document.querySelector('.leaflet-tooltip').textContent") == text

    page.click('path[data-place="p0"]')
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert text.strip() in page.evaluate(
        "() => document.querySelector('.leaflet-popup-content').textContent"
    )

    opened.go_to("2024-12-03")  # the slider redraws every layer with the text in it
    page.wait_for_timeout(200)  # give anything injected the time to run
    opened.assert_clean()
    elements = """() => {
        const tags = ['script', 'img', 'iframe', 'object', 'embed', 'style', 'link', 'form',
                      'b', 'a', 'svg', 'template', 'math', 'video', 'audio', 'meta', 'base'];
        const counts = {};
        for (const tag of tags) counts[tag] = document.getElementsByTagName(tag).length;
        counts.handlers = document.querySelectorAll(
            '[onerror],[onload],[onmouseover],[onclick],[onfocus]').length;
        counts.jsLinks = document.querySelectorAll('a[href^="javascript"]').length;
        return counts;
    }"""
    injected = page.evaluate(elements)
    assert injected["handlers"] == injected["img"] == injected["jsLinks"] == 0
    # the same page built from plain text has as many elements of every kind markup can add
    if not plain_elements:  # the plain page is the same for every string: opened once
        plain = open_map(gc.explore(hostile_dataset("plain"), "2024-12-02", tiles=None))
        plain.page.hover('path[data-place="p0"]')
        plain.page.click('path[data-place="p0"]')
        plain.page.locator(".leaflet-popup-content").wait_for()
        plain.go_to("2024-12-03")
        plain_elements.update(plain.page.evaluate(elements))
    assert injected == plain_elements
    # layout intact: the map fills the window, no page scroll, controls inside the window
    box = page.locator(".leaflet-container").bounding_box()
    assert (round(box["width"]), round(box["height"])) == tuple(size)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
    for selector in (".gc-legend", ".gc-range"):
        part = page.locator(selector).bounding_box()
        assert part is not None and part["x"] >= 0 and part["x"] + part["width"] <= size[0]


#: Joins the corpus into one title (a character none of the strings holds).
TITLES = " \u00a7 "


def corpus_dataset() -> gc.Conflict:
    """Every string of the corpus in one dataset: string ``i`` fills the text fields of the
    places, actors, records and flows of ``hostile_dataset(string i)``, their ids prefixed
    ``s<i>_`` (one file then holds all the strings, row after row); the title joins them."""
    parts = [hostile_dataset(text) for text in CORPUS.values()]
    assert not any(TITLES.strip() in text for text in CORPUS.values())

    def prefixed(i: int, table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        table = table.copy()
        for column in columns:
            table[column] = f"s{i}_" + table[column].astype(str)
        return table

    places = pd.concat(
        [p.places.rename(index=lambda x, i=i: f"s{i}_{x}") for i, p in enumerate(parts)]
    )
    actors = pd.concat(
        [p.actors.rename(index=lambda x, i=i: f"s{i}_{x}") for i, p in enumerate(parts)]
    )
    control = pd.concat(
        [prefixed(i, p.control, ("place_id", "actor_id")) for i, p in enumerate(parts)],
        ignore_index=True,
    )
    flows = pd.concat(
        [prefixed(i, p.flows, ("origin", "destination")) for i, p in enumerate(parts)],
        ignore_index=True,
    )
    return gc.Conflict(
        places,
        actors,
        control,
        flows,
        boundary=pd.concat([p.boundary for p in parts], ignore_index=True),
        events=pd.concat([p.events for p in parts], ignore_index=True),
        context=pd.concat([p.context for p in parts], ignore_index=True),
        title=TITLES.join(CORPUS.values()),
    )


@pytest.fixture(scope="module")
def read_back(tmp_path_factory):
    """The corpus dataset written by each writer and read back, once per test process."""
    conflict = corpus_dataset()
    tmp = tmp_path_factory.mktemp("hostile_files")
    layers = gc.to_geojson(conflict, tmp / "geojson", when="2024-12-02")
    return {
        "folder": gc.read_conflict(conflict.save(tmp / "folder")),
        "gpkg": gc.read_conflict(conflict.to_gpkg(tmp / "all.gpkg")),
        "geojson": gc.read_geojson(layers / "places.geojson"),
    }


@pytest.mark.parametrize(("i", "text"), list(enumerate(CORPUS.values())), ids=list(CORPUS.keys()))
def test_files_keep_hostile_text_exactly(read_back, i, text):
    back = read_back["folder"]
    assert back.title.split(TITLES)[i] == text
    assert back.title == TITLES.join(CORPUS.values())
    assert back.places.loc[f"s{i}_p0", "name"] == text
    assert back.actors.loc[f"s{i}_one", "name"] == text
    mine = back.control["place_id"].str.startswith(f"s{i}_")
    assert back.control.loc[mine, "note"].tolist() == [text] * 4
    mine = back.flows["origin"].str.startswith(f"s{i}_")
    assert back.flows.loc[mine, "source"].tolist() == [text] * 2
    assert read_back["gpkg"].places.loc[f"s{i}_p1", "name"] == f"{text} 1"
    assert read_back["geojson"].loc[f"s{i}_p0", "name"] == text
