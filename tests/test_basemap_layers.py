"""Base maps from the layers people have, as they come: geoBoundaries (Ukraine's oblasts),
Natural Earth (countries, lakes, rivers; names in NAME), OCHA COD-AB (Syria), GADM-style
layers; shared borders that reduce to points, multipolygons, islands; any failure a
MapOptionError naming the layer (the real layers are in ../shared/data; skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
UKRAINE = SHARED / "ukraine_2022_2025"
UKR_ADM1 = UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson"
NE = UKRAINE / "naturalearth"
SYR_ADM1 = SHARED / "ocha_cod_ab_syr_2020" / "syr_admin1.geojson"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference data not found at {path}")
    return path


def test_geoboundaries_ukraine_oblasts_give_the_lines_between_them():
    """The documented use that raised shapely's ValueError (borders meeting at a point)."""
    base = gc.make_basemap(admin1=need(UKR_ADM1), credits="geoBoundaries, CC BY 4.0")
    oblasts = gpd.read_file(UKR_ADM1)
    assert len(base.admin1_labels) == 27
    assert "Kharkiv Oblast" in set(base.admin1_labels["name"])
    lines = base.admin1.geometry.to_numpy()
    assert len(lines) > 20 and set(shapely.get_type_id(lines)) == {1}
    # every line lies between oblasts: inside the country, not along its coast or border
    country = shapely.union_all(shapely.make_valid(oblasts.geometry.to_numpy()))
    middle = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    assert not shapely.dwithin(middle, shapely.boundary(country), 1e-6).any()
    # Kharkiv and Luhansk oblasts share a border: a line runs along it
    kharkiv, luhansk = (
        oblasts.set_index("shapeName").geometry.loc[name]
        for name in ("Kharkiv Oblast", "Luhansk Oblast")
    )
    shared = shapely.intersection(shapely.boundary(kharkiv), shapely.boundary(luhansk))
    drawn = shapely.union_all(lines)
    assert shapely.length(shapely.intersection(drawn, shapely.buffer(shared, 1e-6))) > 0.9 * (
        shapely.length(shared)
    )


def test_natural_earth_layers_as_they_come():
    """Natural Earth writes country names as NAME (upper case), rivers and lakes as name."""
    base = gc.make_basemap(
        countries=need(NE / "ne_50m_admin_0_countries.json"),
        lakes=NE / "ne_50m_lakes.json",
        rivers=NE / "ne_50m_rivers_lake_centerlines.json",
        credits="Natural Earth (public domain)",
    )
    assert {"Ukraine", "Poland", "Moldova"} <= set(base.countries["name"].dropna())
    assert {"Dnipro", "Danube"} <= set(base.rivers["name"].dropna())
    assert base.lakes["name"].notna().any()
    # what a map shows of them: the neighbour named, not the country the map is about
    named = set(gc.maps.map_data(_kyiv(), basemap=base)["basemap"]["countries"]["labels"]["name"])
    assert "Russia" in named and "Ukraine" not in named


def _kyiv() -> gc.Conflict:
    places = gc.make_places(
        ["kyiv", "kharkiv"], ["Kyiv", "Kharkiv"], [30.52, 36.23], [50.45, 49.99]
    )
    return gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["ua"], "name": ["Ukraine"]}),
        pd.DataFrame({"place_id": ["kyiv", "kharkiv"], "actor_id": "ua", "date": "2024-12-01"}),
    )


def test_ocha_cod_ab_multipolygons_and_their_arabic_names():
    base = gc.make_basemap(admin1=need(SYR_ADM1))
    labels = base.admin1_labels.set_index("name")
    assert len(labels) == 14 and labels.loc["Aleppo", "name_ar"] == "حلب"  # lang1 = ar
    assert len(base.admin1) > 0 and base.level_names == {}


