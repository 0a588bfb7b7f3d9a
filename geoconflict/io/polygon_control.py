"""Control records for places from dated control polygons (:func:`control_from_polygons`).

Each place takes, on each snapshot date, the state of the zones (see
:func:`~geoconflict.io.zones.snapshot_zones`) it lies in:

- a **point** place takes the state of the zone it lies in (on a border between two zones,
  either one);
- a **polygon** place takes it by **area share** (measured in an equal-area projection, over
  the part of the place inside ``boundary`` when one is given: a coastal unit's sea does
  not count), with
  two thresholds: the holder whose zones cover at least ``held`` of the place (default 0.5)
  holds it, unless the runner-up actor covers at least ``contested`` (default 0.25): then
  the place is ``contested`` (held by the larger, contested by the other); when no holder
  reaches ``held`` and no two actors reach ``contested``, the place is ``unknown``. The
  share of the holder named is kept in the ``share`` column (for ``unknown``, the share of
  land no actor's zone covers or the source calls unknown);
- land outside every zone of a date belongs to ``outside`` (an actor id: sources such as
  DeepStateMap draw only the occupied side, ``outside="ukraine"``), else it is ``unknown``.

Only changes are emitted: a place's first snapshot date, then each date on which its state
(actor, status, challenger) differs from the snapshot before.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .._inputs import number_option, places_input
from .._kinds import POLYGONAL
from .._schema import (
    ACTOR_ID,
    CONTESTED_BY,
    DATE,
    PLACE_ID,
    SOURCE,
    STATUS,
    UNKNOWN_HOLDER,
    validate_control,
)
from ..errors import OptionError
from ..territory._geometry import equal_area, polygonal, transform
from .report import ReadReport
from .zones import Pieces, clean_snapshots

__all__ = ["control_from_polygons"]

#: Snapshot dates per spatial index when assigning points (bounds the memory of the pairs).
_DATES_PER_STEP = 64


def _holders(pieces: Pieces, outside: str | None) -> tuple[pd.DataFrame, int]:
    """The distinct holders (actor, status, challenger) by holder code, and the code of
    land outside every piece."""
    table = pieces.table
    firsts = table.drop_duplicates("key").sort_values("key")
    holders = firsts[[ACTOR_ID, STATUS, CONTESTED_BY]].astype("string").reset_index(drop=True)
    if outside is not None:
        return holders, _holder_code(holders, outside, "held", None)
    return holders, _holder_code(holders, UNKNOWN_HOLDER, "unknown", None)


def _holder_code(holders: pd.DataFrame, actor: str, status: str, by: object) -> int:
    hit = (
        (holders[ACTOR_ID] == actor)
        & (holders[STATUS] == status)
        & (holders[CONTESTED_BY].fillna("\x00") == (by if isinstance(by, str) else "\x00"))
    )
    found = np.flatnonzero(hit.fillna(False).to_numpy())
    if found.size:
        return int(found[0])
    holders.loc[len(holders)] = [actor, status, by if isinstance(by, str) else pd.NA]
    return len(holders) - 1


def _points(
    geoms: np.ndarray, pieces: Pieces, n_dates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(place, date, holder) for every point lying in a piece, a few dates at a time; where
    pieces overlap, the one drawn on top."""
    date_code = pieces.table["date_code"].to_numpy()
    key = pieces.table["key"].to_numpy()
    tree = shapely.STRtree(geoms)
    out_p, out_d, out_k = [], [], []
    for first in range(0, n_dates, _DATES_PER_STEP):
        step = np.flatnonzero((date_code >= first) & (date_code < first + _DATES_PER_STEP))
        if not step.size:
            continue
        # the pieces are the query geometries: prepared once, each tested against the points
        z, p = tree.query(pieces.geoms[step], predicate="intersects")
        z = step[z]
        order = np.lexsort((pieces.priority[z], date_code[z], p))
        p, z = p[order], z[order]
        first_hit = np.r_[True, (p[1:] != p[:-1]) | (date_code[z][1:] != date_code[z][:-1])]
        out_p.append(p[first_hit])
        out_d.append(date_code[z][first_hit])
        out_k.append(key[z][first_hit])
    if not out_p:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(out_p), np.concatenate(out_d), np.concatenate(out_k)


