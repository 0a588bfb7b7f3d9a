"""Dated control polygons ("the occupied area on date X"): read, cleaned, one zone per holder.

Much control data is drawn, not listed: a set of polygons per date (DeepStateMap, ISW/CTP,
hand-drawn GIS layers), each saying who holds the land inside it. :func:`read_control_polygons`
reads such a folder or GeoPackage into one table; :func:`snapshot_zones` cleans it into the
tidy zones that :func:`~geoconflict.io.polygon_control.control_from_polygons` gives places
their records from, and that can be kept as the land itself on their dates:

- features that are not polygons (unit markers, arrows) and polygons without an actor are
  left out, and said so in the report;
- invalid rings are repaired (``shapely.make_valid``, polygon parts kept) and reported;
- with a ``boundary``, polygons are clipped to it and those wholly outside are dropped with a
  note (DeepStateMap also draws occupied areas far from Ukraine);
- **overlaps** between polygons of one date that name different holders are resolved by one
  stated rule, ``overlap=``: ``"smallest"`` (default) draws the smaller polygon on top, so a
  grey zone drawn inside an occupied zone is the grey zone; ``"last"`` / ``"first"`` put the
  later / earlier row of the table on top (the order a GIS draws layers);
- the polygons of each date and holder (``actor_id``, ``status``, ``contested_by``) are
  dissolved into one zone.

The result has one row per date and holder: ``date``, ``actor_id``, ``status``,
``contested_by``, ``area_km2`` (equal-area) and ``geometry`` (EPSG:4326), and no two zones of
one date overlap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .._kinds import is_polygonal
from .._schema import ACTOR_ID, CONTESTED_BY, CRS, DATE, STATUS, STATUSES, UNKNOWN_HOLDER
from .._values import FOREIGN_DATE_FORMATS, parse_dates
from ..errors import (
    ArgumentTypeError,
    DataFileNotFoundError,
    FormatError,
    OptionError,
    SchemaError,
)
from ..territory._geometry import equal_area, polygonal, transform
from ._vector import read_vector
from .report import ReadReport, ReportBuilder

__all__ = ["OVERLAP_RULES", "ZONE_STATUSES", "read_control_polygons", "snapshot_zones"]

#: How overlaps between polygons of one date that name different holders are resolved.
OVERLAP_RULES = ("smallest", "last", "first")
#: The states a polygon may give: a control status, or ``unknown`` (the source says it does
#: not know who holds the land: a grey zone).
ZONE_STATUSES = (*STATUSES, UNKNOWN_HOLDER)

_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".parquet", ".geoparquet")


def _date_of_name(stem: str) -> pd.Timestamp | None:
    """A date from a file or layer name: ISO (``2024-12-05``, ``20241205``, with anything
    around it) or Unix time in seconds (9-10 digits) or milliseconds (12-13 digits), UTC."""
    # digits bounded by non-digits: "ds_1620101234" is Unix time, not 1620-10-12
    unix = re.search(r"(?<!\d)(\d{9,10}|\d{12,13})(?!\d)", stem)
    if unix:
        digits = unix.group(1)
        return pd.Timestamp(int(digits), unit="s" if len(digits) <= 10 else "ms")
    iso = re.search(r"(?<!\d)((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?!\d)", stem)
    if iso:
        try:
            return pd.Timestamp(f"{iso.group(1)}-{iso.group(2)}-{iso.group(3)}")
        except ValueError:
            return None
    return None


def read_control_polygons(
    path: str | os.PathLike[str], *, date: str = DATE, layers: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    """Read dated control polygons from a folder of vector files or a multi-layer GeoPackage.

    Each file (or layer) is one snapshot. Its date is its ``date`` column when it has one,
    else its name: an ISO date anywhere in it (``occupied_2024-12-05.geojson``,
    ``20241205``) or Unix time in seconds or milliseconds (DeepStateMap's archive names its
    files so: ``1667341666.geojson`` is 2022-11-01 22:27 UTC). Times are kept to the day
    (UTC): a snapshot published at 22:27 is the state on that day.

    Every column of the files is kept, so the user can map them to actors (a source's
    feature names are its own vocabulary: see the "Your own war" guide for a recipe).

    Parameters
    ----------
    path : path-like
        A folder (its ``.geojson``, ``.json``, ``.gpkg``, ``.shp``, ``.fgb`` and
        ``.parquet`` files, in name order) or a GeoPackage (its layers).
    date : str
        The date column, when the files have one.
    layers : sequence of str, optional
        Only these files (by name without suffix) or layers.

    Returns
    -------
    GeoDataFrame
        Every feature of every snapshot, with ``date`` (day, naive UTC), ``snapshot`` (the
        file or layer name) and the files' own columns, in EPSG:4326.

    Raises
    ------
    DataFileNotFoundError
        When the path does not exist.
    FormatError
        When the folder holds no vector files, or a snapshot has neither a date column nor
        a date in its name.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd, shapely
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for day in ("2024-01-01", "2024-02-01"):
    ...     gpd.GeoDataFrame({"name": ["Occupied"]}, geometry=[shapely.box(30, 47, 31, 48)],
    ...                      crs=4326).to_file(folder / f"front_{day}.geojson")
    >>> snaps = read_control_polygons(folder)
    >>> snaps[["date", "snapshot"]].astype(str).values.tolist()
    [['2024-01-01', 'front_2024-01-01'], ['2024-02-01', 'front_2024-02-01']]
    """
    source = Path(path)
    if not source.exists():
        raise DataFileNotFoundError(f"{source}: no such file or folder. Fix: check the path.")
    parts: list[tuple[str, gpd.GeoDataFrame]] = []
    if source.is_dir():
        files = sorted(
            f for f in source.iterdir() if f.is_file() and f.suffix.lower() in _VECTOR_SUFFIXES
        )
        if layers is not None:
            files = [f for f in files if f.stem in set(layers)]
        if not files:
            raise FormatError(
                f"{source}: the folder holds no vector files ({', '.join(_VECTOR_SUFFIXES)}). "
                "Fix: name the folder of dated snapshots, one file per date."
            )
        parts = [(f.stem, read_vector(f)) for f in files]
    else:
        try:
            names = [str(row[0]) for row in pyogrio.list_layers(source)]
        except Exception as exc:  # pyogrio raises its own errors for foreign files
            raise FormatError(
                f"{source}: could not list its layers ({str(exc).splitlines()[0][:160]}). "
                "Fix: pass a GeoPackage with one layer per date, or a folder of files."
            ) from None
        if layers is not None:
            kept = [n for n in names if n in set(layers)]
            if not kept:
                raise FormatError(
                    f"{source}: no layer named {list(layers)[:6]} (it has {names[:6]}). Fix: "
                    "pass layers= with names it has, or leave it out to read every layer."
                )
            names = kept
        if not names:
            raise FormatError(
                f"{source}: the file holds no layer. Fix: pass a GeoPackage with one layer "
                "per date, or a folder of files."
            )
        parts = [(n, read_vector(source, layer=n)) for n in names]
    frames = []
    for name, frame in parts:
        frame = frame.copy()
        if date in frame.columns:
            frame[DATE] = frame[date]
        else:
            when = _date_of_name(name)
            if when is None:
                raise FormatError(
                    f"{source}: snapshot {name!r} has no {date!r} column and no date in its "
                    "name. Fix: name each file or layer by its date (2024-12-05, or Unix "
                    f"seconds), or give the features a date column (date='<column>')."
                )
            frame[DATE] = when.normalize()
        frame["snapshot"] = name
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=CRS)
    if date != DATE and date in out.columns:
        out = out.drop(columns=[date])
    front = [DATE, "snapshot"]
    return out[front + [c for c in out.columns if c not in front]]


@dataclass
class Pieces:
    """Cleaned snapshot polygons: ``table`` (``date``, ``actor_id``, ``status``,
    ``contested_by``, ``date_code`` into ``dates``, ``key`` = holder code), their
    ``geoms`` (EPSG:4326, not clipped), their drawing ``priority`` (lowest on top), every
    snapshot date read, the boundary and the report."""

    table: pd.DataFrame
    geoms: np.ndarray
    priority: np.ndarray
    dates: pd.DatetimeIndex
    region: shapely.Geometry | None
    report: ReadReport

    @cached_property
    def codes(self) -> np.ndarray:
        """The same code for pieces of identical geometry (sources redraw most polygons
        unchanged from date to date)."""
        return pd.factorize(pd.Series(shapely.to_wkb(self.geoms)))[0].astype(np.int64)


def _snapshots_input(snapshots: object, *, date: str) -> gpd.GeoDataFrame:
    if isinstance(snapshots, (str, os.PathLike)):
        return read_control_polygons(snapshots, date=date)
    if isinstance(snapshots, pd.DataFrame) and not (
        isinstance(snapshots, gpd.GeoDataFrame) and snapshots.geometry.name in snapshots
    ):
        raise SchemaError(
            f"snapshots: missing column 'geometry'; got {[str(c) for c in snapshots.columns]}. "
            "Fix: pass a GeoDataFrame of the dated polygons, e.g. geopandas.read_file(path)."
        )
    if not isinstance(snapshots, gpd.GeoDataFrame):
        raise ArgumentTypeError(
            f"snapshots must be a GeoDataFrame of dated polygons, a folder or a GeoPackage, "
            f"got {type(snapshots).__name__}. Fix: pass read_control_polygons(<folder>) "
            "with an actor column added."
        )
    if snapshots.crs is None:
        raise FormatError(
            "snapshots: the GeoDataFrame has no CRS. Fix: set it, e.g. "
            "snapshots.set_crs(4326) for longitudes and latitudes."
        )
    return snapshots.to_crs(CRS) if not snapshots.crs.equals(CRS) else snapshots


def _boundary_shape(boundary: object) -> shapely.Geometry | None:
    if boundary is None:
        return None
    if isinstance(boundary, (str, os.PathLike)):
        boundary = read_vector(boundary)
    if isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries):
        series = boundary.geometry if isinstance(boundary, gpd.GeoDataFrame) else boundary
        if series.crs is not None and not series.crs.equals(CRS):
            series = series.to_crs(CRS)
        boundary = shapely.union_all(shapely.make_valid(series.to_numpy()))
    if not isinstance(boundary, shapely.Geometry) or not is_polygonal(boundary):
        raise ArgumentTypeError(
            f"boundary must be a polygon, a GeoDataFrame of polygons or a file, got "
            f"{type(boundary).__name__}. Fix: pass e.g. the country's outline."
        )
    return boundary


def _layer_order(
    geoms: np.ndarray, dates: np.ndarray, keys: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """Cut from each polygon the polygons of the same date and another holder drawn on top
    of it (a lower ``priority``): no two holders' polygons of one date overlap after."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms)  # boxes only: most pairs are of other dates
    above = (
        (left != right)
        & (dates[left] == dates[right])
        & (keys[left] != keys[right])
        & (priority[right] < priority[left])
    )
    left, right = left[above], right[above]
    meet = shapely.intersects(geoms[left], geoms[right])
    left, right = left[meet], right[meet]
    if not left.size:
        return geoms
    out = geoms.copy()
    order = np.argsort(left, kind="stable")
    left, right = left[order], right[order]
    starts = np.flatnonzero(np.r_[True, left[1:] != left[:-1]])
    groups = np.split(right, starts[1:])
    # one union per covered polygon (few: most polygons overlap nothing of another holder)
    covers = np.array([shapely.union_all(geoms[g]) for g in groups], dtype=object)
    out[left[starts]] = shapely.difference(geoms[left[starts]], covers)
    return polygonal(out)


