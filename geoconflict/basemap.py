"""Base-map layers: light context (countries, rivers, lakes, first-level admin lines) that
maps draw under a conflict when there are no tiles, so a reader offline can find their way.

The package ships one base map, for Syria and its neighbours (built by
``data/build_basemap.py`` from Natural Earth and the OCHA COD-AB; see ``data/README.md``):
:func:`load_basemap`. For another country, build one from your own layers with
:func:`make_basemap` (any of the layers may be left out) and pass it to
:func:`geoconflict.explore` as ``basemap=``.
"""

from __future__ import annotations

import functools
import json
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._kinds import is_polygonal
from ._names import LEVEL_NAME, layer_names
from ._schema import CRS, NAME
from .errors import GeoconflictError, MapOptionError
from .style.levels import check_level_names

__all__ = [
    "BASEMAP_LAYERS",
    "Basemap",
    "check_basemap",
    "choose_basemap",
    "load_basemap",
    "make_basemap",
]

#: The layers of a base map, bottom to top, and the geometry each holds.
BASEMAP_LAYERS = {
    "countries": "polygon",
    "lakes": "polygon",
    "rivers": "line",
    "admin1": "line",
    "admin1_labels": "point",
}
_FOLDER = Path(__file__).resolve().parent / "_data" / "basemap"
_KINDS = {"polygon": (3, 6), "line": (1, 2, 5), "point": (0, 4)}  # shapely type ids


