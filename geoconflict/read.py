"""Whole datasets read into a :class:`~geoconflict.Conflict`.

The readers in :mod:`geoconflict.io` return plain tables (a
:class:`~geoconflict._tables.Dataset`); these functions, one layer up, build the container
from them, so that the container may call the writers and the readers never need it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ._tables import Dataset
from .conflict import Conflict
from .io.folder import read_folder
from .io.gpkg import read_gpkg_tables
from .io.parquet import read_parquet_data

__all__ = ["read_conflict", "read_gpkg", "read_parquet"]


def _conflict(dataset: Dataset) -> Conflict:
    return Conflict.from_tables(
        dataset.tables, title=dataset.title, household_size=dataset.household_size
    )


def read_conflict(path: str | os.PathLike[str]) -> Conflict:
    """Read a dataset: a folder in the project's format, or a ``.gpkg`` GeoPackage.

    Raises
    ------
    SchemaError, FormatError
        Naming the file, row, column and value of the first problems found.

    Examples
    --------
    >>> import geoconflict as gc
    >>> c = gc.read_conflict(gc.example_path())
    >>> isinstance(c, gc.Conflict), c.title == gc.load_example().title
    (True, True)
    """
    if Path(path).suffix.lower() == ".gpkg":
        return read_gpkg(path)
    return _conflict(read_folder(path))


def read_gpkg(path: str | os.PathLike[str]) -> Conflict:
    """Read a conflict from a GeoPackage written by :func:`~geoconflict.to_gpkg` (or laid out
    like one).

    A GeoPackage from elsewhere needs at least the layers ``places`` (with ``place_id`` and
    ``name``) and ``control``; ``actors`` defaults to the ids in ``control``.

    Raises
    ------
    FormatError
        When the file is not a GeoPackage, or lacks ``places`` or ``control``.
    SchemaError
        When a table does not validate.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geoconflict as gc
    >>> out = gc.load_example().to_gpkg(pathlib.Path(tempfile.mkdtemp()) / "x.gpkg")
    >>> read_gpkg(out).title
    'Syria: the 27 November - 9 December 2024 offensive'
    """
    return _conflict(read_gpkg_tables(path))


def read_parquet(path: str | os.PathLike[str]) -> Conflict | pd.DataFrame:
    """Read a (Geo)Parquet file as a table, or a folder written by
    :func:`~geoconflict.to_parquet` as a Conflict.

    Returns
    -------
    Conflict (for a folder), GeoDataFrame or DataFrame (for a file)

    Raises
    ------
    MissingDependencyError
        When pyarrow is not installed.
    FormatError
        When the file is not Parquet, or the folder has no ``places.parquet`` and
        ``control.parquet``.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> import geoconflict as gc
    >>> t = pd.DataFrame({"actor_id": ["gov"], "date": pd.to_datetime(["2024-12-05"])})
    >>> out = gc.to_parquet(t, pathlib.Path(tempfile.mkdtemp()) / "t.parquet")
    >>> read_parquet(out).equals(t)
    True
    """
    data = read_parquet_data(path)
    return _conflict(data) if isinstance(data, Dataset) else data
