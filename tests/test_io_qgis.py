"""QGIS styles travel with the data: ``layer_styles`` in the GeoPackage, ``.qml`` beside GeoJSON.

What QGIS reads is checked as QGIS reads it: its OGR provider looks the default style up in
the ``layer_styles`` table by ``f_table_schema = ''``, ``f_table_name``, ``f_geometry_column``
and ``useAsDefault`` (ordering by ``update_time``), and parses ``styleQML`` as a QML document
whose ``renderer-v2`` holds categories or ranges, each pointing at a symbol by name.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pyogrio
import pytest
from conftest import (
    make_actors,
    make_boundary,
    make_conflict,
    make_control,
    make_flows,
    make_places,
)

import geoconflict as gc
from geoconflict.io.exports import export_layers

#: Columns and GDAL field types of the table QGIS creates to save styles in a GeoPackage.
QGIS_COLUMNS = {
    "f_table_catalog": ("OFTString", "OFSTNone"),
    "f_table_schema": ("OFTString", "OFSTNone"),
    "f_table_name": ("OFTString", "OFSTNone"),
    "f_geometry_column": ("OFTString", "OFSTNone"),
    "styleName": ("OFTString", "OFSTNone"),
    "styleQML": ("OFTString", "OFSTNone"),
    "styleSLD": ("OFTString", "OFSTNone"),
    "useAsDefault": ("OFTInteger", "OFSTBoolean"),
    "description": ("OFTString", "OFSTNone"),
    "owner": ("OFTString", "OFSTNone"),
    "ui": ("OFTString", "OFSTNone"),
    "update_time": ("OFTDateTime", "OFSTNone"),
}
SYMBOL_FOR = {"Point": "marker", "LineString": "line", "Polygon": "fill"}
GEOMETRY_TYPE = {"marker": "0", "line": "1", "fill": "2"}


@pytest.fixture(scope="module")
def example():
    return gc.load_example()


@pytest.fixture(scope="module")
def gpkg(example, tmp_path_factory):
    return example.to_gpkg(tmp_path_factory.mktemp("qgis") / "syria.gpkg", when="2024-12-06")


@pytest.fixture(scope="module")
def grid_gpkg(tmp_path_factory):
    """A small conflict with flows (the example may have none at a given stage)."""
    return make_conflict(title=None).to_gpkg(tmp_path_factory.mktemp("grid") / "grid.gpkg")


def styles_of(path) -> dict[str, dict]:
    """The default style rows, found the way QGIS's OGR provider looks them up."""
    out = {}
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        for name, geometry_type in pyogrio.list_layers(path):
            if geometry_type is None:
                continue
            column = pyogrio.read_info(path, layer=name)["geometry_name"]
            rows = db.execute(
                "SELECT * FROM layer_styles WHERE f_table_schema='' AND f_table_name=? AND "
                "f_geometry_column=? ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END, "
                "update_time DESC",
                (name, column),
            ).fetchall()
            assert len(rows) == 1, f"{name}: {len(rows)} styles"
            out[name] = dict(rows[0])
    return out


def renderer(qml: str) -> tuple[ET.Element, ET.Element]:
    assert qml.startswith("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n")
    root = ET.fromstring(qml)
    assert root.tag == "qgis" and root.get("version", "").startswith("3.")
    found = root.find("renderer-v2")
    assert found is not None
    return root, found


def check_symbols(root: ET.Element, found: ET.Element, kind: str) -> dict[str, ET.Element]:
    """Every symbol is of ``kind`` with one simple layer whose properties QGIS parses."""
    assert root.findtext("layerGeometryType") == GEOMETRY_TYPE[kind]
    symbols = {s.get("name"): s for s in found.find("symbols")}
    cls = {"fill": "SimpleFill", "line": "SimpleLine", "marker": "SimpleMarker"}[kind]
    for symbol in symbols.values():
        assert symbol.get("type") == kind
        (layer,) = symbol.findall("layer")
        assert layer.get("class") == cls
        options = {o.get("name"): o.get("value") for o in layer.find("Option")}
        props = {p.get("k"): p.get("v") for p in layer.findall("prop")}
        assert options == props and options
    return symbols


def rgba(value: str) -> tuple[str, int]:
    r, g, b, a = (int(v) for v in value.split(","))
    return f"#{r:02x}{g:02x}{b:02x}", a


def colour_of(symbol: ET.Element) -> str:
    props = {p.get("k"): p.get("v") for p in symbol.iter("prop")}
    return rgba(props.get("color") or props["line_color"])[0]


# --------------------------------------------------------------------------- GeoPackage


