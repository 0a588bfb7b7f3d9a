"""A catalogue of bad inputs and the clear error each one gets.

Each case breaks one file of a valid dataset folder. Reading it must raise the library's own
error naming the file (and row, column and value where there is one) and the fix, and the
command line must exit with status 2 and print one line, with no traceback.
"""

from __future__ import annotations

import shutil

import pytest

import geoconflict as gc
from geoconflict.cli import main

PLACES = "place_id,name,lon,lat\n"
CONTROL = "place_id,actor_id,date\n"
FLOWS = "origin,destination,start,people\n"


def places(*rows):
    base = [
        "a,Alpha,36,35.5",
        "b,Bravo,36.5,35.5",
        "c,Charlie,37,35.5",
        "d,Delta,36,35",
        "e,Echo,36.5,35",
        "f,Foxtrot,37,35",
    ]
    return PLACES + "\n".join(list(rows) or base) + "\n"


def with_rows(header, *rows):
    return header + "\n".join(rows) + "\n"


# (case, file, content (str or bytes), error class, message pattern)
CATALOGUE = [
    ("empty file", "places.csv", "", gc.FormatError, r"places\.csv: the file is empty"),
    (
        "header only",
        "control.csv",
        CONTROL,
        gc.FormatError,
        r"control\.csv: the file has a header but no data rows",
    ),
    (
        "wrong delimiter",
        "places.csv",
        places().replace(",", ";"),
        gc.FormatError,
        r"places\.csv: the header .* seems to be separated by semicolons\. Fix: pass "
        r"delimiter=';'",
    ),
    (
        "cp1256 Arabic",
        "places.csv",
        places("a,حلب,36,35.5").encode("cp1256"),
        gc.FormatError,
        r"places\.csv, line 2: bytes .* are not valid utf-8\. Fix: save the file as UTF-8",
    ),
    (
        "mixed date formats",
        "control.csv",
        with_rows(CONTROL, "a,gov,2024-12-01", "b,gov,12/01/2024"),
        gc.SchemaError,
        r"control\.csv, row 2, column 'date', value '12/01/2024': not a date in the form "
        r"YYYY-MM-DD",
    ),
    (
        "date far in the past",
        "control.csv",
        with_rows(CONTROL, "a,gov,0224-12-01"),
        gc.SchemaError,
        r"row 1, column 'date', value '0224-12-01': date is outside 1800\.\.2100",
    ),
    (
        "date far in the future",
        "control.csv",
        with_rows(CONTROL, "a,gov,20241-12-01"),
        gc.SchemaError,
        r"row 1, column 'date', value '20241-12-01': ",
    ),
    (
        "NaN coordinate",
        "places.csv",
        places("a,Alpha,nan,35.5"),
        gc.SchemaError,
        r"places\.csv, row 1, column 'lon', value 'nan': longitude is not a number",
    ),
    (
        "infinite coordinate",
        "places.csv",
        places("a,Alpha,36,inf"),
        gc.SchemaError,
        r"row 1, column 'lat', value 'inf': latitude must be finite",
    ),
    (
        "lat/lon swapped",
        "places.csv",
        places("a,Alpha,35.5,136"),
        gc.SchemaError,
        r"row 1, column 'lon/lat', value '35\.5, 136': latitude is outside -90\.\.90; longitude "
        r"and latitude look swapped\. Fix: swap the columns",
    ),
    (
        "duplicate ids",
        "places.csv",
        places("a,Alpha,36,35.5", "a,Alpha again,36.1,35.5"),
        gc.SchemaError,
        r"row 1, column 'place_id', value 'a': duplicate place id",
    ),
    (
        "ids differing by case",
        "places.csv",
        places("a,Alpha,36,35.5", "A,Alpha,36.1,35.5"),
        gc.SchemaError,
        r"row 1, column 'place_id', value 'a': place ids differ only by case",
    ),
    (
        "ids differing by whitespace",
        "places.csv",
        places("a,Alpha,36,35.5", " a ,A,36.1,35.5"),
        gc.SchemaError,
        r"row 1, column 'place_id', value 'a': duplicate place id",
    ),
    (
        "negative people",
        "flows.csv",
        with_rows(FLOWS, "a,b,2024-12-01,-40"),
        gc.SchemaError,
        r"row 1, column 'people', value '-40': people must be at least 0",
    ),
    (
        "people with a thousands separator",
        "flows.csv",
        with_rows(FLOWS, 'a,b,2024-12-01,"1,200"'),
        gc.SchemaError,
        r"value '1,200': people is not a number\. Fix: write plain numbers",
    ),
    (
        "people as words",
        "flows.csv",
        with_rows(FLOWS, "a,b,2024-12-01,approx. 500"),
        gc.SchemaError,
        r"value 'approx\. 500': people is not a number",
    ),
    (
        "overlapping control records",
        "control.csv",
        with_rows(CONTROL, "a,gov,2024-12-01", "a,reb,2024-12-01"),
        gc.SchemaError,
        r"row 1, column 'actor_id', value 'a on 2024-12-01: gov \(held\)': records for the same "
        r"place and date disagree",
    ),
    (
        "contested without a challenger",
        "control.csv",
        "place_id,actor_id,date,status\na,gov,2024-12-01,contested\n",
        gc.SchemaError,
        r"row 1, column 'contested_by', value 'contested': contested record without a "
        r"challenger\. Fix: fill contested_by",
    ),
    (
        "contested by the holder",
        "control.csv",
        "place_id,actor_id,date,status,contested_by\na,gov,2024-12-01,contested,gov\n",
        gc.SchemaError,
        r"a place cannot be contested by the actor holding it",
    ),
    (
        "unknown place in control",
        "control.csv",
        with_rows(CONTROL, "zz,gov,2024-12-01"),
        gc.SchemaError,
        r"control\.csv, row 1, column 'place_id', value 'zz': unknown place id",
    ),
    (
        "unknown actor in control",
        "control.csv",
        with_rows(CONTROL, "a,nobody,2024-12-01"),
        gc.SchemaError,
        r"row 1, column 'actor_id', value 'nobody': unknown actor id",
    ),
    (
        "end before start",
        "flows.csv",
        "origin,destination,start,end,people\na,b,2024-12-05,2024-12-01,10\n",
        gc.SchemaError,
        r"row 1, column 'end', value '2024-12-01': end is before start",
    ),
    (
        "invalid geometry",
        "places.csv",
        'place_id,name,wkt\na,Alpha,"POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"\n',
        gc.SchemaError,
        r"row 1, column 'geometry', value 'Self-intersection.*': geometry is invalid\. Fix: "
        r"repair it",
    ),
    (
        "empty geometry",
        "places.csv",
        "place_id,name,wkt\na,Alpha,POINT EMPTY\n",
        gc.SchemaError,
        r"row 1, column 'geometry', value 'POINT EMPTY': geometry is empty",
    ),
    (
        "not WKT",
        "places.csv",
        "place_id,name,wkt\na,Alpha,POINT (1\n",
        gc.SchemaError,
        r"row 1, column 'wkt', value 'POINT \(1': not a WKT geometry",
    ),
    (
        "boundary that is not a polygon",
        "boundary.geojson",
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"LineString","coordinates":[[36,35],[37,36]]}}]}',
        gc.BoundaryError,
        r"boundary\.geojson, row 1: the boundary must be Polygons or MultiPolygons, got "
        r"LineString",
    ),
    (
        "truncated GeoJSON",
        "boundary.geojson",
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Pol',
        gc.FormatError,
        r"boundary\.geojson: could not read it as a vector file .*Fix: check "
        r"that the file is complete",
    ),
    (
        "broken datapackage.json",
        "datapackage.json",
        "{not json",
        gc.FormatError,
        r"datapackage\.json: not valid JSON",
    ),
]


