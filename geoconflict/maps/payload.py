"""The data a map ships to the browser, as one plain JSON-ready dict.

:func:`map_data` turns a :class:`~geoconflict.Conflict` into compact columns: places with
coordinates, the control periods (every change of hands, by step), flows as indices into the
places with one point per curve (:mod:`.flow_data`), territories and frontlines as GeoJSON
keyed by the dates control changed, events, and the static outline (:mod:`.geo_data`). The
page's script builds each Leaflet layer once from it and restyles or swaps layers as the time
slider moves; nothing is recomputed per date in the browser.

Everything here is plain Python values (``str``, ``int``, ``float``, ``None``, lists, dicts)
in a fixed order, so the same conflict gives the same JSON, byte for byte.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._schema import (
    ACTOR_ID,
    CONTESTED_BY,
    DATE,
    NOTE,
    PLACE_ID,
    POPULATION,
    SOURCE,
    STATUS,
)
from ..palette import CONTESTED_COLOR, UNKNOWN_COLOR
from ..places import place_points
from .columns import labels_of, rounded, string_codes
from .flow_data import flows_data
from .geo_data import events_data, outline_data, territory_data
from .i18n import labels, text_direction
from .steps import iso, slider_steps, start_step, step_of

__all__ = ["FLOW_MODES", "LAYERS", "actors_data", "control_data", "map_data", "places_data"]

#: Layer names, in drawing order (bottom to top).
LAYERS = ("outline", "territories", "frontlines", "flows", "places", "events")
FLOW_MODES = ("active", "cumulative")
STATUS_CODES = {"held": 0, "contested": 1, "besieged": 2}
#: Place marker radius in pixels: without population, smallest and largest population.
PLACE_RADIUS = (5.0, 4.0, 14.0)
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def map_data(conflict, when: object = None, *, flows: str = "active", max_flows: int = 3000,
             lang: str = "en", title: str | None = None, layers: object = None,
             event_days: int = 7) -> dict:
    """The JSON payload of an interactive map of ``conflict``.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        The date shown first; default: the last date of the conflict.
    flows : {"active", "cumulative"}
        Show the flows under way at each date, or every flow begun by then.
    max_flows : int
        Draw at most this many flow lines (the largest); the others are counted in
        ``flows["left_out"]`` and ``flows["left_out_people"]``.
    lang : {"en", "ar"}
        Label language; ``"ar"`` uses ``name_ar`` where present and right-to-left text.
    title : str, optional
        Default: the conflict's title.
    layers : sequence of str, optional
        A subset of :data:`LAYERS`; default: every layer the data supports.
    event_days : int
        An event shows on the map for this many days from its date.

    Returns
    -------
    dict
        JSON-ready: ``steps`` (ISO dates of the slider), ``start`` (the step shown first),
        ``actors``, ``places``, ``control``, and when present ``flows``, ``territories``,
        ``frontlines``, ``events``, ``outline``.

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
    lang = _check_choice(lang, ("en", "ar"), "lang")
    mode = _check_choice(flows, FLOW_MODES, "flows")
    if isinstance(max_flows, bool) or not isinstance(max_flows, (int, np.integer)) or (
            max_flows < 0):
        raise ValueError(f"max_flows must be a whole number >= 0, got {max_flows!r}")
    wanted = _check_layers(layers)
    steps = slider_steps(conflict, when)
    start = start_step(steps, when)
    place_ids = conflict.places.index
    colors = conflict.actor_colors()
    actors = actors_data(conflict, lang)
    data: dict = {
        "version": 1,
        "lang": lang,
        "dir": text_direction(lang),
        "title": str(conflict.title if title is None else title),
        "labels": labels(lang),
        "steps": [iso(s) for s in steps],
        "start": start,
        "actors": actors,
        "colors": {"contested": CONTESTED_COLOR, "unknown": UNKNOWN_COLOR},
        "places": places_data(conflict, lang),
        "control": control_data(conflict, steps, place_ids, list(colors)),
        "layers": [],
    }
    outline = outline_data(conflict) if "outline" in wanted else {}
    if outline:
        data["outline"] = outline
    if conflict.boundary is not None and {"territories", "frontlines"} & wanted:
        data.update(territory_data(conflict, steps, colors, actors,
                                   territories="territories" in wanted,
                                   frontlines="frontlines" in wanted))
    if "flows" in wanted and conflict.flows is not None:
        data["flows"] = flows_data(conflict, steps, mode=mode, max_flows=int(max_flows))
    if "events" in wanted and conflict.events is not None and len(conflict.events):
        data["events"] = events_data(conflict, steps, days=event_days)
    data["layers"] = [name for name in LAYERS if name in data or (
        name == "places" and "places" in wanted)]
    return data


# ------------------------------------------------------------------ options


