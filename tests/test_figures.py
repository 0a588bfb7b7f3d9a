"""Static figures: pixels show the actors' colours, files are written whole, options checked."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapely
from command import run_command
from conftest import make_actors, make_boundary, make_control, make_flows, make_places

import geoconflict as gc
from geoconflict.figures import FigureOptionError
from geoconflict.style import attribution

matplotlib = pytest.importorskip("matplotlib")


pytestmark = pytest.mark.usefixtures("agg_backend")  # from conftest


@pytest.fixture(scope="module")
def syria():
    return gc.load_example()


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def pixels_near(image: np.ndarray, color: str, tol: float = 0.04) -> int:
    """How many pixels of an RGB(A) image are within ``tol`` of ``color`` in every channel."""
    return int((np.abs(image[..., :3] - rgb(color)) <= tol).all(axis=-1).sum())


def read_png(path) -> np.ndarray:
    import matplotlib.image

    return matplotlib.image.imread(path)


# --------------------------------------------------------------------------- plot_map


def test_map_png_shows_each_actor_colour(tmp_path, conflict):
    ax = gc.plot_map(conflict, "2024-12-05", legend=False)
    out = gc.save_figure(ax, tmp_path / "map.png", dpi=100)
    image = read_png(out)
    assert image.shape[0] > 200 and image.shape[1] > 200
    for color in conflict.actor_colors().values():  # gov holds a, d, e; reb b, c, f
        assert pixels_near(image, color) >= 20, color


def pale(color: str, under: str = gc.style.BASE_COLORS["land"]) -> str:
    """``color`` as a territory fill (alpha 0.45) over the base map's land."""
    from matplotlib.colors import to_hex

    mixed = 0.45 * np.asarray(rgb(color)) + 0.55 * np.asarray(rgb(under))
    return to_hex(mixed)


def test_map_of_the_example_shows_every_actor_holding_a_place(tmp_path, syria):
    """A town in its holder's colour (a dot), an admin unit as its land in the holder's
    pale colour (Israel holds only parts of Quneitra's sub-districts)."""
    when = "2024-12-06"
    snapshot = syria.at(when).places
    held = snapshot["actor_id"].dropna().unique()
    towns = set(snapshot.loc[snapshot.geom_type == "Point", "actor_id"].dropna())
    ax = gc.plot_map(syria, when, legend=False, north_arrow=True)
    image = read_png(gc.save_figure(ax, tmp_path / "syria.png", dpi=100))
    colors = syria.actor_colors()
    assert len(held) >= 5
    for actor in held:  # land whose record says 'unknown' is drawn in the unknown grey
        color = colors.get(actor, gc.palette.UNKNOWN_COLOR)
        assert pixels_near(image, color) >= 10 or actor not in towns, actor
        filled = max(  # over the base map's land, or its sea where no country is drawn
            pixels_near(image, pale(color, under), tol=0.03)
            for under in (gc.style.BASE_COLORS["land"], gc.style.BASE_COLORS["sea"])
        )
        assert filled >= 10, actor


def test_contested_and_unknown_places_are_grey(tmp_path, syria):
    contested = syria.control.copy()
    aleppo = (contested.place_id == "aleppo") & (contested.date == "2024-11-26")
    contested.loc[aleppo, ["status", "contested_by"]] = ["contested", "hts"]
    c = gc.Conflict(syria.places, syria.actors, contested, boundary=syria.boundary)
    ax = gc.plot_map(c, "2024-11-26", legend=False, flows=False)  # Aleppo contested
    image = read_png(gc.save_figure(ax, tmp_path / "contested.png", dpi=100))
    assert pixels_near(image, gc.palette.CONTESTED_COLOR, tol=0.02) >= 10
    before = gc.plot_map(syria, "2024-11-01", legend=False)  # before any record
    image = read_png(gc.save_figure(before, tmp_path / "unknown.png", dpi=100))
    assert pixels_near(image, gc.palette.UNKNOWN_COLOR, tol=0.02) >= 100
    for color in syria.actor_colors().values():
        assert pixels_near(image, color, tol=0.02) == 0


