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
        "Aleppo",
        "حلب",
        "SY02",
    ]
    inside = shapely.contains(
        admin1.set_index("adm1_pcode").geometry.loc[governorates.index].to_numpy(),
        governorates.geometry.to_numpy(),
    )
    assert inside.all()
    assert governorates.loc["SY12", "aliases"] == "Dara"


@pytest.mark.parametrize(
    "written, pcode",
    [
        ("Aleppo", "SY02"),
        ("aleppo", "SY02"),
        ("SY02", "SY02"),
        ("sy02", "SY02"),
        ("حلب", "SY02"),
        ("Idlib", "SY07"),
        ("Idleb", "SY07"),
        ("إدلب", "SY07"),
        ("Latakia", "SY06"),
        ("Hasakah", "SY08"),
        ("Al-Hasakeh", "SY08"),
        ("Raqqa", "SY11"),
        ("As-Sweida", "SY13"),
        ("Sweida", "SY13"),
        ("Daraa", "SY12"),
        ("Dar'a", "SY12"),
        ("Rural Damascus", "SY03"),
        ("ريف دمشق", "SY03"),
        ("Deir-ez-Zor", "SY09"),
        ("دير الزور", "SY09"),
        ("Quneitra", "SY14"),
        ("Tartous", "SY10"),
    ],
)
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
    flows = gc.read_flows(
        path,
        places=governorates,
        origin="origin_adm1_name",
        destination="destination_adm1_name",
        people="idp_movements_estimate",
        start="period",
    )
    assert flows[["origin", "destination", "people"]].values.tolist() == [
        ["SY05", "SY07", 16034.6],
        ["SY02", "SY02", 5200.0],
        ["SY04", "SY10", 812.25],
        ["SY12", "SY03", 300.0],
    ]
    assert (
        flows["start"].tolist() == pd.to_datetime(["2024-12-01"] * 2 + ["2024-12-08"] * 2).tolist()
    )
    # fractional estimates and flows within one governorate are valid in a conflict
    control = pd.DataFrame(
        {"place_id": governorates.index, "actor_id": "government", "date": "2024-11-26"}
    )
    c = gc.Conflict(governorates, pd.DataFrame({"actor_id": ["government"]}), control, flows)
    totals = c.place_totals()
    assert totals.loc["SY02", "internal"] == 5200.0
    assert totals.loc["SY07", "inflow"] == 16034.6


def test_dtm_flows_by_pcode(tmp_path, governorates):
    path = tmp_path / "dtm_pcodes.csv"
    path.write_text(DTM, encoding="utf-8")
    flows = gc.read_flows(
        path,
        places=governorates,
        origin="origin_adm1_pcode",
        destination="destination_adm1_pcode",
        people="idp_movements_estimate",
        start="period",
    )
    assert flows["origin"].tolist() == ["SY05", "SY02", "SY04", "SY12"]


def test_unknown_pcodes_and_names_are_errors_naming_close_ones(tmp_path, governorates):
    path = tmp_path / "dtm_bad.csv"
    path.write_text("period,from,to,n\n2024-12-01,SY55,Idleb,5\n2024-12-01,Hamma,Idleb,5\n")
    with pytest.raises(
        SchemaError,
        match=r"dtm_bad.csv, row 1, column 'origin', value "
        r"'SY55': unknown place\. Fix: closest known names:",
    ) as info:
        gc.read_flows(
            path, places=governorates, origin="from", destination="to", people="n", start="period"
        )
    assert len(info.value.problems) == 1, "Hamma is a spelling of Hama"


def test_districts_as_places_with_their_governorate():
    if not ADMIN2.exists():
        pytest.skip(f"OCHA COD-AB data not found at {ADMIN2}")
    districts = gc.places_from_admin(
        gpd.read_file(ADMIN2),
        id="adm2_pcode",
        name="adm2_name",
        name_ar="adm2_name1",
        admin1="adm1_name",
    )
    assert len(districts) == 62
    assert districts.loc["SY0200", "admin1"] == "Aleppo"


