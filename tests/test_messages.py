"""The remaining validation messages, each with its own input."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control, make_flows, make_places

import geoconflict as gc
from geoconflict._schema import validate_actors, validate_control
from geoconflict._schema_flows import validate_flows
from geoconflict._time import to_timestamp
from geoconflict.io._csv import read_text_table


def test_household_size_must_be_positive():
    flows = make_flows().assign(unit="households")
    with pytest.raises(
        gc.SchemaError,
        match=r"household_size must be a positive number, got "
        r"-2",
    ):
        validate_flows(flows, household_size=-2)


def test_unknown_unit_and_quality():
    flows = make_flows().assign(
        unit=["people", "families", "people", "people"],
        quality=["reported", "rumour", None, "estimate"],
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"row 2, column 'unit', value 'families': unknown "
        r"unit\. Fix: use one of \['people', 'households'\]",
    ) as err:
        validate_flows(flows)
    assert "row 2, column 'quality', value 'rumour': unknown quality" in str(err.value.problems[1])


def test_missing_date_and_ids():
    control = pd.DataFrame(
        {"place_id": ["a", None], "actor_id": ["gov", "gov"], "date": [None, "2024-12-01"]}
    )
    with pytest.raises(gc.SchemaError) as err:
        validate_control(control)
    text = [str(p) for p in err.value.problems]
    assert any("row 2, column 'place_id'" in t and "place_id is missing" in t for t in text)
    assert any("row 1, column 'date'" in t and "date is missing" in t for t in text)


def test_place_name_missing_and_negative_population():
    places = make_places()
    places.loc[2, "name"] = None
    places.loc[3, "population"] = -1
    with pytest.raises(
        gc.SchemaError,
        match=r"row 3, column 'name'.*place name is missing\. "
        r"Fix: give every place a name",
    ) as err:
        gc.Conflict(places, make_actors(), make_control())
    assert "population must be at least 0" in str(err.value.problems[1])


def test_geometry_missing_or_of_the_wrong_kind():
    places = make_places()
    places.loc[0, "geometry"] = None
    places.loc[1, "geometry"] = shapely.LineString([(36, 35), (37, 36)])
    with pytest.raises(
        gc.SchemaError, match=r"row 1, column 'geometry'.*geometry is missing"
    ) as err:
        gc.Conflict(places, make_actors(), make_control())
    assert "geometry must be a Point or Polygon or MultiPolygon" in str(err.value.problems[1])


def test_longitude_out_of_range(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("place_id,name,lon,lat\nx,X,200.5,35\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"column 'lon', value '200\.5, 35': longitude must "
        r"be between -180 and 180",
    ):
        gc.read_places(path)


def test_actor_ids_missing_or_differing_by_case():
    with pytest.raises(
        gc.SchemaError,
        match=r"row 3, column 'actor_id', value None: actor id "
        r"is missing",
    ) as err:
        validate_actors(pd.DataFrame({"actor_id": ["gov", "GOV", None]}))
    assert "row 2, column 'actor_id', value 'GOV': actor ids differ only by case" in str(
        err.value.problems[-1]
    )


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("a,,c\n1,2,3\n", {}, r"header cell\(s\) \[2\] are empty\. Fix: name every column"),
        ("a,b,a\n1,2,3\n", {}, r"column name\(s\) \['a'\] appear more than once"),
        ("a,b\n1,2\n", {"encoding": "klingon"}, r"unknown encoding 'klingon'"),
        ("a,b\n1,\x002\n", {}, r"the file holds NUL bytes, so it is not a text CSV"),
    ],
)
def test_broken_csv_files(tmp_path, content, options, message):
    path = tmp_path / "t.csv"
    path.write_text(content)
    with pytest.raises(gc.FormatError, match=message):
        read_text_table(path, **options)


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(
        gc.FormatError,
        match=r"is a folder, not a CSV file\. Fix: name the "
        r"file",
    ):
        gc.read_places(tmp_path)


def test_missing_date_argument():
    with pytest.raises(
        gc.GeoconflictError,
        match=r"start: a date is needed, got a missing "
        r"value",
    ):
        to_timestamp(None, argument="start")


def test_a_file_that_is_neither_folder_nor_geopackage(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    with pytest.raises(gc.FormatError, match=r"not a dataset folder or \.gpkg file"):
        gc.read_conflict(path)


def test_read_boundary_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"outline\.geojson: no such file"):
        gc.read_boundary(tmp_path / "outline.geojson")


def test_events_are_validated():
    events = gpd.GeoDataFrame(
        {"date": ["2024-12-01", "someday"], "fatalities": [1, -3]},
        geometry=[shapely.Point(36, 35), shapely.Point(36, 35)],
        crs="EPSG:4326",
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"table 'events', row 2, column 'date', value "
        r"'someday': not a date",
    ) as err:
        gc.Conflict(make_places(), make_actors(), make_control(), events=events)
    assert "fatalities must be at least 0" in str(err.value.problems[1])
