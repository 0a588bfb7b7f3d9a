"""RFC 7946 GeoJSON: EPSG:4326 lon/lat, no ``crs`` member, counter-clockwise exteriors,
ISO 8601 dates, coordinates at 6 decimals. Output is deterministic (same input, same bytes).

The writer builds the JSON column by column with vectorised string operations (see
:mod:`geoconflict.io._jsontext`), one feature per line. Files we write carry a foreign member
``"geoconflict"`` (allowed by RFC 7946, section 6.1, and ignored by GDAL and QGIS) describing
the table's index, column order and dtypes, so :func:`read_geojson` gives back the same table.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import TextIO

import geopandas as gpd
import numpy as np
import pandas as pd

from .._atomic import atomic_dir, atomic_path
from .._inputs import is_conflict
from .._proj import to_crs
from .._schema import CRS
from .._types import ConflictLike
from ..errors import ArgumentTypeError, DataFileNotFoundError, FormatError
from ..palette import actor_colors
from ..progress import progress as progress_bar
from ..territory._setting import land_setting
from ._jsontext import full_text, geometry_json, json_column, json_key
from ._output import check_output_folder
from ._tablemeta import describe, flat, is_described, restore
from ._vector import read_vector
from .exports import AREA_LAYERS, LAYER_NAMES, export_date, export_layers, split_areas
from .qgis import layer_style

__all__ = ["feature_collection", "read_geojson", "to_geojson"]

#: The foreign member holding the table description.
META_MEMBER = "geoconflict"
#: The files of a conflict's GeoJSON export, in order: each polygon layer before the layer of
#: points it was split from (:func:`~geoconflict.io.exports.split_areas`).
GEOJSON_LAYERS = tuple(
    name for layer in LAYER_NAMES for name in (AREA_LAYERS.get(layer), layer) if name
)
_HEAD_BYTES = 1 << 16
_META_START = re.compile(rb'^\s*\{\s*"type"\s*:\s*"FeatureCollection"\s*,\s*"geoconflict"\s*:')


def _concat(parts: list[str | np.ndarray], n: int) -> np.ndarray:
    """Concatenate literal strings and string arrays element-wise.

    Literals are added to their neighbouring arrays as scalars (never materialised as arrays),
    then the arrays are joined pairwise, so each character is copied log2(parts) times.
    """
    arrays: list[np.ndarray] = []
    prefix = ""
    for part in parts:
        if isinstance(part, str):
            if arrays:
                arrays[-1] = arrays[-1] + part
            else:
                prefix += part
        else:
            arrays.append(prefix + part if prefix else part)
            prefix = ""
    if not arrays:
        return full_text(n, prefix)
    while len(arrays) > 1:
        pairs = [a + b for a, b in zip(arrays[0::2], arrays[1::2], strict=False)]
        arrays = pairs + ([arrays[-1]] if len(arrays) % 2 else [])
    return arrays[0]


def _layer_parts(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The properties table (named index as leading columns) and the geometries, if any."""
    geoms = None
    if isinstance(frame, gpd.GeoDataFrame) and frame._geometry_column_name in frame.columns:
        if frame.crs is not None and not frame.crs.equals(CRS):
            frame = to_crs(frame, CRS)
        geoms = frame.geometry.to_numpy()
        props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    else:
        props = pd.DataFrame(frame)
    return flat(props), geoms


def _feature_texts(
    frame: pd.DataFrame,
    *,
    precision: int,
    id_column: str | None,
    midnight: dict[str, bool] | None = None,
) -> np.ndarray:
    props, geoms = _layer_parts(frame)
    midnight = midnight or {}
    n = len(props)
    parts: list[str | np.ndarray] = ['{"type":"Feature"']
    if id_column is not None:
        parts += [',"id":', json_column(props[id_column], midnight=midnight.get(id_column))]
    parts.append(',"properties":{')
    for i, col in enumerate(props.columns):
        parts += [
            ("," if i else "") + json_key(col) + ":",
            json_column(props[col], midnight=midnight.get(col)),
        ]
    geometry = (
        geometry_json(geoms, precision=precision) if geoms is not None else full_text(n, "null")
    )
    parts += ['},"geometry":', geometry, "}"]
    return _concat(parts, n)


def _collection_head(meta: dict | None) -> str:
    head = '{"type":"FeatureCollection"'
    if meta is not None:
        head += f',"{META_MEMBER}":' + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    return head


#: Features formatted and written per step: bounds memory and paces the progress bar.
_CHUNK_ROWS = 200_000


