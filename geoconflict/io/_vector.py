"""Reading vector files (GeoJSON, GeoPackage, shapefile, GeoParquet) without surprises.

GDAL reads almost anything, and says little about what it could not read: a coordinate
written as text gives a missing geometry, coordinates nested wrongly an empty one, an
unclosed ring or a one-point line makes the geometry library fail on the whole file, and its
remarks arrive as ``RuntimeWarning``. :func:`read_vector` turns all of these into the
library's own messages: geometries that cannot be read are a :class:`FormatError` naming the
features, what is wrong with each and what to do; GDAL's remarks are a
:class:`~geoconflict.errors.DataWarning` in plain words; a file in another CRS (a legacy
GeoJSON ``crs`` member such as EPSG:27700) is converted to EPSG:4326.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from .._kinds import is_polygonal
from .._proj import to_crs
from .._schema import CRS
from ..errors import DataFileNotFoundError, DataWarning, FormatError, MissingDependencyError
from ._csv import lfs_pointer_error

__all__ = ["GDAL_REMARKS", "read_vector"]

#: GDAL's remarks while reading, in plain words: (pattern, what happened, what to do).
GDAL_REMARKS = (
    (
        r"Non closed ring",
        "a polygon ring is not closed (its last point differs from its first); GDAL closed it",
        "close each ring by repeating its first point at its end",
    ),
    (
        r"Several features with id = (\S+) have been found",
        "feature ids repeat (id {0}); GDAL renumbered the features",
        "give each feature its own id",
    ),
    (
        r"too many members in array",
        "a position has more than 3 numbers; the extra ones were dropped",
        "write positions as [longitude, latitude] or [longitude, latitude, height]",
    ),
    (
        r"unexpected type of JSON construct",
        "a geometry's coordinates are not nested as its type needs; it was read as empty",
        "nest the coordinates as RFC 7946 says for the type",
    ),
    (
        r"Unsupported geometry type",
        "a geometry of an unknown type was read as missing",
        "use a GeoJSON geometry type (Point, LineString, Polygon, Multi..., GeometryCollection)",
    ),
)
#: Above this size a GeoJSON file is not parsed a second time to find the features GDAL
#: could not read; the message then counts them without naming them.
_SCAN_BYTES = 64 << 20
_DEPTH = {
    "point": 1,
    "multipoint": 2,
    "linestring": 2,
    "polygon": 3,
    "multilinestring": 3,
    "multipolygon": 4,
}
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    ValueError,
)
_FIX = (
    "check that the file is complete and in a format GDAL reads (GeoJSON, GeoPackage, shapefile)"
)


def _plain_remark(name: str, message: str) -> str:
    for pattern, what, fix in GDAL_REMARKS:
        found = re.search(pattern, message)
        if found:
            return f"{name}: {what.format(*found.groups())}. Fix: {fix}."
    return (
        f"{name}: GDAL reported while reading: {message.strip()}. The data were read as GDAL "
        "read them. Fix: check the file, e.g. with ogrinfo."
    )


def _depth(value: object) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth += 1
        value = value[0]
    return depth


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


def _geometry_problem(geometry: object) -> str:
    """What is wrong with a GeoJSON geometry object GDAL or GEOS could not read."""
    if not isinstance(geometry, dict):
        return f"the geometry is {json.dumps(geometry)}, not a GeoJSON geometry object"
    kind = str(geometry.get("type", "")).lower()
    coords: Any = geometry.get("coordinates")
    if kind == "geometrycollection":
        parts = geometry.get("geometries")
        bad = [p for p in parts if not isinstance(p, dict)] if isinstance(parts, list) else []
        if bad or not isinstance(parts, list):
            return "a GeometryCollection member is not a geometry object"
        return "; ".join(_geometry_problem(p) for p in parts)
    if kind not in _DEPTH:
        return f"the geometry type {geometry.get('type')!r} is not a GeoJSON type"
    text = _texts(coords)
    if text:
        return f"a coordinate is text ({text[0]!r}), not a number"
    if _depth(coords) != _DEPTH[kind]:
        return (
            f"its coordinates are nested {_depth(coords)} deep; a {geometry['type']} needs "
            f"{_DEPTH[kind]} levels of brackets"
        )
    if kind in ("linestring", "multilinestring"):
        lines = [coords] if kind == "linestring" else coords
        if any(len(line) < 2 for line in lines):
            return "a line has fewer than 2 positions"
    if kind in ("polygon", "multipolygon"):
        rings = coords if kind == "polygon" else [r for poly in coords for r in poly]
        if any(len(ring) < 4 for ring in rings):
            return "a polygon ring has fewer than 4 positions"
        if any(ring[0][:2] != ring[-1][:2] for ring in rings):
            return "a polygon ring is not closed (its last position differs from its first)"
    return "the geometry library could not build it"


def _members(path: Path) -> tuple[list[dict], list[object]] | None:
    """The file's features as GDAL reads them (type Feature, any case) and the collection's
    other members, which GDAL leaves out; None when the file is too large to parse again or
    is not JSON."""
    if path.stat().st_size > _SCAN_BYTES:
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict):
        return None
    kind = str(doc.get("type", "")).lower()
    if kind == "featurecollection" and isinstance(doc.get("features"), list):
        keep = [
            isinstance(f, dict) and str(f.get("type", "")).lower() == "feature"
            for f in doc["features"]
        ]
        return (
            [f for f, k in zip(doc["features"], keep, strict=True) if k],
            [f for f, k in zip(doc["features"], keep, strict=True) if not k],
        )
    if kind == "feature":
        return [doc], []
    return [{"type": "Feature", "geometry": doc}], []


def _refuse(
    name: str, path: Path, bad: np.ndarray, n_rows: int, reasons: dict[int, str]
) -> FormatError:
    """The error for features whose geometry cannot be read."""
    members = _members(path) if path.suffix.lower() in (".geojson", ".json") else None
    features = members[0] if members is not None else None
    positions = np.flatnonzero(bad)
    lines = []
    for pos in positions[:5]:
        reason = reasons.get(int(pos))
        if features is not None and len(features) == n_rows:
            reason = _geometry_problem(features[pos].get("geometry"))
        lines.append(f"feature {pos + 1}: {reason or 'the geometry could not be read'}")
    more = f" (and {len(positions) - 5} more)" if len(positions) > 5 else ""
    return FormatError(
        f"{name}: {len(positions)} of {n_rows} feature(s) have a geometry that cannot be read: "
        f"{'; '.join(lines)}{more}. Fix: correct those geometries in the file (QGIS: Vector > "
        "Geometry Tools > Check Validity shows them), or drop the features."
    )


def _unreadable(name: str, path: Path, kwargs: dict) -> FormatError:
    """Find the features GEOS refused (the whole read failed) and describe them."""
    try:
        with warnings.catch_warnings():  # GDAL's remarks were collected by the first read
            warnings.simplefilter("ignore", RuntimeWarning)
            _, _, wkb, _ = pyogrio.raw.read(str(path), **kwargs)[:4]
    except _READ_ERRORS as exc:  # the raw read fails too: describe the file
        reason = str(exc).splitlines()[0][:200]
        return FormatError(f"{name}: could not read it as a vector file ({reason}). Fix: {_FIX}.")
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    given = np.array([w is not None for w in wkb], dtype=bool)
    bad = given & shapely.is_missing(geoms)
    reasons = {}
    for pos in np.flatnonzero(bad)[:5]:
        try:
            shapely.from_wkb(wkb[pos])
        except shapely.errors.GEOSException as exc:
            reasons[int(pos)] = str(exc).split(":", 1)[-1].strip()
    return _refuse(name, path, bad, len(wkb), reasons)


def _silently_lost(name: str, path: Path, frame: gpd.GeoDataFrame) -> FormatError | None:
    """Features whose geometry the file gives but GDAL returned missing or empty."""
    geoms = frame.geometry.to_numpy()
    lost = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if path.suffix.lower() not in (".geojson", ".json"):
        return None
    if not lost.any() and len(frame):
        return None
    members = _members(path)
    if members is None:
        return None
    features, skipped = members
    if skipped:
        kinds = sorted(
            {repr(f.get("type")) if isinstance(f, dict) else json.dumps(f) for f in skipped}
        )
        warnings.warn(
            f"{name}: {len(skipped)} member(s) of the feature collection are not "
            f"features (type {', '.join(kinds)}, not 'Feature') and were left out. "
            'Fix: give each feature "type": "Feature".',
            DataWarning,
            stacklevel=4,
        )
    if not lost.any() or len(features) != len(frame):
        return None
    given = np.array(
        [
            isinstance(f.get("geometry"), dict) and f["geometry"].get("coordinates") != []
            for f in features
        ],
        dtype=bool,
    )
    bad = lost & given
    if not bad.any():
        return None
    return _refuse(name, path, bad, len(frame), {})


def _read_parquet(name: str, path: Path) -> gpd.GeoDataFrame:
    try:
        import pyarrow  # noqa: F401  (optional dependency: only GeoParquet needs it)
    except ImportError:
        raise MissingDependencyError(
            f"{name}: reading GeoParquet needs pyarrow. Fix: pip "
            "install pyarrow (or geoconflict[parquet])."
        ) from None
    try:
        return gpd.read_parquet(path)
    except (ValueError, OSError, TypeError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FormatError(
            f"{name}: could not read it as GeoParquet ({reason}). Fix: check "
            "that the file is complete and has a geometry column."
        ) from None


def _to_lonlat(name: str, frame: gpd.GeoDataFrame, *, strict: bool = False) -> gpd.GeoDataFrame:
    """EPSG:4326: converted from the file's CRS; a file without one must be in lon/lat."""
    if frame.crs is not None and not frame.crs.equals(CRS):
        return to_crs(frame, CRS)
    geoms = frame.geometry.to_numpy()
    usable = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if frame.crs is None and usable.any():
        x0, y0, x1, y1 = shapely.total_bounds(geoms[usable])
        if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
            raise FormatError(
                f"{name}: the file names no CRS and its coordinates reach "
                f"({x0:.6g}, {y0:.6g})-({x1:.6g}, {y1:.6g}), which are not "
                "longitudes and latitudes. Fix: reproject it to EPSG:4326 or "
                "set its CRS (e.g. ogr2ogr -a_srs EPSG:27700)."
            )
        return frame.set_crs(CRS)
    if usable.any():
        x0, y0, x1, y1 = shapely.total_bounds(geoms[usable])
        if (max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90) and strict:
            raise FormatError(
                f"{name}: coordinates reach ({x0:.6g}, {y0:.6g})-({x1:.6g}, "
                f"{y1:.6g}), beyond longitude -180..180 / latitude -90..90: the "
                "file may be in a projected CRS without saying so. Fix: "
                "reproject it to EPSG:4326."
            )
        if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
            warnings.warn(
                f"{name}: coordinates reach ({x0:.6g}, {y0:.6g})-({x1:.6g}, "
                f"{y1:.6g}), beyond longitude -180..180 / latitude -90..90: the file "
                "may be in a projected CRS without saying so. Fix: reproject it to "
                "EPSG:4326.",
                DataWarning,
                stacklevel=4,
            )
    return frame


