"""Writing a figure to PNG, SVG or PDF, atomically and reproducibly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .._atomic import atomic_path
from ..errors import ArgumentTypeError
from ._common import FigureOptionError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save_figure"]

#: File formats :func:`save_figure` writes, by suffix.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def save_figure(
    fig: Figure | Axes,
    path: str | os.PathLike[str],
    *,
    dpi: float = 300,
    transparent: bool = False,
) -> Path:
    """Write a figure as PNG, SVG or PDF (chosen by the suffix), atomically.

    The file is written beside ``path`` and renamed over it only once complete. SVG and PDF
    carry no creation date, so the same figure gives the same file. PDF fonts are embedded as
    TrueType (Type 42), as journals ask.

    Parameters
    ----------
    fig : matplotlib Figure or Axes
        An Axes stands for its figure.
    path : path-like
        Ending in ``.png``, ``.svg`` or ``.pdf``.
    dpi : float, default 300
        Resolution of PNG output (and of any raster part of SVG / PDF).
    transparent : bool, default False
        A transparent instead of a white background.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FigureOptionError
        For another suffix or a ``dpi`` that is not a positive number.

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "figure.svg")
    >>> out.suffix, out.stat().st_size > 0
    ('.svg', True)
    >>> plt.close(fig)
    """
    if not (hasattr(fig, "savefig") or hasattr(fig, "get_figure")):
        raise ArgumentTypeError(
            f"save_figure: fig must be a matplotlib Figure or Axes, got "
            f"{type(fig).__name__}. Fix: pass what plot_map returns."
        )
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise FigureOptionError(
            f"path must end in one of {list(FORMATS)}, got "
            f"{target.name!r}. Fix: name the file e.g. figure.png."
        )
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not dpi > 0:
        raise FigureOptionError(f"dpi must be a positive number, got {dpi!r}.")
    figure = fig if hasattr(fig, "savefig") else fig.get_figure()
    import matplotlib  # optional dependency

    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {}}[
        fmt
    ]
    with (
        matplotlib.rc_context({"svg.hashsalt": "geoconflict", "pdf.fonttype": 42}),
        atomic_path(target) as tmp,
    ):
        cast(Any, figure).savefig(
            tmp,
            format=fmt,
            dpi=dpi,
            bbox_inches="tight",
            pad_inches=0.05,
            metadata=metadata,
            transparent=transparent,
            facecolor="none" if transparent else "white",
        )
    return target
