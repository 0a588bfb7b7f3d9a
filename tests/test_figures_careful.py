"""Figures as careful as the page, on synthetic conflicts away from Syria: admin units are
outlines, never dots; names never overlap (tested by their boxes as drawn); contested land is
hatched in both sides' colours; the sources line wraps and is never cut; the legend lists who
holds land or places on the date shown; flows need no ``quality`` column."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.figures._labels import LABEL_GID

pytestmark = pytest.mark.usefixtures("agg_backend")

#: A conflict in the south-east of Africa (near 12 S, 39 E): two provinces of two
#: districts each, towns in them, three actors (the third holds nothing after the 10th).
SOUTH, WEST = -13.0, 38.0


def _units() -> gpd.GeoDataFrame:
    rows = []
    for p, (x0, x1) in enumerate(((WEST, WEST + 1.0), (WEST + 1.0, WEST + 2.0))):
        rows.append((f"p{p}", f"Province {p}", "admin1", shapely.box(x0, SOUTH, x1, SOUTH + 2)))
        for d, (y0, y1) in enumerate(((SOUTH, SOUTH + 1), (SOUTH + 1, SOUTH + 2))):
            rows.append((f"p{p}d{d}", f"District {p}.{d}", "admin2", shapely.box(x0, y0, x1, y1)))
    return gpd.GeoDataFrame(
        {
            "place_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs="EPSG:4326",
    )


def _towns(n: int = 12) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    lon = WEST + 0.1 + 1.8 * rng.random(n)
    lat = SOUTH + 0.1 + 1.8 * rng.random(n)
    return gpd.GeoDataFrame(
        {
            "place_id": [f"t{i}" for i in range(n)],
            "name": [f"Town {i}" for i in range(n)],
            "population": (10_000 * (n - np.arange(n))).astype(float),
            "source": "Gazetteer of the provinces, compiled from the 2017 census tables "
            "and the district offices' lists of settlements, with corrections from field "
            "visits in 2023 archived by the provincial statistics office",
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def make_conflict(towns: gpd.GeoDataFrame | None = None, *, flows=None) -> gc.Conflict:
    towns = _towns() if towns is None else towns
    places = pd.concat([_units(), towns], ignore_index=True)
    west = places.geometry.representative_point().x < WEST + 1.0
    rows = [
        pd.DataFrame(
            {
                "place_id": places["place_id"],
                "actor_id": np.where(west, "gov", "ins"),
                "date": "2025-03-01",
            }
        ).query("place_id != 't0'"),
        pd.DataFrame({"place_id": ["t0"], "actor_id": ["third"], "date": ["2025-03-01"]}),
        pd.DataFrame({"place_id": ["t0"], "actor_id": ["gov"], "date": ["2025-03-10"]}),
        # a town held by the government, contested by the insurgents, from the 12th
        pd.DataFrame(
            {
                "place_id": ["p0d1"],
                "actor_id": ["gov"],
                "date": ["2025-03-12"],
                "status": ["contested"],
                "contested_by": ["ins"],
            }
        ),
    ]
    actors = pd.DataFrame(
        {
            "actor_id": ["gov", "ins", "third"],
            "name": ["Government", "Insurgents", "Third party"],
            "color": ["#0072b2", "#d55e00", "#009e73"],
        }
    )
    return gc.Conflict(places, actors, pd.concat(rows), flows, title="Synthetic, Africa")


def shown_label_boxes(ax) -> list:
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    return [
        t.get_window_extent(renderer)
        for t in ax.texts
        if t.get_gid() == LABEL_GID and t.get_visible()
    ]


def overlapping(boxes) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


def test_admin_units_are_outlines_never_dots():
    c = make_conflict()
    ax = gc.plot_map(c, "2025-03-05", basemap=None)
    dots = [col for col in ax.collections if col.get_gid() == "places"]
    assert len(dots) == 1 and len(dots[0].get_offsets()) == 12  # the towns, not the 6 units
    outlines = [col for col in ax.collections if col.get_gid() == "unit-outline"]
    assert len(outlines) == 2  # provinces bolder than districts
    widths = [col.get_linewidth()[0] for col in outlines]
    assert widths[0] > widths[1]


def test_names_never_overlap_and_give_way_to_the_next_place():
    crowd = _towns(80)  # eighty towns in two degrees: names must give way
    c = make_conflict(crowd)
    ax = gc.plot_map(c, "2025-03-05", labels=60, basemap=None, figsize=(3.5, 3))
    boxes = shown_label_boxes(ax)
    assert 5 <= len(boxes) < 60
    assert overlapping(boxes) == []
    frame = ax.get_window_extent()
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes)
    # the same figure larger has room for more names, still none over another
    big = gc.plot_map(c, "2025-03-05", labels=60, basemap=None, figsize=(10, 8))
    more = shown_label_boxes(big)
    assert len(more) > len(boxes) and overlapping(more) == []


def test_right_to_left_names_go_left_of_their_dots_first():
    c = make_conflict()
    hebrew = {**gc.style.words("en"), "frontline": "קו חזית"}
    ax = gc.plot_map(c, "2025-03-05", labels=3, basemap=None, lang="he", words=hebrew)
    ax.figure.canvas.draw()
    first = next(t for t in ax.texts if t.get_gid() == LABEL_GID and t.get_visible())
    assert first.get_horizontalalignment() == "right"
    assert "קו חזית" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_contested_land_is_hatched_in_both_sides_colours(tmp_path):
    import matplotlib.image

    c = make_conflict()
    ax = gc.plot_map(c, "2025-03-12", basemap=None, labels=0, legend=True)
    hatches = [p for p in ax.patches if p.get_gid() == "contested-hatch"]
    assert hatches and {p.get_hatch() for p in hatches} == {"////"}
    from matplotlib.colors import to_hex

    assert {to_hex(p.get_edgecolor()) for p in hatches} == {"#d55e00"}  # the challenger
    image = matplotlib.image.imread(gc.save_figure(ax, tmp_path / "hatch.png", dpi=120))
    # inside the contested district (west, north): the holder's pale fill and the
    # challenger's hatch lines, both
    x, y = ax.transData.transform((WEST + 0.5, SOUTH + 1.5))
    h = image.shape[0]
    patch = image[int(h - y) - 15 : int(h - y) + 15, int(x) - 15 : int(x) + 15, :3]
    orange = (np.abs(patch - np.array([0xD5, 0x5E, 0x00]) / 255) < 0.12).all(axis=-1)
    bluish = (patch[..., 2] > patch[..., 0] + 0.1).any()
    assert orange.sum() >= 10 and bluish
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert legend.count("contested (hatched in the two sides' colours)") == 1


def test_the_sources_line_wraps_and_is_never_cut(tmp_path):
    c = make_conflict()
    ax = gc.plot_map(c, "2025-03-05", basemap=None, figsize=(4, 3.5))
    line = next(t for t in ax.texts if t.get_gid() == "sources")
    source = c.places["source"].dropna().iloc[0]
    assert source in line.get_text() and "…" not in line.get_text()
    gc.save_figure(ax, tmp_path / "narrow.png", dpi=100)
    ax.figure.canvas.draw()
    box = line.get_window_extent()
    one_line = box.height / max(1, line._get_wrapped_text().count("\n") + 1)
    assert box.x1 <= ax.figure.bbox.x1 + 1 and box.height > 3 * one_line * 0.9


def test_the_legend_lists_who_holds_land_or_places_on_the_date():
    c = make_conflict()
    first = [t.get_text() for t in gc.plot_map(c, "2025-03-05").get_legend().get_texts()]
    later = [t.get_text() for t in gc.plot_map(c, "2025-03-11").get_legend().get_texts()]
    assert first[:3] == ["Government", "Insurgents", "Third party"]
    assert later[:2] == ["Government", "Insurgents"] and "Third party" not in later


def test_the_example_on_9_december_leaves_out_the_government():
    """On 9 December 2024 the government holds no land and no town in the example."""
    syria = gc.load_example()
    legend = [t.get_text() for t in gc.plot_map(syria, "2024-12-09").get_legend().get_texts()]
    assert "Syrian government (SAA)" not in legend
    assert "Syrian Democratic Forces" in legend


def test_flows_without_a_quality_column():
    flows = pd.DataFrame(
        {
            "origin": ["t1", "t2"],
            "destination": ["t3", "t4"],
            "start": ["2025-03-02", "2025-03-03"],
            "people": [5000, 1200],
        }
    )
    c = make_conflict(flows=flows)
    assert "quality" not in c.flows.columns
    ax = gc.plot_map(c, "2025-03-05", basemap=None)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(text.endswith("people displaced") for text in legend)


def test_a_figure_in_french_and_one_in_your_own_language():
    c = make_conflict()
    fr = gc.plot_map(c, "2025-03-05", lang="fr", basemap=None, level_names={"admin1": "province"})
    assert fr.get_title(loc="left").endswith("5 mars 2025")
    german = {"frontline": "Frontlinie", "month_3": "März", "date_format": "{day}. {month} {year}"}
    with pytest.warns(gc.DataWarning, match=r"words for 'de' leave out"):
        de = gc.plot_map(c, "2025-03-05", lang="de", words=german, basemap=None)
    assert de.get_title(loc="left").endswith("5. März 2025")
    assert "Frontlinie" in [t.get_text() for t in de.get_legend().get_texts()]


def test_a_contested_zone_is_hatched_in_the_figure_too():
    """Zones (dated control polygons) drawn as the interactive map draws them."""
    from matplotlib.colors import to_hex
    from test_zones import drawn

    c = drawn(
        [
            ("2024-01-01", "red", shapely.box(30.0, 47.5, 31.0, 48.5)),
            ("2024-01-01", "blue", shapely.box(31.0, 47.5, 32.0, 48.5), "contested", "red"),
        ]
    )
    ax = gc.plot_map(c, "2024-01-02", basemap=None)
    hatches = [p for p in ax.patches if p.get_gid() == "contested-hatch"]
    colors = c.actor_colors()
    assert {to_hex(p.get_edgecolor()) for p in hatches} == {to_hex(colors["red"])}
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert "contested (hatched in the two sides' colours)" in legend


def test_small_multiples_read_in_the_languages_direction():
    c = make_conflict()
    dates = ["2025-03-05", "2025-03-11", "2025-03-12"]
    fig = gc.plot_small_multiples(c, dates, ncols=2, lang="ar", basemap=None)
    top_left, top_right, bottom_left, bottom_right = fig.axes
    assert top_right.get_title() == "5 آذار/مارس 2025"  # the first date, top right
    assert top_left.get_title() == "11 آذار/مارس 2025"
    assert bottom_right.get_title() == "12 آذار/مارس 2025" and not bottom_left.get_visible()
    assert fig.get_suptitle() == "Synthetic, Africa"
    english = gc.plot_small_multiples(c, dates, ncols=2, basemap=None)
    assert english.axes[0].get_title() == "5 March 2025"
