"""Displacement flows: totals over time and per place, net flows, and lines to draw them.

A flow says that ``people`` moved from ``origin`` to ``destination`` between ``start`` and
``end``. ``origin == destination`` is displacement inside one place or area: it counts as
``internal`` in totals and has no line. For time filters a flow counts from its ``start``.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._schema import CRS, DESTINATION, END, ORIGIN, PEOPLE, START
from ._time import to_timestamp
from .places import place_points

__all__ = ["active_flows", "aggregate_flows", "flow_lines", "net_flows", "place_totals"]

_GEOD = pyproj.Geod(ellps="WGS84")


def active_flows(flows: pd.DataFrame, when: object, *, cumulative: bool = False
                 ) -> pd.DataFrame:
    """Flows under way at ``when`` (``start <= when <= end``), or all begun by then.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b"], "destination": ["b", "a"], "people": [5., 7.],
    ...     "start": pd.to_datetime(["2024-12-01", "2024-12-06"]),
    ...     "end": pd.to_datetime(["2024-12-03", "2024-12-06"])})
    >>> len(active_flows(f, "2024-12-04")), len(active_flows(f, "2024-12-04", cumulative=True))
    (0, 1)
    """
    ts = to_timestamp(when)
    started = flows[START] <= ts
    mask = started if cumulative else started & (flows[END] >= ts)
    return flows[mask.to_numpy()].copy()


def aggregate_flows(flows: pd.DataFrame, *, freq: str | None = None,
                    by: Sequence[str] = (ORIGIN, DESTINATION)) -> pd.DataFrame:
    """Sum people over flows that share ``by`` (and a period of ``start`` when ``freq``).

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
        ``people`` (sum) and ``records`` (how many rows were summed).

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
    """
    by = list(by)
    missing = [c for c in by if c not in flows.columns]
    if missing:
        from .errors import SchemaError

        raise SchemaError(f"aggregate_flows: by names columns {missing} that the flows table "
                          f"lacks; it has {list(flows.columns)}. Fix: group by existing "
                          "columns.")
    keys: list[object] = list(by)
    if freq is not None:
        keys.append(pd.Grouper(key=START, freq=freq))
    grouped = flows.groupby(keys, sort=True, dropna=False, observed=True)
    out = grouped.agg(start=(START, "min"), end=(END, "max"), people=(PEOPLE, "sum"),
                      records=(PEOPLE, "size"))
    if freq is not None:
        out.index = out.index.set_names("period", level=len(by))
    out = out[out["records"] > 0].reset_index()
    return out


def net_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Net movement between each pair of places (internal flows left out).

    Returns
    -------
    DataFrame
        One row per pair that saw movement: ``origin`` and ``destination`` in the direction
        of the net flow, ``people`` (net, ``>= 0``), ``gross`` (both directions) and
        ``forward``/``backward`` (people each way).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b"], "destination": ["b", "a"],
    ...                   "people": [5., 7.]})
    >>> net_flows(f)[["origin", "destination", "people", "gross"]].values.tolist()
    [['b', 'a', 2.0, 12.0]]
    """
    moved = flows[flows[ORIGIN] != flows[DESTINATION]]
    origin = moved[ORIGIN].astype(str).to_numpy()
    destination = moved[DESTINATION].astype(str).to_numpy()
    first = np.where(origin <= destination, origin, destination)
    second = np.where(origin <= destination, destination, origin)
    sign = np.where(origin <= destination, 1.0, -1.0)
    people = moved[PEOPLE].to_numpy(dtype=float)
    pairs = pd.DataFrame({"a": first, "b": second, "ab": np.where(sign > 0, people, 0.0),
                          "ba": np.where(sign < 0, people, 0.0)})
    sums = pairs.groupby(["a", "b"], sort=True).sum().reset_index()
    forward = sums["ab"] >= sums["ba"]
    out = pd.DataFrame({
        ORIGIN: np.where(forward, sums["a"], sums["b"]),
        DESTINATION: np.where(forward, sums["b"], sums["a"]),
        PEOPLE: (sums["ab"] - sums["ba"]).abs().to_numpy(),
        "gross": (sums["ab"] + sums["ba"]).to_numpy(),
        "forward": np.where(forward, sums["ab"], sums["ba"]),
        "backward": np.where(forward, sums["ba"], sums["ab"]),
    })
    return out.astype({ORIGIN: "string", DESTINATION: "string"})


