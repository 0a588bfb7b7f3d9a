"""The six ways real files broke or misled the readers, each checked on a real file.

The files are in tests/corpus (origins, commits and licences in tests/corpus/README.md):
geojsonhint's and GDAL's GeoJSON test files, libhxl-python's HXL test files, IOM DTM and UCDP
tables from OCHA's HDX scrapers' test fixtures, and ACLED exports published in public
repositories (a few rows each).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest

import geoconflict as gc
from geoconflict.errors import DataWarning, FormatError, SchemaError
from geoconflict.io.tables import read_boundary

CORPUS = Path(__file__).parent / "corpus"


def sums_up(report: gc.ReadReport) -> bool:
    """Kept + skipped = read, and every entry's row is a row that was read."""
    return report.rows_kept + len(report.skipped_rows) == report.rows_read


# ------------------------------------------------- 1. GeoJSON geometries, CRS and warnings


@pytest.mark.parametrize("reader", [gc.read_geojson, read_boundary])
@pytest.mark.parametrize(
    "name, message",
    [
        # geojsonhint test/data/bad: a ring whose last position is not its first
        (
            "different-first-last.geojson",
            r"feature 1: a polygon ring is not closed \(its last "
            r"position differs from its first\)\. Fix: correct those geometries in the file",
        ),
        # a ring of three positions
        (
            "short-linearring.geojson",
            r"feature 1: a polygon ring has fewer than 4 positions\. "
            r"Fix: correct those geometries",
        ),
        # a LineString of one position
        ("short-line.geojson", r"feature 1: a line has fewer than 2 positions\. Fix:"),
        ("short-multilinestring.geojson", r"feature 1: a line has fewer than 2 positions"),
        # a latitude written as text: GDAL gives the feature no geometry, silently
        (
            "stringcoord.geojson",
            r"feature 1: a coordinate is text \('39\.36827914916011'\), not "
            r"a number\. Fix:",
        ),
        # MultiPolygon coordinates nested three deep: GDAL gives MULTIPOLYGON EMPTY, silently
        (
            "badcoordtype.geojson",
            r"feature 1: its coordinates are nested 3 deep; a MultiPolygon "
            r"needs 4 levels of brackets\. Fix:",
        ),
    ],
)
def test_geometries_that_cannot_be_read_are_refused_with_the_feature_and_the_reason(
    reader, name, message
):
    path = CORPUS / "geojson" / "bad" / name
    # GDAL's RuntimeWarning about the unclosed ring does not leak (warnings are errors here)
    total = 2 if name == "stringcoord.geojson" else 1
    with pytest.raises(
        FormatError,
        match=rf"{name}: 1 of {total} feature\(s\) have a "
        rf"geometry that cannot be read: {message}",
    ):
        reader(path)


def test_gdal_remarks_become_data_warnings_in_plain_words():
    # GDAL autotest's ids_0_1_null_1_null.json: two features with id 1
    path = CORPUS / "geojson" / "gdal" / "ids_0_1_null_1_null.json"
    with pytest.warns(
        DataWarning,
        match=r"ids_0_1_null_1_null\.json: feature ids repeat "
        r"\(id 1\); GDAL renumbered the features\. Fix: give each feature its "
        r"own id\.",
    ) as caught:
        table = gc.read_geojson(path)
    assert all(w.category is DataWarning for w in caught)
    assert table["seq"].tolist() == [0, 1, 2, 3, 4]


