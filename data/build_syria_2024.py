"""Build the bundled example ``geoconflict/_data/syria_2024/`` at sub-district resolution.

The example describes Syria on 26 November 2024, the day before the offensive that ended
the Assad government, and the changes of the following two weeks:

* places: the 272 OCHA sub-districts (admin3) as polygons, finer polygons where a line
  cut a sub-district (the Euphrates in Deir ez-Zor, the Idlib line of March 2020, the
  Peace Spring zone, the Tal Rifaat pocket, the Golan ceasefire line, ...), declared zones
  (the 55-km al-Tanf deconfliction zone), and the towns: every OCHA governorate, district
  and sub-district seat plus every place the facts name;
* control: who held every unit on 26 November 2024 (``data/sources/baseline.csv``), then
  the dated changes (``data/sources/changes.csv``);
* flows: displacement as reported (``data/sources/flows.csv``);
* outlines: the OCHA country outline and Natural Earth neighbours for context.

Every fact lives in the CSV files under ``data/sources/`` (see ``data/README.md``); this
script only selects, simplifies, cuts and checks. It reads the reference data of
``../shared/data`` (OCHA COD-AB, OCHA communities, GeoNames, Natural Earth, the OpenSyria
gazetteer); set ``GEOCONFLICT_SHARED_DATA`` to point elsewhere. The built files are
committed, so a clone without that folder still has the example.

Run ``python data/build_syria_2024.py [OUT_DIR]``; the output is deterministic (sorted
rows, fixed number formats, no timestamps): two runs give byte-identical files.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely import ops

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
DEFAULT_OUT = ROOT / "geoconflict" / "_data" / "syria_2024"
BASELINE_DATE = "2024-11-26"
TITLE = "Syria: the 27 November - 9 December 2024 offensive"

#: Tolerance of ``shapely.coverage_simplify`` for the sub-districts, in degrees (~500 m).
SIMPLIFY_TOLERANCE = 0.005
#: Every polygon vertex is snapped to this grid (degrees, ~1 m), so neighbours share them.
GRID = 1e-5
PLACE_DECIMALS = 6
#: Neighbours drawn for context, clipped to this box (lon/lat).
CONTEXT_BBOX = (32.0, 29.0, 44.0, 39.0)

OCHA_ADMIN = "ocha_cod_ab_syr_2020"
OCHA_COMMUNITIES = "ocha_syr_populated_places_2015/syr_admin4_populated_places_ocha_2015.geojson"
GEONAMES = "geonames_sy_cities500/geonames_SY_cities500.csv"
GAZETTEER = "opensyria_admin_gazetteer/subdistricts.json"
NEIGHBOURS = "ne_10m_admin0_syria/ne_10m_admin_0_countries_deu_SYR_and_neighbours.geojson"
RIVERS = "ne_10m_physical_levant/ne_10m_rivers_lake_centerlines_levant.geojson"

SRC_COD_AB = (
    "UN OCHA / UNCS, Syrian Arab Republic COD-AB (valid 2020-12-17), via HDX, "
    "CC BY 3.0 IGO: https://data.humdata.org/dataset/cod-ab-syr"
)
SRC_COMMUNITIES = (
    "UN OCHA - Syrian Arab Republic populated places (HDX), 2015 edition, CC BY "
    "3.0 IGO: https://data.humdata.org/dataset/"
    "syrian-arab-republic-administrative-boundaries-populated-places"
)
SRC_GEONAMES = "GeoNames, geonames.org, CC BY 4.0"
SRC_GAZETTEER = (
    "OpenSyria admin gazetteer (CC BY 4.0, https://github.com/Open-Syria/"
    "data-geography), 2004 census figure from US Census Bureau tables via HDX"
)
SRC_NATURAL_EARTH = "Natural Earth 1:10m Admin 0 Countries v5.1.1, public domain"

LICENSES = [
    {
        "name": "CC-BY-3.0-IGO",
        "title": "Creative Commons Attribution 3.0 IGO",
        "path": "https://creativecommons.org/licenses/by/3.0/igo/",
    },
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    {
        "name": "public-domain",
        "title": "Natural Earth: public domain",
        "path": "https://www.naturalearthdata.com/about/terms-of-use/",
    },
]
ATTRIBUTION = [
    {
        "title": "UN OCHA / UNCS, Syrian Arab Republic COD-AB (valid 2020-12-17), via HDX "
        "(CC BY 3.0 IGO). The boundaries and names shown do not imply official "
        "endorsement or acceptance by the United Nations.",
        "path": "https://data.humdata.org/dataset/cod-ab-syr",
    },
    {
        "title": "UN OCHA - Syrian Arab Republic populated places (HDX), 2015 edition "
        "(CC BY 3.0 IGO)",
        "path": "https://data.humdata.org/dataset/"
        "syrian-arab-republic-administrative-boundaries-populated-places",
    },
    {"title": "GeoNames, geonames.org (CC BY 4.0)", "path": "https://www.geonames.org"},
    {
        "title": "OpenSyria admin gazetteer (CC BY 4.0)",
        "path": "https://github.com/Open-Syria/data-geography",
    },
    {
        "title": "Made with Natural Earth (public domain)",
        "path": "https://www.naturalearthdata.com",
    },
    {
        "title": "Control, displacement and zones: the sources cited row by row in the "
        "source column of each table",
        "path": "https://github.com/",
    },
]

PLACE_COLUMNS = [
    "place_id",
    "name",
    "name_ar",
    "aliases",
    "level",
    "level_name",
    "level_name_ar",
    "pcode",
    "admin1",
    "admin2",
    "admin3",
    "governorate",
    "district",
    "seat",
    "population",
    "population_source",
    "lon",
    "lat",
    "wkt",
    "source",
    "note",
]
#: What each level of place is called, in English and Arabic: the COD-AB's own words for
#: Syria's units ("14 governorates (ADM1), 62 districts (ADM2), 272 sub-districts (ADM3)",
#: ocha_cod_ab_syr_2020/SOURCE.txt; محافظة, منطقة, ناحية in OCHA's Arabic), the parts this
#: script cuts from sub-districts, the declared zones and the regions of regions.csv.
#: Maps and figures show them ("Hama (sub-district)", "Governorate lines").
LEVEL_NAMES = {
    "admin0": ("country", "دولة"),
    "admin1": ("governorate", "محافظة"),
    "admin2": ("district", "منطقة"),
    "admin3": ("sub-district", "ناحية"),
    "part": ("part of a sub-district", "جزء من ناحية"),
    "zone": ("zone", "منطقة محددة"),
    "region": ("region", "إقليم"),
}

ACTOR_COLUMNS = [
    "actor_id",
    "name",
    "name_ar",
    "color",
    "aliases",
    "group",
    "source",
    "name_ar_source",
]
CONTROL_COLUMNS = ["place_id", "actor_id", "date", "status", "contested_by", "source", "note"]
FLOW_COLUMNS = [
    "origin",
    "destination",
    "start",
    "end",
    "people",
    "people_max",
    "unit",
    "category",
    "kind",
    "source",
    "quality",
    "note",
]
STATUSES = {"held", "contested", "besieged"}


class BuildError(Exception):
    """A source table is inconsistent; the message names the file, row and value."""


# ----------------------------------------------------------------------------- input


def find_shared():
    """Locate the reference data folder (``../shared/data`` seen from the project root).

    Returns
    -------
    pathlib.Path or None
        The first candidate that holds the OCHA boundaries, or None.
    """
    candidates = [
        os.environ.get("GEOCONFLICT_SHARED_DATA"),
        ROOT.parent / "shared" / "data",
        ROOT.parents[1] / "shared" / "data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / OCHA_ADMIN).is_dir():
            return Path(candidate)
    return None


def read_rows(name, required):
    """Read ``data/sources/<name>`` as a list of dicts of text, checking its header.

    Parameters
    ----------
    name : str
        File name under ``data/sources``.
    required : list of str
        Columns the file must have.

    Returns
    -------
    list of dict
        One dict per row, every value a stripped string; ``_row`` holds the line number.
    """
    path = SOURCES / name
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise BuildError(f"{path}: missing column(s) {missing}")
        rows = []
        for number, row in enumerate(reader, start=2):
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            clean["_row"] = number
            rows.append(clean)
    return rows


def fail(name, row, message):
    raise BuildError(f"data/sources/{name}, row {row['_row']}: {message}")


def load_admin3(shared):
    """The OCHA sub-districts, coverage-simplified and snapped to the grid.

    Returns
    -------
    geopandas.GeoDataFrame
        Sorted by p-code, lon/lat.
    """
    frame = gpd.read_file(shared / OCHA_ADMIN / "syr_admin3_simplified.geojson")
    frame = frame.sort_values("adm3_pcode").reset_index(drop=True)
    geoms = shapely.coverage_simplify(frame.geometry.to_numpy(), SIMPLIFY_TOLERANCE)
    geoms = shapely.set_precision(geoms, GRID)
    if not (shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)):
        raise BuildError("the simplified sub-districts are not a valid coverage")
    return frame.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326"))


def load_communities(shared):
    """The OCHA communities as a DataFrame indexed by C-code (``PCODE``)."""
    frame = gpd.read_file(shared / OCHA_COMMUNITIES)
    frame = pd.DataFrame(frame.drop(columns="geometry"))
    frame["CAPIT_LVL"] = pd.to_numeric(frame["CAPIT_LVL"], errors="coerce")
    return frame.set_index("PCODE").sort_index()


def load_geonames(shared):
    return pd.read_csv(shared / GEONAMES, dtype={"admin1code": str}, keep_default_na=False)


def load_gazetteer(shared):
    """2004 census population per sub-district p-code, from the OpenSyria gazetteer."""
    records = json.loads((shared / GAZETTEER).read_text(encoding="utf-8"))
    out = {}
    for record in records:
        population = record.get("population") or {}
        if population.get("value"):
            out[record["externalIds"]["ochaPcode"]] = (
                int(population["value"]),
                int(population["year"]),
            )
    return out


# ----------------------------------------------------------------------------- geometry


def euphrates(shared):
    """The Euphrates centreline through Syria, oriented downstream (north-west to south-east).

    Natural Earth splits the river into river and lake-centreline pieces under three names;
    they are merged into one line whose first point is the northernmost.
    """
    rivers = gpd.read_file(shared / RIVERS)
    parts = rivers[rivers["name"].isin(["Euphrates", "Al Furat", "Firat"])].geometry
    merged = shapely.line_merge(shapely.union_all(shapely.get_parts(parts.to_numpy())))
    lines = sorted(shapely.get_parts(merged), key=lambda g: -g.length)
    line = lines[0]
    if line.coords[0][1] < line.coords[-1][1]:
        line = shapely.reverse(line)
    return line


def point_line(rows, line_id):
    """A polyline from ``lines.csv`` rows of one ``line_id``, in ``seq`` order."""
    points = sorted(
        (int(r["seq"]), float(r["lon"]), float(r["lat"])) for r in rows if r["line_id"] == line_id
    )
    if len(points) < 2:
        raise BuildError(f"data/sources/lines.csv: line {line_id!r} needs at least two points")
    return shapely.LineString([(x, y) for _, x, y in points])


def side_of(line, point):
    """+1 if ``point`` lies left of ``line`` (looking along it), -1 if right."""
    s = line.project(point)
    step = min(1e-3, line.length / 10)
    a = line.interpolate(max(s - step, 0.0))
    b = line.interpolate(min(s + step, line.length))
    near = line.interpolate(s)
    cross = (b.x - a.x) * (point.y - near.y) - (b.y - a.y) * (point.x - near.x)
    return 1 if cross > 0 else -1


def cut_by_line(polygon, line, side):
    """The part of ``polygon`` on one side (``left``/``right``) of ``line``."""
    wanted = 1 if side == "left" else -1
    pieces = []
    for part in shapely.get_parts(polygon):
        for piece in shapely.get_parts(ops.split(part, line)):
            if side_of(line, piece.representative_point()) == wanted:
                pieces.append(piece)
    if not pieces:
        return None
    return shapely.set_precision(shapely.union_all(pieces), GRID)


def cut_by_communities(polygon, communities, chosen):
    """The union of the Voronoi cells of ``chosen`` communities, among all inside ``polygon``.

    Parameters
    ----------
    polygon : shapely.Geometry
    communities : pandas.DataFrame
        OCHA communities (``LONGITUDE``/``LATITUDE``), indexed by C-code.
    chosen : list of str
        C-codes whose cells form the piece.
    """
    points = shapely.points(
        communities["LONGITUDE"].to_numpy(), communities["LATITUDE"].to_numpy()
    )
    inside = shapely.contains(polygon, points)
    codes = communities.index[inside]
    missing = sorted(set(chosen) - set(codes))
    if missing:
        raise BuildError(f"communities {missing} do not lie inside the unit being cut")
    cells = shapely.voronoi_polygons(
        shapely.multipoints(points[inside]), extend_to=polygon, ordered=True
    )
    cells = shapely.get_parts(cells)
    keep = np.isin(codes, chosen)
    piece = shapely.union_all(cells[keep])
    return shapely.intersection(piece, polygon, grid_size=GRID)


def reproject(geom, transformer):
    """``geom`` with its coordinates passed through a pyproj ``transformer``."""
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def geodesic_circle(lon, lat, radius_km):
    """A circle of ``radius_km`` around a point, drawn in an azimuthal equidistant projection."""
    local = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    to_wgs = pyproj.Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    circle = shapely.Point(0, 0).buffer(radius_km * 1000.0, quad_segs=32)
    return reproject(circle, to_wgs)


def _local_buffer(geom, depth_km):
    """``geom`` buffered by ``depth_km`` in an equal-area projection centred on Syria."""
    local = pyproj.CRS.from_proj4("+proj=laea +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", local, always_xy=True)
    back = pyproj.Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    band = reproject(geom, fwd).buffer(depth_km * 1000.0, quad_segs=16)
    return reproject(band, back)


def border_band(neighbour, depth_km, min_lon, max_lon, syria):
    """Syria within ``depth_km`` of a neighbour's border, between two meridians."""
    band = _local_buffer(neighbour, depth_km)
    box = shapely.box(min_lon, 30.0, max_lon, 40.0)
    return shapely.intersection(shapely.intersection(band, box), syria, grid_size=GRID)


