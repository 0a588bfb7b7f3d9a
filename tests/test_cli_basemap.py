"""``geoconflict map`` with the shipped base map, none, or the user's own layers."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geoconflict.cli import main

SHIPPED_CREDIT = "Natural Earth (public domain)"


def write_map(folder, tmp_path, *options: str) -> str:
    out = tmp_path / "map.html"
    assert main(["map", str(folder), "--no-tiles", "-o", str(out), *options]) == 0
    return out.read_text(encoding="utf-8")


def test_the_shipped_base_map_by_default_and_none_on_request(folder, tmp_path):
    assert SHIPPED_CREDIT in write_map(folder, tmp_path)
    assert SHIPPED_CREDIT in write_map(folder, tmp_path, "--basemap", "auto")
    assert SHIPPED_CREDIT not in write_map(folder, tmp_path, "--basemap", "none")


def test_a_base_map_of_ones_own_layers(folder, tmp_path):
    rivers = tmp_path / "rivers.geojson"
    gpd.GeoDataFrame(
        {"name": ["Testriver"]},
        geometry=[shapely.LineString([(35.8, 35.1), (37.2, 35.2)])],
        crs="EPSG:4326",
    ).to_file(rivers)
    html = write_map(
        folder,
        tmp_path,
        "--basemap-layer",
        f"rivers={rivers}",
        "--basemap-credit",
        "Rivers: my survey (CC BY 4.0)",
    )
    assert "Testriver" in html and "Rivers: my survey (CC BY 4.0)" in html
    assert SHIPPED_CREDIT not in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--basemap-layer", "roads=x.gpkg"],
            "--basemap-layer 'roads=x.gpkg' is not LAYER=PATH with LAYER one of countries, "
            "lakes, rivers, admin1, admin1_labels.",
        ),
        (["--basemap-layer", "rivers"], "--basemap-layer 'rivers' is not LAYER=PATH"),
        (
            ["--basemap-layer", "rivers=a.gpkg", "--basemap-layer", "rivers=b.gpkg"],
            "--basemap-layer names 'rivers' twice.",
        ),
        (
            ["--basemap", "none", "--basemap-layer", "rivers=a.gpkg"],
            "--basemap none and --basemap-layer contradict each other.",
        ),
        (["--basemap-credit", "me"], "--basemap-credit is given without --basemap-layer."),
        (["--basemap-layer", "rivers=/no/such/file.gpkg"], "'rivers': no file at '/no/such"),
    ],
)
def test_bad_base_map_options_are_one_line_and_exit_2(folder, tmp_path, capsys, options, message):
    out = tmp_path / "map.html"
    assert main(["map", str(folder), "--no-tiles", "-o", str(out), *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: error: ") and err.count("\n") == 1
    assert message in err
    assert not out.exists()


def test_the_plot_command_draws_the_base_map_unless_told_not_to(folder, tmp_path):
    pytest.importorskip("matplotlib")
    drawn = tmp_path / "drawn.svg"
    bare = tmp_path / "bare.svg"
    assert main(["plot", str(folder), "-o", str(drawn)]) == 0
    assert main(["plot", str(folder), "-o", str(bare), "--basemap", "none"]) == 0
    # the figure's artists keep their ids (gid) in the SVG
    assert 'id="basemap-admin1' in drawn.read_text(encoding="utf-8")  # governorate lines
    assert 'id="basemap-' not in bare.read_text(encoding="utf-8")
