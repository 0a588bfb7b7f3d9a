"""The bundled example: the 27 Nov – 9 Dec 2024 offensive in Syria (see data/README.md)."""

from __future__ import annotations

from pathlib import Path

from .conflict import Conflict
from .errors import FormatError
from .read import read_conflict

__all__ = ["example_path", "load_example"]

_NAME = "syria_2024"
#: The example as read, once per process (the files inside the package do not change);
#: each call returns a copy of it.
_READ: dict[Path, Conflict] = {}


def example_path() -> Path:
    """The folder of the bundled Syria 2024 example.

    It ships inside the package (``geoconflict/_data/syria_2024``, built by
    ``data/build_syria_2024.py``), so source trees and wheels both carry it.
    """
    folder = Path(__file__).resolve().parent / "_data" / _NAME
    if (folder / "places.csv").exists():
        return folder
    raise FormatError(
        f"the bundled example {_NAME!r} was not found next to the package. Fix: "
        "install geoconflict from its source tree or a wheel that includes it."
    )


def load_example() -> Conflict:
    """Read the bundled Syria 2024 example as a :class:`~geoconflict.Conflict`.

    The files are read and checked on the first call; each call returns a copy of its own
    (a change to one, for example through ``dataclasses.replace``, is not in the next).

    Examples
    --------
    >>> import geoconflict as gc
    >>> c = gc.load_example()  # doctest: +SKIP
    >>> c.control_at("2024-12-05").loc["hama", "actor_id"]  # doctest: +SKIP
    'hts'
    """
    path = example_path()
    if path not in _READ:
        _READ[path] = read_conflict(path)
    return _READ[path]._copy()
