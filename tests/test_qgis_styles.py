"""QGIS itself opens our GeoPackage and GeoJSON files with our styles.

Runs only where QGIS's Python bindings are installed for the system Python (Debian:
``apt-get install python3-qgis``); ``tests/test_io_qgis.py`` checks the same files without
QGIS, as QGIS's OGR provider reads them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import make_actors, make_boundary, make_control, make_flows, make_places

import geoconflict as gc

SYSTEM_PYTHON = Path("/usr/bin/python3")
SCRIPT = Path(__file__).with_name("qgis_check.py")


def has_qgis() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import qgis.core"], capture_output=True, timeout=120
    )
    return result.returncode == 0


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not has_qgis(),
        reason="QGIS's Python bindings are not installed (apt-get install python3-qgis)",
    ),
]


def in_qgis(path: Path, *layers: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(path.parent))
    result = subprocess.run(
        [str(SYSTEM_PYTHON), str(SCRIPT), str(path), *layers],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # GDAL's complaints (an unsupported GeoPackage version, say) come on stderr
    assert "Warning" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def example():
    return gc.load_example()


def test_qgis_opens_the_geopackage_with_our_styles(example, tmp_path):
    path = example.to_gpkg(tmp_path / "syria.gpkg", when="2024-12-06")
    seen = in_qgis(path, "map_territories", "map_places", "map_frontlines", "boundary")
    colours = example.actor_colors()
    names = example.actors["name"].astype(str)
    for layer in ("map_territories", "map_places"):
        style = seen[layer]
        assert style["valid"] and style["features"] > 0
        assert style["renderer"] == "categorizedSymbol" and style["attribute"] == "actor_id"
        classes = {c["value"]: c for c in style["classes"]}
        for actor_id, colour in colours.items():
            assert classes[actor_id]["color"] == colour.lower(), (layer, actor_id)
            assert classes[actor_id]["label"] == names[actor_id]
    assert seen["map_frontlines"]["renderer"] == "singleSymbol"
    assert seen["map_frontlines"]["classes"][0]["color"] == "#111111"


def test_qgis_draws_flows_wider_for_more_people(tmp_path):
    grid = gc.Conflict(
        make_places(), make_actors(), make_control(), make_flows(), boundary=make_boundary()
    )
    flows = in_qgis(grid.to_gpkg(tmp_path / "grid.gpkg"), "map_flows")["map_flows"]
    assert flows["valid"] and flows["features"] > 0
    assert flows["renderer"] == "graduatedSymbol" and flows["attribute"] == "people"
    widths = [c["width"] for c in flows["classes"]]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_qgis_loads_the_qml_beside_a_geojson_layer(example, tmp_path):
    folder = gc.to_geojson(example, tmp_path / "layers", when="2024-12-06")
    seen = in_qgis(folder / "territories.geojson")["territories.geojson"]
    assert seen["valid"] and seen["renderer"] == "categorizedSymbol"
    classes = {c["value"]: c["color"] for c in seen["classes"]}
    assert all(classes[a] == c.lower() for a, c in example.actor_colors().items())


def test_qgis_opens_towns_and_admin_units_as_one_layer_each(example, tmp_path):
    folder = gc.to_geojson(example, tmp_path / "layers", when="2024-12-06")
    areal = example.places.geom_type.isin(["Polygon", "MultiPolygon"])
    towns = in_qgis(folder / "places.geojson")["places.geojson"]
    units = in_qgis(folder / "areas.geojson")["areas.geojson"]
    assert (towns["sublayers"], towns["geometry"], towns["features"]) == (1, 0, (~areal).sum())
    assert (units["sublayers"], units["geometry"], units["features"]) == (1, 2, areal.sum())
    assert towns["renderer"] == "categorizedSymbol" and units["renderer"] == "singleSymbol"
