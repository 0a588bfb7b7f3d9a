"""Progress bars for long work, shown only where someone is watching.

A thin wrapper over `tqdm <https://tqdm.github.io>`_, an optional dependency
(``pip install tqdm``). By default a bar appears only when standard error is a terminal,
tqdm is installed and there is more than one step: never in logs, pipes, CI output or
notebook cells saved to disk. Functions that loop over chunks (dates, rows, files) take a
``progress`` keyword and pass it on as ``enabled``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .errors import MissingDependencyError

__all__ = ["progress", "progress_enabled"]

T = TypeVar("T")


def _tqdm_installed() -> bool:
    return importlib.util.find_spec("tqdm") is not None


def _stderr_is_terminal() -> bool:
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def progress_enabled(enabled: bool | None = None, *, total: int | None = None) -> bool:
    """Whether :func:`progress` would show a bar.

    Parameters
    ----------
    enabled : bool or None
        ``True`` or ``False`` decide; ``None`` means: only when standard error is a terminal,
        tqdm is installed and ``total`` (when known) is more than one step.
    total : int, optional
        The number of steps, when known.

    Returns
    -------
    bool

    Raises
    ------
    MissingDependencyError
        With ``enabled=True`` when tqdm is not installed.

    Examples
    --------
    >>> progress_enabled(False)
    False
    >>> progress_enabled(None, total=1)  # one step: nothing to show
    False
    """
    if enabled is None:
        return (total is None or total > 1) and _stderr_is_terminal() and _tqdm_installed()
    if enabled and not _tqdm_installed():
        raise MissingDependencyError(
            "progress=True needs the tqdm package. Fix: pip install "
            "tqdm, or pass progress=None to show bars only when tqdm "
            "is there."
        )
    return bool(enabled)


def progress(
    iterable: Iterable[T],
    *,
    total: int | None = None,
    desc: str | None = None,
    enabled: bool | None = None,
) -> Iterator[T]:
    """Iterate over ``iterable``, with a tqdm bar on standard error when enabled.

    Parameters
    ----------
    iterable : iterable
        What to loop over; it is passed through unchanged.
    total : int, optional
        The number of steps; default ``len(iterable)`` when it has a length.
    desc : str, optional
        A short label shown before the bar.
    enabled : bool or None, default None
        ``None``: a bar only when standard error is a terminal, tqdm is installed and there
        is more than one step. ``True``: always (tqdm must be installed). ``False``: never.

    Returns
    -------
    iterator
        The items of ``iterable``, in order.

    Raises
    ------
    MissingDependencyError
        With ``enabled=True`` when tqdm is not installed.

    Examples
    --------
    >>> [x * 2 for x in progress(range(3), desc="doubling", enabled=False)]
    [0, 2, 4]
    """
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    if not progress_enabled(enabled, total=total):
        return iter(iterable)
    # tqdm is optional; the plain bar, as tqdm.auto would want ipywidgets in notebooks
    from tqdm.std import tqdm

    return iter(
        tqdm(iterable, total=total, desc=desc, file=sys.stderr, leave=False, dynamic_ncols=True)
    )
