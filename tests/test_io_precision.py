"""What the library writes, it reads back: coordinates rounded for the text formats stay valid.

The folder format and GeoJSON carry 6 decimals of a degree. Rounding every vertex on its own
made the (valid) OCHA COD-AB outline of Sudan cross itself near 38.567 E, 18.001 N, so
``read_conflict``, ``check_folder`` and ``geoconflict validate`` refused the folder
``Conflict.save`` had just written. Here every writer's output is read back by its reader:
on an excerpt of that outline (tests/corpus/geojson/cod-ab), on the Syria and Ukraine
boundaries in ../shared/data (skipped when absent), and on random valid polygons drawn at
the scale of the grid.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import geoconflict as gc
from geoconflict.cli import main
from geoconflict.io._precision import DECIMALS, on_grid

GRID = 10.0**-DECIMALS
CORPUS = Path(__file__).parent / "corpus" / "geojson" / "cod-ab"
SUDAN = CORPUS / "sdn-admin0-clip-38.567E-18.000N.geojson"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def naive(geom: shapely.Geometry) -> shapely.Geometry:
    """Each coordinate rounded on its own, as the writers did before."""
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def close(got: shapely.Geometry, expected: shapely.Geometry) -> bool:
    """Equal up to the grid: no boundary point moves more than half a grid diagonal, so the
    two differ by less than a band one grid cell wide along the outline."""
    if shapely.equals_exact(got, expected, tolerance=GRID):  # the same vertices, rounded
        return True
    band = 2 * GRID * shapely.length(expected) + 4 * GRID**2 * shapely.get_num_coordinates(
        expected
    )
    try:
        with np.errstate(divide="ignore", invalid="ignore"):  # GEOS on near-zero numbers
            difference = shapely.symmetric_difference(got, expected)
    except shapely.errors.GEOSException:  # a near-degenerate pair: overlay on a finer grid
        difference = shapely.symmetric_difference(got, expected, grid_size=GRID / 100)
    return bool(shapely.area(difference) <= band)


def polygon_conflict(
    polygons: list[shapely.Geometry] | np.ndarray,
    *,
    ids: list[str] | None = None,
    context: gpd.GeoDataFrame | None = None,
) -> gc.Conflict:
    """Polygon places, each held by one actor, bounded by their union."""
    ids = ids or [f"p{i}" for i in range(len(polygons))]
    places = gpd.GeoDataFrame(
        {"place_id": ids, "name": [f"Place {i}" for i in ids]},
        geometry=list(polygons),
        crs="EPSG:4326",
    )
    control = pd.DataFrame({"place_id": ids, "actor_id": "a", "date": "2024-01-01"})
    boundary = gpd.GeoDataFrame(
        geometry=[shapely.union_all(np.asarray(polygons, dtype=object))], crs="EPSG:4326"
    )
    return gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["a"]}),
        control,
        boundary=boundary,
        context=context,
        title="precision",
    )


def assert_read_back(back: gc.Conflict, conflict: gc.Conflict) -> None:
    got = back.places.geometry.reindex(conflict.places.index).to_numpy()
    assert shapely.is_valid(got).all()
    for g, e in zip(got, conflict.places.geometry.to_numpy(), strict=True):
        assert close(g, e)
    assert shapely.is_valid(back.boundary.geometry.to_numpy()).all()
    assert close(back.boundary.geometry.iloc[0], conflict.boundary.geometry.iloc[0])


def every_writer(conflict: gc.Conflict, folder: Path, *, gpkg: bool = True) -> None:
    """Write with every writer and read back with its reader; nothing may be refused.

    ``gpkg=False`` leaves out the GeoPackage, which also holds the territories of the map
    layers (slow to build for hundreds of units) and, like GeoParquet, full precision.
    """
    saved = conflict.save(folder / "folder")
    assert gc.check_folder(saved) == []
    assert_read_back(gc.read_conflict(saved), conflict)
    if gpkg:
        assert_read_back(gc.read_conflict(conflict.to_gpkg(folder / "c.gpkg")), conflict)
    assert_read_back(gc.read_parquet(gc.to_parquet(conflict, folder / "parquet")), conflict)
    table = gc.read_geojson(gc.to_geojson(conflict.places, folder / "places.geojson"))
    assert shapely.is_valid(table.geometry.to_numpy()).all()
    back = gc.Conflict(table, conflict.actors, conflict.control, boundary=conflict.boundary)
    assert_read_back(back, conflict)


# ----------------------------------------------------------------------------- Sudan


def sudan() -> shapely.Geometry:
    return shapely.from_geojson(json.dumps(json.loads(SUDAN.read_text())["features"][0]))


def test_the_sudan_excerpt_is_the_reported_case():
    outline = sudan()
    assert outline.is_valid
    rounded = naive(outline)
    assert not rounded.is_valid
    assert shapely.is_valid_reason(rounded) == "Ring Self-intersection[38.567166 18.000503]"


def test_the_sudan_outline_reads_back_from_every_writer(tmp_path):
    every_writer(polygon_conflict([sudan()], ids=["SD"]), tmp_path)


def test_the_sudan_outline_as_boundary_passes_validate(tmp_path, capsys):
    outline = sudan()
    places = gc.make_places(["town"], ["Town"], [38.56], [18.0])
    control = pd.DataFrame({"place_id": ["town"], "actor_id": ["a"], "date": ["2024-01-01"]})
    conflict = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["a"]}),
        control,
        boundary=gpd.GeoDataFrame(geometry=[outline], crs="EPSG:4326"),
        context=gpd.GeoDataFrame({"name": ["Sudan"]}, geometry=[outline], crs="EPSG:4326"),
    )
    saved = conflict.save(tmp_path / "sudan")
    assert main(["validate", str(saved)]) == 0
    assert capsys.readouterr().out.strip() == f"{saved}: no problems found"
    back = gc.read_conflict(saved)
    for layer in (back.boundary, back.context):
        written = layer.geometry.iloc[0]
        assert written.is_valid and close(written, outline)
        # on the grid the file states: writing again gives the same numbers
        assert np.array_equal(
            shapely.get_coordinates(written), shapely.get_coordinates(naive(written))
        )


def test_geojson_layers_of_the_sudan_outline_are_valid(tmp_path):
    conflict = polygon_conflict([sudan()], ids=["SD"])
    layers = gc.read_geojson(gc.to_geojson(conflict, tmp_path / "layers"))
    for name, layer in layers.items():
        if isinstance(layer, gpd.GeoDataFrame):
            geoms = layer.geometry.to_numpy()
            assert shapely.is_valid(geoms[~shapely.is_missing(geoms)]).all(), name


def test_geometries_rounding_leaves_valid_are_written_as_before(tmp_path):
    """Only the geometries rounding breaks are snapped: the others keep their vertices and
    order, as earlier versions wrote them, and a folder saved again is the same bytes."""
    conflict = gc.load_example()
    saved = conflict.save(tmp_path / "once")
    polygonal = conflict.places.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    assert polygonal.sum() > 10
    written = pd.read_csv(saved / "places.csv", index_col="place_id", dtype=str)["wkt"]
    before = shapely.to_wkt(conflict.places.geometry[polygonal], rounding_precision=6, trim=True)
    assert written[polygonal[polygonal].index].tolist() == before.tolist()
    again = gc.read_conflict(saved).save(tmp_path / "twice")
    for file in sorted(saved.iterdir()):
        assert (again / file.name).read_bytes() == file.read_bytes(), file.name


def test_a_polygon_narrower_than_the_grid_is_refused_or_written_null(tmp_path):
    speck = shapely.box(36.0, 35.0, 36.0000001, 35.0000001)  # about 1 cm across
    conflict = polygon_conflict([shapely.box(36.1, 35.1, 36.2, 35.2), speck], ids=["big", "speck"])
    with pytest.raises(gc.SchemaError, match=r"places, row speck, column 'geometry'.*\.gpkg"):
        conflict.save(tmp_path / "c")
    assert not (tmp_path / "c").exists()
    with pytest.warns(gc.DataWarning, match=r"1 geometries are narrower .* null \(rows 2\)"):
        out = gc.to_geojson(conflict.places, tmp_path / "p.geojson")
    back = gc.read_geojson(out)
    assert back.geometry.isna().tolist() == [False, True]
    assert_read_back(gc.read_conflict(conflict.to_gpkg(tmp_path / "c.gpkg")), conflict)


# ----------------------------------------------------------------------------- real boundaries

LAYERS = {
    "syria-admin1": ("ocha_cod_ab_syr_2020/syr_admin1.geojson", "adm1_pcode"),
    "syria-admin3-simplified": (
        "ocha_cod_ab_syr_2020/syr_admin3_simplified.geojson",
        "adm3_pcode",
    ),
    "ukraine-oblasts": (
        "ukraine_2022_2025/boundaries/geoBoundaries-UKR-ADM1_simplified.geojson",
        "shapeID",
    ),
    "ukraine-raions": (
        "ukraine_2022_2025/boundaries/geoBoundaries-UKR-ADM2_simplified.geojson",
        "shapeID",
    ),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_real_boundaries_read_back_from_every_writer(name, tmp_path):
    path, key = LAYERS[name]
    source = SHARED / path
    if not source.exists():
        pytest.skip(f"{source} is absent (../shared holds the reference data)")
    layer = gpd.read_file(source)
    geoms = layer.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    countries = SHARED / "ukraine_2022_2025" / "naturalearth" / "ne_50m_admin_0_countries.json"
    context = None
    if countries.exists():
        near = gpd.read_file(
            countries, columns=["NAME"], bbox=tuple(shapely.total_bounds(geoms) + [-3, -3, 3, 3])
        )
        context = gpd.GeoDataFrame(
            {"name": near["NAME"].astype(str).to_numpy()},
            geometry=shapely.make_valid(near.geometry.to_numpy()),
            crs="EPSG:4326",
        )
    conflict = polygon_conflict(geoms, ids=layer[key].astype(str).tolist(), context=context)
    every_writer(conflict, tmp_path, gpkg=False)


# ----------------------------------------------------------------------------- random polygons

HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much]
#: Rounding vertex by vertex breaks about two in three of these polygons.
MANY = settings(max_examples=200, deadline=None, suppress_health_check=HEALTH)
#: Writing and reading files takes longer per example (the writers' rounding is on_grid's).
SOME = settings(max_examples=10, deadline=None, suppress_health_check=HEALTH)

# vertices a tenth of the grid apart: rounding moves them by as much as they differ
offset = st.integers(-40, 40).map(lambda i: i * GRID / 10)


@st.composite
def polygons(draw) -> shapely.Geometry:
    """A valid (Multi)Polygon near a random lon/lat, with detail finer than the grid: a
    random ring made valid, perhaps joined to a box up to a few grid cells or a degree wide,
    perhaps with a random ring cut out of it."""
    lon = draw(st.floats(-179.0, 179.0, allow_nan=False, allow_subnormal=False))
    lat = draw(st.floats(-84.0, 84.0, allow_nan=False, allow_subnormal=False))

    def ring() -> shapely.Geometry:
        n = draw(st.integers(3, 9))
        xy = [(lon + draw(offset), lat + draw(offset)) for _ in range(n)]
        return shapely.make_valid(shapely.Polygon(xy))

    shape = ring()
    try:  # GEOS may fail to overlay random near-degenerate rings: draw another
        if draw(st.booleans()):
            width = draw(st.sampled_from([2 * GRID, 5 * GRID, 1e-3, 1.0]))
            shape = shapely.union(shape, shapely.box(lon, lat, lon + width, lat + width / 2))
        if draw(st.booleans()):
            shape = shapely.difference(shape, ring())
        parts = [
            p
            for p in shapely.get_parts(shapely.get_parts(shape))
            if p.geom_type == "Polygon" and p.area > 0
        ]
        assume(parts)
        out = shapely.union_all(parts)
    except shapely.errors.GEOSException:
        assume(False)
    assume(out.is_valid and out.geom_type in ("Polygon", "MultiPolygon"))
    return out


@MANY
@given(polygons())
def test_on_grid_keeps_random_polygons_valid(polygon):
    (got,), (collapsed,) = on_grid(np.array([polygon]))
    if collapsed:
        assert got.is_empty
        return
    assert got.is_valid
    assert close(got, polygon)
    # the numbers are those the text carries: rounding again changes nothing
    assert np.array_equal(shapely.get_coordinates(got), shapely.get_coordinates(naive(got)))


@SOME
@given(polygons())
def test_random_polygons_read_back_from_the_folder_and_geojson(polygon):
    (_,), (collapsed,) = on_grid(np.array([polygon]))
    conflict = polygon_conflict([polygon])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if collapsed:
            with pytest.raises(gc.SchemaError, match=r"row p0, column 'geometry'.*narrower"):
                conflict.save(folder / "c")
            return
        back = gc.read_conflict(conflict.save(folder / "c"))
        assert_read_back(back, conflict)
        table = gc.read_geojson(gc.to_geojson(conflict.places, folder / "p.geojson"))
        assert table.geometry.iloc[0].is_valid
        assert close(table.geometry.iloc[0], polygon)
