"""Excel workbooks wherever a table is read: sheet=, hashtags on any sheet, dates as Excel
stores them, and a clear error without the optional package."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

import geoconflict as gc
from geoconflict.errors import FormatError, MissingDependencyError, OptionError

openpyxl = pytest.importorskip("openpyxl")

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine_2022_2025"
IOM = SHARED / "iom"

# The layout of IOM DTM Ukraine's "idp-estimates-r17_publish.xlsx", sheet "Estimated
# Population" (header, HXL row, a note in a column without a tag), with three of its rows:
# figures as IOM gives them (General Population Survey round 17, 31 Aug 2024).
IOM_HEADER = [
    "Round",
    "Country Name",
    "Country Code",
    "Reported Date",
    "Oblast",
    "Oblast pcode",
    "Estimated de facto IDPs present",
    "Estimated returnee pop. Present",
]
IOM_TAGS = [
    "#meta+round",
    "#country+name",
    "#country+code",
    "#date+reported",
    "#adm1+Name",
    "#adm1+code",
    "#affected+idp+ind",
    "#affected+returnees+ind",
    "* Estimates in Donetska, Zaporizka, Luhanska and Khersonska Oblasts ...",
]
IOM_ROWS = [
    [17, "Ukraine", "UKR", dt.datetime(2024, 8, 31), "Cherkaska", "UA71", 121000, 44000],
    [17, "Ukraine", "UKR", dt.datetime(2024, 8, 31), "Kharkivska", "UA63", 467000, 698000],
    [17, "Ukraine", "UKR", dt.datetime(2024, 8, 31), "Donetska*", "UA14", "n/a", "n/a"],
]


def _iom_workbook(path: Path, *, cover: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if cover:  # a cover sheet without hashtags first
        sheet.title = "Read me"
        sheet.append(["IOM DTM Ukraine: estimated IDPs present"])
        sheet = book.create_sheet("Estimated Population")
    else:
        sheet.title = "Estimated Population"
    sheet.append(IOM_HEADER)
    sheet.append(IOM_TAGS)
    for row in IOM_ROWS:
        sheet.append(row)
    other = book.create_sheet("Top 5 IDP hosting Oblasts")
    other.append(["Top 5 IDP hosting Oblasts", "% of IDPs"])
    other.append(["Kharkivska Oblast", 0.13])
    book.save(path)
    return path


def test_read_hxl_reads_a_workbook_as_present_counts(tmp_path):
    path = _iom_workbook(tmp_path / "idp-estimates-r17.xlsx", cover=True)
    flows, report = gc.read_hxl(path, kind="flows")
    assert flows[["destination", "people", "kind"]].values.tolist() == [
        ["UA71", 121000.0, "present"],
        ["UA63", 467000.0, "present"],
    ]
    assert flows["origin"].isna().all()
    assert str(flows["start"].iloc[0].date()) == "2024-08-31"
    assert any("sheet 'Estimated Population'" in n for n in report.notes)
    assert any("people present" in n for n in report.notes)
    assert report.skipped["row"].tolist() == [4]  # Donetska: 'n/a'
    with pytest.raises(OptionError, match="no sheet 'Population'.*'Estimated Population'"):
        gc.read_hxl(path, kind="flows", sheet="Population")
    with pytest.raises(FormatError, match="no row of HXL hashtags|not a row of HXL hashtags"):
        gc.read_hxl(path, kind="flows", sheet="Read me")


def test_every_table_reader_takes_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    towns = book.active
    towns.title = "towns"
    towns.append(["code", "town", "lon", "lat"])
    towns.append(["kharkiv", "Kharkiv", 36.2311, 49.9925])
    towns.append(["izium", "Izium", 37.2581, 49.2103])
    control = book.create_sheet("control")
    control.append(["place_id", "actor_id", "date"])
    control.append(["izium", "russia", dt.datetime(2022, 4, 1)])
    control.append(["izium", "ukraine", dt.datetime(2022, 9, 10)])
    flows = book.create_sheet("flows")
    flows.append(["origin", "destination", "start", "people"])
    flows.append(["izium", "kharkiv", dt.date(2022, 3, 5), 1500])
    actors = book.create_sheet("actors")
    actors.append(["actor_id", "name", "color"])
    actors.append(["russia", "Russia", "#d62728"])
    path = tmp_path / "ukraine.xlsx"
    book.save(path)
    places = gc.read_places(path, id="code", name="town")
    assert places.loc["izium", "name"] == "Izium"
    records = gc.read_control(path, sheet="control")
    assert records["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-04-01", "2022-09-10"]
    assert gc.read_flows(path, sheet=2)["people"].tolist() == [1500.0]
    assert gc.read_actors(path, sheet="Actors").loc["russia", "color"] == "#d62728"
    with pytest.raises(OptionError, match="sheet=7 but the workbook has 4 sheet"):
        gc.read_flows(path, sheet=7)


def test_read_acled_and_ucdp_take_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "latitude"]
        + ["longitude", "fatalities"]
    )
    sheet.append(
        ["UKR1", dt.datetime(2022, 9, 10), "Battles", "Government regains territory"]
        + ["Military Forces of Ukraine (2019-)", 49.2103, 37.2581, 0]
    )
    path = tmp_path / "acled.xlsx"
    book.save(path)
    events, _ = gc.read_acled(path)
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-09-10"]


def test_workbook_errors_say_what_to_do(tmp_path, monkeypatch):
    path = _iom_workbook(tmp_path / "r17.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(path.read_bytes()[:300])
    with pytest.raises(FormatError, match="not a whole one.*download or export it again"):
        gc.read_flows(broken)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(FormatError, match=r"Excel 97-2003 workbook \(\.xls\).*save it as \.xlsx"):
        gc.read_places(old)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r"geoconflict\[excel\]"):
        gc.read_hxl(path, kind="flows")


@pytest.mark.skipif(not IOM.exists(), reason="needs ../shared/data/ukraine_2022_2025")
def test_iom_rounds_as_published():
    """The four IOM workbooks as published: Kharkivska's count in force, never the sum."""
    frames = [
        gc.read_hxl(IOM / f"idp-estimates-r{r}_publish.xlsx", kind="flows")[0]
        for r in (17, 18, 19, 20)
    ]
    import pandas as pd

    flows = pd.concat(frames, ignore_index=True)
    kharkiv = flows[flows["destination"] == "UA63"].sort_values("start")
    # IOM: 467,000 (r17) ... 463,000 (r20) IDPs present in Kharkivska
    assert kharkiv["people"].iloc[0] == 467000.0 and kharkiv["people"].iloc[-1] == 463000.0
    totals = gc.place_totals(flows)
    assert totals.loc["UA63", "present"] == 463000.0
    assert totals.loc["UA63", "inflow"] == 0.0
