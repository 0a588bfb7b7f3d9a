"""Counts of people present are stocks: the latest count holds at its place until the next
(IOM DTM Ukraine rounds 17-20, figures as IOM gives them for Kharkivska and Kyiv city)."""

from __future__ import annotations

import pandas as pd
import pytest

import geoconflict as gc
from geoconflict.errors import SchemaError

# IOM DTM Ukraine, General Population Survey rounds 17-20, sheet "Estimated Population",
# "Estimated de facto IDPs present" (idp-estimates-r17..r20_publish.xlsx in ../shared)
ROUNDS = ["2024-08-31", "2024-10-31", "2024-12-31", "2025-04-30"]


@pytest.fixture
def rounds():
    kharkiv = [467000.0, 444000.0, 444000.0, 463000.0]
    return pd.DataFrame(
        {
            "destination": ["UA63"] * 4 + ["UA80"],
            "people": kharkiv + [353000.0],
            "start": pd.to_datetime(ROUNDS + ["2024-08-31"]),
            "kind": ["present"] * 5,
        }
    )


def test_place_totals_give_the_latest_count_not_the_sum(rounds):
    totals = gc.place_totals(rounds)
    assert totals.loc["UA63", "present"] == 463000.0  # not 1,818,000
    assert totals.loc["UA63", "inflow"] == 0.0
    assert gc.place_totals(rounds, until="2024-11-15").loc["UA63", "present"] == 444000.0
    assert gc.place_totals(rounds, until="2024-09-01").loc["UA80", "present"] == 353000.0


def test_present_counts_in_force_on_a_date_and_as_a_series(rounds):
    assert gc.present_counts(rounds, "2024-09-15")["people"].to_dict() == {
        "UA63": 467000.0,
        "UA80": 353000.0,
    }
    assert gc.present_counts(rounds, "2024-08-01").empty  # before the first round
    series = gc.present_counts(rounds, ["2024-08-01", "2024-09-30", "2025-05-01"])
    assert series.loc["UA63"].tolist()[1:] == [467000.0, 463000.0]
    assert pd.isna(series.loc["UA63"].iloc[0])
    assert gc.present_counts(rounds, places=["UA63", "UA01"])["people"].isna().tolist() == [
        False,
        True,
    ]


def test_active_flows_keep_the_count_in_force(rounds):
    cumulative = gc.active_flows(rounds, "2025-01-15", cumulative=True)
    assert cumulative.set_index("destination")["people"].to_dict() == {
        "UA63": 444000.0,
        "UA80": 353000.0,
    }
    assert len(gc.active_flows(rounds, "2025-01-15")) == 2  # in force, though begun earlier


def test_net_flows_and_lines_without_origin_column(rounds):
    places = gc.make_places(["UA63", "UA80"], ["Kharkivska", "Kyiv"], [36.3, 30.5], [49.9, 50.4])
    net = gc.net_flows(rounds)
    assert net.set_index("destination")["people"].to_dict() == {
        "UA63": 463000.0,
        "UA80": 353000.0,
    }
    lines = gc.flow_lines(rounds, places)
    assert lines.geometry.isna().all() and len(lines) == 5
    no_kind = rounds.drop(columns=["kind"])
    for function in (gc.net_flows, gc.place_totals):
        with pytest.raises(SchemaError, match="no column 'origin'.*kind='present'"):
            function(no_kind)
    with pytest.raises(SchemaError, match="no column 'origin'"):
        gc.flow_lines(no_kind, places)
    mixed = rounds.assign(kind=["present"] * 4 + ["movement"])
    with pytest.raises(SchemaError, match="origin is missing"):
        gc.place_totals(mixed)


def test_maps_figures_and_tables_hold_counts_by_one_rule():
    # two towns in Niger; at Agadez the displaced are counted in January, returnees in
    # February (a count of returnees does not end the displaced's), and in March the
    # displaced are counted again in two rows (parts of one count: they add up)
    from geoconflict.figures._counts import counts_at
    from geoconflict.maps import map_data

    places = gc.make_places(
        ["agadez", "tahoua"], ["Agadez", "Tahoua"], [7.99, 5.27], [16.97, 14.89]
    )
    control = pd.DataFrame(
        {"place_id": ["agadez", "tahoua"], "actor_id": ["army", "army"], "date": "2024-01-01"}
    )
    flows = pd.DataFrame(
        {
            "destination": ["agadez", "agadez", "agadez", "agadez", "tahoua"],
            "people": [5000.0, 800.0, 3000.0, 1500.0, 2000.0],
            "start": pd.to_datetime(
                ["2024-01-10", "2024-02-10", "2024-03-10", "2024-03-10", "2024-01-10"]
            ),
            "kind": ["present"] * 5,
            "category": ["internal", "return", "internal", "internal", "internal"],
        }
    )
    conflict = gc.Conflict(places, pd.DataFrame({"actor_id": ["army"]}), control, flows)
    data = map_data(conflict)
    rings = data["flows"]["rings"]
    steps = pd.DatetimeIndex(data["steps"])
    for day in ["2024-02-15", "2024-03-15"]:
        table = gc.present_counts(flows, day)["people"].to_dict()
        figure = counts_at(conflict, day).groupby("destination")["people"].sum().to_dict()
        k = int(steps.searchsorted(pd.Timestamp(day), side="right")) - 1
        shown = [
            i for i in range(len(rings["place"])) if rings["first"][i] <= k <= rings["last"][i]
        ]
        page: dict[str, float] = {}
        for i in shown:
            name = str(conflict.places.index[rings["place"][i]])
            page[name] = page.get(name, 0.0) + rings["people"][i]
        assert table == figure == page, day
    assert gc.present_counts(flows, "2024-02-15")["people"]["agadez"] == 5800.0
    assert gc.present_counts(flows, "2024-03-15")["people"]["agadez"] == 5300.0
    # the two March rows are one count: one circle of 4,500 on the page, not two
    march = [
        i
        for i in range(len(rings["place"]))
        if rings["first"][i] == int(steps.searchsorted(pd.Timestamp("2024-03-10")))
    ]
    assert [rings["people"][i] for i in march] == [4500.0]
    assert data["flows"]["scale"]["circle_top"] == 5000.0  # the largest count, as the figures