def river_band(river, depth_km, syria):
    """Syria within ``depth_km`` of a river's centreline (both banks)."""
    return shapely.intersection(_local_buffer(river, depth_km), syria, grid_size=GRID)


def build_zones(shared, syria):
    """Zone geometries from ``zones.csv``, keyed by ``zone_id``, with their rows.

    Shapes: ``circle`` (``radius_km`` around ``lon``/``lat``), ``border_band`` (Syria
    within ``depth_km`` of the border of the country ``neighbour`` names, between
    ``min_lon`` and ``max_lon``) and ``river_band`` (Syria within ``depth_km`` of the
    river ``neighbour`` names, as ``river:Euphrates``).
    """
    neighbours = gpd.read_file(shared / NEIGHBOURS).set_index("ADM0_A3")
    rivers = {"river:Euphrates": euphrates(shared)}
    zones = {}
    for row in read_rows(
        "zones.csv",
        [
            "zone_id",
            "name",
            "name_ar",
            "shape",
            "lon",
            "lat",
            "radius_km",
            "neighbour",
            "depth_km",
            "min_lon",
            "max_lon",
            "place",
            "source",
            "note",
        ],
    ):
        if row["shape"] == "circle":
            geom = geodesic_circle(float(row["lon"]), float(row["lat"]), float(row["radius_km"]))
            geom = shapely.intersection(geom, syria, grid_size=GRID)
        elif row["shape"] == "border_band":
            geom = border_band(
                neighbours.loc[row["neighbour"]].geometry,
                float(row["depth_km"]),
                float(row["min_lon"]),
                float(row["max_lon"]),
                syria,
            )
        elif row["shape"] == "river_band":
            if row["neighbour"] not in rivers:
                fail("zones.csv", row, f"unknown river {row['neighbour']!r}; use {sorted(rivers)}")
            geom = river_band(rivers[row["neighbour"]], float(row["depth_km"]), syria)
        else:
            fail(
                "zones.csv",
                row,
                f"unknown shape {row['shape']!r}; use circle, border_band or river_band",
            )
        if geom.is_empty:
            fail("zones.csv", row, "the zone does not overlap Syria")
        zones[row["zone_id"]] = (geom, row)
    return zones


