"""HXL-tagged CSV: tags mapped to flows or places; malformed rows reported."""

from __future__ import annotations

import pandas as pd
import pytest

import geoconflict as gc
from geoconflict.errors import FormatError, SchemaError

DTM = """\
Origin governorate,Origin p-code,Current governorate,Current p-code,IDPs (individuals),IDP households,Reporting date,Source
#adm1+name+origin,#adm1+pcode+origin,#adm1+name,#adm1+pcode,#affected+idps+ind,#affected+idps+hh,#date+reported,#meta+source
Hama,SY05,Idleb,SY07,16034.6,3200,2024-12-05,DTM round 1
Hama,SY05,Hama,SY05,120,24,2024-12-05,DTM round 1
Homs,SY04,Idleb,SY07,,,2024-12-05,DTM round 1
Homs,SY04,Idleb,SY99,50,10,2024-12-06,DTM round 1
Homs,SY04,Idleb,SY07,0,0,2024-12-06,DTM round 1
Homs,SY04,Idleb,SY07,40,8,6 Dec,DTM round 1
Aleppo,SY02,,,40,8,2024-12-06,DTM round 1
"""  # noqa: E501


@pytest.fixture
def governorates():
    return gc.make_places(
        ["SY02", "SY04", "SY05", "SY07"],
        ["Aleppo", "Homs", "Hama", "Idleb"],
        [37.2, 37.9, 37.3, 36.6],
        [36.2, 34.5, 35.3, 35.8],
        pcode=["SY02", "SY04", "SY05", "SY07"],
        name_ar=["حلب", "حمص", "حماة", "إدلب"],
    )


def test_dtm_flows_by_pcode_with_every_bad_row_reported(tmp_path, governorates):
    path = tmp_path / "dtm.csv"
    path.write_text(DTM, encoding="utf-8")
    flows, report = gc.read_hxl(path, places=governorates)
    assert flows[["origin", "destination", "people", "unit"]].values.tolist() == [
        ["SY05", "SY07", 16034.6, "people"],
        ["SY05", "SY05", 120.0, "people"],
        ["SY04", "SY07", 50.0, "people"],  # code SY99 unknown: found by its name, Idleb
    ]
    assert flows["start"].tolist() == [pd.Timestamp("2024-12-05")] * 2 + [
        pd.Timestamp("2024-12-06")
    ]
    assert flows["source"].tolist() == ["DTM round 1"] * 3
    assert flows["affected_hh_idps"].tolist() == ["3200", "24", "10"], "other tags kept"
    assert report.table == "flows" and report.rows_read == 7
    assert report.skipped[["row", "column", "value", "reason"]].values.tolist() == [
        [4, "IDPs (individuals)", None, "people is missing"],
        [6, "IDPs (individuals)", "0", "no one moved (people is 0)"],
        [7, "Reporting date", "6 Dec", "not a date (expected e.g. 2024-12-05)"],
        [8, "Current p-code", None, "destination is missing"],
    ]
    assert "#adm1+pcode+origin -> origin" in str(report)
    rescued = report.entries[report.entries["row"] == 5].iloc[0]
    assert (rescued["value"], rescued["action"]) == ("SY99 (name Idleb)", "kept")
    assert rescued["reason"] == (
        "code matches no place; the place was found by its name in 'Current governorate'"
    )


def test_names_are_used_when_codes_are_absent_and_resolved(tmp_path, governorates):
    path = tmp_path / "names.csv"
    path.write_text(
        "From,To,People,Date\n"
        "#adm1+name+origin,#adm1+name+dest,#affected+displaced,#date\n"
        "Hamah,إدلب,10,2024-12-05\n"
        "Homz,Idlib,5,2024-12-05\n",
        encoding="utf-8",
    )
    flows, report = gc.read_hxl(path, places=governorates)
    assert flows[["origin", "destination"]].values.tolist() == [["SY05", "SY07"]]
    assert report.skipped[["row", "value"]].values.tolist() == [[3, "Homz"]]
    assert report.skipped["reason"].iloc[0].startswith("unknown place (closest known: 'Homs'")


