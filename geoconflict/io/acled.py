"""ACLED CSV exports: events, and the control changes some of them record.

ACLED (Armed Conflict Location & Event Data) exports one row per event. :func:`read_acled`
maps its columns onto our events table (:data:`ACLED_COLUMNS`, all vintages since the
all-capitals files of 2016 and before); :func:`control_from_events` turns the sub-event types
"Non-state actor overtakes territory" and "Government regains territory" into control records
at the nearest place.

======================  ================  ==========================================
ACLED column            our column        notes
======================  ================  ==========================================
``event_id_cnty``       ``event_id``
``event_date``          ``date``          ``2024-12-05``, ``05 December 2024``,
                                          ``01-January-2015``, ``18/04/2001``
``latitude``,           ``geometry``      a Point, EPSG:4326
``longitude``
``event_type``          ``event_type``    before 2019, "Battle-Government regains
                                          territory" and the like: see below
``sub_event_type``      ``sub_event_type``
``actor1``, ``actor2``  ``actor1``,       names as ACLED writes them
                        ``actor2``
``assoc_actor_1/2``     same              ``ally_actor_1/2`` before 2019
``fatalities``          ``fatalities``    a number; text or negative values left missing
``admin1``..``admin3``, same
``location``
``geo_precision``       same              1 = the town itself ... 3 = a wider region
``source``, ``notes``   same
======================  ================  ==========================================

Column names are matched ignoring case. Cells holding only ``NA`` (how R writes a missing
value) are missing values. A column without a header name (a saved table index) and an HXL
hashtag row under the header (HDX exports) are left out, and said so in the report.

Files from before 2019 have no ``sub_event_type``: their territorial events are event types
("Battle-Government regains territory", "Battle-Non-state actor overtakes territory"). They
get today's event and sub-event types from :data:`OLD_EVENT_TYPES`, so that
:func:`control_from_events` finds them; the original is kept in ``acled_event_type``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from .._inputs import places_input
from .._proj import geod_inv, to_crs
from .._schema import (
    ACTOR_ID,
    CRS,
    DATE,
    GEOMETRY,
    NOTE,
    PLACE_ID,
    SOURCE,
    STATUS,
    as_table,
    require_columns,
    validate_control,
    validate_events,
)
from .._values import parse_points
from ..errors import OptionError, SchemaError
from ..places import fold_name, place_points
from ._columns import Column, find_columns, take_columns
from ._csv import blank_words, read_text_table, split_hashtag_row
from .report import ReadReport, ReportBuilder

__all__ = [
    "ACLED_COLUMNS",
    "CONTROL_SUB_EVENTS",
    "OLD_EVENT_TYPES",
    "control_from_events",
    "read_acled",
]

#: ACLED sub-event types that record a change of control, with the side that gains it.
CONTROL_SUB_EVENTS = ("Non-state actor overtakes territory", "Government regains territory")

#: Our events columns and ACLED's names for them, current name first.
ACLED_COLUMNS = (
    Column("event_id", ("event_id_cnty",)),
    Column(DATE, ("event_date",), "date", required=True),
    Column("event_type", ("event_type",)),
    Column("sub_event_type", ("sub_event_type",)),
    Column("actor1", ("actor1",)),
    Column("assoc_actor_1", ("assoc_actor_1", "ally_actor_1")),
    Column("actor2", ("actor2",)),
    Column("assoc_actor_2", ("assoc_actor_2", "ally_actor_2")),
    Column("fatalities", ("fatalities",), "count", what="fatalities"),
    Column("admin1", ("admin1",)),
    Column("admin2", ("admin2",)),
    Column("admin3", ("admin3",)),
    Column("location", ("location",)),
    Column("geo_precision", ("geo_precision",), "whole"),
    Column(SOURCE, ("source",)),
    Column("notes", ("notes",)),
)
_POINT = {"latitude": ("latitude",), "longitude": ("longitude",)}

#: ACLED's event types before the 2019 revision that today's types split into an event type
#: and a sub-event type (ACLED codebook 2019, "Changes to event types"); keys compared
#: ignoring case and the spaces around the hyphen.
OLD_EVENT_TYPES = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "battle-non-state actors overtake territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "battle-rebels overtake territory": ("Battles", "Non-state actor overtakes territory"),
    "non-violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
}
_DATE_EXAMPLE = "2024-12-05 or 05 December 2024"
_GEOD = pyproj.Geod(ellps="WGS84")


def _old_types(event_type: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Today's event type and sub-event type for pre-2019 event types (missing otherwise)."""
    key = (
        event_type.astype("string")
        .str.strip()
        .str.lower()
        .str.replace(r"\s*-\s*", "-", regex=True)
        .str.replace(r"\s+", " ", regex=True)
    )
    kind = key.map({k: v[0] for k, v in OLD_EVENT_TYPES.items()}).astype("string")
    sub = key.map({k: v[1] for k, v in OLD_EVENT_TYPES.items()}).astype("string")
    return kind, sub