def snapshot_zones(
    snapshots: object,
    *,
    date: str = DATE,
    actor: str = ACTOR_ID,
    status: str = STATUS,
    contested_by: str = CONTESTED_BY,
    boundary: object = None,
    overlap: str = "smallest",
    outside: str | None = None,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Dated control polygons cleaned into one zone per date and holder.

    See the module docstring for every step (what is left out, repaired, clipped, and the
    overlap rule).

    Parameters
    ----------
    snapshots : GeoDataFrame, or path of a folder or GeoPackage
        Polygons with a date, an actor and optionally a status (and a challenger for
        contested land). A path is read with :func:`read_control_polygons`, whose files must
        then carry the actor column.
    date, actor, status, contested_by : str
        The columns holding each. ``status`` (optional; default ``held``) is one of
        ``held``, ``contested``, ``besieged`` or ``unknown`` (the source does not know who
        holds the land); an ``unknown`` polygon's actor is ``unknown`` whatever its actor
        column says, and a polygon whose actor is ``unknown`` has status ``unknown``.
    boundary : polygon, GeoDataFrame or path, optional
        Clip the zones to it; polygons wholly outside are dropped with a note.
    overlap : {"smallest", "last", "first"}
        Which of two overlapping polygons of one date with different holders is on top.
    outside : str, optional
        The actor holding the land of ``boundary`` that no polygon of a date covers (sources
        such as DeepStateMap draw only the occupied side): each date gets a zone of it.
        Needs ``boundary``.

    Returns
    -------
    zones : GeoDataFrame
        ``date``, ``actor_id``, ``status``, ``contested_by``, ``area_km2``, ``geometry``,
        sorted by date then actor: one row per date and holder, no overlaps within a date.
        Land the source calls unknown is a zone of actor ``unknown`` (status ``held``), as in
        control records, so the table can be passed as :class:`~geoconflict.Conflict`'s
        ``zones``.
    report : ReadReport
        Per input row (counted from 1): what was left out or repaired and why.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> snaps = gpd.GeoDataFrame({
    ...     "date": ["2024-01-01", "2024-01-01", "2024-01-01"],
    ...     "actor_id": ["russia", "unknown", "russia"],
    ...     "geometry": [shapely.box(30, 47, 32, 48), shapely.box(31, 47, 31.5, 48),
    ...                  shapely.box(32, 47, 33, 48)]}, crs=4326)
    >>> zones, report = snapshot_zones(snaps)
    >>> zones[["actor_id", "status"]].values.tolist()
    [['russia', 'held'], ['unknown', 'held']]
    >>> round(zones.geometry.iloc[0].area, 2)  # 3 x 1 degrees less the grey strip
    2.5
    """
    pieces = clean_snapshots(
        snapshots,
        date=date,
        actor=actor,
        status=status,
        contested_by=contested_by,
        boundary=boundary,
        overlap=overlap,
    )
    if outside is not None and pieces.region is None:
        raise OptionError(
            "snapshot_zones: outside= needs boundary=, the land whose uncovered part the "
            "outside holder holds. Fix: pass boundary=<the country's outline>."
        )
    zones = _dissolve(pieces)
    if outside is not None:
        zones = _with_outside(zones, pieces, outside)
    zones[STATUS] = zones[STATUS].mask(zones[STATUS] == UNKNOWN_HOLDER, "held")
    zones.attrs["dates"] = list(pieces.dates)
    return zones, pieces.report


def _with_outside(zones: gpd.GeoDataFrame, pieces: Pieces, outside: str) -> gpd.GeoDataFrame:
    """One more zone per date: the boundary's land that no zone of that date covers."""
    region = cast(shapely.Geometry, pieces.region)
    covered = zones.groupby(DATE, sort=True).geometry.agg(lambda g: shapely.union_all(g.values))
    dates = pd.DatetimeIndex(pieces.dates)
    drawn = covered.reindex(dates)
    rest = np.array(
        [
            region if not isinstance(g, shapely.Geometry) else shapely.difference(region, g)
            for g in drawn.to_numpy()
        ],
        dtype=object,
    )
    rest = polygonal(shapely.make_valid(rest))
    keep = ~shapely.is_empty(rest)
    bounds = shapely.total_bounds(rest[keep]) if keep.any() else np.zeros(4)
    _, forward, _ = equal_area(
        round(float(bounds[0] + bounds[2]) / 2, 1), round(float(bounds[1] + bounds[3]) / 2, 1)
    )
    extra = gpd.GeoDataFrame(
        {
            DATE: dates[keep],
            ACTOR_ID: pd.array([outside] * int(keep.sum()), dtype="string"),
            STATUS: pd.array(["held"] * int(keep.sum()), dtype="string"),
            CONTESTED_BY: pd.array([pd.NA] * int(keep.sum()), dtype="string"),
            "area_km2": shapely.area(transform(rest[keep], forward)) / 1e6,
        },
        geometry=gpd.GeoSeries(rest[keep], crs=CRS),
    )
    out = pd.concat([zones, extra], ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)
    # the outside holder's drawn zone of a date and its undrawn land are one zone (disjoint:
    # the areas add up)
    keys = [DATE, ACTOR_ID, STATUS, CONTESTED_BY]
    if out.duplicated(keys, keep=False).any():
        grouped = out.groupby(keys, sort=False, dropna=False)
        merged = grouped.agg(area_km2=("area_km2", "sum")).reset_index()
        shapes = grouped.geometry.agg(lambda g: shapely.union_all(g.values))
        merged = gpd.GeoDataFrame(
            merged, geometry=gpd.GeoSeries(shapes.to_numpy(), crs=CRS), crs=CRS
        )
        out = merged[[*zones.columns]] if set(zones.columns) <= set(merged.columns) else merged
    return out.sort_values([DATE, ACTOR_ID, STATUS], kind="stable").reset_index(drop=True)


def clean_snapshots(
    snapshots: object,
    *,
    date: str = DATE,
    actor: str = ACTOR_ID,
    status: str = STATUS,
    contested_by: str = CONTESTED_BY,
    boundary: object = None,
    overlap: str = "smallest",
) -> Pieces:
    """The snapshot polygons that give control, checked and repaired, not yet dissolved
    (see :func:`snapshot_zones` for the parameters)."""
    if overlap not in OVERLAP_RULES:
        raise OptionError(
            f"snapshot_zones: overlap must be one of {list(OVERLAP_RULES)}, got {overlap!r}."
        )
    frame = _snapshots_input(snapshots, date=date)
    name = "snapshots" if not isinstance(snapshots, (str, os.PathLike)) else str(snapshots)
    for column, option in ((date, "date"), (actor, "actor")):
        if column not in frame.columns:
            raise OptionError(
                f"{name}: no column {column!r} for the {option} of each polygon; columns: "
                f"{[c for c in frame.columns if c != frame.geometry.name][:12]}. Fix: pass "
                f"{option}='<column>', or add the column (e.g. map the source's feature "
                "names to actor ids)."
            )
    rows = np.arange(1, len(frame) + 1)
    report = ReportBuilder(name, "zones", rows=rows)
    geoms = frame.geometry.to_numpy().copy()
    ok = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    types = shapely.get_type_id(geoms)
    flat = ok & ~np.isin(types, (3, 6, 7))
    report.add(~ok, frame[actor], "no geometry", column="geometry")
    report.add(
        flat,
        pd.Series(np.asarray(shapely.get_type_id(geoms), dtype=object)).map(
            {0: "Point", 1: "LineString", 2: "LinearRing", 4: "MultiPoint", 5: "MultiLineString"}
        ),
        "not a polygon (a marker or line), left out",
        column="geometry",
    )
    ok &= ~flat
    actors = frame[actor].astype("string").str.strip()
    report.add(
        ok & actors.isna().to_numpy(),
        frame[actor],
        "no actor, left out (map every feature you want to a actor id, e.g. 'unknown')",
        column=actor,
    )
    ok &= actors.notna().to_numpy()
    dates = parse_dates(frame[date], report, date, required=True, formats=FOREIGN_DATE_FORMATS)
    dates = dates.dt.normalize()
    ok &= dates.notna().to_numpy()
    if status in frame.columns:
        states = frame[status].astype("string").str.strip().str.lower().fillna("held")
    else:
        states = pd.Series("held", index=frame.index, dtype="string")
    unknown = (states == UNKNOWN_HOLDER) | (actors.str.lower() == UNKNOWN_HOLDER)
    states = states.mask(unknown.fillna(False), UNKNOWN_HOLDER)
    actors = actors.mask(unknown.fillna(False), UNKNOWN_HOLDER)
    bad = ok & ~states.isin(ZONE_STATUSES).fillna(False).to_numpy()
    report.add(
        bad,
        states,
        f"status is not one of {', '.join(ZONE_STATUSES)}, left out",
        column=status,
    )
    ok &= ~bad
    challengers = (
        frame[contested_by].astype("string").str.strip()
        if contested_by in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    lonely = ok & (states == "contested").fillna(False).to_numpy() & challengers.isna().to_numpy()
    report.add(
        lonely,
        states,
        f"contested polygon without a challenger (a {contested_by!r} column), left out",
        column=contested_by,
    )
    ok &= ~lonely
    challengers = challengers.where(states == "contested")
    invalid = ok & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = polygonal(shapely.make_valid(geoms[invalid]))
        reasons = np.full(len(frame), None, dtype=object)
        reasons[invalid] = shapely.is_valid_reason(frame.geometry.to_numpy()[invalid])
        report.add(
            invalid,
            pd.Series(reasons, dtype="string"),
            "invalid ring repaired (shapely.make_valid; polygon parts kept)",
            column="geometry",
            action="repaired",
        )
    region = _boundary_shape(boundary)
    if region is not None and ok.any():
        shapely.prepare(region)
        outside = ok & ~shapely.intersects(region, geoms)
        report.add(
            outside,
            frame[actor],
            "polygon lies wholly outside the boundary, dropped",
            column="geometry",
        )
        ok &= ~outside
        if outside.any():
            report.note(f"{int(outside.sum())} polygon(s) outside the boundary dropped")
    ok &= ~shapely.is_empty(geoms)
    keep = np.flatnonzero(ok)
    kept = pd.DataFrame(
        {
            DATE: dates.to_numpy()[keep],
            ACTOR_ID: actors.to_numpy(dtype=object)[keep],
            STATUS: states.to_numpy(dtype=object)[keep],
            CONTESTED_BY: challengers.to_numpy(dtype=object)[keep],
        }
    )
    geoms = geoms[keep]
    # the order polygons are drawn in: "smallest" by area (lon/lat degrees scaled by the
    # cosine of the latitude: enough to rank them)
    if overlap == "smallest":
        lat = shapely.get_y(shapely.centroid(geoms)) if len(geoms) else np.zeros(0)
        priority = shapely.area(geoms) * np.cos(np.radians(lat))
    elif overlap == "last":
        priority = -np.arange(len(kept), dtype=float)
    else:
        priority = np.arange(len(kept), dtype=float)
    priority = np.argsort(np.argsort(priority, kind="stable"), kind="stable")  # no ties
    # every snapshot date read, also one whose polygons were all left out (all land outside)
    all_dates = pd.DatetimeIndex(sorted(pd.unique(dates.dropna()))).as_unit("ns")
    kept["date_code"] = all_dates.get_indexer(pd.DatetimeIndex(kept[DATE]).as_unit("ns"))
    keys = pd.MultiIndex.from_frame(
        kept[[ACTOR_ID, STATUS, CONTESTED_BY]].astype("string").fillna("\x00")
    )
    kept["key"] = pd.factorize(keys)[0]
    return Pieces(kept, geoms, priority, all_dates, region, report.build(kept=ok))


def _dissolve(pieces: Pieces) -> gpd.GeoDataFrame:
    """Overlaps resolved, one zone per date and holder, clipped to the region (once per
    zone: clipping the pieces first would add the region's vertices to every union)."""
    kept, region = pieces.table, pieces.region
    columns = [DATE, ACTOR_ID, STATUS, CONTESTED_BY]
    if not len(kept):
        empty = pd.DataFrame({c: pd.Series(dtype="string") for c in columns[1:]})
        empty.insert(0, DATE, pd.Series(dtype="datetime64[ns]"))
        empty["area_km2"] = pd.Series(dtype=float)
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=CRS))
    date_codes, key_codes = kept["date_code"].to_numpy(), kept["key"].to_numpy()
    geoms = _layer_order(pieces.geoms, date_codes, key_codes, pieces.priority)
    group = pd.Series(np.arange(len(kept))).groupby([date_codes, key_codes], sort=False)
    members = list(group.indices.values())
    firsts = np.array([m[0] for m in members], dtype=int)
    union = np.array(
        [geoms[m[0]] if len(m) == 1 else shapely.union_all(geoms[m]) for m in members],
        dtype=object,
    )
    union = polygonal(shapely.make_valid(union))
    if region is not None:
        crossing = ~shapely.contains_properly(region, union)
        union[crossing] = polygonal(shapely.intersection(union[crossing], region))
    out = kept.iloc[firsts][columns].reset_index(drop=True)
    bounds = shapely.total_bounds(union)
    _, forward, _ = equal_area(
        round(float(bounds[0] + bounds[2]) / 2, 1), round(float(bounds[1] + bounds[3]) / 2, 1)
    )
    for col in (ACTOR_ID, STATUS, CONTESTED_BY):
        out[col] = out[col].astype("string")
    out["area_km2"] = shapely.area(transform(union, forward)) / 1e6
    zones = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(union, crs=CRS))
    zones = zones[~shapely.is_empty(union)]
    return zones.sort_values([DATE, ACTOR_ID, STATUS], kind="stable").reset_index(drop=True)
