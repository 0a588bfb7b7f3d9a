"""The data an interactive map hands to the browser, and the folium layers built from it.

These tests look at the JSON payload (``map_data``) and at the folium elements ``explore``
returns; ``test_maps_html.py`` looks at the page text and ``test_browser_maps.py`` at the page
running in Chromium.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_flows, make_places

import geoconflict as gc
from geoconflict.maps import map_data
from geoconflict.maps.flow_data import FLOW_GRID
from geoconflict.maps.layers import MapRuntime
from geoconflict.maps.legend import legend_html
from geoconflict.maps.payload import LAYERS
from geoconflict.palette import PALETTE
from geoconflict.style import FLOW_MAX_PX, FLOW_MIN_PX

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SOURCE = "</script><script>alert(2)</script>"
HOSTILE_ACTOR = "<b onmouseover=alert(3)>Evil</b>"
HOSTILE_TITLE = "</title><script>alert(4)</script>"
TEMPLATE_NAME = "{{ 7*7 }} {% if 1 %}x{% endif %}"


def hostile_conflict(**options) -> gc.Conflict:
    """Three places whose names, sources, notes and actors try to break out of the page."""
    places = gc.make_places(
        ["x", "y", "z"],
        [HOSTILE_NAME, "Safe & Sound", TEMPLATE_NAME],
        [36.0, 36.6, 37.0],
        [35.0, 35.4, 35.0],
        population=[1000, 2000, 500],
        name_ar=[HOSTILE_NAME, None, "<script>alert(6)</script>"],
    )
    actors = pd.DataFrame(
        {
            "actor_id": ["evil", "good"],
            "name": [HOSTILE_ACTOR, "Good\u2028line\u2029sep"],
            "color": [None, "#0072b2"],
        }
    )
    control = pd.DataFrame(
        {
            "place_id": ["x", "y", "z", "x"],
            "actor_id": ["evil", "good", "good", "good"],
            "date": ["2024-12-01", "2024-12-01", "2024-12-01", "2024-12-03"],
            "source": [HOSTILE_SOURCE, "javascript:alert(7)", None, HOSTILE_SOURCE],
            "note": ["<!-- </script> -->", None, "a & b < c", "ok"],
        }
    )
    flows = pd.DataFrame(
        {
            "origin": ["x", "y"],
            "destination": ["y", "x"],
            "start": ["2024-12-01", "2024-12-02"],
            "end": ["2024-12-04", "2024-12-04"],
            "people": [500.0, 200.0],
            "source": [HOSTILE_SOURCE, "x"],
        }
    )
    context = gpd_frame([shapely.box(37.5, 34.5, 38.5, 35.5)], name=["<svg onload=alert(5)>"])
    return gc.Conflict(
        places, actors, control, flows, title=HOSTILE_TITLE, context=context, **options
    )


def gpd_frame(geometries, **columns):
    import geopandas as gpd

    return gpd.GeoDataFrame(columns, geometry=geometries, crs="EPSG:4326")


def grid(**options) -> gc.Conflict:
    """The tiny six-place conflict of conftest, with options (boundary, events, ...)."""
    return gc.Conflict(make_places(), make_actors(), make_control(), make_flows(), **options)


def state_at(control: dict, k: int, n: int) -> list[int]:
    """What the page's runtime computes: the actor of each place at step k."""
    actor = [-1] * n
    for j, start in enumerate(control["start"]):
        if start <= k:
            actor[control["place"][j]] = control["actor"][j]
    return actor


# --------------------------------------------------------------------------- dates


def test_steps_are_every_day_and_start_on_the_last_busy_one(conflict):
    data = map_data(conflict)
    # control from 12-01, flows until 12-06, and the day after the last flow ends
    assert data["steps"] == [f"2024-12-{d:02d}" for d in range(1, 8)]
    # 12-07 shows no flow and no change: the map opens on 12-06 and says why
    assert data["steps"][data["start"]] == "2024-12-06"
    assert data["start_note"].startswith(
        "Opened on 6 December 2024, the last date on which something happens"
    )
    cumulative = map_data(conflict, flows="cumulative")
    assert cumulative["start"] == len(cumulative["steps"]) - 1
    assert cumulative["start_note"] == ""