@pytest.fixture(scope="module")
def valid_folder(tmp_path_factory):
    from conftest import make_conflict

    base = tmp_path_factory.mktemp("valid")
    return make_conflict(title=None).save(base / "valid")


@pytest.fixture
def broken(tmp_path, valid_folder, request):
    _, name, content, *_ = request.param
    folder = tmp_path / "broken"
    shutil.copytree(valid_folder, folder)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize(
    ("broken", "case"),
    [(c, c) for c in CATALOGUE],
    ids=[c[0] for c in CATALOGUE],
    indirect=["broken"],
)
def test_reading_raises_a_clear_error(broken, case):
    _, _, _, error, pattern = case
    with pytest.raises(error, match=pattern):
        gc.read_conflict(broken)


@pytest.mark.parametrize(
    ("broken", "case"),
    [(c, c) for c in CATALOGUE],
    ids=[c[0] for c in CATALOGUE],
    indirect=["broken"],
)
def test_command_exits_2_with_one_line(broken, case, capsys):
    assert main(["summary", str(broken)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("geoconflict: error: "), err
    assert main(["validate", str(broken)]) == 2
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_byte_order_mark_is_fine(tmp_path, valid_folder):
    folder = tmp_path / "bom"
    shutil.copytree(valid_folder, folder)
    text = (folder / "places.csv").read_text(encoding="utf-8")
    (folder / "places.csv").write_bytes(("\ufeff" + text).encode("utf-8"))
    assert list(gc.read_conflict(folder).places.index)[:2] == ["a", "b"]


def test_not_a_geopackage(tmp_path):
    fake = tmp_path / "conflict.gpkg"
    fake.write_text("place_id,name\n")
    with pytest.raises(gc.FormatError, match=r"conflict\.gpkg.*not a GeoPackage"):
        gc.read_conflict(fake)


def test_points_outside_the_boundary_are_a_warning_naming_them(valid_folder):
    conflict = gc.read_conflict(valid_folder)
    places = conflict.places.copy()
    import shapely

    places.loc["a", "geometry"] = shapely.Point(40.0, 35.5)
    moved = gc.Conflict(places, conflict.actors, conflict.control, boundary=conflict.boundary)
    with pytest.warns(gc.DataWarning, match=r"1 place\(s\) lie outside the boundary .*'a'"):
        gc.territories(moved, "2024-12-05")


def test_overflowing_wkt_coordinate(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("place_id,name,wkt\na,Alpha,POINT (1E400 2)\n")
    with pytest.raises(
        gc.SchemaError,
        match=r"value 'POINT \(Infinity 2\)': coordinates must "
        r"be finite numbers",
    ):
        gc.read_places(path)


def test_many_actors_without_colours_get_stable_distinct_colours():
    import pandas as pd

    actors = pd.DataFrame({"color": [None] * 25}, index=[f"a{i}" for i in range(25)])
    colors = gc.actor_colors(actors)
    assert len(set(colors.values())) == 25
    assert colors["a24"] == gc.actor_colors(actors)["a24"]
