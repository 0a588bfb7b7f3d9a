"""Checks on the bundled example ``geoconflict/_data/syria_2024`` and its 26 Nov baseline.

Plain pandas/shapely only, so these tests do not depend on the library core. The holder
of a town is its own last record on or before the day, or else the record of the smallest
polygon place that contains it (finer polygons beat coarser ones).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

ROOT = Path(__file__).parents[1]
DATA = ROOT / "geoconflict" / "_data" / "syria_2024"
SOURCES = ROOT / "data" / "sources"
SCRIPT = ROOT / "data" / "build_syria_2024.py"
BASELINE = "2024-11-26"
FILES = [
    "places.csv",
    "actors.csv",
    "control.csv",
    "boundary.geojson",
    "context.geojson",
    "datapackage.json",
]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: Town ids of the earlier, town-only example: users' code may name them.
OLD_TOWN_IDS = [
    "abu-kamal",
    "afrin",
    "al-bab",
    "al-dana",
    "al-malikiyah",
    "aleppo",
    "amuda",
    "ariha",
    "atarib",
    "azaz",
    "damascus",
    "daraa",
    "deir-ez-zor",
    "halfaya",
    "hama",
    "harem",
    "hasakah",
    "homs",
    "idlib",
    "jarabulus",
    "jisr-al-shughur",
    "kafr-takharim",
    "khan-shaykhun",
    "khanaser",
    "kobani",
    "latakia",
    "maarat-al-numan",
    "maarrat-misrin",
    "manbij",
    "palmyra",
    "qamishli",
    "raqqa",
    "ras-al-ayn",
    "salamiyah",
    "salqin",
    "saraqib",
    "sayyida-zaynab",
    "suran",
    "suwayda",
    "tabqa",
    "tal-abyad",
    "tal-rifaat",
    "tartus",
    "taybat-al-imam",
]
#: Places the issue and the facts name, under the ids the example gives them.
NAMED = [
    "tal-rifaat",
    "manbij",
    "safira",
    "tadef",
    "maarat-al-numan",
    "saraqib",
    "sarmada",
    "rastan",
    "talbiseh",
    "qusayr",
    "salamiyah",
    "palmyra",
    "al-tanf",
    "sukhnah",
    "qaryatayn",
    "abu-kamal",
    "mayadin",
    "quneitra",
    "izra",
    "nawa",
    "busra-al-sham",
    "jableh",
    "baniyas",
    "qardaha",
    "nubl",
    "zahraa",
    "kuweires",
    "deir-hafer",
    "maardis",
    "anjara",
    "qubtan-al-jabal",
    "basratoun",
    "kafr-basin",
    "dadikh",
    "kafr-batikh",
    "sheikh-maqsoud",
    "hasakah-security-square",
    "qamishli-security-square",
]


def read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def places():
    frame = read("places.csv")
    is_poly = frame.wkt != ""
    geoms = np.empty(len(frame), dtype=object)
    geoms[is_poly.to_numpy()] = shapely.from_wkt(frame.wkt[is_poly].to_numpy())
    geoms[~is_poly.to_numpy()] = shapely.points(
        frame.lon[~is_poly].astype(float), frame.lat[~is_poly].astype(float)
    )
    return frame.assign(geometry=geoms).set_index("place_id")


@pytest.fixture(scope="module")
def control():
    return read("control.csv")


def record(control, place_id, day):
    rows = control[(control.place_id == place_id) & (control.date <= day)]
    return None if rows.empty else rows.sort_values("date").iloc[-1]


def holder(places, control, place_id, day=BASELINE):
    """The place's own record, else the record of the smallest polygon containing it."""
    own = record(control, place_id, day)
    if own is not None:
        return own.actor_id
    point = places.loc[place_id, "geometry"]
    polys = places[places.wkt != ""]
    inside = polys[shapely.contains(polys.geometry.to_numpy().astype(object), point)]
    areas = shapely.area(inside.geometry.to_numpy().astype(object))
    for place in inside.index[np.argsort(areas)]:
        found = record(control, place, day)
        if found is not None:
            return found.actor_id
    return None


