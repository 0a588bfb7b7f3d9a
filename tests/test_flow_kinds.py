"""Flows with a range of people, a category and a kind (movement / present): validation,
every file format, and the flow functions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import make_actors, make_control, make_flows, make_places
from pandas.testing import assert_frame_equal

import geoconflict as gc


def ranged_flows() -> pd.DataFrame:
    """The grid flows plus a range, a refugee and a return row, and people counted at d."""
    flows = make_flows()
    flows["people_max"] = [1500, None, None, None]
    flows["category"] = ["internal", "refugee", "", "return"]
    flows["kind"] = ["movement", "movement", "movement", "movement"]
    present = pd.DataFrame(
        {
            "origin": [""],
            "destination": ["d"],
            "start": ["2024-12-06"],
            "end": ["2024-12-06"],
            "people": [400],
            "people_max": [600],
            "source": ["https://example.org/count"],
            "quality": ["estimate"],
            "category": ["internal"],
            "kind": ["present"],
        }
    )
    return pd.concat([flows, present], ignore_index=True)


@pytest.fixture
def conflict() -> gc.Conflict:
    return gc.Conflict(
        make_places(), make_actors(), make_control(), ranged_flows(), title="ranges"
    )


def test_defaults_fill_category_kind_and_people_max():
    flows = gc.Conflict(make_places(), make_actors(), make_control(), make_flows()).flows
    assert flows["category"].tolist() == ["internal"] * 4
    assert flows["kind"].tolist() == ["movement"] * 4
    assert flows["people_max"].isna().all() and flows["people_max"].dtype == "float64"


def test_validated_values(conflict):
    flows = conflict.flows
    assert flows["category"].tolist() == ["internal", "refugee", "internal", "return", "internal"]
    assert flows["kind"].tolist() == ["movement"] * 4 + ["present"]
    assert pd.isna(flows.loc[4, "origin"])
    assert flows["people_max"].tolist()[0] == 1500.0 and flows.loc[4, "people_max"] == 600.0


def test_present_rows_need_no_origin_column():
    flows = pd.DataFrame(
        {"destination": ["d"], "start": ["2024-12-06"], "people": [10], "kind": ["present"]}
    )
    c = gc.Conflict(make_places(), make_actors(), make_control(), flows)
    assert c.flows["origin"].isna().all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"people_max": [900, None, None, None]},
            r"flows', row 1, column 'people_max', value 900.0: people_max is below people\. Fix: "
            r"for a range put the lower end in people and the upper end in people_max",
        ),
        (
            {"category": ["internal", "idp", None, None]},
            r"row 2, column 'category', value 'idp': unknown category\. Fix: use one of "
            r"\['internal', 'refugee', 'return'\]",
        ),
        (
            {"kind": ["movement", "moved", None, None]},
            r"row 2, column 'kind', value 'moved': unknown kind\. Fix: use one of "
            r"\['movement', 'present'\]",
        ),
        (
            {"kind": ["present", None, None, None]},
            r"row 1, column 'origin', value 'b': a 'present' row has an origin\. "
            r"Fix: leave origin empty",
        ),
        (
            {"origin": [None, "e", "b", "e"]},
            r"row 1, column 'origin', value None: origin is missing\. "
            r"Fix: fill it in, set kind to 'present'",
        ),
        (
            {"people_max": [1500, "lots", None, None]},
            r"row 2, column 'people_max', value 'lots': people_max is not a number",
        ),
    ],
)
def test_bad_values_name_row_column_value_and_fix(change, message):
    flows = make_flows().assign(**change)
    with pytest.raises(gc.SchemaError, match=message):
        gc.Conflict(make_places(), make_actors(), make_control(), flows)


def test_households_convert_both_ends():
    flows = make_flows().iloc[:1].assign(unit="households", people=100, people_max=120)
    c = gc.Conflict(make_places(), make_actors(), make_control(), flows, household_size=5)
    assert c.flows[["people", "people_max", "households"]].values.tolist() == [
        [500.0, 600.0, 100.0]
    ]


def test_csv_folder_round_trip(tmp_path, conflict):
    back = gc.read_conflict(conflict.save(tmp_path / "ranges"))
    assert_frame_equal(back.flows, conflict.flows)
    head = (tmp_path / "ranges" / "flows.csv").read_text().splitlines()
    assert {"people_max", "category", "kind"} <= set(head[0].split(","))
    assert head[-1].startswith(",d,2024-12-06,")  # present: empty origin
    package = json.loads((tmp_path / "ranges" / "datapackage.json").read_text())
    fields = {
        f["name"]: f
        for r in package["resources"]
        if r["name"] == "flows"
        for f in r["schema"]["fields"]
    }
    assert fields["people_max"]["type"] == "number"
    assert fields["category"]["constraints"]["enum"] == ["internal", "refugee", "return"]
    assert fields["kind"]["constraints"]["enum"] == ["movement", "present"]


def test_geopackage_round_trip(tmp_path, conflict):
    back = gc.read_gpkg(conflict.to_gpkg(tmp_path / "ranges.gpkg"))
    assert_frame_equal(back.flows, conflict.flows)


def test_geoparquet_round_trip(tmp_path, conflict):
    pytest.importorskip("pyarrow")
    back = gc.read_parquet(gc.to_parquet(conflict, tmp_path / "ranges"))
    assert_frame_equal(back.flows, conflict.flows)


def test_geojson_round_trip(tmp_path, conflict):
    back = gc.read_geojson(gc.to_geojson(conflict.flows, tmp_path / "flows.geojson"))
    assert_frame_equal(back, conflict.flows)
    layers = gc.read_geojson(gc.to_geojson(conflict, tmp_path / "layers"))
    lines = layers["flows"]
    assert lines["kind"].tolist() == ["movement"] * 4 + ["present"]
    assert lines.geometry.iloc[4] is None  # people counted at d: no line


def test_flow_lines_draw_movements_only(conflict):
    lines = gc.flow_lines(conflict.flows, conflict.places)
    assert len(lines) == 5
    drawn = lines.geometry.notna().tolist()
    assert drawn == [True, True, True, False, False]  # e -> e is internal, row 5 present
    assert np.isnan(lines["length_km"].iloc[4])
    assert lines["length_km"].iloc[3] == 0.0


def test_place_totals_keep_present_counts_apart_and_carry_ranges(conflict):
    totals = gc.place_totals(conflict.flows)
    d = totals.loc["d"]
    # the present count (400 to 600 at d) is a stock beside the movements, not an arrival
    assert d["inflow"] == 250.5 and d["inflow_max"] == 250.5
    assert (d["present"], d["present_max"]) == (400.0, 600.0)
    b = totals.loc["b"]
    assert b["outflow"] == 1000 + 250.5 and b["outflow_max"] == 1500 + 250.5
    assert b["net_min"] == 300 - (1500 + 250.5) and b["net_max"] == 300 - 1250.5
    assert totals["outflow"].sum() == pytest.approx(totals["inflow"].sum())
    assert list(totals.columns) == [
        "inflow",
        "outflow",
        "internal",
        "net",
        "inflow_max",
        "outflow_max",
        "internal_max",
        "net_min",
        "net_max",
        "present",
        "present_max",
    ]


def test_place_totals_without_ranges_keep_four_columns(conflict):
    flows = conflict.flows.assign(people_max=np.nan)
    flows = flows[flows["kind"] != "present"]
    assert list(gc.place_totals(flows).columns) == ["inflow", "outflow", "internal", "net"]


def test_net_flows_list_present_rows_without_origin(conflict):
    net = gc.net_flows(conflict.flows)
    present = net[net["origin"].isna()]
    assert present[["destination", "people", "people_max"]].values.tolist() == [
        ["d", 400.0, 600.0]
    ]
    be = net[(net["origin"] == "b") & (net["destination"] == "e")].iloc[0]
    assert (be["people"], be["forward_max"], be["backward_max"]) == (700.0, 1500.0, 300.0)
    assert (be["people_min"], be["people_max"]) == (700.0, 1200.0)


def test_aggregate_flows_sum_both_ends(conflict):
    out = gc.aggregate_flows(conflict.flows, by=["category"])
    assert out.set_index("category")["people_max"].to_dict() == {
        "internal": 1500 + 250.5 + 600,
        "refugee": 300.0,
        "return": 80.0,
    }
    by_route = gc.aggregate_flows(conflict.flows)
    present = by_route[by_route["origin"].isna()]
    assert present[["destination", "people"]].values.tolist() == [["d", 400.0]]


def test_maps_and_figures_draw_movements_only(conflict):
    from geoconflict.maps.flow_data import flows_data

    data = flows_data(conflict, pd.DatetimeIndex(["2024-12-01", "2024-12-06"]))
    assert data["drawable"] == 3  # b -> e, e -> b, b -> d; not e -> e, not the count at d
    assert min(data["origin"]) >= 0
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    ax = gc.plot_map(conflict, "2024-12-06")
    assert len(ax.collections) > 0
    plt.close(ax.figure)


def test_read_flows_names_the_new_columns(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(
        "from,to,day,low,high,who,how\n"
        "Bravo,Echo,2024-12-01,10,20,refugee,\n"
        ",Delta,2024-12-02,5,,,present\n",
        encoding="utf-8",
    )
    places = gc.Conflict(make_places(), make_actors(), make_control()).places
    flows = gc.read_flows(
        path,
        origin="from",
        destination="to",
        start="day",
        people="low",
        people_max="high",
        category="who",
        kind="how",
        places=places,
    )
    assert flows[["origin", "destination", "people", "people_max", "category", "kind"]].astype(
        object
    ).where(flows.notna(), None).values.tolist() == [
        ["b", "e", 10.0, 20.0, "refugee", "movement"],
        [None, "d", 5.0, None, "internal", "present"],
    ]


def test_a_single_flow_gets_a_line(conflict):
    """One-element arrays stay arrays through pyproj (whatever the numpy version)."""
    one = conflict.flows.iloc[:1]
    lines = gc.flow_lines(one, conflict.places)
    assert lines.geometry.iloc[0].geom_type == "LineString"
    assert lines["length_km"].shape == (1,) and lines["length_km"].iloc[0] > 50
