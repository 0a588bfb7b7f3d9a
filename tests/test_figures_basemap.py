"""The base map under the static figures: drawn as the interactive map draws it, named,
credited, chosen like the map's ("auto", None or a Basemap), and never widening the map."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors

import geoconflict as gc
from geoconflict.figures import FigureOptionError
from geoconflict.style import BASE_COLORS, BASE_NAME_COLORS

matplotlib = pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("basemap-countries", "basemap-lakes", "basemap-rivers", "basemap-admin1")


pytestmark = pytest.mark.usefixtures("agg_backend")  # from conftest


@pytest.fixture(scope="module")
def syria():
    return gc.load_example()


def drawn_layers(ax) -> dict[str, object]:
    return {a.get_gid(): a for a in ax.collections if (a.get_gid() or "").startswith("basemap")}


def names(ax, gid: str) -> dict[str, object]:
    return {t.get_text(): t for t in ax.texts if t.get_gid() == gid}


def note(ax) -> str:
    texts = [t.get_text() for t in ax.texts if t.get_text().startswith("Sources.")]
    return texts[0].replace("\n", " ") if texts else ""


def inside_axes(ax, text) -> bool:
    ax.figure.canvas.draw()
    box = ax.get_window_extent()
    x, y = ax.transData.transform(text.get_position() if not hasattr(text, "xy") else text.xy)
    return box.x0 < x < box.x1 and box.y0 < y < box.y1


def test_the_example_shows_rivers_lakes_countries_and_governorates(syria):
    ax = gc.plot_map(syria, "2024-12-09")
    layers = drawn_layers(ax)
    assert set(layers) == set(LAYERS)
    rivers, admin = layers["basemap-rivers"], layers["basemap-admin1"]
    assert matplotlib.colors.to_hex(rivers.get_colors()[0]) == BASE_COLORS["river"]
    assert (
        matplotlib.colors.to_hex(layers["basemap-lakes"].get_facecolors()[0])
        == (BASE_COLORS["water"])
    )
    assert admin.get_linestyles()[0][1] is not None  # dashed
    # rivers over the territories' fill, under the frontlines and the places
    territory = max(c.get_zorder() for c in ax.collections if c.get_zorder() <= 1)
    assert territory == 1 < rivers.get_zorder() < 2  # under the boundary (2), fronts (3)
    rivers_named = names(ax, "basemap-river-name")
    assert {"Euphrates", "Tigris"} <= set(rivers_named)
    assert inside_axes(ax, rivers_named["Euphrates"])
    countries = names(ax, "basemap-country-name")
    assert {"Turkey", "Iraq", "Jordan", "Lebanon"} <= set(countries)
    assert "Syria" not in countries and "Cyprus" not in countries  # its own; off the map
    assert all(inside_axes(ax, t) for t in countries.values())
    assert all(t.get_zorder() < 3 for t in [*countries.values(), *rivers_named.values()])
    # the conflict's own neighbours are not named twice
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("Turkey") == 1


def test_arabic_names(syria):
    ax = gc.plot_map(syria, "2024-12-09", lang="ar")
    assert "الفرات" in names(ax, "basemap-river-name")
    assert {"تركيا", "العراق"} <= set(names(ax, "basemap-country-name"))


def test_none_draws_no_base_map_and_names_the_neighbours_as_before(syria):
    ax = gc.plot_map(syria, "2024-12-09", basemap=None)
    assert drawn_layers(ax) == {}
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("basemap")]
    assert "Turkey" in {t.get_text() for t in ax.texts}  # the context's names
    assert "Base map:" not in note(ax)


def test_the_base_map_does_not_widen_the_map(syria, conflict):
    for c, when in ((syria, "2024-12-09"), (conflict, "2024-12-05")):
        with_base = gc.plot_map(c, when)
        without = gc.plot_map(c, when, basemap=None)
        assert with_base.get_xlim() == without.get_xlim()
        assert with_base.get_ylim() == without.get_ylim()


def test_credits_join_the_sources_line_only_when_drawn(syria, conflict):
    drawn = note(gc.plot_map(syria, "2024-12-09"))
    assert "Base map: Natural Earth (public domain); UN OCHA / UNCS" in drawn
    assert "Base map:" not in note(gc.plot_map(syria, "2024-12-09", basemap=None))
    # the grid near Hama cites no source: only the base map's credits
    assert "Natural Earth" in note(gc.plot_map(conflict, "2024-12-05"))
    assert "Natural Earth" not in note(gc.plot_map(conflict, "2024-12-05", basemap=None))


def test_a_users_own_base_map_is_drawn(conflict):
    river = gpd.GeoDataFrame(
        {"name": ["Grid river"]},
        geometry=[shapely.LineString([(35.8, 35.25), (37.2, 35.3)])],
        crs="EPSG:4326",
    )
    base = gc.make_basemap(rivers=river, credits="Rivers: my survey")
    ax = gc.plot_map(conflict, "2024-12-05", basemap=base)
    assert set(drawn_layers(ax)) == {"basemap-rivers"}
    assert ax.get_facecolor()[:3] == (1.0, 1.0, 1.0)  # no countries: no sea either
    assert "Grid river" in names(ax, "basemap-river-name")
    text = note(ax)
    assert "Base map: Rivers: my survey." in text and "Natural Earth" not in text


def test_auto_draws_nothing_far_from_the_shipped_base_map():
    far = gc.Conflict(
        gc.make_places(["j", "b"], ["Jakarta", "Bogor"], [106.8, 106.8], [-6.2, -6.6]),
        make_actors(),
        pd.DataFrame({"place_id": ["j", "b"], "actor_id": ["gov", "reb"], "date": "2024-12-01"}),
    )
    ax = gc.plot_map(far, "2024-12-01")
    assert drawn_layers(ax) == {} and "Base map:" not in note(ax)
    fig = gc.plot_small_multiples(far, ["2024-12-01"])
    assert drawn_layers(fig.axes[0]) == {}


@pytest.mark.parametrize("value", ["syria", True, 1, {"rivers": None}])
def test_a_bad_value_is_a_figure_option_error(conflict, value):
    with pytest.raises(FigureOptionError, match=r"basemap must be 'auto', None or .*Fix: "):
        gc.plot_map(conflict, "2024-12-05", basemap=value)
    with pytest.raises(FigureOptionError, match=re.escape(f"got {value!r}")):
        gc.plot_small_multiples(conflict, ["2024-12-05"], basemap=value)


def test_small_multiples_draw_it_in_every_panel_and_credit_it_once(syria):
    fig = gc.plot_small_multiples(syria, ["2024-11-26", "2024-12-09"])
    for ax in fig.axes[:2]:
        assert set(drawn_layers(ax)) == set(LAYERS)
        assert not names(ax, "basemap-river-name")  # labels=0: no names in small panels
    credits = fig.get_supxlabel().replace("\n", " ")
    assert credits.count("Base map: Natural Earth") == 1
    bare = gc.plot_small_multiples(syria, ["2024-12-09"], basemap=None)
    assert drawn_layers(bare.axes[0]) == {}


def test_repeated_saves_are_identical(tmp_path, syria):
    files = [
        gc.save_figure(gc.plot_map(syria, "2024-12-09"), tmp_path / f"{i}.png", dpi=60)
        for i in range(2)
    ]
    assert files[0].read_bytes() == files[1].read_bytes()


def test_the_maps_css_names_in_the_shared_colours():
    """The page's style sheet takes the shared colours from the style (custom properties
    written from geoconflict.style), and copies none."""
    from geoconflict.maps.assets import css_variables

    css = (ROOT / "geoconflict" / "maps" / "static" / "geoconflict.css").read_text()
    variables = css_variables()
    for cls, key in (("country", "country"), ("water", "water"), ("admin", "admin")):
        rule = re.search(rf"\.gc-label-{cls} \{{[^}}]*\}}", css)
        assert rule and f"color: var(--gc-name-{key})" in rule.group(0), cls
        assert f"--gc-name-{key}: {BASE_NAME_COLORS[key]};" in variables
    assert "background: var(--gc-sea)" in css
    assert f"--gc-sea: {BASE_COLORS['sea']};" in variables
