"""One GeoPackage holding a whole conflict: every table and layer, and its metadata.

Layers: ``places`` (points or polygons), ``actors``, ``control`` and ``flows`` (attribute
tables without geometry), ``events`` (points), ``boundary``, ``context`` and ``zones`` (dated
control polygons; polygons), and
``geoconflict_metadata`` (``key``, ``value``: the title, the household size and a description
of each table's index and dtypes, so that reading gives back exactly what was written).

For GIS users the file also holds the map at one date, as
:func:`~geoconflict.export_layers` gives it: ``map_places`` (each point place with
its holder), ``map_areas`` (the places that are polygons, such as admin units, with theirs),
``map_territories``, ``map_frontlines`` and ``map_flows`` (flow lines), and QGIS default
styles for every layer
with geometry in the ``layer_styles`` table (see :mod:`geoconflict.io.qgis`): QGIS opens the
file showing territories and places in the actors' colours, frontlines and flows, as the
figures do. Tables without geometry show up as attribute tables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyogrio

from .._atomic import atomic_path
from .._inputs import conflict_input
from .._tables import TABLES, Dataset
from .._types import ConflictLike
from ..errors import DataFileNotFoundError, FormatError
from ..palette import actor_colors
from ..territory._setting import LandSetting, land_setting
from ._bundle import tables_of
from ._tablemeta import describe, flat, is_described, restore
from .exports import export_layers, split_areas
from .qgis import layer_style, write_layer_styles
from .tables import read_vector

__all__ = ["read_gpkg_tables", "to_gpkg"]

META_TABLE = "geoconflict_metadata"
FORMAT = "geoconflict"
FORMAT_VERSION = "1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Layers of the map at one date, by the name of the :func:`export_layers` layer.
MAP_LAYERS = {
    "areas": "map_areas",
    "places": "map_places",
    "territories": "map_territories",
    "frontlines": "map_frontlines",
    "flows": "map_flows",
}


def _map_layers(
    conflict: ConflictLike, when: object, land: LandSetting
) -> dict[str, pd.DataFrame]:
    """The conflict's map at ``when`` (default: the last date), under the GeoPackage's names.

    Places with polygons (admin units, zones) go to ``map_areas`` and the points to
    ``map_places``: QGIS styles a layer for one kind of geometry.
    """
    layers = export_layers(
        conflict, when=when, max_distance_km=land.max_distance_km, boundary=land.boundary
    )
    wanted = {name: frame for name, frame in layers.items() if name in MAP_LAYERS}
    return {MAP_LAYERS[name]: frame for name, frame in split_areas(wanted).items()}


def _styles(conflict: ConflictLike, layers: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The QML style of each layer with geometry, by layer name."""
    colors = actor_colors(conflict.actors)
    styles = {
        name: layer_style(name, frame, actors=conflict.actors, colors=colors)
        for name, frame in layers.items()
    }
    return {name: qml for name, qml in styles.items() if qml is not None}


def to_gpkg(
    conflict: ConflictLike,
    path: str | os.PathLike[str],
    *,
    when: object = None,
    max_distance_km: float | str | None = None,
    boundary: object = None,
) -> Path:
    """Write every table and layer of ``conflict`` into one GeoPackage, atomically.

    The file is written beside ``path`` under a temporary name and renamed over it when
    complete, so an interrupted write leaves the old file (or none), never a broken one.
    Besides the tables (which :func:`read_gpkg` reads back), the file holds the map at
    ``when`` (``map_places``, ``map_territories``, ``map_frontlines``, ``map_flows``) and a
    QGIS default style for each layer with geometry, in the ``layer_styles`` table.

    Parameters
    ----------
    conflict : Conflict
    path : path-like
        The ``.gpkg`` file; replaced if it exists.
    when : date, optional
        Date of the map layers (holders, territories, frontlines); default: the last date
        of the data.
    max_distance_km, boundary
        The land setting of the map layers, as for :func:`geoconflict.territories`; pass
        what the interactive map was drawn with, and the file holds the same land.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geoconflict as gc
    >>> c = gc.load_example()
    >>> out = to_gpkg(c, pathlib.Path(tempfile.mkdtemp()) / "syria.gpkg")
    >>> gc.read_gpkg(out).control.equals(c.control)
    True
    """
    conflict_input(conflict, function="to_gpkg")
    land = land_setting(max_distance_km=max_distance_km, boundary=boundary)
    target = Path(path)
    tables = tables_of(conflict)
    maps = _map_layers(conflict, when, land)
    styles = _styles(conflict, {**tables, **maps})
    layers = {name: describe(frame, layer=name) for name, frame in tables.items()}
    meta = pd.DataFrame(
        {
            "key": ["format", "format_version", "title", "household_size", "layers"],
            "value": [
                FORMAT,
                FORMAT_VERSION,
                conflict.title,
                json.dumps(conflict.household_size),
                json.dumps(layers, ensure_ascii=False, separators=(",", ":")),
            ],
        }
    )
    with atomic_path(target) as tmp:
        # GDAL wants the .gpkg extension: write beside the temporary file, then move it there
        work = tmp.with_suffix(".gpkg")
        try:
            for i, (name, frame) in enumerate({**tables, **maps}.items()):
                # GeoPackage 1.2: GDAL before 3.7 (QGIS 3.22 LTR, say) warns about 1.4 files
                created = {} if i else {"dataset_options": {"VERSION": "1.2"}}
                pyogrio.write_dataframe(flat(frame), work, layer=name, driver="GPKG", **created)
            pyogrio.write_dataframe(meta, work, layer=META_TABLE, driver="GPKG")
            # QGIS finds a style by table name and geometry column, as GDAL named it
            write_layer_styles(
                work,
                {
                    name: (pyogrio.read_info(work, layer=name)["geometry_name"], qml)
                    for name, qml in styles.items()
                },
            )
            os.replace(work, tmp)
        finally:
            work.unlink(missing_ok=True)
    return target


