"""One land setting: the map, the figures and the GIS files written with the same
``max_distance_km`` / ``boundary`` hold the same land; Conflict's methods are the functions."""

from __future__ import annotations

import inspect
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geoconflict as gc
from geoconflict.cli import main

DAY = "2024-03-02"


@pytest.fixture(scope="module")
def veld() -> gc.Conflict:
    """Five towns far apart in the southern hemisphere (near 24 S, 30 E), two sides."""
    places = gc.make_places(
        ["a", "b", "c", "d", "e"],
        ["Aloe", "Baobab", "Cycad", "Dune", "Erica"],
        [29.0, 29.6, 30.4, 31.0, 30.0],
        [-24.0, -24.5, -23.6, -24.2, -23.2],
        population=[5000, 3000, 8000, 1000, 2000],
    )
    control = pd.DataFrame(
        {
            "place_id": ["a", "b", "c", "d", "e", "b"],
            "actor_id": ["west", "west", "east", "east", "west", "east"],
            "date": ["2024-03-01"] * 5 + ["2024-03-03"],
        }
    )
    return gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["west", "east"]}),
        control,
        boundary=shapely.box(28.5, -25.0, 31.5, -22.8),
        title="Veld",
    )


def areas(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["actor_id"], frame["area_km2"].round(3), strict=True))


def test_the_setting_changes_the_land(veld):
    default = areas(gc.territories(veld, DAY))
    near = areas(gc.territories(veld, DAY, max_distance_km=20))
    assert near["west"] < default["west"] and near["east"] < default["east"]
    disk = np.pi * 20**2  # three west towns, two east towns, circles apart
    assert near["west"] == pytest.approx(3 * disk, rel=0.01)
    assert near["east"] == pytest.approx(2 * disk, rel=0.01)


def test_gpkg_and_geojson_hold_the_land_the_functions_give(veld, tmp_path):
    expected = areas(gc.territories(veld, DAY, max_distance_km=20))
    gpkg = gc.to_gpkg(veld, tmp_path / "veld.gpkg", when=DAY, max_distance_km=20)
    layer = pyogrio.read_dataframe(gpkg, layer="map_territories")
    assert areas(layer) == expected
    folder = gc.to_geojson(veld, tmp_path / "veld", when=DAY, max_distance_km=20)
    assert areas(gc.read_geojson(folder / "territories.geojson")) == expected
    fronts = gc.read_geojson(folder / "frontlines.geojson")
    assert fronts.empty  # circles 20 km wide never meet: no front
    assert not gc.frontlines(veld, DAY).empty  # without the limit they do


def test_the_map_shows_the_land_the_files_hold(veld):
    data = gc.maps.map_data(veld, DAY, max_distance_km=20)
    land = data["land"]
    codes = np.array(land["base"])
    for diff in land["diff"][: land["at"][data["steps"].index(DAY)]]:
        codes[np.array(diff[0::2], dtype=int)] = diff[1::2]
    area = np.array(land["area"], dtype=float)
    actors = [a["id"] for a in data["actors"]]
    shown = {actor: float(area[codes == i].sum()) for i, actor in enumerate(actors)}
    expected = areas(gc.territories(veld, DAY, max_distance_km=20))
    for actor, km2 in expected.items():
        assert shown[actor] == pytest.approx(km2, abs=0.1 * len(area))


def test_snapshot_summary_takes_the_setting(veld):
    near = veld.at(DAY, max_distance_km=20).summary().set_index("actor_id")
    expected = areas(gc.territories(veld, DAY, max_distance_km=20))
    assert near.loc["west", "area_km2"] == pytest.approx(expected["west"])


