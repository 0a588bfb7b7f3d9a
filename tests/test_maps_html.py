"""The page text of an interactive map: self-contained, escaped, and the same every time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import folium
import pandas as pd
import pytest
from test_maps import (
    HOSTILE_ACTOR,
    HOSTILE_NAME,
    HOSTILE_SOURCE,
    HOSTILE_TITLE,
    TEMPLATE_NAME,
    hostile_conflict,
)

import geoconflict as gc
from geoconflict.maps import render_html, save_map, script_json
from geoconflict.maps.assets import leaflet_css, leaflet_js

ROOT = Path(__file__).parents[1]
EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


@pytest.fixture(scope="module")
def example():
    return gc.load_example()


@pytest.fixture(scope="module")
def example_html(example):
    return render_html(gc.explore(example, "2024-12-05", tiles=None))


def payload(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="[^"]+-data">(.*?)</script>', html, re.DOTALL
    )
    return json.loads(match.group(1))


# --------------------------------------------------------------------------- self-contained


def test_offline_page_loads_nothing_from_a_cdn(example_html):
    assert not EXTERNAL.search(example_html)
    for cdn in ("cdn.jsdelivr", "code.jquery", "bootstrapcdn", "cdnjs", "fontawesome"):
        assert cdn not in example_html
    assert leaflet_js() in example_html
    assert leaflet_css() in example_html
    assert "sourceMappingURL" not in example_html
    assert "url(images/" not in example_html  # Leaflet's images are data: URIs


def test_offline_page_has_no_jquery_or_bootstrap_assets(example_html):
    assert "jquery" not in example_html.lower()
    assert "bootstrap" not in example_html.lower()
    assert "awesome-markers" not in example_html


def test_cdn_mode_links_leaflet_only(example):
    html = render_html(gc.explore(example, tiles=None, offline=False))
    links = EXTERNAL.findall(html)
    assert len(links) == 2
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"' in html
    assert 'href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"' in html
    assert leaflet_js() not in html


def test_folium_class_defaults_are_untouched(example):
    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    gc.explore(example, tiles=None)
    assert (folium.Map.default_js, folium.Map.default_css) == before
    assert "jquery" in dict(folium.Map.default_js)


def test_example_payload_covers_the_records_and_the_chosen_day(example, example_html):
    data = payload(example_html)
    dates = example.control["date"].dt.strftime("%Y-%m-%d")
    assert data["steps"][0] == dates.min() == "2024-11-26"
    last = [dates.max(), "2024-12-05"]
    if example.flows is not None and len(example.flows):  # the day after the last flow ends
        last.append(f"{example.flows['end'].max() + pd.Timedelta(days=1):%Y-%m-%d}")
    assert data["steps"][-1] == max(last)
    assert data["steps"][data["start"]] == "2024-12-05"
    assert "Aleppo" in data["places"]["name"]
    assert len(data["land"]["keys"]) == dates.nunique()  # the dates control changed
    assert len(data["land"]["diff"]) == dates.nunique() - 1  # each later one as differences


def test_the_page_says_its_language_and_lets_readers_zoom(example):
    english = render_html(gc.explore(example, tiles=None, layers=["places"]))
    arabic = render_html(gc.explore(example, tiles=None, layers=["places"], lang="ar"))
    assert '<html lang="en" dir="ltr">' in english
    assert '<html lang="ar" dir="rtl">' in arabic
    for page in (english, arabic):
        assert "user-scalable=no" not in page and "maximum-scale" not in page
        assert '<meta name="viewport" content="width=device-width, initial-scale=1.0"' in page


# --------------------------------------------------------------------------- escaping


@pytest.fixture(scope="module")
def hostile_html():
    return render_html(gc.explore(hostile_conflict(), tiles=None))


def test_script_json_escapes_what_could_end_a_script():
    text = str(script_json({"a": "</script><!-- & \u2028\u2029 '\""}))
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 '\""}


def test_hostile_text_never_reaches_the_page_raw(hostile_html):
    for raw in (
        HOSTILE_NAME,
        HOSTILE_SOURCE,
        HOSTILE_ACTOR,
        "<svg onload",
        "alert(4)</script>",
        "<!-- </script> -->",
    ):
        assert raw not in hostile_html
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", hostile_html, re.DOTALL)
    assert not any("\u2028" in s or "\u2029" in s for s in scripts)  # they end JS lines
    # every </script> closes one of our <script> elements: data ended none of them
    assert hostile_html.count("</script>") == len(re.findall(r"<script\b", hostile_html))
    # the title is escaped in <title> and in the title box
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;</title>" in hostile_html
    assert "&lt;b onmouseover=alert(3)&gt;Evil&lt;/b&gt;" in hostile_html  # legend


def test_hostile_text_survives_as_data(hostile_html):
    data = payload(hostile_html)
    assert data["places"]["name"][0] == HOSTILE_NAME
    assert data["control"]["sources"][0] == HOSTILE_SOURCE
    assert data["flows"]["sources"][0] == HOSTILE_SOURCE
    assert data["title"] == HOSTILE_TITLE
    assert data["actors"][0]["name"] == HOSTILE_ACTOR
    assert data["actors"][1]["name"] == "Good\u2028line\u2029sep"


def test_template_syntax_in_data_is_not_evaluated(hostile_html):
    data = payload(hostile_html)
    assert data["places"]["name"][2] == TEMPLATE_NAME
    assert "\\u003c" in hostile_html  # and names still escaped in the JSON


# --------------------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(example):
    a = render_html(gc.explore(example, tiles=None))
    b = render_html(gc.explore(example, tiles=None))
    assert a == b


def test_no_random_ids_are_left(example_html):
    assert not re.search(r"[0-9a-f]{32}", example_html)
    assert re.search(r'id="map_\d{4}"', example_html)


def test_elements_added_after_explore_get_stable_ids_too(example):
    def build():
        m = gc.explore(example, tiles=None, layers=["places"])
        folium.FeatureGroup(name="mine").add_to(m)
        return render_html(m)

    a, b = build(), build()
    assert a == b and "feature_group_u0001" in a


def test_same_bytes_from_another_process(tmp_path, example):
    here = save_map(gc.explore(example, tiles=None), tmp_path / "here.html")
    script = textwrap.dedent(f"""
        import geoconflict as gc
        gc.save_map(gc.explore(gc.load_example(), tiles=None), {str(tmp_path / "there.html")!r})
    """)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=ROOT, timeout=300)
    assert (tmp_path / "there.html").read_bytes() == here.read_bytes()


# --------------------------------------------------------------------------- saving


def test_save_map_writes_the_rendered_page(tmp_path, example):
    m = gc.explore(example, tiles=None)
    m._repr_html_()  # a notebook shows it first: folium's own rendering adds to the page
    out = save_map(m, tmp_path / "deep" / "map.html")
    assert out == tmp_path / "deep" / "map.html"
    text = out.read_text(encoding="utf-8")
    assert text == render_html(m) == render_html(gc.explore(example, tiles=None))
    for group in re.findall(r"var (feature_group_\d+) = ", text):
        assert text.count(f"{group}.addTo(") == 1


def test_save_map_leaves_the_old_file_when_rendering_fails(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old")
    m = folium.Map(tiles=None)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(m.get_root(), "render", broken)
    with pytest.raises(RuntimeError, match="boom"):
        save_map(m, target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


# --------------------------------------------------------------------------- tiles, CLI


def test_carto_tiles_pass_on_xyzservices_key_warning(example):
    with pytest.warns(UserWarning, match="CartoDB tiles now require an API key"):
        m = gc.explore(example, tiles="CartoDB positron", layers=["places"])
    assert "basemaps.cartocdn.com" in render_html(m)


def test_cli_map_writes_a_self_contained_page(tmp_path, capsys):
    from geoconflict.cli import main

    out = tmp_path / "map.html"
    status = main(
        ["map", str(gc.example_path()), "-o", str(out), "--no-tiles", "--date", "2024-12-05"]
    )
    assert status == 0
    assert f"map written to {out}" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(html)
    assert payload(html)["steps"][payload(html)["start"]] == "2024-12-05"


def test_cli_map_in_arabic(tmp_path):
    from geoconflict.cli import main

    out = tmp_path / "map.html"
    assert main(["map", str(gc.example_path()), "-o", str(out), "--no-tiles", "--lang", "ar"]) == 0
    data = payload(out.read_text(encoding="utf-8"))
    assert data["dir"] == "rtl" and "حلب" in data["places"]["name"]
