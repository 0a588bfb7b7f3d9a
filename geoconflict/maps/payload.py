"""The data a map ships to the browser, as one plain JSON-ready dict, declared once in
:mod:`.payload_types`.

:func:`map_data` turns a :class:`~geoconflict.Conflict` into compact columns: places with
points and outlines and the order their names are placed in (:mod:`.place_data`), the
control periods (every change of hands, by step), the cells of land sent once with a label
per cell for each date control changed, their shared edges and the outlines of land that
changed hands (:mod:`.land_data`), flows on one width scale with merged groups
(:mod:`.flow_data`), events, the outline and the base map (:mod:`.base_data`). The page's
script builds each Leaflet layer once from it and restyles it as the time slider moves;
nothing is recomputed per date in the browser.

Everything here is plain Python values (``str``, ``int``, ``float``, ``None``, lists, dicts)
in a fixed order, so the same conflict gives the same JSON, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..basemap import choose_basemap
from ..errors import MapOptionError
from ..palette import UNKNOWN_COLOR, actor_colors
from ..style import (
    MAP_COLORS,
    attribution,
    check_lang,
    check_level_names,
    check_words,
    date_text,
    display_names,
    drawing_words,
    text_direction,
)
from ..territory._land import has_land
from ..territory._setting import land_setting
from .base_data import basemap_data, outline_data, view_bounds
from .event_data import events_data
from .flow_data import FLOW_MODES, flows_data
from .land_data import land_data
from .layers import LAYERS
from .payload_types import PAYLOAD_VERSION
from .place_data import control_data, places_data
from .steps import iso, last_busy_step, slider_steps, start_step

__all__ = ["FLOW_MODES", "LAYERS", "actors_data", "map_data", "whole_number"]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def map_data(
    conflict,
    when: object = None,
    *,
    flows: str = "active",
    max_flows: int = 3000,
    lang: str = "en",
    words: object = None,
    level_names: object = None,
    title: str | None = None,
    layers: object = None,
    event_days: int = 7,
    basemap: object = "auto",
    flow_groups: object = None,
    merge_flows_below: int = 7,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
) -> dict:
    """The JSON payload of an interactive map of ``conflict``.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        The date shown first; default: the last date on which something happens (a change
        of control, a flow under way or an event), so the map never opens empty.
    flows : {"active", "cumulative"}
        Show the flows under way at each date, or every flow begun by then.
    max_flows : int
        Draw at most this many flow lines (the largest); the others are counted in
        ``flows["left_out"]`` and ``flows["left_out_people"]``.
    lang : str, default "en"
        Language of the names (``name_<lang>`` where the data has it, as ``name_uk``) and
        of the map's words: one of :data:`geoconflict.style.LANGUAGES` (English, Arabic,
        French, Spanish, Ukrainian, Russian), or any language code with ``words``. Arabic,
        Hebrew, Persian and Urdu read right to left.
    words : mapping, optional
        Interface words over those of ``lang`` (keys as in
        ``geoconflict.style.words("en")``), or all of them for a language not shipped.
    level_names : mapping, optional
        What admin levels are called, e.g. ``{"admin1": "oblast", "admin2": "raion"}``
        (or per language: ``{"admin1": {"en": "oblast", "uk": "область"}}``); default:
        the places' ``level_name`` column, then the base map's, then neutral words
        ("province", "district"). See :mod:`geoconflict.style.levels`.
    title : str, optional
        Default: the conflict's title.
    layers : sequence of str, optional
        A subset of :data:`LAYERS`; default: every layer the data supports.
    event_days : int
        An event shows on the map for this many days from its date.
    basemap : "auto", None or Basemap
        Light base layers (countries, rivers, lakes, first-level admin lines and names):
        ``"auto"`` uses the shipped Syria base map where it reaches the map's view.
    flow_groups : None, False, str or mapping
        How flows are merged when zoomed out (see
        :func:`geoconflict.maps.flow_data.place_groups`): default the places' ``admin1``.
    merge_flows_below : int
        Below this zoom level, flows between the same two groups are drawn as one line.
    max_distance_km, boundary
        The land setting, as for :func:`geoconflict.territories`.
    method
        Deprecated: ``method="auto"`` is ``max_distance_km="auto"``.

    Returns
    -------
    dict
        JSON-ready, as declared by :class:`~geoconflict.maps.payload_types.Payload`:
        ``steps`` (ISO dates of the slider), ``start`` (the step shown first), ``words``
        (the interface's words), ``actors``, ``colors``, ``places``, ``control``,
        ``bounds``, and when present ``land``, ``flows``, ``events``, ``outline``,
        ``basemap``.

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> from geoconflict.places import make_places
    >>> places = make_places(["hama", "homs"], ["Hama", "Homs"], [36.75, 36.72],
    ...                      [35.13, 34.73])
    >>> control = pd.DataFrame({"place_id": ["hama", "homs", "hama"],
    ...     "actor_id": ["government", "government", "hts"],
    ...     "date": ["2024-12-03", "2024-12-03", "2024-12-05"]})
    >>> actors = pd.DataFrame({"actor_id": ["government", "hts"],
    ...                        "color": ["#d55e00", "#009e73"]})
    >>> data = map_data(gc.Conflict(places, actors, control))
    >>> data["steps"], data["start"]
    (['2024-12-03', '2024-12-04', '2024-12-05'], 2)
    >>> [a["color"] for a in data["actors"]]
    ['#d55e00', '#009e73']
    >>> data["control"]["place"], data["control"]["actor"], data["control"]["start"]
    ([0, 1, 0], [0, 0, 1], [0, 0, 2])
    """
    land = land_setting(max_distance_km=max_distance_km, boundary=boundary, method=method)
    check_lang(lang, custom=check_words(words))
    check_level_names(level_names)
    mode = _check_choice(flows, FLOW_MODES, "flows")
    whole_number(max_flows, "max_flows", minimum=0, example=3000)
    whole_number(event_days, "event_days", minimum=1, example=7)
    if isinstance(merge_flows_below, bool) or not isinstance(merge_flows_below, (int, np.integer)):
        raise MapOptionError(
            f"merge_flows_below must be a zoom level (a whole number), got {merge_flows_below!r}"
        )
    wanted = _check_layers(layers)
    steps = slider_steps(conflict, when)
    place_ids = conflict.places.index
    bounds = view_bounds(conflict)
    if bounds is not None and bounds[2] - bounds[0] > 180:
        raise MapOptionError(
            f"the map's places and boundary span {bounds[2] - bounds[0]:.0f} degrees of "
            f"longitude ({bounds[0]:.1f} to {bounds[2]:.1f}): they cross the antimeridian "
            "(180 degrees) or go round the world, and the interactive map cannot draw land "
            "across 180 degrees. Fix: map each side of 180 degrees as its own conflict."
        )
    base = choose_basemap(basemap, bounds) if "basemap" in wanted else None
    labels = drawing_words(
        lang,
        custom=words,
        level_names=level_names,
        places=conflict.places,
        basemap_levels=None if base is None else base.level_names,
    )
    actors = actors_data(conflict, lang)
    data: dict = {
        "version": PAYLOAD_VERSION,
        "lang": lang.replace("_", "-"),  # as the page and Intl write it (BCP 47: pt-BR)
        "dir": text_direction(lang),
        "title": str(conflict.title if title is None else title),
        "words": labels,
        "steps": [iso(s) for s in steps],
        "start": -1,
        "start_note": "",
        "actors": actors,
        "colors": dict(MAP_COLORS),
        "bounds": None if bounds is None else [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
        "places": places_data(conflict, steps, lang),
        "control": control_data(conflict, steps, place_ids, [a["id"] for a in actors]),
        "layers": [],
    }
    if base is not None:
        data["basemap"] = basemap_data(base, lang, bounds)
    outline = outline_data(conflict, lang) if "outline" in wanted else {}
    if outline:
        data["outline"] = outline
    if has_land(conflict, land) and {"territories", "frontlines", "changes"} & wanted:
        data["land"] = land_data(
            conflict,
            steps,
            changes="changes" in wanted,
            land=land,
        )
    if "flows" in wanted and conflict.flows is not None:
        data["flows"] = flows_data(
            conflict,
            steps,
            mode=mode,
            max_flows=int(max_flows),
            groups=flow_groups,
            merge_below=int(merge_flows_below),
        )
    if "events" in wanted and conflict.events is not None and len(conflict.events):
        data["events"] = events_data(conflict, steps, days=event_days)
    data["start"], data["start_note"] = _start(data, steps, when)
    data["credits"] = attribution(
        conflict,
        lang=lang,
        credits=(data["basemap"]["credits"] if "basemap" in data else ()),
        words=labels,
    )
    present = {
        "basemap": "basemap" in data,
        "outline": "outline" in data,
        "territories": "land" in data and "territories" in wanted,
        "changes": "land" in data and "changes" in wanted,
        "frontlines": "land" in data and "frontlines" in wanted,
        "flows": "flows" in data,
        "places": True,
        "labels": bool(data["places"]["order"]),
        "events": "events" in data,
    }
    data["layers"] = [name for name in LAYERS if name in wanted and present[name]]
    return data


def _start(data: dict, steps, when: object) -> tuple[int, str]:
    """The step shown first, and a note for the legend when it is not the last one."""
    if when is not None or not len(steps):
        return start_step(steps, when), ""
    shown = []
    flows = data.get("flows")
    if flows:
        shown += [
            (flows["lines"]["first"], flows["lines"]["last"]),
            (flows["rings"]["first"], flows["rings"]["last"]),
        ]
    if data.get("events"):
        shown.append((data["events"]["first"], data["events"]["last"]))
    step = last_busy_step(len(steps), starts=data["control"]["start"], shown=shown)
    note = (
        ""
        if step == len(steps) - 1
        else data["words"]["opened_on"].format(
            date=date_text(pd.Timestamp(data["steps"][step]), data["lang"], data["words"])
        )
    )
    return step, note


# ------------------------------------------------------------------ options


def whole_number(value: object, argument: str, *, minimum: int, example: int) -> int:
    """``value`` as an int, or a :class:`MapOptionError` when it is not a whole number of at
    least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise MapOptionError(
            f"{argument} must be a whole number >= {minimum}, got {value!r}. "
            f"Fix: pass e.g. {argument}={example}."
        )
    return int(value)


def _check_choice(value: object, choices: tuple[str, ...], argument: str) -> str:
    if value not in choices:
        raise MapOptionError(f"{argument} must be one of {list(choices)}, got {value!r}")
    return str(value)


def _check_layers(layers: object) -> set[str]:
    if layers is None:
        return set(LAYERS)
    if isinstance(layers, str):
        layers = [layers]
    if not isinstance(layers, Iterable):
        raise MapOptionError(
            f"layers must be a list of layer names from {list(LAYERS)}, got {layers!r}"
        )
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise MapOptionError(
            f"layers names unknown layer(s) {unknown}; choose from {list(LAYERS)}"
        )
    return set(layers)


# ------------------------------------------------------------------ parts


def actors_data(conflict, lang: str = "en") -> list[dict]:
    """Each actor's id, label and colour, in the actors table's order."""
    colors = actor_colors(conflict.actors)
    names = display_names(conflict.actors, lang)
    return [
        {
            "id": str(aid),
            "name": str(names.loc[aid]),
            "color": color if _HEX.fullmatch(color) else UNKNOWN_COLOR,
        }
        for aid, color in colors.items()
    ]
