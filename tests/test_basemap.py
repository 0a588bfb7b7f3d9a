"""The offline base map: the shipped Syria layers, a user's own, and the build script."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control

import geoconflict as gc
from geoconflict.maps import map_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def test_the_shipped_base_map_has_syrias_rivers_governorates_and_neighbours():
    base = gc.load_basemap()
    assert set(base.rivers["name"]) == {"Euphrates", "Tigris", "Jordan", "Ceyhan"}
    assert base.rivers.set_index("name").loc["Euphrates", "name_ar"] == "الفرات"
    assert len(base.admin1_labels) == 14 and "حلب" in set(base.admin1_labels["name_ar"])
    assert {"Syria", "Turkey", "Iraq", "Jordan", "Lebanon"} <= set(base.countries["name"])
    assert "Lake Assad" in set(base.lakes["name"])
    assert base.credits[0] == "Natural Earth (public domain)"
    assert "CC BY 3.0 IGO" in base.credits[1] and "UN OCHA" in base.credits[1]
    # Aleppo lies in the base map's reach, Jakarta does not
    assert base.overlaps((37.1, 36.2, 37.2, 36.3)) and not base.overlaps((106, -7, 107, -6))
    files = sorted(p.name for p in (ROOT / "geoconflict" / "_data" / "basemap").iterdir())
    size = sum((ROOT / "geoconflict" / "_data" / "basemap" / f).stat().st_size for f in files)
    assert size < 80_000, "the base map travels in every page: keep it small"


def test_auto_uses_it_only_where_it_reaches(conflict):
    data = map_data(conflict)  # near Hama
    assert "basemap" in data and data["layers"][0] == "basemap"
    assert "Base map: Natural Earth (public domain); UN OCHA" in data["credits"]
    far = gc.Conflict(
        gc.make_places(["j"], ["Jakarta"], [106.8], [-6.2]),
        make_actors(),
        pd.DataFrame({"place_id": ["j"], "actor_id": ["gov"], "date": ["2024-12-01"]}),
    )
    assert "basemap" not in map_data(far)
    assert "basemap" not in map_data(conflict, basemap=None)
    assert "basemap" not in map_data(conflict, layers=["places"])


def test_base_map_names_in_arabic_where_the_view_reaches():
    base = map_data(gc.load_example(), lang="ar")["basemap"]
    assert "الفرات" in base["rivers"]["labels"]["name"]
    assert "حماة" in base["admin1_labels"]["name"]
    assert {"تركيا", "العراق"} <= set(base["countries"]["labels"]["name"])
    assert "سوريا" not in base["countries"]["labels"]["name"]  # the map's own country


def test_a_users_own_layers():
    provinces = gpd.GeoDataFrame(
        {"name": ["West", "East"], "name_ar": ["الغرب", "الشرق"]},
        crs="EPSG:3857",
        geometry=gpd.GeoSeries(
            [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:4326"
        ).to_crs(3857),
    )
    base = gc.make_basemap(
        admin1=provinces,
        rivers=gpd.GeoSeries([shapely.LineString([(0, 0.5), (2, 0.5)])], crs="EPSG:4326"),
        credits="mine",
    )
    assert base.admin1.crs == "EPSG:4326" and len(base.admin1) == 1
    assert base.admin1.geometry.iloc[0].length == pytest.approx(1.0)
    assert base.admin1_labels["name_ar"].tolist() == ["الغرب", "الشرق"]
    assert base.credits == ("mine",) and base.countries is None
    assert base.bounds == pytest.approx((0.0, 0.0, 2.0, 1.0))


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            {"rivers": gpd.GeoSeries([shapely.Point(0, 0)], crs=4326)},
            r"basemap layer 'rivers' must hold lines; row 0 is a point",
        ),
        ({"lakes": gpd.GeoSeries([shapely.box(0, 0, 1, 1)])}, r"'lakes' has no CRS"),
        ({"countries": "/no/such/file.geojson"}, r"'countries': no file at '/no/such"),
        ({"countries": [1, 2]}, r"must be a GeoDataFrame, GeoSeries or a file path, got list"),
    ],
)
def test_bad_layers_say_what_is_wrong(layers, message):
    with pytest.raises(gc.MapOptionError, match=message):
        gc.make_basemap(**layers)


def test_a_bad_basemap_option(conflict):
    with pytest.raises(gc.MapOptionError, match="basemap must be 'auto', None or a "):
        map_data(conflict, basemap="syria")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not here")
def test_the_build_script_rebuilds_the_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_basemap", ROOT / "data" / "build_basemap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(SHARED, tmp_path)
    shipped = ROOT / "geoconflict" / "_data" / "basemap"
    for path in sorted(shipped.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_control_table_is_untouched(conflict):
    before = make_control()
    map_data(gc.Conflict(conflict.places, make_actors(), before))
    assert before.equals(make_control())
