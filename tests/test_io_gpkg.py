"""GeoPackage: every table in one file, read by GDAL, atomic writes, clear errors."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from conftest import make_actors, make_control, make_places

import geoconflict as gc
from geoconflict.errors import FormatError, SchemaError
from geoconflict.io import gpkg


def test_every_table_is_a_layer_gdal_reads(conflict, tmp_path):
    path = conflict.to_gpkg(tmp_path / "grid.gpkg")
    layers = dict(pyogrio.list_layers(path))
    assert layers == {
        "places": "Point",
        "actors": None,
        "control": None,
        "flows": None,
        "boundary": "Polygon",
        "geoconflict_metadata": None,
        "map_places": "Point",
        "map_territories": "Polygon",
        "map_frontlines": "LineString",
        "map_flows": "LineString",
        "layer_styles": None,
    }
    places = pyogrio.read_dataframe(path, layer="places")
    assert places["place_id"].tolist() == list("abcdef")
    meta = pyogrio.read_dataframe(path, layer="geoconflict_metadata")
    assert dict(zip(meta["key"], meta["value"], strict=True))["title"] == "Grid test"


def test_read_conflict_dispatches_gpkg_and_save_writes_it(conflict, tmp_path):
    path = conflict.save(tmp_path / "grid.gpkg")
    back = gc.read_conflict(path)
    assert back.title == "Grid test" and len(back.places) == 6
    assert gc.read_gpkg(path).control.equals(conflict.control)


def test_a_write_leaves_no_temporary_files_and_replaces_the_old_file(conflict, tmp_path):
    path = conflict.to_gpkg(tmp_path / "grid.gpkg")
    other = gc.Conflict(
        make_places().iloc[:2],
        make_actors(),
        make_control().query("place_id in ['a', 'b']"),
        title="Smaller",
    )
    other.to_gpkg(path)
    assert gc.read_gpkg(path).title == "Smaller"
    assert [p.name for p in tmp_path.iterdir()] == ["grid.gpkg"]


def test_a_failed_write_keeps_the_old_file(conflict, tmp_path, monkeypatch):
    path = conflict.to_gpkg(tmp_path / "grid.gpkg")
    before = path.read_bytes()
    calls = []

    def broken(frame, *args, **kwargs):
        calls.append(kwargs["layer"])
        if len(calls) == 3:
            raise OSError("disk full")
        return original(frame, *args, **kwargs)

    original = pyogrio.write_dataframe
    monkeypatch.setattr(pyogrio, "write_dataframe", broken)
    with pytest.raises(OSError, match="disk full"):
        conflict.to_gpkg(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["grid.gpkg"]


def test_a_geopackage_made_elsewhere_is_read_by_its_layers(tmp_path):
    path = tmp_path / "qgis.gpkg"
    places = make_places()
    pyogrio.write_dataframe(places, path, layer="places", driver="GPKG")
    control = make_control().assign(date=lambda t: pd.to_datetime(t["date"]))
    pyogrio.write_dataframe(control, path, layer="control", driver="GPKG")
    c = gc.read_conflict(path)
    assert c.title == "qgis"
    assert list(c.actors.index) == ["gov", "reb"]
    assert c.control_at("2024-12-05").loc["b", "actor_id"] == "reb"


# ------------------------------------------------------------------------ error messages


def test_a_file_that_is_not_a_geopackage(tmp_path):
    path = tmp_path / "fake.gpkg"
    path.write_text("place_id,name\na,A\n")
    with pytest.raises(
        FormatError,
        match=r"fake.gpkg: is not a GeoPackage \(it is not an "
        r"SQLite database.*Fix: export it again as a GeoPackage",
    ):
        gc.read_conflict(path)


def test_a_truncated_geopackage(conflict, tmp_path):
    path = conflict.to_gpkg(tmp_path / "cut.gpkg")
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(
        FormatError,
        match=r"cut.gpkg: could not be opened as a GeoPackage "
        r"\(.*\)\. Fix: check that the file is complete",
    ):
        gc.read_gpkg(path)


def test_a_geopackage_without_our_layers(tmp_path):
    path = tmp_path / "roads.gpkg"
    roads = gpd.GeoDataFrame(
        {"name": ["M5"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4326
    )
    pyogrio.write_dataframe(roads, path, layer="roads", driver="GPKG")
    with pytest.raises(
        FormatError,
        match=r"roads.gpkg: has no layer\(s\) \['places', "
        r"'control'\]; it holds \['roads'\]\. Fix: pass a GeoPackage written by",
    ):
        gc.read_gpkg(path)


def test_a_missing_file_and_a_folder(tmp_path):
    with pytest.raises(FormatError, match=r"nope.gpkg: no such file\. Fix: check the path"):
        gc.read_gpkg(tmp_path / "nope.gpkg")
    (tmp_path / "dir.gpkg").mkdir()
    with pytest.raises(
        FormatError,
        match=r"dir.gpkg: is a folder, not a GeoPackage\. Fix: "
        r"pass the \.gpkg file",
    ):
        gc.read_gpkg(tmp_path / "dir.gpkg")


def test_a_damaged_metadata_table(conflict, tmp_path):
    path = conflict.to_gpkg(tmp_path / "grid.gpkg")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE geoconflict_metadata SET value = '{oops' WHERE key = 'layers'")
    with pytest.raises(
        FormatError,
        match=r"the table 'geoconflict_metadata' is damaged\. "
        r"Fix: delete that table",
    ):
        gc.read_gpkg(path)


def test_invalid_tables_are_schema_errors(conflict, tmp_path):
    path = conflict.to_gpkg(tmp_path / "grid.gpkg")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE control SET actor_id = 'nobody' WHERE place_id = 'a'")
    with pytest.raises(SchemaError, match=r"unknown actor id"):
        gc.read_gpkg(path)


def test_the_layer_list_is_the_documented_one():
    assert gpkg.TABLES == (
        "places",
        "actors",
        "control",
        "flows",
        "events",
        "boundary",
        "context",
        "zones",
    )
