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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._schema import CRS, NAME, NAME_AR
from .errors import MapOptionError

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
    ``name_ar`` columns, or ``None``.

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
    """

    countries: gpd.GeoDataFrame | None = None
    lakes: gpd.GeoDataFrame | None = None
    rivers: gpd.GeoDataFrame | None = None
    admin1: gpd.GeoDataFrame | None = None
    admin1_labels: gpd.GeoDataFrame | None = None
    credits: tuple[str, ...] = ()
    name: str = ""

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
    return Basemap(**layers, credits=tuple(meta["credits"]), name=str(meta["name"]))


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
    >>> len(base.admin1_labels), "OCHA" in base.credits[1]
    (14, True)
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


def _as_frame(name: str, layer: object) -> gpd.GeoDataFrame:
    if isinstance(layer, (str, os.PathLike)):
        path = Path(layer)
        if not path.exists():
            raise MapOptionError(
                f"basemap layer {name!r}: no file at {str(path)!r}. Fix: "
                "pass an existing GeoJSON / GeoPackage / Shapefile path or "
                "a GeoDataFrame."
            )
        try:
            layer = gpd.read_file(path)
        except Exception as exc:  # pyogrio raises its own errors for unreadable files
            raise MapOptionError(
                f"basemap layer {name!r}: {str(path)!r} could not be read as a GIS file ({exc})."
            ) from exc
    if isinstance(layer, gpd.GeoSeries):
        layer = gpd.GeoDataFrame(geometry=layer)
    if not isinstance(layer, gpd.GeoDataFrame):
        raise MapOptionError(
            f"basemap layer {name!r} must be a GeoDataFrame, GeoSeries or a "
            f"file path, got {type(layer).__name__}."
        )
    if layer.crs is None:
        raise MapOptionError(
            f"basemap layer {name!r} has no CRS. Fix: set one, e.g. layer.set_crs('EPSG:4326')."
        )
    return layer.to_crs(CRS)


def _shared_lines(polygons: np.ndarray) -> np.ndarray:
    """The lines neighbouring polygons share (their common boundary), one per pair."""
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="touches")
    keep = left < right
    lines = shapely.line_merge(
        shapely.intersection(
            shapely.boundary(polygons[left[keep]]), shapely.boundary(polygons[right[keep]])
        )
    )
    lines = np.asarray(
        [
            shapely.multilinestrings(
                [p for p in shapely.get_parts(g) if p.geom_type == "LineString"]
            )
            for g in lines
        ],
        dtype=object,
    )
    return lines[~shapely.is_empty(lines)]


def make_basemap(
    *,
    countries: object = None,
    lakes: object = None,
    rivers: object = None,
    admin1: object = None,
    admin1_labels: object = None,
    credits: str | Iterable[object] = (),
    name: str = "",
) -> Basemap:
    """A base map from your own layers (GeoDataFrames, GeoSeries or file paths).

    Layers are reprojected to EPSG:4326 and keep only ``name``, ``name_ar`` and their
    geometry. ``admin1`` may be polygons (say a geoBoundaries ADM1 layer): the lines
    neighbouring polygons share are drawn, and, without ``admin1_labels``, each polygon's
    name at its inner point.

    Parameters
    ----------
    countries, lakes : polygons, optional
    rivers : lines, optional
    admin1 : lines or polygons, optional
    admin1_labels : points, optional
    credits : str or sequence of str
        The credit lines the layers' licences ask for.
    name : str

    Returns
    -------
    Basemap

    Raises
    ------
    MapOptionError
        For a layer that is not a table of the right geometry, has no CRS, or a file that
        cannot be read.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> halves = gpd.GeoDataFrame({"name": ["West", "East"]}, crs="EPSG:4326",
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    >>> base = make_basemap(admin1=halves, credits="my provinces, CC BY 4.0")
    >>> base.admin1.geometry.iloc[0].wkt, base.admin1_labels["name"].tolist()
    ('MULTILINESTRING ((1 0, 1 1))', ['West', 'East'])
    """
    given = {
        "countries": countries,
        "lakes": lakes,
        "rivers": rivers,
        "admin1": admin1,
        "admin1_labels": admin1_labels,
    }
    layers: dict[str, gpd.GeoDataFrame] = {}
    for key, layer in given.items():
        if layer is None:
            continue
        frame = _as_frame(key, layer)
        geoms = frame.geometry.to_numpy()
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        frame, geoms = frame[ok], geoms[ok]
        types = shapely.get_type_id(geoms)
        if key == "admin1" and len(types) and np.isin(types, _KINDS["polygon"]).all():
            if admin1_labels is None and NAME in frame.columns:
                layers["admin1_labels"] = _keep_names(frame, shapely.point_on_surface(geoms))
            frame = gpd.GeoDataFrame(geometry=_shared_lines(shapely.make_valid(geoms)), crs=CRS)
            geoms, types = frame.geometry.to_numpy(), np.ones(len(frame), dtype=int)
        wanted = BASEMAP_LAYERS[key]
        wrong = ~np.isin(types, _KINDS[wanted])
        if wrong.any():
            first = shapely.get_type_id(geoms[wrong][0])
            kind = next(k for k, ids in _KINDS.items() if first in ids)
            raise MapOptionError(
                f"basemap layer {key!r} must hold {wanted}s; row "
                f"{int(np.flatnonzero(wrong)[0])} is a {kind}. Fix: pass "
                f"{wanted} geometries for {key!r}."
            )
        layers[key] = _keep_names(frame, geoms)
    text = (credits,) if isinstance(credits, str) else tuple(str(c) for c in credits)
    return Basemap(**layers, credits=text, name=str(name))


def _keep_names(frame: gpd.GeoDataFrame, geoms: np.ndarray) -> gpd.GeoDataFrame:
    columns = {
        c: frame[c].astype("string").to_numpy() for c in (NAME, NAME_AR) if c in frame.columns
    }
    return gpd.GeoDataFrame(columns, geometry=np.asarray(geoms, dtype=object), crs=CRS)
