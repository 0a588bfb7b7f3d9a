"""The fast paths of the research functions against straightforward references, on random
conflicts in several parts of the globe (seeded numpy draws).

- ``BoxedPoints.nearest`` (the nearest front segment of many points at once) against
  measuring every point against every segment;
- ``front_exposure`` against a reference written the plain way: for each date, every
  unit (town or grid point) measured against every segment of that date's front, the
  geodesic km to the nearest point, the counts per side and distance;
- ``event_context``'s holders and front distances against the same brute force per event.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geoconflict as gc
from geoconflict.analysis import _exposure
from geoconflict.analysis._land import front_of, geodesic_km, holder_states, plane_of
from geoconflict.analysis._nearest import BoxedPoints, nearest_points, segment_distance
from geoconflict.errors import DataWarning
from geoconflict.territory._holders import holder_names, population_parts
from geoconflict.territory._land import land_cells
from geoconflict.territory._setting import land_setting
from geoconflict.territory._summary import summary_dates

ACTORS = ["red", "blue", "green"]
# (lon, lat) of the middle of each synthetic conflict: Syria, the Sahel, southern Chile,
# Finnish Lapland (far from the equator: a projection's distortion matters more there)
CENTRES = {"syria": (37.0, 35.0), "sahel": (-1.5, 14.0), "chile": (-71.0, -38.0)}
CENTRES["lapland"] = (26.0, 67.5)


def brute_nearest(a: np.ndarray, b: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Distance from every point to every segment, (points, segments)."""
    out = np.empty((xy.shape[0], a.shape[0]))
    for j in range(a.shape[0]):
        out[:, j], _ = segment_distance(
            np.repeat(a[j : j + 1], len(xy), 0), np.repeat(b[j : j + 1], len(xy), 0), xy
        )
    return out


@pytest.mark.parametrize("seed", range(40))
def test_boxed_nearest_is_the_brute_force_nearest(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 300)), int(rng.integers(1, 50))
    scale = 10 ** rng.uniform(0, 6)
    xy = rng.uniform(0, scale, (n, 2))
    if seed % 3 == 0:  # points on a coarse grid: repeated points, equal distances
        xy = np.round(xy / scale * 6) * scale / 6
    a = rng.uniform(0, scale, (m, 2))
    b = a + rng.normal(0, scale / 10, (m, 2))
    if seed % 4 == 0:  # a polyline: segments share their ends
        b[:-1] = a[1:]
    if seed % 5 == 0:  # a segment of no length
        b[0] = a[0]
    limit = scale * rng.uniform(0.01, 0.6)
    at, seg = BoxedPoints(xy, per_box=rng.uniform(1, 40)).nearest(a, b, max_distance=limit)
    every = brute_nearest(a, b, xy)
    best = every.min(axis=1)
    expected = np.flatnonzero(best <= limit)
    order = np.argsort(at)
    assert at[order].tolist() == expected.tolist()
    np.testing.assert_allclose(
        every[at[order], seg[order]], best[expected], rtol=1e-12, atol=1e-9 * scale
    )


@pytest.mark.parametrize("seed", range(12))
def test_boxed_nearest_over_changing_fronts_is_the_brute_force_nearest(seed):
    """Many calls on the same points with changing subsets of one set of segments (the
    fronts of successive dates): the bound kept from the last call never loses a
    nearest segment."""
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(1, 300)), int(rng.integers(1, 80))
    scale = 10 ** rng.uniform(0, 6)
    xy = rng.uniform(0, scale, (n, 2))
    a = rng.uniform(0, scale, (m, 2))
    b = a + rng.normal(0, scale / 10, (m, 2))
    if seed % 2:
        b[:-1] = a[1:]
    boxed = BoxedPoints(xy, per_box=rng.uniform(1, 40))
    limit = None if seed % 3 == 0 else scale * rng.uniform(0.01, 0.5)
    for _ in range(8):
        ids = np.flatnonzero(rng.random(m) < rng.uniform(0.05, 0.9))
        at, seg = boxed.nearest(a[ids], b[ids], max_distance=limit, ids=ids)
        if ids.size == 0:
            assert at.size == 0
            continue
        every = brute_nearest(a[ids], b[ids], xy)
        best = every.min(axis=1)
        expected = np.flatnonzero(best <= (np.inf if limit is None else limit))
        order = np.argsort(at)
        assert at[order].tolist() == expected.tolist()
        np.testing.assert_allclose(
            every[at[order], seg[order]], best[expected], rtol=1e-12, atol=1e-9 * scale
        )