def test_legend_lists_actors_on_the_map_frontline_and_flow_widths(conflict):
    ax = gc.plot_map(conflict, "2024-12-05")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    # the grid lies in Syria: the shipped base map draws (and names) its governorate lines
    assert texts[:4] == ["Government", "Rebels", "Frontline", "Governorate lines"]
    assert texts[4:] == ["1,000 people displaced", "200 people displaced", "50 people displaced"]
    no_flows = gc.plot_map(conflict, "2024-12-05", flows=False, basemap=None)
    assert [t.get_text() for t in no_flows.get_legend().get_texts()] == [
        "Government",
        "Rebels",
        "Frontline",
    ]


def test_map_is_drawn_in_a_local_projection_with_scale_bar(conflict):
    ax = gc.plot_map(conflict, "2024-12-05")
    lat = np.mean(ax.get_ylim())
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(lat)))
    x0, y0, x1, y1 = make_boundary().total_bounds
    assert ax.get_xlim()[0] < x0 and ax.get_xlim()[1] > x1
    texts = [t.get_text() for t in ax.texts]
    assert "20 km" in texts  # the grid is about 137 km wide: a fifth, rounded down to 1-2-5


def test_title_labels_and_attribution(syria):
    ax = gc.plot_map(syria, "2024-12-06", labels=3)
    assert ax.get_title(loc="left") == f"{syria.title}, 6 December 2024"
    texts = [t.get_text() for t in ax.texts]
    assert {"Aleppo", "Damascus", "Homs"} <= set(texts)
    note = next(t for t in texts if t.startswith("Sources.")).replace("\n", " ")
    assert "Places: OCHA COD-AB (CC BY 3.0 IGO), OCHA populated places (CC BY 3.0 IGO)" in note
    assert "Outlines: OCHA COD-AB (CC BY 3.0 IGO), Natural Earth (public domain)." in note
    assert "transcend.org" in note
    plain = gc.plot_map(syria, "2024-12-06", labels=0, attribution=False, title="")
    assert plain.get_title(loc="left") == ""
    assert not any(t.get_text().startswith("Sources") for t in plain.texts)
    assert not {"Aleppo", "Damascus"} & {t.get_text() for t in plain.texts}


def test_attribution_names_providers_hosts_and_counts():
    places = make_places().assign(source=["GeoNames (geonames.org), CC BY 4.0"] * 6)
    control = make_control()
    control["source"] = [f"https://www.site{i}.org/report" for i in range(len(control))]
    c = gc.Conflict(places, make_actors(), control, make_flows())
    text = attribution(c)
    assert text.startswith("Sources. Places: GeoNames (CC BY 4.0). Control: ")
    assert "site0.org" in text and "www." not in text and "and 3 more." in text
    assert "Displacement: example.org." in text
    assert (
        attribution(
            gc.Conflict(make_places(), make_actors(), make_control().drop(columns="source"))
        )
        == ""
    )


def test_a_source_cited_on_many_dates_is_named_once_with_its_span():
    # monthly snapshots of one source (as DeepStateMap's archive is cited): one name, its first
    # and last date, not four dated copies and "and 15 more"
    control = make_control()
    days = pd.date_range("2022-04-03", periods=len(control), freq="MS").strftime("%Y-%m-%d")
    control["source"] = [f"DeepStateMap {d}" for d in days]
    control.loc[control.index[0], "source"] = "ISW 2022-05-10"
    text = attribution(gc.Conflict(make_places(), make_actors(), control))
    assert text == (
        f"Sources. Control: DeepStateMap {min(days[1:])} – {max(days[1:])}, ISW 2022-05-10."
    )


