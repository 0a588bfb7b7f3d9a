"""The flows part of a map's payload: the largest flows, one width scale, merged groups.

The page draws each flow as the quadratic curve through its origin, the middle of its
:func:`~geoconflict.flow_lines` curve (bent to the right of travel, so A→B and B→A stay
apart) and its destination: one point per origin-destination pair crosses the wire.

Widths follow one scale for every date (:class:`~geoconflict.style.FlowScale`): the widest
line is the largest figure drawn on any date, merged groups included. Categories
(``internal``, ``refugee``, ``return``) are coloured, estimates dashed, and a range drawn as
a pale line of the upper figure's width under the line of the lower one. People counted
where they are (``kind="present"``, no origin) are a stock: a circle at their place, its area
by people on a scale of its own (:class:`~geoconflict.style.CountScale`), with the number,
from the count's date until the next count there (:func:`stock_spans`); except at a place
whose polygon covers a fifth or more of the map's land (a country, a pair of provinces):
a circle at one point of it would read as a count at that point, so such figures are listed
in the panel only (``rings["wide"]``), and do not set the scale. Zoomed out below
``merge_below``, flows between the same two groups of places (governorates by default) and
of one category are drawn as one line, and split again as the reader zooms in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from .._schema import DESTINATION, END, ORIGIN, PEOPLE, QUALITY, SOURCE, START
from ..errors import MapOptionError
from ..flows import flow_lines
from ..style import FLOW_CATEGORIES, FLOW_COLORS, CountScale, FlowScale, label_order
from ..style.scales import largest_line
from ._json import optional_column, rounded, string_codes
from .payload_types import SPARSE_DEFAULTS
from .steps import DAY, day_values, step_of

__all__ = [
    "FLOW_GRID",
    "FLOW_MODES",
    "WIDE_SHARE",
    "count_rows",
    "flow_lines_data",
    "flows_data",
    "merged_data",
    "place_groups",
    "rings_data",
    "scale_data",
    "stock_spans",
    "wide_places",
]

FLOW_MODES = ("active", "cumulative")
#: The grid (degrees) the curves' middle points are rounded to (about 11 m).
FLOW_GRID = 1e-4
PEOPLE_MAX = "people_max"
CATEGORY = "category"
KIND = "kind"
ADMIN1 = "admin1"
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


def _sparse(values: list, name: str) -> list:
    """``values``, or ``[]`` when every one is the column's default (:data:`SPARSE_DEFAULTS`;
    the page fills it back in): a page of 50,000 flows of one category, all reported,
    carries no column of zeros."""
    default = SPARSE_DEFAULTS[name]
    return [] if all(v == default for v in values) else values


def _category_codes(flows: pd.DataFrame) -> np.ndarray:
    values = optional_column(flows, CATEGORY).astype("string").fillna("internal")
    codes = pd.Index(FLOW_CATEGORIES).get_indexer(values)
    return np.where(codes < 0, 0, codes).astype(np.int64)


@dataclass(frozen=True)
class _Table:
    """The flows table as arrays, read once."""

    people: np.ndarray
    upper: np.ndarray
    ranged: np.ndarray
    present: np.ndarray
    origin: np.ndarray
    destination: np.ndarray
    category: np.ndarray
    estimate: np.ndarray

    @classmethod
    def read(cls, flows: pd.DataFrame, place_ids: pd.Index) -> _Table:
        people = flows[PEOPLE].to_numpy(dtype=float)
        upper = pd.to_numeric(optional_column(flows, PEOPLE_MAX), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        ranged = np.isfinite(upper) & (upper > people)
        return cls(
            people=people,
            upper=np.where(ranged, upper, people),
            ranged=ranged,
            present=(optional_column(flows, KIND).astype("string") == "present")
            .fillna(False)
            .to_numpy(dtype=bool),
            origin=place_ids.get_indexer(optional_column(flows, ORIGIN).astype(object)),
            destination=place_ids.get_indexer(flows[DESTINATION].astype(object)),
            category=_category_codes(flows),
            estimate=(optional_column(flows, QUALITY).astype("string") == "estimate")
            .fillna(False)
            .to_numpy(dtype=bool),
        )


def _spans(
    flows: pd.DataFrame, rows: np.ndarray, steps: pd.DatetimeIndex, mode: str
) -> tuple[np.ndarray, np.ndarray]:
    """The first and last step each flow of ``rows`` shows at: from its start; in
    ``"active"`` mode until its end, else to the last step."""
    chosen = flows.iloc[rows]
    first = step_of(steps, chosen[START])
    if mode == "active":
        return first, step_of(steps, chosen[END])
    return first, np.full(rows.size, len(steps) - 1)


def _days(values: pd.Series, steps: pd.DatetimeIndex) -> list[int]:
    """Days after the first step."""
    day0 = steps.asi8[0] if len(steps) else 0
    return ((day_values(values) - day0) // DAY).tolist()


def stock_spans(
    flows: pd.DataFrame, rows: np.ndarray, places: np.ndarray, steps: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """The steps a count of people present holds at: from its date until the step before
    the next count at the same place and of the same category, or to the last step.

    A ``present`` row is a stock, not an event: the people counted at a place are there
    until the next count says otherwise.

    Examples
    --------
    >>> steps = pd.date_range("2024-01-01", periods=6)
    >>> f = pd.DataFrame({"start": ["2024-01-01", "2024-01-04", "2024-01-02", "2024-01-04"]})
    >>> first, last = stock_spans(f, np.arange(4), np.array([0, 0, 1, 0]), steps)
    >>> first.tolist(), last.tolist()  # the two rows of the 4 Jan count hold to the end
    ([0, 3, 1, 3], [2, 5, 5, 5])
    """
    first = step_of(steps, flows.iloc[rows][START])
    last = np.full(rows.size, len(steps) - 1, dtype=np.int64)
    if not rows.size:
        return first, last
    category = _category_codes(flows.iloc[rows])
    # the distinct counts: (place, category, step), in order; each ends the step before the
    # next count of its place and category, and every row of one count (its parts) with it
    keys = np.column_stack([places, category, first])
    counts, of_row = np.unique(keys, axis=0, return_inverse=True)
    of_row = of_row.reshape(-1)
    same = (counts[1:, 0] == counts[:-1, 0]) & (counts[1:, 1] == counts[:-1, 1])
    ends = np.full(len(counts), len(steps) - 1, dtype=np.int64)
    ends[:-1] = np.where(same, counts[1:, 2] - 1, ends[:-1])
    last = ends[of_row]
    return first, last


def flows_data(
    conflict,
    steps: pd.DatetimeIndex,
    *,
    mode: str = "active",
    max_flows: int = 3000,
    groups: object = None,
    merge_below: int = 7,
) -> dict:
    """The flows part of the payload (:class:`~.payload_types.Flows`): the lines drawn
    (:func:`flow_lines_data`), the counts of people present (:func:`rings_data`), the merged
    groups (:func:`merged_data`) and the one width scale (:func:`scale_data`)."""
    flows = conflict.flows
    places = conflict.places
    table = _Table.read(flows, places.index)
    o, d = table.origin, table.destination
    moved = ~table.present & (o >= 0) & (d >= 0) & (o != d)
    drawable = np.flatnonzero(moved & np.isfinite(table.people))
    order = drawable[np.argsort(-table.people[drawable], kind="stable")]
    kept, left = order[:max_flows], order[max_flows:]
    here = np.flatnonzero(table.present & (d >= 0) & np.isfinite(table.people))
    first, last = _spans(flows, kept, steps, mode)
    group, group_names = place_groups(places, groups)
    merged, of = merged_data(places, table, kept, first, group, group_names, groups, merge_below)
    # one scale for every date: each flow is a line, and zoomed out each merged group
    n_groups = len(merged["from"])
    in_merge = of >= 0
    top = (
        largest_line(
            np.r_[np.arange(kept.size), kept.size + of[in_merge]],
            np.r_[first, first[in_merge]],
            np.r_[last, last[in_merge]],
            np.r_[table.upper[kept], table.upper[kept][in_merge]],
        )
        if kept.size or n_groups
        else 0.0
    )
    scale = FlowScale(top)
    h_first, h_last = stock_spans(flows, here, d[here], steps)
    rings = count_rows(flows, table, here, h_first, h_last, steps)
    wide = wide_places(conflict, rings["place"].to_numpy())
    upper = rings["upper"].to_numpy(dtype=float)
    counts = CountScale(float(upper[~wide].max()) if (~wide).any() else 0.0)
    source_codes, sources = string_codes(
        pd.concat(
            [optional_column(flows.iloc[kept], SOURCE).astype("string"), rings[SOURCE]],
            ignore_index=True,
        )
    )
    return {
        "mode": mode,
        "grid": FLOW_GRID,
        "counts": {
            "total": int(len(flows)),
            "drawable": int(drawable.size),
            "shown": int(kept.size),
            "left_out": int(left.size),
            "left_out_people": float(round(table.people[left].sum(), 1)),
            "internal": int(((o == d) & ~table.present).sum()),
        },
        "lines": flow_lines_data(
            flows, places, table, kept, first, last, of, scale, steps, source_codes[: kept.size]
        ),
        "rings": rings_data(rings, wide, counts, source_codes[kept.size :]),
        "merged": merged,
        "scale": scale_data(scale, counts),
        "categories": list(FLOW_CATEGORIES),
        "colors": [FLOW_COLORS[c] for c in FLOW_CATEGORIES],
        "sources": sources,
    }


def flow_lines_data(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    table: _Table,
    kept: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    of: np.ndarray,
    scale: FlowScale,
    steps: pd.DatetimeIndex,
    source: list[int],
) -> dict:
    """The flows drawn as lines (:class:`~.payload_types.FlowLines`), largest first (drawn
    first, so smaller ones stay on top).

    ``pair`` indexes the origin-destination pairs (``origin``, ``destination``, and
    ``middle``: the middle of the pair's curve, in units of ``grid`` degrees);
    ``first``/``last`` are the steps a flow shows at; ``start``/``end`` are days after
    ``steps[0]``; ``width`` and ``width_max`` are pixels; ``group`` is the merged line a
    flow joins zoomed out. The columns of :data:`SPARSE_DEFAULTS` are empty when every flow
    has the default.
    """
    pair_codes, unique_pairs = pd.factorize(
        pd.MultiIndex.from_arrays([table.origin[kept], table.destination[kept]])
    )
    pair_o = np.asarray(unique_pairs.get_level_values(0), dtype=np.int64)
    pair_d = np.asarray(unique_pairs.get_level_values(1), dtype=np.int64)
    chosen = flows.iloc[kept]
    ranged = table.ranged[kept]
    quality_codes, qualities = string_codes(optional_column(chosen, QUALITY))
    return {
        "origin": pair_o.tolist(),
        "destination": pair_d.tolist(),
        "middle": _middles(places, pair_o, pair_d),
        "pair": pair_codes.tolist(),
        "people": rounded(table.people[kept], 1),
        "people_max": _sparse(
            [
                v if r else None
                for v, r in zip(rounded(table.upper[kept], 1), ranged.tolist(), strict=True)
            ],
            "people_max",
        ),
        "width": rounded(scale.width(table.people[kept]), 1),
        "width_max": _sparse(
            [
                v if r else None
                for v, r in zip(
                    rounded(scale.width(table.upper[kept]), 1), ranged.tolist(), strict=True
                )
            ],
            "width_max",
        ),
        "category": _sparse(table.category[kept].tolist(), "category"),
        "estimate": _sparse(table.estimate[kept].astype(int).tolist(), "estimate"),
        "group": _sparse(of.tolist(), "group"),
        "first": first.tolist(),
        "last": last.tolist(),
        "start": _days(chosen[START], steps),
        "end": _days(chosen[END], steps),
        "source": source,
        "quality": quality_codes,
        "qualities": qualities,
        "defaults": dict(SPARSE_DEFAULTS),
    }


def count_rows(
    flows: pd.DataFrame,
    table: _Table,
    here: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    steps: pd.DatetimeIndex,
) -> pd.DataFrame:
    """One row per count of people present: the rows ``here`` of one place, category and
    first step are parts of one count and add up (as :func:`geoconflict.flows.present_counts`
    adds them); its sources joined, its quality an estimate when a part is."""
    chosen = flows.iloc[here]
    parts = pd.DataFrame(
        {
            "place": table.destination[here],
            "category": table.category[here],
            "first": first,
            "last": last,
            "people": table.people[here],
            "upper": table.upper[here],
            "ranged": table.ranged[here],
            "estimate": table.estimate[here],
            "start": _days(chosen[START], steps),
            "end": _days(chosen[END], steps),
            SOURCE: optional_column(chosen, SOURCE).astype("string").to_numpy(),
        }
    )
    grouped = parts.groupby(["place", "category", "first"], sort=False, dropna=False)
    out = grouped.agg(
        last=("last", "max"),
        people=("people", "sum"),
        upper=("upper", "sum"),
        ranged=("ranged", "any"),
        estimate=("estimate", "any"),
        start=("start", "min"),
        end=("end", "max"),
    ).reset_index()
    sources = parts.dropna(subset=[SOURCE]).drop_duplicates(["place", "category", "first", SOURCE])
    joined = sources.groupby(["place", "category", "first"], sort=False)[SOURCE].agg("; ".join)
    keys = pd.MultiIndex.from_frame(out[["place", "category", "first"]])
    out[SOURCE] = pd.Series(joined.reindex(keys).to_numpy(), dtype="string")
    return out


def rings_data(
    rings: pd.DataFrame, wide: np.ndarray, counts: CountScale, source: list[int]
) -> dict:
    """The counts of people present (:class:`~.payload_types.Rings`), one per count
    (:func:`count_rows`): each holds from its step until the next count at its place
    (:func:`stock_spans`); ``radius`` on the count scale; ``wide`` counts (over a fifth of the
    map's land) are listed, not drawn."""
    people = rings["people"].to_numpy(dtype=float)
    ranged = rings["ranged"].to_numpy(dtype=bool)
    return {
        "place": rings["place"].astype(int).tolist(),
        "people": rounded(people, 1),
        "people_max": [
            v if r else None
            for v, r in zip(
                rounded(rings["upper"].to_numpy(dtype=float), 1), ranged.tolist(), strict=True
            )
        ],
        "radius": rounded(counts.radius(people), 1),
        "category": rings["category"].astype(int).tolist(),
        "estimate": rings["estimate"].astype(int).tolist(),
        "first": rings["first"].astype(int).tolist(),
        "last": rings["last"].astype(int).tolist(),
        "start": [None if pd.isna(v) else int(v) for v in rings["start"]],
        "end": [None if pd.isna(v) else int(v) for v in rings["end"]],
        "source": source,
        "wide": wide.astype(int).tolist(),
    }


def merged_data(
    places: pd.DataFrame,
    table: _Table,
    kept: np.ndarray,
    first: np.ndarray,
    group: np.ndarray,
    group_names: list[str],
    groups: object,
    merge_below: int,
) -> tuple[dict, np.ndarray]:
    """The merged lines (:class:`~.payload_types.MergedGroups`): flows between the same two
    groups of places, of one category, when two pairs or more share them; and the merged
    line of each kept flow (-1 none)."""
    go, gd = group[table.origin[kept]], group[table.destination[kept]]
    category = table.category[kept]
    pair_codes, _ = pd.factorize(
        pd.MultiIndex.from_arrays([table.origin[kept], table.destination[kept]])
    )
    mergeable = (go >= 0) & (gd >= 0) & (go != gd)
    key_codes, unique_keys = pd.factorize(pd.MultiIndex.from_arrays([go, gd, category]))
    pairs_per_key = pd.Series(pair_codes[mergeable]).groupby(key_codes[mergeable]).nunique()
    merged_keys = pairs_per_key.index[pairs_per_key.to_numpy() >= 2].to_numpy()
    remap = np.full(len(unique_keys), -1, dtype=np.int64)
    remap[merged_keys] = np.arange(merged_keys.size)
    of = np.where(mergeable, remap[key_codes], -1)
    anchors = _anchors(places, group, len(group_names))
    m_go = np.asarray(unique_keys.get_level_values(0), dtype=np.int64)[merged_keys]
    m_gd = np.asarray(unique_keys.get_level_values(1), dtype=np.int64)[merged_keys]
    m_cat = np.asarray(unique_keys.get_level_values(2), dtype=np.int64)[merged_keys]
    return {
        "below": int(merge_below),
        "by": ADMIN1 if groups is None else "group",
        "names": group_names,
        "from": m_go.tolist(),
        "to": m_gd.tolist(),
        "category": m_cat.tolist(),
        "origin": anchors[m_go].tolist(),
        "destination": anchors[m_gd].tolist(),
        "middle": _middles(places, anchors[m_go], anchors[m_gd]),
    }, of


def scale_data(scale: FlowScale, counts: CountScale) -> dict:
    """The width scale and the circle scale, with their legends
    (:class:`~.payload_types.FlowScaleData`)."""
    return {
        "thinnest": scale.thinnest,
        "widest": scale.widest,
        "top": float(round(scale.top, 1)),
        "legend": [{"people": p, "size": round(w, 1)} for p, w in scale.legend()],
        "circle_top": float(round(counts.top, 1)),
        "circle_radius": counts.largest,
        "circles": [{"people": p, "size": round(r, 1)} for p, r in counts.legend()],
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
