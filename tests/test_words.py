"""Words from the data, not one country: interface words in six languages (and yours),
names from ``name_<code>`` columns, admin levels named by the data or the user, dates in the
language shown, right to left where the language is."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control, make_places

import geoconflict as gc
from geoconflict.cli import main
from geoconflict.maps import map_data
from geoconflict.style import (
    LANGUAGES,
    date_text,
    display_names,
    drawing_words,
    level_words,
    text_direction,
    words,
)

LANG = Path(gc.style.__file__).resolve().parent / "lang"


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_six_languages_ship_every_key_with_the_same_placeholders():
    english = words("en")
    assert set(LANGUAGES) == {"en", "ar", "fr", "es", "uk", "ru"}
    for lang in LANGUAGES:
        shipped = json.loads((LANG / f"{lang}.json").read_text(encoding="utf-8"))
        assert set(shipped) == set(english), lang
        for key, text in shipped.items():
            assert text.strip(), (lang, key)
            assert fields(text) == fields(english[key]), (lang, key)


def test_each_language_is_written_in_its_script():
    cyrillic, arabic = re.compile("[а-яіїєґё]", re.I), re.compile("[\u0621-\u064a]")
    for lang in ("uk", "ru"):
        assert cyrillic.search(words(lang)["frontline"]), lang
    assert arabic.search(words("ar")["frontline"])
    assert "ї" in words("uk")["changes"] or "і" in words("uk")["frontline"]  # not Russian
    assert words("fr")["frontline"] == "Ligne de front"
    assert words("es")["refugee"].startswith("Refugiados")


def test_the_sources_file_names_a_glossary_for_every_language():
    text = (LANG / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("UNBIS", "UNESCO", "IOM", "UNGEGN", "CLDR", "DTM-uk", "UN-ar-dates"):
        assert f"**{name}" in text, name
    table = text[text.index("| term (key) |") :]
    for lang in LANGUAGES:
        assert words(lang)["frontline"] in table, lang
        assert words(lang)["internal_flow"] in table, lang


def test_your_own_words_for_another_language():
    german = {k: f"[de] {v}" for k, v in words("en").items()}
    german["frontlines"] = "Frontlinien"
    assert words("de", german)["frontlines"] == "Frontlinien"
    assert text_direction("de") == "ltr"
    with pytest.warns(gc.DataWarning, match=r"words for 'de' leave out \d+ key\(s\)"):
        partial = words("de", {"frontlines": "Frontlinien"})
    assert partial["frontlines"] == "Frontlinien" and partial["flows"] == "Displacement"
    with pytest.raises(
        gc.MapOptionError, match=r"unknown key\(s\) \['frontline_s'\].*'frontlines'"
    ):
        words("de", {"frontline_s": "x"})
    with pytest.raises(gc.MapOptionError, match=r"lang must be one of .* got 'de'"):
        words("de")
    with pytest.raises(gc.MapOptionError, match=r"words values must be text"):
        words("fr", {"flows": 3})


@pytest.mark.parametrize(
    "custom, message",
    [
        ({"flow_scale": "Breite bis {Personen}"}, r"placeholder\(s\) \['Personen'\].*\{people\}"),
        ({"flow_scale": "max {people} {0}"}, r"placeholder\(s\) \[''\]"),
        ({"date_format": "{tag}. {month} {year}"}, r"\['tag'\].*\{day\}, \{month\}, \{year\}"),
        ({"frontlines": "Linien { der Front"}, r"double a brace"),
    ],
)
def test_your_words_keep_the_placeholders(custom, message, tmp_path, capsys):
    # a placeholder the word lacks would fail deep in the drawing (KeyError, IndexError)
    with pytest.raises(gc.MapOptionError, match=message):
        gc.explore(gc.load_example(), lang="de", words=custom, tiles=None)
    with pytest.raises(gc.FigureOptionError, match=message):
        gc.plot_map(gc.load_example(), lang="de", words=custom)
    path = tmp_path / "w.json"
    path.write_text(json.dumps(custom), encoding="utf-8")
    example = str(gc.example_path())
    out = str(tmp_path / "m.html")
    assert main(["map", example, "-o", out, "--lang", "de", "--words", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: error: words[") and err.count("\n") == 1


def test_a_language_code_with_an_underscore_reaches_the_page_as_bcp_47():
    # pt_BR names columns (name_pt_br); the page and the browser's Intl need pt-BR
    m = gc.explore(gc.load_example(), lang="pt_BR", words=words("en"), tiles=None)
    assert '<html lang="pt-BR" dir="ltr">' in gc.maps.render_html(m)


@pytest.mark.parametrize(
    "lang, direction", [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("uk", "ltr")]
)
def test_right_to_left_languages(lang, direction):
    assert text_direction(lang) == direction


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "9 December 2024"),
        ("fr", "9 décembre 2024"),
        ("es", "9 de diciembre de 2024"),
        ("uk", "9 грудня 2024 р."),
        ("ru", "9 декабря 2024 г."),
        ("ar", "9 كانون الأول/ديسمبر 2024"),
    ],
)
def test_dates_in_the_language_shown(lang, text):
    assert date_text(pd.Timestamp("2024-12-09"), lang) == text


def test_names_from_name_code_columns():
    table = pd.DataFrame(
        {
            "name": ["Kyiv", "Lviv", "Aleppo"],
            "name_uk": ["Київ", None, None],
            "name_fr": ["Kiev", "Lviv", "Alep"],
            "name_ar": [None, None, "حلب"],
        }
    )
    assert display_names(table, "uk").tolist() == ["Київ", "Lviv", "Aleppo"]
    assert display_names(table, "fr").tolist() == ["Kiev", "Lviv", "Alep"]
    assert display_names(table, "ar").tolist() == ["Kyiv", "Lviv", "حلب"]
    assert display_names(table, "ru").tolist() == ["Kyiv", "Lviv", "Aleppo"]
    assert display_names(table.rename(columns={"name_fr": "name_pt"}), "pt-BR")[0] == "Kiev"


def test_any_name_column_resolves_and_survives_the_folder_format(tmp_path):
    places = make_places().assign(name_uk=["Альфа", None, None, None, None, None])
    c = gc.Conflict(places, make_actors(), make_control())
    assert gc.resolve_places(["Альфа"], c.places).tolist() == ["a"]
    back = gc.read_conflict(c.save(tmp_path / "c"))
    assert back.places.loc["a", "name_uk"] == "Альфа"


def _units(level_name: object = None) -> gpd.GeoDataFrame:
    """Two oblasts and a raion inside one, as places_from_admin reads them."""
    oblasts = gpd.GeoDataFrame(
        {"shapeID": ["UA-63", "UA-59"], "shapeName": ["Kharkiv Oblast", "Sumy Oblast"],
         "shapeType": "ADM1"},
        geometry=[shapely.box(35, 49, 38, 50.4), shapely.box(33, 50.4, 35, 52.3)],
        crs="EPSG:4326",
    )  # fmt: skip
    return gc.places_from_admin(oblasts, level_name=level_name)


def test_level_names_from_the_data_the_user_or_neutral_words():
    plain = drawing_words("en", places=_units())
    assert plain["level_admin1"] == "province" and plain["admin_lines"] == "Province lines"
    assert "governorate" not in json.dumps(plain).lower()
    stored = _units({"en": "oblast", "uk": "область"})
    assert stored["level_name"].tolist() == ["oblast", "oblast"]
    assert stored["level_name_uk"].tolist() == ["область", "область"]
    en = drawing_words("en", places=stored)
    uk = drawing_words("uk", places=stored)
    assert (en["level_admin1"], en["admin_lines"], en["admin1"]) == (
        "oblast",
        "Oblast lines",
        "oblast",
    )
    assert uk["admin_lines"] == "Адміністративні межі (область)"
    assert en["grouped"].format(group=en["admin1"]) == (
        "Zoomed out, flows from one oblast to another are merged"
    )
    # the user's words win over the data's
    user = drawing_words("en", places=stored, level_names={"admin1": "region"})
    assert user["admin_lines"] == "Region lines"
    assert drawing_words("en", custom={"admin_lines": "Oblast borders"})["admin_lines"] == (
        "Oblast borders"
    )


def test_the_base_map_names_its_lines_unless_the_user_does():
    base = {"admin1": {"en": "governorate", "ar": "محافظة"}}
    assert level_words(words("en"), "en", basemap_levels=base)["admin_lines"] == (
        "Governorate lines"
    )
    assert level_words(words("ar"), "ar", basemap_levels=base)["admin_lines"] == (
        "الحدود الإدارية (محافظة)"
    )
    assert level_words(words("fr"), "fr", basemap_levels=base)["admin_lines"] == (
        "Limites administratives (province)"  # no French word given: the neutral one
    )
    assert (
        level_words(words("en"), "en", basemap_levels=base, level_names={"admin1": "oblast"})[
            "admin_lines"
        ]
        == "Oblast lines"
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        ("oblast", r"level_names must be a mapping of level -> word, got str"),
        ({"admin1": 3}, r"level_names\['admin1'\] must be a word"),
        ({"admin1": {"en": ""}}, r"level_names\['admin1'\] must be a word"),
    ],
)
def test_bad_level_names_are_option_errors(conflict, bad, message):
    with pytest.raises(gc.MapOptionError, match=message):
        map_data(conflict, level_names=bad)
    with pytest.raises(gc.FigureOptionError, match=message):
        gc.plot_map(conflict, level_names=bad)


def test_a_map_in_ukrainian_and_one_in_hebrew(conflict):
    uk = map_data(conflict, lang="uk")
    assert uk["lang"] == "uk" and uk["dir"] == "ltr"
    assert uk["words"]["frontlines"] == "Лінії фронту"
    hebrew = {k: v for k, v in words("en").items()}
    hebrew["frontlines"] = "קווי חזית"
    he = map_data(conflict, lang="he", words=hebrew)
    assert he["dir"] == "rtl" and he["words"]["frontlines"] == "קווי חזית"
    html = gc.maps.render_html(gc.explore(conflict, lang="he", words=hebrew, tiles=None))
    assert '<html lang="he" dir="rtl">' in html


def test_the_syria_example_keeps_its_own_words():
    example = gc.load_example()
    en = map_data(example, lang="en")["words"]
    ar = map_data(example, lang="ar")["words"]
    assert en["admin_lines"] == "Governorate lines"
    assert (en["level_admin1"], en["level_admin3"]) == ("governorate", "sub-district")
    assert (ar["level_admin1"], ar["level_admin3"]) == ("محافظة", "ناحية")
    assert en["level_part"] == "part of a sub-district"
