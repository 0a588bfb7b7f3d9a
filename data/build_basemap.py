"""Build the offline base map ``geoconflict/_data/basemap/``: light layers for Syria's region.

The interactive maps draw these layers when there are no tiles (``tiles=None``) or the tiles
fail to load, so a reader offline can still find Aleppo, the Euphrates and the border. The
layers are derived from the reference data in ``../shared/data`` (see its README):

* ``countries.geojson``: Syria and its neighbours with English and Arabic names, from Natural
  Earth 1:10m Admin 0 Countries v5.1.1 (``ne_10m_admin0_syria``; public domain);
* ``rivers.geojson`` and ``lakes.geojson``: the Euphrates, Tigris, Jordan and Ceyhan and the
  lakes of the region, from Natural Earth 1:10m rivers and lake centerlines and lakes
  (``ne_10m_physical_levant``; public domain);
* ``admin1.geojson``: the lines between Syria's 14 governorates, and ``admin1_labels.geojson``
  their names (English and Arabic) at OCHA's label points, from the OCHA COD-AB for Syria
  (``ocha_cod_ab_syr_2020``; CC BY 3.0 IGO, attribution below).

Changes: features selected; river parts named in Turkish or Arabic (*Firat*, *Al Furat*,
*Dicle*) merged under one English name and given their usual Arabic name; the governorate
polygons turned into the lines they share; every line simplified (Douglas-Peucker,
topology kept) and coordinates rounded, so the files stay small enough to travel inside
every map page. ``basemap.json`` lists the layers, their sources and the credit line the
licences ask for.

Run ``python data/build_basemap.py [SHARED_DATA_DIR] [OUT_DIR]``; the defaults are
``../shared/data`` (beside the project) and ``geoconflict/_data/basemap``. The output is
deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
OUT = HERE.parent / "geoconflict" / "_data" / "basemap"

#: The region the layers cover (lon/lat): Syria and its neighbours' nearer parts.
BOX = (34.0, 31.0, 43.5, 38.5)
#: Simplification tolerances (degrees; 0.01 is about 1 km) and rounding (3 decimals, ~100 m).
TOLERANCE = {"countries": 0.01, "admin1": 0.004, "rivers": 0.004, "lakes": 0.003}
DECIMALS = 3

NE_COUNTRIES = "ne_10m_admin0_syria/ne_10m_admin_0_countries_deu_SYR_and_neighbours.geojson"
NE_RIVERS = "ne_10m_physical_levant/ne_10m_rivers_lake_centerlines_levant.geojson"
NE_LAKES = "ne_10m_physical_levant/ne_10m_lakes_levant.geojson"
OCHA_ADMIN1 = "ocha_cod_ab_syr_2020/syr_admin1_simplified.geojson"
OCHA_POINTS = "ocha_cod_ab_syr_2020/syr_adminpoints.geojson"

NATURAL_EARTH = "Natural Earth (public domain)"
OCHA = (
    "UN OCHA / UNCS, Syrian Arab Republic COD-AB (valid 2020-12-17), via HDX, "
    "CC BY 3.0 IGO; boundaries and names shown do not imply official endorsement or "
    "acceptance by the United Nations"
)

#: Natural Earth river names -> (English, Arabic). The Turkish (Firat, Dicle) and Arabic
#: (Al Furat) names of the parts are the same rivers; the Arabic names are the titles of the
#: rivers' Arabic Wikipedia articles.
RIVERS = {
    "Euphrates": ("Euphrates", "الفرات", "https://ar.wikipedia.org/wiki/نهر_الفرات"),
    "Firat": ("Euphrates", "الفرات", "https://ar.wikipedia.org/wiki/نهر_الفرات"),
    "Al Furat": ("Euphrates", "الفرات", "https://ar.wikipedia.org/wiki/نهر_الفرات"),
    "Tigris": ("Tigris", "دجلة", "https://ar.wikipedia.org/wiki/نهر_دجلة"),
    "Dicle": ("Tigris", "دجلة", "https://ar.wikipedia.org/wiki/نهر_دجلة"),
    "Jordan": ("Jordan", "نهر الأردن", "https://ar.wikipedia.org/wiki/نهر_الأردن"),
    "Ceyhan": ("Ceyhan", "جيحان", "https://ar.wikipedia.org/wiki/نهر_جيحان"),
}
#: Lakes named on the map (English, Arabic, where the Arabic name is from); others are drawn
#: unnamed.
LAKES = {
    "Buhayrat al-Assad": (
        "Lake Assad",
        "بحيرة الأسد",
        "https://ar.wikipedia.org/wiki/بحيرة_الأسد",
    ),
    "Sea of Galilee": (
        "Sea of Galilee",
        "بحيرة طبريا",
        "https://ar.wikipedia.org/wiki/بحيرة_طبريا",
    ),
    "Dead Sea": ("Dead Sea", "البحر الميت", "https://ar.wikipedia.org/wiki/البحر_الميت"),
}


def _simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    out = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out = shapely.set_precision(out, 10.0**-DECIMALS)
    return shapely.make_valid(out)


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """RFC 7946 GeoJSON, compact, one feature per line, coordinates rounded."""
    features = []
    for row, geom in zip(
        frame.drop(columns="geometry").to_dict("records"), frame.geometry.to_numpy(), strict=True
    ):
        if geom is None or geom.is_empty:
            continue
        rounded = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
        oriented = (
            shapely.orient_polygons(rounded) if rounded.geom_type.endswith("Polygon") else rounded
        )
        features.append(
            json.dumps(
                {
                    "type": "Feature",
                    "properties": row,
                    "geometry": json.loads(shapely.to_geojson(oriented)),
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def countries(shared: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(shared / NE_COUNTRIES)
    box = shapely.box(*BOX)
    geoms = shapely.intersection(_simplify(frame.geometry.to_numpy(), TOLERANCE["countries"]), box)
    out = gpd.GeoDataFrame(
        {
            "name": frame["NAME_EN"].astype(str),
            "name_ar": frame["NAME_AR"].astype(str),
            "iso_a3": frame["ADM0_A3"].astype(str),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return out[~out.geometry.is_empty].sort_values("iso_a3").reset_index(drop=True)


def rivers(shared: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(shared / NE_RIVERS)
    names = frame["name"].map(lambda n: RIVERS[n][0])
    rows = []
    for name in sorted(names.unique()):
        parts = frame.geometry[names == name].to_numpy()
        merged = shapely.line_merge(shapely.union_all(parts))
        _, name_ar, source = next(v for v in RIVERS.values() if v[0] == name)
        rank = float(frame.loc[names == name, "scalerank"].min())
        rows.append((name, name_ar, int(rank), source, merged))
    out = gpd.GeoDataFrame(
        {
            "name": [r[0] for r in rows],
            "name_ar": [r[1] for r in rows],
            "rank": [r[2] for r in rows],
            "name_ar_source": [r[3] for r in rows],
        },
        geometry=_simplify(np.array([r[4] for r in rows], dtype=object), TOLERANCE["rivers"]),
        crs="EPSG:4326",
    )
    return out.sort_values(["rank", "name"]).reset_index(drop=True)


def lakes(shared: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(shared / NE_LAKES)
    geoms = _simplify(frame.geometry.to_numpy(), TOLERANCE["lakes"])
    named = frame["name"].map(lambda n: LAKES.get(n, (None, None, None)))
    out = gpd.GeoDataFrame(
        {
            "name": [n[0] for n in named],
            "name_ar": [n[1] for n in named],
            "name_ar_source": [n[2] for n in named],
            "rank": frame["scalerank"].astype(int),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    out = out[shapely.area(out.geometry.to_numpy()) > 1e-4]  # drop ponds (< ~1 km²)
    # the Dead Sea is two features in Natural Earth (north basin, south pans): name one
    dead = out.index[out["name"] == "Dead Sea"]
    if len(dead) > 1:
        area = shapely.area(out.loc[dead].geometry.to_numpy())
        smaller = dead[np.argsort(area)[:-1]]
        out.loc[smaller, ["name", "name_ar", "name_ar_source"]] = None
    return out.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


def admin1(shared: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The lines two governorates share, and the governorates' names at OCHA label points."""
    frame = gpd.read_file(shared / OCHA_ADMIN1).sort_values("adm1_pcode")
    geoms = frame.geometry.to_numpy()
    lines = []
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            shared_line = shapely.line_merge(
                shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j]))
            )
            parts = [
                p
                for p in shapely.get_parts(shared_line)
                if p.geom_type in ("LineString", "LinearRing") and p.length > 0
            ]
            if parts:
                lines.append(
                    (
                        frame["adm1_pcode"].iloc[i],
                        frame["adm1_pcode"].iloc[j],
                        shapely.line_merge(shapely.multilinestrings(parts)),
                    )
                )
    out = gpd.GeoDataFrame(
        {"pcode_a": [r[0] for r in lines], "pcode_b": [r[1] for r in lines]},
        geometry=_simplify(np.array([r[2] for r in lines], dtype=object), TOLERANCE["admin1"]),
        crs="EPSG:4326",
    )
    points = gpd.read_file(shared / OCHA_POINTS)
    points = points[points["admin_leve"].astype(int) == 1].sort_values("adm1_pcode")
    labels = gpd.GeoDataFrame(
        {
            "name": points["name"].astype(str),
            "name_ar": points["name1"].astype(str),
            "pcode": points["adm1_pcode"].astype(str),
        },
        geometry=points.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    return out, labels.reset_index(drop=True)


def build(shared: Path = SHARED, out: Path = OUT) -> dict[str, int]:
    """Write every layer and ``basemap.json`` into ``out``; return the files' sizes."""
    if not shared.is_dir():
        raise SystemExit(
            f"reference data not found at {shared}; pass its folder as the first argument"
        )
    out.mkdir(parents=True, exist_ok=True)
    lines, labels = admin1(shared)
    layers = {
        "countries": countries(shared),
        "lakes": lakes(shared),
        "rivers": rivers(shared),
        "admin1": lines,
        "admin1_labels": labels,
    }
    for name, frame in layers.items():
        _write(frame, out / f"{name}.geojson")
    meta = {
        "name": "Syria and neighbours",
        "bounds": list(BOX),
        "credits": [NATURAL_EARTH, OCHA],
        # what Syria's first-level units are: "14 governorates (ADM1)" in the COD-AB's
        # description (ocha_cod_ab_syr_2020/SOURCE.txt), محافظة in Arabic (the example's
        # own Arabic names: "محافظة حلب"); the legend's "Governorate lines"
        "level_names": {"admin1": {"en": "governorate", "ar": "محافظة"}},
        "layers": {
            "countries": {
                "file": "countries.geojson",
                "source": NATURAL_EARTH,
                "from": "Natural Earth 1:10m Admin 0 Countries v5.1.1 "
                "(German point of view), " + NE_COUNTRIES,
            },
            "lakes": {
                "file": "lakes.geojson",
                "source": NATURAL_EARTH,
                "from": "Natural Earth 1:10m lakes, " + NE_LAKES,
            },
            "rivers": {
                "file": "rivers.geojson",
                "source": NATURAL_EARTH,
                "from": "Natural Earth 1:10m rivers and lake centerlines, " + NE_RIVERS,
            },
            "admin1": {
                "file": "admin1.geojson",
                "source": OCHA,
                "from": "OCHA COD-AB Syria admin1, simplified, " + OCHA_ADMIN1,
            },
            "admin1_labels": {
                "file": "admin1_labels.geojson",
                "source": OCHA,
                "from": "OCHA COD-AB Syria admin label points, level 1, " + OCHA_POINTS,
            },
        },
        "built_by": "data/build_basemap.py",
    }
    (out / "basemap.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {p.name: p.stat().st_size for p in sorted(out.iterdir())}


if __name__ == "__main__":
    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    for file, size in build(shared_dir, out_dir).items():
        print(f"{size:>8,} B  {file}")