def _overlaps(pieces: Pieces) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (below, above) of pieces of one date whose interiors meet, ``above`` drawn on
    top (lower priority). Each distinct pair of polygons is compared once."""
    geoms = pieces.geoms
    date_code = pieces.table["date_code"].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms)  # boxes: cheap, then the few exact
    keep = (date_code[left] == date_code[right]) & (pieces.priority[right] < pieces.priority[left])
    left, right = left[keep], right[keep]
    if not left.size:
        return left, right
    codes = pieces.codes
    pair, first = pd.factorize(pd.Series(codes[left] * (codes.max() + 1) + codes[right]))
    one = pd.Series(np.arange(left.size)).groupby(pair).first().to_numpy()
    shapely.prepare(geoms)
    meet_one = shapely.intersects(geoms[left[one]], geoms[right[one]])  # prepared: cheap
    touching = np.flatnonzero(meet_one)
    meet_one[touching] = shapely.relate_pattern(
        geoms[left[one][touching]], geoms[right[one][touching]], "T********"
    )
    meet = meet_one[pair]
    return left[meet], right[meet]


def _shapes(pieces: Pieces, below: np.ndarray, above: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The land each piece gives once the pieces drawn above it are cut out: distinct shapes
    and each piece's shape. Sources redraw most polygons unchanged from date to date, so
    each distinct (polygon, polygons above it) is cut once."""
    codes = pieces.codes
    shapes = list(pieces.geoms[pd.Series(np.arange(len(codes))).groupby(codes).first()])
    shape_of = codes.astype(np.int64)
    if below.size:
        order = np.argsort(below, kind="stable")
        below, above = below[order], above[order]
        starts = np.flatnonzero(np.r_[True, below[1:] != below[:-1]])
        cut: dict[tuple[int, tuple[int, ...]], int] = {}
        for piece, covers in zip(below[starts], np.split(above, starts[1:]), strict=True):
            key = (int(codes[piece]), tuple(sorted({int(c) for c in codes[covers]})))
            if key not in cut:
                cover = shapely.union_all(pieces.geoms[covers])
                rest = shapely.difference(pieces.geoms[piece], cover)
                shapes.append(polygonal(np.array([rest], dtype=object))[0])
                cut[key] = len(shapes) - 1
            shape_of[piece] = cut[key]
    return np.array(shapes, dtype=object), shape_of


def _crossing_areas(
    geoms: np.ndarray,
    shapes: np.ndarray,
    p: np.ndarray,
    s: np.ndarray,
    forward: pyproj.Transformer,
) -> np.ndarray:
    """Area of each place ``p`` that shape ``s`` covers, where its edge crosses the place.

    The shape is first cut to the place's box (a linear pass); a source that redraws its
    polygons from date to date mostly leaves a place's neighbourhood unchanged, so each
    distinct (place, cut) is overlaid once.
    """
    if not p.size:
        return np.zeros(0)
    box = shapely.bounds(geoms[p])
    near = np.array(
        [shapely.clip_by_rect(g, *b) for g, b in zip(shapes[s], box, strict=True)], dtype=object
    )
    bad = ~shapely.is_valid(near)
    near[bad] = polygonal(shapely.make_valid(near[bad]))
    key = pd.MultiIndex.from_arrays([p, shapely.to_wkb(near)])
    which, _ = pd.factorize(key)
    one = pd.Series(np.arange(p.size)).groupby(which).first().to_numpy()
    parts = shapely.intersection(geoms[p[one]], near[one])
    return shapely.area(transform(parts, forward))[which]


