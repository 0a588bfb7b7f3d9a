"""Files as users find them: each broken the way real downloads are (cut short, saved by
Excel or Windows tools, under a title line, without a header, as a Git LFS pointer, empty),
built from the third-party files of tests/corpus (see its README for their sources), and each
message saying what happened and what to do."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import geoconflict as gc
from geoconflict.errors import DataWarning, FormatError, SchemaError

CORPUS = Path(__file__).parent / "corpus"
UNHCR = CORPUS / "od" / "unhcr-situations-origin-asylum.csv"
GED = CORPUS / "ucdp" / "ucdp-ged-hdx-2022-bgd-first8.csv"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine_2022_2025"
UNHCR_COLUMNS = {
    "origin": "ISO3 of Origin",
    "destination": "ISO3",
    "start": "Date",
    "people": "Individuals",
}


def _unhcr() -> str:
    """The UNHCR table's rows that name an origin (rows of origin 'Others' have no code)."""
    lines = UNHCR.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    kept = [line for line, row in zip(lines, rows, strict=True) if row[3]]
    return "\n".join(kept) + "\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_truncated_file(tmp_path):
    text = _unhcr()
    cut = _write(tmp_path / "cut.csv", text[: text.index('"UNHCR, Gov', 200) + 8])
    with pytest.raises(FormatError, match=r"ends inside a quoted value.*download or export"):
        gc.read_flows(cut, **UNHCR_COLUMNS)


def test_title_line_above_the_header(tmp_path):
    text = "UNHCR refugee situations, origin and asylum\n" + _unhcr()
    path = _write(tmp_path / "titled.csv", text)
    with pytest.warns(DataWarning, match=r"look like a title and were skipped"):
        flows = gc.read_flows(path, **UNHCR_COLUMNS)
    assert len(flows) == len(_unhcr().splitlines()) - 1


def test_lines_ended_by_carriage_returns_alone(tmp_path):
    # as classic Mac tools save a table; a title line on top, which is still found and skipped
    rows = _unhcr().splitlines()
    path = _write(tmp_path / "mac.csv", "\r".join(["UNHCR situations", *rows]) + "\r")
    with pytest.warns(DataWarning, match=r"look like a title and were skipped"):
        flows = gc.read_flows(path, **UNHCR_COLUMNS)
    assert len(flows) == len(rows) - 1
    plain = gc.read_flows(_write(tmp_path / "plain.csv", _unhcr()), **UNHCR_COLUMNS)
    assert flows["people"].tolist() == plain["people"].tolist()


def test_semicolon_file_with_commas_in_text(tmp_path):
    # the same table as European Excel saves it: ';' between cells, commas inside them
    rows = list(csv.reader(io.StringIO(_unhcr())))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path = _write(tmp_path / "semicolons.csv", out.getvalue())
    with pytest.raises(FormatError, match=r"separated by semicolons\. Fix: pass delimiter=';'"):
        gc.read_flows(path, **UNHCR_COLUMNS)
    flows = gc.read_flows(path, delimiter=";", **UNHCR_COLUMNS)
    assert flows["origin"].iloc[0] == "TGO" and flows["people"].iloc[0] == 4716


def test_utf16_file(tmp_path):
    path = _write(tmp_path / "utf16.csv", _unhcr(), "utf-16")
    with pytest.raises(FormatError, match=r"UTF-16.*Fix: pass encoding='utf-16'"):
        gc.read_flows(path, **UNHCR_COLUMNS)
    assert len(gc.read_flows(path, encoding="utf-16", **UNHCR_COLUMNS)) > 0


def test_empty_vector_file_and_git_lfs_pointer(tmp_path):
    empty = tmp_path / "adm1.geojson"
    empty.touch()
    with pytest.raises(FormatError, match=r"the file is empty \(0 bytes\)"):
        gc.read_boundary(empty)
    with pytest.raises(FormatError, match=r"the file is empty"):
        gc.places_from_admin(empty)
    pointer = (
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:3f8e1c1b5a0bd0e4c36a63e1e5f6a3f1c8f1c1b5a0bd0e4c36a63e1e5f6a3f1c\n"
        "size 761290\n"
    )
    for name, reader in (("adm1.geojson", gc.read_boundary), ("towns.csv", gc.read_places)):
        path = _write(tmp_path / f"lfs-{name}", pointer)
        with pytest.raises(FormatError, match=r"Git LFS pointer, not the data.*git lfs pull"):
            reader(path)


def test_headerless_table_and_names(tmp_path):
    # simplemaps' old world cities file has no header row (see ../shared SOURCE.txt)
    text = (
        '"Kyiv","Kyiv","50.4334","30.5166","Ukraine","UA","UKR","Kyyiv, Misto","primary",'
        '"2709000","1804382913"\n'
        '"Kharkiv","Kharkiv","49.9925","36.2311","Ukraine","UA","UKR","Kharkivs\'ka '
        'Oblast\'","admin","1436000","1804588111"\n'
    )
    path = _write(tmp_path / "worldcities.csv", text)
    with pytest.raises(FormatError, match=r"no header row\. Fix: pass names=\["):
        gc.read_places(path)
    columns = ["city", "city_ascii", "lat", "lng", "country", "iso2", "iso3", "admin_name"]
    columns += ["capital", "population", "id"]
    towns = gc.read_places(path, names=columns, id="id", name="city_ascii", x="lng", y="lat")
    assert towns.loc["1804588111", "name"] == "Kharkiv"
    assert towns.loc["1804382913"].geometry.x == pytest.approx(30.5166)


