"""Governorates as places; OCHA / IOM DTM origin -> destination tables named by admin names or
p-codes, resolved against OCHA's COD-AB boundaries (skipped when that data is absent)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import SchemaError
from geoconflict.io.admin import resolve_pcodes

OCHA = Path(__file__).parents[1].parent / "shared" / "data" / "ocha_cod_ab_syr_2020"
ADMIN1 = OCHA / "syr_admin1_simplified.geojson"
ADMIN2 = OCHA / "syr_admin2_simplified.geojson"


@pytest.fixture(scope="module")
def admin1() -> gpd.GeoDataFrame:
    if not ADMIN1.exists():
        pytest.skip(f"OCHA COD-AB data not found at {ADMIN1}")
    return gpd.read_file(ADMIN1)


@pytest.fixture(scope="module")
def governorates(admin1) -> gpd.GeoDataFrame:
    return gc.places_from_admin(admin1, aliases=["adm1_ref_n"])


def test_fourteen_governorates_with_points_inside(admin1, governorates):
    assert len(governorates) == 14
    assert governorates.loc["SY02", ["name", "name_ar", "pcode"]].tolist() == [
        "Aleppo", "حلب", "SY02"]
    inside = shapely.contains(admin1.set_index("adm1_pcode").geometry.loc[
        governorates.index].to_numpy(), governorates.geometry.to_numpy())
    assert inside.all()
    assert governorates.loc["SY12", "aliases"] == "Dara"


@pytest.mark.parametrize("written, pcode", [
    ("Aleppo", "SY02"), ("aleppo", "SY02"), ("SY02", "SY02"), ("sy02", "SY02"),
    ("حلب", "SY02"), ("Idlib", "SY07"), ("Idleb", "SY07"), ("إدلب", "SY07"),
    ("Latakia", "SY06"), ("Hasakah", "SY08"), ("Al-Hasakeh", "SY08"), ("Raqqa", "SY11"),
    ("As-Sweida", "SY13"), ("Sweida", "SY13"), ("Daraa", "SY12"), ("Dar'a", "SY12"),
    ("Rural Damascus", "SY03"), ("ريف دمشق", "SY03"), ("Deir-ez-Zor", "SY09"),
    ("دير الزور", "SY09"), ("Quneitra", "SY14"), ("Tartous", "SY10"),
])
def test_governorate_names_and_pcodes_resolve(governorates, written, pcode):
    assert gc.resolve_places([written], governorates).tolist() == [pcode]
    assert resolve_pcodes([written], governorates).tolist() == [pcode]


def test_a_mistyped_pcode_never_resolves_to_a_similar_one(governorates):
    assert resolve_pcodes(["SY020", "SY15", "SY0200"], governorates).isna().all()


DTM = """\
period,origin_adm1_name,origin_adm1_pcode,destination_adm1_name,destination_adm1_pcode,idp_movements_estimate
2024-12-01,Hama,SY05,Idleb,SY07,16034.6
2024-12-01,Aleppo,SY02,Aleppo,SY02,5200
2024-12-08,حمص,SY04,Tartous,SY10,812.25
2024-12-08,Dar'a,SY12,Rural Damascus,SY03,300
"""


def test_dtm_flows_by_admin_name(tmp_path, governorates):
    path = tmp_path / "dtm_syria_adm1.csv"
    path.write_text(DTM, encoding="utf-8")
    flows = gc.read_flows(path, places=governorates, origin="origin_adm1_name",
                          destination="destination_adm1_name",
                          people="idp_movements_estimate", start="period")
    assert flows[["origin", "destination", "people"]].values.tolist() == [
        ["SY05", "SY07", 16034.6], ["SY02", "SY02", 5200.0], ["SY04", "SY10", 812.25],
        ["SY12", "SY03", 300.0]]
    assert flows["start"].tolist() == pd.to_datetime(["2024-12-01"] * 2 + ["2024-12-08"] * 2
                                                     ).tolist()
    # fractional estimates and flows within one governorate are valid in a conflict
    control = pd.DataFrame({"place_id": governorates.index, "actor_id": "government",
                            "date": "2024-11-26"})
    c = gc.Conflict(governorates, pd.DataFrame({"actor_id": ["government"]}), control, flows)
    totals = c.place_totals()
    assert totals.loc["SY02", "internal"] == 5200.0
    assert totals.loc["SY07", "inflow"] == 16034.6


def test_dtm_flows_by_pcode(tmp_path, governorates):
    path = tmp_path / "dtm_pcodes.csv"
    path.write_text(DTM, encoding="utf-8")
    flows = gc.read_flows(path, places=governorates, origin="origin_adm1_pcode",
                          destination="destination_adm1_pcode",
                          people="idp_movements_estimate", start="period")
    assert flows["origin"].tolist() == ["SY05", "SY02", "SY04", "SY12"]


def test_unknown_pcodes_and_names_are_errors_naming_close_ones(tmp_path, governorates):
    path = tmp_path / "dtm_bad.csv"
    path.write_text("period,from,to,n\n2024-12-01,SY55,Idleb,5\n2024-12-01,Hamma,Idleb,5\n")
    with pytest.raises(SchemaError, match=r"dtm_bad.csv, row 1, column 'origin', value "
                       r"'SY55': unknown place\. Fix: closest known names:") as info:
        gc.read_flows(path, places=governorates, origin="from", destination="to",
                      people="n", start="period")
    assert len(info.value.problems) == 1, "Hamma is a spelling of Hama"


def test_districts_as_places_with_their_governorate():
    if not ADMIN2.exists():
        pytest.skip(f"OCHA COD-AB data not found at {ADMIN2}")
    districts = gc.places_from_admin(gpd.read_file(ADMIN2), id="adm2_pcode",
                                     name="adm2_name", name_ar="adm2_name1",
                                     admin1="adm1_name")
    assert len(districts) == 62
    assert districts.loc["SY0200", "admin1"] == "Aleppo"


def test_missing_columns_are_named():
    areas = gpd.GeoDataFrame({"code": ["X1"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(SchemaError, match=r"table 'admin areas': missing column 'adm1_pcode'; "
                       r"got \['code', 'geometry'\]"):
        gc.places_from_admin(areas)
