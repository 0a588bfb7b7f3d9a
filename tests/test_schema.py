"""Validation of input tables: every bad input gets an error naming file, row, column, value
and the fix."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_flows, make_places

import geoconflict as gc
from geoconflict._schema import validate_boundary, validate_control
from geoconflict._schema_flows import validate_flows

# ------------------------------------------------------------------- readers from CSV files


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_read_places_maps_user_columns_once(tmp_path):
    path = write(
        tmp_path,
        "towns.csv",
        "code,town,x,y,pop\nhama,Hama,36.75,35.13,460602\nhoms,Homs,36.72,34.73,\n",
    )
    places = gc.read_places(
        path, id="code", name="town", x="x", y="y", columns={"population": "pop"}
    )
    assert places.index.tolist() == ["hama", "homs"]
    assert places.loc["hama", "population"] == 460602
    assert pd.isna(places.loc["homs", "population"])
    assert places.loc["homs"].geometry.equals(shapely.Point(36.72, 34.73))
    assert places.crs == "EPSG:4326"


def test_read_places_wkt_polygons(tmp_path):
    path = write(
        tmp_path, "p.csv", 'place_id,name,wkt\nz,Zone,"POLYGON ((36 35, 37 35, 37 36, 36 35))"\n'
    )
    places = gc.read_places(path)
    assert places.geometry.iloc[0].geom_type == "Polygon"


def test_missing_column_names_the_keyword(tmp_path):
    path = write(tmp_path, "p.csv", "id,town,lon,lat\nhama,Hama,36.75,35.13\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"p\.csv: missing column 'place_id'; got \['id', "
        r"'town', 'lon', 'lat'\]\. Fix: pass id='<your column>'",
    ):
        gc.read_places(path)


def test_missing_coordinate_columns(tmp_path):
    path = write(tmp_path, "p.csv", "place_id,name,long,lati\nhama,Hama,36.75,35.13\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"missing column\(s\) \['lon', 'lat'\].*pass "
        r"x='<longitude column>'",
    ):
        gc.read_places(path)


def test_duplicate_place_id(tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "place_id,name,lon,lat\nhama,Hama,36.75,35.13\n"
        "homs,Homs,36.72,34.73\nhama,Hama 2,36.7,35.1\n",
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"p\.csv, row 1, column 'place_id', value 'hama':"
        r" duplicate place id\. Fix: give each place its own id",
    ) as err:
        gc.read_places(path)
    assert [p.row for p in err.value.problems] == [1, 3]


def test_ids_differing_only_by_case_or_whitespace(tmp_path):
    path = write(
        tmp_path, "p.csv", "place_id,name,lon,lat\nHama,Hama,36.75,35.13\nhama ,Hama,36.72,34.73\n"
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"row 1, column 'place_id', value 'Hama': place "
        r"ids differ only by case",
    ):
        gc.read_places(path)


def test_latitude_out_of_range(tmp_path):
    path = write(tmp_path, "p.csv", "place_id,name,lon,lat\nx,X,120.5,95.25\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"row 1, column 'lat', value '120\.5, 95\.25': "
        r"latitude must be between -90 and 90",
    ):
        gc.read_places(path)


def test_coordinates_that_look_swapped(tmp_path):
    path = write(tmp_path, "p.csv", "place_id,name,lon,lat\nx,X,35.13,136.75\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"column 'lon/lat', value '35\.13, 136\.75': "
        r"latitude is outside -90\.\.90; longitude and latitude look swapped\. "
        r"Fix: swap the columns",
    ):
        gc.read_places(path)


@pytest.mark.parametrize(
    ("lat", "message"),
    [
        ("nan", r"column 'lat', value 'nan': latitude is not a number"),
        ("inf", r"column 'lat', value 'inf': latitude must be finite"),
        ("", r"column 'lon/lat', value '36\.1, ': coordinates are missing"),
    ],
)
def test_nonfinite_or_missing_coordinates(tmp_path, lat, message):
    path = write(tmp_path, "p.csv", f"place_id,name,lon,lat\nx,X,36.1,{lat}\n")
    with pytest.raises(gc.SchemaError, match=r"row 1, " + message):
        gc.read_places(path)


def test_nonfinite_geometry_in_memory():
    places = make_places()
    places.loc[0, "geometry"] = shapely.Point(36.0, float("nan"))
    with pytest.raises(
        gc.SchemaError,
        match=r"column 'geometry', value 'POINT \(36 NaN\)'?.*"
        r"coordinates must be finite|geometry is empty",
    ):
        gc.Conflict(places, make_actors(), make_control())


def test_unparseable_date(tmp_path):
    path = write(
        tmp_path, "c.csv", "place_id,actor_id,date\nhama,gov,2024-12-01\nhama,hts,05/12/2024\n"
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"c\.csv, row 2, column 'date', value "
        r"'05/12/2024': not a date in the form YYYY-MM-DD\. Fix: write dates as "
        r"ISO 8601",
    ):
        gc.read_control(path)


def test_date_far_in_the_future(tmp_path):
    path = write(tmp_path, "c.csv", "place_id,actor_id,date\nhama,gov,2224-12-01\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"value '2224-12-01': date is outside 1800\.\.2100"
        r" and is probably mistyped\. Fix: check the year",
    ):
        gc.read_control(path)


def test_timezone_aware_dates_are_converted_to_utc(tmp_path):
    path = write(tmp_path, "c.csv", "place_id,actor_id,date\nhama,gov,2024-12-05T01:00+03:00\n")
    assert gc.read_control(path)["date"].iloc[0] == pd.Timestamp("2024-12-04 22:00")


def test_conflicting_records_same_place_and_date(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "place_id,actor_id,date\nhama,gov,2024-12-05\n"
        "hama,hts,2024-12-05\nhoms,gov,2024-12-05\nhoms,gov,2024-12-05\n",
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"row 1, column 'actor_id', value 'hama on "
        r"2024-12-05: gov \(held\)': records for the same place and date "
        r"disagree",
    ) as err:
        gc.read_control(path)
    assert [p.row for p in err.value.problems] == [1, 2]  # exact repeats (homs) are fine


def test_contested_without_challenger():
    control = pd.DataFrame(
        {"place_id": ["a"], "actor_id": ["gov"], "date": ["2024-12-01"], "status": ["contested"]}
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"column 'contested_by'.*contested record without "
        r"a challenger\. Fix: fill contested_by",
    ):
        validate_control(control)


def test_unknown_status():
    control = pd.DataFrame(
        {"place_id": ["a"], "actor_id": ["gov"], "date": ["2024-12-01"], "status": ["occupied"]}
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"value 'occupied': unknown status\. Fix: use one "
        r"of \['held', 'contested', 'besieged'\]",
    ):
        validate_control(control)


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ("-5", r"value '-5': people must be at least 0"),
        ("1,200", r"value '1,200': people is not a number\. Fix: write plain numbers"),
        ("approx. 500", r"value 'approx\. 500': people is not a number"),
    ],
)
def test_bad_people(tmp_path, people, message):
    path = write(
        tmp_path, "f.csv", f'origin,destination,start,people\na,b,2024-12-01,"{people}"\n'
    )
    with pytest.raises(gc.SchemaError, match=r"f\.csv, row 1, column 'people', " + message):
        gc.read_flows(path)


def test_fractional_people_and_internal_flows_are_valid(tmp_path):
    path = write(tmp_path, "f.csv", "origin,destination,start,people\na,a,2024-12-01,16034.6\n")
    flows = gc.read_flows(path)
    assert flows["people"].iloc[0] == pytest.approx(16034.6)


def test_end_before_start():
    flows = make_flows().assign(end=["2024-12-01", "2024-12-06", "2024-12-05", "2024-12-03"])
    with pytest.raises(
        gc.SchemaError,
        match=r"row 1, column 'end', value '2024-12-01': end is "
        r"before start\. Fix: swap start and end",
    ):
        validate_flows(flows)


def test_households_need_an_explicit_size():
    flows = make_flows().assign(unit="households")
    with pytest.raises(
        gc.SchemaError,
        match=r"counts in households need a household size\. "
        r"Fix: pass household_size=",
    ):
        validate_flows(flows)
    converted = validate_flows(flows, household_size=5.5)
    assert converted["people"].tolist() == [5500.0, 1650.0, 1377.75, 440.0]
    assert converted["households"].tolist() == [1000.0, 300.0, 250.5, 80.0]


def test_unknown_place_and_actor_ids_in_control():
    control = make_control()
    control.loc[2, "place_id"] = "zz"
    control.loc[3, "actor_id"] = "nobody"
    with pytest.raises(
        gc.SchemaError,
        match=r"table 'control', row 3, column 'place_id', value "
        r"'zz': unknown place id\. Fix: use an id from the places table",
    ) as err:
        gc.Conflict(make_places(), make_actors(), control)
    assert "unknown actor id" in str(err.value.problems[1])


def test_unknown_place_in_flows():
    flows = make_flows()
    flows.loc[0, "destination"] = "nowhere"
    with pytest.raises(
        gc.SchemaError,
        match=r"table 'flows', row 1, column 'destination', "
        r"value 'nowhere': unknown place id",
    ):
        gc.Conflict(make_places(), make_actors(), make_control(), flows)


def test_read_control_resolves_place_names_when_given_places(tmp_path, places):
    path = write(
        tmp_path,
        "c.csv",
        "town,side,day\nALFA,gov,2024-12-01\nCharly,reb,2024-12-01\nZulu,reb,2024-12-02\n",
    )
    with pytest.raises(
        gc.SchemaError,
        match=r"row 3, column 'place_id', value 'Zulu': unknown "
        r"place\. Fix: closest known names",
    ):
        gc.read_control(path, place="town", actor="side", date="day", places=places)
    path.write_text("town,side,day\nALFA,gov,2024-12-01\nCharly,reb,2024-12-01\n")
    control = gc.read_control(path, place="town", actor="side", date="day", places=places)
    assert control["place_id"].tolist() == ["a", "c"]


def test_reserved_actor_id():
    with pytest.raises(gc.SchemaError, match=r"value 'contested': this actor id is reserved"):
        gc.Conflict(make_places(), pd.DataFrame({"actor_id": ["contested"]}), make_control())


def test_bad_colour():
    actors = make_actors().assign(color=["blue", "#d55e00"])
    with pytest.raises(gc.SchemaError, match=r"value 'blue': colour must be a hex colour"):
        gc.Conflict(make_places(), actors, make_control())


def test_invalid_and_empty_geometry():
    places = make_places()
    places.loc[0, "geometry"] = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    places.loc[1, "geometry"] = shapely.Point()
    with pytest.raises(gc.SchemaError, match=r"geometry is empty") as err:
        gc.Conflict(places, make_actors(), make_control())
    assert any(
        "geometry is invalid" in str(p) and "make_valid" in str(p) for p in err.value.problems
    )


def test_all_problems_are_collected():
    places = make_places()
    places.loc[0, "name"] = " "
    places.loc[1, "population"] = -3
    with pytest.raises(gc.SchemaError, match=r"\(1 more problem\(s\) in this input\)") as err:
        gc.Conflict(places, make_actors(), make_control())
    assert [p.column for p in err.value.problems] == ["name", "population"]


# ------------------------------------------------------------------- boundary


def test_boundary_must_be_polygons():
    with pytest.raises(
        gc.BoundaryError,
        match=r"must be Polygons or MultiPolygons, got "
        r"LineString",
    ):
        validate_boundary(gpd.GeoSeries([shapely.LineString([(0, 0), (1, 1)])]))


def test_empty_boundary():
    with pytest.raises(gc.BoundaryError, match=r"the boundary is empty\. Fix: give the outline"):
        validate_boundary(gpd.GeoSeries([shapely.Polygon()]))


def test_boundary_of_wrong_type():
    with pytest.raises(gc.BoundaryError, match=r"got list\. Fix: read it with"):
        validate_boundary([1, 2])


def test_invalid_boundary():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    with pytest.raises(gc.BoundaryError, match=r"row 1: the boundary geometry is invalid"):
        validate_boundary(bowtie)


def test_boundary_in_another_crs_is_converted():
    boundary = make_boundary().to_crs(3857)
    out = validate_boundary(boundary)
    assert out.crs == "EPSG:4326"
    assert out.total_bounds == pytest.approx([35.75, 34.75, 37.25, 35.75])


# ------------------------------------------------------------------- broken files


def test_empty_file(tmp_path):
    with pytest.raises(gc.FormatError, match=r"p\.csv: the file is empty"):
        gc.read_places(write(tmp_path, "p.csv", ""))


def test_header_only(tmp_path):
    with pytest.raises(gc.FormatError, match=r"has a header but no data rows"):
        gc.read_places(write(tmp_path, "p.csv", "place_id,name,lon,lat\n"))


def test_wrong_delimiter(tmp_path):
    path = write(tmp_path, "p.csv", "place_id;name;lon;lat\nhama;Hama;36.75;35.13\n")
    with pytest.raises(
        gc.FormatError,
        match=r"separated by semicolons\. Fix: pass "
        r"delimiter=';'",
    ):
        gc.read_places(path)
    assert gc.read_places(path, delimiter=";").index.tolist() == ["hama"]


def test_non_utf8_arabic(tmp_path):
    path = write(
        tmp_path, "p.csv", "place_id,name,lon,lat\nhama,حماة,36.75,35.13\n", encoding="cp1256"
    )
    with pytest.raises(
        gc.FormatError,
        match=r"p\.csv, line 2: bytes .* are not valid utf-8\. "
        r"Fix: save the file as UTF-8.*encoding='cp1256'",
    ):
        gc.read_places(path)
    assert gc.read_places(path, encoding="cp1256").loc["hama", "name"] == "حماة"


def test_byte_order_mark_is_ignored(tmp_path):
    path = write(tmp_path, "p.csv", "\ufeffplace_id,name,lon,lat\nhama,Hama,36.75,35.13\n")
    assert gc.read_places(path).index.tolist() == ["hama"]


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv: no such file"):
        gc.read_places(tmp_path / "nope.csv")


def test_ragged_rows(tmp_path):
    path = write(tmp_path, "p.csv", "place_id,name,lon,lat\nhama,Hama,36.75,35.13,9,9\n")
    with pytest.raises(gc.FormatError, match=r"the rows do not line up with the header"):
        gc.read_places(path)


@pytest.mark.parametrize(
    ("text", "far"),
    [
        ("2100-12-31T00:00:00", False),
        ("2100-12-31T00:00:00.5", True),
        ("2100-12-31T00:00:00.000001", True),
        ("1800-01-01T00:00:00", False),
        ("1799-12-31T23:59:59.5", True),
    ],
)
def test_dates_within_a_second_of_the_limits(text, far):
    """The range check looks at the whole time, not only the second it falls in."""
    from geoconflict._collect import Collector
    from geoconflict._values import parse_dates

    check = Collector("control", report=True)
    out = parse_dates(pd.Series([text]), check, "date", required=False)
    assert bool(out.isna().iloc[0]) is far
    assert len(check.entries()) == int(far)
