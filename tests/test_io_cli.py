"""``geoconflict export``: every format, and one-line errors with exit status 2."""

from __future__ import annotations

import pytest

import geoconflict as gc
from geoconflict.cli import main


@pytest.mark.parametrize(
    "fmt, name", [("geojson", "layers"), ("gpkg", "grid.gpkg"), ("parquet", "pq"), ("csv", "csv")]
)
def test_export_writes_each_format(fmt, name, folder, tmp_path, capsys):
    out = tmp_path / name
    assert main(["export", str(folder), "--format", fmt, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"{fmt} written to {out}\n"
    if fmt == "geojson":
        assert gc.read_geojson(out)["places"].loc["b", "actor_id"] == "reb"
    elif fmt == "parquet":
        assert gc.read_parquet(out).title == "Grid test"
    else:
        assert gc.read_conflict(out).title == "Grid test"


def test_export_geojson_at_a_date(folder, tmp_path):
    out = tmp_path / "early"
    assert (
        main(
            ["export", str(folder), "--format", "geojson", "-o", str(out), "--date", "2024-12-04"]
        )
        == 0
    )
    assert gc.read_geojson(out)["places"].loc["b", "actor_id"] == "gov"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--format", "parquet", "-o", "x", "--date", "2024-12-04"],
            "geoconflict: error: --date applies to --format geojson and gpkg only (parquet holds "
            "every date). Fix: drop --date.\n",
        ),
        (
            ["--format", "csv", "-o", "x.gpkg"],
            "geoconflict: error: --format csv writes a folder, but -o x.gpkg names a GeoPackage. "
            "Fix: use --format gpkg, or name a folder.\n",
        ),
        (
            ["--format", "geojson", "-o", "x", "--date", "soon"],
            "geoconflict: error: --date: could not read 'soon' as a date. "
            "Fix: pass a date such as '2024-12-05' or a datetime.\n",
        ),
    ],
)
def test_export_errors_are_one_line_and_exit_2(
    args, message, folder, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(folder), *args]) == 2
    assert capsys.readouterr().err == message


def test_export_of_a_missing_dataset(tmp_path, capsys):
    assert (
        main(
            ["export", str(tmp_path / "none"), "--format", "gpkg", "-o", str(tmp_path / "x.gpkg")]
        )
        == 2
    )
    assert "no such folder or file. Fix: check the path." in capsys.readouterr().err


def test_export_into_a_folder_with_other_files(folder, tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["export", str(folder), "--format", "geojson", "-o", str(tmp_path)]) == 2
    assert "holds files that are not part of a GeoJSON export (" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "mine"
