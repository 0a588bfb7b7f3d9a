"""A second real conflict: Ukraine (2024), built from ../shared/data/ukraine_2022_2025 by
tests/ukraine.py (skipped when absent), drawn as a static figure and a map payload in English
and Ukrainian, in its own words: oblasts and raions, no Syria word anywhere."""

from __future__ import annotations

import re

import pytest
import ukraine

import geoconflict as gc
from geoconflict.figures._labels import LABEL_GID
from geoconflict.maps import map_data

pytestmark = [
    pytest.mark.skipif(not ukraine.available(), reason="../shared/data/ukraine_2022_2025 absent"),
    # geoBoundaries' raions have slivers and gaps between them, and one Sevastopol raion's
    # point lies in the sea: the library says so (DataWarning), as it should
    pytest.mark.filterwarnings("ignore::geoconflict.DataWarning"),
    pytest.mark.usefixtures("agg_backend"),
]

#: Words of the Syria example that must not appear in a map of another country.
SYRIA_WORDS = re.compile(
    r"governorate|syria|aleppo|idlib|hama|damascus|nahiya|محافظة|ناحية|سوريا", re.I
)


@pytest.fixture(scope="module")
def conflict() -> gc.Conflict:
    return ukraine.conflict((32,))  # the map of 1 December 2024


@pytest.fixture(scope="module")
def basemap() -> gc.Basemap:
    return ukraine.basemap()


def all_text(ax) -> list[str]:
    ax.figure.canvas.draw()
    texts = [t.get_text() for t in ax.texts if t.get_visible()]
    texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return [ax.get_title(loc="left"), ax.get_title(loc="right"), *texts]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_static_figure_of_ukraine_in_its_own_words(conflict, basemap, lang, tmp_path):
    ax = gc.plot_map(conflict, "2024-12-01", lang=lang, basemap=basemap, labels=14)
    gc.save_figure(ax, tmp_path / f"ukraine_{lang}.png", dpi=80)
    texts = all_text(ax)
    assert not [t for t in texts if SYRIA_WORDS.search(t)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    if lang == "en":
        assert ax.get_title(loc="left") == "Ukraine, 1 December 2024"
        assert legend == ["Ukraine", "Russia", "Frontline", "Oblast lines"]
        assert {"Kyiv", "Kharkiv", "Odesa"} <= set(texts)
    else:
        assert ax.get_title(loc="left") == "Ukraine, 1 грудня 2024 р."
        assert legend == ["Україна", "Росія", "Лінія фронту", "Адміністративні межі (область)"]
        assert {"Київ", "Харків", "Одеса", "Польща"} <= set(texts)
        assert any("Джерела" in t for t in texts)


def test_towns_are_dots_and_raions_outlines(conflict, basemap):
    ax = gc.plot_map(conflict, "2024-12-01", basemap=basemap)
    towns = int((conflict.places.geom_type == "Point").sum())
    dots = next(c for c in ax.collections if c.get_gid() == "places")
    assert towns == 316 and len(dots.get_offsets()) == towns  # not 593 (raions as dots too)
    units = int((conflict.places.geom_type != "Point").sum())
    assert units > 500  # 27 oblasts and about 495 raions, each an outline
    assert sum(c.get_gid() == "unit-outline" for c in ax.collections) == 2


def test_no_name_over_another(conflict, basemap):
    ax = gc.plot_map(conflict, "2024-12-01", basemap=basemap, labels=30)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    shown = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in ax.texts
        if t.get_visible() and (t.get_gid() == LABEL_GID or (t.get_gid() or "").endswith("-name"))
    ]
    names = [name for name, _ in shown]
    assert "Zaporizhzhia" in names and len(names) >= 20
    clashes = [
        (a, b)
        for i, (a, box) in enumerate(shown)
        for b, other in shown[i + 1 :]
        if box.overlaps(other)
    ]
    assert clashes == []  # "Kryvyy Rih" was drawn over "Zaporizhzhia"


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_map_payload_speaks_of_oblasts_and_raions(conflict, basemap, lang):
    data = map_data(conflict, "2024-12-01", lang=lang, basemap=basemap)
    labels = data["words"]
    assert not [v for v in labels.values() if SYRIA_WORDS.search(v)]
    if lang == "en":
        assert (labels["level_admin1"], labels["level_admin2"]) == ("oblast", "raion")
        assert labels["admin_lines"] == "Oblast lines"
    else:
        assert (labels["level_admin1"], labels["level_admin2"]) == ("область", "район")
        assert "Київ" in data["places"]["name"]
