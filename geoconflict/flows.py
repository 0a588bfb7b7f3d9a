"""Displacement flows: totals over time and per place, net flows, and lines to draw them.

A flow says that ``people`` moved from ``origin`` to ``destination`` between ``start`` and
``end``. ``origin == destination`` is displacement inside one place or area: it counts as
``internal`` in totals and has no line. For time filters a flow counts from its ``start``.

A row of kind ``present`` counts people at ``destination`` whose origin is unknown (``origin``
is empty). It is a **stock**, not a movement: a count holds at its place until the next count
there, so successive survey rounds are never added up. :func:`present_counts` gives the count
in force at each place on a date (or a series over dates); :func:`place_totals` reports it in a
``present`` column beside the movements; :func:`active_flows` keeps, of the present rows, the
counts in force; net flows list them with an empty origin; they have no line. A flows table
without an ``origin`` column is read as a table of present counts when it has a ``kind``
column (every row ``present``); otherwise ``origin`` is required.

Where a source gives a range, ``people`` is its lower end and ``people_max`` its
upper end; sums then carry both ends (``people_max`` and ``*_max`` columns), added only when
some row has a range.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._inputs import flows_input, number_option, place_ids_input, places_input
from ._proj import geod_fwd, geod_inv
from ._schema import (
    CATEGORY,
    CRS,
    DESTINATION,
    END,
    KIND,
    ORIGIN,
    PEOPLE,
    PEOPLE_MAX,
    START,
    check_references,
)
from ._time import is_scalar_date, to_timestamp, to_timestamps
from .errors import OptionError, SchemaError
from .places import place_points

__all__ = [
    "active_flows",
    "aggregate_flows",
    "flow_lines",
    "net_flows",
    "place_totals",
    "present_counts",
]

_GEOD = pyproj.Geod(ellps="WGS84")


def _movement(flows: pd.DataFrame) -> np.ndarray:
    """Which rows are movements (from an origin); ``present`` rows and rows without an
    origin are not."""
    moving = flows[ORIGIN].notna().to_numpy()
    if KIND in flows.columns:
        moving = moving & (flows[KIND] != "present").fillna(True).to_numpy(dtype=bool)
    return moving


def _upper(flows: pd.DataFrame) -> pd.Series | None:
    """The upper end of each row's figure (``people_max``, else ``people``), or None when no
    row gives a range."""
    if PEOPLE_MAX not in flows.columns or not flows[PEOPLE_MAX].notna().any():
        return None
    return flows[PEOPLE_MAX].astype(float).fillna(flows[PEOPLE].astype(float))


def _present(flows: pd.DataFrame) -> np.ndarray:
    """Which rows are counts of people present (``kind == "present"``)."""
    if KIND not in flows.columns:
        return np.zeros(len(flows), dtype=bool)
    return (flows[KIND] == "present").fillna(False).to_numpy(dtype=bool)


def _in_force(flows: pd.DataFrame, when: pd.Timestamp | None) -> np.ndarray:
    """Which present rows are the count in force at ``when`` (default: the latest): at each
    destination and category, the rows of its latest count on or before ``when`` (a count of
    one category does not end another's: returnees counted later leave the displaced
    counted before in force). The maps and figures draw by the same rule."""
    present = _present(flows)
    if when is not None:
        present &= (flows[START] <= when).fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(flows), dtype=bool)
    if not present.any():
        return out
    rows = np.flatnonzero(present)
    category = (
        flows[CATEGORY].astype("string").fillna("internal").to_numpy()[rows]
        if CATEGORY in flows.columns
        else np.full(rows.size, "internal", dtype=object)
    )
    sub = pd.DataFrame(
        {
            "place": flows[DESTINATION].to_numpy()[rows],
            "category": category,
            "start": flows[START].to_numpy()[rows],
        }
    )
    latest = sub.groupby(["place", "category"], sort=False)["start"].transform("max")
    out[rows[(sub["start"] == latest).to_numpy()]] = True
    return out


def active_flows(flows: pd.DataFrame, when: object, *, cumulative: bool = False) -> pd.DataFrame:
    """Flows under way at ``when`` (``start <= when <= end``), or all begun by then.

    Present counts are stocks: of the rows of kind ``present``, only the count in force at
    each place on ``when`` (its latest count on or before ``when``) is kept, in both modes.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b"], "destination": ["b", "a"], "people": [5., 7.],
    ...     "start": pd.to_datetime(["2024-12-01", "2024-12-06"]),
    ...     "end": pd.to_datetime(["2024-12-03", "2024-12-06"])})
    >>> len(active_flows(f, "2024-12-04")), len(active_flows(f, "2024-12-04", cumulative=True))
    (0, 1)
    """
    flows = flows_input(flows, function="active_flows", needs=(START,))
    ts = to_timestamp(when)
    started = (flows[START] <= ts).to_numpy()
    mask = started if cumulative else started & (flows[END] >= ts).to_numpy()
    present = _present(flows)
    mask = np.where(present, _in_force(flows, ts), mask)
    return flows[mask].copy()


def present_counts(
    flows: pd.DataFrame, when: object = None, *, places: object = None
) -> pd.DataFrame:
    """The count of people present in force at each place on a date, or over several dates.

    A count (a row of kind ``present``) holds at its place from its ``start`` until the next
    count there of the same category; counts are never added across dates (IOM survey rounds
    are successive estimates of one stock). The rows in force at a place (parts of one count,
    the counts of several categories) add up. Maps and figures draw the counts by this rule.

    Parameters
    ----------
    flows : DataFrame
        A flows table; rows that are not ``present`` are ignored.
    when : date or sequence of dates, optional
        The date; default: the latest count of each place. With a sequence, the count in
        force on each date.
    places : GeoDataFrame or sequence of place ids, optional
        Report these places (missing where no count is in force); default: places counted.

    Returns
    -------
    DataFrame
        For one date: indexed by ``place_id``, ``people`` (and ``people_max`` when some count
        gives a range) and ``date`` (the date of the count in force). For several dates:
        indexed by ``place_id``, one column of ``people`` per date (missing before a place's
        first count).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"destination": ["kharkiv", "kharkiv", "kyiv"],
    ...     "people": [467000., 444000., 353000.], "kind": ["present"] * 3,
    ...     "start": pd.to_datetime(["2024-08-31", "2024-12-31", "2024-08-31"])})
    >>> present_counts(f)["people"].to_dict()  # the latest count, not the sum of rounds
    {'kharkiv': 444000.0, 'kyiv': 353000.0}
    >>> present_counts(f, "2024-10-31").loc["kharkiv", "people"]
    np.float64(467000.0)
    >>> present_counts(f, ["2024-09-30", "2025-01-31"]).loc["kharkiv"].tolist()
    [467000.0, 444000.0]
    """
    flows = flows_input(flows, function="present_counts", needs=(DESTINATION, PEOPLE, START))
    ids = place_ids_input(places, function="present_counts")
    if when is not None and not is_scalar_date(when):
        days = to_timestamps(when)
        columns = {}
        for day in days:
            one = present_counts(flows, day)
            columns[day] = one["people"]
        out = pd.DataFrame(columns)
        out.index = pd.Index(out.index.astype(str), name="place_id")
        out = out.sort_index()
        return out.reindex(ids) if ids is not None else out
    ts = None if when is None else to_timestamp(when)
    chosen = flows[_in_force(flows, ts)]
    upper = _upper(chosen)
    parts = {"people": chosen[PEOPLE].astype(float)}
    if upper is not None:
        parts[PEOPLE_MAX] = upper
    grouped = pd.DataFrame(parts).groupby(chosen[DESTINATION].astype(str).to_numpy())
    out = grouped.sum()
    out["date"] = chosen[START].groupby(chosen[DESTINATION].astype(str).to_numpy()).max()
    out.index = pd.Index(out.index.astype(str), name="place_id")
    out = out.sort_index()
    return out.reindex(ids) if ids is not None else out


def _frequency(freq: object) -> pd.DateOffset | None:
    """``freq`` as a pandas offset; OptionError for text pandas does not read as one."""
    if freq is None:
        return None
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        raise OptionError(
            f"aggregate_flows: freq must be a pandas frequency such as 'D', 'W' "
            f"or 'MS', got {freq!r}."
        ) from None


def aggregate_flows(
    flows: pd.DataFrame, *, freq: str | None = None, by: Sequence[str] = (ORIGIN, DESTINATION)
) -> pd.DataFrame:
    """Sum people over flows that share ``by`` (and a period of ``start`` when ``freq``).

    Rows of kind ``present`` (no origin) group under an empty origin.

    Parameters
    ----------
    flows : DataFrame
        A validated flows table.
    freq : str, optional
        A pandas frequency (``"D"``, ``"W"``, ``"MS"``); each flow counts in the period of
        its ``start``.
    by : sequence of str
        Columns to group by.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period`` (with ``freq``), ``start`` (earliest), ``end`` (latest),
        ``people`` (sum) and ``records`` (how many rows were summed); ``people_max`` (sum of
        the upper ends, ``people`` where a row gives one figure) when some row gives a range.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "a"], "destination": ["b", "b"], "people": [5., 7.],
    ...     "start": pd.to_datetime(["2024-12-01", "2024-12-09"]),
    ...     "end": pd.to_datetime(["2024-12-01", "2024-12-09"])})
    >>> aggregate_flows(f)["people"].tolist()
    [12.0]
    >>> aggregate_flows(f, freq="W")["people"].tolist()
    [5.0, 7.0]
    >>> aggregate_flows(f.assign(people_max=[9., None]))[["people", "people_max"]].values.tolist()
    [[12.0, 16.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in getattr(flows, "columns", by)]
    if missing:
        raise SchemaError(
            f"aggregate_flows: by names columns {missing} that the flows table "
            f"lacks; it has {list(flows.columns)}. Fix: group by existing "
            "columns."
        )
    flows = flows_input(flows, function="aggregate_flows", needs=(START, PEOPLE))
    offset = _frequency(freq)
    upper = _upper(flows)
    if upper is not None:
        flows = flows.assign(**{PEOPLE_MAX: upper})
    keys: list[object] = list(by)
    if freq is not None:
        keys.append(pd.Grouper(key=START, freq=offset))
    grouped = flows.groupby(keys, sort=True, dropna=False, observed=True)
    sums = {"people": (PEOPLE, "sum")}
    if upper is not None:
        sums[PEOPLE_MAX] = (PEOPLE_MAX, "sum")
    out = grouped.agg(start=(START, "min"), end=(END, "max"), **sums, records=(PEOPLE, "size"))
    if freq is not None:
        out.index = out.index.set_names("period", level=len(by))
    out = out[out["records"] > 0].reset_index()
    return out


def net_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Net movement between each pair of places (internal flows left out).

    Rows of kind ``present`` (people counted at a place, origin unknown) are arrivals with
    no origin: the latest count of each place gives one row per destination with an empty
    ``origin``.

    Returns
    -------
    DataFrame
        One row per pair that saw movement: ``origin`` and ``destination`` in the direction
        of the net flow, ``people`` (net, ``>= 0``), ``gross`` (both directions) and
        ``forward``/``backward`` (people each way). When some row gives a range, also
        ``forward_max``/``backward_max``/``gross_max`` (sums of the upper ends) and the range
        of the net flow in the direction shown, ``people_min = forward - backward_max``
        (below 0 when the direction itself is uncertain) to
        ``people_max = forward_max - backward``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b"], "destination": ["b", "a"],
    ...                   "people": [5., 7.]})
    >>> net_flows(f)[["origin", "destination", "people", "gross"]].values.tolist()
    [['b', 'a', 2.0, 12.0]]
    >>> f = pd.DataFrame({"origin": ["a", None], "destination": ["b", "b"],
    ...     "people": [5., 3.], "people_max": [8., None], "kind": ["movement", "present"]})
    >>> net_flows(f)[["origin", "destination", "people", "people_max"]].values.tolist()
    [['a', 'b', 5.0, 8.0], [<NA>, 'b', 3.0, 3.0]]
    """
    flows = flows_input(flows, function="net_flows", needs=(ORIGIN, DESTINATION, PEOPLE))
    moving = _movement(flows)
    upper = _upper(flows)
    moved = moving & (flows[ORIGIN] != flows[DESTINATION]).fillna(False).to_numpy(dtype=bool)
    origin = flows[ORIGIN][moved].astype(str).to_numpy()
    destination = flows[DESTINATION][moved].astype(str).to_numpy()
    forward_way = origin <= destination
    first = np.where(forward_way, origin, destination)
    second = np.where(forward_way, destination, origin)
    low = flows[PEOPLE].to_numpy(dtype=float)
    high = low if upper is None else upper.to_numpy(dtype=float)
    pairs = pd.DataFrame(
        {
            "a": first,
            "b": second,
            "ab": np.where(forward_way, low[moved], 0.0),
            "ba": np.where(forward_way, 0.0, low[moved]),
            "ab_max": np.where(forward_way, high[moved], 0.0),
            "ba_max": np.where(forward_way, 0.0, high[moved]),
        }
    )
    sums = pairs.groupby(["a", "b"], sort=True).sum().reset_index()
    forward = (sums["ab"] >= sums["ba"]).to_numpy()
    out = pd.DataFrame(
        {
            ORIGIN: np.where(forward, sums["a"], sums["b"]),
            DESTINATION: np.where(forward, sums["b"], sums["a"]),
            PEOPLE: (sums["ab"] - sums["ba"]).abs().to_numpy(),
            "gross": (sums["ab"] + sums["ba"]).to_numpy(),
            "forward": np.where(forward, sums["ab"], sums["ba"]),
            "backward": np.where(forward, sums["ba"], sums["ab"]),
            "forward_max": np.where(forward, sums["ab_max"], sums["ba_max"]),
            "backward_max": np.where(forward, sums["ba_max"], sums["ab_max"]),
        }
    )
    present = ~moving & flows[DESTINATION].notna().to_numpy()
    if START in flows.columns:  # a stock: the latest count of each place, not every round
        present &= _in_force(flows, None) | ~_present(flows)
    if present.any():
        arrived = pd.DataFrame(
            {
                DESTINATION: flows[DESTINATION][present].astype(str).to_numpy(),
                "low": low[present],
                "high": high[present],
            }
        )
        at = arrived.groupby(DESTINATION, sort=True).sum().reset_index()
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {
                        ORIGIN: pd.NA,
                        DESTINATION: at[DESTINATION],
                        PEOPLE: at["low"],
                        "gross": at["low"],
                        "forward": at["low"],
                        "backward": 0.0,
                        "forward_max": at["high"],
                        "backward_max": 0.0,
                    }
                ),
            ],
            ignore_index=True,
        )
    if upper is None:
        out = out.drop(columns=["forward_max", "backward_max"])
    else:
        out["gross_max"] = out["forward_max"] + out["backward_max"]
        out["people_min"] = out["forward"] - out["backward_max"]
        out["people_max"] = out["forward_max"] - out["backward"]
    return out.astype({ORIGIN: "string", DESTINATION: "string"})


def place_totals(
    flows: pd.DataFrame, *, until: object = None, places: object = None
) -> pd.DataFrame:
    """People arriving, leaving and displaced inside each place, and the people present.

    Movements are summed; rows of kind ``present`` (people counted at a place, origin
    unknown) are a stock: the ``present`` column holds the count in force on ``until`` (the
    latest count on or before it, see :func:`present_counts`), never a sum of rounds, and
    is not part of ``inflow`` or ``net``.

    Parameters
    ----------
    flows : DataFrame
    until : date, optional
        Count only flows that began on or before this date.
    places : GeoDataFrame or sequence of place ids, optional
        Report these places (zeros where nothing moved); default: places in the flows.

    Returns
    -------
    DataFrame
        Indexed by ``place_id``: ``inflow``, ``outflow``, ``internal`` and
        ``net = inflow - outflow``. When some row gives a range, also ``inflow_max``,
        ``outflow_max``, ``internal_max`` (sums of the upper ends) and the range of the net,
        ``net_min = inflow - outflow_max`` to ``net_max = inflow_max - outflow``. When some
        row is a present count, also ``present`` (and ``present_max`` with ranges): the
        count in force, 0 where none.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b", "a"], "destination": ["b", "a", "a"],
    ...     "people": [5., 7., 2.], "start": pd.to_datetime(["2024-12-01"] * 3)})
    >>> place_totals(f).loc["a"].tolist()
    [7.0, 5.0, 2.0, 2.0]
    >>> f = f.assign(people_max=[6., None, None], kind=["movement"] * 2 + ["present"],
    ...              origin=["a", "b", None])
    >>> place_totals(f).loc["a", ["inflow", "outflow", "outflow_max", "present"]].tolist()
    [7.0, 5.0, 6.0, 2.0]
    """
    flows = flows_input(
        flows,
        function="place_totals",
        needs=(ORIGIN, DESTINATION, PEOPLE) + ((START,) if until is not None else ()),
    )
    ids = place_ids_input(places, function="place_totals")
    if until is not None:
        flows = flows[(flows[START] <= to_timestamp(until, argument="until")).to_numpy()]
    moving = _movement(flows)
    internal = moving & (flows[ORIGIN] == flows[DESTINATION]).fillna(False).to_numpy(dtype=bool)
    arriving = leaving = moving & ~internal  # between two places: in at one, out at the other
    upper = _upper(flows)
    columns = [("", flows[PEOPLE].astype(float))]
    if upper is not None:
        columns.append(("_max", upper))
    parts = {}
    for suffix, people in columns:
        parts["inflow" + suffix] = people[arriving].groupby(flows[DESTINATION][arriving]).sum()
        parts["outflow" + suffix] = people[leaving].groupby(flows[ORIGIN][leaving]).sum()
        parts["internal" + suffix] = people[internal].groupby(flows[ORIGIN][internal]).sum()
    out = pd.DataFrame(parts)
    present = _present(flows)
    present_places = flows[DESTINATION][present].astype(str).unique()
    out = out.reindex(out.index.union(pd.Index(present_places)))
    if ids is not None:
        out = out.reindex(ids)
    out = out.fillna(0.0).astype(float)
    out["net"] = out["inflow"] - out["outflow"]
    if upper is not None:
        out["net_min"] = out["inflow"] - out["outflow_max"]
        out["net_max"] = out["inflow_max"] - out["outflow"]
        out = out[
            [
                "inflow",
                "outflow",
                "internal",
                "net",
                "inflow_max",
                "outflow_max",
                "internal_max",
                "net_min",
                "net_max",
            ]
        ]
    if present.any():
        counts = present_counts(flows[present])
        out["present"] = counts["people"].reindex(out.index.astype(str)).fillna(0.0).to_numpy()
        if upper is not None:
            if PEOPLE_MAX in counts.columns:
                top = counts[PEOPLE_MAX].reindex(out.index.astype(str)).fillna(0.0).to_numpy()
            else:
                top = out["present"].to_numpy()
            out["present_max"] = top
    out.index = pd.Index(out.index.astype(str), name="place_id")
    return out.sort_index() if places is None else out


def flow_lines(
    flows: pd.DataFrame, places: gpd.GeoDataFrame, *, curvature: float = 0.12, points: int = 24
) -> gpd.GeoDataFrame:
    """Geodesic lines for flows, bent to the right of travel so A→B and B→A stay apart.

    All rows are computed at once with :class:`pyproj.Geod` on arrays. Only movements get a
    line: internal flows (``origin == destination``) and rows of kind ``present`` (no
    origin) keep their row with a missing geometry (``length_km`` is 0 for internal flows
    and missing for ``present`` rows).

    Parameters
    ----------
    flows : DataFrame
    places : GeoDataFrame
        Places indexed by ``place_id``; polygons are represented by an inner point.
    curvature : float
        Largest sideways offset as a fraction of the distance (``0`` for straight geodesics).
    points : int
        Vertices per line.

    Returns
    -------
    GeoDataFrame
        The flows with a ``geometry`` (EPSG:4326) and ``length_km`` (geodesic distance).

    Examples
    --------
    >>> import pandas as pd
    >>> from geoconflict.places import make_places
    >>> p = make_places(["hama", "homs"], ["Hama", "Homs"], [36.75, 36.72], [35.13, 34.73])
    >>> f = pd.DataFrame({"origin": ["hama", "homs"], "destination": ["homs", "hama"],
    ...                   "people": [100., 10.]})
    >>> lines = flow_lines(f, p)
    >>> round(float(lines["length_km"].iloc[0]), 1)
    44.5
    >>> a, b = (g.interpolate(0.5, normalized=True) for g in lines.geometry)
    >>> round(a.x - b.x, 2)  # Hama->Homs bends west of Homs->Hama: both stay visible
    -0.12
    """
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise OptionError(
            f"points must be at least 2, got {points!r}. Fix: pass points=2 for "
            "straight lines, more for smooth curves."
        )
    curvature = number_option(curvature, function="flow_lines", argument="curvature")
    flows = flows_input(flows, function="flow_lines", needs=(ORIGIN, DESTINATION))
    places = places_input(places, function="flow_lines")
    lon, lat = place_points(places)
    lookup = places.index
    moving = _movement(flows)
    o = lookup.get_indexer(flows[ORIGIN].astype(str))
    d = lookup.get_indexer(flows[DESTINATION].astype(str))
    if (o[moving] < 0).any() or (d < 0).any():
        check_references(places=places, actors=pd.DataFrame(index=pd.Index([])), flows=flows)
    o = np.where(moving, o, d)  # a row without an origin starts and ends at its destination
    lon1, lat1, lon2, lat2 = lon[o], lat[o], lon[d], lat[d]
    azimuth, _, distance = geod_inv(_GEOD, lon1, lat1, lon2, lat2)
    distance = np.where(moving, distance, np.nan)
    drawn = moving & (o != d) & (distance > 0)
    n = int(drawn.sum())
    geometry = np.full(len(flows), None, dtype=object)
    if n:
        frac = np.linspace(0.0, 1.0, points)
        az = np.repeat(azimuth[drawn], points)
        along = (distance[drawn][:, None] * frac[None, :]).ravel()
        x, y, back = geod_fwd(
            _GEOD, np.repeat(lon1[drawn], points), np.repeat(lat1[drawn], points), az, along
        )
        heading = np.where(along > 0, back + 180.0, az)
        bulge = (curvature * distance[drawn][:, None] * np.sin(np.pi * frac)[None, :]).ravel()
        x, y, _ = geod_fwd(_GEOD, x, y, heading + 90.0, bulge)
        coords = np.column_stack([x, y])
        geometry[drawn] = shapely.linestrings(coords, indices=np.repeat(np.arange(n), points))
    out = gpd.GeoDataFrame(flows.copy(), geometry=geometry, crs=CRS)
    out["length_km"] = distance / 1000.0
    return out
