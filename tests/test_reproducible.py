"""The same input gives byte-identical outputs across runs and processes.

Two child processes with different ``PYTHONHASHSEED`` write every output format of the same
dataset; the CSV, GeoJSON and HTML files must match byte for byte, and the GeoPackage's
tables row for row (SQLite files carry a write time in ``gpkg_contents``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    import geoconflict as gc
    from geoconflict.maps import explore, save_map

    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    conflict = gc.read_conflict(source)
    conflict.save(out / "folder")
    gc.to_geojson(conflict, out / "geojson", when="2024-12-05")
    conflict.to_gpkg(out / "all.gpkg")
    save_map(explore(conflict, "2024-12-05", tiles=None), out / "map.html")
""")


def run(source, out, seed):
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    subprocess.run(
        [sys.executable, "-c", SCRIPT, str(source), str(out)],
        check=True,
        env=env,
        timeout=600,
        capture_output=True,
    )


def gpkg_rows(path):
    with sqlite3.connect(path) as db:
        tables = [
            r[0] for r in db.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")
        ]
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    from conftest import make_conflict

    base = tmp_path_factory.mktemp("reproducible")
    source = make_conflict(title="Grid «test»").save(base / "source")
    first, second = base / "one", base / "two"
    run(source, first, 1)
    run(source, second, 4242)
    return first, second


def test_text_outputs_are_byte_identical(two_runs):
    first, second = two_runs
    files = sorted(
        p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.suffix != ".gpkg"
    )
    assert {str(f) for f in files} >= {
        "map.html",
        "folder/places.csv",
        "folder/control.csv",
        "folder/flows.csv",
        "folder/datapackage.json",
        "geojson/places.geojson",
    }
    for name in files:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name


def test_geopackage_content_is_identical(two_runs):
    first, second = two_runs
    assert gpkg_rows(first / "all.gpkg") == gpkg_rows(second / "all.gpkg")
