"""ACLED CSV exports: events, and the control changes some of them record.

ACLED (Armed Conflict Location & Event Data) exports one row per event. :func:`read_acled`
maps its columns onto our events table; :func:`control_from_events` turns the sub-event types
"Non-state actor overtakes territory" and "Government regains territory" into control records
at the nearest place.

=====================  ================  ==========================================
ACLED column           our column        notes
=====================  ================  ==========================================
``event_id_cnty``      ``event_id``
``event_date``         ``date``          ``2024-12-05`` or ``05 December 2024``
``latitude``,          ``geometry``      a Point, EPSG:4326
``longitude``
``event_type``         ``event_type``
``sub_event_type``     ``sub_event_type``
``actor1``, ``actor2`` ``actor1``,       names as ACLED writes them
                       ``actor2``
``assoc_actor_1/2``    same
``fatalities``         ``fatalities``    a number; text or negative values left missing
``admin1``, ``admin2``, same
``location``
``geo_precision``      same              1 = the town itself ... 3 = a wider region
``source``, ``notes``  same
=====================  ================  ==========================================
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from .._schema import (
    ACTOR_ID,
    CRS,
    DATE,
    GEOMETRY,
    NOTE,
    PLACE_ID,
    SOURCE,
    STATUS,
    require_columns,
    validate_control,
    validate_events,
)
from ..places import fold_name, place_points
from ._csv import read_text_table
from ._rows import parse_counts, parse_days, parse_points
from .report import ReadReport, ReportBuilder

__all__ = ["CONTROL_SUB_EVENTS", "control_from_events", "read_acled"]

#: ACLED sub-event types that record a change of control, with the side that gains it.
CONTROL_SUB_EVENTS = ("Non-state actor overtakes territory", "Government regains territory")

_COLUMNS = {  # ACLED name -> ours, in the order of our table
    "event_id_cnty": "event_id",
    "event_date": DATE,
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "actor1": "actor1",
    "assoc_actor_1": "assoc_actor_1",
    "actor2": "actor2",
    "assoc_actor_2": "assoc_actor_2",
    "fatalities": "fatalities",
    "admin1": "admin1",
    "admin2": "admin2",
    "location": "location",
    "geo_precision": "geo_precision",
    "source": SOURCE,
    "notes": "notes",
}
_DATE_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d %b %Y")
_GEOD = pyproj.Geod(ellps="WGS84")


def read_acled(path: str | os.PathLike[str], *, keep: Iterable[str] = (),
               delimiter: str = ",", encoding: str = "utf-8"
               ) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read an ACLED CSV export as an events table.

    Parameters
    ----------
    path : path-like
    keep : iterable of str
        More ACLED columns to keep as they are (e.g. ``["interaction", "tags"]``).
    delimiter, encoding : str

    Returns
    -------
    events : GeoDataFrame
        ``event_id``, ``date``, ``event_type``, ``sub_event_type``, ``actor1``, ``actor2``,
        ``fatalities``, ``source``, ``location``, ``notes``, ... and ``geometry`` (points);
        the columns in the table in the module docstring that the file has.
    report : ReadReport
        Rows skipped (missing or unreadable coordinates or dates) and values left missing
        (fatalities that are not numbers).

    Raises
    ------
    SchemaError
        When ``event_date``, ``latitude`` or ``longitude`` is not a column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "acled.csv"
    >>> _ = f.write_text(
    ...     "event_id_cnty,event_date,event_type,sub_event_type,actor1,latitude,longitude,"
    ...     "fatalities\\n"
    ...     "SYR1,05 December 2024,Battles,Non-state actor overtakes territory,HTS,"
    ...     "35.13,36.75,3\\n"
    ...     "SYR2,2024-12-06,Battles,Armed clash,HTS,,36.72,0\\n")
    >>> events, report = read_acled(f)
    >>> events[["event_id", "date", "actor1"]].values.tolist()
    [['SYR1', Timestamp('2024-12-05 00:00:00'), 'HTS']]
    >>> report.skipped[["row", "reason"]].values.tolist()
    [[2, 'coordinates are missing']]
    """
    frame, rows = read_text_table(path, delimiter=delimiter, encoding=encoding)
    frame.columns = [c.lower() for c in frame.columns]
    table = str(path)
    require_columns(frame, ["event_date", "latitude", "longitude"], table=table, options={})
    report = ReportBuilder(table, "events", rows=rows)
    geoms, ok_point = parse_points(frame, "longitude", "latitude", report)
    dates, ok_date = parse_days(frame["event_date"], report, column="event_date",
                                formats=_DATE_FORMATS, expected="2024-12-05 or 05 December 2024")
    ok = ok_point & ok_date
    data: dict[str, object] = {}
    for acled, ours in _COLUMNS.items():
        if acled not in frame.columns:
            continue
        if ours == DATE:
            data[ours] = dates
        elif ours == "fatalities":
            data[ours] = parse_counts(frame[acled], report, column=acled, what="fatalities")
        elif ours == "geo_precision":
            data[ours] = pd.to_numeric(frame[acled], errors="coerce").astype("Int64")
        else:
            data[ours] = frame[acled].astype("string")
    for col in keep:
        if col.lower() in frame.columns and col.lower() not in _COLUMNS:
            data[col.lower()] = frame[col.lower()].astype("string")
    out = gpd.GeoDataFrame(pd.DataFrame(data)[ok].reset_index(drop=True),
                           geometry=gpd.GeoSeries(geoms[ok], crs=CRS))
    events = validate_events(out, source=table, rows=rows[ok])
    return events, report.build(rows_kept=len(events))


