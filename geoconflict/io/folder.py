"""The project's folder format: CSV tables, GeoJSON outlines and a Frictionless descriptor.

::

    my_conflict/
      datapackage.json   describes the files below (Frictionless Data Package)
      places.csv         place_id, name, ..., lon, lat (points) or wkt (polygons)
      actors.csv         actor_id, name, color, ...         (optional: ids from control)
      control.csv        place_id, actor_id, date, status, contested_by, source, note
      flows.csv          origin, destination, start, end, people, ...   (optional)
      events.csv         date, lon, lat, event_type, ...                (optional)
      boundary.geojson   the area territories fill                      (optional)
      context.geojson    neighbouring outlines drawn for orientation    (optional)
      zones.geojson      dated control polygons: date, actor_id, status (optional)
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._atomic import atomic_dir, write_text
from .._inputs import conflict_input
from .._schema import (
    ACTOR_ID,
    CATEGORIES,
    CRS,
    KINDS,
    PLACE_ID,
    QUALITIES,
    check_references,
    validate_events,
)
from .._schema_zones import validate_zones
from .._tables import Dataset, default_actors, validate_tables
from .._types import ConflictLike
from ..errors import DataFileNotFoundError, FormatError, GeoconflictError, Problem, SchemaError
from ._csv import read_text_table
from ._precision import DECIMALS, on_grid
from ._vector import read_vector
from .geojson import feature_collection
from .gpkg import read_gpkg_tables, to_gpkg
from .tables import read_actors, read_boundary, read_control, read_flows, read_places

__all__ = ["check_folder", "describe_folder", "read_folder", "save_conflict"]

FILES = {
    "places": "places.csv",
    "actors": "actors.csv",
    "control": "control.csv",
    "flows": "flows.csv",
    "events": "events.csv",
    "boundary": "boundary.geojson",
    "context": "context.geojson",
    "zones": "zones.geojson",
}
#: The tables kept as GeoJSON, with their polygons, in the folder.
LAYERS = ("boundary", "context", "zones")


# ----------------------------------------------------------------------------- writing


def _format_dates(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values)
    if stamps.isna().all():
        return pd.Series("", index=values.index)
    midnight = (stamps.dropna() == stamps.dropna().dt.normalize()).all()
    text = stamps.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%SZ")
    return text.fillna("")


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns as text ready for CSV: ISO dates, integral floats without '.0'."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[col] = _format_dates(values)
        elif pd.api.types.is_float_dtype(values.dtype):
            arr = values.to_numpy(dtype=float)
            finite = np.isfinite(arr)
            if np.all(np.mod(arr[finite], 1) == 0):
                out[col] = values.astype("Int64").astype("string").fillna("")
            else:
                out[col] = pd.Series(np.where(finite, arr.astype(str), ""), index=frame.index)
        else:
            out[col] = values.astype("string").fillna("")
    return out


def _coords_text(values: np.ndarray) -> np.ndarray:
    text = np.char.mod(f"%.{DECIMALS}f", np.round(values, DECIMALS))
    return np.char.rstrip(np.char.rstrip(text, "0"), ".")


def places_table(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Places as a plain table: ``lon``/``lat`` for points, ``wkt`` for other geometries."""
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    attrs = pd.DataFrame(places.drop(columns=places.geometry.name)).reset_index()
    out = _csv_ready(attrs)
    lon = np.where(is_point, shapely.get_x(geoms), np.nan)
    lat = np.where(is_point, shapely.get_y(geoms), np.nan)
    out["lon"] = np.where(is_point, _coords_text(np.nan_to_num(lon)), "")
    out["lat"] = np.where(is_point, _coords_text(np.nan_to_num(lat)), "")
    if not is_point.all():
        polygons = geoms.copy()
        polygons[is_point] = None
        snapped, collapsed = on_grid(polygons)
        if collapsed.any():
            raise SchemaError.from_problems(
                [
                    Problem(
                        f"the polygon is narrower than {DECIMALS} decimals of a degree (about "
                        "0.1 m) everywhere, so places.csv cannot hold it",
                        file="places",
                        row=place_id,
                        column="geometry",
                        fix="save to a .gpkg file, which keeps full precision, or drop the place",
                    )
                    for place_id in places.index[collapsed]
                ]
            )
        wkt = shapely.to_wkt(snapped, rounding_precision=DECIMALS, trim=True)
        out["wkt"] = np.where(is_point, "", wkt)
    return out