def test_boxed_nearest_of_nothing():
    boxed = BoxedPoints(np.array([[0.0, 0.0], [np.nan, 1.0]]))
    empty = np.zeros((0, 2))
    assert [x.size for x in boxed.nearest(empty, empty, max_distance=5.0)] == [0, 0]
    at, seg = boxed.nearest(np.array([[3.0, 4.0]]), np.array([[3.0, 4.0]]), max_distance=5.0)
    assert at.tolist() == [0] and seg.tolist() == [0]
    none = BoxedPoints(np.zeros((0, 2)))
    assert none.nearest(np.ones((1, 2)), np.ones((1, 2)), max_distance=1.0)[0].size == 0


@pytest.mark.parametrize("seed", range(20))
def test_nearest_points_is_the_brute_force_nearest_and_the_first_of_a_tie(seed):
    """The nearest town of each point (event_context's ``place_id`` beside polygon places)
    against measuring every point against every town; of towns at the same distance, the
    one listed first; a point that is not finite has none."""
    rng = np.random.default_rng(300 + seed)
    n, k = int(rng.integers(1, 400)), int(rng.integers(1, 60))
    scale = 10 ** rng.uniform(0, 6)
    sites = rng.uniform(0, scale, (k, 2))
    xy = rng.uniform(0, scale, (n, 2))
    if seed % 2 == 0:  # towns and points on a coarse grid: repeated towns, equal distances
        sites = np.round(sites / scale * 4) * scale / 4
        xy = np.round(xy / scale * 8) * scale / 8
    xy[rng.random(n) < 0.05] = np.nan
    found, distance = nearest_points(sites, xy)
    every = np.hypot(xy[:, None, 0] - sites[None, :, 0], xy[:, None, 1] - sites[None, :, 1])
    ok = np.isfinite(xy).all(axis=1)
    best = every[ok].min(axis=1)
    first = np.argmax(every[ok] <= best[:, None], axis=1)  # the first town at that distance
    assert found[ok].tolist() == first.tolist()
    np.testing.assert_allclose(distance[ok], best, rtol=1e-12)
    assert (found[~ok] == -1).all() and np.isinf(distance[~ok]).all()


def random_conflict(rng: np.random.Generator, where: str, *, polygons: bool) -> gc.Conflict:
    """Towns on a 1.6 x 1.2 degree patch, holders drifting over 6 dates (with gaps and
    contested records); with ``polygons``, a few admin units with people, some towns in
    them without people of their own."""
    lon0, lat0 = CENTRES[where]
    n = int(rng.integers(25, 70))
    lon = lon0 + rng.uniform(-0.8, 0.8, n)
    lat = lat0 + rng.uniform(-0.6, 0.6, n)
    ids = [f"t{i}" for i in range(n)]
    dates = pd.date_range("2024-01-01", periods=6, freq="7D")
    records = []
    for i in range(n):
        side = int(lon[i] > lon0 + rng.normal(0, 0.2))
        for date in dates:
            if rng.random() < 0.3:
                side = int(rng.integers(0, 3))
            if rng.random() < 0.1:
                continue
            status = "contested" if rng.random() < 0.05 else "held"
            rival = ACTORS[(side + 1) % 3] if status == "contested" else None
            records.append((ids[i], ACTORS[side], date, status, rival))
    control = pd.DataFrame(
        records, columns=["place_id", "actor_id", "date", "status", "contested_by"]
    )
    places = gc.make_places(ids, ids, lon, lat, population=rng.integers(0, 5000, n))
    boundary = shapely.box(lon0 - 0.9, lat0 - 0.7, lon0 + 0.9, lat0 + 0.7)
    if polygons:
        units = gpd.GeoDataFrame(
            {
                "place_id": ["u0", "u1"],
                "name": ["Unit 0", "Unit 1"],
                "population": [20000.0, 35000.0],
            },
            geometry=[
                shapely.box(lon0 - 0.7, lat0 - 0.5, lon0, lat0 + 0.1),
                shapely.box(lon0 + 0.05, lat0 - 0.2, lon0 + 0.6, lat0 + 0.5),
            ],
            crs="EPSG:4326",
        )
        places = pd.concat([units, places.reset_index()], ignore_index=True)
        control = pd.concat(
            [
                control,
                pd.DataFrame(
                    {
                        "place_id": ["u0", "u1"],
                        "actor_id": ["red", "blue"],
                        "date": [dates[0], dates[2]],
                    }
                ),
            ],
            ignore_index=True,
        )
    return gc.Conflict(places, pd.DataFrame({"actor_id": ACTORS}), control, boundary=boundary)