def test_a_count_of_zero_is_kept_not_the_table_refused(tmp_path):
    text = _unhcr().splitlines()
    first = text[1].rsplit(",", 1)[0] + ",0"
    path = _write(tmp_path / "zero.csv", "\n".join([text[0], first, *text[2:]]) + "\n")
    flows = gc.read_flows(path, **UNHCR_COLUMNS)
    assert len(flows) == len(text) - 1 and flows["people"].iloc[0] == 0.0
    assert gc.place_totals(flows).loc["TGO", "outflow"] == 0.0


def test_one_column_for_id_and_name(tmp_path):
    path = _write(tmp_path / "towns.csv", "town,lon,lat\nIzium,37.2581,49.2103\n")
    towns = gc.read_places(path, id="town", name="town")
    assert towns.index.tolist() == ["Izium"] and towns["name"].tolist() == ["Izium"]


def test_wkt_and_coordinates_in_one_row(tmp_path):
    path = _write(
        tmp_path / "areas.csv",
        "place_id,name,lon,lat,wkt\n"
        'a,A,30.5,50.4,"POLYGON ((30 50, 31 50, 31 51, 30 50))"\n'
        'b,B,30.5,95,"POLYGON ((30 50, 31 50, 31 51, 30 50))"\n',
    )
    with pytest.raises(SchemaError, match=r"row 2, column 'lon/lat'.*latitude is outside"):
        gc.read_places(path)
    path.write_text("\n".join(path.read_text().splitlines()[:2]) + "\n")
    assert gc.read_places(path).geom_type.tolist() == ["Polygon"]  # the WKT wins


def test_repeated_column_in_a_ged_file(tmp_path):
    rows = list(csv.reader(io.StringIO(GED.read_text(encoding="utf-8"))))
    at = rows[0].index("country")
    same = [r + [r[at]] for r in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(same)
    events, report = gc.read_ucdp_ged(_write(tmp_path / "same.csv", out.getvalue()))
    assert len(events) == 8 and any("hold the same values" in n for n in report.notes)
    other = [r + ["x"] for r in rows]
    other[0][-1] = "latitude"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(other)
    with pytest.raises(FormatError, match=r"'latitude' appears 2 times.*rename or delete"):
        gc.read_ucdp_ged(_write(tmp_path / "other.csv", out.getvalue()))


def test_three_position_ring(tmp_path):
    path = _write(
        tmp_path / "ring.geojson",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"place_id": "a", "name": "A"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[30, 50], [31, 50], [30, 50]]]}}]}",
    )
    with pytest.raises(FormatError, match=r"feature\(s\) 1 have a polygon ring of fewer than 4"):
        gc.read_geojson(path)


def _areas(columns: dict[str, list[str]]) -> gpd.GeoDataFrame:
    boxes = [shapely.box(106.6 + i * 0.1, 10.7, 106.7 + i * 0.1, 10.8) for i in range(2)]
    return gpd.GeoDataFrame(columns, geometry=boxes, crs=4326)


def test_places_from_admin_on_gadm_natural_earth_and_geoparquet(tmp_path):
    # GADM 4.1 columns (level 2 of Viet Nam), no OCHA name columns
    gadm = _areas(
        {
            "GID_0": ["VNM", "VNM"],
            "NAME_0": ["Vietnam", "Vietnam"],
            "GID_1": ["VNM.25_1", "VNM.25_1"],
            "NAME_1": ["Hồ Chí Minh", "Hồ Chí Minh"],
            "GID_2": ["VNM.25.23_1", "VNM.25.24_1"],
            "NAME_2": ["Tân Phú", "Tân Bình"],
            "VARNAME_2": ["Tan Phu", "Tan Binh"],
        }
    )
    places = gc.places_from_admin(gadm)
    assert places.index.tolist() == ["VNM.25.23_1", "VNM.25.24_1"]
    assert places["level"].tolist() == ["admin2"] * 2
    assert gc.resolve_places(["Tan Binh"], places).tolist() == ["VNM.25.24_1"]
    explicit = gc.places_from_admin(gadm, id="GID_2", name="NAME_2")
    assert explicit["name"].tolist() == ["Tân Phú", "Tân Bình"]
    natural_earth = _areas({"iso_3166_2": ["VN-SG", "VN-DN"], "name": ["Hồ Chí Minh", "Đà Nẵng"]})
    assert gc.places_from_admin(natural_earth).index.tolist() == ["VN-SG", "VN-DN"]
    path = tmp_path / "adm2.parquet"
    gadm.to_parquet(path)
    assert gc.places_from_admin(path, id="GID_2", name="NAME_2").index.tolist() == [
        "VNM.25.23_1",
        "VNM.25.24_1",
    ]
    odd = _areas({"code": ["a", "b"], "label": ["A", "B"]})
    with pytest.raises(SchemaError, match=r"no id and name columns recognised.*id='<code"):
        gc.places_from_admin(odd)


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/data/ukraine_2022_2025")
def test_geoboundaries_layers_as_published():
    oblasts = gc.places_from_admin(
        SHARED / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson",
        id="shapeISO",
        name="shapeName",
    )
    assert len(oblasts) == 27 and oblasts.loc["UA-63", "name"] == "Kharkiv Oblast"
    # OCHA's UA63 is geoBoundaries' UA-63: codes compare without punctuation
    assert gc.io.admin.resolve_pcodes(["UA63"], oblasts).tolist() == ["UA-63"]