def _map_actors(names: pd.Series, actor_map: Mapping[str, str]) -> pd.Series:
    """Our actor ids for ACLED actor names: exact names first, then case/accent-folded."""
    exact = {str(k).strip(): str(v) for k, v in actor_map.items()}
    folded = {fold_name(k): v for k, v in exact.items()}
    unique = pd.unique(names.dropna())
    found = {}
    for name in unique:  # one lookup per distinct name
        key = str(name).strip()
        found[name] = exact.get(key, folded.get(fold_name(key)))
    return names.map(found).astype("string")


def _nearest(events: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each event: the nearest place and its distance in km (vectorised)."""
    projected = gpd.GeoSeries(pd.concat([events.geometry, places.geometry]),
                              crs=CRS).estimate_utm_crs()
    left = gpd.GeoDataFrame({"event": np.arange(len(events))},
                            geometry=events.geometry.to_numpy(), crs=CRS).to_crs(projected)
    right = gpd.GeoDataFrame({"place": places.index.astype(str)},
                             geometry=places.geometry.to_numpy(), crs=CRS).to_crs(projected)
    hits = gpd.sjoin_nearest(left, right, how="left", distance_col="metres")
    hits = hits.sort_values(["event", "metres", "place"], kind="stable")
    hits = hits.drop_duplicates("event").set_index("event").reindex(np.arange(len(events)))
    km = hits["metres"].to_numpy(dtype=float) / 1000.0
    # points: the geodesic distance between the event and the place's point
    lon, lat = place_points(places)
    at = places.index.get_indexer(hits["place"].astype(str))
    point_place = np.asarray(places.geom_type == "Point")[at]
    _, _, metres = _GEOD.inv(events.geometry.x.to_numpy(), events.geometry.y.to_numpy(),
                             lon[at], lat[at])
    km = np.where(point_place, metres / 1000.0, km)
    return pd.DataFrame({PLACE_ID: hits["place"].astype("string").to_numpy(), "distance_km": km})


def control_from_events(events: gpd.GeoDataFrame, places: gpd.GeoDataFrame, *,
                        actor_map: Mapping[str, str], max_distance_km: float = 10.0,
                        sub_event_types: Iterable[str] = CONTROL_SUB_EVENTS
                        ) -> tuple[pd.DataFrame, ReadReport]:
    """Control records from ACLED events that record a change of control.

    For each event whose ``sub_event_type`` is one of ``sub_event_types`` ("Non-state actor
    overtakes territory", "Government regains territory"), ``actor1`` (the side that takes
    the territory) holds the nearest place from the event's date on.

    Parameters
    ----------
    events : GeoDataFrame
        From :func:`read_acled` (``date``, ``sub_event_type``, ``actor1``, ``geometry``).
    places : GeoDataFrame
        Places indexed by ``place_id``.
    actor_map : mapping
        ACLED actor name -> our actor id, e.g.
        ``{"Hayat Tahrir al Sham": "hts", "Military Forces of Syria (2000-2024)":
        "government"}``. Names are matched exactly, then ignoring case and accents.
    max_distance_km : float
        Events farther than this from every place are left out.
    sub_event_types : iterable of str
        The sub-event types that mean a change of control.

    Returns
    -------
    control : DataFrame
        A validated control table: ``place_id``, ``actor_id``, ``date``, ``status``
        (``held``), ``source``, ``note``, plus ``event_id`` (when the events have it) and
        ``distance_km``.
    report : ReadReport
        Events left out: actor not in ``actor_map``, no place within ``max_distance_km``,
        two events giving the same place to different actors on one day, repeats.
        Rows are positions in ``events`` counted from 1.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> from geoconflict.places import make_places
    >>> places = make_places(["hama"], ["Hama"], [36.75], [35.13])
    >>> events = gpd.GeoDataFrame({
    ...     "date": pd.to_datetime(["2024-12-05", "2024-12-06"]),
    ...     "sub_event_type": ["Non-state actor overtakes territory"] * 2,
    ...     "actor1": ["Hayat Tahrir al Sham", "Unknown group"]},
    ...     geometry=[shapely.Point(36.76, 35.14), shapely.Point(36.75, 35.13)], crs=4326)
    >>> control, report = control_from_events(
    ...     events, places, actor_map={"Hayat Tahrir al Sham": "hts"})
    >>> control[["place_id", "actor_id", "date"]].values.tolist()
    [['hama', 'hts', Timestamp('2024-12-05 00:00:00')]]
    >>> report.skipped[["row", "value", "reason"]].values.tolist()
    [[2, 'Unknown group', 'actor not in actor_map']]
    """
    if not np.isfinite(max_distance_km) or max_distance_km <= 0:
        raise ValueError(f"max_distance_km must be a positive number, got {max_distance_km!r}")
    require_columns(events, [DATE, "sub_event_type", "actor1", GEOMETRY],
                    table="table 'events'", options={})
    events = events.reset_index(drop=True)
    report = ReportBuilder("table 'events'", "control", rows=np.arange(1, len(events) + 1))
    wanted = {t.strip().casefold() for t in sub_event_types}
    kind = events["sub_event_type"].astype("string").str.strip().str.casefold()
    chosen = kind.isin(wanted).fillna(False).to_numpy()
    report.note(f"{int(chosen.sum())} of {len(events)} events have a control sub-event type")
    actor = _map_actors(events["actor1"].astype("string"), actor_map)
    unmapped = chosen & actor.isna().to_numpy()
    report.add(unmapped, events["actor1"], "actor not in actor_map", column="actor1")
    usable = chosen & ~unmapped & ~events.geometry.isna().to_numpy()
    report.add(chosen & ~unmapped & events.geometry.isna().to_numpy(), events["actor1"],
               "event has no coordinates", column=GEOMETRY)
    near = pd.DataFrame({PLACE_ID: pd.Series(pd.NA, index=events.index, dtype="string"),
                         "distance_km": np.nan})
    if usable.any() and len(places):
        found = _nearest(events[usable], places)
        near.loc[usable, PLACE_ID] = found[PLACE_ID].to_numpy()
        near.loc[usable, "distance_km"] = found["distance_km"].to_numpy()
    far = usable & ~(near["distance_km"] <= max_distance_km).to_numpy()
    shown = (near[PLACE_ID].fillna("none") + " at " + near["distance_km"].round(1).astype(
        "string").fillna("?") + " km")
    report.add(far, shown, f"no place within max_distance_km={max_distance_km:g} (nearest "
               "shown)", column=GEOMETRY)
    usable &= ~far

    records = pd.DataFrame({
        PLACE_ID: near[PLACE_ID], ACTOR_ID: actor, DATE: events[DATE],
        STATUS: "held",
        SOURCE: (events[SOURCE].astype("string") if SOURCE in events.columns
                 else pd.Series("ACLED", index=events.index, dtype="string")),
        NOTE: ("ACLED: " + events["sub_event_type"].astype("string") + ", "
               + near["distance_km"].round(1).astype("string") + " km from the place"),
    })
    if "event_id" in events.columns:
        records["event_id"] = events["event_id"].astype("string")
    records["distance_km"] = near["distance_km"]
    records = records[usable]
    day = records[DATE].dt.normalize()
    clash = records.groupby([records[PLACE_ID], day])[ACTOR_ID].transform("nunique") > 1
    report.add(clash.to_numpy(), records[ACTOR_ID],
               "events on the same day give this place to different actors",
               column="actor1", rows=records.index.to_numpy() + 1)
    records = records[~clash.to_numpy()]
    repeat = records.duplicated([PLACE_ID, ACTOR_ID, DATE], keep="first").to_numpy()
    report.add(repeat, records[PLACE_ID], "repeats an earlier event (same place, actor and "
               "date)", column=GEOMETRY, rows=records.index.to_numpy() + 1)
    records = records[~repeat].reset_index(drop=True)
    control = validate_control(records, source="table 'events'")
    return control, report.build(rows_kept=len(control))