def _write_collection(
    fh: TextIO,
    frame: pd.DataFrame,
    *,
    meta: dict | None,
    precision: int = 6,
    id_column: str | None = None,
    chunk_rows: int | None = None,
    progress: bool | None = False,
    desc: str = "",
) -> None:
    """Write one FeatureCollection (no final newline), formatting ``chunk_rows`` features
    at a time."""
    fh.write(_collection_head(meta))
    if len(frame) == 0:
        fh.write(',"features":[]}')
        return
    fh.write(',"features":[\n')
    # a date column keeps one style (days or date-times) across all chunks
    midnight = {
        col: bool((values.dropna() == values.dropna().dt.normalize()).all())
        for col, values in flat(pd.DataFrame(frame)).items()
        if pd.api.types.is_datetime64_any_dtype(values.dtype)
    }
    chunk_rows = chunk_rows or _CHUNK_ROWS  # read when called, so tests can shrink it
    starts = range(0, len(frame), chunk_rows)
    for start in progress_bar(starts, desc=desc, enabled=progress):
        if start:
            fh.write(",\n")
        chunk = frame.iloc[start : start + chunk_rows]
        fh.write(
            ",\n".join(
                _feature_texts(
                    chunk, precision=precision, id_column=id_column, midnight=midnight
                ).tolist()
            )
        )
    fh.write("\n]}")


def feature_collection(
    gdf: pd.DataFrame, *, precision: int = 6, id_column: str | None = None
) -> str:
    """Serialise a table as an RFC 7946 FeatureCollection string, one feature per line.

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        Reprojected to EPSG:4326 when it has another CRS. A named index becomes the first
        properties; a table without geometry gives features with ``"geometry": null``.
    precision : int
        Decimals kept in coordinates.
    id_column : str, optional
        A column whose values become each feature's ``id``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(36.1234567, 35.0)],
    ...                      crs="EPSG:4326")
    >>> print(feature_collection(g))
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[36.123457,35.0]}}
    ]}
    """
    buffer = io.StringIO()
    _write_collection(
        buffer,
        gdf,
        meta=None,
        precision=precision,
        id_column=id_column,
        chunk_rows=max(len(gdf), 1),
    )
    return buffer.getvalue()


def _write_layer(
    frame: pd.DataFrame,
    path: Path,
    *,
    layer: str,
    extra: dict | None = None,
    progress: bool | None = None,
) -> None:
    """Write one FeatureCollection carrying the table's description, as a file."""
    meta = describe(frame, layer=layer)
    meta.update(extra or {})
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        _write_collection(fh, frame, meta=meta, progress=progress, desc=f"writing {layer}")
        fh.write("\n")


def to_geojson(
    obj: ConflictLike | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    when: object = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    progress: bool | None = None,
) -> Path:
    """Write RFC 7946 GeoJSON: one file for a table, a folder of layers for a Conflict.

    Parameters
    ----------
    obj : Conflict, GeoDataFrame or DataFrame
        A table is written as one FeatureCollection (a table without geometry as features
        with ``"geometry": null``). A :class:`~geoconflict.Conflict` is written as a folder
        with one FeatureCollection per layer of :func:`~geoconflict.export_layers`:
        ``places.geojson`` (with the controller at ``when``), ``territories.geojson``,
        ``frontlines.geojson``, ``flows.geojson`` (lines), ``control.geojson`` (places ×
        periods of control), ``events.geojson`` and ``boundary.geojson`` where the data has
        them. Polygon places (admin units, zones) are written apart from the points, to
        ``areas.geojson`` and ``control_areas.geojson``, so that each file holds one kind of
        geometry (:func:`~geoconflict.io.exports.split_areas`). Beside each layer with geometry, a
        ``.qml`` file of the same name holding its
        QGIS style (territories and places in the actors' colours, frontlines, flows wider
        for more people; see :mod:`geoconflict.io.qgis`), which QGIS loads with the layer.
    path : path-like
        The file, or for a Conflict the folder (replaced as a whole, atomically; it must be
        new, empty or a previous export).
    when : date, optional
        For a Conflict: the date of the controller, territories and frontlines; default: the
        last date of the data.
    max_distance_km, boundary
        For a Conflict: the land setting of the territories and frontlines, as for
        :func:`geoconflict.territories` (the same keywords as the map's give the same land).
    progress : bool or None
        A progress bar over the features written (see :mod:`geoconflict.progress`);
        default: only when standard error is a terminal.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FormatError
        When the folder holds other files.
    ArgumentTypeError
        For other objects, or ``when`` with a table.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"name": ["Hama"]}, geometry=[shapely.Point(36.75, 35.13)],
    ...                      crs="EPSG:4326")
    >>> out = to_geojson(g, pathlib.Path(tempfile.mkdtemp()) / "places.geojson")
    >>> read_geojson(out)["name"].tolist()
    ['Hama']
    """
    if is_conflict(obj):
        target = check_output_folder(
            path,
            ours=[f"{n}{suffix}" for n in GEOJSON_LAYERS for suffix in (".geojson", ".qml")],
            what="a GeoJSON export",
        )
        land = land_setting(max_distance_km=max_distance_km, boundary=boundary)
        date = export_date(obj, when=when)
        layers = split_areas(
            export_layers(
                obj, when=date, max_distance_km=land.max_distance_km, boundary=land.boundary
            )
        )
        day = (
            None
            if date is None
            else (
                date.strftime("%Y-%m-%d")
                if date == date.normalize()
                else date.strftime("%Y-%m-%dT%H:%M:%SZ")
            )
        )
        extra = {"title": obj.title, "date": day}
        colors = actor_colors(obj.actors)
        with atomic_dir(target) as tmp:
            for name, frame in layers.items():
                _write_layer(
                    frame, tmp / f"{name}.geojson", layer=name, extra=extra, progress=progress
                )
                qml = layer_style(name, frame, actors=obj.actors, colors=colors)
                if qml is not None:
                    (tmp / f"{name}.qml").write_text(qml, encoding="utf-8", newline="\n")
        return target
    if not isinstance(obj, pd.DataFrame):
        raise ArgumentTypeError(
            f"to_geojson: obj must be a Conflict, GeoDataFrame or "
            f"DataFrame, got {type(obj).__name__}."
        )
    given = [
        k
        for k, v in (("when", when), ("max_distance_km", max_distance_km), ("boundary", boundary))
        if v is not None
    ]
    if given:
        raise ArgumentTypeError(
            f"to_geojson: {given[0]}= applies to a Conflict only; a table is "
            f"written as it is. Fix: drop {given[0]}=, or pass "
            "conflict.at(when).places."
        )
    target = Path(path)
    with atomic_path(target) as tmp:
        _write_layer(obj, tmp, layer=target.stem, progress=progress)
    return target


