"""The command line speaks any language the library does: --lang, --words, --level-name; and
refuses options that do nothing for the chosen kind of figure."""

from __future__ import annotations

import json

import pytest

import geoconflict as gc
from geoconflict.cli import main


def test_a_map_in_ukrainian_with_named_levels(folder, tmp_path):
    out = tmp_path / "map.html"
    args = ["map", str(folder), "--no-tiles", "-o", str(out), "--lang", "uk"]
    assert main([*args, "--level-name", "admin1=область"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in html and "Лінії фронту" in html
    assert "Адміністративні межі (область)" in html


def test_your_own_words_from_a_file(folder, tmp_path, capsys):
    words = {**gc.style.words("en"), "frontlines": "Frontlinien"}
    path = tmp_path / "de.json"
    path.write_text(json.dumps(words), encoding="utf-8")
    out = tmp_path / "map.html"
    args = ["map", str(folder), "--no-tiles", "-o", str(out), "--lang", "de"]
    assert main([*args, "--words", str(path)]) == 0
    assert "Frontlinien" in out.read_text(encoding="utf-8")
    assert main(args) == 2  # German without its words
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: error: lang must be one of") and err.count("\n") == 1


@pytest.mark.parametrize(
    "options, message",
    [
        (["--words", "/no/such.json"], "--words /no/such.json: cannot be read"),
        (["--level-name", "oblast"], "--level-name 'oblast' is not LEVEL=WORD"),
    ],
)
def test_bad_word_options_are_one_line_and_exit_2(folder, tmp_path, capsys, options, message):
    out = tmp_path / "map.html"
    assert main(["map", str(folder), "--no-tiles", "-o", str(out), *options]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_plot_in_french_and_the_control_chart_refuses_map_options(folder, tmp_path, capsys):
    png = tmp_path / "fig.png"
    assert main(["plot", str(folder), "-o", str(png), "--lang", "fr", "--dpi", "50"]) == 0
    assert png.exists()
    chart = ["plot", str(folder), "-o", str(png), "--kind", "control", "--dpi", "50"]
    assert main([*chart, "--lang", "es"]) == 0
    capsys.readouterr()
    assert main([*chart, "--basemap-layer", "rivers=r.gpkg", "--level-name", "admin1=oblast"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "geoconflict: error: --basemap-layer, --level-name do nothing with --kind control"
    )
    assert err.count("\n") == 1
