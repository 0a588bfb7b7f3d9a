"""Displacement flows: aggregation, net flows, totals per place, geodesic lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc


def test_aggregate_by_route(flows):
    out = gc.aggregate_flows(flows)
    assert out[["origin", "destination", "people", "records"]].values.tolist() == [
        ["b", "d", 250.5, 1],
        ["b", "e", 1000.0, 1],
        ["e", "b", 300.0, 1],
        ["e", "e", 80.0, 1],
    ]


def test_aggregate_by_week_and_origin(flows):
    out = gc.aggregate_flows(flows, freq="W", by=["origin"])
    assert out["people"].sum() == pytest.approx(flows["people"].sum())
    assert set(out.columns) >= {"origin", "period", "people", "start", "end"}


def test_aggregate_unknown_column(flows):
    with pytest.raises(
        gc.SchemaError,
        match=r"by names columns \['admin1'\] that the flows "
        r"table lacks",
    ):
        gc.aggregate_flows(flows, by=["admin1"])


def test_net_flows(flows):
    net = gc.net_flows(flows).set_index(["origin", "destination"])
    assert net.loc[("b", "e"), "people"] == 700.0
    assert net.loc[("b", "e"), "gross"] == 1300.0
    assert ("e", "e") not in net.index  # internal flows have no direction


def test_place_totals(flows):
    totals = gc.place_totals(flows)
    assert totals.loc["e"].to_dict() == {
        "inflow": 1000.0,
        "outflow": 300.0,
        "internal": 80.0,
        "net": 700.0,
    }
    assert totals.loc["d", "inflow"] == 250.5


def test_place_totals_up_to_a_date(flows):
    totals = gc.place_totals(flows, until="2024-12-04")
    assert totals.loc["e", "inflow"] == 1000.0
    assert "d" not in totals.index  # b -> d began on the 5th
    assert totals.loc["e", "internal"] == 80.0


def test_place_totals_for_all_places(flows, places):
    totals = gc.place_totals(flows, places=places)
    assert totals.index.tolist() == list(places.index)
    assert totals.loc["a"].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_active_and_cumulative(flows):
    assert len(gc.active_flows(flows, "2024-12-05")) == 2
    assert len(gc.active_flows(flows, "2024-12-05", cumulative=True)) == 3


def test_flow_lines_are_geodesic_and_apart(flows, places):
    lines = gc.flow_lines(flows, places)
    assert lines.crs == "EPSG:4326"
    geod = pyproj.Geod(ellps="WGS84")
    b, e = places.loc["b"].geometry, places.loc["e"].geometry
    expected = geod.inv(b.x, b.y, e.x, e.y)[2] / 1000
    assert lines["length_km"].iloc[0] == pytest.approx(expected)
    first = lines.geometry.iloc[0]
    assert shapely.get_coordinates(first)[0] == pytest.approx([b.x, b.y])
    assert shapely.get_coordinates(first)[-1] == pytest.approx([e.x, e.y])
    # b -> e and e -> b bend to opposite sides, so their middles are apart
    mid_be = first.interpolate(0.5, normalized=True)
    mid_eb = lines.geometry.iloc[1].interpolate(0.5, normalized=True)
    assert mid_be.distance(mid_eb) > 0.05
    # internal flows get no line
    assert lines.geometry.iloc[3] is None
    straight = gc.flow_lines(flows, places, curvature=0)
    assert straight.geometry.iloc[0].interpolate(0.5, normalized=True).x == pytest.approx(
        b.x, abs=1e-6
    )


def test_flow_lines_need_two_points(flows, places):
    with pytest.raises(ValueError, match=r"points must be at least 2"):
        gc.flow_lines(flows, places, points=1)


def test_flow_lines_unknown_place(flows, places):
    bad = flows.copy()
    bad.loc[0, "origin"] = "zz"
    with pytest.raises(gc.SchemaError, match=r"value 'zz': unknown place id"):
        gc.flow_lines(bad, places)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("pqr"), st.sampled_from("pqr"), st.floats(0.5, 1e6), st.integers(0, 60)
        ),
        min_size=1,
        max_size=25,
    )
)
def test_aggregation_and_net_flows_conserve_people(rows):
    flows = pd.DataFrame(
        {
            "origin": [r[0] for r in rows],
            "destination": [r[1] for r in rows],
            "people": [r[2] for r in rows],
            "start": pd.Timestamp("2024-01-01") + pd.to_timedelta([r[3] for r in rows], unit="D"),
        }
    )
    flows["end"] = flows["start"]
    total = flows["people"].sum()
    assert gc.aggregate_flows(flows)["people"].sum() == pytest.approx(total)
    assert gc.aggregate_flows(flows, freq="W")["people"].sum() == pytest.approx(total)
    moved = flows.loc[flows["origin"] != flows["destination"], "people"].sum()
    net = gc.net_flows(flows)
    assert net["gross"].sum() == pytest.approx(moved)
    totals = gc.place_totals(flows)
    assert totals["inflow"].sum() == pytest.approx(moved)
    assert totals["net"].sum() == pytest.approx(0.0, abs=1e-6 * max(1.0, total))
    assert np.all(net["people"] >= 0)