def place_totals(flows: pd.DataFrame, *, until: object = None, places: object = None
                 ) -> pd.DataFrame:
    """People arriving, leaving and displaced inside each place.

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
        ``net = inflow - outflow``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"origin": ["a", "b", "a"], "destination": ["b", "a", "a"],
    ...     "people": [5., 7., 2.], "start": pd.to_datetime(["2024-12-01"] * 3)})
    >>> place_totals(f).loc["a"].tolist()
    [7.0, 5.0, 2.0, 2.0]
    """
    if until is not None:
        flows = flows[(flows[START] <= to_timestamp(until, argument="until")).to_numpy()]
    internal_mask = (flows[ORIGIN] == flows[DESTINATION]).to_numpy()
    people = flows[PEOPLE].astype(float)
    inflow = people[~internal_mask].groupby(flows[DESTINATION][~internal_mask]).sum()
    outflow = people[~internal_mask].groupby(flows[ORIGIN][~internal_mask]).sum()
    internal = people[internal_mask].groupby(flows[ORIGIN][internal_mask]).sum()
    out = pd.DataFrame({"inflow": inflow, "outflow": outflow, "internal": internal})
    if places is not None:
        ids = places.index if isinstance(places, pd.DataFrame) else pd.Index(places)
        out = out.reindex(ids)
    out = out.fillna(0.0).astype(float)
    out["net"] = out["inflow"] - out["outflow"]
    out.index = pd.Index(out.index.astype(str), name="place_id")
    return out.sort_index() if places is None else out


def flow_lines(flows: pd.DataFrame, places: gpd.GeoDataFrame, *, curvature: float = 0.12,
               points: int = 24) -> gpd.GeoDataFrame:
    """Geodesic lines for flows, bent to the right of travel so A→B and B→A stay apart.

    All rows are computed at once with :class:`pyproj.Geod` on arrays. Internal flows
    (``origin == destination``) get no line (missing geometry).

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
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    lon, lat = place_points(places)
    lookup = places.index
    o = lookup.get_indexer(flows[ORIGIN].astype(str))
    d = lookup.get_indexer(flows[DESTINATION].astype(str))
    if (o < 0).any() or (d < 0).any():
        from ._schema import check_references

        check_references(places=places, actors=pd.DataFrame(index=pd.Index([])),
                         flows=flows)
    lon1, lat1, lon2, lat2 = lon[o], lat[o], lon[d], lat[d]
    azimuth, _, distance = _GEOD.inv(lon1, lat1, lon2, lat2)
    drawn = (o != d) & (distance > 0)
    n = int(drawn.sum())
    geometry = np.full(len(flows), None, dtype=object)
    if n:
        frac = np.linspace(0.0, 1.0, points)
        az = np.repeat(azimuth[drawn], points)
        along = (distance[drawn][:, None] * frac[None, :]).ravel()
        x, y, back = _GEOD.fwd(np.repeat(lon1[drawn], points), np.repeat(lat1[drawn], points),
                               az, along)
        heading = np.where(along > 0, back + 180.0, az)
        bulge = (curvature * distance[drawn][:, None] * np.sin(np.pi * frac)[None, :]).ravel()
        x, y, _ = _GEOD.fwd(x, y, heading + 90.0, bulge)
        coords = np.column_stack([x, y])
        geometry[drawn] = shapely.linestrings(coords, indices=np.repeat(np.arange(n), points))
    out = gpd.GeoDataFrame(flows.copy(), geometry=geometry, crs=CRS)
    out["length_km"] = distance / 1000.0
    return out
