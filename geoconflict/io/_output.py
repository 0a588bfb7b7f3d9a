"""Checks before a writer replaces a folder: never delete files the user put there."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import FormatError

__all__ = ["check_output_folder"]


def check_output_folder(path: str | os.PathLike[str], *, ours: Iterable[str], what: str) -> Path:
    """Raise FormatError when ``path`` is a file, or a folder holding files we did not write.

    A folder is replaced as a whole on success, so it may only hold files named in ``ours``
    (a previous export) or nothing at all.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise FormatError(
            f"{target}: is a file, but {what} is written as a folder. Fix: pass "
            "the name of a new or empty folder."
        )
    if target.is_dir():
        allowed = set(ours)
        foreign = sorted(p.name for p in target.iterdir() if p.name not in allowed)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise FormatError(
                f"{target}: the folder holds files that are not part of {what} "
                f"({shown}); writing would replace them. Fix: write to a new or "
                "empty folder."
            )
    return target