def test_the_command_line_takes_the_setting(veld, tmp_path, capsys):
    folder = gc.save_conflict(veld, tmp_path / "veld")
    out = tmp_path / "near.gpkg"
    assert (
        main(
            [
                "export",
                str(folder),
                "--format",
                "gpkg",
                "-o",
                str(out),
                "--date",
                DAY,
                "--max-distance-km",
                "20",
            ]
        )
        == 0
    )
    layer = pyogrio.read_dataframe(out, layer="map_territories")
    assert areas(layer) == areas(gc.territories(veld, DAY, max_distance_km=20))
    assert (
        main(
            [
                "export",
                str(folder),
                "--format",
                "gpkg",
                "-o",
                str(out),
                "--max-distance-km",
                "auto",
            ]
        )
        == 0
    )
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["map", str(folder), "-o", str(tmp_path / "m.html"), "--max-distance-km", "far"])
    assert exit_info.value.code == 2
    assert "'far' is not a number of km or 'auto'" in capsys.readouterr().err
    code = main(
        [
            "export",
            str(folder),
            "--format",
            "parquet",
            "-o",
            str(tmp_path / "p"),
            "--max-distance-km",
            "20",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--max-distance-km applies to --format geojson and gpkg only" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("method", "function"),
    [
        ("territories", gc.territories),
        ("frontlines", gc.frontlines),
        ("territory_changes", gc.territory_changes),
        ("control_summary", gc.control_summary),
        ("explore", gc.explore),
        ("export_layers", gc.export_layers),
        ("to_gpkg", gc.to_gpkg),
        ("to_geojson", gc.to_geojson),
        ("save", gc.save_conflict),
    ],
)
def test_conflict_methods_are_the_functions(veld, method, function):
    """A keyword added to the function is a keyword of the method, with its default."""
    bound = getattr(veld, method)
    params = list(inspect.signature(function).parameters.values())[1:]
    assert list(inspect.signature(bound).parameters.values()) == params
    assert inspect.getdoc(function).splitlines()[0] in inspect.getdoc(bound)


def test_a_method_returns_what_the_function_returns(veld):
    by_method = veld.territories(DAY, max_distance_km=20)
    by_function = gc.territories(veld, DAY, max_distance_km=20)
    assert by_method.geometry.geom_equals_exact(by_function.geometry, 0).all()
    assert json.dumps(areas(by_method)) == json.dumps(areas(by_function))


def test_a_conflict_keeps_its_cells_and_lets_them_go_with_it():
    """Asking a conflict for the same land again returns the cells it got (no content key
    computed); the cells kept do not keep the conflict alive."""
    import gc as garbage
    import weakref

    from conftest import make_actors, make_boundary, make_control, make_places

    from geoconflict.territory import _land
    from geoconflict.territory._setting import land_setting

    conflict = gc.Conflict(make_places(), make_actors(), make_control(), boundary=make_boundary())
    setting = land_setting()
    day = pd.DatetimeIndex(["2024-12-05"])
    first = _land.land_cells(conflict, setting, dates=day)
    assert _land.land_cells(conflict, setting, dates=day) is first
    other_day = _land.land_cells(conflict, setting, dates=pd.DatetimeIndex(["2024-12-06"]))
    assert _land.land_cells(conflict, setting, dates=day) is first
    assert len(other_day) > 0
    held = weakref.ref(conflict)
    del conflict
    garbage.collect()
    assert held() is None


def test_a_boundary_table_changed_between_calls_gives_the_new_land():
    """The cells a conflict keeps are not used when the boundary is the caller's table:
    changed in place, the next call draws the new area."""
    from conftest import make_actors, make_control, make_places

    conflict = gc.Conflict(make_places(), make_actors(), make_control())
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(35.5, 34.5, 37.5, 36.5)], crs=4326)
    day = "2024-12-05"
    wide = gc.territories(conflict, day, boundary=boundary)["area_km2"].sum()
    boundary.geometry = [shapely.box(36.0, 35.0, 37.0, 36.0)]
    narrow = gc.territories(conflict, day, boundary=boundary)["area_km2"].sum()
    fresh = gc.territories(
        gc.Conflict(make_places(), make_actors(), make_control()), day, boundary=boundary
    )["area_km2"].sum()
    assert narrow == pytest.approx(fresh)
    assert narrow < 0.5 * wide
