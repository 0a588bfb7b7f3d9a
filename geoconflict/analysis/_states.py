"""The state of places over dates: holder codes and the record's actor, towns inheriting.

:func:`places_over` gives, for a set of places and dates, the holder code of each place
(:mod:`geoconflict.territory._holders`' scheme) and the actor of the record in force (for
changes of hands), a town without a state of its own taking the state of the smallest
polygon place around it that has one (:func:`geoconflict.territory._nesting.inherit_codes`,
the rule :attr:`geoconflict.Snapshot.places` follows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._types import ConflictLike
from ..territory._holders import STATED_UNKNOWN_CODE, UNKNOWN_CODE, place_states
from ..territory._nesting import containing_polygons, inherit_codes

__all__ = ["places_over", "with_polygons"]


def places_over(
    conflict: ConflictLike, place_ids: pd.Index, dates: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """(n_places, n_dates) holder codes and record actors, inherited where a town has none.

    Holder codes: actors' positions, :data:`CONTESTED_CODE`, :data:`UNKNOWN_CODE` (a stated
    unknown included). Record actors: positions in the returned index, -1 for none.
    """
    codes, actor, actor_ids = place_states(conflict, place_ids, dates, stated=True)
    places = conflict.places
    codes = inherit_codes(codes, place_ids, places)
    actor = inherit_codes(actor, place_ids, places)
    codes[codes == STATED_UNKNOWN_CODE] = UNKNOWN_CODE
    return codes, actor, actor_ids


def with_polygons(conflict: ConflictLike, place_ids: pd.Index) -> pd.Index:
    """``place_ids`` followed by the polygon places they are in and not among them: what
    :func:`places_over` needs for its towns to inherit (its first ``place_ids.size`` rows
    are then those of ``place_ids``)."""
    pairs = containing_polygons(conflict.places)
    around = pd.Index(pairs.loc[pairs["place_id"].isin(place_ids), "polygon_id"].unique())
    return place_ids.append(around.difference(place_ids))