def read_acled(
    path: str | os.PathLike[str],
    *,
    keep: Iterable[str] = (),
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    dayfirst: bool | None = None,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read an ACLED export (CSV, or the Excel file ACLED's site gives) as an events table.

    Parameters
    ----------
    path : path-like
    keep : iterable of str
        More ACLED columns to keep as they are (e.g. ``["interaction", "tags"]``).
    delimiter, encoding : str
        For CSV files.
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``; needs ``geoconflict[excel]``): the sheet, by name
        or position from 0; default: the first.
    dayfirst : bool, optional
        How to read numeric dates that can be read either way (``04/05/2022``): ``True``
        day first, ``False`` month first (US style). Default: decided from the column (its
        unambiguous dates, else the order of its rows); a ``DataWarning`` names the column
        when nothing decides and day first is assumed.

    Returns
    -------
    events : GeoDataFrame
        ``event_id``, ``date``, ``event_type``, ``sub_event_type``, ``actor1``, ``actor2``,
        ``fatalities``, ``source``, ``location``, ``notes``, ... and ``geometry`` (points);
        the columns in the table in the module docstring that the file has.
    report : ReadReport
        Rows skipped (missing or unreadable coordinates or dates), values left missing
        (fatalities that are not numbers) and what was read how (old event types, ``NA``).

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
    frame, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, blank_headers="drop", sheet=sheet
    )
    table = str(path)
    blank = frame.attrs.get("blank_columns", [])
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    names = {**{spec.ours: spec.names for spec in ACLED_COLUMNS}, **_POINT}
    specs = tuple(Column(k, v) for k, v in names.items())
    found = find_columns(frame, specs)
    missing = [
        c
        for c in ("event_date", "latitude", "longitude")
        if (DATE if c == "event_date" else c) not in found
    ]
    if missing:
        require_columns(frame, missing, table=table, options={})
    frame, rows, tags = split_hashtag_row(frame, rows)
    frame, blanked = blank_words(frame)
    report = ReportBuilder(table, "events", rows=rows)
    if blank:
        report.note(
            f"column(s) {blank} have no header name (a saved table index?) and were left out"
        )
    if tags is not None:
        report.note("row 1 holds HXL hashtags, not an event; it was left out")
    if blanked:
        shown = ", ".join(f"{c} {n}" for c, n in blanked.items())
        report.note(
            f"cells holding only 'NA' were read as missing ({shown}): the file was "
            "probably written by R"
        )
    geoms, ok = parse_points(frame, found["longitude"], found["latitude"], report)
    data = take_columns(frame, ACLED_COLUMNS, report, expected=_DATE_EXAMPLE, dayfirst=dayfirst)
    ok &= data[DATE].notna().to_numpy()
    if "sub_event_type" not in data and "event_type" in data:
        kind, sub = _old_types(data["event_type"])
        if sub.notna().any():
            data["acled_event_type"] = data["event_type"]
            data["event_type"] = kind.fillna(data["event_type"])
            data["sub_event_type"] = sub
            report.note(
                f"{int(sub.notna().sum())} event(s) of ACLED's pre-2019 types (e.g. "
                f"{data['acled_event_type'][sub.notna()].iloc[0]!r}) were given "
                "today's event and sub-event types; the original is in "
                "acled_event_type"
            )
    for col in keep:
        if col.lower() in frame.columns and col.lower() not in data:
            data[col.lower()] = frame[col.lower()].astype("string")
    out = gpd.GeoDataFrame(
        pd.DataFrame(data)[ok].reset_index(drop=True), geometry=gpd.GeoSeries(geoms[ok], crs=CRS)
    )
    events = validate_events(out, source=table, rows=rows[ok])
    return events, report.build(kept=ok)


def _sub_event_types(events: pd.DataFrame) -> pd.Series:
    """The events' sub-event types; for pre-2019 tables, derived from the event type."""
    if "sub_event_type" in events.columns:
        return events["sub_event_type"].astype("string")
    if "event_type" in events.columns:
        _, sub = _old_types(events["event_type"])
        if sub.notna().any():
            return sub
        raise SchemaError(
            "table 'events': missing column 'sub_event_type', and its event types are not "
            "ACLED's pre-2019 territorial ones (e.g. 'Battle-Government regains territory'); "
            f"got {list(events.columns)}. Fix: read the export with read_acled, which keeps "
            "sub_event_type (and derives it for files from before 2019)."
        )
    require_columns(events, ["sub_event_type"], table="table 'events'", options={})
    return events["sub_event_type"]  # pragma: no cover - require_columns raised


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
    projected = gpd.GeoSeries(
        pd.concat([events.geometry, places.geometry]), crs=CRS
    ).estimate_utm_crs()
    left = to_crs(
        gpd.GeoDataFrame(
            {"event": np.arange(len(events))}, geometry=events.geometry.to_numpy(), crs=CRS
        ),
        projected,
    )
    right = to_crs(
        gpd.GeoDataFrame(
            {"place": places.index.astype(str)}, geometry=places.geometry.to_numpy(), crs=CRS
        ),
        projected,
    )
    hits = gpd.sjoin_nearest(left, right, how="left", distance_col="metres")
    hits = hits.sort_values(["event", "metres", "place"], kind="stable")
    hits = hits.drop_duplicates("event").set_index("event").reindex(np.arange(len(events)))
    km = hits["metres"].to_numpy(dtype=float) / 1000.0
    # points: the geodesic distance between the event and the place's point
    lon, lat = place_points(places)
    at = places.index.get_indexer(hits["place"].astype(str))
    point_place = np.asarray(places.geom_type == "Point")[at]
    _, _, metres = geod_inv(
        _GEOD, events.geometry.x.to_numpy(), events.geometry.y.to_numpy(), lon[at], lat[at]
    )
    km = np.where(point_place, metres / 1000.0, km)
    return pd.DataFrame({PLACE_ID: hits["place"].astype("string").to_numpy(), "distance_km": km})