def _shares(
    geoms: np.ndarray,
    pieces: Pieces,
    skip: np.ndarray,
    overlaps: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Area share of each polygon place held by each holder on each date (equal-area).

    The pieces of a date are first made disjoint (the ones drawn on top cut out of the
    others), so that a place's shares add up; each distinct shape is overlaid with each
    place it crosses once, whatever the number of dates it appears on. ``skip`` marks
    pieces that cannot change a share (the ``outside`` holder's, overlapping no other).
    """
    below, above = overlaps
    shapes, shape_of = _shapes(pieces, below, above)
    if pieces.region is not None:  # only land inside the boundary counts (not the sea)
        region = pieces.region
        shapely.prepare(region)
        crossing = ~shapely.contains_properly(region, geoms)
        if crossing.any():
            geoms = geoms.copy()
            inside = polygonal(shapely.intersection(geoms[crossing], region))
            geoms[crossing] = np.where(shapely.is_empty(inside), geoms[crossing], inside)
    used = np.unique(shape_of[~skip])
    tree = shapely.STRtree(geoms)
    shapely.prepare(shapes[used])
    s, p = tree.query(shapes[used], predicate="intersects")
    s = used[s]
    bounds = shapely.total_bounds(geoms)
    _, forward, _ = equal_area(
        round(float(bounds[0] + bounds[2]) / 2, 1), round(float(bounds[1] + bounds[3]) / 2, 1)
    )
    whole = shapely.area(transform(geoms, forward))
    area = whole[p].copy()
    inside = shapely.contains_properly(shapes[s], geoms[p])
    shapely.prepare(geoms)
    within = ~inside & shapely.contains_properly(geoms[p], shapes[s])
    area[within] = shapely.area(transform(shapes[s[within]], forward))
    area[~inside & ~within] = _crossing_areas(
        geoms, shapes, p[~inside & ~within], s[~inside & ~within], forward
    )
    share = np.divide(area, whole[p], out=np.zeros(p.size), where=whole[p] > 0)
    share = np.clip(share, 0.0, 1.0)  # rounding in the overlay can pass 1 by 1e-12
    by_shape = pd.DataFrame({"shape": s, "place": p, "share": share})
    table = pieces.table
    dated = pd.DataFrame(
        {
            "shape": shape_of[~skip],
            "date": table["date_code"].to_numpy()[~skip],
            "key": table["key"].to_numpy()[~skip],
        }
    )
    out = dated.merge(by_shape, on="shape")[["place", "date", "key", "share"]]
    out = out.groupby(["place", "date", "key"], sort=False, as_index=False)["share"].sum()
    out["share"] = out["share"].clip(upper=1.0)
    return out


def _redundant(
    pieces: Pieces, outside_code: int, overlaps: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Pieces of the holder of land outside every piece that overlap no other holder's
    piece of their date: the land they give is that holder's anyway."""
    key = pieces.table["key"].to_numpy()
    mine = key == outside_code
    if not mine.any():
        return mine
    below, above = overlaps
    other = key[below] != key[above]
    touched = np.zeros(len(key), dtype=bool)
    touched[below[other]] = True
    touched[above[other]] = True
    return mine & ~touched


def _decide(
    shares: pd.DataFrame,
    holders: pd.DataFrame,
    outside_code: int,
    held: float,
    contested: float,
) -> pd.DataFrame:
    """Each (place, date)'s holder code and share from the shares of its holders."""
    covered = shares.groupby(["place", "date"], sort=False)["share"].sum()
    rest = (1.0 - covered).clip(lower=0.0)
    rest = rest[rest > 1e-9]
    extra = pd.DataFrame(
        {
            "place": rest.index.get_level_values(0),
            "date": rest.index.get_level_values(1),
            "key": outside_code,
            "share": rest.to_numpy(),
        }
    )
    shares = pd.concat([shares, extra], ignore_index=True)
    shares = shares.groupby(["place", "date", "key"], sort=False, as_index=False)["share"].sum()
    shares = shares.sort_values(["place", "date", "share"], ascending=[True, True, False])
    top = shares.drop_duplicates(["place", "date"], keep="first").reset_index(drop=True)
    out = top.copy()
    low = (top["share"] < held).to_numpy()
    actor_of = holders[ACTOR_ID].to_numpy(dtype=object)
    status_of = holders[STATUS].to_numpy(dtype=object)
    # actors' held land, the runner-up deciding whether the place is contested
    is_actor = (status_of != "unknown") & (actor_of != UNKNOWN_HOLDER)
    by_actor = shares[is_actor[shares["key"].to_numpy()]].assign(
        actor=lambda f: actor_of[f["key"].to_numpy()]
    )
    by_actor = by_actor.groupby(["place", "date", "actor"], as_index=False, sort=False)[
        "share"
    ].sum()
    by_actor = by_actor.sort_values(["place", "date", "share"], ascending=[True, True, False])
    rank = by_actor.groupby(["place", "date"], sort=False).cumcount()
    first = by_actor[rank == 0].set_index(["place", "date"])
    second = by_actor[rank == 1].set_index(["place", "date"])
    pair = first.merge(second, left_index=True, right_index=True, suffixes=("_1", "_2"))
    pair = pair[(pair["share_2"] >= contested) & (pair["share_1"] >= contested)]
    index = pd.MultiIndex.from_frame(top[["place", "date"]])
    fight = index.isin(pair.index)
    if fight.any():
        chosen = pair.reindex(index[fight])
        pairs = pd.MultiIndex.from_arrays([chosen["actor_1"], chosen["actor_2"]])
        which, distinct = pd.factorize(pairs)
        found = np.array(
            [_holder_code(holders, a, "contested", b) for a, b in distinct], dtype=np.int64
        )  # one lookup per distinct pair of actors, not per place
        codes = found[which]
        out.loc[fight, "key"] = codes
        out.loc[fight, "share"] = chosen["share_1"].to_numpy()
    vague = low & ~fight
    if vague.any():
        unknown = _holder_code(holders, UNKNOWN_HOLDER, "unknown", None)
        said = shares[~is_actor[shares["key"].to_numpy()]]
        said = said.groupby(["place", "date"], sort=False)["share"].sum()
        out.loc[vague, "key"] = unknown
        out.loc[vague, "share"] = said.reindex(index[vague]).fillna(0.0).to_numpy()
    return out


def control_from_polygons(
    places: gpd.GeoDataFrame,
    snapshots: object,
    *,
    outside: str | None = None,
    held: float = 0.5,
    contested: float = 0.25,
    boundary: object = None,
    overlap: str = "smallest",
    date: str = DATE,
    actor: str = ACTOR_ID,
    status: str = STATUS,
    contested_by: str = CONTESTED_BY,
    source: str | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Control records for places from dated control polygons (see the module docstring).

    Parameters
    ----------
    places : GeoDataFrame
        Places indexed by ``place_id``: points and polygons.
    snapshots : GeoDataFrame, or path of a folder or GeoPackage
        Polygons with a date, an actor and optionally a status, cleaned with
        :func:`~geoconflict.io.zones.snapshot_zones` (which takes ``date``, ``actor``,
        ``status``, ``contested_by``, ``boundary`` and ``overlap``).
    outside : str, optional
        The actor holding land outside every polygon of a date; default: ``unknown``.
    held, contested : float
        Area shares (0..1) for polygon places: the holder covering at least ``held`` holds
        the place, unless the runner-up actor covers at least ``contested``.
    boundary : polygon, GeoDataFrame or path, optional
        Clip the snapshots to it (polygons wholly outside are dropped with a note); polygon
        places wholly outside it get no record, and the report names them (a town point
        off a generalised coast keeps the state of the polygon it lies in).
    overlap : {"smallest", "last", "first"}
        Which of two overlapping polygons of one date is on top (see ``snapshot_zones``).
    date, actor, status, contested_by : str
        The snapshots' columns.
    source : str, optional
        Written to every record's ``source`` column (e.g. the source's name and URL).

    Returns
    -------
    control : DataFrame
        A validated control table: ``place_id``, ``actor_id``, ``date``, ``status``,
        ``contested_by``, ``share`` (area share of the holder named; missing for points)
        and ``source`` when given, only where a place's state changes.
    report : ReadReport
        The snapshot polygons left out, repaired or dropped, and why.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from geoconflict.places import make_places
    >>> towns = make_places(["a", "b"], ["A", "B"], [30.5, 35.5], [47.5, 47.5])
    >>> snaps = gpd.GeoDataFrame({
    ...     "date": ["2024-01-01", "2024-02-01"], "actor_id": ["russia", "russia"],
    ...     "geometry": [shapely.box(30, 47, 31, 48), shapely.box(34, 47, 36, 48)]}, crs=4326)
    >>> control, report = control_from_polygons(towns, snaps, outside="ukraine")
    >>> control[["place_id", "actor_id", "date"]].astype(str).values.tolist()
    [['a', 'russia', '2024-01-01'], ['b', 'ukraine', '2024-01-01'], \
['a', 'ukraine', '2024-02-01'], ['b', 'russia', '2024-02-01']]
    """
    places = places_input(places, function="control_from_polygons")
    held = number_option(held, function="control_from_polygons", argument="held")
    contested = number_option(contested, function="control_from_polygons", argument="contested")
    if not (0 < held <= 1 and 0 < contested <= held):
        raise OptionError(
            f"control_from_polygons: need 0 < contested <= held <= 1, got held={held}, "
            f"contested={contested}. Fix: e.g. held=0.5, contested=0.25."
        )
    pieces = clean_snapshots(
        snapshots,
        date=date,
        actor=actor,
        status=status,
        contested_by=contested_by,
        boundary=boundary,
        overlap=overlap,
    )
    dates = pieces.dates
    holders, outside_code = _holders(pieces, outside)
    geoms = places.geometry.to_numpy()
    n_places, n_dates = len(places), len(dates)
    state = np.full((n_places, n_dates), outside_code, dtype=np.int32)
    share = np.full((n_places, n_dates), np.nan, dtype=np.float32)
    polygon = np.isin(shapely.get_type_id(geoms), POLYGONAL)
    spots = np.flatnonzero(~polygon)
    if spots.size and len(pieces.geoms):
        p, d, k = _points(geoms[spots], pieces, n_dates)
        state[spots[p], d] = k
    areas = np.flatnonzero(polygon)
    if areas.size:
        share[areas] = 1.0  # wholly outside every piece until found in one
        if len(pieces.geoms):
            overlaps = _overlaps(pieces)
            skip = _redundant(pieces, outside_code, overlaps)
            found = _shares(geoms[areas], pieces, skip, overlaps)
            decided = _decide(found, holders, outside_code, held, contested)
            rows = areas[decided["place"].to_numpy()]
            cols = decided["date"].to_numpy()
            state[rows, cols] = decided["key"].to_numpy()
            share[rows, cols] = decided["share"].to_numpy()
    changed = np.ones((n_places, n_dates), dtype=bool)
    changed[:, 1:] = state[:, 1:] != state[:, :-1]
    # no holder for a unit wholly off the map (a town just off a generalised coast keeps
    # the state of the polygon it lies in)
    away = _beyond(geoms, pieces.region) & polygon
    changed[away] = False
    d_at, p_at = np.nonzero(changed.T)  # date-major: the records come sorted by date
    codes = state[p_at, d_at]
    control = pd.DataFrame(
        {
            PLACE_ID: places.index.to_numpy()[p_at],
            ACTOR_ID: holders[ACTOR_ID].to_numpy(dtype=object)[codes],
            DATE: dates.to_numpy()[d_at],
            STATUS: holders[STATUS].to_numpy(dtype=object)[codes],
            CONTESTED_BY: holders[CONTESTED_BY].to_numpy(dtype=object)[codes],
            "share": share[p_at, d_at].astype(float),
        }
    )
    control[STATUS] = control[STATUS].where(control[STATUS] != "unknown", "held")
    if source is not None:
        control[SOURCE] = source
    control = validate_control(control, source="control_from_polygons")
    return control, _note_beyond(pieces.report, places, away)


def _beyond(geoms: np.ndarray, region: shapely.Geometry | None) -> np.ndarray:
    """Which places lie wholly outside the boundary (none without one)."""
    if region is None:
        return np.zeros(len(geoms), dtype=bool)
    shapely.prepare(region)
    return ~shapely.intersects(region, geoms) & ~shapely.is_empty(geoms)


def _note_beyond(report: ReadReport, places: pd.DataFrame, away: np.ndarray) -> ReadReport:
    """Name the polygon places left without records: wholly outside the boundary."""
    if not away.any():
        return report
    names = (places["name"] if "name" in places else places.index.to_series()).astype(str)
    at = np.flatnonzero(away)
    shown = ", ".join(names.to_numpy()[at[:8]]) + (", ..." if at.size > 8 else "")
    note = (
        f"{at.size} polygon place(s) lie wholly outside the boundary and get no record: "
        f"{shown}. "
        "Fix: check their geometry (an outline drawn off the coast, swapped coordinates) or "
        "widen the boundary"
    )
    return dataclasses.replace(report, notes=(*report.notes, note))