def test_without_places_the_values_become_ids(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(
        "#adm1+pcode+origin,#adm1+pcode,#affected+idps,#date\nSY05,SY07,10,2024-12-05\n"
    )
    flows, _ = gc.read_hxl(path)
    assert flows[["origin", "destination", "people"]].values.tolist() == [["SY05", "SY07", 10.0]]


def test_households_need_a_household_size(tmp_path):
    path = tmp_path / "hh.csv"
    path.write_text(
        "#adm1+name+origin,#adm1+name,#affected+idps+hh,#date\nHama,Idleb,10,2024-12-05\n"
    )
    with pytest.raises(
        SchemaError,
        match=r"hh.csv: counts are in households "
        r"\(#affected\+idps\+hh\) and no household size was given\. Fix: pass "
        r"household_size=",
    ):
        gc.read_hxl(path)
    flows, _ = gc.read_hxl(path, household_size=5.0)
    assert flows[["people", "households"]].values.tolist() == [[50.0, 10.0]]


def test_a_level_picks_among_location_tags(tmp_path, governorates):
    path = tmp_path / "levels.csv"
    path.write_text(
        "#adm1+name+origin,#adm2+name+origin,#adm1+name,#adm2+name,#affected+idps,"
        "#date\n"
        "Hama,Mhardeh,Idleb,Harim,10,2024-12-05\n"
    )
    flows, _ = gc.read_hxl(path, level="adm1", places=governorates)
    assert flows[["origin", "destination"]].values.tolist() == [["SY05", "SY07"]]
    finest, _ = gc.read_hxl(path)
    assert finest[["origin", "destination"]].values.tolist() == [["Mhardeh", "Harim"]]


def test_places_with_coordinates(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "Site,Site (Arabic),Code,Governorate,Lat,Lon,Population,IDPs,Date,Agency\n"
        "#loc+name,#loc+name+i_ar,#loc+code,#adm1+name,#geo+lat,#geo+lon,#population,"
        "#affected+idps+ind,#date+reported,#org+name\n"
        "Atmeh camp,مخيم أطمة,C6464,Idleb,36.21,36.68,60000,60000,2024-12-05,CCCM\n"
        "Sarmada,سرمدا,C4133,Idleb,36.18,36.72,n/a,1200,2024-12-05,CCCM\n"
        "Nowhere,,C0000,Idleb,,,5,5,2024-12-05,CCCM\n"
        "Atmeh again,,C6464,Idleb,36.21,36.68,1,1,2024-12-05,CCCM\n",
        encoding="utf-8",
    )
    places, report = gc.read_hxl(path)
    assert list(places.index) == ["C6464", "C4133"]
    assert places.loc["C6464", "name_ar"] == "مخيم أطمة"
    assert places.loc["C6464", "pcode"] == "C6464" and places.loc["C6464", "admin1"] == "Idleb"
    assert places["idps"].tolist() == [60000.0, 1200.0]
    assert places["population"].isna().tolist() == [False, True]
    assert places["org_name"].tolist() == ["CCCM", "CCCM"]
    assert places.geometry.iloc[0].coords[0] == (36.68, 36.21)
    assert report.table == "places"
    assert report.entries[["row", "reason", "action"]].values.tolist() == [
        [3, "population is not a number; left missing", "kept"],
        [4, "coordinates are missing", "skipped"],
        [5, "repeats an earlier row's place (the first row is kept)", "skipped"],
    ]


def test_places_take_their_location_from_a_places_table(tmp_path, governorates):
    path = tmp_path / "stock.csv"
    path.write_text("#adm1+pcode,#adm1+name,#affected+idps\nSY07,Idleb,1000\nSY42,Atlantis,3\n")
    places, report = gc.read_hxl(path, places=governorates)
    assert list(places.index) == ["SY07"] and places.loc["SY07", "idps"] == 1000.0
    assert places.geometry.iloc[0].equals(governorates.geometry.loc["SY07"])
    assert report.skipped_rows == [2], "the tag row is the header: data rows count from 1"


def test_tags_in_the_header_row_itself(tmp_path):
    path = tmp_path / "tags_only.csv"
    path.write_text("#loc+name,#geo+lat,#geo+lon\nHama,35.13,36.75\n")
    places, report = gc.read_hxl(path)
    assert places.loc["Hama", "name"] == "Hama" and report.rows_kept == 1


# ------------------------------------------------------------------------ error messages


def test_a_csv_without_hashtags(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("name,lat,lon\nHama,35.1,36.7\n")
    with pytest.raises(
        FormatError,
        match=r"plain.csv: row 2 is not a row of HXL hashtags "
        r"\(got 'Hama', '35.1', '36.7'\)\. Fix: pass an HXL-tagged CSV",
    ):
        gc.read_hxl(path)


def test_flows_without_the_tags_they_need(tmp_path):
    path = tmp_path / "partial.csv"
    path.write_text("#adm1+name+origin,#adm1+name\nHama,Idleb\n")
    with pytest.raises(
        SchemaError,
        match=r"partial.csv: no hashtag for \['people', 'start'\] "
        r".*Fix: tag the columns, e.g. #affected\+idps, #date",
    ):
        gc.read_hxl(path)


def test_places_without_location_or_coordinates(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("#org+name,#sector\nCCCM,Shelter\n")
    with pytest.raises(
        SchemaError,
        match=r"orgs.csv: no location hashtag .*Fix: tag the "
        r"place column, e.g. #loc\+name",
    ):
        gc.read_hxl(path)
    path.write_text("#loc+name,#population\nHama,5\n")
    with pytest.raises(
        SchemaError,
        match=r"places need coordinates: no #geo\+lat / #geo\+lon "
        r"tags .*Fix: add them, or pass places=",
    ):
        gc.read_hxl(path)


def test_bad_options(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("#loc+name,#geo+lat,#geo+lon\nHama,35.13,36.75\n")
    with pytest.raises(ValueError, match=r"kind must be 'auto', 'flows' or 'places', got 'x'"):
        gc.read_hxl(path, kind="x")
    with pytest.raises(
        ValueError,
        match=r"level must be one of \['loc', 'adm5', 'adm4', "
        r"'adm3', 'adm2', 'adm1'\], got 'adm9'",
    ):
        gc.read_hxl(path, level="adm9")
