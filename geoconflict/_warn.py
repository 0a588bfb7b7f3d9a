"""Warnings that point at the user's code, and warnings given once per object.

A warning raised deep inside the package (a territory built for a figure built for a map)
should name the line of the user's script or notebook cell that asked for it, whatever the
path through the package; and a remark about the data (places outside the boundary) is worth
reading once, not at every map, figure and export of the same data.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import warnings
import weakref
from types import FrameType

__all__ = ["user_stacklevel", "warn_once"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep

#: The messages given about each live object, by its id (tables cannot be hashed, so a
#: WeakKeyDictionary cannot hold them): the weak reference says the id is still that object's
#: and drops the entry when the object goes.
_SEEN: dict[int, tuple[weakref.ref, set[str]]] = {}
_SEEN_LOCK = threading.Lock()


def _seen_about(about: object) -> set[str] | None:
    """The messages already given about ``about`` (``None`` if it cannot be held weakly)."""
    key = id(about)
    with _SEEN_LOCK:
        entry = _SEEN.get(key)
        if entry is not None and entry[0]() is about:
            return entry[1]
        try:
            ref = weakref.ref(about, functools.partial(_forget, key))
        except TypeError:  # not weakly referenceable: warn every time
            return None
        seen: set[str] = set()
        _SEEN[key] = (ref, seen)
        return seen


def _forget(key: int, dead: weakref.ref) -> None:
    with _SEEN_LOCK:
        entry = _SEEN.get(key)
        if entry is not None and entry[0] is dead:
            del _SEEN[key]


def _user_frame(frame: FrameType | None) -> tuple[FrameType | None, int]:
    """The first frame outside the package from ``frame`` on, and how many frames up it is
    (1: ``frame`` itself)."""
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return frame, level


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes :func:`warnings.warn`, called by the caller of this
    function, point at the first frame outside the package (the user's call).

    Examples
    --------
    >>> user_stacklevel()  # called from outside the package: the caller itself
    1
    """
    return _user_frame(sys._getframe(1))[1]


def _ignored(message: str, category: type[Warning], frame: FrameType | None) -> bool:
    """Whether the warning filters ignore ``message`` raised at ``frame`` (the first
    filter that matches decides, as in :func:`warnings.warn_explicit`)."""
    module = "sys" if frame is None else str(frame.f_globals.get("__name__", "<string>"))
    lineno = 0 if frame is None else frame.f_lineno
    for action, text, kind, where, line in warnings.filters:
        if (
            (text is None or text.match(message))
            and issubclass(category, kind)
            and (where is None or where.match(module))
            and (line == 0 or line == lineno)
        ):
            return action == "ignore"
    return getattr(warnings, "defaultaction", "default") == "ignore"


def warn_once(message: str, category: type[Warning], *, about: object) -> None:
    """Warn with ``message`` at the user's call, unless it was given about ``about`` already.

    ``about`` is the object the remark is about (a conflict, a places table: hashable or
    not), held weakly: the same message about another object, or about an object that cannot
    be held weakly, is given again. A warning the filters ignore or turn into an error is not
    recorded, so the next call gives it again.

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
    >>> other = Data()
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("ignore")
    ...     warn_once("2 places lie outside the boundary", UserWarning, about=other)
    ...     warnings.simplefilter("always")
    ...     warn_once("2 places lie outside the boundary", UserWarning, about=other)
    >>> len(caught)
    1
    """
    seen = _seen_about(about)
    if seen is not None and message in seen:
        return
    frame, level = _user_frame(sys._getframe(0))  # level 1: this function
    if _ignored(message, category, frame):  # not read, so not given: the next call may be
        return
    warnings.warn(message, category, stacklevel=level)
    if seen is not None:
        with _SEEN_LOCK:
            seen.add(message)