def events_table(events: gpd.GeoDataFrame) -> pd.DataFrame:
    geoms = events.geometry.to_numpy()
    out = _csv_ready(pd.DataFrame(events.drop(columns=events.geometry.name)))
    out["lon"] = _coords_text(shapely.get_x(geoms))
    out["lat"] = _coords_text(shapely.get_y(geoms))
    return out


def _to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


_TYPES = {
    "lon": "number",
    "lat": "number",
    "wkt": "string",
    "date": "date",
    "start": "date",
    "end": "date",
    "people": "number",
    "people_max": "number",
    "population": "number",
    "households": "number",
    "fatalities": "number",
}

#: What the columns whose meaning is not obvious from the name hold, for datapackage.json.
_FIELDS: dict[tuple[str, str], dict[str, object]] = {
    ("flows", "origin"): {"description": "place_id people left; empty for kind 'present'"},
    ("flows", "people"): {
        "description": "people displaced; the lower end of a range when people_max is given"
    },
    ("flows", "people_max"): {
        "description": "upper end of a range of people; empty when the source gives one figure"
    },
    ("flows", "category"): {"description": "who moved", "constraints": {"enum": list(CATEGORIES)}},
    ("flows", "kind"): {
        "description": "'movement': from origin to destination; 'present': "
        "people counted at destination, origin unknown",
        "constraints": {"enum": list(KINDS)},
    },
    ("flows", "quality"): {
        "description": "whether the figure is reported or estimated",
        "constraints": {"enum": list(QUALITIES)},
    },
}


_KEYS = {"places": PLACE_ID, "actors": ACTOR_ID}
_FOREIGN = {
    "control": [("place_id", "places", PLACE_ID), ("actor_id", "actors", ACTOR_ID)],
    "flows": [("origin", "places", PLACE_ID), ("destination", "places", PLACE_ID)],
}


