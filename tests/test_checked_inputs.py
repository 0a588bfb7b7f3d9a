"""Every public function checks what it is given.

The test walks ``geoconflict.__all__``: each function that takes a table is given the table
without each required column, with a column of the wrong type, and empty, and must raise a
GeoconflictError naming the column (never a KeyError or a pandas error); each function that
takes a conflict is given a table instead; options with a bad value get OptionError.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_boundary, make_control, make_flows, make_places

import geoconflict as gc


@dataclass(frozen=True)
class TableArg:
    """How to call a public function with one table replaced."""

    call: Callable[[object], object]
    good: Callable[[], pd.DataFrame]
    required: tuple[str, ...]
    wrong: dict[str, object] = field(default_factory=dict)  # column -> a wrongly typed value


def _places() -> gpd.GeoDataFrame:
    return gc.Conflict(make_places(), make_actors(), make_control()).places


def _grid_conflict() -> gc.Conflict:
    return gc.Conflict(make_places(), make_actors(), make_control(), boundary=make_boundary())


def _raw_places() -> gpd.GeoDataFrame:
    return make_places()


def _events() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(["2024-12-05"]),
            "sub_event_type": ["Non-state actor overtakes territory"],
            "actor1": ["Rebels"],
        },
        geometry=[shapely.Point(36.5, 35.5)],
        crs="EPSG:4326",
    )


def _snapshots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": ["2024-12-05"], "actor_id": ["reb"], "status": ["held"]},
        geometry=[shapely.box(36, 35, 37, 36)],
        crs="EPSG:4326",
    )


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "adm1_pcode": ["SY02", "SY05"],
            "adm1_name": ["Aleppo", "Hama"],
            "adm1_name1": ["حلب", "حماة"],
        },
        geometry=[shapely.box(36, 35.6, 38, 36.6), shapely.box(36, 34.8, 38, 35.6)],
        crs="EPSG:4326",
    )


_FILES: dict[str, str] = {}


def _file(name: str, text: str) -> str:
    """A small input file, written once per test session."""
    if name not in _FILES:
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / name
        path.write_text(text, encoding="utf-8")
        _FILES[name] = str(path)
    return _FILES[name]


def _control_csv() -> str:
    return _file("control.csv", "place_id,actor_id,date\nAlpha,gov,2024-12-01\n")


def _flows_csv() -> str:
    return _file("flows.csv", "origin,destination,start,people\nAlpha,Bravo,2024-12-01,10\n")


def _hxl_csv() -> str:
    return _file(
        "hxl.csv",
        "from,to,n,day\n#adm1+name+origin,#adm1+name+dest,"
        "#affected+idps+ind,#date+reported\nAlpha,Bravo,10,2024-12-01\n",
    )


CONTROL_WRONG = {"place_id": True, "actor_id": pd.Timestamp("2024-12-01"), "date": "soon"}
FLOW_WRONG = {"origin": True, "destination": True, "start": "soon", "people": "many"}

#: Each public function that takes a table, once per table argument.
TABLES: dict[str, TableArg] = {
    "control_at": TableArg(
        lambda t: gc.control_at(t, "2024-12-05"),
        make_control,
        ("place_id", "actor_id", "date"),
        CONTROL_WRONG,
    ),
    "control_changes": TableArg(
        gc.control_changes, make_control, ("place_id", "actor_id", "date"), CONTROL_WRONG
    ),
    "control_periods": TableArg(
        gc.control_periods, make_control, ("place_id", "actor_id", "date"), CONTROL_WRONG
    ),
    "control_codes": TableArg(
        lambda t: gc.control_codes(t, ["2024-12-05"]),
        make_control,
        ("place_id", "actor_id", "date"),
        CONTROL_WRONG,
    ),
    "active_flows": TableArg(
        lambda t: gc.active_flows(t, "2024-12-05"),
        make_flows,
        ("start",),
        {"start": "soon", "end": "later"},
    ),
    "aggregate_flows": TableArg(
        gc.aggregate_flows, make_flows, ("origin", "destination", "start", "people"), FLOW_WRONG
    ),
    "net_flows": TableArg(
        gc.net_flows,
        make_flows,
        ("origin", "destination", "people"),
        {"origin": True, "destination": True, "people": "many"},
    ),
    "place_totals": TableArg(
        lambda t: gc.place_totals(t, until="2024-12-05"),
        make_flows,
        ("origin", "destination", "people", "start"),
        FLOW_WRONG,
    ),
    "flow_lines": TableArg(
        lambda t: gc.flow_lines(t, _places()),
        make_flows,
        ("origin", "destination"),
        {"origin": True, "destination": True},
    ),
    "flow_lines(places)": TableArg(
        lambda t: gc.flow_lines(make_flows(), t),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "cells": TableArg(
        lambda t: gc.cells(t, make_boundary()),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "check_coverage": TableArg(
        gc.check_coverage,
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "resolve_places": TableArg(lambda t: gc.resolve_places(["Alpha"], t), _raw_places, ("name",)),
    "actor_colors": TableArg(gc.actor_colors, make_actors, (), {"color": 12}),
    "Conflict(places)": TableArg(
        lambda t: gc.Conflict(t, make_actors(), make_control()),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "population": "many"},
    ),
    "Conflict(actors)": TableArg(
        lambda t: gc.Conflict(make_places(), t, make_control()),
        make_actors,
        ("actor_id",),
        {"actor_id": 1.5, "color": 12},
    ),
    "Conflict(control)": TableArg(
        lambda t: gc.Conflict(make_places(), make_actors(), t),
        make_control,
        ("place_id", "actor_id", "date"),
        CONTROL_WRONG,
    ),
    "Conflict(flows)": TableArg(
        lambda t: gc.Conflict(make_places(), make_actors(), make_control(), t),
        make_flows,
        ("origin", "destination", "start", "people"),
        FLOW_WRONG,
    ),
    "control_from_events": TableArg(
        lambda t: gc.control_from_events(t, _places(), actor_map={"Rebels": "reb"}),
        _events,
        ("date", "sub_event_type", "actor1", "geometry"),
        {"date": "soon"},
    ),
    "control_from_events(places)": TableArg(
        lambda t: gc.control_from_events(_events(), t, actor_map={"Rebels": "reb"}),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)"},
    ),
    "read_control(places)": TableArg(
        lambda t: gc.read_control(_control_csv(), places=t),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "read_control(actors)": TableArg(
        lambda t: gc.read_control(_control_csv(), places=_places(), actors=t),
        make_actors,
        (),
        {"color": 12},
    ),
    "read_flows(places)": TableArg(
        lambda t: gc.read_flows(_flows_csv(), places=t),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "read_hxl(places)": TableArg(
        lambda t: gc.read_hxl(_hxl_csv(), places=t),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)", "place_id": True},
    ),
    "event_context": TableArg(
        lambda t: gc.event_context(t, _grid_conflict()),
        _events,
        ("date", "geometry"),
        {"date": "soon", "geometry": "POINT (36 35)"},
    ),
    "places_from_admin": TableArg(
        gc.places_from_admin, _areas, ("adm1_pcode", "adm1_name", "geometry"), {"adm1_pcode": True}
    ),
    "control_from_polygons(places)": TableArg(
        lambda t: gc.control_from_polygons(t, _snapshots()),
        _raw_places,
        ("place_id", "name", "geometry"),
        {"geometry": "POINT (36 35)"},
    ),
    "control_from_polygons(snapshots)": TableArg(
        lambda t: gc.control_from_polygons(_places(), t),
        _snapshots,
        ("date", "actor_id", "geometry"),
    ),
    "snapshot_zones": TableArg(gc.snapshot_zones, _snapshots, ("date", "actor_id", "geometry")),
    "present_counts": TableArg(
        gc.present_counts, make_flows, ("destination", "start", "people"), FLOW_WRONG
    ),
}

#: Public functions that take a conflict: each is given a table instead.
CONFLICTS: dict[str, Callable[[object], object]] = {
    "territories": lambda c: gc.territories(c, "2024-12-05"),
    "frontlines": lambda c: gc.frontlines(c, "2024-12-05"),
    "territory_changes": lambda c: gc.territory_changes(c, "2024-12-01", "2024-12-05"),
    "control_summary": gc.control_summary,
    "explore": gc.explore,
    "plot_map": gc.plot_map,
    "plot_small_multiples": lambda c: gc.plot_small_multiples(c, ["2024-12-05"]),
    "plot_control_over_time": gc.plot_control_over_time,
    "animate": lambda c: gc.animate(c, "never-written.gif"),
    "save_conflict": lambda c: gc.save_conflict(c, "never-written"),
    "to_gpkg": lambda c: gc.to_gpkg(c, "never-written.gpkg"),
    "export_layers": gc.export_layers,
    "event_context": lambda c: gc.event_context(_events(), c),
    "control_panel": gc.control_panel,
    "front_exposure": gc.front_exposure,
    "flows_by_control": gc.flows_by_control,
}

#: Public functions that take a conflict or a table (and write either): given a list.
EITHER: dict[str, Callable[[object], object]] = {
    "to_geojson": lambda x: gc.to_geojson(x, "never-written.geojson"),
    "to_parquet": lambda x: gc.to_parquet(x, "never-written.parquet"),
    "save_map": lambda x: gc.save_map(x, "never-written.html"),
    "save_figure": lambda x: gc.save_figure(x, "never-written.png"),
}

#: Public names that take no table or conflict, and why.
NO_TABLE = {
    "make_places": "plain columns (tested below)",
    "example_path": "no arguments",
    "load_example": "no arguments",
    "read_acled": "a path",
    "read_actors": "a path",
    "read_boundary": "a path",
    "read_conflict": "a path",
    "read_geojson": "a path",
    "read_gpkg": "a path",
    "read_parquet": "a path",
    "read_places": "a path",
    "read_control_polygons": "a path",
    "read_ucdp_ged": "a path",
    "check_folder": "a path",
    "load_basemap": "no arguments",
    "make_basemap": "optional layers, each checked by make_basemap (tested below)",
}

#: Parameter names that mean "a table or a conflict goes here".
TABLE_PARAMETERS = {
    "control",
    "flows",
    "places",
    "actors",
    "events",
    "gdf",
    "conflict",
    "obj",
    "fig",
    "m",
    "table",
}


def public_callables() -> dict[str, object]:
    out = {}
    for name in gc.__all__:
        obj = getattr(gc, name)
        if name == "Conflict" or (callable(obj) and not isinstance(obj, type)):
            out[name] = obj
    return out


def test_every_public_function_is_covered():
    covered = {k.split("(")[0] for k in TABLES} | set(CONFLICTS) | set(EITHER) | set(NO_TABLE)
    missing = sorted(set(public_callables()) - covered)
    assert missing == [], f"add these public functions to a table in {__file__}: {missing}"
    for name, obj in public_callables().items():
        params = set(inspect.signature(obj).parameters)
        if params & TABLE_PARAMETERS:
            assert name not in NO_TABLE, f"{name} takes {params & TABLE_PARAMETERS}"


def _cases(kind: str) -> list[tuple[str, str]]:
    cases = []
    for name, arg in TABLES.items():
        columns = arg.required if kind == "missing" else tuple(arg.wrong)
        cases += [(name, column) for column in columns]
    return cases


def _without(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if column == "geometry" and isinstance(frame, gpd.GeoDataFrame):
        return pd.DataFrame(frame.drop(columns="geometry"))
    if column not in frame.columns and frame.index.name == column:
        return frame.reset_index(drop=True)
    return frame.drop(columns=column)


def _with(frame: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    frame = frame.copy()
    if column == "geometry":
        return pd.DataFrame(frame.drop(columns="geometry")).assign(geometry=value)
    frame[column] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
    return frame


@pytest.mark.parametrize(("name", "column"), _cases("missing"))
def test_missing_column_is_named(name, column):
    arg = TABLES[name]
    with pytest.raises(gc.GeoconflictError, match=f"'{column}'"):
        arg.call(_without(arg.good(), column))


@pytest.mark.parametrize(("name", "column"), _cases("wrong"))
def test_wrongly_typed_column_is_named(name, column):
    arg = TABLES[name]
    with pytest.raises(gc.GeoconflictError, match=f"'{column}'"):
        arg.call(_with(arg.good(), column, arg.wrong[column]))


@pytest.mark.parametrize("name", [n for n, a in TABLES.items() if a.required])
def test_empty_table_names_a_column(name):
    arg = TABLES[name]
    named = "|".join(f"'{column}'" for column in arg.required)
    with pytest.raises(gc.GeoconflictError, match=named):
        arg.call(pd.DataFrame())


@pytest.mark.parametrize("name", list(TABLES))
def test_the_good_table_works_and_is_not_changed(name):
    arg = TABLES[name]
    table = arg.good()
    before = table.copy()
    arg.call(table)
    pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize(
    "name",
    [
        "control_at",
        "control_changes",
        "control_periods",
        "net_flows",
        "aggregate_flows",
        "place_totals",
        "active_flows",
        "flow_lines",
    ],
)
def test_no_rows_with_the_columns_is_no_error(name):
    arg = TABLES[name]
    arg.call(arg.good().iloc[:0])


@pytest.mark.parametrize("name", list(TABLES))
def test_not_a_table(name):
    with pytest.raises(gc.GeoconflictError, match="DataFrame"):
        TABLES[name].call(["not", "a", "table"])


@pytest.mark.parametrize("name", list(CONFLICTS))
def test_a_table_where_a_conflict_goes(name):
    with pytest.raises(gc.ArgumentTypeError, match="must be a geoconflict.Conflict"):
        CONFLICTS[name](make_control())


@pytest.mark.parametrize("name", list(EITHER))
def test_a_list_where_a_table_or_conflict_goes(name):
    pytest.importorskip("pyarrow")
    pytest.importorskip("matplotlib")
    with pytest.raises(gc.ArgumentTypeError):
        EITHER[name]([1, 2])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: gc.make_places(["a", "b"], ["A"], [36.0, 36.5], [35.0, 35.0]),
            "the columns differ in length",
        ),
        (lambda: gc.make_places(["a"], ["A"], ["east"], [35.0]), "column 'lon'"),
        (lambda: gc.make_places("a", ["A"], [36.0], [35.0]), "place_id must be a sequence"),
        (lambda: gc.resolve_places("Alpha", make_places()), "names must be a sequence"),
        (lambda: gc.make_basemap(countries=[1, 2]), "countries"),
        (
            lambda: gc.control_at(make_control(), "2024-12-05", places=5),
            "places must be a places table or a sequence of place ids",
        ),
    ],
)
def test_bad_plain_arguments(call, match):
    with pytest.raises(gc.GeoconflictError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda c: gc.territories(c, "2024-12-05", method="kriging"),
            gc.TerritoryOptionError,
            "method",
        ),
        (
            lambda c: gc.territories(c, "2024-12-05", max_distance_km=-1),
            gc.TerritoryOptionError,
            "max_distance_km",
        ),
        (
            lambda c: gc.frontlines(c, "2024-12-05", method="nearest"),
            gc.TerritoryOptionError,
            "method",
        ),
        (lambda c: gc.control_summary(c, freq="fortnightly"), gc.OptionError, "freq"),
        (lambda c: gc.explore(c, lang="de"), gc.MapOptionError, "lang"),
        (lambda c: gc.explore(c, flows="some"), gc.MapOptionError, "flows"),
        (lambda c: gc.plot_map(c, "2024-12-05", lang="de"), gc.FigureOptionError, "lang"),
        (lambda c: gc.explore(c, basemap="syria"), gc.MapOptionError, "basemap"),
        (
            lambda c: gc.plot_map(c, "2024-12-05", basemap="syria"),
            gc.FigureOptionError,
            "basemap",
        ),
        (
            lambda c: gc.flow_lines(c.flows, c.places, curvature=float("nan")),
            gc.OptionError,
            "curvature",
        ),
        (lambda c: gc.flow_lines(c.flows, c.places, points=2.5), gc.OptionError, "points"),
        (lambda c: gc.aggregate_flows(c.flows, freq="fortnightly"), gc.OptionError, "freq"),
        (lambda c: gc.control_at(c.control, "the day after"), gc.DateArgumentError, "when"),
        (lambda c: gc.place_totals(c.flows, until="soon"), gc.DateArgumentError, "until"),
        (
            lambda c: gc.resolve_places(["Alpha"], c.places, errors="ignore"),
            gc.OptionError,
            "errors",
        ),
        (
            lambda c: gc.control_from_events(c.events, c.places, actor_map={}, max_distance_km=-1),
            gc.OptionError,
            "max_distance_km",
        ),
    ],
)
def test_bad_option_values(conflict, call, error, match):
    pytest.importorskip("matplotlib")
    with pytest.raises(error, match=match):
        call(conflict)


@pytest.mark.parametrize(
    ("method", "function"),
    [
        ("territories", gc.territories),
        ("frontlines", gc.frontlines),
        ("territory_changes", gc.territory_changes),
        ("control_summary", gc.control_summary),
        ("explore", gc.explore),
    ],
)
def test_conflict_methods_show_the_functions_parameters(method, function):
    """Conflict's methods spell out the parameters of the function they call, so that help()
    and editors show them; a new option of the function must reach the method too."""
    ours = list(inspect.signature(getattr(gc.Conflict, method)).parameters.values())[1:]
    theirs = list(inspect.signature(function).parameters.values())[1:]
    assert [(p.name, p.kind, p.default) for p in ours] == [
        (p.name, p.kind, p.default) for p in theirs
    ]


def test_flow_lines_method_shows_the_options():
    ours = inspect.signature(gc.Conflict.flow_lines).parameters
    theirs = inspect.signature(gc.flow_lines).parameters
    assert {n: p.default for n, p in ours.items() if n != "self"} == {
        n: p.default for n, p in theirs.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


# ------------------------------------------------------------------ flows without optional columns

#: Flows tables a user may well have: without ``origin`` (a table of people present knows no
#: origin), the same as present counts, and without ``quality`` (optional).
FLOWS_WITHOUT: dict[str, tuple[str, Callable[[], pd.DataFrame]]] = {
    "origin": ("origin", lambda: make_flows().drop(columns="origin")),
    "origin, present counts": (
        "origin",
        lambda: make_flows().drop(columns="origin").assign(kind="present"),
    ),
    "quality": ("quality", lambda: make_flows().drop(columns="quality")),
}

#: Every public function that reads a flows table: given the table itself ...
FLOW_TABLE_CALLS: dict[str, Callable[[pd.DataFrame], object]] = {
    **{name: arg.call for name, arg in TABLES.items() if arg.good is make_flows},
    "Conflict": lambda t: gc.Conflict(make_places(), make_actors(), make_control(), t),
    "to_geojson": lambda t: gc.to_geojson(t, "flows.geojson"),
    "to_parquet": lambda t: gc.to_parquet(t, "flows.parquet"),
    "read_flows": lambda t: gc.read_flows(_written(t)),
}

#: ... or a conflict holding it (every function of CONFLICTS, the writers that take either,
#: and the Conflict methods that read flows).
FLOW_CONFLICT_CALLS: dict[str, Callable[[gc.Conflict], object]] = {
    **CONFLICTS,
    "to_geojson(conflict)": lambda c: gc.to_geojson(c, "layers"),
    "to_parquet(conflict)": lambda c: gc.to_parquet(c, "tables"),
    "save_map": lambda c: gc.save_map(gc.explore(c), "map.html"),
    "Conflict.at": lambda c: c.at("2024-12-05").summary(),
    "Conflict.place_totals": lambda c: c.place_totals(),
    "Conflict.flow_lines": lambda c: c.flow_lines(),
    "read_conflict(save)": lambda c: gc.read_conflict(gc.save_conflict(c, "saved")),
}


def _written(table: pd.DataFrame) -> str:
    path = "flows.csv"
    table.to_csv(path, index=False)
    return path


def _library_error_or_success(call: Callable[[], object], column: str) -> None:
    """The call works, or raises the library's own error naming ``column``; any other
    exception (a KeyError, a pandas error) fails the test."""
    try:
        call()
    except gc.GeoconflictError as exc:
        assert f"'{column}'" in str(exc), f"the error does not name {column!r}: {exc}"


def test_every_function_reading_flows_is_walked():
    reads_flows = {n for n, a in TABLES.items() if a.good is make_flows}
    assert reads_flows <= set(FLOW_TABLE_CALLS)
    assert set(CONFLICTS) <= set(FLOW_CONFLICT_CALLS)


@pytest.mark.parametrize("without", list(FLOWS_WITHOUT))
@pytest.mark.parametrize("name", list(FLOW_TABLE_CALLS))
def test_a_flows_table_without_an_optional_column(name, without, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    monkeypatch.chdir(tmp_path)  # the writers write here
    column, table = FLOWS_WITHOUT[without]
    _library_error_or_success(lambda: FLOW_TABLE_CALLS[name](table()), column)


@pytest.mark.parametrize("without", list(FLOWS_WITHOUT))
@pytest.mark.parametrize("name", list(FLOW_CONFLICT_CALLS))
def test_a_conflict_whose_flows_lack_an_optional_column(name, without, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    column, table = FLOWS_WITHOUT[without]
    try:
        conflict = gc.Conflict(
            make_places(), make_actors(), make_control(), table(), boundary=make_boundary()
        )
    except gc.GeoconflictError as exc:  # the container refuses the table: nothing to walk
        assert f"'{column}'" in str(exc)
        return
    _library_error_or_success(lambda: FLOW_CONFLICT_CALLS[name](conflict), column)