def test_a_geojson_file_in_british_national_grid_is_converted_to_lon_lat(tmp_path):
    # A file with the legacy crs member, as QGIS writes one in EPSG:27700 (made for this
    # test: the corpus has no small British National Grid file).
    square = [
        [530000, 180000],
        [530100, 180000],
        [530100, 180100],
        [530000, 180100],
        [530000, 180000],
    ]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "square"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    path = tmp_path / "bng.geojson"
    path.write_text(json.dumps(doc))
    to_lonlat = pyproj.Transformer.from_crs(27700, 4326, always_xy=True)
    lon, lat = to_lonlat.transform(530000, 180000)
    for table in (gc.read_geojson(path), read_boundary(path)):
        assert table.crs.equals("EPSG:4326")
        x0, y0, _, _ = table.geometry.iloc[0].bounds
        # within 1e-4 degrees (about 10 m): datum shift grids differ between PROJ setups
        assert abs(x0 - lon) < 1e-4 and abs(y0 - lat) < 1e-4


def test_coordinates_out_of_range_warn_in_a_table_and_are_refused_as_a_boundary():
    # geojsonhint's issue82.geojson: longitudes down to -263
    path = CORPUS / "geojson" / "good" / "issue82.geojson"
    with pytest.warns(
        DataWarning,
        match=r"beyond longitude -180\.\.180 / latitude -90\.\.90: "
        r"the file may be in a projected CRS without saying so\. Fix: reproject",
    ):
        assert len(gc.read_geojson(path)) == 1
    with pytest.raises(FormatError, match=r"coordinates reach \(-263\.582, -141\.772\)"):
        read_boundary(path)


def test_geoparquet_boundaries_are_read_without_gdals_parquet_driver(tmp_path):
    source = gpd.read_file(CORPUS / "geojson" / "good" / "multipolygon.geojson")
    path = tmp_path / "multipolygon.parquet"
    source.to_parquet(path)
    boundary = read_boundary(path)
    assert boundary.geometry.iloc[0].equals(source.geometry.iloc[0])


# -------------------------------------------------------- 2. reports that add up


def test_an_unreadable_optional_date_leaves_the_row_in_and_says_so(tmp_path):
    # the UCDP GED excerpt (HDX), with one date_end made unreadable
    text = (CORPUS / "ucdp" / "ucdp-ged-hdx-2022-bgd-first8.csv").read_text(encoding="utf-8")
    text = text.replace("2013-12-13,2013-12-14", "2013-12-13,mid-December", 1)
    path = tmp_path / "ged.csv"
    path.write_text(text, encoding="utf-8")
    events, report = gc.read_ucdp_ged(path)
    assert len(events) == 8 and sums_up(report)
    entry = report.entries.iloc[0]
    assert (entry["row"], entry["column"], entry["value"], entry["action"]) == (
        2,
        "date_end",
        "mid-December",
        "kept",
    )
    assert entry["reason"] == "not a date (expected e.g. 2024-12-05); left missing"
    assert pd.isna(events.loc[events["event_id"] == "71663", "date_end"]).all()
    assert "the row under the header holds HXL hashtags, not an event" in str(report)


def test_hxl_places_with_an_unreadable_date_stay_and_the_report_adds_up(tmp_path):
    places = gc.make_places(
        ["los-santos", "cauca", "choco", "amazonas"],
        ["Los Santos", "Cauca", "Chocó", "Amazonas"],
        [-80.4, -76.6, -76.7, -66.0],
        [7.6, 2.4, 5.7, 3.0],
    )
    # libhxl's sort-output-date.csv with one date made unreadable
    text = (CORPUS / "hxl" / "sort-output-date.csv").read_text(encoding="utf-8")
    path = tmp_path / "dates.csv"
    path.write_text(text.replace("2015-03-01,", "early March,"), encoding="utf-8")
    table, report = gc.read_hxl(path, places=places)
    assert sums_up(report) and report.rows_kept == len(table) == 4
    bad = report.entries[report.entries["value"] == "early March"]
    assert bad[["action", "reason"]].values.tolist() == [
        ["kept", "not a date (expected e.g. 2024-12-05); left missing"]
    ]


# ---------------------------------------------------------------- 3. NA from R