def _resource(name: str, columns: list[str]) -> dict:
    fields = [
        {"name": str(c), "type": _TYPES.get(str(c), "string"), **_FIELDS.get((name, str(c)), {})}
        for c in columns
    ]
    schema: dict[str, object] = {"fields": fields}
    if name in _KEYS:
        schema["primaryKey"] = [_KEYS[name]]
    if name in _FOREIGN:
        schema["foreignKeys"] = [
            {"fields": [field], "reference": {"resource": table, "fields": [key]}}
            for field, table, key in _FOREIGN[name]
        ]
    return {
        "name": name,
        "path": FILES[name],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def datapackage(tables: dict[str, list[str]], layers: list[str], *, title: str) -> str:
    """A Frictionless Data Package descriptor for the CSV tables (name → columns) and the
    GeoJSON layers of a dataset folder."""
    resources = [_resource(name, columns) for name, columns in tables.items()]
    resources += [
        {
            "name": name,
            "path": FILES[name],
            "format": "geojson",
            "mediatype": "application/geo+json",
            "encoding": "utf-8",
        }
        for name in layers
    ]
    package = {
        "profile": "tabular-data-package",
        "name": _slug(title),
        "title": title,
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def folder_files(conflict: ConflictLike) -> dict[str, str]:
    """The folder's files as text, keyed by file name (deterministic)."""
    tables = {
        "places": places_table(conflict.places),
        "actors": _csv_ready(conflict.actors.reset_index()),
        "control": _csv_ready(conflict.control),
    }
    if conflict.flows is not None:
        tables["flows"] = _csv_ready(conflict.flows)
    if conflict.events is not None:
        tables["events"] = events_table(conflict.events)
    files = {FILES[name]: _to_csv(frame) for name, frame in tables.items()}
    layers = [name for name in LAYERS if getattr(conflict, name, None) is not None]
    for name in layers:
        files[FILES[name]] = feature_collection(getattr(conflict, name)) + "\n"
    files["datapackage.json"] = datapackage(
        {name: list(frame.columns) for name, frame in tables.items()}, layers, title=conflict.title
    )
    return files


def describe_folder(path: str | os.PathLike[str], *, title: str) -> Path:
    """Write ``datapackage.json`` for a folder whose files were written by other means.

    The folder is read (and so validated) first; the descriptor lists the columns each
    CSV file actually has.
    """
    folder = Path(path)
    _validate(read_folder(folder))
    tables = {}
    for name in ("places", "actors", "control", "flows", "events"):
        file = folder / FILES[name]
        if file.exists():
            with open(file, encoding="utf-8-sig", newline="") as fh:
                tables[name] = next(csv.reader(fh))
    layers = [name for name in LAYERS if (folder / FILES[name]).exists()]
    return write_text(folder / "datapackage.json", datapackage(tables, layers, title=title))


def _slug(text: str) -> str:
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in slug.split("-") if part) or "conflict"


def save_conflict(conflict: ConflictLike, path: str | os.PathLike[str]) -> Path:
    """Write ``conflict`` to a folder (replacing it atomically) or, for ``.gpkg``, a GeoPackage.

    Returns
    -------
    pathlib.Path
    """
    conflict_input(conflict, function="save_conflict")
    target = Path(path)
    if target.suffix.lower() == ".gpkg":
        return to_gpkg(conflict, target)
    files = folder_files(conflict)
    with atomic_dir(target) as tmp:
        for name, text in files.items():
            (tmp / name).write_bytes(text.encode("utf-8"))
    return target


# ----------------------------------------------------------------------------- reading


def _read_events(path: Path) -> gpd.GeoDataFrame:
    frame, rows = read_text_table(path)
    for col in ("lon", "lat"):
        if col not in frame.columns:
            raise SchemaError(
                f"{path}: missing column {col!r}; got {list(frame.columns)}. "
                "Fix: give event coordinates as lon and lat."
            )
    lon = pd.to_numeric(frame.pop("lon"), errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame.pop("lat"), errors="coerce").to_numpy(dtype=float)
    gdf = gpd.GeoDataFrame(frame, geometry=shapely.points(lon, lat), crs=CRS)
    return validate_events(gdf, source=str(path), rows=rows)


def _read_zones(path: Path) -> gpd.GeoDataFrame:
    return validate_zones(read_vector(path, lonlat="error"), source=str(path))


def _read_flows(path: Path) -> pd.DataFrame:
    flows = read_flows(path)
    if "households" in flows.columns:  # written as a number (see _TYPES): read one back
        flows["households"] = pd.to_numeric(flows["households"]).astype("float64")
    return flows


_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "places": read_places,
    "actors": read_actors,
    "control": read_control,
    "flows": _read_flows,
    "events": _read_events,
    "boundary": read_boundary,
    "context": read_boundary,
    "zones": _read_zones,
}
_REQUIRED = ("places", "control")


def _load(folder: Path, problems: list[Problem] | None = None) -> dict[str, pd.DataFrame]:
    """Read every file that is present; each reader validates its own table.

    Without ``problems`` the first bad file raises; with it, every file is read and the
    problems of all of them are collected there. Actors default to the ids in control.
    """
    tables: dict[str, pd.DataFrame] = {}
    for name, reader in _READERS.items():
        file = folder / FILES[name]
        if not file.exists():
            if name in _REQUIRED and problems is not None:
                problems.append(
                    Problem(
                        f"missing required file {FILES[name]}",
                        file=str(folder),
                        fix=f"add {FILES[name]}",
                    )
                )
            continue
        try:
            tables[name] = reader(file)
        except GeoconflictError as exc:
            if problems is None:
                raise
            problems.extend(getattr(exc, "problems", None) or [Problem(str(exc))])
    if "control" in tables and not (folder / FILES["actors"]).exists():
        tables["actors"] = default_actors(tables["control"])
    return tables


