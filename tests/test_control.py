"""Control over time: at a date, changes, periods; unknown before the first record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc


def test_control_at_one_date(control):
    at = gc.control_at(control, "2024-12-05")
    assert at["actor_id"].to_dict() == {
        "a": "gov",
        "b": "reb",
        "c": "reb",
        "d": "gov",
        "e": "gov",
        "f": "reb",
    }
    assert at.loc["b", "since"] == pd.Timestamp("2024-12-05")
    assert at.loc["a", "status"] == "held"


def test_record_is_in_force_on_its_own_date(control):
    assert gc.control_at(control, "2024-12-04").loc["b", "actor_id"] == "gov"
    assert gc.control_at(control, "2024-12-05").loc["b", "actor_id"] == "reb"
    assert gc.control_at(control, "2024-12-04T23:59").loc["b", "actor_id"] == "gov"


def test_timezone_aware_when_is_utc(control):
    # 02:00 in Damascus (UTC+3) on the 5th is 23:00 UTC on the 4th
    assert gc.control_at(control, "2024-12-05T02:00+03:00").loc["b", "actor_id"] == "gov"


def test_unknown_before_first_record(control):
    at = gc.control_at(control, "2024-11-30")
    assert at["actor_id"].isna().all()
    assert at["since"].isna().all()


def test_control_at_several_dates_gives_a_column_per_date(control):
    dates = ["2024-11-30", "2024-12-04", "2024-12-05"]
    table = gc.control_at(control, dates)
    assert list(table.columns) == list(pd.to_datetime(dates))
    assert table.loc["b"].tolist()[1:] == ["gov", "reb"]
    assert pd.isna(table.loc["b"].iloc[0])


def test_control_at_reports_requested_places(control):
    at = gc.control_at(control, "2024-12-05", places=["f", "zz", "a"])
    assert at.index.tolist() == ["f", "zz", "a"]
    assert at["actor_id"].tolist()[0] == "reb"
    assert pd.isna(at.loc["zz", "actor_id"])


def test_bad_when(control):
    with pytest.raises(gc.GeoconflictError, match=r"when: could not read 'soon' as a date"):
        gc.control_at(control, "soon")


def test_control_codes_matrix(control):
    codes, places, actors = gc.control_codes(control, ["2024-11-01", "2024-12-05"])
    assert list(actors) == ["gov", "reb"]
    assert codes.shape == (6, 2)
    assert (codes[:, 0] == -1).all()
    assert codes[list(places).index("b"), 1] == 1


def test_control_changes(control):
    changes = gc.control_changes(control)
    assert changes[["place_id", "from_actor", "to_actor"]].values.tolist() == [["b", "gov", "reb"]]
    assert changes["date"].iloc[0] == pd.Timestamp("2024-12-05")
    assert changes["source"].iloc[0] == "https://example.org/report"
    assert gc.control_changes(control, start="2024-12-06").empty
    assert gc.control_changes(control, end="2024-12-04").empty
    assert len(gc.control_changes(control, start="2024-12-05", end="2024-12-05")) == 1


def test_control_periods(control):
    periods = gc.control_periods(control)
    b = periods[periods["place_id"] == "b"]
    assert b[["actor_id", "start", "end"]].values.tolist() == [
        ["gov", pd.Timestamp("2024-12-01"), pd.Timestamp("2024-12-05")],
        ["reb", pd.Timestamp("2024-12-05"), pd.NaT],
    ]
    assert len(periods) == 7


def test_status_change_is_a_new_period_not_a_change_of_hands():
    control = pd.DataFrame(
        {
            "place_id": ["x", "x", "x"],
            "actor_id": ["gov", "gov", "reb"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09"]),
            "status": ["held", "contested", "held"],
            "contested_by": [None, "reb", None],
        }
    )
    assert len(gc.control_periods(control)) == 3
    assert gc.control_changes(control)["to_actor"].tolist() == ["reb"]
    at = gc.control_at(control, "2024-01-06")
    assert (at.loc["x", "status"], at.loc["x", "contested_by"]) == ("contested", "reb")


def _slow_control_at(records, place, when):
    """Reference: the latest record of that place on or before ``when``."""
    best = None
    for p, actor, date in records:
        if p == place and date <= when and (best is None or date >= best[1]):
            best = (actor, date)
    return None if best is None else best[0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("pqrs"), st.sampled_from(["u", "v", "w"]), st.integers(0, 40)),
        min_size=1,
        max_size=30,
        unique_by=lambda r: (r[0], r[2]),
    ),
    st.lists(st.integers(-5, 45), min_size=1, max_size=6),
)
def test_control_at_agrees_with_slow_reference(records, days):
    base = pd.Timestamp("2024-01-01")
    table = pd.DataFrame(
        [(p, a, base + pd.Timedelta(days=d)) for p, a, d in records],
        columns=["place_id", "actor_id", "date"],
    )
    dates = [base + pd.Timedelta(days=d) for d in days]
    got = gc.control_at(table, dates, places=list("pqrs"))
    for j, when in enumerate(dates):
        for place in "pqrs":
            expected = _slow_control_at(
                [(p, a, base + pd.Timedelta(days=d)) for p, a, d in records], place, when
            )
            value = got.loc[place].iloc[j]
            assert (pd.isna(value) and expected is None) or value == expected


def test_vectorised_over_many_places_and_dates():
    rng = np.random.default_rng(1)
    n = 5000
    table = pd.DataFrame(
        {
            "place_id": rng.integers(0, 500, n).astype(str),
            "actor_id": rng.choice(["u", "v"], n),
            "date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        }
    )
    table = table.drop_duplicates(["place_id", "date"])
    dates = pd.date_range("2024-01-01", periods=365)
    wide = gc.control_at(table, dates)
    day = dates[200]
    plain = table[table["date"] <= day].sort_values("date").groupby("place_id")["actor_id"].last()
    assert (
        wide[day]
        .dropna()
        .astype(str)
        .sort_index()
        .equals(plain.sort_index().astype(str).rename(day))
    )


def test_control_at_with_no_records_gives_every_place_missing():
    """A conflict whose control table is empty (hypothesis drew one): no IndexError, each
    place asked for is there with every column missing, as before its first record."""
    empty = pd.DataFrame({"place_id": [], "actor_id": [], "date": []})
    out = gc.control_at(empty, "2024-03-01", places=["p0", "p1"])
    assert out.index.tolist() == ["p0", "p1"]
    assert out[["actor_id", "status", "contested_by"]].isna().all().all()
    assert out["since"].isna().all()
    one = pd.DataFrame({"place_id": ["p0"], "actor_id": ["red"], "date": ["2024-03-02"]})
    before = gc.control_at(one, "2024-03-01", places=["p0", "p1"])
    assert before.dtypes.to_dict() == out.dtypes.to_dict()


def test_a_conflict_keeps_its_sorted_records_and_lets_them_go_with_it():
    """The land of each date asks for the conflict's records sorted: they are sorted once,
    kept read-only with the conflict, and do not keep it alive; a conflict with other
    records (``dataclasses.replace``) gets its own."""
    import dataclasses
    import gc as garbage
    import weakref

    from conftest import make_actors, make_control, make_places

    from geoconflict.territory._holders import place_codes, record_codes

    conflict = gc.Conflict(make_places(), make_actors(), make_control())
    index, codes = record_codes(conflict)
    assert record_codes(conflict)[0] is index and record_codes(conflict)[1] is codes
    assert record_codes(conflict, stated=False)[0] is not index
    with pytest.raises(ValueError, match="read-only"):
        codes[0] = 0
    day = pd.DatetimeIndex(["2024-12-05"])
    before = place_codes(conflict, conflict.places.index, day)
    later = make_control()
    later["date"] = pd.to_datetime(later["date"]) + pd.Timedelta(days=400)
    moved = dataclasses.replace(conflict, control=later)
    assert record_codes(moved)[0] is not index
    assert (place_codes(moved, moved.places.index, day) == -1).all()  # nothing yet in force
    assert (place_codes(conflict, conflict.places.index, day) == before).all()
    held = weakref.ref(conflict)
    del conflict, index, codes
    garbage.collect()
    assert held() is None