def test_acled_written_by_r_has_missing_values_not_the_text_na():
    path = CORPUS / "acled" / "acled-2023-export-r-benin-first15.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    events, report = gc.read_acled(path)
    assert len(events) == 15 and sums_up(report)
    for col in ("actor2", "assoc_actor_1", "admin3"):
        assert not events[col].eq("NA").any()
        assert events[col].isna().sum() == (raw[col] == "NA").sum() > 0
    assert events["actor2"].isna().sum() == 5
    assert events["fatalities"].sum() == pd.to_numeric(raw["fatalities"]).sum() == 2
    notes = " ".join(report.notes)
    assert "cells holding only 'NA' were read as missing (" in notes
    assert "actor2 5" in notes and "the file was probably written by R" in notes


# ----------------------------------------------- 4. totals at several levels, no origin


DTM = CORPUS / "dtm" / "iom-dtm-admin0-2-2025-10-chad-2017-2018.csv"


def _dtm_rows() -> pd.DataFrame:
    frame = pd.read_csv(DTM, skiprows=[1], dtype={"adminLevel": int})
    return frame[frame["idpOriginAdmin1Pcode"] != "Not available"]


@pytest.mark.parametrize(
    "level, admin_level, destination",
    [(None, 2, "admin2Pcode"), ("adm1", 1, "admin1Pcode"), ("country", 0, "admin0Pcode")],
)
def test_dtm_totals_at_several_levels_are_read_once(level, admin_level, destination):
    flows, report = gc.read_hxl(DTM, level=level)
    rows = _dtm_rows()
    expected = rows[rows["adminLevel"] == admin_level]
    assert flows["people"].sum() == expected["numPresentIdpInd"].sum()
    assert flows["destination"].tolist() == expected[destination].tolist()
    assert sums_up(report) and report.rows_read == 30
    assert "the table gives its figures at several levels" in str(report)


def test_dtm_level_adm1_no_longer_counts_the_admin2_rows_too():
    flows, report = gc.read_hxl(DTM, level="adm1")
    people = flows["people"].sum()
    rows = _dtm_rows()
    both = rows[rows["adminLevel"].isin([1, 2])]["numPresentIdpInd"].sum()
    assert people * 2 == both, "admin-1 totals and admin-2 rows are the same people"
    skipped = report.skipped
    level2 = skipped[skipped["value"] == "admin-2"]
    assert (
        level2["reason"]
        .str.fullmatch(
            r"a row at admin-2 level: the table gives the same people at several levels and the "
            r"admin-1 rows are read"
        )
        .all()
    )
    assert set(level2["column"]) == {"adminLevel"}


def test_origins_written_not_available_are_reported_not_read_as_places():
    flows, report = gc.read_hxl(DTM)
    assert not flows["origin"].str.lower().eq("not available").any()
    gone = report.skipped[report.skipped["value"] == "Not available"]
    raw = pd.read_csv(DTM, skiprows=[1])
    level2 = raw[raw["adminLevel"] == 2]
    assert len(gone) == (level2["idpOriginAdmin1Pcode"] == "Not available").sum() == 15
    assert (
        gone["reason"]
        .str.fullmatch(
            r"origin is not given, so the row names no place; fill it in \(a name or p-code\) to "
            r"read the row"
        )
        .all()
    )


# ------------------------------------------------------- 5. ACLED before 2019


def test_pre_2019_territorial_event_types_feed_control_from_events():
    # ACLED API export of 2 July 2016 (a pandas index as first column, ally_actor_1)
    path = CORPUS / "acled" / "acled-api-2016-africa-first8.csv"
    events, report = gc.read_acled(path)
    assert len(events) == 8 and sums_up(report)
    sirte = events[events["event_id"] == "8015RTA"].iloc[0]
    assert (sirte["event_type"], sirte["sub_event_type"], sirte["acled_event_type"]) == (
        "Battles",
        "Government regains territory",
        "Battle-Government regains territory",
    )
    assert sirte["assoc_actor_1"] == "Misratah Communal Militia (Libya)"
    assert "column(s) [1] have no header name" in str(report)
    assert "were given today's event and sub-event types" in str(report)
    towns = gc.make_places(["sirte"], ["Sirte"], [16.5887], [31.2089])
    control, creport = gc.control_from_events(
        events, towns, actor_map={"Military Forces of Libya (2016-) Presidential Guard": "gna"}
    )
    assert control[["place_id", "actor_id", "date"]].values.tolist() == [
        ["sirte", "gna", pd.Timestamp("2016-07-02")]
    ]
    assert creport.rows_read == 1 and sums_up(creport)