def control_from_events(
    events: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    actor_map: Mapping[str, str],
    max_distance_km: float = 10.0,
    sub_event_types: Iterable[str] = CONTROL_SUB_EVENTS,
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
        raise OptionError(f"max_distance_km must be a positive number, got {max_distance_km!r}.")
    events = as_table(events, table="table 'events'")
    needed = [DATE, "actor1", GEOMETRY]
    if "sub_event_type" not in events.columns and "event_type" not in events.columns:
        needed.insert(1, "sub_event_type")
    require_columns(events, needed, table="table 'events'", options={})
    if not (
        isinstance(events, gpd.GeoDataFrame)
        and pd.api.types.is_datetime64_any_dtype(events[DATE].dtype)
    ):
        events = validate_events(events, source="table 'events'")
    places = places_input(places, function="control_from_events")
    events = events.reset_index(drop=True)
    wanted = {t.strip().casefold() for t in sub_event_types}
    sub = _sub_event_types(events)
    chosen = sub.str.strip().str.casefold().isin(wanted).fillna(False).to_numpy()
    # the report covers the events that record a change of control, by position in events
    positions = np.flatnonzero(chosen) + 1
    report = ReportBuilder("table 'events'", "control", rows=positions)
    report.note(f"{len(positions)} of {len(events)} events have a control sub-event type")
    events = events[chosen].reset_index(drop=True)
    sub = sub[chosen].reset_index(drop=True)
    actor = _map_actors(events["actor1"].astype("string"), actor_map)
    unmapped = actor.isna().to_numpy()
    report.add(unmapped, events["actor1"], "actor not in actor_map", column="actor1")
    no_point = events.geometry.isna().to_numpy() | events.geometry.is_empty.to_numpy()
    report.add(~unmapped & no_point, events["actor1"], "event has no coordinates", column=GEOMETRY)
    usable = ~unmapped & ~no_point
    near = pd.DataFrame(
        {PLACE_ID: pd.Series(pd.NA, index=events.index, dtype="string"), "distance_km": np.nan}
    )
    if usable.any() and len(places):
        found = _nearest(events[usable], places)
        near.loc[usable, PLACE_ID] = found[PLACE_ID].to_numpy()
        near.loc[usable, "distance_km"] = found["distance_km"].to_numpy()
    far = usable & ~(near["distance_km"] <= max_distance_km).to_numpy()
    shown = (
        near[PLACE_ID].fillna("none")
        + " at "
        + near["distance_km"].round(1).astype("string").fillna("?")
        + " km"
    )
    report.add(
        far,
        shown,
        f"no place within max_distance_km={max_distance_km:g} (nearest shown)",
        column=GEOMETRY,
    )
    usable &= ~far

    records = pd.DataFrame(
        {
            PLACE_ID: near[PLACE_ID],
            ACTOR_ID: actor,
            DATE: events[DATE],
            STATUS: "held",
            SOURCE: (
                events[SOURCE].astype("string")
                if SOURCE in events.columns
                else pd.Series("ACLED", index=events.index, dtype="string")
            ),
            NOTE: (
                "ACLED: "
                + sub
                + ", "
                + near["distance_km"].round(1).astype("string")
                + " km from the place"
            ),
        }
    )
    if "event_id" in events.columns:
        records["event_id"] = events["event_id"].astype("string")
    records["distance_km"] = near["distance_km"]
    records = records[usable]
    day = records[DATE].dt.normalize()
    clash = records.groupby([records[PLACE_ID], day])[ACTOR_ID].transform("nunique") > 1
    report.add(
        clash.to_numpy(),
        records[ACTOR_ID],
        "events on the same day give this place to different actors",
        column="actor1",
        rows=positions[records.index.to_numpy()],
    )
    records = records[~clash.to_numpy()]
    repeat = records.duplicated([PLACE_ID, ACTOR_ID, DATE], keep="first").to_numpy()
    report.add(
        repeat,
        records[PLACE_ID],
        "repeats an earlier event (same place, actor and date)",
        column=GEOMETRY,
        rows=positions[records.index.to_numpy()],
    )
    records = records[~repeat]
    kept = np.isin(np.arange(len(events)), records.index.to_numpy())
    control = validate_control(records.reset_index(drop=True), source="table 'events'")
    return control, report.build(kept=kept)
