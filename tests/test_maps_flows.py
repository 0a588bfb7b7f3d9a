"""Flows on a map: one width scale for every date, categories, estimates, ranges, people
counted in place, and flows merged by governorate when zoomed out."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_places

import geoconflict as gc
from geoconflict.maps import map_data
from geoconflict.maps.flow_data import place_groups
from geoconflict.maps.legend import legend_html
from geoconflict.style import FLOW_COLORS, FLOW_MAX_PX, count_radius, flow_width


def conflict_with(flows: pd.DataFrame, **places) -> gc.Conflict:
    return gc.Conflict(make_places().assign(**places), make_actors(), make_control(), flows)


def test_categories_estimates_and_ranges():
    flows = pd.DataFrame(
        {
            "origin": ["a", "b"],
            "destination": ["d", "e"],
            "start": ["2024-12-02", "2024-12-03"],
            "end": ["2024-12-04", "2024-12-03"],
            "people": [1000.0, 400.0],
            "people_max": [1500.0, None],
            "category": ["refugee", "return"],
            "quality": ["estimate", "reported"],
            "source": ["https://example.org/a", None],
        }
    )
    flows_data = map_data(conflict_with(flows))["flows"]
    f = flows_data["lines"]
    assert flows_data["counts"]["shown"] == 2 and f["people"] == [1000, 400]
    assert f["people_max"] == [1500, None]
    assert [flows_data["categories"][c] for c in f["category"]] == ["refugee", "return"]
    assert flows_data["colors"] == [FLOW_COLORS[c] for c in ("internal", "refugee", "return")]
    assert f["estimate"] == [1, 0]
    assert f["width_max"][0] > f["width"][0] and f["width_max"][1] is None  # its own width
    assert flows_data["scale"]["top"] == 1500  # the widest figure on any date: a range's top
    assert f["width"][0] == round(float(flow_width(1000, 1500)), 1)
    assert flows_data["rings"]["place"] == []


def test_people_counted_where_they_are_are_circles_on_a_scale_of_their_own():
    flows = pd.DataFrame(
        {
            "origin": ["a", None],
            "destination": ["d", "f"],
            "start": ["2024-12-02", "2024-12-01"],
            "end": ["2024-12-04", "2024-12-05"],
            "people": [1000.0, 5000.0],
            "people_max": [None, 8000.0],
            "kind": ["movement", "present"],
            "quality": ["reported", "estimate"],
            "source": ["https://example.org/a", "https://example.org/c"],
        }
    )
    f = map_data(conflict_with(flows))["flows"]
    assert f["counts"]["shown"] == 1
    present = f["rings"]
    assert present["place"] == [5] and present["people"] == [5000]
    assert present["people_max"] == [8000] and present["estimate"] == [1]
    assert f["sources"][present["source"][0]] == "https://example.org/c"
    # the lines' scale is the lines' own; the circles have theirs (area by people)
    assert f["scale"]["top"] == 1000 and f["lines"]["width"][0] == FLOW_MAX_PX
    assert f["scale"]["circle_top"] == 8000
    assert present["radius"] == [round(float(count_radius(5000, 8000)), 1)]


def test_one_width_scale_for_every_date_includes_merged_sums():
    """Two flows North -> South on the same days merge into 1,000 people: the widest line."""
    flows = pd.DataFrame(
        {
            "origin": ["a", "b", "a"],
            "destination": ["d", "e", "b"],
            "start": ["2024-12-02", "2024-12-02", "2024-12-05"],
            "end": ["2024-12-03", "2024-12-03", "2024-12-05"],
            "people": [600.0, 400.0, 700.0],
        }
    )
    north_south = ["North"] * 3 + ["South"] * 3
    f = map_data(conflict_with(flows, admin1=north_south))["flows"]
    merge = f["merged"]
    assert merge["names"] == ["North", "South"] and merge["by"] == "admin1"
    assert merge["from"] == [0] and merge["to"] == [1]
    assert f["lines"]["group"] == [-1, 0, 0]  # the a->b flow stays within North
    assert f["scale"]["top"] == 1000
    assert f["scale"]["legend"][0] == {"people": 1000.0, "size": FLOW_MAX_PX}
    assert f["lines"]["width"][0] == round(float(flow_width(700, 1000)), 1)
    # the merged line runs between each governorate's first place by label order
    ids = map_data(conflict_with(flows, admin1=north_south))["places"]["id"]
    assert [ids[merge["origin"][0]], ids[merge["destination"][0]]] == ["c", "f"]
    # flows on different days do not add up
    apart = flows.assign(
        start=["2024-12-02", "2024-12-04", "2024-12-05"],
        end=["2024-12-02", "2024-12-04", "2024-12-05"],
    )
    assert map_data(conflict_with(apart, admin1=north_south))["flows"]["scale"]["top"] == 700


def test_groups_from_a_column_a_mapping_or_none():
    places = make_places().assign(region=list("xxyyzz")).set_index("place_id")
    assert place_groups(places, "region")[1] == ["x", "y", "z"]
    codes, names = place_groups(places, {"a": "p", "f": "q"})
    assert codes.tolist() == [0, -1, -1, -1, -1, 1] and names == ["p", "q"]
    assert place_groups(places, False)[1] == []
    assert place_groups(places, None)[1] == []  # no admin1 column: nothing merges
    with pytest.raises(gc.MapOptionError, match="flow_groups names column 'province'"):
        place_groups(places, "province")
    with pytest.raises(gc.MapOptionError, match="flow_groups must be None, False, a column"):
        place_groups(places, 3)


def test_merge_options_are_checked(conflict):
    with pytest.raises(gc.MapOptionError, match="merge_flows_below must be a zoom level"):
        map_data(conflict, merge_flows_below="far")
    no_merge = map_data(conflict, flow_groups=False)["flows"]
    assert no_merge["merged"]["origin"] == [] and no_merge["lines"]["group"] == []


def test_plain_flows_carry_no_columns_of_defaults(conflict):
    """Without ranges, categories, estimates or merges, those columns stay empty (the page
    fills them in), so 50,000 plain flows cost no more than before."""
    plain = conflict.flows.drop(columns=["quality"])
    flows = map_data(gc.Conflict(conflict.places, conflict.actors, conflict.control, plain))
    f = flows["flows"]["lines"]
    assert (f["people_max"], f["width_max"], f["category"], f["estimate"], f["group"]) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert len(f["width"]) == flows["flows"]["counts"]["shown"] == 3


def test_a_count_across_a_whole_country_is_listed_not_drawn_at_a_point():
    """A ring at one point of a country would read as a count at that point."""
    boundary = make_boundary()
    places = make_places()
    extra = gpd.GeoDataFrame(
        {"place_id": ["country", "camp"], "name": ["The country", "A camp"]},
        geometry=[boundary.geometry.iloc[0], shapely.box(36.0, 35.0, 36.1, 35.1)],
        crs="EPSG:4326",
    )
    places = pd.concat([places, extra], ignore_index=True)
    flows = pd.DataFrame(
        {
            "origin": [None, None],
            "destination": ["country", "camp"],
            "start": ["2024-12-01", "2024-12-02"],
            "end": ["2024-12-05", "2024-12-05"],
            "people": [300000.0, 2500.0],
            "kind": ["present", "present"],
        }
    )
    conflict = gc.Conflict(places, make_actors(), make_control(), flows, boundary=boundary)
    data = map_data(conflict)
    assert data["flows"]["rings"]["wide"] == [1, 0]
    assert data["flows"]["scale"]["circle_top"] == 2500  # a figure not drawn sets no scale
    legend = legend_html(data)
    assert "Figures for a whole country or region are listed in the panel" in legend
    assert "Counted where they are" in legend  # the camp's ring is drawn
    only_country = gc.Conflict(
        places, make_actors(), make_control(), flows.iloc[:1], boundary=boundary
    )
    legend = legend_html(map_data(only_country))
    assert "listed in the panel" in legend and "Counted where they are" not in legend


def test_the_example_lists_the_countrywide_counts_and_rings_the_sub_district():
    example = gc.load_example()
    present = map_data(example)["flows"]["rings"]
    ids = example.places.index[present["place"]]
    wide = dict(zip(ids, present["wide"], strict=True))
    assert wide["SY"] == 1 and wide["hama-homs"] == 1  # the country; 29% of it
    assert wide["SY030101"] == 0  # Kisweh sub-district: a ring


def _stocks() -> pd.DataFrame:
    """Three counts at f (the second replaces the first) and one at d."""
    return pd.DataFrame(
        {
            "origin": [None, None, None],
            "destination": ["f", "f", "d"],
            "start": ["2024-12-01", "2024-12-04", "2024-12-02"],
            "end": ["2024-12-01", "2024-12-04", "2024-12-02"],
            "people": [5000.0, 3000.0, 800.0],
            "kind": ["present"] * 3,
            "quality": "reported",
        }
    )


def test_a_count_of_people_present_holds_until_the_next_count_there():
    data = map_data(conflict_with(_stocks()))
    rings, steps = data["flows"]["rings"], data["steps"]
    spans = [(steps[a], steps[b]) for a, b in zip(rings["first"], rings["last"], strict=True)]
    assert spans == [
        ("2024-12-01", "2024-12-03"),  # until the day before the next count at f
        ("2024-12-04", steps[-1]),  # the last count holds to the end
        ("2024-12-02", steps[-1]),
    ]
    # circles' area follows people on one scale: radius by the square root
    assert rings["radius"][0] == data["flows"]["scale"]["circle_radius"]
    assert rings["radius"][1] == round(float(count_radius(3000, 5000)), 1)
    legend = legend_html(data)
    assert "gc-count-sample" in legend and "5,000 people" in legend
    assert "Line width" not in legend  # no flow lines, no width legend


def test_the_figure_draws_the_counts_holding_on_its_date(agg_backend):
    import matplotlib.pyplot as plt

    conflict = conflict_with(_stocks())

    def numbers(when):
        ax = gc.plot_map(conflict, when, basemap=None)
        drawn = sorted(t.get_text() for t in ax.texts if t.get_gid() == "present-count-number")
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        plt.close("all")
        return drawn, legend

    drawn, legend = numbers("2024-12-03")
    assert drawn == ["5,000", "800"]  # the count at f of 1 Dec still holds on 3 Dec
    assert "Counted where they are (origin unknown)" in legend and "5,000 people" in legend
    assert numbers("2024-12-05")[0] == ["3,000", "800"]  # the new count at f replaced it
    assert numbers("2024-12-01")[0] == ["5,000"]
