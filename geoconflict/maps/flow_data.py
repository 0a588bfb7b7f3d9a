"""The flows part of a map's payload: the largest flows, one width scale, merged groups.

The page draws each flow as the quadratic curve through its origin, the middle of its
:func:`~geoconflict.flow_lines` curve (bent to the right of travel, so A→B and B→A stay
apart) and its destination: one point per origin-destination pair crosses the wire.

Widths follow one scale for every date (:class:`~geoconflict.style.FlowScale`): the widest
line is the largest figure drawn on any date, merged groups included. Categories
(``internal``, ``refugee``, ``return``) are coloured, estimates dashed, and a range drawn as
a pale line of the upper figure's width under the line of the lower one. People counted
where they are (``kind="present"``, no origin) are rings at their place, except at a place
whose polygon covers a fifth or more of the map's land (a country, a pair of governorates):
a ring at one point of it would read as a count at that point, so such figures are listed in
the panel only (``present["wide"]``), and do not set the width scale. Zoomed out below
``merge_below``, flows between the same two groups of places (governorates by default) and
of one category are drawn as one line, and split again as the reader zooms in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._schema import DESTINATION, END, ORIGIN, PEOPLE, QUALITY, SOURCE, START
from ..errors import MapOptionError
from ..flows import flow_lines
from ..style import FLOW_CATEGORIES, FLOW_COLORS, FLOW_MAX_PX, FLOW_MIN_PX, FlowScale, label_order
from .columns import optional_column, rounded, string_codes
from .steps import DAY, day_values, step_of

__all__ = ["FLOW_GRID", "FLOW_MODES", "WIDE_SHARE", "flows_data", "place_groups", "wide_places"]

FLOW_MODES = ("active", "cumulative")
#: The grid (degrees) the curves' middle points are rounded to (about 11 m).
FLOW_GRID = 1e-4
PEOPLE_MAX = "people_max"
CATEGORY = "category"
KIND = "kind"
ADMIN1 = "admin1"
_MAX_CELLS = 20_000_000  # entries of the (groups x steps) table for the merged maximum
#: A present count at a polygon covering this share of the map's land is listed, not drawn.
WIDE_SHARE = 0.2


def place_groups(places: pd.DataFrame, groups: object) -> tuple[np.ndarray, list[str]]:
    """Each place's group code (-1 none) and the group names, from the ``groups`` option.

    ``None``: the places' ``admin1`` column when there is one; ``False``: no groups; a
    column name; or a mapping / Series from place id to group name.

    Examples
    --------
    >>> p = pd.DataFrame({"admin1": ["Idlib", "Hama", None]}, index=["a", "b", "c"])
    >>> place_groups(p, None)
    (array([ 0,  1, -1]), ['Idlib', 'Hama'])
    >>> place_groups(p, {"a": "north"})[0].tolist()
    [0, -1, -1]
    """
    if groups is False or (groups is None and ADMIN1 not in places.columns):
        return np.full(len(places), -1, dtype=np.int64), []
    if groups is None:
        groups = ADMIN1
    if isinstance(groups, str):
        if groups not in places.columns:
            raise MapOptionError(
                f"flow_groups names column {groups!r}, which the places "
                f"table lacks; it has {list(places.columns)}. Fix: name a "
                "column, pass a mapping of place id to group, or False."
            )
        values = places[groups]
    elif isinstance(groups, (dict, pd.Series)):
        values = pd.Series(groups).reindex(places.index)
    else:
        raise MapOptionError(
            f"flow_groups must be None, False, a column name or a mapping "
            f"of place id to group, got {type(groups).__name__}."
        )
    codes, names = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes.astype(np.int64), [str(n) for n in names]


def _middles(places: pd.DataFrame, origin: np.ndarray, destination: np.ndarray) -> list[int]:
    """The middle vertex of each pair's 3-point curve as ``[x0, y0, ...]`` in grid units."""
    if not origin.size:
        return []
    ends = pd.DataFrame({ORIGIN: places.index[origin], DESTINATION: places.index[destination]})
    lines = flow_lines(ends, places, points=3)
    coords = shapely.get_coordinates(lines.geometry.to_numpy()).reshape(-1, 3, 2)[:, 1, :]
    return np.round(coords / FLOW_GRID).astype(np.int64).ravel().tolist()


def wide_places(conflict, codes: np.ndarray) -> np.ndarray:
    """Whether each place (codes into ``conflict.places``) is a polygon covering a fifth or
    more of the map's land: the boundary, else the extent of all places.

    Areas are compared in degrees, as a share of land at the same latitudes.

    Examples
    --------
    >>> import geoconflict as gc
    >>> c = gc.load_example()
    >>> wide_places(c, c.places.index.get_indexer(["SY", "SY030101", "homs"])).tolist()
    [True, False, False]
    """
    geoms = conflict.places.geometry.to_numpy()[codes]
    area = shapely.area(geoms)
    if not (area > 0).any():
        return np.zeros(codes.size, dtype=bool)
    if conflict.boundary is not None and len(conflict.boundary):
        land = shapely.union_all(conflict.boundary.geometry.to_numpy())
    else:
        land = shapely.envelope(shapely.union_all(conflict.places.geometry.to_numpy()))
    total = shapely.area(land)
    return (area > 0) & (area >= WIDE_SHARE * total) if total > 0 else area > 0