def test_stock_figures_open_on_the_day_they_end_not_the_day_after():
    """UNHCR-style stocks: Syria to eight countries over 2011-2024, one control record."""
    countries = ["tr", "lb", "jo", "iq", "eg", "de", "se", "at"]
    places = gc.make_places(
        ["sy", *countries],
        ["Syria", *[c.upper() for c in countries]],
        [38.5, 35, 35.5, 36, 44, 31, 10, 15, 16],
        [35, 39, 33.8, 31.9, 33, 30, 51, 62, 48],
    )
    flows = pd.DataFrame(
        {
            "origin": "sy",
            "destination": countries,
            "start": "2011-03-15",
            "end": "2024-12-31",
            "people": [3.1e6, 7.7e5, 6.3e5, 2.7e5, 1.5e5, 7e5, 1.1e5, 5e4],
            "category": "refugee",
        }
    )
    control = pd.DataFrame({"place_id": ["sy"], "actor_id": ["gov"], "date": ["2011-03-15"]})
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["gov"]}), control, flows)
    data = map_data(c)
    assert data["steps"][-1] == "2025-01-01"
    assert data["steps"][data["start"]] == "2024-12-31"
    shown = [
        i
        for i in range(len(data["flows"]["lines"]["first"]))
        if data["flows"]["lines"]["first"][i] <= data["start"] <= data["flows"]["lines"]["last"][i]
    ]
    assert len(shown) == 8
    assert "31 December 2024" in data["start_note"]
    south, west = data["bounds"][0]
    north, east = data["bounds"][1]
    assert west <= 10 and east >= 44 and south <= 30 and north >= 62  # every country framed


def test_when_picks_the_first_step_shown(conflict):
    assert map_data(conflict, "2024-12-05")["start"] == 4
    data = map_data(conflict, "2025-01-10")
    assert data["steps"][-1] == "2025-01-10" and data["start"] == len(data["steps"]) - 1


def test_long_spans_step_through_change_dates_only():
    control = pd.DataFrame(
        {"place_id": ["a", "a"], "actor_id": ["gov", "reb"], "date": ["2000-01-01", "2020-06-01"]}
    )
    c = gc.Conflict(make_places(), make_actors(), control)
    assert map_data(c)["steps"] == ["2000-01-01", "2020-06-01"]


# --------------------------------------------------------------------------- places


def test_places_columns(conflict):
    places = map_data(conflict)["places"]
    assert places["id"] == ["a", "b", "c", "d", "e", "f"]
    assert places["name"][:2] == ["Alpha", "Bravo"]
    assert places["lon"][1] == 36.5 and places["lat"][1] == 35.5
    radius = places["radius"]
    assert radius == sorted(radius) and radius[0] < radius[-1]  # population 1000..6000
    totals = conflict.place_totals()
    assert places["inflow"][places["id"].index("e")] == totals.loc["e", "inflow"]
    assert places["outflow"][places["id"].index("b")] == totals.loc["b", "outflow"]
    assert places["internal"][places["id"].index("e")] == 80


def test_places_without_population_get_the_plain_radius():
    p = make_places().drop(columns="population")
    data = map_data(gc.Conflict(p, make_actors(), make_control()))
    assert set(data["places"]["radius"]) == {5.0}
    assert data["places"]["population"] == [None] * 6


def test_arabic_names_fall_back_to_the_name():
    p = make_places().assign(name_ar=["ألفا", None, None, None, None, "فوكس"])
    data = map_data(gc.Conflict(p, make_actors(), make_control()), lang="ar")
    assert data["places"]["name"] == ["ألفا", "Bravo", "Charlie", "Delta", "Echo", "فوكس"]
    assert data["dir"] == "rtl" and data["lang"] == "ar"
    assert data["words"]["flows"] == "النزوح"
    assert map_data(gc.Conflict(p, make_actors(), make_control()))["places"]["name"][0] == (
        "Alpha"
    )