def _cut(row, method, by, side, parent, piece, cutters):
    """``piece`` (part of the sub-district ``parent``) cut once more: one step of a split."""
    lines, river, communities, zones = cutters
    if piece is None:
        return None
    if method == "line":
        line = river if by == "river:Euphrates" else point_line(lines, by)
        if side not in ("left", "right"):
            fail("splits.csv", row, "side must be left or right for a line")
        return cut_by_line(piece, line, side)
    if method == "communities":
        try:
            cells = cut_by_communities(parent, communities, by.split("|"))
        except BuildError as exc:
            fail("splits.csv", row, str(exc))
        return shapely.intersection(piece, cells, grid_size=GRID)
    if method == "zone":
        if by not in zones:
            fail("splits.csv", row, f"unknown zone {by!r}")
        if side not in ("inside", "outside"):
            fail("splits.csv", row, "side must be inside or outside for a zone")
        op = shapely.intersection if side == "inside" else shapely.difference
        return op(piece, zones[by][0], grid_size=GRID)
    fail("splits.csv", row, f"unknown method {method!r}; use line, communities or zone")
    return None


def build_pieces(admin3, communities, zones, shared):
    """Finer polygon places cut out of sub-districts, from ``splits.csv`` and ``lines.csv``.

    A row's ``method``, ``by`` and ``side`` may each list several steps separated by ``&``
    (``line&zone``, ``river:Euphrates&euphrates-valley``, ``right&inside``): the piece is
    what is left of the parent after every step, in order.

    Returns
    -------
    list of dict
        ``place_id``, ``parent``, ``geometry``, ``name``, ``name_ar``, ``source``, ``note``.
    """
    lines = read_rows("lines.csv", ["line_id", "seq", "lon", "lat", "label", "source"])
    cutters = (lines, euphrates(shared), communities, zones)
    geometry = dict(zip(admin3["adm3_pcode"], admin3.geometry, strict=True))
    pieces = []
    for row in read_rows(
        "splits.csv",
        ["place_id", "parent", "method", "by", "side", "name", "name_ar", "source", "note"],
    ):
        if row["parent"] not in geometry:
            fail("splits.csv", row, f"unknown parent {row['parent']!r} (cut the parent first)")
        parent = geometry[row["parent"]]
        steps = [row[c].split("&") for c in ("method", "by", "side")]
        if len({len(s) for s in steps}) != 1:
            fail("splits.csv", row, "method, by and side must list the same number of steps")
        piece = parent
        for method, by, side in zip(*steps, strict=True):
            piece = _cut(row, method, by, side, parent, piece, cutters)
        piece = polygonal(piece)
        if piece is None or shapely.area(piece) < 1e-6:
            fail("splits.csv", row, "the cut leaves nothing (check the line, side or list)")
        if row["place_id"] in geometry:
            fail("splits.csv", row, f"place_id {row['place_id']!r} is used twice")
        geometry[row["place_id"]] = piece
        pieces.append({**row, "geometry": piece})
    return pieces