@dataclass(frozen=True, eq=False)
class Basemap:
    """Light base layers in EPSG:4326, each a GeoDataFrame with optional ``name`` and
    ``name_<code>`` columns (``name_ar``, ``name_uk`` ...), or ``None``.

    Attributes
    ----------
    countries : GeoDataFrame or None
        Country polygons (filled as land, their names drawn at their inner point).
    lakes : GeoDataFrame or None
        Lake polygons.
    rivers : GeoDataFrame or None
        River lines (named along the map at low zoom).
    admin1 : GeoDataFrame or None
        Lines between first-level divisions (governorates, provinces).
    admin1_labels : GeoDataFrame or None
        Points where the first-level divisions' names are written.
    credits : tuple of str
        Credit lines the layers' licences ask for; maps and figures print them.
    name : str
        What the base map covers.
    level_names : mapping
        What the admin levels drawn are called, e.g. ``{"admin1": "oblast"}`` or
        ``{"admin1": {"en": "governorate", "ar": "محافظة"}}``: the legend calls the
        ``admin1`` lines by it ("Oblast lines"); empty when the layers do not say.
    """

    countries: gpd.GeoDataFrame | None = None
    lakes: gpd.GeoDataFrame | None = None
    rivers: gpd.GeoDataFrame | None = None
    admin1: gpd.GeoDataFrame | None = None
    admin1_labels: gpd.GeoDataFrame | None = None
    credits: tuple[str, ...] = ()
    name: str = ""
    level_names: Mapping[str, object] = field(default_factory=dict)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers present, bottom to top."""
        return {k: getattr(self, k) for k in BASEMAP_LAYERS if getattr(self, k) is not None}

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """``(west, south, east, north)`` of every layer, or ``None`` when empty."""
        boxes = [frame.total_bounds for frame in self.layers().values() if len(frame)]
        if not boxes:
            return None
        b = np.asarray(boxes, dtype=float)
        return (
            float(b[:, 0].min()),
            float(b[:, 1].min()),
            float(b[:, 2].max()),
            float(b[:, 3].max()),
        )

    def overlaps(self, bounds: tuple[float, float, float, float] | None) -> bool:
        """Whether the layers reach into ``bounds`` (``(west, south, east, north)``).

        Examples
        --------
        >>> base = load_basemap()
        >>> base.overlaps((36.0, 35.0, 37.0, 36.0)), base.overlaps((100.0, 10.0, 101.0, 11.0))
        (True, False)
        """
        mine = self.bounds
        if mine is None or bounds is None:
            return False
        return bool(shapely.intersects(shapely.box(*mine), shapely.box(*bounds)))

    def __repr__(self) -> str:
        parts = ", ".join(f"{k} ({len(v)})" for k, v in self.layers().items())
        return f"<Basemap {self.name!r}: {parts or 'no layers'}>"


def _read_collection(path: Path) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection read with the json module (exact, warning-free)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data.get("features", [])
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    geoms = (
        shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
        if features
        else np.array([], dtype=object)
    )
    return gpd.GeoDataFrame(props, geometry=np.asarray(geoms, dtype=object), crs=CRS)


@functools.cache
def _shipped() -> Basemap:
    meta = json.loads((_FOLDER / "basemap.json").read_text(encoding="utf-8"))
    layers = {
        name: _read_collection(_FOLDER / info["file"]) for name, info in meta["layers"].items()
    }
    return Basemap(
        **layers,
        credits=tuple(meta["credits"]),
        name=str(meta["name"]),
        level_names=dict(meta.get("level_names", {})),
    )


def load_basemap() -> Basemap:
    """The base map that ships with the package: Syria and its neighbours.

    Countries with English and Arabic names (Natural Earth), the Euphrates, Tigris, Jordan
    and their lakes (Natural Earth), and the lines and names of Syria's 14 governorates
    (OCHA COD-AB, CC BY 3.0 IGO). Read once and shared; do not change its tables.

    Examples
    --------
    >>> base = load_basemap()
    >>> sorted(base.rivers["name"])
    ['Ceyhan', 'Euphrates', 'Jordan', 'Tigris']
    >>> len(base.admin1_labels), "OCHA" in base.credits[1], base.level_names["admin1"]["en"]
    (14, True, 'governorate')
    """
    return _shipped()


def check_basemap(basemap: object, *, error: type[Exception] = MapOptionError) -> object:
    """``basemap`` when maps and figures take it (``"auto"``, ``None`` or a
    :class:`Basemap`; ``False`` reads as ``None``), else ``error`` naming the choices.

    Examples
    --------
    >>> check_basemap("auto"), check_basemap(False)
    ('auto', None)
    >>> check_basemap("syria")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.MapOptionError: basemap must be 'auto', None or a ..., got 'syria'. Fix: ...
    """
    if basemap is None or basemap is False:
        return None
    if (isinstance(basemap, str) and basemap == "auto") or isinstance(basemap, Basemap):
        return basemap
    raise error(
        f"basemap must be 'auto', None or a geoconflict.Basemap, got {basemap!r}. Fix: "
        "basemap='auto' draws the shipped base map where it reaches the data, None draws "
        "none, and geoconflict.make_basemap(...) builds one from your own layers."
    )


def choose_basemap(
    basemap: object,
    bounds: tuple[float, float, float, float] | None,
    *,
    error: type[Exception] = MapOptionError,
) -> Basemap | None:
    """The base map to draw over ``bounds`` (``(west, south, east, north)``): ``"auto"`` is
    the shipped one (:func:`load_basemap`) where it reaches ``bounds``, else none; a
    :class:`Basemap` is itself; ``None`` is none. Maps and figures decide alike.

    Examples
    --------
    >>> choose_basemap("auto", (36.0, 35.0, 37.0, 36.0)).name != ""
    True
    >>> choose_basemap("auto", (100.0, 10.0, 101.0, 11.0)) is None
    True
    """
    chosen = check_basemap(basemap, error=error)
    if isinstance(chosen, Basemap):
        return chosen
    if chosen is None:
        return None
    shipped = load_basemap()
    return shipped if shipped.overlaps(bounds) else None


def _as_frame(name: str, layer: object) -> tuple[gpd.GeoDataFrame, str]:
    """The layer as a GeoDataFrame in EPSG:4326, and how messages name it."""
    label = f"basemap layer {name!r}"
    if isinstance(layer, (str, os.PathLike)):
        path = Path(layer)
        if not path.exists():
            raise MapOptionError(
                f"{label}: no file at {str(path)!r}. Fix: pass an existing GeoJSON / "
                "GeoPackage / Shapefile path or a GeoDataFrame."
            )
        label = f"basemap layer {name!r} ({path.name})"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's notes on odd files
                layer = gpd.read_file(path)
        except Exception as exc:  # pyogrio raises its own errors for unreadable files
            raise MapOptionError(
                f"{label}: could not be read as a GIS file ({exc}). Fix: pass a GeoJSON, "
                "GeoPackage or Shapefile."
            ) from exc
    if isinstance(layer, gpd.GeoSeries):
        layer = gpd.GeoDataFrame(geometry=layer)
    if not isinstance(layer, gpd.GeoDataFrame):
        raise MapOptionError(
            f"{label} must be a GeoDataFrame, GeoSeries or a file path, got "
            f"{type(layer).__name__}."
        )
    if layer.crs is None:
        raise MapOptionError(f"{label} has no CRS. Fix: set one, e.g. layer.set_crs('EPSG:4326').")
    return layer.to_crs(CRS), label


def _inner_lines(polygons: np.ndarray) -> np.ndarray:
    """The lines between neighbouring polygons: every polygon's boundary, less the outline
    of them all (coasts, the country's border, the rims of gaps). Works on any layer as it
    comes: borders that meet only at a point add nothing, islands and multipolygons have no
    inner line, neighbours whose borders overlap a little each keep their own line, and
    neighbours a hairline apart (a gap under a ten-thousandth of the extent) keep theirs."""
    parts = shapely.get_parts(polygons)
    parts = parts[is_polygonal(parts) & ~shapely.is_empty(parts)]
    if not len(parts):
        return np.array([], dtype=object)
    # every boundary, noded: one piece between two crossings
    pieces = shapely.get_parts(shapely.union_all(shapely.boundary(parts)))
    pieces = pieces[shapely.get_type_id(pieces) == 1]
    # ... cut into their segments: a ring beside a gap meets no other, so it stays whole
    coords, index = shapely.get_coordinates(pieces, return_index=True)
    start = np.flatnonzero(index[1:] == index[:-1])
    pieces = shapely.linestrings(np.stack([coords[start], coords[start + 1]], axis=1))
    x0, y0, x1, y1 = shapely.total_bounds(parts)
    size = max(x1 - x0, y1 - y0)
    land = shapely.union_all(parts)
    edge = shapely.boundary(land)
    shapely.prepare(land)
    shapely.prepare(edge)
    # a piece between two units has its middle inside the land, off its edge; one of the
    # outline (a coast, a border, the rim of a gap) has it on the edge, or a hair away where
    # neighbours overlap along the coast (a millionth of the extent)
    middle = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    near = shapely.dwithin(edge, middle, 1e-6 * size)
    inner = shapely.contains_properly(land, middle) & ~near
    # the rims of hairline gaps between neighbours (simplified layers have them) are on the
    # edge too, but with another polygon a hairline across (a ten-thousandth of the extent)
    # and deep inside the land with those gaps closed; a notch of the outline has no other
    # polygon across, and the coast near a border stays near the closed land's edge
    eps = 1e-4 * size
    rims = near.copy()
    if rims.any():
        at, _ = shapely.STRtree(parts).query(middle[rims], predicate="dwithin", distance=2 * eps)
        rims[rims] = np.bincount(at, minlength=int(rims.sum())) >= 2
    if rims.any():
        closed = shapely.buffer(shapely.buffer(land, eps), -eps)
        shapely.prepare(closed)
        deep = shapely.contains_properly(closed, middle[rims]) & ~shapely.dwithin(
            shapely.boundary(closed), middle[rims], 2 * eps
        )
        rims[rims] = deep
    inner = pieces[inner | rims]
    if not len(inner):
        return np.array([], dtype=object)
    lines = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(inner)))
    return np.asarray(lines[shapely.length(lines) > 0], dtype=object)


def _polygons(geoms: np.ndarray) -> np.ndarray:
    """Each row's polygonal part, invalid rings repaired."""
    fixed = np.asarray(geoms, dtype=object).copy()
    bad = ~shapely.is_valid(fixed)
    if bad.any():
        repaired = shapely.make_valid(fixed[bad])
        fixed[bad] = [
            shapely.union_all(p[is_polygonal(p)]) for p in map(shapely.get_parts, repaired)
        ]  # the few invalid rows only
    return fixed


def _level_names(frame: gpd.GeoDataFrame) -> dict[str, str]:
    """What an admin1 layer calls its units, when it says (one word for most rows): our
    ``level_name``, GADM's ``ENGTYPE_1``, Natural Earth's ``type_en``."""
    lower = {str(c).lower(): str(c) for c in frame.columns}
    for key in (LEVEL_NAME, "engtype_1", "type_en"):
        if key in lower:
            values = frame[lower[key]].astype("string").str.strip().dropna()
            values = values[values != ""]
            if len(values):
                return {"admin1": str(values.value_counts().index[0])}
    return {}


def make_basemap(
    *,
    countries: object = None,
    lakes: object = None,
    rivers: object = None,
    admin1: object = None,
    admin1_labels: object = None,
    credits: str | Iterable[object] = (),
    name: str = "",
    level_names: Mapping[str, object] | None = None,
) -> Basemap:
    """A base map from your own layers (GeoDataFrames, GeoSeries or file paths).

    Takes the layers people have as they come: Natural Earth, geoBoundaries, OCHA COD-AB and
    GADM. Layers are reprojected to EPSG:4326 and keep their geometry and their names, read
    from the usual columns: ``name``, Natural Earth's ``NAME`` (either case),
    geoBoundaries' ``shapeName``, COD-AB's ``admN_name``, GADM's ``NAME_1``, and names in
    other languages (``name_ar``, Natural Earth's ``NAME_UK``, COD-AB's ``admN_name1`` in
    the language its ``lang1`` gives ...). ``admin1`` may be polygons (say a geoBoundaries
    ADM1 layer): the lines between neighbours are drawn (not the coast or the outline) and,
    without ``admin1_labels``, each polygon's name at its inner point.

    Parameters
    ----------
    countries, lakes : polygons, optional
    rivers : lines, optional
    admin1 : lines or polygons, optional
    admin1_labels : points, optional
    credits : str or sequence of str
        The credit lines the layers' licences ask for.
    name : str
    level_names : mapping, optional
        What the ``admin1`` units are called (``{"admin1": "oblast"}``, or by language);
        default: what the layer says (a ``level_name``, GADM ``ENGTYPE_1`` or Natural Earth
        ``type_en`` column), else nothing (maps then say "Province lines").

    Returns
    -------
    Basemap

    Raises
    ------
    MapOptionError
        Naming the layer, for one that is not a table of the right geometry, has no CRS,
        a file that cannot be read, or geometry that cannot be used.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> halves = gpd.GeoDataFrame({"NAME": ["West", "East"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    >>> base = make_basemap(admin1=halves, credits="my provinces, CC BY 4.0",
    ...                     level_names={"admin1": "province"})
    >>> base.admin1.geometry.iloc[0].wkt, base.admin1_labels["name"].tolist()
    ('LINESTRING (1 0, 1 1)', ['West', 'East'])
    """
    given = {
        "countries": countries,
        "lakes": lakes,
        "rivers": rivers,
        "admin1": admin1,
        "admin1_labels": admin1_labels,
    }
    layers: dict[str, gpd.GeoDataFrame] = {}
    found_levels: dict[str, str] = {}
    for key, layer in given.items():
        if layer is None:
            continue
        frame, label = _as_frame(key, layer)
        try:
            layers.update(_layer(key, frame, label, labels=admin1_labels is None))
        except GeoconflictError:
            raise
        except (shapely.errors.ShapelyError, ValueError, TypeError) as exc:  # GEOS, shapely
            raise MapOptionError(
                f"{label}: its geometry could not be used ({type(exc).__name__}: {exc}). "
                "Fix: check the layer in a GIS (e.g. repair it with shapely.make_valid) "
                "or leave it out."
            ) from exc
        if key == "admin1":
            found_levels = _level_names(frame)
    text = (credits,) if isinstance(credits, str) else tuple(str(c) for c in credits)
    levels = check_level_names(level_names) if level_names is not None else found_levels
    return Basemap(**layers, credits=text, name=str(name), level_names=levels)


def _layer(
    key: str, frame: gpd.GeoDataFrame, label: str, *, labels: bool
) -> dict[str, gpd.GeoDataFrame]:
    """The base-map layer ``key`` from ``frame`` (and the admin1 names from polygons)."""
    out: dict[str, gpd.GeoDataFrame] = {}
    geoms = frame.geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame, geoms = frame[ok], geoms[ok]
    types = shapely.get_type_id(geoms)
    if key == "admin1" and len(types) and np.isin(types, _KINDS["polygon"]).all():
        polygons = _polygons(geoms)
        names = layer_names(frame)
        if labels and NAME in names.columns:
            out["admin1_labels"] = _keep_names(names, shapely.point_on_surface(polygons))
        lines = _inner_lines(polygons)
        frame = gpd.GeoDataFrame(geometry=lines, crs=CRS)
        geoms, types = lines, np.ones(len(lines), dtype=int)
    wanted = BASEMAP_LAYERS[key]
    wrong = ~np.isin(types, _KINDS[wanted])
    if wrong.any():
        first = shapely.get_type_id(geoms[wrong][0])
        kind = next(k for k, ids in _KINDS.items() if first in ids)
        raise MapOptionError(
            f"{label} must hold {wanted}s; row {int(np.flatnonzero(wrong)[0])} is a "
            f"{kind}. Fix: pass {wanted} geometries for {key!r}."
        )
    if wanted == "polygon":
        geoms = _polygons(geoms)
    out[key] = _keep_names(layer_names(frame), geoms)
    return out


def _keep_names(names: pd.DataFrame, geoms: np.ndarray) -> gpd.GeoDataFrame:
    columns = {c: names[c].to_numpy() for c in names.columns}
    return gpd.GeoDataFrame(columns, geometry=np.asarray(geoms, dtype=object), crs=CRS)