# --------------------------------------------------------------------------- control


def test_control_periods_replay_to_control_at(conflict):
    data = map_data(conflict)
    ids = pd.Index(data["places"]["id"])
    actors = [a["id"] for a in data["actors"]]
    for k, day in enumerate(data["steps"]):
        expected = conflict.control_at(day)["actor_id"].reindex(ids)
        got = [actors[a] if a >= 0 else None for a in state_at(data["control"], k, len(ids))]
        assert got == [None if pd.isna(v) else v for v in expected], day


def test_control_history_of_a_place(conflict):
    c = map_data(conflict)["control"]
    b = [j for j, p in enumerate(c["place"]) if p == 1]
    assert [c["from"][j] for j in b] == ["2024-12-01", "2024-12-05"]
    assert [c["to"][j] for j in b] == ["2024-12-05", None]
    assert [c["end"][j] for j in b] == [4, -1]
    assert c["sources"][c["source"][b[0]]] == "https://example.org/report"


def test_contested_status_and_challenger():
    control = make_control()
    control.loc[len(control)] = ["a", "gov", "2024-12-03", "https://example.org/report"]
    control["status"] = "held"
    control["contested_by"] = None
    control.loc[len(control) - 1, ["status", "contested_by"]] = ["contested", "reb"]
    c = map_data(gc.Conflict(make_places(), make_actors(), control))["control"]
    j = c["status"].index(1)
    assert c["place"][j] == 0 and c["by"][j] == 1 and c["from"][j] == "2024-12-03"


# --------------------------------------------------------------------------- flows


def test_flows_active_and_cumulative(conflict):
    flows = map_data(conflict)["flows"]
    active, counts = flows["lines"], flows["counts"]
    # internal e->e has no line; largest first
    assert counts["shown"] == 3 and counts["internal"] == 1 and counts["left_out"] == 0
    assert active["people"] == [1000, 300, 250.5]
    steps = map_data(conflict)["steps"]
    assert [steps[i] for i in active["first"]] == ["2024-12-04", "2024-12-06", "2024-12-05"]
    assert [steps[i] for i in active["last"]] == ["2024-12-06", "2024-12-06", "2024-12-05"]
    cumulative = map_data(conflict, flows="cumulative")["flows"]
    assert cumulative["mode"] == "cumulative"
    assert cumulative["lines"]["last"] == [len(steps) - 1] * 3


def test_flow_curves_pass_through_the_middle_of_flow_lines(conflict):
    data = map_data(conflict)
    f = data["flows"]["lines"]
    lines = conflict.flow_lines(points=3)
    assert len(f["middle"]) == 2 * len(f["origin"])
    for i in range(data["flows"]["counts"]["shown"]):
        pair = f["pair"][i]
        origin = data["places"]["id"][f["origin"][pair]]
        destination = data["places"]["id"][f["destination"][pair]]
        middle = np.asarray(f["middle"][2 * pair : 2 * pair + 2]) * FLOW_GRID
        row = lines[(lines["origin"] == origin) & (lines["destination"] == destination)]
        expected = shapely.get_coordinates(row.geometry.iloc[0])[1]
        np.testing.assert_allclose(middle, expected, atol=FLOW_GRID)


def test_opposite_flows_get_separate_curves(conflict):
    f = map_data(conflict)["flows"]["lines"]
    pairs = list(zip(f["origin"], f["destination"], strict=True))
    b, e = 1, 4
    assert (b, e) in pairs and (e, b) in pairs
    middle = [f["middle"][2 * pairs.index(p) : 2 * pairs.index(p) + 2] for p in ((b, e), (e, b))]
    assert middle[0] != middle[1]
    places = map_data(conflict)["places"]
    straight = (places["lon"][b] + places["lon"][e]) / 2 / FLOW_GRID
    assert middle[0][0] < straight < middle[1][0]  # b->e bends west of e->b (e is south)