def _check_file(path: Path) -> list[str]:
    """The layer names of a GeoPackage; FormatError for anything else."""
    if not path.exists():
        raise DataFileNotFoundError(f"{path}: no such file. Fix: check the path.")
    if path.is_dir():
        raise FormatError(
            f"{path}: is a folder, not a GeoPackage. Fix: pass the .gpkg file, "
            "or read the folder with read_conflict."
        )
    with open(path, "rb") as fh:
        magic = fh.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise FormatError(
            f"{path}: is not a GeoPackage (it is not an SQLite database; it may "
            "be another format renamed, or truncated). Fix: export it again as a "
            "GeoPackage, e.g. with Conflict.to_gpkg or QGIS 'Save as GeoPackage'."
        )
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        reason = str(exc).splitlines()[0][:200]
        raise FormatError(
            f"{path}: could not be opened as a GeoPackage ({reason}). Fix: check "
            "that the file is complete, or export it again."
        ) from None


def _metadata(path: Path, names: list[str]) -> dict[str, object]:
    if META_TABLE not in names:
        return {}
    table = pyogrio.read_dataframe(path, layer=META_TABLE, read_geometry=False)
    values = dict(zip(table["key"].astype(str), table["value"], strict=True))
    meta: dict[str, object] = {"title": values.get("title")}
    try:
        meta["household_size"] = json.loads(values.get("household_size") or "null")
        layers = json.loads(values.get("layers") or "{}")
    except json.JSONDecodeError:
        raise FormatError(
            f"{path}: the table {META_TABLE!r} is damaged. Fix: delete that "
            "table (the data stays readable) or export the file again."
        ) from None
    meta["layers"] = (
        {k: v for k, v in layers.items() if is_described(v)} if isinstance(layers, dict) else {}
    )
    return meta


def _read_table(path: Path, name: str, description: dict | None) -> pd.DataFrame:
    frame = read_vector(path, layer=name)
    if description is not None:
        return restore(frame, description)
    if name in ("actors", "control", "flows") and "geometry" in frame.columns:
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    return frame


def read_gpkg_tables(path: str | os.PathLike[str]) -> Dataset:
    """The tables of a GeoPackage written by :func:`to_gpkg` (or laid out like one), as they
    were written (:func:`geoconflict.read_gpkg` makes the Conflict).

    Raises
    ------
    FormatError
        When the file is not a GeoPackage, or lacks ``places`` or ``control``.
    """
    source = Path(path)
    names = _check_file(source)
    missing = [name for name in ("places", "control") if name not in names]
    if missing:
        raise FormatError(
            f"{source}: has no layer(s) {missing}; it holds {names}. Fix: pass a "
            "GeoPackage written by Conflict.to_gpkg, or one with layers 'places' "
            "and 'control' laid out like the folder format's tables."
        )
    meta = _metadata(source, names)
    described = meta.get("layers")
    described = described if isinstance(described, dict) else {}
    tables = {
        name: _read_table(source, name, described.get(name)) for name in TABLES if name in names
    }
    size = meta.get("household_size")
    size = float(size) if isinstance(size, (int, float)) and not isinstance(size, bool) else None
    return Dataset(tables, title=str(meta.get("title") or source.stem), household_size=size)