def _check_choice(value: object, choices: tuple[str, ...], argument: str) -> str:
    if value not in choices:
        raise ValueError(f"{argument} must be one of {list(choices)}, got {value!r}")
    return str(value)


def _check_layers(layers: object) -> set[str]:
    if layers is None:
        return set(LAYERS)
    if isinstance(layers, str):
        layers = [layers]
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise ValueError(f"layers names unknown layer(s) {unknown}; choose from {list(LAYERS)}")
    return set(layers)


# ------------------------------------------------------------------ parts


def actors_data(conflict, lang: str = "en") -> list[dict]:
    """Each actor's id, label and colour, in the actors table's order."""
    colors = conflict.actor_colors()
    names = labels_of(conflict.actors, lang)
    return [{"id": str(aid), "name": str(names.loc[aid]),
             "color": color if _HEX.fullmatch(color) else UNKNOWN_COLOR}
            for aid, color in colors.items()]


def places_data(conflict, lang: str = "en") -> dict:
    """Place columns: id, label, lat/lon (4326), population, marker radius, totals."""
    places = conflict.places
    lon, lat = place_points(places)
    if POPULATION in places.columns:
        population = places[POPULATION].to_numpy(dtype=float, na_value=np.nan)
    else:
        population = np.full(len(places), np.nan)
    none_r, min_r, max_r = PLACE_RADIUS
    top = np.nanmax(population) if np.isfinite(population).any() else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        radius = min_r + (max_r - min_r) * np.sqrt(np.clip(population / top, 0, 1))
    radius = np.where(np.isfinite(radius), radius, none_r)
    totals = conflict.place_totals().reindex(places.index).fillna(0.0)
    return {
        "id": [str(i) for i in places.index],
        "name": [str(n) for n in labels_of(places, lang)],
        "lat": rounded(lat, 5),
        "lon": rounded(lon, 5),
        "population": rounded(population, 0),
        "radius": rounded(radius, 1),
        "inflow": rounded(totals["inflow"].to_numpy(), 1),
        "outflow": rounded(totals["outflow"].to_numpy(), 1),
        "internal": rounded(totals["internal"].to_numpy(), 1),
    }


def control_data(conflict, steps: pd.DatetimeIndex, place_ids: pd.Index,
                 actor_ids: list[str]) -> dict:
    """Control periods (every state a place was in), sorted by their first step.

    ``place``, ``actor`` and ``by`` (the challenger) index the places and actors; ``status``
    is 0 held, 1 contested, 2 besieged; ``start`` and ``end`` are steps (``end`` exclusive,
    -1 while the state lasts). The state at step ``k`` is, for each place, its period with
    ``start <= k`` and ``end`` after ``k`` (or -1). ``source`` and ``note`` index their
    string tables (the record that began the period).
    """
    from ..control import control_periods

    control = conflict.control
    periods = control_periods(control)
    first = control.drop_duplicates([PLACE_ID, DATE], keep="last").set_index(
        [PLACE_ID, DATE])
    keys = pd.MultiIndex.from_arrays([periods[PLACE_ID].astype(object),
                                      periods["start"]])
    record = first.reindex(keys)
    actors = pd.Index(actor_ids)
    start = step_of(steps, periods["start"])
    end = np.full(len(periods), -1, dtype=np.int64)
    has_end = periods["end"].notna().to_numpy()
    end[has_end] = step_of(steps, periods["end"][has_end])
    # a period that began and ended on the same step never shows: keep it for the history
    status = periods[STATUS].map(STATUS_CODES).fillna(0).astype(int).to_numpy()
    challenger = actors.get_indexer(periods[CONTESTED_BY].astype(object).fillna(""))
    source_codes, sources = string_codes(record[SOURCE] if SOURCE in record.columns
                                     else pd.Series(pd.NA, index=record.index))
    note_codes, notes = string_codes(record[NOTE] if NOTE in record.columns
                                 else pd.Series(pd.NA, index=record.index))
    place = place_ids.get_indexer(periods[PLACE_ID].astype(object))
    order = np.lexsort((place, start))
    place = place[order]
    actor = actors.get_indexer(periods[ACTOR_ID].astype(object))[order]
    return {
        "place": place.tolist(),
        "actor": actor.tolist(),
        "status": status[order].tolist(),
        "by": challenger[order].tolist(),
        "start": start[order].tolist(),
        "end": end[order].tolist(),
        "from": [iso(t) for t in periods["start"].iloc[order]],
        "to": [None if pd.isna(t) else iso(t) for t in periods["end"].iloc[order]],
        "source": np.asarray(source_codes, dtype=np.int64)[order].tolist(),
        "note": np.asarray(note_codes, dtype=np.int64)[order].tolist(),
        "sources": sources,
        "notes": notes,
    }