@pytest.mark.parametrize(
    "source, shown",
    [
        (
            "https://data.humdata.org/dataset/cod-ab-syr (CC BY 3.0 IGO)",
            "OCHA COD-AB (CC BY 3.0 IGO)",
        ),
        (
            "UN OCHA - Syrian Arab Republic populated places (HDX), 2015 edition",
            "OCHA populated places (CC BY 3.0 IGO)",
        ),
        ("Natural Earth 1:10m, public domain", "Natural Earth (public domain)"),
        (
            "OpenSyria admin gazetteer (https://github.com/Open-Syria/data-geography)",
            "OpenSyria (CC BY 4.0)",
        ),
        ("https://reliefweb.int/report/x", "ReliefWeb"),
    ],
)
def test_attribution_gives_the_licence_a_dataset_asks_to_name(source, shown):
    places = make_places().assign(source=[source] * 6)
    c = gc.Conflict(places, make_actors(), make_control().drop(columns="source"))
    assert attribution(c) == f"Sources. Places: {shown}."


def test_arabic_names_and_words(syria):
    ax = gc.plot_map(syria, "2024-12-06", lang="ar", labels=2)
    texts = {t.get_text() for t in ax.texts}
    assert {"حلب", "دمشق"} <= texts
    assert "خط الجبهة" in [t.get_text() for t in ax.get_legend().get_texts()]
    # the date as the UN's Arabic documents write it (Syriac and Latin month names)
    assert ax.get_title(loc="right") == f"{syria.title}, 6 كانون الأول/ديسمبر 2024"


def test_hostile_text_is_drawn_literally(tmp_path):
    actors = make_actors().assign(name=["$x^2$ <b>Gov</b>", r"Reb $\alpha$"])
    places = make_places().assign(name=["$a", "b$", "$c$", "d", "e", "f"])
    c = gc.Conflict(places, actors, make_control(), boundary=make_boundary(), title="$$ title")
    ax = gc.plot_map(c, "2024-12-05")
    gc.save_figure(ax, tmp_path / "hostile.png", dpi=50)  # math mode would fail to parse
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == [r"\$x^2\$ <b>Gov</b>", r"Reb \$\alpha\$"]
    assert ax.get_title(loc="left").startswith(r"\$\$ title")


def test_no_boundary_draws_places_only(tmp_path):
    c = gc.Conflict(make_places(), make_actors(), make_control())
    ax = gc.plot_map(c, "2024-12-05")
    image = read_png(gc.save_figure(ax, tmp_path / "points.png", dpi=80))
    assert pixels_near(image, "#0072b2") > 0 and pixels_near(image, "#d55e00") > 0
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["Government", "Rebels", "Governorate lines"]


def test_no_data_beyond_max_distance(conflict):
    ax = gc.plot_map(conflict, "2024-12-05", max_distance_km=20)
    assert any(p.get_hatch() == "////" for p in ax.patches)
    with pytest.warns(DeprecationWarning, match="pass max_distance_km=15 instead"):
        gc.plot_map(conflict, "2024-12-05", method="buffer", radius_km=15)


def test_draws_into_a_given_axes(conflict):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    assert gc.plot_map(conflict, "2024-12-05", ax=right) is right
    assert not left.collections and right.collections


def test_flows_without_a_quality_column_are_drawn_solid():
    # quality is optional in a flows table: without it no flow is an estimate
    flows = make_flows().drop(columns="quality")
    c = gc.Conflict(make_places(), make_actors(), make_control(), flows, boundary=make_boundary())
    ax = gc.plot_map(c, "2024-12-06")
    drawn = [a for a in ax.collections if a.get_zorder() == 4]
    assert len(drawn) == 1
    assert all(dashes is None for _, dashes in drawn[0].get_linestyles())


def test_default_date_is_the_last(conflict):
    ax = gc.plot_map(conflict)
    assert ax.get_title(loc="left").endswith("6 December 2024")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"flows": "all"}, "flows must be True, False, 'cumulative' or 'active', got 'all'"),
        (
            {"lang": "de"},
            r"lang must be one of \['en', 'ar', 'fr', 'es', 'uk', 'ru'\] or a language "
            r"code with your own words, got 'de'",
        ),
    ],
)
def test_map_options_are_checked(conflict, kwargs, match):
    with pytest.raises(FigureOptionError, match=match):
        gc.plot_map(conflict, "2024-12-05", **kwargs)