def test_layer_styles_has_the_columns_qgis_creates(gpkg):
    info = pyogrio.read_info(gpkg, layer="layer_styles")
    assert info["fid_column"] == "id" and info["geometry_type"] is None
    columns = dict(
        zip(info["fields"], zip(info["ogr_types"], info["ogr_subtypes"], strict=True), strict=True)
    )
    assert columns == QGIS_COLUMNS
    with sqlite3.connect(gpkg) as db:
        kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert kinds["layer_styles"] == "attributes"


def test_every_layer_with_geometry_has_one_default_style(gpkg):
    styles = styles_of(gpkg)
    with_geometry = {name for name, kind in pyogrio.list_layers(gpkg) if kind is not None}
    assert set(styles) == with_geometry
    assert with_geometry >= {
        "places",
        "boundary",
        "map_places",
        "map_territories",
        "map_frontlines",
    }
    for name, row in styles.items():
        assert row["useAsDefault"] == 1 and row["styleName"] == name
        assert row["f_table_catalog"] == "" and row["styleSLD"] == ""


@pytest.mark.parametrize("which", ["gpkg", "grid_gpkg"])
def test_each_style_is_a_well_formed_renderer_for_its_geometry(which, request):
    path = request.getfixturevalue(which)
    for name, row in styles_of(path).items():
        frame = pyogrio.read_dataframe(path, layer=name)
        types = frame.geom_type.str.replace("Multi", "")
        # a layer of towns and units is styled for its towns (QGIS splits it by geometry)
        kind = (
            "marker"
            if name in ("places", "control") and (types == "Point").any()
            else SYMBOL_FOR[types.mode()[0]]
        )
        root, found = renderer(row["styleQML"])
        symbols = check_symbols(root, found, kind)
        refs = [e.get("symbol") for e in found.iter() if e.tag in ("category", "range")]
        assert set(refs) <= set(symbols), name
        assert found.get("type") in ("singleSymbol", "categorizedSymbol", "graduatedSymbol")


def test_territories_and_places_wear_the_actors_colours_and_names(gpkg, example):
    styles = styles_of(gpkg)
    colours = example.actor_colors()
    names = example.actors["name"].astype(str)
    for layer in ("map_territories", "map_places"):
        root, found = renderer(styles[layer]["styleQML"])
        assert found.get("type") == "categorizedSymbol" and found.get("attr") == "actor_id"
        symbols = check_symbols(root, found, "fill" if "territ" in layer else "marker")
        categories = {c.get("value"): c for c in found.find("categories")}
        for actor_id, colour in colours.items():
            category = categories[actor_id]
            assert category.get("label") == names[actor_id]
            assert colour_of(symbols[category.get("symbol")]) == colour.lower(), actor_id
        held = set(pyogrio.read_dataframe(gpkg, layer=layer)["actor_id"].dropna())
        assert held - {"unknown"} <= set(categories), "every holder in the layer has its category"
        assert "" in categories, "an 'all other values' category takes unknown holders"
        assert colour_of(symbols[categories[""].get("symbol")]) == gc.palette.UNKNOWN_COLOR.lower()
    fill = {
        p.get("k"): p.get("v")
        for p in renderer(styles["map_territories"]["styleQML"])[1].iter("prop")
    }
    assert rgba(fill["color"])[1] == round(0.45 * 255), "the figures' fill opacity"


def test_flows_are_wider_for_more_people(grid_gpkg):
    gpkg = grid_gpkg
    root, found = renderer(styles_of(gpkg)["map_flows"]["styleQML"])
    assert found.get("type") == "graduatedSymbol" and found.get("attr") == "people"
    symbols = check_symbols(root, found, "line")
    ranges = [
        (float(r.get("lower")), float(r.get("upper")), r.get("symbol"))
        for r in found.find("ranges")
    ]
    widths = [
        float(next(p.get("v") for p in symbols[s].iter("prop") if p.get("k") == "line_width"))
        for _, _, s in ranges
    ]
    assert widths == sorted(widths) and widths[0] < widths[-1]
    people = pyogrio.read_dataframe(gpkg, layer="map_flows")["people"]
    assert ranges[0][0] <= people.min() and ranges[-1][1] == people.max()
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False)), "no gaps"


def test_frontlines_are_one_dark_line(gpkg):
    root, found = renderer(styles_of(gpkg)["map_frontlines"]["styleQML"])
    assert found.get("type") == "singleSymbol"
    (symbol,) = check_symbols(root, found, "line").values()
    assert colour_of(symbol) == "#111111"


