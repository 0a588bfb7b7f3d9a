"""What a conflict keeps of what is derived from its tables, held weakly with it.

A Conflict's tables stay as built (its docstring says so), so what the land code derives
from them can be kept with the conflict and used again: the cells of its land for the last
few questions (:func:`~._land.land_cells`) and its control records sorted
(:func:`~._holders.record_codes`). It all goes when the conflict does.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

__all__ = ["LOCK", "kept"]

_STORES: weakref.WeakKeyDictionary[object, dict[str, OrderedDict]] = weakref.WeakKeyDictionary()
#: Held while reading or changing any store.
LOCK = threading.Lock()


def kept(conflict: object, what: str) -> OrderedDict | None:
    """The store ``what`` of ``conflict`` (read and change it under :data:`LOCK`);
    ``None`` for an object that cannot be held weakly (nothing is kept for it).

    Examples
    --------
    >>> class Tables: ...
    >>> one = Tables()
    >>> kept(one, "cells") is kept(one, "cells"), kept(one, "cells") is kept(Tables(), "cells")
    (True, False)
    >>> kept(3, "cells") is None
    True
    """
    try:
        with LOCK:
            return _STORES.setdefault(conflict, {}).setdefault(what, OrderedDict())
    except TypeError:
        return None
