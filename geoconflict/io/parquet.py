"""GeoParquet: one file per table, a folder for a whole conflict.

A table becomes one Parquet file (GeoParquet when it has geometry). A
:class:`~geoconflict.Conflict` becomes a folder: ``places.parquet``, ``actors.parquet``,
``control.parquet`` and, when present, ``flows.parquet``, ``events.parquet``,
``boundary.parquet``, ``context.parquet`` and ``zones.parquet``, plus ``geoconflict.json``
(title, household size).
Each file carries a description of its table in the pandas ``attrs`` that Parquet keeps, so
reading restores the index and dtypes exactly.

Needs ``pyarrow`` (``pip install geoconflict[parquet]``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .._atomic import atomic_dir, atomic_path
from .._inputs import is_conflict
from .._tables import TABLES, Dataset
from .._types import ConflictLike
from ..errors import (
    ArgumentTypeError,
    DataFileNotFoundError,
    FormatError,
    MissingDependencyError,
)
from ._bundle import tables_of
from ._output import check_output_folder
from ._tablemeta import describe, is_described, restore

__all__ = ["read_parquet_data", "to_parquet"]

META_FILE = "geoconflict.json"
_ATTR = "geoconflict"


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401  (optional dependency: only GeoParquet needs it)
    except ImportError:
        raise MissingDependencyError(
            "GeoParquet needs the package 'pyarrow', which is not installed. Fix: pip install "
            "pyarrow (or pip install 'geoconflict[parquet]')."
        ) from None


def _write_table(frame: pd.DataFrame, path: Path, *, layer: str) -> None:
    description = describe(frame, layer=layer)
    table = frame.copy()
    table.attrs = {_ATTR: description}
    table.to_parquet(path, index=bool(description["index"]))


def to_parquet(obj: ConflictLike | pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as a (Geo)Parquet file, or a conflict as a folder of them.

    Parameters
    ----------
    obj : Conflict, GeoDataFrame or DataFrame
    path : path-like
        The file, or for a Conflict the folder (replaced as a whole, atomically; it must be
        new, empty or a previous export).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    MissingDependencyError
        When pyarrow is not installed.
    FormatError
        When the folder holds other files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geoconflict as gc
    >>> c = gc.load_example()
    >>> out = to_parquet(c, pathlib.Path(tempfile.mkdtemp()) / "syria")
    >>> sorted(p.name for p in out.iterdir())[:3]
    ['actors.parquet', 'boundary.parquet', 'context.parquet']
    >>> gc.read_parquet(out).places.equals(c.places)
    True
    """
    _require_pyarrow()
    if is_conflict(obj):
        target = check_output_folder(
            path, ours=[f"{n}.parquet" for n in TABLES] + [META_FILE], what="a GeoParquet export"
        )
        meta = {"title": obj.title, "household_size": obj.household_size}
        with atomic_dir(target) as tmp:
            for name, table in tables_of(obj).items():
                _write_table(table, tmp / f"{name}.parquet", layer=name)
            (tmp / META_FILE).write_text(
                json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        return target
    if not isinstance(obj, pd.DataFrame):
        raise ArgumentTypeError(
            f"to_parquet: obj must be a Conflict, GeoDataFrame or "
            f"DataFrame, got {type(obj).__name__}."
        )
    target = Path(path)
    with atomic_path(target) as tmp:
        _write_table(obj, tmp, layer=target.stem)
    return target


def _read_table(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq  # optional dependency: only GeoParquet needs it

    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        reason = str(exc).splitlines()[0][:200]
        raise FormatError(
            f"{path}: is not a Parquet file ({reason}). Fix: pass a file written "
            "by to_parquet or another Parquet writer, or export it again."
        ) from None
    frame = gpd.read_parquet(path) if b"geo" in metadata else pd.read_parquet(path)
    description = frame.attrs.get(_ATTR)
    if not is_described(description):
        return frame
    if description.get("index"):
        frame = frame.reset_index()
    out = restore(frame, description)
    out.attrs = {}
    return out


def read_parquet_data(path: str | os.PathLike[str]) -> pd.DataFrame | Dataset:
    """A (Geo)Parquet file as a table, or the tables of a folder written by :func:`to_parquet`
    (:func:`geoconflict.read_parquet` makes a Conflict of those).

    Raises
    ------
    FormatError
        When the file is not Parquet, or the folder has no ``places.parquet`` and
        ``control.parquet``.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> t = pd.DataFrame({"actor_id": ["gov"], "date": pd.to_datetime(["2024-12-05"])})
    >>> out = to_parquet(t, pathlib.Path(tempfile.mkdtemp()) / "t.parquet")
    >>> read_parquet_data(out).equals(t)
    True
    """
    _require_pyarrow()
    source = Path(path)
    if not source.exists():
        raise DataFileNotFoundError(f"{source}: no such file or folder. Fix: check the path.")
    if not source.is_dir():
        return _read_table(source)
    missing = [
        f"{n}.parquet" for n in ("places", "control") if not (source / f"{n}.parquet").exists()
    ]
    if missing:
        raise FormatError(
            f"{source}: has no {', '.join(missing)}, so it is not a conflict "
            "written by to_parquet. Fix: pass that folder, or one Parquet file."
        )
    tables = {
        name: _read_table(source / f"{name}.parquet")
        for name in TABLES
        if (source / f"{name}.parquet").exists()
    }
    meta: dict[str, object] = {}
    if (source / META_FILE).exists():
        try:
            meta = json.loads((source / META_FILE).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FormatError(
                f"{source / META_FILE}: not valid JSON ({exc}). Fix: repair or "
                "delete it (only the title is lost)."
            ) from None
    size = meta.get("household_size") if isinstance(meta, dict) else None
    size = float(size) if isinstance(size, (int, float)) and not isinstance(size, bool) else None
    title = meta.get("title") if isinstance(meta, dict) else None
    return Dataset(tables, title=str(title or source.name), household_size=size)