def test_places_table_layout(places):
    assert list(read("places.csv").columns) == [
        "place_id",
        "name",
        "name_ar",
        "aliases",
        "level",
        "level_name",
        "level_name_ar",
        "pcode",
        "admin1",
        "admin2",
        "admin3",
        "governorate",
        "district",
        "seat",
        "population",
        "population_source",
        "lon",
        "lat",
        "wkt",
        "source",
        "note",
    ]
    assert places.index.is_unique
    pcode_ids = r"SY(\d{2}){0,3}(-[a-z0-9]+)*"  # SY, SY02, SY0204, SY020400, SY090100-e
    assert places.index.to_series().str.fullmatch(SLUG + "|" + pcode_ids).all()
    assert (
        {"admin3", "part", "zone", "town"}
        <= set(places.level)
        <= {"admin0", "admin1", "region", "admin3", "part", "zone", "town"}
    )
    assert (places.name != "").all() and (places.name_ar != "").all()
    assert (places.source != "").all()


def test_the_272_sub_districts_form_a_valid_coverage(places):
    admin3 = places[places.level == "admin3"]
    assert len(admin3) == 272
    assert admin3.index.str.fullmatch(r"SY\d{6}").all()
    assert (admin3.index == admin3.pcode).all()
    assert admin3.governorate.nunique() == 14 and admin3.admin2.nunique() == 62
    geoms = admin3.geometry.to_numpy().astype(object)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    assert admin3.governorate["SY070000"] == "Idleb"
    assert admin3.name_ar["SY020000"] == "مركز جبل سمعان"


def test_cut_pieces_lie_inside_their_parent(places):
    pieces = places[places.level == "part"]
    assert len(pieces) >= 20
    for place_id, piece in pieces.iterrows():
        parent = places.loc[place_id.split("-")[0], "geometry"]
        outside = shapely.area(shapely.difference(piece.geometry, parent))
        assert outside < 1e-6 * shapely.area(piece.geometry) + 1e-9, place_id
    halves = places.loc[["SY090100-e", "SY090100-w", "SY090100-wd"], "geometry"].to_numpy()
    parent = places.loc["SY090100", "geometry"]
    assert shapely.area(shapely.intersection_all(halves)) < 1e-9
    assert shapely.area(shapely.union_all(halves)) == pytest.approx(shapely.area(parent), rel=1e-6)


def _parts(places, parent):
    return places[(places.level == "part") & places.index.str.startswith(parent + "-")]


def test_units_without_records_are_cut_wholly_into_parts(places, control):
    """A sub-district carries no record of its own exactly when its parts cover it: its parts
    hold all of its land, so a state of its own would show only in tables (a parent listed
    as government-held on 9 Dec, holding nothing)."""
    reporting_areas = places.level.isin(["admin0", "admin1", "region"])
    polygons = places[(places.wkt != "") & ~reporting_areas]
    without = sorted(set(polygons.index) - set(control.place_id))
    assert without == ["SY090100", "SY140000", "SY140200"]
    for parent in polygons.index[polygons.level == "admin3"]:
        parts = _parts(places, parent).geometry.to_numpy().astype(object)
        if parts.size == 0:
            continue
        geom = places.loc[parent, "geometry"]
        covered = shapely.area(shapely.union_all(parts)) >= (1 - 1e-6) * shapely.area(geom)
        assert covered == (parent in without), parent
        if covered:
            pairs = [(a, b) for i, a in enumerate(parts) for b in parts[i + 1 :]]
            assert all(shapely.area(shapely.intersection(a, b)) < 1e-9 for a, b in pairs)
            assert "carries no control record" in places.loc[parent, "note"]


def test_towns_keep_their_ids_and_include_every_named_place(places):
    towns = places[places.level == "town"]
    assert set(OLD_TOWN_IDS) <= set(towns.index)
    assert set(NAMED) <= set(towns.index)
    seats = towns[towns.seat != ""]
    assert len(seats) == 252  # every OCHA community with CAPIT_LVL 0-3
    assert set(seats.seat) == {"0", "1", "2", "3"}
    assert towns.loc["aleppo", "pcode"] == "C1007"
    assert towns.loc["suran", "governorate"] == "Hama"
    with_population = towns[towns.population != ""]
    assert (with_population.population_source.str.contains("geonameid")).all()
    assert int(towns.loc["aleppo", "population"]) > 1_000_000


