"""GeoJSON we write: valid against the project's RFC 7946 schema, read by GDAL with the
expected features and fields, counter-clockwise exteriors, 6 decimals, no ``crs`` member,
ISO dates, deterministic bytes; and every error message of the writer and reader."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import geopandas as gpd
import jsonschema
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.errors import FormatError
from geoconflict.io._jsontext import coordinates_text, json_column
from geoconflict.io.exports import export_layers, split_areas
from geoconflict.io.geojson import feature_collection

SCHEMA = json.loads(
    (Path(__file__).parent / "geojson_schema" / "rfc7946.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _without_positions(schema: dict) -> dict:
    """The schema less the check of each position inside lines, rings and multi-points,
    which :func:`check_positions` makes on all of them at once: checked one by one in
    Python, a few thousand polygons take a minute."""
    lean = copy.deepcopy(schema)
    defs = lean["$defs"]
    for name in ("LineStringCoordinates", "LinearRing"):
        assert defs[name]["items"] == {"$ref": "#/$defs/Position"}
        del defs[name]["items"]
    multipoint = defs["MultiPoint"]["properties"]["coordinates"]
    assert multipoint["items"] == {"$ref": "#/$defs/Position"}
    del multipoint["items"]
    return lean


LEAN_VALIDATOR = jsonschema.Draft202012Validator(_without_positions(SCHEMA))
POSITION = SCHEMA["$defs"]["Position"]
#: How deep positions lie in each geometry type's coordinates.
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2}
DEPTH["MultiPolygon"] = 3


def _positions(geometry: dict | None, out: list) -> list:
    if geometry is None:
        return out
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries", []):
            _positions(part, out)
        return out
    items = [geometry.get("coordinates")]
    for _ in range(DEPTH.get(geometry.get("type"), 0)):
        items = [p for item in items if isinstance(item, list) for p in item]
    out.extend(items)
    return out


def check_positions(document: dict) -> None:
    """Every position of every feature as the schema's ``Position`` says: 2 or 3 numbers,
    longitude and latitude within its minimum and maximum."""
    positions = []
    for feature in document["features"]:
        _positions(feature.get("geometry"), positions)
    lengths = {len(p) if isinstance(p, list) else -1 for p in positions}
    assert lengths <= {2, 3}, f"positions of lengths {lengths}"
    assert all(type(v) in (int, float) for p in positions for v in p), (
        "a position holds something other than numbers"
    )
    if positions:
        xy = np.array([p[:2] for p in positions], dtype=float)
        lon, lat = POSITION["prefixItems"][0], POSITION["prefixItems"][1]
        assert ((xy[:, 0] >= lon["minimum"]) & (xy[:, 0] <= lon["maximum"])).all()
        assert ((xy[:, 1] >= lat["minimum"]) & (xy[:, 1] <= lat["maximum"])).all()


NUMBER = re.compile(r"-?\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "document, problem",
    [
        ({"type": "FeatureCollection", "features": [], "crs": {"type": "name"}}, "crs"),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [200, 0]},
                    }
                ],
            },
            "longitude",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
                    }
                ],
            },
            "ring",
        ),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]},
            "properties",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [0, 0], "properties": {}},
                    }
                ],
            },
            "7.1",
        ),
    ],
)
def test_the_schema_rejects_what_rfc_7946_forbids(document, problem):
    assert not VALIDATOR.is_valid(document), problem


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "LineString", "coordinates": [[0, 0], [200, 1]]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 95]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1, 2, 3], [0, 0]]]},
        {"type": "MultiPoint", "coordinates": [[0, 0], ["1", 0]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, True], [0, 0]]]]},
        {"type": "MultiLineString", "coordinates": [[[0, 0], [1]]]},
        {
            "type": "GeometryCollection",
            "geometries": [{"type": "LineString", "coordinates": [[0, 0], [-181, 0]]}],
        },
    ],
)
def test_the_fast_check_rejects_the_positions_the_schema_rejects(geometry):
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }
    assert not VALIDATOR.is_valid(document)
    assert LEAN_VALIDATOR.is_valid(document)  # the positions are left to check_positions
    with pytest.raises(AssertionError):
        check_positions(document)


def exterior_is_ccw(ring: list) -> bool:
    xy = np.asarray(ring, dtype=float)
    area2 = np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1])
    return area2 > 0


def polygons_of(geometry: dict | None) -> list:
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in polygons_of(g)]
    return []


def check_rfc7946(path: Path, *, features: int, fields: list[str]) -> dict:
    """Every promise of the writer, on one file."""
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    errors = sorted(LEAN_VALIDATOR.iter_errors(document), key=lambda e: e.path)
    assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"
    check_positions(document)
    assert "crs" not in document
    assert len(document["features"]) == features
    for feature in document["features"]:
        for polygon in polygons_of(feature["geometry"]):
            for k, ring in enumerate(polygon):
                assert ring[0] == ring[-1], "rings are closed"
                assert exterior_is_ccw(ring) == (k == 0), "exterior CCW, holes CW"
    coordinates = re.findall(r'"coordinates":(\[[-0-9.,\[\]eE+]*\])', text)
    for chunk in coordinates:
        for match in NUMBER.finditer(chunk):
            decimals = match.group(1) or ""
            assert len(decimals) <= 6, f"{match.group(0)} has more than 6 decimals"
    info = pyogrio.read_info(path)
    assert info["features"] == features
    assert list(info["fields"]) == fields
    assert info["crs"] == "EPSG:4326"
    gdal = pyogrio.read_dataframe(path)
    assert len(gdal) == features
    return document


def expected_fields(frame: pd.DataFrame) -> list[str]:
    index = [n for n in frame.index.names if n is not None]
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return index + [c for c in frame.columns if c != geometry]


def test_every_layer_of_a_conflict_is_rfc_7946_and_read_by_gdal(conflict, tmp_path):
    out = gc.to_geojson(conflict, tmp_path / "layers", when="2024-12-05")
    layers = export_layers(conflict, when="2024-12-05")
    written = sorted(p.name for p in out.iterdir() if p.suffix == ".geojson")
    assert written == sorted(f"{n}.geojson" for n in layers)
    for name, frame in layers.items():
        check_rfc7946(out / f"{name}.geojson", features=len(frame), fields=expected_fields(frame))


def test_the_example_layers_are_rfc_7946(tmp_path):
    conflict = gc.load_example()
    out = gc.to_geojson(conflict, tmp_path / "syria")
    layers = split_areas(export_layers(conflict))
    assert {"areas", "control_areas"} <= set(layers)  # the example has admin units
    assert sorted(p.name for p in out.glob("*.geojson")) == sorted(f"{n}.geojson" for n in layers)
    for name, frame in layers.items():
        check_rfc7946(out / f"{name}.geojson", features=len(frame), fields=expected_fields(frame))
        kinds = {f["geometry"]["type"].removeprefix("Multi") for f in _features(out, name)}
        assert len(kinds) <= 1, f"{name}: one kind of geometry per file, got {kinds}"
    everything = export_layers(conflict)
    assert len(layers["areas"]) + len(layers["places"]) == len(everything["places"])
    assert len(layers["control_areas"]) + len(layers["control"]) == len(everything["control"])


def _features(out: Path, name: str) -> list[dict]:
    features = json.loads((out / f"{name}.geojson").read_text(encoding="utf-8"))["features"]
    return [f for f in features if f["geometry"] is not None]


def test_places_carry_the_controller_at_the_date(conflict, tmp_path):
    out = gc.to_geojson(conflict, tmp_path / "layers", when="2024-12-05")
    document = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["place_id"]: f["properties"] for f in document["features"]}
    assert props["b"]["actor_id"] == "reb" and props["b"]["since"] == "2024-12-05"
    assert props["a"]["actor_id"] == "gov" and props["a"]["status"] == "held"
    assert document["geoconflict"]["date"] == "2024-12-05"
    assert document["geoconflict"]["title"] == "Grid test"
    before = gc.read_geojson(gc.to_geojson(conflict, tmp_path / "early", when="2024-12-04"))
    assert before["places"].loc["b", "actor_id"] == "gov"


def test_flows_are_lines_with_people_and_iso_dates(conflict, tmp_path):
    out = gc.to_geojson(conflict, tmp_path / "layers")
    document = json.loads((out / "flows.geojson").read_text(encoding="utf-8"))
    first = document["features"][0]
    assert first["geometry"]["type"] == "LineString"
    assert first["properties"]["start"] == "2024-12-04"
    assert first["properties"]["people"] == 1000
    internal = [
        f
        for f in document["features"]
        if f["properties"]["origin"] == f["properties"]["destination"]
    ]
    assert len(internal) == 1 and internal[0]["geometry"] is None


def test_control_layer_is_places_times_periods(conflict, tmp_path):
    back = gc.read_geojson(gc.to_geojson(conflict, tmp_path / "layers"))["control"]
    b = back[back["place_id"] == "b"]
    assert b[["actor_id", "start"]].values.tolist() == [
        ["gov", pd.Timestamp("2024-12-01")],
        ["reb", pd.Timestamp("2024-12-05")],
    ]
    assert b["end"].iloc[0] == pd.Timestamp("2024-12-05") and pd.isna(b["end"].iloc[1])
    assert set(back.geom_type) == {"Point"}


def test_a_conflict_without_boundary_has_no_territories(tmp_path):
    from conftest import make_actors, make_control, make_places

    c = gc.Conflict(make_places(), make_actors(), make_control())
    out = gc.to_geojson(c, tmp_path / "layers")
    assert sorted(p.name for p in out.iterdir()) == [
        "control.geojson",
        "control.qml",
        "places.geojson",
        "places.qml",
    ]


def test_clockwise_and_holed_polygons_are_rewound(tmp_path):
    shell = [(0, 0), (0, 2), (2, 2), (2, 0), (0, 0)]  # clockwise
    hole = [(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5), (0.5, 0.5)]  # counter-clockwise
    g = gpd.GeoDataFrame(
        {"name": ["holed", "multi"]},
        geometry=[
            shapely.Polygon(shell, [hole]),
            shapely.MultiPolygon([shapely.Polygon(shell), shapely.box(3, 3, 4, 4, ccw=False)]),
        ],
        crs="EPSG:4326",
    )
    path = gc.to_geojson(g, tmp_path / "polygons.geojson")
    check_rfc7946(path, features=2, fields=["name"])


def test_coordinates_are_rounded_to_6_decimals_and_reprojected(tmp_path):
    g = gpd.GeoDataFrame(
        {"v": [1]}, geometry=[shapely.Point(36.12345678901, -35.000000049)], crs="EPSG:4326"
    )
    text = gc.to_geojson(g, tmp_path / "p.geojson").read_text(encoding="utf-8")
    assert '"coordinates":[36.123457,-35.0]' in text
    metric = g.to_crs(3857)
    again = gc.to_geojson(metric, tmp_path / "m.geojson").read_text(encoding="utf-8")
    assert '"coordinates":[36.123457,-35.0]' in again
    assert '"crs"' not in again


def test_property_values_are_json_of_every_kind(tmp_path):
    t = gpd.GeoDataFrame(
        {
            "text": pd.Series(['say "hi"\\', "tab\tnew\nline", None, "حلب"], dtype="string"),
            "int": np.array([1, -2, 3, 4]),
            "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
            "float": [1.5, np.nan, np.inf, 2.0],
            "flag": pd.array([True, False, None, True], dtype="boolean"),
            "kind": pd.Categorical(["a", "b", None, "a"]),
            "when": pd.to_datetime(
                [
                    "2024-12-05T10:00:00+02:00",
                    None,
                    "2024-12-06T00:00:00Z",
                    "2024-12-07T00:00:00Z",
                ],
                utc=True,
            ),
            "mixed": [{"a": 1}, {"b": [1, 2]}, None, {"c": "x"}],
        },
        geometry=[shapely.Point(0, 0), None, shapely.Point(), shapely.Point(1, 1)],
        crs="EPSG:4326",
    )
    path = gc.to_geojson(t, tmp_path / "kinds.geojson")
    document = check_rfc7946(path, features=4, fields=list(t.columns[:-1]))
    props = [f["properties"] for f in document["features"]]
    assert [p["text"] for p in props] == ['say "hi"\\', "tab\tnew\nline", None, "حلب"]
    assert [p["int"] for p in props] == [1, -2, 3, 4]
    assert [p["nullable"] for p in props] == [1, None, 3, 4]
    assert [p["float"] for p in props] == [1.5, None, None, 2]
    assert [p["flag"] for p in props] == [True, False, None, True]
    assert [p["kind"] for p in props] == ["a", "b", None, "a"]
    assert [p["when"] for p in props] == [
        "2024-12-05T08:00:00Z",
        None,
        "2024-12-06T00:00:00Z",
        "2024-12-07T00:00:00Z",
    ]
    assert [p["mixed"] for p in props] == [{"a": 1}, {"b": [1, 2]}, None, {"c": "x"}]
    assert [f["geometry"] is None for f in document["features"]] == [False, True, True, False]
    assert "حلب" in path.read_text(encoding="utf-8"), "UTF-8, not \\u escapes"


def test_a_table_without_geometry_is_a_properties_only_collection(conflict, tmp_path):
    path = gc.to_geojson(conflict.control, tmp_path / "control_records.geojson")
    document = check_rfc7946(
        path, features=len(conflict.control), fields=list(conflict.control.columns)
    )
    assert all(f["geometry"] is None for f in document["features"])
    back = gc.read_geojson(path)
    assert type(back) is pd.DataFrame
    pd.testing.assert_frame_equal(back, conflict.control)


def test_an_empty_table_round_trips(conflict, tmp_path):
    empty = conflict.places.iloc[:0]
    path = gc.to_geojson(empty, tmp_path / "empty.geojson")
    check_rfc7946(path, features=0, fields=[])
    back = gc.read_geojson(path)
    assert len(back) == 0 and back.index.name == "place_id"
    assert back.dtypes.to_dict() == empty.dtypes.to_dict()


def test_output_is_deterministic(conflict, tmp_path):
    a = gc.to_geojson(conflict, tmp_path / "a")
    b = gc.to_geojson(conflict, tmp_path / "b")
    for file in sorted(a.iterdir()):
        assert file.read_bytes() == (b / file.name).read_bytes()


def test_one_feature_per_line_and_a_foreign_member_first(conflict):
    text = feature_collection(conflict.places)
    lines = text.splitlines()
    assert lines[0] == '{"type":"FeatureCollection","features":['
    assert len(lines) == len(conflict.places) + 2
    assert json.loads(text)["features"][0]["properties"]["place_id"] == "a"


def test_feature_ids_from_a_column(conflict):
    document = json.loads(feature_collection(conflict.places.reset_index(), id_column="place_id"))
    assert [f["id"] for f in document["features"]] == list("abcdef")


def test_foreign_geojson_is_read_as_gdal_reads_it(tmp_path):
    path = tmp_path / "qgis.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"name":"x","n":2},"geometry":{"type":"Point","coordinates":[1,2]}}]}',
        encoding="utf-8",
    )
    back = gc.read_geojson(path)
    assert back["name"].tolist() == ["x"] and back.geometry.iloc[0].equals(shapely.Point(1, 2))


def test_writing_replaces_a_previous_export_atomically(conflict, tmp_path):
    out = gc.to_geojson(conflict, tmp_path / "layers", when="2024-12-01")
    gc.to_geojson(conflict, out, when="2024-12-05")
    assert gc.read_geojson(out)["places"].loc["b", "actor_id"] == "reb"
    assert [p.name for p in tmp_path.iterdir()] == ["layers"], "no temporary files left"


# ------------------------------------------------------------------------ error messages


def test_a_folder_with_other_files_is_not_replaced(conflict, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_text("precious")
    with pytest.raises(
        FormatError,
        match=r"holds files that are not part of a GeoJSON "
        r"export \(thesis.docx\).*Fix: write to a new or empty folder",
    ):
        gc.to_geojson(conflict, folder)
    assert (folder / "thesis.docx").read_text() == "precious"


def test_a_conflict_cannot_be_written_over_a_file(conflict, tmp_path):
    file = tmp_path / "layers.geojson"
    file.write_text("{}")
    with pytest.raises(
        FormatError,
        match=r"layers.geojson: is a file, but a GeoJSON export "
        r"is written as a folder\. Fix: pass the name of a new or empty",
    ):
        gc.to_geojson(conflict, file)


def test_other_objects_are_refused(tmp_path):
    with pytest.raises(
        TypeError,
        match=r"obj must be a Conflict, GeoDataFrame or DataFrame, "
        r"got list",
    ):
        gc.to_geojson([1, 2], tmp_path / "x.geojson")


def test_when_is_refused_for_a_table(conflict, tmp_path):
    with pytest.raises(
        TypeError,
        match=r"when= applies to a Conflict only.*Fix: drop when=, "
        r"or pass conflict\.at\(when\)\.places",
    ):
        gc.to_geojson(conflict.places, tmp_path / "x.geojson", when="2024-12-05")


def test_reading_a_missing_file(tmp_path):
    with pytest.raises(
        FormatError,
        match=r"nope.geojson: no such file or folder\. Fix: check "
        r"the path",
    ):
        gc.read_geojson(tmp_path / "nope.geojson")


def test_reading_a_folder_without_geojson(tmp_path):
    with pytest.raises(
        FormatError,
        match=r"the folder holds no \.geojson files\. Fix: pass a "
        r"folder written by to_geojson",
    ):
        gc.read_geojson(tmp_path)


def test_reading_a_truncated_file(conflict, tmp_path):
    path = gc.to_geojson(conflict.places, tmp_path / "places.geojson")
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(
        FormatError,
        match=r"could not read it as a vector file .*Fix: check "
        r"that the file is complete",
    ):
        gc.read_geojson(path)


# ------------------------------------------------------------------------ properties


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=30))
def test_any_text_is_valid_json_and_reads_back(values):
    text = "[" + ",".join(json_column(pd.Series(values, dtype="string")).tolist()) + "]"
    assert json.loads(text) == values


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30))
def test_any_float_is_valid_json_and_exact(values):
    text = "[" + ",".join(json_column(pd.Series(values, dtype="float64")).tolist()) + "]"
    expected = [v if np.isfinite(v) else None for v in values]
    assert json.loads(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-180, max_value=180), min_size=1, max_size=30))
def test_coordinates_have_at_most_6_decimals_and_are_the_rounded_value(values):
    text = coordinates_text(np.array(values)).tolist()
    for value, shown in zip(values, text, strict=True):
        assert re.fullmatch(r"-?\d+\.\d{1,6}", shown)
        assert abs(float(shown) - value) <= 5e-7 + 1e-12