def test_gdal_opens_the_styled_geopackage_cleanly(gpkg, example):
    # warnings are errors in this suite: any GDAL complaint while listing or reading fails
    for name, _ in pyogrio.list_layers(gpkg):
        pyogrio.read_info(gpkg, layer=name)
        pyogrio.read_dataframe(gpkg, layer=name)
    with sqlite3.connect(gpkg) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    back = gc.read_gpkg(gpkg)
    assert back.control.equals(example.control)


def test_the_map_layers_show_the_chosen_date(grid_gpkg, tmp_path):
    grid = gc.read_gpkg(grid_gpkg)
    dates = sorted(grid.control["date"].unique())
    first, last = dates[0], dates[-1]
    held = {}
    for when in (first, last):
        path = grid.to_gpkg(tmp_path / f"{when:%Y%m%d}.gpkg", when=when)
        layer = pyogrio.read_dataframe(path, layer="map_places").set_index("place_id")
        expected = grid.at(when).places["actor_id"]
        assert layer["actor_id"].to_dict() == expected.dropna().to_dict()
        held[when] = layer["actor_id"].to_dict()
    assert held[first] != held[last], "the grid changes hands between its first and last date"


def test_polygon_places_get_their_own_layer_of_outlines(gpkg, example):
    areal = example.places.geom_type.isin(["Polygon", "MultiPolygon"])
    if not areal.any():
        pytest.skip("the example has no polygon places")
    layers = dict(pyogrio.list_layers(gpkg))
    assert layers["map_places"] == "Point"
    assert pyogrio.read_info(gpkg, layer="map_areas")["features"] == int(areal.sum())
    root, found = renderer(styles_of(gpkg)["map_areas"]["styleQML"])
    (symbol,) = check_symbols(root, found, "fill").values()
    props = {p.get("k"): p.get("v") for p in symbol.iter("prop")}
    assert props["style"] == "no", "outlines only: the territories fill the land"


# --------------------------------------------------------------------------- GeoJSON


def test_geojson_layers_get_a_qml_beside_them(example, tmp_path):
    out = gc.to_geojson(example, tmp_path / "layers", when="2024-12-06")
    layers = export_layers(example, when="2024-12-06")
    for name in layers:
        qml = (out / f"{name}.qml").read_text(encoding="utf-8")
        types = set(layers[name].geom_type.dropna().str.replace("Multi", ""))
        kind = "marker" if "Point" in types else SYMBOL_FOR[types.pop()]
        root, found = renderer(qml)
        check_symbols(root, found, kind)
    gpkg_style = styles_of(example.to_gpkg(tmp_path / "x.gpkg", when="2024-12-06"))
    assert (out / "territories.qml").read_text() == gpkg_style["map_territories"]["styleQML"]
    gc.to_geojson(example, out, when="2024-12-06")  # a second export replaces the first


def test_a_layer_of_towns_and_units_is_styled_for_the_towns(example, tmp_path):
    from geoconflict.io.qgis import layer_style

    places = export_layers(example, when="2024-12-06")["places"]
    kinds = set(places.geom_type.str.replace("Multi", ""))
    if kinds != {"Point", "Polygon"}:
        pytest.skip("the example does not mix point and polygon places")
    root, found = renderer(
        layer_style("places", places, actors=example.actors, colors=example.actor_colors())
    )
    check_symbols(root, found, "marker")


def test_hostile_actor_names_stay_text_in_the_qml(tmp_path):
    actors = make_actors()
    actors.loc[actors.index[0], "name"] = 'A&B <b>"x"</b>\x07\u202e end'
    conflict = gc.Conflict(
        make_places(), actors, make_control(), make_flows(), boundary=make_boundary()
    )
    out = gc.to_geojson(conflict, tmp_path / "layers")
    root, found = renderer((out / "places.qml").read_text(encoding="utf-8"))
    labels = [c.get("label") for c in found.find("categories")]
    assert 'A&B <b>"x"</b>\u202e end' in labels
    assert not list(root.iter("b"))


def test_a_layer_without_people_or_geometry_gets_a_plain_style_or_none():
    from geoconflict.io.qgis import layer_style

    actors = make_actors()
    plain = pd.DataFrame({"x": [1]})
    assert layer_style("flows", plain, actors=actors, colors={}) is None
    events = gc.Conflict(make_places(), actors, make_control()).places
    root, found = renderer(layer_style("events", events, actors=actors, colors={}))
    assert found.get("type") == "singleSymbol"
    check_symbols(root, found, "marker")
    assert np.isfinite(len(ET.tostring(root)))