def test_a_conflict_without_dates_needs_a_date():
    empty = make_control().iloc[:0]
    c = gc.Conflict(make_places(), make_actors(), empty)
    with pytest.raises(FigureOptionError, match="no default date. Fix: pass when="):
        gc.plot_map(c)


# --------------------------------------------------------------------------- small multiples


def test_small_multiples_one_panel_per_date_and_one_legend(tmp_path, syria):
    dates = ["2024-11-26", "2024-12-01", "2024-12-06", "2024-12-08"]
    fig = gc.plot_small_multiples(syria, dates, ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "26 November 2024",
        "1 December 2024",
        "6 December 2024",
        "8 December 2024",
    ]
    assert len(fig.axes) == 6 and len(fig.legends) == 1
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    for name in ("Syrian government (SAA)", "Syrian Free Army", "Syrian Democratic Forces"):
        assert name in legend
    assert legend[-2:] == ["Frontline", "Governorate lines"]
    image = read_png(gc.save_figure(fig, tmp_path / "panels.png", dpi=60))
    for actor in ("government", "hts", "sdf", "sna", "sfa"):
        assert pixels_near(image, syria.actor_colors()[actor]) > 0, actor


@pytest.mark.parametrize(
    ("dates", "kwargs", "match"),
    [
        ([], {}, "dates is empty"),
        (["2024-12-05"], {"ncols": 0}, "ncols must be a whole number of at least 1, got 0"),
        (["2024-12-05"], {"flows": 1.5}, "flows must be True, False"),
    ],
)
def test_small_multiples_options_are_checked(conflict, dates, kwargs, match):
    with pytest.raises(FigureOptionError, match=match):
        gc.plot_small_multiples(conflict, dates, **kwargs)


# --------------------------------------------------------------------------- over time


def stacked_tops(ax) -> np.ndarray:
    """The upper edge of the top layer of a stackplot."""
    top = ax.collections[-1].get_paths()[0].vertices
    return top[:, 1].max()


@pytest.mark.parametrize("measure", ["area", "population", "places"])
def test_control_over_time_stacks_the_summary(conflict, measure):
    ax = gc.plot_control_over_time(conflict, measure=measure)
    summary = gc.control_summary(conflict)
    column = {"area": "area_km2", "population": "population", "places": "places"}[measure]
    total = summary.groupby("date")[column].sum()
    assert len(ax.collections) == 2  # gov, reb
    assert stacked_tops(ax) == pytest.approx(total.max())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Rebels", "Government"]


def test_control_over_time_colours_and_percent(tmp_path, syria):
    ax = gc.plot_control_over_time(syria, percent=True)
    assert ax.get_ylim() == (0, 100)
    assert ax.get_ylabel() == "Share of area (%)"
    assert stacked_tops(ax) == pytest.approx(100)
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names[-1] == "Syrian government (SAA)"
    image = read_png(gc.save_figure(ax, tmp_path / "share.png", dpi=80))
    for actor in ("government", "hts", "sdf", "sfa", "sna"):
        # stacked areas are drawn at alpha 0.9 over white
        color = 0.9 * rgb(syria.actor_colors()[actor]) + 0.1
        assert (np.abs(image[..., :3] - color) <= 0.03).all(axis=-1).sum() > 50, actor


def test_control_over_time_options_are_checked(conflict):
    with pytest.raises(
        FigureOptionError,
        match=r"measure must be one of \['area', "
        r"'population', 'places'\], got 'land'",
    ):
        gc.plot_control_over_time(conflict, measure="land")
    with pytest.raises(TypeError, match="unexpected keyword argument 'radius'"):
        gc.plot_control_over_time(conflict, radius=3)  # explicit keywords: Python's own check


# --------------------------------------------------------------------------- save_figure


