"""The folder format: save and read back, atomically, with a datapackage.json."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import geoconflict as gc


def test_round_trip(folder, conflict):
    back = gc.read_conflict(folder)
    assert_frame_equal(back.control, conflict.control)
    assert_frame_equal(back.flows, conflict.flows)
    assert_frame_equal(back.actors, conflict.actors)
    assert back.places.geometry.geom_equals(conflict.places.geometry).all()
    assert_frame_equal(
        pd.DataFrame(back.places.drop(columns="geometry")),
        pd.DataFrame(conflict.places.drop(columns="geometry")),
    )
    assert back.boundary.geometry.iloc[0].equals(conflict.boundary.geometry.iloc[0])
    assert back.title == "Grid test"


def test_files_and_datapackage(folder):
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "actors.csv",
        "boundary.geojson",
        "control.csv",
        "datapackage.json",
        "flows.csv",
        "places.csv",
    ]
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["places"]["schema"]["primaryKey"] == ["place_id"]
    assert resources["control"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "places"
    fields = {f["name"]: f["type"] for f in resources["flows"]["schema"]["fields"]}
    assert fields["people"] == "number" and fields["start"] == "date"
    head = (folder / "places.csv").read_text().splitlines()[:2]
    assert head[0].endswith(",lon,lat") and head[1].endswith(",36,35.5")
    assert (folder / "control.csv").read_text().splitlines()[1].startswith("a,gov,2024-12-01,")


def test_saving_twice_gives_identical_bytes(tmp_path, conflict):
    first = conflict.save(tmp_path / "one")
    second = gc.read_conflict(first).save(tmp_path / "two")
    for path in first.iterdir():
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name


def test_save_replaces_folder_atomically(tmp_path, conflict, monkeypatch):
    target = conflict.save(tmp_path / "grid")
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    import geoconflict.io.folder as folder_module

    def broken(_conflict):
        raise OSError("disk full")

    monkeypatch.setattr(folder_module, "folder_files", broken)
    with pytest.raises(OSError, match="disk full"):
        conflict.save(target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["grid"]  # no temporary left behind


def test_actors_file_is_optional(folder):
    (folder / "actors.csv").unlink()
    back = gc.read_conflict(folder)
    assert list(back.actors.index) == ["gov", "reb"]


def test_missing_folder_and_not_a_dataset(tmp_path):
    with pytest.raises(gc.FormatError, match=r"no such folder or file"):
        gc.read_conflict(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        gc.FormatError,
        match=r"has no places\.csv, so it is not a geoconflict "
        r"dataset",
    ):
        gc.read_conflict(tmp_path / "empty")


def test_unknown_ids_name_the_file(folder):
    text = (folder / "control.csv").read_text().replace("f,reb", "g,reb")
    (folder / "control.csv").write_text(text)
    with pytest.raises(
        gc.SchemaError,
        match=r"control\.csv, row 6, column 'place_id', value "
        r"'g': unknown place id",
    ):
        gc.read_conflict(folder)


def test_check_folder_reports_every_problem(folder):
    (folder / "places.csv").write_text(
        (folder / "places.csv").read_text().replace(",35.5", ",135.5", 1)
    )
    (folder / "flows.csv").write_text((folder / "flows.csv").read_text().replace("1000", "-1000"))
    problems = gc.check_folder(folder)
    text = [str(p) for p in problems]
    assert any("places.csv" in t and "latitude" in t for t in text)
    assert any("flows.csv" in t and "people must be at least 0" in t for t in text)
    assert gc.check_folder(folder.parent / "nope")[0].message.endswith("Fix: check the path.")


def test_check_folder_clean(folder):
    assert gc.check_folder(folder) == []


def test_polygon_places_use_wkt(tmp_path, conflict):
    import shapely

    places = conflict.places.copy()
    places.loc["a", "geometry"] = shapely.box(35.9, 35.4, 36.1, 35.6)
    c = gc.Conflict(places, conflict.actors, conflict.control)
    folder = c.save(tmp_path / "poly")
    back = gc.read_conflict(folder)
    assert back.places.loc["a"].geometry.equals(places.loc["a"].geometry)
    assert back.places.loc["b"].geometry.equals(places.loc["b"].geometry)