def test_flow_widths_grow_with_people(conflict):
    flows = map_data(conflict)["flows"]
    f = flows["lines"]
    assert f["width"][0] == FLOW_MAX_PX
    assert f["width"] == sorted(f["width"], reverse=True)
    assert f["width"][-1] == round(FLOW_MAX_PX * (250.5 / 1000) ** 0.5, 1)
    assert all(FLOW_MIN_PX <= w <= FLOW_MAX_PX for w in f["width"])
    assert [t["people"] for t in flows["scale"]["legend"]] == [1000.0, 200.0, 50.0]
    assert flows["scale"]["legend"][0]["size"] == FLOW_MAX_PX
    assert "one scale for every date (widest: 1,000 people)" in legend_html(map_data(conflict))


def test_max_flows_draws_the_largest_and_says_how_many_are_left_out():
    rng = np.random.default_rng(5)
    ids = list("abcdef")
    n = 500
    flows = pd.DataFrame(
        {
            "origin": rng.choice(ids, n),
            "destination": rng.choice(ids, n),
            "start": "2024-12-02",
            "people": rng.integers(1, 1000, n) * 1.0,
        }
    )
    c = gc.Conflict(make_places(), make_actors(), make_control(), flows)
    f = map_data(c, max_flows=40)["flows"]
    moved = flows[flows.origin != flows.destination]
    assert f["counts"]["shown"] == 40 and f["counts"]["drawable"] == len(moved)
    assert f["counts"]["left_out"] == len(moved) - 40
    assert f["lines"]["people"] == sorted(moved.people, reverse=True)[:40]
    assert f["counts"]["left_out_people"] == sum(sorted(moved.people, reverse=True)[40:])
    data = map_data(c, max_flows=40)
    text = legend_html(data)
    assert f"Showing the 40 largest of {len(moved)} flows; {len(moved) - 40} smaller" in text
    assert "gc-left-out" not in legend_html(map_data(c, max_flows=5000))


# --------------------------------------------------------------------------- territories


def test_without_a_boundary_there_are_no_territory_layers():
    c = grid()
    data = map_data(c)
    assert "land" not in data
    assert data["layers"] == ["basemap", "flows", "places", "labels"]
    m = gc.explore(c, tiles=None)
    names = [g.layer_name for g in m._children.values() if isinstance(g, folium.FeatureGroup)]
    assert names == ["Base map", "Displacement", "Places", "Place names"]


# --------------------------------------------------------------------------- events, outline


def test_events_show_for_event_days():
    events = gpd_frame(
        [shapely.Point(36.2, 35.2), shapely.Point(36.8, 35.1)],
        date=["2024-12-02", "2024-12-04"],
        event_type=["Battles", "Shelling"],
        actor1=["gov", "reb"],
        fatalities=[3, None],
        source="ACLED",
    )
    c = grid(events=events)
    data = map_data(c, event_days=2)
    e = data["events"]
    steps = data["steps"]
    assert [steps[i] for i in e["first"]] == ["2024-12-02", "2024-12-04"]
    assert [steps[i] for i in e["last"]] == ["2024-12-03", "2024-12-05"]
    assert e["fatalities"] == [3, None]
    assert [e["event_type_table"][i] for i in e["event_type"]] == ["Battles", "Shelling"]
    assert e["actor2"] == [-1, -1]
    assert "events" in data["layers"]


def test_outline_has_boundary_and_context(conflict):
    context = gpd_frame([shapely.box(37.3, 34.5, 38.0, 35.5)], name=["Neighbour"])
    c = grid(boundary=make_boundary(), context=context)
    outline = map_data(c)["outline"]
    assert outline["boundary"]["geoms"] == [0, 1]
    assert outline["context"]["geoms"] == [0, 1] and outline["context_names"] == ["Neighbour"]
    # the box's first corner, in grid units (x, y), as the page decodes it
    assert outline["context"]["xy"][:2] == [380000, 345000]
    assert "context" not in map_data(conflict)["outline"]


