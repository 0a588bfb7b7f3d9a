"""Dates as people save them: Excel's d-Mon-yy, and day/month order decided per column."""

from __future__ import annotations

import warnings

import pytest

import geoconflict as gc
from geoconflict.errors import DataWarning

HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,actor1,latitude,longitude,fatalities\n"
)


def _acled(tmp_path, dates, name="acled.csv"):
    rows = [
        f"BGD{i},{d},Protests,Peaceful protest,Protesters (Bangladesh),23.81,90.41,0\n"
        for i, d in enumerate(dates, 1)
    ]
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_excel_day_month_year_forms_are_read(tmp_path):
    # how Excel writes ACLED's "05 August 2024" after a re-save: 5-Aug-24, 05-Aug-2024
    path = _acled(tmp_path, ["5-Aug-24", "04-Aug-2024", "31-Jul-24", "1-Jan-20"])
    events, report = gc.read_acled(path)
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-08-05",
        "2024-08-04",
        "2024-07-31",
        "2020-01-01",
    ]
    assert report.rows_kept == 4


def test_month_first_column_whose_days_never_pass_12_is_read_month_first(tmp_path):
    # a US-style export sorted by date: 4/12/2022 down to 4/1/2022 (12 to 1 April)
    dates = [f"4/{d}/2022" for d in range(12, 0, -1)]
    events, report = gc.read_acled(_acled(tmp_path, dates))
    assert events["date"].dt.strftime("%m-%d").tolist() == [
        f"04-{d:02d}" for d in range(12, 0, -1)
    ]
    assert any("month first" in n and "like a day" in n for n in report.notes)
    # day first said explicitly: the same text is read as 4 December ... 4 January
    events, _ = gc.read_acled(_acled(tmp_path, dates), dayfirst=True)
    assert events["date"].dt.strftime("%m-%d").iloc[0] == "12-04"


def test_undecidable_order_warns_naming_the_column_and_dayfirst_settles_it(tmp_path):
    path = _acled(tmp_path, ["04/05/2022", "05/04/2022"])
    with pytest.warns(DataWarning, match=r"column 'event_date'.*dayfirst=False"):
        events, _ = gc.read_acled(path)
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-05-04", "2022-04-05"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        events, _ = gc.read_acled(path, dayfirst=False)
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-04-05", "2022-05-04"]


def test_a_read_that_keeps_no_row_warns_with_the_first_reasons(tmp_path):
    path = _acled(tmp_path, ["sometime", "later"])
    with pytest.warns(
        DataWarning, match=r"none of its 2 rows was kept as events; first reasons: "
    ):
        events, report = gc.read_acled(path)
    assert len(events) == 0 and report.rows_read == 2