def test_actors_keep_their_ids():
    actors = read("actors.csv").set_index("actor_id")
    assert {"government", "hts", "sna", "sdf", "southern", "sfa", "jabal"} <= set(actors.index)
    assert actors.color.str.fullmatch(r"#[0-9a-f]{6}").all()
    assert actors.source.str.startswith("http").all()
    # the Arabic labels use the groups' own Arabic names, each as a cited source writes it
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in name) for name in actors.name_ar)
    assert actors.name_ar_source.str.startswith("https://").all()
    assert actors.loc["sdf", "name_ar"] == "قوات سوريا الديمقراطية"


def test_every_polygon_place_has_a_baseline_record(places, control):
    baseline = control[control.date == BASELINE]
    reporting_areas = places.level.isin(["admin0", "admin1", "region"])  # anchor flows only
    polygons = places.index[(places.wkt != "") & ~reporting_areas]
    cut_wholly = {"SY090100", "SY140000", "SY140200"}  # their parts hold their land
    assert set(polygons) - cut_wholly <= set(baseline.place_id)
    assert not set(places.index[reporting_areas]) & set(control.place_id)
    assert set(control.place_id) <= set(places.index)
    # 'unknown': a record saying no source names the holder from that day on
    assert set(control.actor_id) <= set(read("actors.csv").actor_id) | {"unknown"}
    assert control.status.isin(["held", "contested", "besieged"]).all()
    assert not control.duplicated(["place_id", "date"]).any()
    assert control.source.str.startswith(("http://", "https://")).all()
    assert (control.note != "").all()


def test_unnamed_units_say_inferred_and_why(control):
    baseline = control[control.date == BASELINE]
    inferred = baseline[baseline.note.str.contains("INFERRED")]
    assert len(inferred) > 50
    assert (inferred.note.str.len() > 40).all()


@pytest.mark.parametrize(
    ("place_id", "actor_id"),
    [
        # the Idlib pocket and its edges
        ("idlib", "hts"),
        ("sarmada", "hts"),
        ("harem", "hts"),
        ("jisr-al-shughur", "hts"),
        ("ariha", "hts"),
        ("atarib", "hts"),
        ("saraqib", "government"),
        ("maarat-al-numan", "government"),
        ("khan-shaykhun", "government"),
        ("anjara", "government"),
        ("kafr-basin", "government"),
        ("dadikh", "government"),
        # the SNA strip
        ("afrin", "sna"),
        ("azaz", "sna"),
        ("al-bab", "sna"),
        ("jarabulus", "sna"),
        ("tal-abyad", "sna"),
        ("ras-al-ayn", "sna"),
        # the SDF north-east, Manbij and the Tal Rifaat pocket
        ("manbij", "sdf"),
        ("kobani", "sdf"),
        ("raqqa", "sdf"),
        ("tabqa", "sdf"),
        ("hasakah", "sdf"),
        ("qamishli", "sdf"),
        ("tal-rifaat", "sdf"),
        ("menagh", "sdf"),
        ("sheikh-maqsoud", "sdf"),
        ("SY090100-e", "sdf"),
        # government pockets inside SDF land
        ("hasakah-security-square", "government"),
        ("qamishli-security-square", "government"),
        ("qamishli-airport", "government"),
        ("khasham", "government"),
        # the government elsewhere
        ("aleppo", "government"),
        ("hama", "government"),
        ("homs", "government"),
        ("damascus", "government"),
        ("palmyra", "government"),
        ("deir-ez-zor", "government"),
        ("abu-kamal", "government"),
        ("mayadin", "government"),
        ("suwayda", "government"),
        ("daraa", "government"),
        ("latakia", "government"),
        ("tartus", "government"),
        ("salamiyah", "government"),
        ("nubl", "government"),
        ("kuweires", "government"),
        # al-Tanf and the Golan
        ("al-tanf", "sfa"),
        ("al-tanf-zone", "sfa"),
        ("SY140003", "israel"),
        ("quneitra", "government"),
    ],
)
def test_baseline_holder(places, control, place_id, actor_id):
    assert holder(places, control, place_id) == actor_id