def reference_exposure(conflict: gc.Conflict, bands: list[float]) -> pd.DataFrame:
    """front_exposure the plain way: every date on its own, every town against every
    segment of the day's front, every cell of a polygon place against the whole front (its
    distance to it, and its area inside the front's buffer of each distance, made afresh)."""
    setting = land_setting()
    dates = summary_dates(conflict, "D", None, None)
    built = land_cells(conflict, setting, dates=dates)
    plane = plane_of(built)
    states, state_of = holder_states(conflict, built, dates)
    units = _exposure._units(conflict, built, plane)
    _, _, spread = population_parts(conflict, built)
    names = holder_names(conflict)
    seg_a, seg_b = plane.segments
    limit = max(bands) * 1000.0 * 1.1 + 1.0
    depth = built.chain.shape[1]
    land = np.flatnonzero(built.chain[:, 0] >= 0) if depth else np.zeros(0, np.int64)
    rows = []
    for day, s in zip(dates, state_of, strict=True):
        column = states[:, s]
        _, segs = front_of(built, column)
        km = np.full(units.cell.size, np.inf)
        cell_km = np.full(land.size, np.inf)
        if segs.size:
            every = brute_nearest(seg_a[segs], seg_b[segs], units.xy)
            nearest = every.argmin(axis=1)
            close = every.min(axis=1) <= limit
            g = segs[nearest[close]]
            _, q = segment_distance(seg_a[g], seg_b[g], units.xy[close])
            qlon, qlat = plane.unproject(q)
            km[close] = geodesic_km(units.lonlat[close, 0], units.lonlat[close, 1], qlon, qlat)
            front = shapely.multilinestrings(plane.lines[segs])
            cell_km = shapely.distance(plane.cells[land], front) / 1000.0
        label = column[units.cell] % len(names)
        cell_label = column[land] % len(names)
        for d in bands:
            share = np.zeros(land.size)
            if segs.size and land.size:
                band = shapely.buffer(front, d * 1000.0, quad_segs=16)
                inside = shapely.area(shapely.intersection(plane.cells[land], band))
                share = inside / shapely.area(plane.cells[land])
            for code, side in enumerate(names):
                mine = (label == code) & (km <= d)
                cells = (cell_label == code) & (cell_km <= d)
                polygons = np.unique(built.chain[land[cells]])
                rows.append(
                    (
                        day,
                        float(d),
                        side,
                        int(mine.sum() + (polygons >= 0).sum()),
                        float(units.people[mine].sum() + (spread[land] * share)[cells].sum()),
                    )
                )
    return pd.DataFrame(rows, columns=["date", "within_km", "side", "places", "population"])