def test_borders_meeting_at_a_point_islands_and_multipolygons():
    west = shapely.box(0, 0, 1, 1)
    corner = shapely.box(1, 1, 2, 2)  # meets west at one point only
    island = shapely.MultiPolygon([shapely.box(2, 0, 3, 1), shapely.box(4, 0, 4.5, 0.5)])
    layer = gpd.GeoDataFrame(
        {"NAME_1": ["West", "Corner", "Isles"], "ENGTYPE_1": "Province", "GID_1": ["a", "b", "c"]},
        geometry=[west, corner, island],
        crs="EPSG:4326",
    )
    base = gc.make_basemap(admin1=layer)
    # the corner meets West and the isles at a point each; nobody shares a border
    assert len(base.admin1) == 0
    assert base.admin1_labels["name"].tolist() == ["West", "Corner", "Isles"]  # GADM NAME_1
    assert base.level_names == {"admin1": "Province"}  # GADM ENGTYPE_1


def test_shared_borders_and_an_enclave():
    outer = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))
    enclave = shapely.box(1, 1, 2, 2)
    east = shapely.box(4, 0, 6, 4)
    layer = gpd.GeoDataFrame(
        {"name": ["Outer", "Enclave", "East"]}, geometry=[outer, enclave, east], crs="EPSG:4326"
    )
    lines = shapely.union_all(gc.make_basemap(admin1=layer).admin1.geometry.to_numpy())
    assert shapely.length(lines) == pytest.approx(4.0 + 4.0)  # the enclave's ring, x = 4


@pytest.mark.parametrize("key", ["countries", "lakes", "admin1"])
def test_geometry_shapely_cannot_use_is_a_map_option_error(key):
    """Coordinates GEOS refuses (an infinite one) give the library's error naming the
    layer, not shapely's."""
    layer = gpd.GeoDataFrame(
        {"name": ["bad", "good"]},
        geometry=[shapely.Polygon([(0, 0), (np.inf, 0), (0, 1)]), shapely.box(5, 5, 6, 6)],
        crs="EPSG:4326",
    )
    with pytest.raises(gc.MapOptionError, match=rf"basemap layer '{key}': its geometry could "):
        gc.make_basemap(**{key: layer})


def test_a_file_that_is_not_a_layer_is_named(tmp_path):
    bad = tmp_path / "oblasts.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(gc.MapOptionError, match=r"basemap layer 'admin1' \(oblasts.geojson\)"):
        gc.make_basemap(admin1=bad)


def test_the_cli_draws_the_geoboundaries_oblasts_and_fails_in_one_line(folder, tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["map", str(folder), "--no-tiles", "-o", str(out)]
    assert main([*args, "--basemap-layer", f"admin1={need(UKR_ADM1)}"]) == 0
    assert "Oblast" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert main([*args, "--basemap-layer", f"admin1={bad}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: error: basemap layer 'admin1' (bad.geojson)")
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("bad", [{"admin1": ""}, {"admin1": {"en": 3}}, ["admin1", "oblast"]])
def test_level_names_of_a_base_map_are_checked_as_the_maps_check_them(bad):
    # an empty word or a number made the legend read "3 lines"
    units = gpd.GeoDataFrame(
        {"name": ["A", "B"]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs=4326
    )
    with pytest.raises(gc.MapOptionError, match=r"level_names"):
        gc.make_basemap(admin1=units, level_names=bad)
    assert gc.make_basemap(admin1=units, level_names={"admin1": " oblast "}).level_names == {
        "admin1": "oblast"
    }


@pytest.mark.parametrize("gap", [0.0, 1e-5, 1e-4])
def test_neighbours_a_hairline_apart_keep_the_line_between_them(gap):
    # simplified layers leave hairline gaps between neighbours; the rims of such a gap were
    # taken for the outline and no line was drawn between the two units
    units = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[shapely.box(30, 0, 31, 1), shapely.box(31 + gap, 0, 32, 1)],
        crs=4326,
    )
    lines = gc.make_basemap(admin1=units).admin1.geometry.to_numpy()
    assert len(lines) >= 1
    assert (
        shapely.hausdorff_distance(
            shapely.union_all(lines), shapely.LineString([(31, 0), (31, 1)])
        )
        <= gap + 1e-9
    )
    # a notch in one unit's outline is no line between units
    notched = shapely.Polygon([(30, 0), (32, 0), (32, 1), (31.00005, 1), (31.00005, 0.2),
                               (30.99995, 0.2), (30.99995, 1), (30, 1)])  # fmt: skip
    alone = gpd.GeoDataFrame({"name": ["A"]}, geometry=[notched], crs=4326)
    assert len(gc.make_basemap(admin1=alone).admin1) == 0