def test_towns_with_own_records_agree_with_their_unit_unless_a_pocket(places, control):
    """A town's own baseline record matches its unit except for the known pockets."""
    pockets = {
        "hasakah-security-square",
        "qamishli-security-square",
        "qamishli-airport",
        "sheikh-maqsoud",
        "husseiniya",
    }
    baseline = control[control.date == BASELINE].set_index("place_id")
    towns = places[(places.level == "town") & places.index.isin(baseline.index)]
    polys = places[places.wkt != ""]
    differ = []
    for place_id, town in towns.iterrows():
        inside = polys[shapely.contains(polys.geometry.to_numpy().astype(object), town.geometry)]
        smallest = inside.index[np.argmin(shapely.area(inside.geometry.to_numpy().astype(object)))]
        if baseline.actor_id[smallest] != baseline.actor_id[place_id]:
            differ.append(place_id)
    assert set(differ) == pockets


def test_geojson_files_follow_rfc_7946():
    for name in ("boundary.geojson", "context.geojson"):
        collection = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert collection["type"] == "FeatureCollection"
        assert "crs" not in collection
        for feature in collection["features"]:
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
            assert feature["properties"]["source"]
    assert (DATA / "context.geojson").stat().st_size < 200_000


def test_datapackage_carries_the_licences_and_attribution():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert {lic["name"] for lic in package["licenses"]} >= {"CC-BY-3.0-IGO", "CC-BY-4.0"}
    titles = " ".join(s["title"] for s in package["sources"])
    assert "UN OCHA / UNCS, Syrian Arab Republic COD-AB (valid 2020-12-17), via HDX" in titles
    assert "UN OCHA - Syrian Arab Republic populated places (HDX), 2015 edition" in titles
    assert "GeoNames, geonames.org" in titles and "Natural Earth" in titles


def test_files_are_utf8_without_bom_and_unix_line_endings():
    for name in FILES:
        raw = (DATA / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" not in raw, name
        raw.decode("utf-8")


def _build_module():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import build_syria_2024
    finally:
        sys.path.pop(0)
    return build_syria_2024


def _shared_data():
    return _build_module().find_shared()


@pytest.mark.skipif(_shared_data() is None, reason="../shared/data is not available")
def test_build_script_reproduces_committed_files(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "7"}
    subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], check=True, cwd=ROOT, env=env)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in DATA.iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_source_tables_are_the_only_facts():
    """Every authored table cites its rows; the script holds no place or actor ids."""
    for name in ("baseline.csv", "splits.csv", "zones.csv", "lines.csv"):
        table = pd.read_csv(SOURCES / name, dtype=str, keep_default_na=False)
        assert table.source.str.startswith(("http://", "https://")).all(), name
    script = SCRIPT.read_text(encoding="utf-8")
    for fact in ('"aleppo"', '"hts"', '"SY090100"', "C1007"):
        assert fact not in script


def test_regions_are_unions_of_their_governorates(places):
    """Areas that figures are reported at (sources/regions.csv) become polygon places."""
    import geopandas as gpd

    build = _build_module()
    units = places[places.level == "admin3"]
    admin3 = gpd.GeoDataFrame(
        {"adm1_pcode": units.admin1.to_numpy()}, geometry=list(units.geometry), crs="EPSG:4326"
    )
    row = {"name": "x", "name_ar": "س", "source": "https://example.org", "note": "", "_row": 2}
    out = build.region_rows(
        admin3,
        [
            {**row, "place_id": "SY", "level": "admin0", "admin1": ""},
            {**row, "place_id": "hama-homs", "level": "region", "admin1": "SY05|SY04"},
        ],
    )
    whole = shapely.union_all(units.geometry.to_numpy().astype(object))
    assert shapely.area(shapely.symmetric_difference(out[0]["geometry"], whole)) < 1e-9
    assert out[0]["pcode"] == "SY" and out[1]["pcode"] == ""
    both = units[units.admin1.isin(["SY04", "SY05"])].geometry.to_numpy().astype(object)
    assert shapely.area(out[1]["geometry"]) == pytest.approx(shapely.area(shapely.union_all(both)))
    with pytest.raises(build.BuildError, match=r"regions.csv, row 2: unknown governorate"):
        build.region_rows(admin3, [{**row, "place_id": "r", "level": "region", "admin1": "SY99"}])