@pytest.mark.parametrize("where", sorted(CENTRES))
@pytest.mark.parametrize("polygons", [False, True])
def test_front_exposure_is_the_plain_ways(where, polygons):
    rng = np.random.default_rng(sorted(CENTRES).index(where) * 2 + polygons)
    conflict = random_conflict(rng, where, polygons=polygons)
    bands = [3.0, 10.0, 25.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        got = gc.front_exposure(conflict, distances_km=bands)
        want = reference_exposure(conflict, bands)
    want = want.set_index(["date", "within_km", "side"])
    got = got.set_index(["date", "within_km", "side"])
    # the reference lists every side; front_exposure leaves out contested/unknown when they
    # never have anything within reach
    missing = want.index.difference(got.index)
    assert (want.loc[missing, "places"] == 0).all()
    want = want.loc[got.index]
    assert got["places"].tolist() == want["places"].tolist()
    # the same but for the buffers' arcs: front_exposure widens the buffer of each distance
    # from the one before (and only near the cells it measures), the reference buffers the
    # whole front by each distance (arcs drawn with 64 segments a circle either way)
    rtol = 1e-3 if polygons else 1e-9
    np.testing.assert_allclose(got["population"], want["population"], rtol=rtol, atol=1e-6)
    assert (got["places"] > 0).any()  # the case has a front near something


def reference_fronts(
    conflict: gc.Conflict, events: gpd.GeoDataFrame, max_distance_km: float | None = None
) -> pd.DataFrame:
    """Each event on its own: the first cell that covers its point (every cell tested),
    that cell's holder on the event's date, the km to the nearest point of that date's
    front (every segment measured)."""
    dates = pd.DatetimeIndex(events["date"]).unique().sort_values()
    built = land_cells(conflict, land_setting(max_distance_km=max_distance_km), dates=dates)
    plane = plane_of(built)
    states, state_of = holder_states(conflict, built, dates)
    names = holder_names(conflict)
    seg_a, seg_b = plane.segments
    lon = shapely.get_x(events.geometry.to_numpy())
    lat = shapely.get_y(events.geometry.to_numpy())
    xy = plane.project(lon, lat)
    geoms = conflict.places.geometry.to_numpy()
    is_town = shapely.get_type_id(geoms) == 0
    town_ids = conflict.places.index.to_numpy()[is_town]
    town_lon, town_lat = shapely.get_x(geoms[is_town]), shapely.get_y(geoms[is_town])
    control = conflict.control
    actors = set(conflict.actors.index)
    rows = []
    for i in range(len(events)):
        point = shapely.Point(xy[i])
        covering = np.flatnonzero(shapely.intersects(plane.cells, point))
        if covering.size == 0:
            near = np.flatnonzero(shapely.distance(plane.cells, point) <= 1.0)
            covering = near[:1]
        if covering.size == 0:
            rows.append(("unknown", np.nan))
            continue
        s = state_of[dates.get_loc(events["date"].iloc[i])]
        holder = land = names[states[covering[0], s]]
        # exactly on a town (the first listed there) on another actor's land or on unknown
        # land (no record here says unknown), whose own record in force says an actor or
        # contested: the town's (a pocket)
        on = np.flatnonzero((town_lon == lon[i]) & (town_lat == lat[i]))
        if on.size and (holder in actors or holder == "unknown"):
            own = control[
                (control["place_id"] == town_ids[on[0]])
                & (control["date"] <= events["date"].iloc[i])
            ].sort_values("date", kind="stable")
            if len(own) and own["status"].iloc[-1] == "contested":
                holder = "contested"
            elif len(own) and own["actor_id"].iloc[-1] in actors:
                holder = own["actor_id"].iloc[-1]
        _, segs = front_of(built, states[:, s])
        if segs.size == 0 or land == "unknown":  # no distance from unknown land
            rows.append((holder, np.nan))
            continue
        one = np.repeat(xy[i : i + 1], segs.size, 0)
        d, q = segment_distance(seg_a[segs], seg_b[segs], one)
        qlon, qlat = plane.unproject(q[d.argmin() : d.argmin() + 1])
        rows.append((holder, geodesic_km(lon[i : i + 1], lat[i : i + 1], qlon, qlat)[0]))
    return pd.DataFrame(rows, columns=["holder", "front_km"], index=events.index)


@pytest.mark.parametrize("where", sorted(CENTRES))
@pytest.mark.parametrize(
    ("max_distance_km", "polygons"), [(None, False), (8.0, False), (None, True)]
)
def test_event_context_is_the_plain_ways(where, max_distance_km, polygons):
    """With a maximum distance, land far from every town is no cell: events there are
    located the slow way (and found in none). With admin units, the cells are the units'
    faces cut by the towns' regions, and some events lie on a unit's edge."""
    rng = np.random.default_rng(50 + sorted(CENTRES).index(where))
    conflict = random_conflict(rng, where, polygons=polygons)
    lon0, lat0 = CENTRES[where]
    n = 600
    lon = lon0 + rng.uniform(-0.95, 0.95, n)  # some outside the boundary
    lat = lat0 + rng.uniform(-0.75, 0.75, n)
    geoms = conflict.places.geometry.to_numpy()
    towns = geoms[shapely.get_type_id(geoms) == 0]
    lon[:20], lat[:20] = shapely.get_x(towns[:20]), shapely.get_y(towns[:20])  # on towns
    if polygons:  # on the east edge of unit u0 and the west edge of unit u1
        lon[20:30], lat[20:30] = lon0, lat0 + rng.uniform(-0.5, 0.1, 10)
        lon[30:40], lat[30:40] = lon0 + 0.05, lat0 + rng.uniform(-0.2, 0.5, 10)
    days = pd.date_range("2024-01-02", "2024-02-15", freq="D")
    events = gpd.GeoDataFrame(
        {"date": days[rng.integers(0, days.size, n)]},
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        got = gc.event_context(events, conflict, max_distance_km=max_distance_km)
        want = reference_fronts(conflict, events, max_distance_km)
    assert got["holder"].tolist() == want["holder"].tolist()
    km = got["front_km"].to_numpy()
    np.testing.assert_allclose(km, want["front_km"].to_numpy(), rtol=1e-12, atol=1e-9)
    assert np.isfinite(km).sum() > n / 5  # a front near many of them