def test_control_from_events_derives_sub_event_types_from_old_event_types():
    events, _ = gc.read_acled(CORPUS / "acled" / "acled-api-2016-africa-first8.csv")
    old = events.drop(columns=["sub_event_type", "event_type"]).rename(
        columns={"acled_event_type": "event_type"}
    )
    towns = gc.make_places(["sirte"], ["Sirte"], [16.5887], [31.2089])
    control, _ = gc.control_from_events(
        old, towns, actor_map={"Military Forces of Libya (2016-) Presidential Guard": "gna"}
    )
    assert control["place_id"].tolist() == ["sirte"]


def test_control_from_events_without_sub_event_types_says_what_to_do():
    events, _ = gc.read_acled(CORPUS / "acled" / "acled-2023-export-r-benin-first15.csv")
    towns = gc.make_places(["kandi"], ["Kandi"], [2.9386], [11.1342])
    with pytest.raises(
        SchemaError,
        match=r"table 'events': missing column 'sub_event_type', "
        r"and its event types are not ACLED's pre-2019 territorial ones \(e\.g\. "
        r"'Battle-Government regains territory'\).*Fix: read the export with "
        r"read_acled",
    ):
        gc.control_from_events(events.drop(columns="sub_event_type"), towns, actor_map={})


@pytest.mark.parametrize(
    "name, first, rows",
    [
        ("acled-v7-2001-algeria.csv", "2001-04-18", 4),  # 18/04/2001, ALLY_ACTOR_1
        ("acled-asia-2015-bangladesh-first5.csv", "2015-01-01", 5),  # 01-January-2015
    ],
)
def test_old_acled_vintages_are_read(name, first, rows):
    events, report = gc.read_acled(CORPUS / "acled" / name)
    assert len(events) == rows and sums_up(report) and len(report) == 0
    assert events["date"].min() == pd.Timestamp(first)
    assert "assoc_actor_1" in events.columns


# ------------------------------------------------------------------ 6. HXL


@pytest.fixture
def provinces():
    """Places for libhxl's test files: its Colombian and Panamanian departments and its
    fictional provinces (coordinates are rough; the files give none)."""
    return gc.make_places(
        ["los-santos", "cauca", "choco", "amazonas", "coast", "mountains"],
        ["Los Santos", "Cauca", "Chocó", "Amazonas", "Coast", "Mountains"],
        [-80.4, -76.6, -76.7, -66.0, 40.0, 41.0],
        [7.6, 2.4, 5.7, 3.0, -3.0, -2.0],
    )


@pytest.mark.parametrize(
    "name, options",
    [
        ("input-valid.csv", {}),  # two header rows above the hashtags
        ("input-valid-latin1.csv", {"encoding": "latin-1"}),
        ("input-valid.ssv", {}),  # semicolons, found without being told
        ("input-multiple-headers.csv", {}),
    ],
)
def test_hashtags_under_several_header_rows(name, options, provinces):
    table, report = gc.read_hxl(CORPUS / "hxl" / name, places=provinces, **options)
    assert sums_up(report) and len(table) == report.rows_kept > 0
    assert "the hashtags are on line 3, under 2 header rows" in report.notes
    if name == "input-valid.ssv":
        assert "cells are separated by ';', not commas" in report.notes


