"""The data a map ships to the browser, as one plain JSON-ready dict.

:func:`map_data` turns a :class:`~geoconflict.Conflict` into compact columns: places with
coordinates, the control periods (every change of hands, by step), flows as indices into the
places with their curves delta-encoded, territories and frontlines as GeoJSON keyed by the
dates control changed, events, and the static outline. The page's script builds each Leaflet
layer once from it and restyles or swaps layers as the time slider moves; nothing is
recomputed per date in the browser.

Everything here is plain Python values (``str``, ``int``, ``float``, ``None``, lists, dicts)
in a fixed order, so the same conflict gives the same JSON, byte for byte.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._schema import (
    ACTOR_ID,
    CONTESTED_BY,
    DATE,
    DESTINATION,
    END,
    NAME,
    NAME_AR,
    NOTE,
    ORIGIN,
    PEOPLE,
    PLACE_ID,
    POPULATION,
    QUALITY,
    SOURCE,
    START,
    STATUS,
)
from .._time import to_timestamp
from ..palette import CONTESTED_COLOR, UNKNOWN_COLOR
from ..places import place_points
from .i18n import labels, text_direction

__all__ = ["FLOW_MODES", "LAYERS", "map_data", "flow_width"]

#: Layer names, in drawing order (bottom to top).
LAYERS = ("outline", "territories", "frontlines", "flows", "places", "events")
FLOW_MODES = ("active", "cumulative")
STATUS_CODES = {"held": 0, "contested": 1, "besieged": 2}

#: Longest span (in days) drawn with one slider step per day; longer spans step through
#: the dates on which something changes.
MAX_DAILY_STEPS = 3660
#: Flow curves: the grid (degrees) their middle points are rounded to. The page draws each
#: flow as the quadratic curve through its origin, the middle of its :func:`flow_lines`
#: curve (bent to the right of travel, so A→B and B→A stay apart) and its destination.
FLOW_GRID = 1e-4
#: Flow line widths in pixels: the thinnest line and the largest flow's. Widths follow the
#: square root of people; lines of 1 px are drawn as (fast) hairlines.
FLOW_MIN_PX = 1.0
FLOW_MAX_PX = 14.0
#: Place marker radius in pixels: without population, smallest and largest population.
PLACE_RADIUS = (5.0, 4.0, 14.0)
#: Territories, frontlines and outlines are rounded to this many decimals (about 1 m).
DECIMALS = 5
_DAY = np.int64(86_400 * 10**9)


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
    start = _start_step(steps, when)
    place_ids = conflict.places.index
    colors = conflict.actor_colors()
    actor_ids = list(colors)
    data: dict = {
        "version": 1,
        "lang": lang,
        "dir": text_direction(lang),
        "title": str(conflict.title if title is None else title),
        "labels": labels(lang),
        "steps": [_iso(s) for s in steps],
        "start": start,
        "actors": actors_data(conflict, lang),
        "colors": {"contested": CONTESTED_COLOR, "unknown": UNKNOWN_COLOR},
        "places": places_data(conflict, lang),
        "control": control_data(conflict, steps, place_ids, actor_ids),
        "layers": [],
    }
    outline = outline_data(conflict) if "outline" in wanted else {}
    if outline:
        data["outline"] = outline
    if conflict.boundary is not None and {"territories", "frontlines"} & wanted:
        data.update(territory_data(conflict, steps, colors,
                                   territories="territories" in wanted,
                                   frontlines="frontlines" in wanted))
    if "flows" in wanted and conflict.flows is not None:
        data["flows"] = flows_data(conflict, steps, mode=mode, max_flows=int(max_flows))
    if "events" in wanted and conflict.events is not None and len(conflict.events):
        data["events"] = events_data(conflict, steps, days=event_days)
    if "places" not in wanted:
        data["places"]["hidden"] = True
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


# ------------------------------------------------------------------ dates


def _day_values(values: object) -> np.ndarray:
    """Dates as int64 nanoseconds at midnight (the map works in whole days)."""
    stamps = pd.to_datetime(pd.Series(values)).dropna()
    ns = stamps.to_numpy(dtype="datetime64[ns]").view(np.int64)
    return ns - ns % _DAY


def slider_steps(conflict, when: object = None) -> pd.DatetimeIndex:
    """The dates the time slider stops at.

    Every day from the first to the last date of the conflict (control records, flows,
    events, and ``when``), or, for spans longer than :data:`MAX_DAILY_STEPS` days, the dates
    on which something changes.

    Examples
    --------
    >>> import pandas as pd
    >>> import geoconflict as gc
    >>> from geoconflict.places import make_places
    >>> c = gc.Conflict(make_places(["a"], ["A"], [36.0], [35.0]),
    ...                 pd.DataFrame({"actor_id": ["x"]}),
    ...                 pd.DataFrame({"place_id": ["a"], "actor_id": ["x"],
    ...                               "date": ["2024-12-01"]}))
    >>> [f"{d:%m-%d}" for d in slider_steps(c, "2024-12-03")]
    ['12-01', '12-02', '12-03']
    """
    parts = [_day_values(conflict.control[DATE])]
    if conflict.flows is not None and len(conflict.flows):
        parts.append(_day_values(conflict.flows[START]))
        ends = _day_values(conflict.flows[END])
        parts.append(ends)
        parts.append(ends + _DAY)
    if conflict.events is not None and len(conflict.events):
        parts.append(_day_values(conflict.events[DATE]))
    if when is not None:
        parts.append(_day_values([to_timestamp(when)]))
    days = np.unique(np.concatenate(parts)) if parts else np.array([], np.int64)
    if days.size and (days[-1] - days[0]) // _DAY < MAX_DAILY_STEPS:
        days = np.arange(days[0], days[-1] + _DAY, _DAY)
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name=DATE)


def _start_step(steps: pd.DatetimeIndex, when: object) -> int:
    if not len(steps):
        return -1
    if when is None:
        return len(steps) - 1
    day = _day_values([to_timestamp(when)])[0]
    return int(np.searchsorted(steps.asi8, day, side="right") - 1)


def _iso(ts: pd.Timestamp) -> str:
    return f"{ts:%Y-%m-%d}"


def _step_of(steps: pd.DatetimeIndex, values: object) -> np.ndarray:
    """Index of the step each date falls on (the last step on or before it; -1 before)."""
    return np.searchsorted(steps.asi8, _day_values(values), side="right") - 1


# ------------------------------------------------------------------ small helpers


def _strings(values: pd.Series) -> tuple[list[int], list[str]]:
    """Codes into a table of distinct strings (in order of first appearance); -1 missing."""
    text = values.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return [int(c) for c in codes], [str(u) for u in uniques]


def _round(values: np.ndarray, decimals: int) -> list:
    """Floats rounded for JSON; missing values become ``None``."""
    values = np.asarray(values, dtype=float)
    rounded = np.round(values, decimals)
    return [None if math.isnan(v) else (int(v) if decimals == 0 else float(v))
            for v in rounded.tolist()]


def _label(frame: pd.DataFrame, lang: str) -> pd.Series:
    names = frame[NAME].astype("string") if NAME in frame.columns else pd.Series(
        frame.index.astype(str), index=frame.index, dtype="string")
    names = names.fillna(pd.Series(frame.index.astype(str), index=frame.index,
                                   dtype="string"))
    if lang == "ar" and NAME_AR in frame.columns:
        names = frame[NAME_AR].astype("string").fillna(names)
    return names


def _geometry_json(geometries: np.ndarray, decimals: int = DECIMALS) -> list:
    """GeoJSON geometry dicts, coordinates rounded (``None`` for missing geometries)."""
    geoms = np.asarray(geometries, dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rounded = shapely.transform(geoms[usable], lambda xy: np.round(xy, decimals))
    texts = iter(shapely.to_geojson(rounded).tolist())
    return [json.loads(next(texts)) if ok else None for ok in usable.tolist()]


def _feature_collection(frame: gpd.GeoDataFrame, properties: dict[str, list]) -> dict:
    geometries = _geometry_json(frame.geometry.to_numpy())
    features = []
    for i, geometry in enumerate(geometries):
        if geometry is None:
            continue
        features.append({"type": "Feature",
                         "properties": {k: v[i] for k, v in properties.items()},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


# ------------------------------------------------------------------ parts


def actors_data(conflict, lang: str = "en") -> list[dict]:
    """Each actor's id, label and colour, in the actors table's order."""
    colors = conflict.actor_colors()
    names = _label(conflict.actors, lang)
    return [{"id": str(aid), "name": str(names.loc[aid]), "color": color}
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
        "name": [str(n) for n in _label(places, lang)],
        "lat": _round(lat, 5),
        "lon": _round(lon, 5),
        "population": _round(population, 0),
        "radius": _round(radius, 1),
        "inflow": _round(totals["inflow"].to_numpy(), 1),
        "outflow": _round(totals["outflow"].to_numpy(), 1),
        "internal": _round(totals["internal"].to_numpy(), 1),
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
    start = _step_of(steps, periods["start"])
    end = np.full(len(periods), -1, dtype=np.int64)
    has_end = periods["end"].notna().to_numpy()
    end[has_end] = _step_of(steps, periods["end"][has_end])
    # a period that began and ended on the same step never shows: keep it for the history
    status = periods[STATUS].map(STATUS_CODES).fillna(0).astype(int).to_numpy()
    challenger = actors.get_indexer(periods[CONTESTED_BY].astype(object).fillna(""))
    source_codes, sources = _strings(record[SOURCE] if SOURCE in record.columns
                                     else pd.Series(pd.NA, index=record.index))
    note_codes, notes = _strings(record[NOTE] if NOTE in record.columns
                                 else pd.Series(pd.NA, index=record.index))
    order = np.lexsort((place_ids.get_indexer(periods[PLACE_ID].astype(object)), start))
    place = place_ids.get_indexer(periods[PLACE_ID].astype(object))[order]
    actor = actors.get_indexer(periods[ACTOR_ID].astype(object))[order]
    return {
        "place": [int(v) for v in place],
        "actor": [int(v) for v in actor],
        "status": [int(v) for v in status[order]],
        "by": [int(v) for v in challenger[order]],
        "start": [int(v) for v in start[order]],
        "end": [int(v) for v in end[order]],
        "from": [_iso(t) for t in periods["start"].iloc[order]],
        "to": [None if pd.isna(t) else _iso(t) for t in periods["end"].iloc[order]],
        "source": [source_codes[i] for i in order],
        "note": [note_codes[i] for i in order],
        "sources": sources,
        "notes": notes,
    }


def flow_width(people: np.ndarray, top: float) -> np.ndarray:
    """Line width in pixels for ``people`` when the largest flow has ``top`` people.

    The width is :data:`FLOW_MAX_PX` times the square root of the share of ``top`` (so a
    line's area on the map follows people, roughly), and never less than
    :data:`FLOW_MIN_PX`, so small flows stay visible beside large ones.

    Examples
    --------
    >>> flow_width(np.array([0.0, 2500.0, 10000.0]), 10000.0).round(2).tolist()
    [1.0, 7.0, 14.0]
    """
    people = np.asarray(people, dtype=float)
    if not top or not np.isfinite(top) or top <= 0:
        return np.full(people.shape, FLOW_MIN_PX)
    share = np.sqrt(np.clip(people / top, 0.0, 1.0))
    return np.maximum(FLOW_MAX_PX * share, FLOW_MIN_PX)


def _nice_ticks(top: float) -> list[float]:
    """Up to three round numbers for the width legend: about top, top/5 and top/25."""
    ticks: list[float] = []
    for value in (top, top / 5.0, top / 25.0):
        if value <= 0:
            continue
        exponent = math.floor(math.log10(value))
        base = 10.0 ** exponent
        nice = max(m for m in (1, 2, 5, 10) if m * base <= value * (1 + 1e-9)) * base
        if nice >= 1 and nice not in ticks:
            ticks.append(float(nice))
    return ticks


def _middles(geometries: np.ndarray) -> list[int]:
    """The middle vertex of each 3-point curve as ``[x0, y0, x1, y1, ...]`` in grid units."""
    coords = shapely.get_coordinates(geometries).reshape(-1, 3, 2)[:, 1, :]
    return np.round(coords / FLOW_GRID).astype(np.int64).ravel().tolist()


def flows_data(conflict, steps: pd.DatetimeIndex, *, mode: str = "active",
               max_flows: int = 3000) -> dict:
    """Flow lines to draw: the largest ``max_flows`` between two different places.

    Flows are listed largest first (drawn first, so smaller ones stay on top). ``pair``
    indexes the origin-destination pairs (``origin``, ``destination``, and ``middle``: the
    middle of the pair's curve, in units of ``grid`` degrees); ``first``/``last`` are the
    steps a flow shows at (from its start; in ``"active"`` mode until its end);
    ``start``/``end`` are days after ``steps[0]``; ``width`` is in pixels.
    """
    from ..flows import flow_lines

    flows = conflict.flows
    places = conflict.places
    people = flows[PEOPLE].to_numpy(dtype=float)
    moved = (flows[ORIGIN].astype(str) != flows[DESTINATION].astype(str)).to_numpy()
    drawable = np.flatnonzero(moved & np.isfinite(people))
    order = drawable[np.argsort(-people[drawable], kind="stable")]
    kept = order[:max_flows]
    left = order[max_flows:]
    chosen = flows.iloc[kept]
    pairs = pd.MultiIndex.from_arrays([chosen[ORIGIN].astype(str), chosen[DESTINATION]
                                       .astype(str)])
    pair_codes, unique_pairs = pd.factorize(pairs)
    ends = pd.DataFrame({ORIGIN: unique_pairs.get_level_values(0),
                         DESTINATION: unique_pairs.get_level_values(1)})
    lines = flow_lines(ends, places, points=3) if len(ends) else None
    place_ids = places.index
    top = float(people[kept].max()) if kept.size else 0.0
    first = _step_of(steps, chosen[START])
    last = (_step_of(steps, chosen[END]) if mode == "active"
            else np.full(len(chosen), len(steps) - 1))
    day0 = steps.asi8[0] if len(steps) else 0
    source_codes, sources = _strings(chosen[SOURCE] if SOURCE in chosen.columns
                                     else pd.Series(pd.NA, index=chosen.index))
    quality_codes, qualities = _strings(chosen[QUALITY] if QUALITY in chosen.columns
                                        else pd.Series(pd.NA, index=chosen.index))
    ticks = _nice_ticks(top)
    return {
        "mode": mode,
        "total": int(len(flows)),
        "drawable": int(drawable.size),
        "shown": int(kept.size),
        "left_out": int(left.size),
        "left_out_people": float(round(people[left].sum(), 1)),
        "internal": int((~moved).sum()),
        "grid": FLOW_GRID,
        "origin": [int(v) for v in place_ids.get_indexer(unique_pairs.get_level_values(0))],
        "destination": [int(v) for v in
                        place_ids.get_indexer(unique_pairs.get_level_values(1))],
        "middle": [] if lines is None else _middles(lines.geometry.to_numpy()),
        "pair": [int(v) for v in pair_codes],
        "people": _round(people[kept], 1),
        "width": _round(flow_width(people[kept], top), 1),
        "first": [int(v) for v in first],
        "last": [int(v) for v in last],
        "start": [int(v) for v in (_day_values(chosen[START]) - day0) // _DAY],
        "end": [int(v) for v in (_day_values(chosen[END]) - day0) // _DAY],
        "source": source_codes,
        "sources": sources,
        "quality": quality_codes,
        "qualities": qualities,
        "legend": [{"people": t, "width": float(round(flow_width(np.array([t]), top)[0], 1))}
                   for t in ticks],
    }


def territory_data(conflict, steps: pd.DatetimeIndex, colors: dict[str, str], *,
                   territories: bool = True, frontlines: bool = True) -> dict:
    """Territories and frontlines as GeoJSON, keyed by the dates control changed.

    Returns ``{"territories": {"dates": {date: FeatureCollection}, "at": [...]}, ...}``
    where ``at[k]`` is the key in force at step ``k`` (``None`` before the first record).
    """
    from .. import territory

    periods_start = pd.DatetimeIndex(_day_values(conflict.control[DATE]).astype(
        "datetime64[ns]")).unique().sort_values()
    keys = [_iso(d) for d in periods_start]
    at_index = np.searchsorted(periods_start.asi8, steps.asi8, side="right") - 1
    at = [None if i < 0 else keys[i] for i in at_index]
    names = {a["id"]: a["name"] for a in actors_data(conflict, "en")}
    palette = {**colors, "contested": CONTESTED_COLOR, "unknown": UNKNOWN_COLOR}
    out: dict = {}
    terr: dict[str, dict] = {}
    front: dict[str, dict] = {}
    for key, day in zip(keys, periods_start, strict=True):
        if territories:
            t = territory.territories(conflict, day)
            ids = t[ACTOR_ID].astype(str).tolist()
            props = {
                "actor_id": ids,
                "color": [palette.get(a, UNKNOWN_COLOR) for a in ids],
                "area_km2": _round(t["area_km2"].to_numpy(dtype=float), 1)
                if "area_km2" in t.columns else [None] * len(t),
                "population": _round(t["population"].to_numpy(dtype=float), 0)
                if "population" in t.columns else [None] * len(t),
            }
            props["name"] = [names.get(a, a) for a in ids]
            terr[key] = _feature_collection(t, props)
        if frontlines:
            f = territory.frontlines(conflict, day)
            props = {
                "actor_a": f["actor_a"].astype(str).tolist(),
                "actor_b": f["actor_b"].astype(str).tolist(),
                "length_km": _round(f["length_km"].to_numpy(dtype=float), 1)
                if "length_km" in f.columns else [None] * len(f),
            }
            front[key] = _feature_collection(f, props)
    if territories:
        out["territories"] = {"dates": terr, "at": at}
    if frontlines:
        out["frontlines"] = {"dates": front, "at": at}
    return out


def events_data(conflict, steps: pd.DatetimeIndex, *, days: int = 7) -> dict:
    """Events as columns; each shows from its step for ``days`` days."""
    events = conflict.events
    points = shapely.point_on_surface(events.geometry.to_numpy())
    day0 = steps.asi8[0] if len(steps) else 0
    ev_days = _day_values(events[DATE])
    first = _step_of(steps, events[DATE])
    last = np.searchsorted(steps.asi8, ev_days + (max(int(days), 1) - 1) * _DAY,
                           side="right") - 1
    out = {
        "lat": _round(shapely.get_y(points), 5),
        "lon": _round(shapely.get_x(points), 5),
        "day": [int(v) for v in (ev_days - day0) // _DAY],
        "first": [int(v) for v in first],
        "last": [int(v) for v in last],
        "fatalities": _round(events["fatalities"].to_numpy(dtype=float), 0)
        if "fatalities" in events.columns else [None] * len(events),
    }
    for column in ("event_type", "actor1", "actor2", SOURCE):
        values = events[column] if column in events.columns else pd.Series(
            pd.NA, index=events.index)
        codes, table = _strings(values)
        out[column] = codes
        out[column + "_table"] = table
    return out


def outline_data(conflict) -> dict:
    """The boundary and the context (neighbours) as GeoJSON, with their names."""
    out: dict = {}
    for key, frame in (("boundary", conflict.boundary), ("context", conflict.context)):
        if frame is None or not len(frame):
            continue
        names = (frame[NAME].astype("string").fillna("").tolist() if NAME in frame.columns
                 else [""] * len(frame))
        out[key] = _feature_collection(frame, {"name": [str(n) for n in names]})
    return out