def node_pieces(admin3, pieces, zones):
    """Redraw the cut pieces and the zones on one noded arrangement with the sub-districts.

    The boundaries of every sub-district, piece and zone are snapped to the grid and
    noded together; the faces they enclose are given to the sub-district that holds them,
    and a piece (or zone) is the union of the faces of its parent (or of Syria) whose
    interior point lies in the piece as first cut. So pieces nest exactly in their parents
    and share every vertex with their neighbours.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, list of dict, dict)
        The sub-districts, the pieces and the zones, each redrawn from the faces (a
        sub-district changes only where a cut meets its edge, by less than the grid).
    """
    units = admin3.geometry.to_numpy()
    lines = [shapely.boundary(units)]
    lines += [np.array([shapely.boundary(p["geometry"]) for p in pieces], dtype=object)]
    lines += [np.array([shapely.boundary(g) for g, _ in zones.values()], dtype=object)]
    noded = shapely.union_all(np.concatenate(lines), grid_size=GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inner = shapely.point_on_surface(faces)
    tree = shapely.STRtree(units)
    face_idx, unit_idx = tree.query(inner, predicate="within")
    unit_of = np.full(len(faces), -1)
    unit_of[face_idx] = unit_idx
    position = {code: i for i, code in enumerate(admin3["adm3_pcode"])}

    def redraw(original, allowed):
        keep = allowed & shapely.within(inner, original)
        return polygonal(shapely.coverage_union_all(faces[keep]))

    if (unit_of < 0).any():
        raise BuildError("noding the cuts left faces outside every sub-district")
    redrawn_units = [
        polygonal(shapely.coverage_union_all(faces[unit_of == i])) for i in range(len(units))
    ]
    admin3 = admin3.set_geometry(gpd.GeoSeries(redrawn_units, crs="EPSG:4326"))
    out = []
    for piece in pieces:
        allowed = unit_of == position[piece["parent"]]
        out.append({**piece, "geometry": redraw(piece["geometry"], allowed)})
    redrawn = {key: (redraw(geom, unit_of >= 0), row) for key, (geom, row) in zones.items()}
    return admin3, out, redrawn


def wholly_cut(admin3, pieces):
    """Sub-districts that their pieces cover entirely, each with the ids of its pieces.

    Such a unit holds no land of its own (finer places win), so it carries no control
    record: a state of its own would only show up in tables, never on the map.
    """
    geometry = dict(zip(admin3["adm3_pcode"], admin3.geometry, strict=True))
    by_parent = {}
    for piece in pieces:
        by_parent.setdefault(piece["parent"], []).append(piece)
    out = {}
    for parent, parts in sorted(by_parent.items()):
        union = shapely.coverage_union_all([p["geometry"] for p in parts])
        left = shapely.difference(geometry[parent], union, grid_size=GRID)
        if shapely.area(left) <= 1e-9 * shapely.area(geometry[parent]):
            out[parent] = sorted(p["place_id"] for p in parts)
    return out


def polygonal(geom):
    """Keep only the polygonal parts of ``geom`` (overlays can add slivers of lines)."""
    if geom is None or geom.is_empty:
        return None
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        return None
    merged = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return shapely.orient_polygons(shapely.make_valid(merged))


# ----------------------------------------------------------------------------- places


def slug(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^a-z0-9]+", "-", plain.lower().replace("'", ""))
    return plain.strip("-")


def fold(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", plain)


def fmt(value):
    return repr(round(float(value), PLACE_DECIMALS))


def polygon_rows(admin3, pieces, zones, gazetteer, whole=None):
    """Rows of ``places.csv`` for the sub-districts, the cut pieces and emitted zones.

    ``whole`` maps the sub-districts cut wholly into pieces to their pieces
    (:func:`wholly_cut`); their note says so.
    """
    whole = whole or {}
    rows = []
    info = {}
    for unit in admin3.itertuples():
        population = gazetteer.get(unit.adm3_pcode)
        aliases = sorted({unit.adm3_ref_n} - {unit.adm3_name, None, ""})
        row = {
            "place_id": unit.adm3_pcode,
            "name": unit.adm3_name,
            "name_ar": unit.adm3_name1,
            "aliases": "|".join(aliases),
            "level": "admin3",
            "pcode": unit.adm3_pcode,
            "admin1": unit.adm1_pcode,
            "admin2": unit.adm2_pcode,
            "admin3": unit.adm3_pcode,
            "governorate": unit.adm1_name,
            "district": unit.adm2_name,
            "seat": "",
            "population": str(population[0]) if population else "",
            "population_source": f"{population[1]} census; {SRC_GAZETTEER}" if population else "",
            "geometry": unit.geometry,
            "source": SRC_COD_AB,
            "note": f"Geometry simplified as a coverage (tolerance {SIMPLIFY_TOLERANCE} degrees)",
        }
        if unit.adm3_pcode in whole:
            row["note"] += (
                f"; cut wholly into {', '.join(whole[unit.adm3_pcode])}: the parts hold all "
                "of its land, so the unit carries no control record of its own"
            )
        rows.append(row)
        info[unit.adm3_pcode] = row
    for piece in pieces:
        parent = info[piece["parent"]]
        row = {
            **{k: parent[k] for k in ("admin1", "admin2", "admin3", "governorate", "district")},
            "place_id": piece["place_id"],
            "name": piece["name"],
            "name_ar": piece["name_ar"],
            "aliases": "",
            "level": "part",
            "pcode": "",
            "seat": "",
            "population": "",
            "population_source": "",
            "geometry": piece["geometry"],
            "source": f"{piece['source']}; geometry cut from {piece['parent']} ({SRC_COD_AB})",
            "note": piece["note"],
        }
        rows.append(row)
        info[piece["place_id"]] = row
    for zone_id, (geom, zone) in zones.items():
        if zone["place"] != "yes":
            continue
        rows.append(
            {
                "place_id": zone_id,
                "name": zone["name"],
                "name_ar": zone["name_ar"],
                "aliases": "",
                "level": "zone",
                "pcode": "",
                "admin1": "",
                "admin2": "",
                "admin3": "",
                "governorate": "",
                "district": "",
                "seat": "",
                "population": "",
                "population_source": "",
                "geometry": polygonal(geom),
                "source": zone["source"],
                "note": zone["note"],
            }
        )
    return rows


def region_rows(admin3, rows):
    """Rows of ``places.csv`` for areas that figures are reported at (``regions.csv``).

    Each region is the union of the sub-districts of the governorates its ``admin1``
    column lists (``|``-separated OCHA p-codes), or the whole country when it lists none.
    Regions carry no control records: they hold no land, they only anchor flows.
    """
    out = []
    codes = admin3["adm1_pcode"].to_numpy()
    for row in rows:
        wanted = [c for c in row["admin1"].split("|") if c]
        unknown = sorted(set(wanted) - set(codes))
        if unknown:
            fail("regions.csv", row, f"unknown governorate p-code(s) {unknown}")
        mask = np.isin(codes, wanted) if wanted else np.ones(codes.size, dtype=bool)
        geom = polygonal(shapely.coverage_union_all(admin3.geometry.to_numpy()[mask]))
        out.append(
            {
                "place_id": row["place_id"],
                "name": row["name"],
                "name_ar": row["name_ar"],
                "aliases": "",
                "level": row["level"],
                "pcode": row["place_id"] if re.fullmatch(r"SY(\d{2})?", row["place_id"]) else "",
                "admin1": row["admin1"],
                "admin2": "",
                "admin3": "",
                "governorate": "",
                "district": "",
                "seat": "",
                "population": "",
                "population_source": "",
                "geometry": geom,
                "source": row["source"],
                "note": row["note"],
            }
        )
    return out


def geonames_population(geonames, lon, lat, names, name_ar, geonameid=None):
    """GeoNames population of a town: by id when given, else by name within 5 km."""
    if geonameid:
        match = geonames[geonames["geonameid"] == int(geonameid)]
        if match.empty:
            raise BuildError(f"geonameid {geonameid} is not in the GeoNames extract")
        rec = match.iloc[0]
    else:
        dist = (
            np.hypot(
                (geonames["longitude"] - lon) * np.cos(np.radians(lat)), geonames["latitude"] - lat
            )
            * 111.2
        )
        near = geonames[dist < 5.0].assign(dist=dist[dist < 5.0]).sort_values("dist")
        keys = {fold(n) for n in names if n}
        rec = None
        for cand in near.itertuples():
            arabic = set(str(cand.arabic_script_names).split("|"))
            latin = {fold(n) for n in [cand.name, *str(cand.alternatenames).split("|")]}
            if name_ar in arabic or keys & latin:
                rec = cand._asdict()
                break
        if rec is None:
            return None
    if not int(rec["population"]):
        return None
    return int(rec["population"]), int(rec["geonameid"])


def town_rows(communities, geonames, admin3):
    """Rows of ``places.csv`` for the seats and the named places (``towns.csv``)."""
    named = read_rows(
        "towns.csv",
        [
            "place_id",
            "pcode",
            "name",
            "name_ar",
            "aliases",
            "lon",
            "lat",
            "geonameid",
            "source",
            "note",
        ],
    )
    by_code = {r["pcode"]: r for r in named if r["pcode"]}
    seats = communities[communities["CAPIT_LVL"].notna() & (communities["CAPIT_LVL"] <= 3)]
    codes = sorted(set(seats.index) | set(by_code))
    admin = admin3.set_index("adm3_pcode")
    rows, used = [], set()
    pending = []
    for code in codes:
        rec = communities.loc[code] if code in communities.index else None
        if rec is None:
            fail("towns.csv", by_code[code], f"unknown OCHA community {code!r}")
        pending.append((code, rec, by_code.get(code)))
    for row in named:
        if not row["pcode"]:
            if not (row["lon"] and row["lat"] and row["name_ar"]):
                fail("towns.csv", row, "a place without an OCHA p-code needs lon, lat, name_ar")
            pending.append((None, None, row))
    ids = {r["place_id"] for r in named}
    for code, rec, given in pending:
        if given is not None:
            place_id = given["place_id"]
        else:
            place_id = slug(rec["NAME_EN"])
            if place_id in ids or place_id in used:
                place_id = f"{place_id}-{slug(rec['ADMIN1_EN'])}"
        if place_id in used:
            raise BuildError(f"town id {place_id!r} is used twice")
        used.add(place_id)
        if rec is not None:
            lon, lat = float(rec["LONGITUDE"]), float(rec["LATITUDE"])
            name = given["name"] if given and given["name"] else rec["NAME_EN"]
            name_ar = given["name_ar"] if given and given["name_ar"] else rec["NAME_ARA"]
            aliases = {
                rec["NAME_EN"],
                rec["NAM_EN_REF"],
                *(given["aliases"].split("|") if given and given["aliases"] else []),
            }
            source = SRC_COMMUNITIES + f" (community {code})"
            seat = "" if pd.isna(rec["CAPIT_LVL"]) else str(int(rec["CAPIT_LVL"]))
        else:
            lon, lat = float(given["lon"]), float(given["lat"])
            name, name_ar = given["name"], given["name_ar"]
            aliases = set(given["aliases"].split("|")) if given["aliases"] else set()
            source, seat = given["source"], ""
        point = shapely.Point(lon, lat)
        note = given["note"] if given else ""
        inside = admin[admin.geometry.contains(point)]
        if inside.empty:
            point, moved = move_inside(admin.geometry.to_numpy(), point)
            inside = admin[admin.geometry.contains(point)]
            note = (f"{note}; " if note else "") + (
                f"Position moved {moved:.0f} m from the source's point, which lies just "
                "outside the simplified outline (a coast or border simplified inland)"
            )
        unit = inside.iloc[0]
        pop = geonames_population(
            geonames, lon, lat, [name, *aliases], name_ar, given["geonameid"] if given else None
        )
        rows.append(
            {
                "place_id": place_id,
                "name": name,
                "name_ar": name_ar,
                "aliases": "|".join(sorted(a for a in aliases if a and a != name)),
                "level": "town",
                "pcode": code or "",
                "admin1": unit["adm1_pcode"],
                "admin2": unit["adm2_pcode"],
                "admin3": inside.index[0] if len(inside) else unit.name,
                "governorate": unit["adm1_name"],
                "district": unit["adm2_name"],
                "seat": seat,
                "population": str(pop[0]) if pop else "",
                "population_source": f"{SRC_GEONAMES}, geonameid {pop[1]}" if pop else "",
                "geometry": point,
                "source": source,
                "note": note,
            }
        )
    return rows


def move_inside(units, point):
    """Move a point that falls outside every unit 50 m inside the nearest one.

    Returns
    -------
    tuple of (shapely.Point, float)
        The new point and how far it moved, in metres.
    """
    nearest = units[int(np.argmin(shapely.distance(units, point)))]
    inner = shapely.buffer(nearest, -0.0005)  # about 50 m
    target = inner if not inner.is_empty else nearest
    moved = ops.nearest_points(target, point)[0]
    moved = shapely.Point(round(moved.x, PLACE_DECIMALS), round(moved.y, PLACE_DECIMALS))
    geod = pyproj.Geod(ellps="WGS84")
    return moved, geod.inv(point.x, point.y, moved.x, moved.y)[2]


def finish_places(rows):
    """Sorted places with ``lon``/``lat`` for points and ``wkt`` for polygons."""
    out = []
    for row in sorted(rows, key=lambda r: r["place_id"]):
        row["level_name"], row["level_name_ar"] = LEVEL_NAMES.get(row["level"], ("", ""))
        geom = row.pop("geometry")
        if geom.geom_type == "Point":
            row.update(lon=fmt(geom.x), lat=fmt(geom.y), wkt="")
        else:
            row.update(lon="", lat="", wkt=shapely.to_wkt(geom, rounding_precision=5, trim=True))
        out.append(row)
    ids = [r["place_id"] for r in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise BuildError(f"place ids used twice: {dupes}")
    return out


# ----------------------------------------------------------------------------- tables


def build_actors():
    rows = read_rows("actors.csv", ACTOR_COLUMNS)
    return sorted(({c: r[c] for c in ACTOR_COLUMNS} for r in rows), key=lambda r: r["actor_id"])


def check_control_row(name, row, places, actors):
    if row["place_id"] not in places:
        fail(name, row, f"unknown place_id {row['place_id']!r}")
    if row["actor_id"] not in actors and row["actor_id"] != "unknown":  # 'unknown': no source
        fail(name, row, f"unknown actor_id {row['actor_id']!r}")
    if row["status"] not in STATUSES:
        fail(name, row, f"status {row['status']!r} is not one of {sorted(STATUSES)}")
    if (row["status"] == "contested") != bool(row["contested_by"]):
        fail(name, row, "contested_by goes with status contested, and only with it")
    if row["contested_by"] and row["contested_by"] not in actors:
        fail(name, row, f"unknown contested_by {row['contested_by']!r}")
    if not row["source"].startswith(("http://", "https://")):
        fail(name, row, "source must be a URL (say INFERRED and why in the note)")


def build_control(places, actors, whole=()):
    """The control table: baseline rows dated 26 Nov, then the changes, checked.

    ``whole``: units cut wholly into pieces, which must carry no record (see
    :func:`wholly_cut`).
    """
    rows = []
    for row in read_rows(
        "baseline.csv", ["place_id", "actor_id", "status", "contested_by", "source", "note"]
    ):
        check_control_row("baseline.csv", row, places, actors)
        rows.append({**row, "date": BASELINE_DATE})
    for row in read_rows("changes.csv", CONTROL_COLUMNS):
        check_control_row("changes.csv", row, places, actors)
        if row["date"] <= BASELINE_DATE:
            fail("changes.csv", row, f"date {row['date']} is not after {BASELINE_DATE}")
        rows.append(row)
    seen = set()
    for row in rows:
        if row["place_id"] in whole:
            parts = ", ".join(whole[row["place_id"]])
            raise BuildError(
                f"{row['place_id']} is cut wholly into parts ({parts}), which hold all of its "
                f"land: give its record of {row['date']} to the parts"
            )
        key = (row["place_id"], row["date"])
        if key in seen:
            raise BuildError(f"two control records for {key[0]} on {key[1]}")
        seen.add(key)
    rows.sort(key=lambda r: (r["place_id"], r["date"]))
    return [{c: r[c] for c in CONTROL_COLUMNS} for r in rows]


def build_flows(places):
    rows = read_rows("flows.csv", FLOW_COLUMNS)
    for row in rows:
        for column in ("origin", "destination"):
            if row[column] and row[column] not in places:
                fail("flows.csv", row, f"unknown {column} {row[column]!r}")
    rows.sort(key=lambda r: (r["start"], r["end"], r["origin"], r["destination"]))
    return [{c: r[c] for c in FLOW_COLUMNS} for r in rows]


# ----------------------------------------------------------------------------- output


def write_csv(path, rows, columns):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in columns})


def geojson_geometry(geom):
    return json.loads(shapely.to_geojson(shapely.orient_polygons(geom)))


def write_geojson(path, features):
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def outlines(shared, syria):
    """Features of ``boundary.geojson`` (OCHA outline) and ``context.geojson`` (neighbours)."""
    boundary = [
        {
            "type": "Feature",
            "properties": {
                "name": "Syria",
                "name_ar": "سوريا",
                "source": "Union of the simplified OCHA sub-districts; " + SRC_COD_AB,
            },
            "geometry": geojson_geometry(syria),
        }
    ]
    neighbours = gpd.read_file(shared / NEIGHBOURS)
    box = shapely.box(*CONTEXT_BBOX)
    context = []
    for row in neighbours.sort_values("ADM0_A3").itertuples():
        if row.ADM0_A3 == "SYR":
            continue
        geom = shapely.difference(shapely.intersection(row.geometry, box), syria, grid_size=GRID)
        geom = polygonal(geom)
        if geom is None:
            continue
        context.append(
            {
                "type": "Feature",
                "properties": {
                    "name": row.NAME_EN,
                    "iso_a3": row.ISO_A3,
                    "source": SRC_NATURAL_EARTH,
                },
                "geometry": geojson_geometry(geom),
            }
        )
    return boundary, context


def add_licences(out):
    """Add the data licences and their attribution to ``datapackage.json``."""
    path = out / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["licenses"] = LICENSES
    package["sources"] = ATTRIBUTION
    path.write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )


def main(out=None):
    """Build every file of the example.

    Parameters
    ----------
    out : str or pathlib.Path, optional
        Output folder; defaults to ``geoconflict/_data/syria_2024``.

    Returns
    -------
    pathlib.Path or None
        The output folder, or None when the reference data is absent.
    """
    shared = find_shared()
    if shared is None:
        print(
            "build_syria_2024: the reference data (../shared/data) was not found; set "
            "GEOCONFLICT_SHARED_DATA to its folder. The committed example is unchanged.",
            file=sys.stderr,
        )
        return None
    out = Path(out) if out is not None else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)

    admin3 = load_admin3(shared)
    syria = shapely.set_precision(shapely.coverage_union_all(admin3.geometry.to_numpy()), GRID)
    communities = load_communities(shared)
    zones = build_zones(shared, syria)
    pieces = build_pieces(admin3, communities, zones, shared)
    admin3, pieces, zones = node_pieces(admin3, pieces, zones)
    syria = polygonal(shapely.coverage_union_all(admin3.geometry.to_numpy()))
    whole = wholly_cut(admin3, pieces)
    rows = polygon_rows(admin3, pieces, zones, load_gazetteer(shared), whole)
    rows += town_rows(communities, load_geonames(shared), admin3)
    if (SOURCES / "regions.csv").exists():
        rows += region_rows(
            admin3,
            read_rows(
                "regions.csv", ["place_id", "name", "name_ar", "level", "admin1", "source", "note"]
            ),
        )
    places = finish_places(rows)
    place_ids = {r["place_id"] for r in places}
    actors = build_actors()

    write_csv(out / "places.csv", places, PLACE_COLUMNS)
    write_csv(out / "actors.csv", actors, ACTOR_COLUMNS)
    write_csv(
        out / "control.csv",
        build_control(place_ids, {a["actor_id"] for a in actors}, whole),
        CONTROL_COLUMNS,
    )
    flows = build_flows(place_ids)
    if flows:
        write_csv(out / "flows.csv", flows, FLOW_COLUMNS)
    elif (out / "flows.csv").exists():
        (out / "flows.csv").unlink()
    boundary, context = outlines(shared, syria)
    write_geojson(out / "boundary.geojson", boundary)
    write_geojson(out / "context.geojson", context)

    # The library reads the folder back (validating every table and id) and describes it.
    from geoconflict.io.folder import describe_folder

    describe_folder(out, title=TITLE)
    add_licences(out)
    return out


if __name__ == "__main__":
    try:
        result = main(sys.argv[1] if len(sys.argv) > 1 else None)
    except BuildError as exc:
        sys.exit(f"build_syria_2024: {exc}")
    sys.exit(0 if result is not None else 2)
