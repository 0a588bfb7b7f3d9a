"""Colours for actors: each actor keeps one colour across every layer and legend.

Actors without a colour get the next unused one from the Okabe–Ito palette (Okabe & Ito,
*Color Universal Design*, 2008), which stays distinguishable with the common forms of colour
blindness, then from Paul Tol's "muted" scheme.
"""

from __future__ import annotations

import zlib

import pandas as pd

from ._inputs import actors_input
from ._schema import COLOR

__all__ = ["CONTESTED_COLOR", "PALETTE", "UNKNOWN_COLOR", "actor_colors"]

PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#332288",
    "#88ccee",
    "#44aa99",
    "#117733",
    "#999933",
    "#ddcc77",
    "#cc6677",
    "#882255",
    "#aa4499",
)
UNKNOWN_COLOR = "#bdbdbd"
CONTESTED_COLOR = "#7f7f7f"


def actor_colors(actors: pd.DataFrame) -> dict[str, str]:
    """Each actor's colour, in the actors table's order.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"color": ["#0072b2", None]}, index=pd.Index(["gov", "reb"]))
    >>> actor_colors(a)
    {'gov': '#0072b2', 'reb': '#e69f00'}
    """
    actors = actors_input(actors, function="actor_colors")
    given = actors[COLOR] if COLOR in actors.columns else pd.Series(pd.NA, index=actors.index)
    used = {str(c).lower() for c in given.dropna()}
    spare = (c for c in PALETTE if c not in used)
    colors: dict[str, str] = {}
    for actor_id, color in given.items():
        if pd.isna(color):
            # past the palette: a colour derived from the id, the same in every process
            color = next(spare, None) or f"#{zlib.crc32(str(actor_id).encode()) & 0xFFFFFF:06x}"
        colors[str(actor_id)] = str(color).lower()
    return colors