# --------------------------------------------------------------------------- colours


def test_actors_without_colours_get_distinct_palette_colours_everywhere():
    actors = pd.DataFrame({"actor_id": ["gov", "reb", "third"], "color": [None, "#0072b2", None]})
    control = make_control()
    control.loc[control.place_id == "f", "actor_id"] = "third"
    c = gc.Conflict(make_places(), actors, control, make_flows(), boundary=make_boundary())
    data = map_data(c)
    colors = {a["id"]: a["color"] for a in data["actors"]}
    assert colors["reb"] == "#0072b2"
    assert colors["gov"] != colors["third"] and {colors["gov"], colors["third"]} <= set(PALETTE)
    assert colors == c.actor_colors()
    legend = legend_html(data)
    for color in colors.values():
        assert f"background:{color}" in legend


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"lang": "de"},
            r"lang must be one of \['en', 'ar', 'fr', 'es', 'uk', 'ru'\] or a language "
            r"code with your own words, got 'de'",
        ),
        ({"flows": "all"}, r"flows must be one of \['active', 'cumulative'\], got 'all'"),
        ({"max_flows": -1}, r"max_flows must be a whole number >= 0, got -1"),
        ({"max_flows": 2.5}, r"max_flows must be a whole number >= 0, got 2.5"),
        ({"layers": ["places", "roads"]}, r"layers names unknown layer\(s\) \['roads'\]"),
    ],
)
def test_bad_options_say_what_is_allowed(conflict, options, message):
    with pytest.raises(ValueError, match=message):
        map_data(conflict, **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"event_days": "a week"}, r"event_days must be a whole number >= 1, got 'a week'"),
        ({"event_days": None}, r"event_days must be a whole number >= 1, got None"),
        ({"event_days": float("nan")}, r"event_days must be a whole number >= 1, got nan"),
        ({"interval": "fast"}, r"interval must be a whole number >= 1, got 'fast'"),
        ({"interval": -5}, r"interval must be a whole number >= 1, got -5.*interval=800"),
        ({"width": None}, r"width must be a CSS size such as '100%' or '600px'.*got None"),
        ({"height": "tall"}, r"height must be a CSS size.*got 'tall'"),
    ],
)
def test_explore_checks_its_options_before_building(conflict, options, message):
    # these went through to int() or to branca, which raised their own errors
    with pytest.raises(gc.MapOptionError, match=message):
        gc.explore(conflict, tiles=None, **options)


def test_explore_takes_css_sizes_and_pixels(conflict):
    html = gc.maps.render_html(gc.explore(conflict, tiles=None, width="80%", height=600))
    assert "80.0%" in html or "80%" in html


def test_layers_subset(conflict):
    data = map_data(conflict, layers=["places", "frontlines"])
    assert data["layers"] == ["frontlines", "places"]
    assert "flows" not in data and "territories" not in data
    assert set(LAYERS) >= set(map_data(conflict)["layers"])


def test_no_flows_table_means_no_flow_layer():
    data = map_data(gc.Conflict(make_places(), make_actors(), make_control()))
    assert "flows" not in data and data["layers"] == ["basemap", "places", "labels"]


# --------------------------------------------------------------------------- folium elements