def test_a_file_without_hashtags_in_its_top_rows(tmp_path):
    with pytest.raises(
        FormatError,
        match=r"input-invalid\.csv: row 2 is not a row of HXL "
        r"hashtags \(got 'Registro', 'Sector/Cluster', 'Subsector', "
        r"'Organización'\)\. Fix: pass an HXL-tagged CSV \(a row of hashtags "
        r"such as #adm1\+name under the header rows; none of the first 25 rows "
        r"is one\)",
    ):
        gc.read_hxl(CORPUS / "hxl" / "input-invalid.csv")


def test_population_by_sex_is_not_a_population(provinces):
    path = CORPUS / "hxl" / "clean-output-whitespace-tags.csv"
    table, report = gc.read_hxl(path, places=provinces)
    assert "population" not in table.columns
    assert table["population_sex"].tolist()[:2] == ["Hombres", "Hombres"]
    assert not any("population" in r for r in report.entries["reason"])


def test_hxl_reads_the_dates_acled_reads(provinces):
    path = CORPUS / "hxl" / "sort-output-date.csv"
    raw = pd.read_csv(path, skiprows=[1], dtype=str)
    table, report = gc.read_hxl(path, places=provinces)
    dates = dict(zip(table["name"], table["date"], strict=True))
    assert dates == {
        "Los Santos": pd.Timestamp("2014-03-18"),  # 03-18-14, month first
        "Cauca": pd.Timestamp("2015-03-01"),
        "Chocó": pd.Timestamp("2015-03-10"),
        "Amazonas": pd.Timestamp("2015-03-19"),
    }  # 19/3/15, day first
    assert len(raw) == report.rows_read == 8 and sums_up(report)
    assert "Date: some dates are written day first and others month first" in report.notes
    assert not any(r.startswith("not a date") for r in report.entries["reason"])


def test_country_codes_locate_places():
    # DTM's country-level table: #country+code is its only location
    path = CORPUS / "dtm" / "dtm-data-for-quickcharts.csv"
    countries = gc.make_places(
        ["AFG", "HTI", "TCD"],
        ["Afghanistan", "Haiti", "Chad"],
        [66.0, -72.3, 18.7],
        [33.9, 18.9, 15.4],
        pcode=["AFG", "HTI", "TCD"],
    )
    table, report = gc.read_hxl(path, places=countries)
    assert table.index.tolist() == ["AFG", "HTI", "TCD"]
    raw = pd.read_csv(path, skiprows=[1])
    assert report.rows_read == len(raw) and sums_up(report)
    first = raw.drop_duplicates("admin0Pcode")
    assert table["idps"].tolist() == first["numPresentIdpInd"].astype(float).tolist()


def test_unknown_pcodes_are_compared_with_their_own_countrys_codes():
    syria = gc.make_places(
        ["SY07", "SY0700"],
        ["Idleb", "Idleb district"],
        [36.6, 36.6],
        [35.8, 35.9],
        pcode=["SY07", "SY0700"],
    )
    with pytest.warns(gc.DataWarning, match="none of its 30 rows was kept as flows"):
        flows, report = gc.read_hxl(DTM, places=syria)
    assert len(flows) == 0 and sums_up(report)
    reasons = set(report.skipped["reason"])
    assert (
        "unknown place: no known p-code starts with 'TD' (the places' p-codes start with "
        "'SY'); check the country or pass the places of this country"
    ) in reasons


def test_corpus_files_still_exist_and_are_unchanged_by_the_tests():
    # the readers never write: a copy compared byte for byte after the readers ran
    before = {p: p.read_bytes() for p in CORPUS.rglob("*") if p.is_file()}
    for path in (DTM, CORPUS / "acled" / "acled-v7-2001-algeria.csv"):
        reader = gc.read_hxl if path == DTM else gc.read_acled
        reader(path)
    assert {p: p.read_bytes() for p in CORPUS.rglob("*") if p.is_file()} == before