def _unless_all(values: list, default: object) -> list:
    """``values``, or ``[]`` when every one is ``default`` (the page fills it back in): a
    page of 50,000 flows of one category, all reported, carries no column of zeros."""
    return [] if all(v == default for v in values) else values


def _running_max(
    key: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    people: np.ndarray,
    n_keys: int,
    n_steps: int,
) -> float:
    """The largest sum of ``people`` under one key on any step (flows shown first..last)."""
    if not key.size:
        return 0.0
    if n_keys * (n_steps + 1) > _MAX_CELLS:  # too big a table: the all-dates total bounds it
        return float(np.bincount(key, weights=people, minlength=n_keys).max())
    table = np.zeros((n_keys, n_steps + 1))
    np.add.at(table, (key, first), people)
    np.add.at(table, (key, last + 1), -people)
    return float(np.cumsum(table, axis=1).max())


def _category_codes(flows: pd.DataFrame) -> np.ndarray:
    values = optional_column(flows, CATEGORY).astype("string").fillna("internal")
    codes = pd.Index(FLOW_CATEGORIES).get_indexer(values)
    return np.where(codes < 0, 0, codes).astype(np.int64)


def flows_data(
    conflict,
    steps: pd.DatetimeIndex,
    *,
    mode: str = "active",
    max_flows: int = 3000,
    groups: object = None,
    merge_below: int = 7,
) -> dict:
    """Flow lines to draw (the largest ``max_flows``), rings for people counted in place,
    the merged groups, and the one width scale.

    Flows are listed largest first (drawn first, so smaller ones stay on top). ``pair``
    indexes the origin-destination pairs (``origin``, ``destination``, and ``middle``: the
    middle of the pair's curve, in units of ``grid`` degrees); ``first``/``last`` are the
    steps a flow shows at (from its start; in ``"active"`` mode until its end);
    ``start``/``end`` are days after ``steps[0]``; ``width`` and ``width_max`` are pixels.
    ``people_max``, ``width_max``, ``category``, ``estimate`` and ``merge["of"]`` are empty
    lists when every flow has the default (no range, ``internal``, reported, not merged).
    """
    flows = conflict.flows
    places = conflict.places
    place_ids = places.index
    people = flows[PEOPLE].to_numpy(dtype=float)
    upper = pd.to_numeric(optional_column(flows, PEOPLE_MAX), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    ranged = np.isfinite(upper) & (upper > people)
    upper = np.where(ranged, upper, people)
    present = (
        (optional_column(flows, KIND).astype("string") == "present")
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    origin = place_ids.get_indexer(flows[ORIGIN].astype(object))
    destination = place_ids.get_indexer(flows[DESTINATION].astype(object))
    moved = ~present & (origin >= 0) & (destination >= 0) & (origin != destination)
    drawable = np.flatnonzero(moved & np.isfinite(people))
    order = drawable[np.argsort(-people[drawable], kind="stable")]
    kept, left = order[:max_flows], order[max_flows:]
    last_step = len(steps) - 1

    def span(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        chosen = flows.iloc[rows]
        first = step_of(steps, chosen[START])
        last = step_of(steps, chosen[END]) if mode == "active" else np.full(rows.size, last_step)
        return first, last

    first, last = span(kept)
    pair_codes, unique_pairs = pd.factorize(
        pd.MultiIndex.from_arrays([origin[kept], destination[kept]])
    )
    pair_o = np.asarray(unique_pairs.get_level_values(0), dtype=np.int64)
    pair_d = np.asarray(unique_pairs.get_level_values(1), dtype=np.int64)
    category = _category_codes(flows)
    estimate = (
        (optional_column(flows, QUALITY).astype("string") == "estimate")
        .fillna(False)
        .to_numpy(dtype=bool)
    )

    # ---- merged groups: flows between the same two groups, of one category
    group, group_names = place_groups(places, groups)
    go, gd = group[origin[kept]], group[destination[kept]]
    mergeable = (go >= 0) & (gd >= 0) & (go != gd)
    keys = pd.MultiIndex.from_arrays([go, gd, category[kept]])
    key_codes, unique_keys = pd.factorize(keys)
    pairs_per_key = pd.Series(pair_codes[mergeable]).groupby(key_codes[mergeable]).nunique()
    merged_keys = pairs_per_key.index[pairs_per_key.to_numpy() >= 2].to_numpy()
    remap = np.full(len(unique_keys), -1, dtype=np.int64)
    remap[merged_keys] = np.arange(merged_keys.size)
    of = np.where(mergeable, remap[key_codes], -1)
    anchors = _anchors(places, group, len(group_names))
    m_go = np.asarray(unique_keys.get_level_values(0), dtype=np.int64)[merged_keys]
    m_gd = np.asarray(unique_keys.get_level_values(1), dtype=np.int64)[merged_keys]
    m_cat = np.asarray(unique_keys.get_level_values(2), dtype=np.int64)[merged_keys]
    in_merge = of >= 0

    # ---- present counts
    here = np.flatnonzero(present & (destination >= 0) & np.isfinite(people))
    p_first, p_last = span(here)
    wide = wide_places(conflict, destination[here])

    # ---- one scale for every date
    n_steps = len(steps)
    top = max(
        float(upper[kept].max()) if kept.size else 0.0,
        float(upper[here[~wide]].max()) if (~wide).any() else 0.0,  # drawn rings only
        _running_max(
            of[in_merge],
            first[in_merge],
            last[in_merge],
            upper[kept][in_merge],
            merged_keys.size,
            n_steps,
        ),
    )
    scale = FlowScale(top)
    day0 = steps.asi8[0] if len(steps) else 0

    def days(values: pd.Series) -> list[int]:
        return ((day_values(values) - day0) // DAY).tolist()

    chosen = flows.iloc[kept]
    codes, sources = string_codes(optional_column(flows.iloc[np.r_[kept, here]], SOURCE))
    source_of_kept, source_of_here = codes[: kept.size], codes[kept.size :]
    quality_codes, qualities = string_codes(optional_column(chosen, QUALITY))
    return {
        "mode": mode,
        "total": int(len(flows)),
        "drawable": int(drawable.size),
        "shown": int(kept.size),
        "left_out": int(left.size),
        "left_out_people": float(round(people[left].sum(), 1)),
        "internal": int(((origin == destination) & ~present).sum()),
        "grid": FLOW_GRID,
        "origin": pair_o.tolist(),
        "destination": pair_d.tolist(),
        "middle": _middles(places, pair_o, pair_d),
        "pair": pair_codes.tolist(),
        "people": rounded(people[kept], 1),
        "people_max": _unless_all(
            [
                v if r else None
                for v, r in zip(rounded(upper[kept], 1), ranged[kept].tolist(), strict=True)
            ],
            None,
        ),
        "width": rounded(scale.width(people[kept]), 1),
        "width_max": (rounded(scale.width(upper[kept]), 1) if ranged[kept].any() else []),
        "category": _unless_all(category[kept].tolist(), 0),
        "estimate": _unless_all(estimate[kept].astype(int).tolist(), 0),
        "first": first.tolist(),
        "last": last.tolist(),
        "start": days(chosen[START]),
        "end": days(chosen[END]),
        "source": source_of_kept,
        "sources": sources,
        "quality": quality_codes,
        "qualities": qualities,
        "categories": list(FLOW_CATEGORIES),
        "colors": [FLOW_COLORS[c] for c in FLOW_CATEGORIES],
        "scale": [FLOW_MIN_PX, FLOW_MAX_PX],
        "top": float(round(top, 1)),
        "legend": [{"people": p, "width": round(w, 1)} for p, w in scale.legend()],
        "present": {
            "place": destination[here].tolist(),
            "people": rounded(people[here], 1),
            "people_max": [
                v if r else None
                for v, r in zip(rounded(upper[here], 1), ranged[here].tolist(), strict=True)
            ],
            "width": rounded(scale.width(people[here]), 1),
            "category": category[here].tolist(),
            "estimate": estimate[here].astype(int).tolist(),
            "first": p_first.tolist(),
            "last": p_last.tolist(),
            "start": days(flows.iloc[here][START]),
            "end": days(flows.iloc[here][END]),
            "source": source_of_here,
            "wide": wide.astype(int).tolist(),
        },
        "merge": {
            "below": int(merge_below),
            "by": ADMIN1 if groups is None else "group",
            "of": _unless_all(of.tolist(), -1),
            "names": group_names,
            "from": m_go.tolist(),
            "to": m_gd.tolist(),
            "category": m_cat.tolist(),
            "origin": anchors[m_go].tolist(),
            "destination": anchors[m_gd].tolist(),
            "middle": _middles(places, anchors[m_go], anchors[m_gd]),
        },
    }


def _anchors(places: pd.DataFrame, group: np.ndarray, n_groups: int) -> np.ndarray:
    """The place a merged line starts or ends at for each group: its first label (a seat of
    government, else the most populous place)."""
    anchors = np.full(n_groups, -1, dtype=np.int64)
    if not n_groups:
        return anchors
    order = label_order(places)
    ranked = order[group[order] >= 0]
    first = pd.Series(ranked).groupby(group[ranked], sort=True).first()
    anchors[first.index.to_numpy()] = first.to_numpy()
    return anchors