@pytest.mark.parametrize(
    ("suffix", "magic"),
    [
        (".png", b"\x89PNG\r\n\x1a\n"),
        (".svg", b"<?xml"),
        (".pdf", b"%PDF-"),
        (".PDF", b"%PDF-"),
    ],
)
def test_save_figure_formats_by_suffix(tmp_path, conflict, suffix, magic):
    ax = gc.plot_map(conflict, "2024-12-05")
    out = gc.save_figure(ax.figure, tmp_path / f"figure{suffix}", dpi=72)
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    assert [p.name for p in tmp_path.iterdir()] == [f"figure{suffix}"]  # no temporary left


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_save_figure_is_deterministic(tmp_path, conflict, suffix):
    first = gc.save_figure(gc.plot_map(conflict, "2024-12-05"), tmp_path / f"a{suffix}", dpi=50)
    second = gc.save_figure(gc.plot_map(conflict, "2024-12-05"), tmp_path / f"b{suffix}", dpi=50)
    assert first.read_bytes() == second.read_bytes()


def test_save_figure_is_atomic(tmp_path, conflict, monkeypatch):
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")
    ax = gc.plot_map(conflict, "2024-12-05")

    def broken(*args, **kwargs):
        with open(args[0], "wb") as fh:
            fh.write(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(ax.figure, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        gc.save_figure(ax, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["figure.png"]


@pytest.mark.parametrize(
    ("name", "dpi", "match"),
    [
        (
            "figure.jpg",
            300,
            r"path must end in one of \['.png', '.svg', '.pdf'\], got "
            r"'figure.jpg'. Fix: name the file e.g. figure.png.",
        ),
        ("figure", 300, "path must end in one of"),
        ("figure.png", 0, "dpi must be a positive number, got 0"),
        ("figure.png", "high", "dpi must be a positive number, got 'high'"),
    ],
)
def test_save_figure_options_are_checked(tmp_path, name, dpi, match):
    import matplotlib.pyplot as plt

    fig = plt.figure()
    with pytest.raises(FigureOptionError, match=match):
        gc.save_figure(fig, tmp_path / name, dpi=dpi)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- import, command


def test_import_geoconflict_does_not_import_matplotlib():
    code = "import sys, geoconflict; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


run = run_command  # the command, in this process


def test_plot_command_writes_the_map(tmp_path, folder):
    out = tmp_path / "out" / "map.png"
    result = run("plot", folder, "--date", "2024-12-05", "-o", out, "--dpi", 80)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"figure written to {out}"
    image = read_png(out)
    assert pixels_near(image, "#0072b2") > 0 and pixels_near(image, "#d55e00") > 0


def test_plot_command_control_over_time_as_pdf(tmp_path, folder):
    out = tmp_path / "control.pdf"
    result = run("plot", folder, "--kind", "control", "--measure", "places", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024-13-40", "-o", "{tmp}/x.png"], "--date: could not read '2024-13-40'"),
        (["-o", "{tmp}/x.jpg"], "the name must end in one of .png, .svg, .pdf"),
        (["-o", "{tmp}/x.png", "--dpi", "0"], "--dpi must be between 1 and 2400, got 0"),
    ],
)
def test_plot_command_bad_input_is_one_line(tmp_path, folder, args, message):
    result = run("plot", folder, *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoconflict: error: ")
    assert message in lines[0]
    assert not list(tmp_path.glob("x.*"))


def test_plot_command_missing_folder(tmp_path):
    result = run("plot", tmp_path / "nowhere", "-o", tmp_path / "x.png")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_figures_work_on_plain_tables_too():
    """A conflict built in code with a shapely boundary (no GeoDataFrame)."""
    places = gc.make_places(["w", "e"], ["West", "East"], [0.0, 1.0], [0.0, 0.0])
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["red", "blue"], "date": ["2024-01-01", "2024-01-01"]}
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control)
    ax = gc.plot_map(c, "2024-01-02", boundary=shapely.box(-0.5, -0.5, 1.5, 0.5))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["red", "blue", "Frontline"]