def _refuse_short_rings(name: str, frame: gpd.GeoDataFrame) -> None:
    """A polygon ring needs 4 positions (3 corners and the first again); GDAL passes a
    shorter one through, which is no area. FormatError naming the features."""
    geoms = frame.geometry.to_numpy()
    polygonal = is_polygonal(geoms)
    if not polygonal.any():
        return
    rings, owner = shapely.get_rings(geoms[polygonal], return_index=True)
    short = shapely.get_num_coordinates(rings) < 4
    if not short.any():
        return
    rows = np.flatnonzero(polygonal)[np.unique(owner[short])] + 1
    shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if rows.size > 5 else "")
    raise FormatError(
        f"{name}: feature(s) {shown} have a polygon ring of fewer than 4 positions (a ring "
        "needs at least 3 corners and its first position again at the end), so they have "
        "no area. Fix: correct or remove those features (e.g. in QGIS: Vector > Geometry "
        "Tools > Check Validity)."
    )


def read_vector(
    path: str | os.PathLike[str], *, lonlat: str = "warn", **kwargs: object
) -> gpd.GeoDataFrame:
    """Read a vector file as a GeoDataFrame in EPSG:4326, with the library's own errors.

    ``lonlat="error"`` refuses lon/lat coordinates out of range instead of warning; other
    keywords go to GDAL (through pyogrio).

    Raises
    ------
    DataFileNotFoundError
        When the file does not exist.
    FormatError
        When it is not a vector file GDAL reads, or some of its geometries cannot be read.

    Warns
    -----
    DataWarning
        For GDAL's remarks while reading, and for lon/lat coordinates out of range.
    """
    name = str(path)
    source = Path(path)
    if not source.exists():
        raise DataFileNotFoundError(f"{name}: no such file. Fix: check the path.")
    if source.is_file():
        if source.stat().st_size == 0:
            raise FormatError(
                f"{name}: the file is empty (0 bytes): nothing was written to it, or the "
                "download failed. Fix: export or download it again."
            )
        with source.open("rb") as handle:
            lfs = lfs_pointer_error(handle.read(200), name)
        if lfs is not None:
            raise lfs
    if source.suffix.lower() in (".parquet", ".geoparquet"):
        return _to_lonlat(name, _read_parquet(name, source), strict=lonlat == "error")
    frame = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = gpd.read_file(name, engine="pyogrio", **kwargs)
        except shapely.errors.GEOSException:
            frame = None
        except _READ_ERRORS as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise FormatError(
                f"{name}: could not read it as a vector file ({reason}). Fix: {_FIX}."
            ) from None
    remarks = []
    for record in caught:
        if issubclass(record.category, RuntimeWarning) and "pyogrio" in (record.filename or ""):
            remarks.append(_plain_remark(name, str(record.message)))
        else:
            warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)
    if frame is None:
        raise _unreadable(name, source, kwargs)
    for remark in dict.fromkeys(remarks):
        warnings.warn(remark, DataWarning, stacklevel=2)
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        return frame  # an attribute table (a GeoPackage layer without geometry)
    lost = _silently_lost(name, source, frame)
    if lost is not None:
        raise lost
    _refuse_short_rings(name, frame)
    return _to_lonlat(name, frame, strict=lonlat == "error")