def test_missing_columns_are_named():
    areas = gpd.GeoDataFrame({"code": ["X1"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(
        SchemaError,
        match=r"table 'admin areas': no id and name columns recognised .*columns: \['code'\]\. "
        r"Fix: pass id='<code column>' and name='<name column>'",
    ):
        gc.places_from_admin(areas)


ADMIN3 = OCHA / "syr_admin3_simplified.geojson"


@pytest.fixture(scope="module")
def admin3_path() -> Path:
    if not ADMIN3.exists():
        pytest.skip(f"OCHA COD-AB data not found at {ADMIN3}")
    return ADMIN3


def test_sub_districts_from_the_ocha_file_are_polygon_places(admin3_path):
    units = gc.places_from_admin(admin3_path)
    raw = gpd.read_file(admin3_path)
    assert len(units) == 272 == raw["adm3_pcode"].nunique()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    row = units.loc["SY070500"]  # Ariha, Idleb
    assert [row["name"], row["name_ar"], row["admin1"], row["admin2"], row["level"]] == [
        "Ariha",
        raw.set_index("adm3_pcode").loc["SY070500", "adm3_name1"],
        "Idleb",
        "Ariha",
        "admin3",
    ]
    assert units.geometry.loc["SY070500"].equals(
        raw.set_index("adm3_pcode").geometry.loc["SY070500"]
    )
    assert gc.resolve_places(["SY070500", "ariha"], units).tolist()[0] == "SY070500"
    assert gc.check_coverage(units, warn=False).query("kind == 'overlap'").empty


@pytest.mark.parametrize("suffix, driver", [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile")])
def test_the_same_layer_from_a_geopackage_or_a_shapefile(admin3_path, tmp_path, suffix, driver):
    path = tmp_path / f"admin3{suffix}"
    layer = gpd.read_file(admin3_path).drop(columns=["valid_on", "valid_to"])
    layer.to_file(path, driver=driver)
    units = gc.places_from_admin(path)
    assert len(units) == 272
    assert units.loc["SY020206", "name"] == "A'rima"


def test_simplified_as_a_coverage_stays_a_coverage_and_gets_smaller(admin3_path):
    full = gc.places_from_admin(admin3_path)
    small = gc.places_from_admin(admin3_path, simplify_km=2)
    vertices = shapely.get_num_coordinates(small.geometry.to_numpy()).sum()
    assert vertices < 0.6 * shapely.get_num_coordinates(full.geometry.to_numpy()).sum()
    assert shapely.coverage_is_valid(small.geometry.to_numpy())
    assert shapely.area(small.geometry.to_numpy()).sum() == pytest.approx(
        shapely.area(full.geometry.to_numpy()).sum(), rel=0.01
    )


def test_a_geoboundaries_style_layer_needs_no_options():
    # geoBoundaries' column names (shapeName, shapeISO, shapeID, shapeGroup, shapeType)
    layer = gpd.GeoDataFrame(
        {
            "shapeName": ["North", "South"],
            "shapeISO": ["", ""],
            "shapeID": ["SYR-ADM1-1", "SYR-ADM1-2"],
            "shapeGroup": ["SYR", "SYR"],
            "shapeType": ["ADM1", "ADM1"],
        },
        geometry=[shapely.box(36, 35, 37, 36), shapely.box(36, 34, 37, 35)],
        crs=4326,
    )
    units = gc.places_from_admin(layer)
    assert units.index.tolist() == ["SYR-ADM1-1", "SYR-ADM1-2"]
    assert units["level"].tolist() == ["admin1", "admin1"]


def test_a_bow_tie_is_repaired_and_reported():
    bow_tie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    layer = gpd.GeoDataFrame(
        {"adm1_pcode": ["X1", "X2"], "adm1_name": ["Tie", "Box"]},
        geometry=[bow_tie, shapely.box(1, 0, 2, 1)],
        crs=4326,
    )
    with pytest.warns(
        gc.DataWarning,
        match=r"1 invalid polygon\(s\) repaired with "
        r"shapely.make_valid: 'X1' \(Self-intersection\[0\.5 0\.5\]\)",
    ):
        units = gc.places_from_admin(layer)
    assert units.geometry.loc["X1"].is_valid
    assert units.geometry.loc["X1"].area == pytest.approx(0.5)


def test_a_point_layer_or_an_empty_file_is_refused(tmp_path):
    towns = gpd.GeoDataFrame(
        {"adm1_pcode": ["C1"], "adm1_name": ["Town"]}, geometry=[shapely.Point(36, 35)], crs=4326
    )
    with pytest.raises(
        gc.FormatError,
        match=r"the layer holds Points, not areas.*Fix: pass "
        r"an admin boundary layer; for towns use geoconflict.read_places",
    ):
        gc.places_from_admin(towns)
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(gc.FormatError, match=r"empty.geojson: the layer holds no features"):
        gc.places_from_admin(empty)
    with pytest.raises(gc.FormatError, match=r"missing.gpkg: no such file. Fix: check the path"):
        gc.places_from_admin(tmp_path / "missing.gpkg")


def test_empty_geometry_is_named():
    layer = gpd.GeoDataFrame(
        {"adm1_pcode": ["X1", "X2"], "adm1_name": ["A", "B"]},
        geometry=[shapely.Polygon(), shapely.box(0, 0, 1, 1)],
        crs=4326,
    )
    with pytest.raises(SchemaError, match=r"row 1, column 'geometry'.*geometry is empty"):
        gc.places_from_admin(layer)