def _peek_meta(path: Path) -> dict | None:
    """The ``geoconflict`` member at the start of a file we wrote, else None."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    match = _META_START.match(head)
    if match is None:
        return None
    text = head[match.end() :].decode("utf-8", errors="ignore")
    try:
        meta, _ = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        return None
    return meta if is_described(meta) else None


def _layer_order(path: Path) -> tuple[int, str]:
    names = list(GEOJSON_LAYERS)
    return (names.index(path.stem) if path.stem in names else len(names), path.stem)


def read_geojson(path: str | os.PathLike[str]) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Read GeoJSON: a file as a table, a folder written by :func:`to_geojson` as a dict.

    Files we wrote come back as the tables that were written (index, column order, dtypes,
    dates); other GeoJSON files are read as GDAL reads them, in EPSG:4326 (a file with a
    legacy ``crs`` member, such as EPSG:27700, is converted).

    Parameters
    ----------
    path : path-like
        A ``.geojson`` file, or a folder of them.

    Returns
    -------
    GeoDataFrame, DataFrame (a collection without geometries), or dict of them by layer name.

    Raises
    ------
    FormatError
        For a missing, truncated or non-GeoJSON file, a folder without ``.geojson`` files, or
        features whose geometry cannot be read (text coordinates, wrong nesting, unclosed or
        too short rings, one-point lines), each named with what is wrong.

    Warns
    -----
    DataWarning
        For what GDAL remarked while reading (repeated feature ids, extra coordinates),
        members of a collection that are not features, and lon/lat coordinates out of range.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> t = pd.DataFrame({"place_id": ["hama"], "date": pd.to_datetime(["2024-12-05"])})
    >>> out = to_geojson(t, pathlib.Path(tempfile.mkdtemp()) / "control.geojson")
    >>> read_geojson(out)["date"].iloc[0]
    Timestamp('2024-12-05 00:00:00')
    """
    source = Path(path)
    if not source.exists():
        raise DataFileNotFoundError(f"{source}: no such file or folder. Fix: check the path.")
    if source.is_dir():
        files = sorted(source.glob("*.geojson"), key=_layer_order)
        if not files:
            raise FormatError(
                f"{source}: the folder holds no .geojson files. Fix: pass a "
                "folder written by to_geojson, or one GeoJSON file."
            )
        return {file.stem: read_geojson(file) for file in files}
    meta = _peek_meta(source)
    if meta is None:
        return read_vector(source)
    frame = read_vector(source, DATE_AS_STRING=True)
    out = restore(frame, meta)
    if isinstance(out, gpd.GeoDataFrame) and out.crs is None:
        out = out.set_crs(CRS)
    return out