def test_explore_builds_one_feature_group_per_layer_in_a_layer_control(conflict):
    m = gc.explore(conflict, tiles=None)
    assert isinstance(m, folium.Map)
    children = list(m._children.values())
    groups = [c for c in children if isinstance(c, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == [
        "Base map",
        "Boundary and neighbours",
        "Territories",
        "Changed hands",
        "Frontlines",
        "Displacement",
        "Places",
        "Place names",
    ]
    assert sum(isinstance(c, folium.LayerControl) for c in children) == 1
    runtime = next(c for c in children if isinstance(c, MapRuntime))
    assert runtime.data["layers"] == [
        "basemap",
        "outline",
        "territories",
        "changes",
        "frontlines",
        "flows",
        "places",
        "labels",
    ]
    assert not any(isinstance(c, folium.TileLayer) for c in children)
    assert any(type(c).__name__ == "TimeSlider" for c in children)


def test_explore_without_slider_and_with_tiles(conflict):
    m = gc.explore(conflict, tiles="OpenStreetMap Mapnik", time_slider=False)
    children = list(m._children.values())
    assert not any(type(c).__name__ == "TimeSlider" for c in children)
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    assert [t.tile_name for t in tiles] == ["OpenStreetMap.Mapnik"]


def test_unknown_tiles_name():
    with pytest.raises(ValueError, match="no tile provider is named 'Nowhere'"):
        gc.explore(grid(), tiles="Nowhere")


def test_tiles_that_need_an_api_key():
    with pytest.raises(ValueError, match="'Thunderforest.OpenCycleMap' needs an API key. Fix:"):
        gc.explore(grid(), tiles="Thunderforest OpenCycleMap")


def test_template_element_outside_a_map_cannot_render(conflict):
    runtime = MapRuntime(map_data(conflict), tiles=False)
    with pytest.raises(
        TypeError, match="MapRuntime must be in a folium Map before it is rendered"
    ):
        runtime.render()


def test_an_asset_that_could_end_its_script_is_refused(monkeypatch):
    from geoconflict.maps import elements

    monkeypatch.setattr(elements, "static_text", lambda name: "x = '</SCRIPT>';")
    with pytest.raises(ValueError, match="runtime.js contains '</script'"):
        elements.add_assets(folium.Map(tiles=None).get_root(), (("runtime", "js", "runtime.js"),))


def test_conflict_explore_is_explore(conflict):
    a = gc.maps.render_html(conflict.explore("2024-12-05", tiles=None))
    b = gc.maps.render_html(gc.explore(conflict, "2024-12-05", tiles=None))
    assert a == b


def test_title_defaults_to_the_conflicts(conflict):
    assert map_data(conflict)["title"] == "Grid test"
    assert map_data(conflict, title="Other")["title"] == "Other"


def test_inherited_states_on_the_page_match_the_rule_date_by_date():
    # towns in Chilean units, records starting on random days: the page's table of which
    # polygon each place takes its state from, built for all dates at once, equals
    # inherit_states asked date by date
    import geopandas as gpd

    from geoconflict.maps.place_data import inherit_data
    from geoconflict.territory._nesting import STATE_FROM, inherit_states

    rng = np.random.default_rng(11)
    units = [shapely.box(-71 + i * 0.5, -34, -70.5 + i * 0.5, -33) for i in range(4)]
    big = [shapely.box(-71, -34, -69, -33)]
    towns = [
        shapely.Point(-70.95 + x * 0.18, -33.9 + y * 0.18) for x in range(11) for y in range(5)
    ]
    geoms = big + units + towns
    ids = [f"p{i}" for i in range(len(geoms))]
    places = gpd.GeoDataFrame(
        {"name": ids}, geometry=geoms, index=pd.Index(ids, name="place_id"), crs=4326
    )
    days = pd.date_range("2024-01-01", periods=20)
    chosen = rng.choice(len(ids), size=30, replace=True)
    control = pd.DataFrame(
        {
            "place_id": [ids[i] for i in chosen],
            "actor_id": rng.choice(["red", "blue"], size=chosen.size),
            "date": days[rng.integers(0, days.size, size=chosen.size)],
        }
    ).drop_duplicates(["place_id", "date"])
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["red", "blue"]}), control)
    data = inherit_data(c, days)
    control_days = pd.DatetimeIndex(sorted(control["date"].unique()))
    table = np.array(data["base"])
    for j, day in enumerate(control_days):
        if j:
            change = np.array(data["diff"][j - 1], dtype=np.int64).reshape(-1, 2)
            table[change[:, 0]] = change[:, 1]
        held = inherit_states(gc.control_at(c.control, day, places=places), places)
        source = held[STATE_FROM].reindex(places.index).astype(object)
        expected = places.index.get_indexer(source.where(source.notna(), None))
        assert table.tolist() == expected.tolist(), day
