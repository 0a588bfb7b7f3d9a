"""Readers for single tables: user column names are mapped to ours once, on the way in."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._collect import Collector
from .._inputs import actors_input, places_input
from .._schema import (
    ACTOR_ID,
    CATEGORY,
    CONTESTED_BY,
    CRS,
    DATE,
    DESTINATION,
    END,
    KIND,
    NAME,
    NOTE,
    ORIGIN,
    PEOPLE,
    PEOPLE_MAX,
    PLACE_ID,
    QUALITY,
    SOURCE,
    START,
    STATUS,
    UNIT,
    check_coordinates,
    check_references,
    require_columns,
    validate_actors,
    validate_boundary,
    validate_control,
    validate_places,
)
from .._schema_flows import validate_flows
from .._values import parse_numbers
from ..errors import SchemaError
from ..places import closest_names
from ._csv import read_text_table
from ._vector import read_vector
from .admin import resolve_pcodes

__all__ = [
    "read_actors",
    "read_boundary",
    "read_control",
    "read_flows",
    "read_places",
    "read_vector",
]


def _rename(frame: pd.DataFrame, mapping: Mapping[str, str | None]) -> pd.DataFrame:
    """Rename user columns (values) to ours (keys); ours must not be taken already."""
    wanted = [
        (ours, user)
        for ours, user in mapping.items()
        if user is not None and user != ours and user in frame.columns
    ]
    # one column of the file may fill several of ours (id="town", name="town"): copies
    taken: dict[str, str] = {}
    copies: dict[str, str] = {}
    for ours, user in wanted:
        if user in taken or user in mapping:
            copies[ours] = user
        else:
            taken[user] = ours
    clashes = [ours for ours in [*taken.values(), *copies] if ours in frame.columns]
    frame = frame.drop(columns=clashes)
    extra = {ours: frame[user] for ours, user in copies.items()}
    frame = frame.rename(columns=taken)
    for ours, values in extra.items():
        frame[ours] = values.to_numpy()
    return frame


def read_places(
    path: str | os.PathLike[str],
    *,
    id: str = PLACE_ID,
    name: str = NAME,
    x: str = "lon",
    y: str = "lat",
    wkt: str = "wkt",
    columns: Mapping[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    names: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Read places from a CSV file with lon/lat columns or a WKT column.

    Parameters
    ----------
    path : path-like
    id, name, x, y, wkt : str
        The file's columns holding the place id, name, longitude, latitude and WKT
        geometry (used where present, for polygons). ``id`` and ``name`` may be the same
        column. In a row that gives both a WKT geometry and coordinates, the WKT geometry
        is the place and the coordinates are checked all the same (a latitude of 95 is an
        error whichever is used).
    columns : mapping, optional
        More renames, ours to yours, e.g. ``{"population": "pop_2004"}``.
    delimiter, encoding : str
        For CSV files.
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``; needs ``geoconflict[excel]``): the sheet, by name
        or position from 0; default: the first.
    names : sequence of str, optional
        The column names of a file without a header row (its first row is data), e.g.
        simplemaps' old world cities file.

    Returns
    -------
    GeoDataFrame indexed by ``place_id``.

    Raises
    ------
    SchemaError
        Naming the file, row, column and value of every problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = f.write_text("code,town,longitude,latitude\\nhama,Hama,36.75,35.13\\n")
    >>> read_places(f, id="code", name="town", x="longitude", y="latitude").loc["hama", "name"]
    'Hama'
    """
    frame, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, sheet=sheet, names=names
    )
    frame = _rename(frame, {PLACE_ID: id, NAME: name, **(columns or {})})
    table = str(path)
    has_wkt = wkt in frame.columns
    has_xy = x in frame.columns and y in frame.columns
    if not has_wkt and not has_xy:
        got = list(frame.columns)
        missing = [c for c in (x, y) if c not in frame.columns]
        raise SchemaError(
            f"{table}: missing column(s) {missing} for coordinates; got {got}. "
            "Fix: pass x='<longitude column>' and y='<latitude column>', or "
            f"wkt='<WKT column>'."
        )
    require_columns(frame, [PLACE_ID, NAME], table=table, options={PLACE_ID: "id", NAME: "name"})
    check = Collector(table, rows)
    geometry = np.full(len(frame), None, dtype=object)
    if has_xy:
        lon = parse_numbers(frame[x], check, x, what="longitude", required=False).to_numpy()
        lat = parse_numbers(frame[y], check, y, what="latitude", required=False).to_numpy()
        both = ~np.isnan(lon) & ~np.isnan(lat)
        shown = frame[x].astype("string").fillna("") + ", " + frame[y].astype("string").fillna("")
        bounds = np.column_stack([lon, lat, lon, lat])
        both &= np.isfinite(lon) & np.isfinite(lat)
        check_coordinates(bounds, both, shown, check, lon_column=x, lat_column=y)
        absent = (frame[x].isna() | frame[y].isna()).to_numpy().copy()
        if has_wkt:
            absent &= frame[wkt].isna().to_numpy()
        check.add_rows(
            absent,
            shown,
            "coordinates are missing",
            column=f"{x}/{y}",
            fix="fill in longitude and latitude, or drop the place",
        )
        geometry[both] = shapely.points(lon[both], lat[both])
    if has_wkt:
        text = frame[wkt]
        given = text.notna().to_numpy()
        cells = text.to_numpy(dtype=object).copy()
        cells[~given] = None
        with np.errstate(over="ignore", invalid="ignore"):  # 1E400 becomes inf: reported below
            parsed = shapely.from_wkt(cells, on_invalid="ignore")
        bad = given & shapely.is_missing(parsed)
        check.add_rows(
            bad,
            text,
            "not a WKT geometry",
            column=wkt,
            fix="write e.g. POLYGON ((36 35, 37 35, 37 36, 36 35)) or use lon/lat",
        )
        geometry[given & ~bad] = parsed[given & ~bad]
        frame = frame.drop(columns=[wkt])
    check.raise_if_any()
    if has_xy:
        frame = frame.drop(columns=[x, y])
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS))
    return validate_places(gdf, source=table, rows=rows)


