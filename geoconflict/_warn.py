"""Warnings that point at the user's code, and warnings given once per object.

A warning raised deep inside the package (a territory built for a figure built for a map)
should name the line of the user's script or notebook cell that asked for it, whatever the
path through the package; and a remark about the data (places outside the boundary) is worth
reading once, not at every map, figure and export of the same data.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
import weakref
from types import FrameType

__all__ = ["user_stacklevel", "warn_once"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep

_SEEN: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()
_SEEN_LOCK = threading.Lock()


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes :func:`warnings.warn`, called by the caller of this
    function, point at the first frame outside the package (the user's call).

    Examples
    --------
    >>> user_stacklevel()  # called from outside the package: the caller itself
    1
    """
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level


def warn_once(message: str, category: type[Warning], *, about: object) -> None:
    """Warn with ``message`` at the user's call, unless it was given about ``about`` already.

    ``about`` is the object the remark is about (a conflict, a places table), held weakly:
    the same message about another object, or about an object that cannot be held weakly,
    is given again. A warning that the filters turn into an error is not recorded, so it is
    raised again at the next call.

    Examples
    --------
    >>> import warnings
    >>> class Data:
    ...     pass
    >>> data = Data()
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     for _ in range(3):
    ...         warn_once("2 places lie outside the boundary", UserWarning, about=data)
    >>> len(caught)
    1
    """
    try:
        with _SEEN_LOCK:
            seen = _SEEN.setdefault(about, set())
    except TypeError:  # not hashable, or not weakly referenceable: warn every time
        seen = None
    if seen is not None and message in seen:
        return
    warnings.warn(message, category, stacklevel=user_stacklevel())
    if seen is not None:
        with _SEEN_LOCK:
            seen.add(message)
