"""GeoParquet: files other tools read, folders for conflicts, clear errors."""

from __future__ import annotations

import builtins
import json

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest

import geoconflict as gc
from geoconflict.errors import FormatError
from geoconflict.io.parquet import MissingDependencyError


def test_places_are_geoparquet_that_geopandas_reads(conflict, tmp_path):
    path = gc.to_parquet(conflict.places, tmp_path / "places.parquet")
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    plain = gpd.read_parquet(path)
    assert plain.crs.equals("EPSG:4326") and len(plain) == 6


def test_a_conflict_is_a_folder_of_files(conflict, tmp_path):
    out = gc.to_parquet(conflict, tmp_path / "grid")
    assert sorted(p.name for p in out.iterdir()) == [
        "actors.parquet",
        "boundary.parquet",
        "control.parquet",
        "flows.parquet",
        "geoconflict.json",
        "places.parquet",
    ]
    back = gc.read_parquet(out)
    assert back.title == "Grid test"
    pd.testing.assert_frame_equal(back.flows, conflict.flows)


def test_a_folder_without_actors_takes_them_from_control(conflict, tmp_path):
    out = gc.to_parquet(conflict, tmp_path / "grid")
    (out / "actors.parquet").unlink()
    (out / "geoconflict.json").unlink()
    back = gc.read_parquet(out)
    assert list(back.actors.index) == ["gov", "reb"] and back.title == "grid"


# ------------------------------------------------------------------------ error messages


def test_pyarrow_missing_is_a_clear_error(conflict, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(
        MissingDependencyError,
        match=r"GeoParquet needs the package "
        r"'pyarrow', which is not installed\. Fix: pip install pyarrow",
    ):
        gc.to_parquet(conflict, tmp_path / "x")
    with pytest.raises(MissingDependencyError, match="pyarrow"):
        gc.read_parquet(tmp_path / "x")


def test_other_objects_are_refused(tmp_path):
    with pytest.raises(
        TypeError,
        match=r"to_parquet: obj must be a Conflict, GeoDataFrame or "
        r"DataFrame, got dict",
    ):
        gc.to_parquet({}, tmp_path / "x.parquet")


def test_a_file_that_is_not_parquet(tmp_path):
    path = tmp_path / "x.parquet"
    path.write_text("place_id,name\n")
    with pytest.raises(
        FormatError,
        match=r"x.parquet: is not a Parquet file \(.*\)\. Fix: "
        r"pass a file written by to_parquet",
    ):
        gc.read_parquet(path)


def test_missing_paths_and_incomplete_folders(tmp_path):
    with pytest.raises(
        FormatError,
        match=r"nope: no such file or folder\. Fix: check the "
        r"path",
    ):
        gc.read_parquet(tmp_path / "nope")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "places.parquet").write_bytes(b"")
    with pytest.raises(
        FormatError,
        match=r"half: has no control\.parquet, so it is not a "
        r"conflict written by to_parquet\. Fix: pass that folder",
    ):
        gc.read_parquet(tmp_path / "half")


def test_a_damaged_metadata_file(conflict, tmp_path):
    out = gc.to_parquet(conflict, tmp_path / "grid")
    (out / "geoconflict.json").write_text("{oops")
    with pytest.raises(
        FormatError,
        match=r"geoconflict.json: not valid JSON .*Fix: repair or "
        r"delete it",
    ):
        gc.read_parquet(out)


def test_a_folder_with_other_files_is_not_replaced(conflict, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(
        FormatError,
        match=r"holds files that are not part of a GeoParquet "
        r"export \(notes.txt\)",
    ):
        gc.to_parquet(conflict, tmp_path)