def _check_ids(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    check_references(
        places=tables["places"],
        actors=tables["actors"],
        control=tables["control"],
        flows=tables.get("flows"),
        control_source=folder / FILES["control"],
        flows_source=folder / FILES["flows"],
        zones=tables.get("zones"),
    )


def _title(folder: Path) -> str:
    package = folder / "datapackage.json"
    if package.exists():
        try:
            meta = json.loads(package.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FormatError(
                f"{package}: not valid JSON ({exc}). Fix: repair the file or "
                "delete it (it is rewritten on save)."
            ) from None
        if isinstance(meta, dict) and isinstance(meta.get("title"), str):
            return meta["title"]
    return folder.name


def _folder_of(path: str | os.PathLike[str]) -> Path:
    folder = Path(path)
    if folder.name == "datapackage.json":
        folder = folder.parent
    if not folder.exists():
        raise DataFileNotFoundError(f"{folder}: no such folder or file. Fix: check the path.")
    if not folder.is_dir():
        raise FormatError(
            f"{folder}: not a dataset folder or .gpkg file. Fix: pass a folder "
            "holding places.csv and control.csv, or a GeoPackage."
        )
    if not (folder / FILES["places"]).exists():
        raise FormatError(
            f"{folder}: has no {FILES['places']}, so it is not a geoconflict "
            "dataset. Fix: pass the folder holding places.csv and control.csv."
        )
    return folder


def read_folder(path: str | os.PathLike[str]) -> Dataset:
    """Read a dataset folder in the project's format as plain tables, each validated and
    the ids checked across them (:func:`geoconflict.read_conflict` makes the Conflict).

    Raises
    ------
    SchemaError, FormatError
        Naming the file, row, column and value of the first problems found.

    Examples
    --------
    >>> import geoconflict as gc
    >>> sorted(read_folder(gc.example_path()).tables)  # doctest: +SKIP
    ['actors', 'boundary', 'context', 'control', 'flows', 'places']
    """
    folder = _folder_of(path)
    tables = _load(folder)
    _check_ids(folder, tables)
    return Dataset(tables, title=_title(folder))


def check_folder(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a dataset, not only the first; an empty list when it is valid.

    Parameters
    ----------
    path : path-like
        A dataset folder, or a ``.gpkg`` GeoPackage.

    Examples
    --------
    >>> import geoconflict as gc
    >>> check_folder(gc.example_path())
    []
    """
    problems: list[Problem] = []
    try:
        if Path(path).suffix.lower() == ".gpkg":
            dataset = read_gpkg_tables(path)
            _validate(dataset)
            return []
        folder = _folder_of(path)
    except SchemaError as exc:
        return exc.problems or [Problem(str(exc))]
    except GeoconflictError as exc:
        return [Problem(str(exc))]
    tables = _load(folder, problems)
    if all(name in tables for name in ("places", "actors", "control")):
        try:
            _check_ids(folder, tables)
        except SchemaError as exc:
            problems.extend(exc.problems)
    if not problems:  # what is left: the checks across tables that Conflict makes
        try:
            _validate(Dataset(tables, title=_title(folder)))
        except GeoconflictError as exc:
            problems.extend(getattr(exc, "problems", None) or [Problem(str(exc))])
    return problems


def _validate(dataset: Dataset) -> None:
    """The checks a Conflict makes when it is built from ``dataset``."""
    tables = dataset.tables
    validate_tables(
        places=tables["places"],
        actors=tables.get("actors"),
        control=tables["control"],
        flows=tables.get("flows"),
        boundary=tables.get("boundary"),
        events=tables.get("events"),
        context=tables.get("context"),
        zones=tables.get("zones"),
        household_size=dataset.household_size,
    )