def read_actors(
    path: str | os.PathLike[str],
    *,
    id: str = ACTOR_ID,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read actors (``actor_id``, ``name``, ``color``, ...) from a CSV file (or ``.xlsx``,
    ``sheet=``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "actors.csv"
    >>> _ = f.write_text("side,name,color\\ngov,Government,#D62728\\n")
    >>> read_actors(f, id="side").loc["gov", "color"]
    '#d62728'
    """
    frame, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, sheet=sheet, names=names
    )
    frame = _rename(frame, {ACTOR_ID: id, **(columns or {})})
    return validate_actors(frame, source=str(path), rows=rows)


def _resolve_column(
    frame: pd.DataFrame, column: str, places: pd.DataFrame, check: Collector
) -> None:
    """Replace names or p-codes in ``column`` by place ids; record values that match nothing.

    P-codes (``SY02``, ``C3987``) match the places' ids or ``pcode`` exactly, never by
    similarity.
    """
    resolved = resolve_pcodes(frame[column], places)
    resolved.index = frame.index
    unknown = frame[column].notna().to_numpy() & resolved.isna().to_numpy()
    if unknown.any():
        shown = pd.unique(frame[column][unknown])[:5]
        suggestions = closest_names([str(v) for v in shown], places)
        for value in shown:
            mask = (frame[column] == value).fillna(False).to_numpy()
            close = ", ".join(repr(c) for c in suggestions[str(value)])
            check.add_rows(
                mask,
                frame[column],
                "unknown place",
                column=column,
                fix=f"closest known names: {close}; correct it or add an alias",
            )
    frame[column] = resolved.where(~unknown, frame[column])


def read_control(
    path: str | os.PathLike[str],
    *,
    place: str = PLACE_ID,
    actor: str = ACTOR_ID,
    date: str = DATE,
    status: str = STATUS,
    contested_by: str = CONTESTED_BY,
    source: str = SOURCE,
    note: str = NOTE,
    places: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read control records from a CSV file.

    Parameters
    ----------
    path : path-like
    place, actor, date, status, contested_by, source, note : str
        The file's column names for each of our columns.
    places : GeoDataFrame, optional
        When given, places may be named by id, name, alias, Arabic name or p-code, and
        unknown ones are errors.
    actors : DataFrame, optional
        When given, unknown actor ids are errors.
    delimiter, encoding : str
        For CSV files.
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``; needs ``geoconflict[excel]``): the sheet, by name
        or position from 0; default: the first.
    names : sequence of str, optional
        The column names of a file without a header row (its first row is data), e.g.
        simplemaps' old world cities file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "control.csv"
    >>> _ = f.write_text("town,side,day\\nhama,hts,2024-12-05\\n")
    >>> read_control(f, place="town", actor="side", date="day")["date"].iloc[0]
    Timestamp('2024-12-05 00:00:00')
    """
    if places is not None:
        places = places_input(places, function="read_control")
    if actors is not None:
        actors = actors_input(actors, function="read_control")
    frame, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, sheet=sheet, names=names
    )
    frame = _rename(
        frame,
        {
            PLACE_ID: place,
            ACTOR_ID: actor,
            DATE: date,
            STATUS: status,
            CONTESTED_BY: contested_by,
            SOURCE: source,
            NOTE: note,
        },
    )
    table = str(path)
    require_columns(
        frame,
        [PLACE_ID, ACTOR_ID, DATE],
        table=table,
        options={PLACE_ID: "place", ACTOR_ID: "actor", DATE: "date"},
    )
    if places is not None:
        check = Collector(table, rows)
        _resolve_column(frame, PLACE_ID, places, check)
        check.raise_if_any()
    control = validate_control(frame, source=table, rows=rows)
    if places is not None and actors is not None:
        check_references(places=places, actors=actors, control=control, control_source=table)
    elif actors is not None:
        check_references(
            places=pd.DataFrame(index=pd.Index(control[PLACE_ID].unique())),
            actors=actors,
            control=control,
            control_source=table,
        )
    return control


def read_flows(
    path: str | os.PathLike[str],
    *,
    origin: str = ORIGIN,
    destination: str = DESTINATION,
    start: str = START,
    end: str = END,
    people: str = PEOPLE,
    people_max: str = PEOPLE_MAX,
    unit: str = UNIT,
    category: str = CATEGORY,
    kind: str = KIND,
    source: str = SOURCE,
    quality: str = QUALITY,
    note: str = NOTE,
    places: pd.DataFrame | None = None,
    household_size: float | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read displacement flows from a CSV file.

    Parameters
    ----------
    path : path-like
    origin, destination, start, end, people, people_max, unit, category, kind : str
        The file's column names for each of our columns. ``people_max``, ``category``
        (``internal``/``refugee``/``return``) and ``kind`` (``movement``/``present``) are
        optional; rows of kind ``present`` leave ``origin`` empty.
    source, quality, note : str
        The file's column names for these optional columns.
    places : GeoDataFrame, optional
        Resolve origins and destinations given by name, alias, Arabic name or p-code.
    household_size : float, optional
        People per household, needed for rows whose unit is ``households``.
    delimiter, encoding : str
        For CSV files.
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``; needs ``geoconflict[excel]``): the sheet, by name
        or position from 0; default: the first.
    names : sequence of str, optional
        The column names of a file without a header row (its first row is data), e.g.
        simplemaps' old world cities file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
    >>> _ = f.write_text("from,to,when,n\\nhama,homs,2024-12-05,16034.6\\n")
    >>> read_flows(f, origin="from", destination="to", start="when", people="n")["people"][0]
    np.float64(16034.6)
    """
    if places is not None:
        places = places_input(places, function="read_flows")
    frame, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, sheet=sheet, names=names
    )
    frame = _rename(
        frame,
        {
            ORIGIN: origin,
            DESTINATION: destination,
            START: start,
            END: end,
            PEOPLE: people,
            PEOPLE_MAX: people_max,
            UNIT: unit,
            CATEGORY: category,
            KIND: kind,
            SOURCE: source,
            QUALITY: quality,
            NOTE: note,
        },
    )
    table = str(path)
    if ORIGIN not in frame.columns and KIND in frame.columns:  # only 'present' counts
        frame[ORIGIN] = pd.Series(pd.NA, index=frame.index, dtype="string")
    require_columns(
        frame,
        [ORIGIN, DESTINATION, START, PEOPLE],
        table=table,
        options={ORIGIN: "origin", DESTINATION: "destination", START: "start", PEOPLE: "people"},
    )
    if places is not None:
        check = Collector(table, rows)
        _resolve_column(frame, ORIGIN, places, check)
        _resolve_column(frame, DESTINATION, places, check)
        check.raise_if_any()
    return validate_flows(frame, source=table, rows=rows, household_size=household_size)


def read_boundary(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read a boundary (GeoJSON, GeoPackage, shapefile, GeoParquet...) as (Multi)Polygons in
    EPSG:4326 (a file in another CRS is converted).

    Raises
    ------
    FormatError
        When the file cannot be read as a vector file (e.g. truncated GeoJSON), some of its
        geometries cannot be read (an unclosed ring, text coordinates), or its coordinates
        are not longitudes and latitudes.
    BoundaryError
        When it holds no polygons.

    Warns
    -----
    DataWarning
        For what GDAL remarked while reading.
    """
    gdf = read_vector(path, lonlat="error")
    return validate_boundary(gdf, source=str(path))
