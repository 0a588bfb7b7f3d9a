"""Column names of geoconflict's tables and the validation of each table.

Every table is a plain pandas or GeoPandas frame with the column names below. The validators
take a table, check it with array operations, and return a clean copy (ids stripped, dates
parsed to naive UTC ``datetime64[ns]``, numbers parsed). They never change their input. All
problems found are collected and raised together as one :class:`~geoconflict.errors.SchemaError`.

(Over 400 lines: the column names and the validators of places, actors, control, events and
boundaries share their checks of ids, geometries and coordinates; the flows' validator, the
largest, is :mod:`geoconflict._schema_flows`.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._collect import Collector
from ._names import text_columns
from ._proj import to_crs
from ._values import (
    as_table,
    check_id_types,
    clean_ids,
    is_in,
    lower_or,
    parse_dates,
    parse_numbers,
)
from .errors import BoundaryError, Problem, SchemaError

__all__ = [
    "CATEGORIES",
    "CRS",
    "GEOMETRY_TYPES",
    "KINDS",
    "QUALITIES",
    "RESERVED_ACTORS",
    "UNKNOWN_HOLDER",
    "STATUSES",
    "check_references",
    "validate_actors",
    "validate_boundary",
    "validate_control",
    "validate_events",
    "validate_places",
]

CRS = "EPSG:4326"

# places: index place_id
PLACE_ID = "place_id"
NAME = "name"
NAME_AR = "name_ar"
ALIASES = "aliases"
POPULATION = "population"
ADMIN1 = "admin1"
ADMIN2 = "admin2"
PCODE = "pcode"
GEOMETRY = "geometry"

# actors: index actor_id
ACTOR_ID = "actor_id"
COLOR = "color"
GROUP = "group"
#: Names used by derived layers for land nobody (or several actors) holds.
RESERVED_ACTORS = ("contested", "unknown", "no_data")
#: A control record with this actor says the holder is not known from its date on.
UNKNOWN_HOLDER = "unknown"

# control
DATE = "date"
STATUS = "status"
CONTESTED_BY = "contested_by"
SOURCE = "source"
NOTE = "note"
STATUSES = ("held", "contested", "besieged")

# flows
ORIGIN = "origin"
DESTINATION = "destination"
START = "start"
END = "end"
PEOPLE = "people"
UNIT = "unit"
QUALITY = "quality"
PEOPLE_MAX = "people_max"
CATEGORY = "category"
#: shapely's geometry type names, by type id (``shapely.get_type_id``).
GEOMETRY_TYPES = np.array(
    [
        "Point",
        "LineString",
        "LinearRing",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
    ]
)
KIND = "kind"
UNITS = ("people", "households")
QUALITIES = ("reported", "estimate")
#: Who moved: displaced inside the country, refugees abroad, people going home.
CATEGORIES = ("internal", "refugee", "return")
#: ``movement``: from ``origin`` to ``destination``; ``present``: counted at ``destination``,
#: origin unknown (``origin`` empty).
KINDS = ("movement", "present")


_HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


def table_name(source: object, default: str) -> str:
    """The name to use for a table in messages: its file, or ``table '<default>'``."""
    return str(source) if source is not None else f"table {default!r}"


def require_columns(
    frame: pd.DataFrame, required: Iterable[str], *, table: str, options: Mapping[str, str]
) -> None:
    """Raise a SchemaError naming every missing column and the keyword that maps it.

    ``options`` maps our column name to the reader keyword (``{"place_id": "place"}``).
    """
    got = [str(c) for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if not missing:
        return
    problems = []
    for col in missing:
        kw = options.get(col)
        fix = (
            f"rename the column to {col!r}"
            if kw is None
            else f"pass {kw}='<your column>' to name the column that holds it"
        )
        problems.append(Problem(f"missing column {col!r}; got {got}", file=table, fix=fix))
    raise SchemaError.from_problems(problems)


# --------------------------------------------------------------------------- ids


def choice_column(
    frame: pd.DataFrame,
    column: str,
    allowed: tuple[str, ...],
    check: Collector,
    *,
    say_empty: bool = True,
) -> pd.Series:
    """``frame[column]`` in lower case, checked to hold one of ``allowed``; a missing column
    or an empty cell means the first. ``say_empty`` adds that to the fix."""
    if column not in frame.columns:
        return pd.Series(allowed[0], index=frame.index, dtype="string")
    values = lower_or(clean_ids(frame[column]), allowed[0])
    fix = f"use one of {list(allowed)}"
    check.add_rows(
        ~is_in(values, allowed),
        frame[column],
        f"unknown {column}",
        column=column,
        fix=f"{fix}, or leave it empty for {allowed[0]!r}" if say_empty else fix,
    )
    return values


def _check_unique_ids(ids: pd.Series, check: Collector, column: str, what: str) -> None:
    missing = ids.isna().to_numpy()
    check.add_rows(
        missing, ids, f"{what} id is missing", column=column, fix=f"give every {what} an id"
    )
    # each id hashed once; only the distinct ids are case-folded
    codes, uniques = pd.factorize(ids)
    codes = np.maximum(codes, 0)  # missing ids (-1) count as nothing below
    dup = ~missing & (np.bincount(codes[~missing], minlength=len(uniques) + 1)[codes] > 1)
    check.add_rows(
        dup,
        ids,
        f"duplicate {what} id",
        column=column,
        fix=f"give each {what} its own id, or remove the repeated rows",
    )
    folded, _ = pd.factorize(np.array([str(u).casefold() for u in uniques], dtype=object))
    fold = folded[codes] if folded.size else codes
    case_dup = ~missing & ~dup & (np.bincount(fold[~missing], minlength=fold.size + 1)[fold] > 1)
    check.add_rows(
        case_dup,
        ids,
        f"{what} ids differ only by case",
        column=column,
        fix="use one spelling of the id throughout",
    )


# --------------------------------------------------------------------------- tables


def validate_places(
    places: pd.DataFrame, *, source: object = None, rows: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Validate a places table and return a clean copy indexed by ``place_id``.

    Parameters
    ----------
    places : GeoDataFrame or DataFrame
        With ``place_id`` as index or column, ``name`` and ``geometry`` (Points or Polygons,
        EPSG:4326 lon/lat; another CRS is converted).
    source : str, optional
        File name for messages.
    rows : array of int, optional
        File row numbers for messages.

    Returns
    -------
    GeoDataFrame

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> t = gpd.GeoDataFrame({"place_id": ["a"], "name": ["A"]},
    ...                      geometry=[shapely.Point(36.7, 35.1)], crs="EPSG:4326")
    >>> validate_places(t).index.tolist()
    ['a']
    """
    table = table_name(source, "places")
    frame = as_table(places, table=table).copy()
    if PLACE_ID not in frame.columns and frame.index.name == PLACE_ID:
        frame = frame.reset_index()
    require_columns(
        frame,
        [PLACE_ID, NAME, GEOMETRY],
        table=table,
        options={PLACE_ID: "id", NAME: "name", GEOMETRY: "x"},
    )
    check = Collector(table, rows)
    check_id_types(frame[PLACE_ID], check, PLACE_ID)
    frame[PLACE_ID] = clean_ids(frame[PLACE_ID])
    _check_unique_ids(frame[PLACE_ID], check, PLACE_ID, "place")
    frame[NAME] = clean_ids(frame[NAME])
    check.add_rows(
        frame[NAME].isna().to_numpy(),
        frame[NAME],
        "place name is missing",
        column=NAME,
        fix="give every place a name",
    )
    texts = (NAME_AR, ALIASES, ADMIN1, ADMIN2, PCODE, "level", *text_columns(frame.columns))
    for col in dict.fromkeys(texts):
        if col in frame.columns:
            frame[col] = clean_ids(frame[col])
    if POPULATION in frame.columns:
        frame[POPULATION] = parse_numbers(
            frame[POPULATION], check, POPULATION, what="population", required=False, minimum=0
        )

    _geometry_values(frame, check)
    gdf = gpd.GeoDataFrame(frame, geometry=GEOMETRY)
    if gdf.crs is None:
        gdf = gdf.set_crs(CRS)
    elif not gdf.crs.equals(CRS):
        gdf = to_crs(gdf, CRS)
    _check_geometries(gdf.geometry.to_numpy(), check, allowed=("Point", "Polygon", "MultiPolygon"))
    _check_lonlat(gdf.geometry.to_numpy(), check)
    check.raise_if_any()
    return gdf.set_index(PLACE_ID)


def _geometry_values(frame: pd.DataFrame, check: Collector) -> None:
    """Make sure the ``geometry`` column holds geometries; a column of anything else (text,
    numbers) is reported and emptied, so that the other checks can still run."""
    values = frame[GEOMETRY]
    if isinstance(values.dtype, gpd.array.GeometryDtype):
        return
    array = np.asarray(values, dtype=object)
    ok = (
        np.fromiter(
            (v is None or isinstance(v, shapely.Geometry) for v in array), bool, count=array.size
        )
        if array.size
        else np.zeros(0, bool)
    )
    if ok.all():
        return
    what = (
        "a mix of values"
        if pd.api.types.is_object_dtype(values.dtype)
        else (f"{values.dtype} values")
    )
    check.add_rows(
        ~ok,
        values,
        f"geometry must hold shapely geometries, not {what}",
        column=GEOMETRY,
        fix="parse WKT text with shapely.from_wkt, or read the file with "
        "read_places(..., wkt='<column>')",
    )
    check.raise_if_any()


def _check_geometries(geoms: np.ndarray, check: Collector, *, allowed: tuple[str, ...]) -> None:
    missing = shapely.is_missing(geoms)
    check.add_rows(
        missing,
        geoms,
        "geometry is missing",
        column=GEOMETRY,
        fix="give coordinates (lon, lat) or a WKT geometry for every row",
    )
    empty = ~missing & shapely.is_empty(geoms)
    check.add_rows(
        empty,
        lambda pos: shapely.to_wkt(geoms[pos]),
        "geometry is empty",
        column=GEOMETRY,
        fix="give coordinates (lon, lat) or a WKT geometry for every row",
    )
    names = np.asarray(shapely.get_type_id(geoms))
    ok_ids = np.flatnonzero(np.isin(GEOMETRY_TYPES, allowed))
    wrong = ~missing & ~empty & ~np.isin(names, ok_ids)
    check.add_rows(
        wrong,
        lambda pos: shapely.to_wkt(geoms[pos], rounding_precision=4),
        f"geometry must be a {' or '.join(allowed)}",
        column=GEOMETRY,
    )
    with np.errstate(invalid="ignore"):
        coords_ok = np.isfinite(
            np.where((missing | empty)[:, None], 0.0, shapely.bounds(geoms).reshape(-1, 4))
        ).all(axis=1)
    invalid = ~missing & ~empty & ~wrong & coords_ok & ~shapely.is_valid(geoms)
    check.add_rows(
        invalid,
        lambda pos: shapely.is_valid_reason(geoms[pos]),
        "geometry is invalid",
        column=GEOMETRY,
        fix="repair it, e.g. with shapely.make_valid",
    )


def _check_lonlat(geoms: np.ndarray, check: Collector) -> None:
    """Record non-finite and out-of-range coordinates of geometries."""
    usable = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    bounds = np.full((len(geoms), 4), np.nan)
    if usable.any():
        bounds[usable] = shapely.bounds(geoms[usable])

    def wkt(positions: np.ndarray) -> np.ndarray:
        return shapely.to_wkt(geoms[positions], rounding_precision=6)

    check_coordinates(bounds, usable, wkt, check, lon_column=GEOMETRY, lat_column=GEOMETRY)


def check_coordinates(
    bounds: np.ndarray,
    usable: np.ndarray,
    shown: Iterable[object] | Callable[[np.ndarray], Iterable[object]],
    check: Collector,
    *,
    lon_column: str,
    lat_column: str,
) -> None:
    """Record non-finite, out-of-range and swapped-looking coordinates.

    ``bounds`` holds (minx, miny, maxx, maxy) per row; for points, (lon, lat, lon, lat).
    """
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(bounds).all(axis=1)
        nonfinite = usable & ~finite
        lat_bad = usable & finite & ((bounds[:, 1] < -90) | (bounds[:, 3] > 90))
        lon_bad = usable & finite & ((bounds[:, 0] < -180) | (bounds[:, 2] > 180))
        swapped = (
            lat_bad
            & (np.abs(bounds[:, [1, 3]]) <= 180).all(axis=1)
            & (np.abs(bounds[:, [0, 2]]) <= 90).all(axis=1)
        )
    both = lon_column if lon_column == lat_column else f"{lon_column}/{lat_column}"
    check.add_rows(
        nonfinite,
        shown,
        "coordinates must be finite numbers (not NaN or inf)",
        column=both,
        fix="fill in the coordinates or drop the place",
    )
    check.add_rows(
        swapped,
        shown,
        "latitude is outside -90..90; longitude and latitude look swapped",
        column=both,
        fix="swap the columns: pass the latitude column as y= and the longitude as x=",
    )
    check.add_rows(
        lat_bad & ~swapped,
        shown,
        "latitude must be between -90 and 90",
        column=lat_column,
        fix="check the coordinates (decimal degrees, EPSG:4326)",
    )
    check.add_rows(
        lon_bad & ~lat_bad,
        shown,
        "longitude must be between -180 and 180",
        column=lon_column,
        fix="check the coordinates (decimal degrees, EPSG:4326)",
    )


def validate_actors(
    actors: pd.DataFrame, *, source: object = None, rows: np.ndarray | None = None
) -> pd.DataFrame:
    """Validate an actors table and return a clean copy indexed by ``actor_id``.

    ``name`` defaults to the id; ``color`` must be ``#rrggbb`` or empty (maps then pick one).

    Examples
    --------
    >>> import pandas as pd
    >>> validate_actors(pd.DataFrame({"actor_id": ["gov"], "color": ["#d62728"]}))
           name    color
    actor_id
    gov        gov  #d62728
    """
    table = table_name(source, "actors")
    frame = as_table(actors, table=table).copy()
    if ACTOR_ID not in frame.columns and frame.index.name == ACTOR_ID:
        frame = frame.reset_index()
    require_columns(frame, [ACTOR_ID], table=table, options={ACTOR_ID: "id"})
    check = Collector(table, rows)
    check_id_types(frame[ACTOR_ID], check, ACTOR_ID)
    frame[ACTOR_ID] = clean_ids(frame[ACTOR_ID])
    _check_unique_ids(frame[ACTOR_ID], check, ACTOR_ID, "actor")
    reserved = is_in(frame[ACTOR_ID], RESERVED_ACTORS)
    check.add_rows(
        reserved,
        frame[ACTOR_ID],
        "this actor id is reserved for derived layers",
        column=ACTOR_ID,
        fix=f"rename the actor; {list(RESERVED_ACTORS)} are taken",
    )
    if NAME not in frame.columns:
        frame[NAME] = frame[ACTOR_ID]
    frame[NAME] = clean_ids(frame[NAME]).fillna(frame[ACTOR_ID])
    if COLOR not in frame.columns:
        frame[COLOR] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame[COLOR] = lower_or(clean_ids(frame[COLOR]))
    bad_color = frame[COLOR].notna().to_numpy(copy=True)  # given, and (below) not #rrggbb
    if bad_color.any():
        bad_color &= ~frame[COLOR].str.match(_HEX_COLOR).fillna(False).to_numpy()
    check.add_rows(
        bad_color,
        frame[COLOR],
        "colour must be a hex colour like #1f77b4",
        column=COLOR,
        fix="write #rrggbb, or leave it empty to get one picked",
    )
    for col in (ALIASES, GROUP):
        if col in frame.columns:
            frame[col] = clean_ids(frame[col])
    check.raise_if_any()
    order = [NAME, COLOR] + [c for c in frame.columns if c not in (ACTOR_ID, NAME, COLOR)]
    return frame.set_index(ACTOR_ID)[order]


def validate_control(
    control: pd.DataFrame, *, source: object = None, rows: np.ndarray | None = None
) -> pd.DataFrame:
    """Validate a control table; return a clean copy in the same row order.

    Exact repeats of a record are harmless. Two records for the same place and date that
    disagree (another actor or status) are an error, as is a ``contested`` record without
    ``contested_by``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = validate_control(pd.DataFrame({"place_id": ["a"], "actor_id": ["x"],
    ...                                    "date": ["2024-12-05"]}))
    >>> c.loc[0, "date"], c.loc[0, "status"]
    (Timestamp('2024-12-05 00:00:00'), 'held')
    """
    table = table_name(source, "control")
    frame = as_table(control, table=table).copy().reset_index(drop=True)
    require_columns(
        frame,
        [PLACE_ID, ACTOR_ID, DATE],
        table=table,
        options={PLACE_ID: "place", ACTOR_ID: "actor", DATE: "date"},
    )
    check = Collector(table, rows)
    for col in (PLACE_ID, ACTOR_ID):
        check_id_types(frame[col], check, col)
        frame[col] = clean_ids(frame[col])
        check.add_rows(
            frame[col].isna().to_numpy(),
            frame[col],
            f"{col} is missing",
            column=col,
            fix="fill it in or drop the row",
        )
    frame[DATE] = parse_dates(frame[DATE], check, DATE)
    status = choice_column(frame, STATUS, STATUSES, check, say_empty=False)
    frame[STATUS] = status
    if CONTESTED_BY not in frame.columns:
        frame[CONTESTED_BY] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame[CONTESTED_BY] = clean_ids(frame[CONTESTED_BY])
    no_challenger = (status == "contested").to_numpy() & frame[CONTESTED_BY].isna().to_numpy()
    check.add_rows(
        no_challenger,
        frame[STATUS],
        "contested record without a challenger",
        column=CONTESTED_BY,
        fix="fill contested_by with the actor contesting the place",
    )
    same_as_holder = (frame[CONTESTED_BY] == frame[ACTOR_ID]).fillna(False).to_numpy()
    check.add_rows(
        same_as_holder,
        frame[CONTESTED_BY],
        "a place cannot be contested by the actor holding it",
        column=CONTESTED_BY,
        fix="name the challenger",
    )
    for col in (SOURCE, NOTE):
        if col in frame.columns:
            frame[col] = clean_ids(frame[col])
    check.raise_if_any()

    clash = np.zeros(len(frame), dtype=bool)
    shown: pd.Series = frame[PLACE_ID]
    disagree = (
        _disagreeing(frame) if _repeats_a_key(frame[PLACE_ID], frame[DATE]) else frame.iloc[:0]
    )
    if len(disagree):
        keys = pd.MultiIndex.from_frame(disagree[[PLACE_ID, DATE]])
        clash = pd.MultiIndex.from_frame(frame[[PLACE_ID, DATE]]).isin(keys)
        shown = (
            frame[PLACE_ID].astype(str)
            + " on "
            + frame[DATE].dt.strftime("%Y-%m-%d")
            + ": "
            + frame[ACTOR_ID].astype(str)
            + " ("
            + frame[STATUS].astype(str)
            + ")"
        ).where(clash, "")
    check.add_rows(
        clash,
        shown,
        "records for the same place and date disagree",
        column=ACTOR_ID,
        fix="keep one record per place and date, or move one to the date it happened",
    )
    check.raise_if_any()
    return frame


def _repeats_a_key(place: pd.Series, date: pd.Series) -> bool:
    """Whether some place has two records on one date (in numpy: most tables have none,
    and the comparison of whole records below is then skipped)."""
    codes, _ = pd.factorize(place)
    days = date.to_numpy().astype("datetime64[ns]").view(np.int64)
    order = np.lexsort((days, codes))
    same = (codes[order][1:] == codes[order][:-1]) & (days[order][1:] == days[order][:-1])
    return bool(same.any())


def _disagreeing(frame: pd.DataFrame) -> pd.DataFrame:
    """The distinct records of the places and dates that have more than one."""
    distinct = frame[[PLACE_ID, DATE, ACTOR_ID, STATUS, CONTESTED_BY]].drop_duplicates()
    return distinct[distinct.duplicated([PLACE_ID, DATE], keep=False)]


def validate_events(
    events: pd.DataFrame, *, source: object = None, rows: np.ndarray | None = None
) -> gpd.GeoDataFrame:
    """Validate an events table (ACLED / UCDP style points with a date)."""
    table = table_name(source, "events")
    frame = events.copy().reset_index(drop=True)
    _points_from_columns_first(frame, table)
    require_columns(frame, [DATE, GEOMETRY], table=table, options={})
    check = Collector(table, rows)
    frame[DATE] = parse_dates(frame[DATE], check, DATE)
    _geometry_values(frame, check)
    gdf = gpd.GeoDataFrame(frame, geometry=GEOMETRY)
    gdf = gdf.set_crs(CRS) if gdf.crs is None else to_crs(gdf, CRS)
    _check_geometries(gdf.geometry.to_numpy(), check, allowed=("Point",))
    _check_lonlat(gdf.geometry.to_numpy(), check)
    if "fatalities" in gdf.columns:
        gdf["fatalities"] = parse_numbers(
            gdf["fatalities"], check, "fatalities", what="fatalities", required=False, minimum=0
        )
    check.raise_if_any()
    return gdf


def _points_from_columns_first(frame: pd.DataFrame, table: str) -> None:
    """No ``geometry`` but longitude and latitude columns: say how to make the points."""
    if GEOMETRY in frame.columns:
        return
    lower = {str(c).lower(): str(c) for c in frame.columns}
    for lon, lat in (("longitude", "latitude"), ("lon", "lat"), ("lng", "lat"), ("x", "y")):
        if lon in lower and lat in lower:
            x, y = lower[lon], lower[lat]
            fix = (
                f"make the points from them: geopandas.GeoDataFrame(events, geometry="
                f"geopandas.points_from_xy(events[{x!r}], events[{y!r}]), crs=4326); or read "
                "the export with geoconflict.read_acled or read_ucdp_ged, which do"
            )
            problem = Problem(
                f"missing column 'geometry'; the points are in columns {x!r} and {y!r}",
                file=table,
                fix=fix,
            )
            raise SchemaError.from_problems([problem])


def validate_boundary(boundary: object, *, source: object = None) -> gpd.GeoDataFrame:
    """Validate a boundary and return it as a GeoDataFrame in EPSG:4326.

    Raises
    ------
    BoundaryError
        When it is empty, not (Multi)Polygons, or invalid.
    """
    table = table_name(source, "boundary")
    if isinstance(boundary, gpd.GeoDataFrame):
        gdf = boundary.copy()
    elif isinstance(boundary, gpd.GeoSeries):
        gdf = gpd.GeoDataFrame(geometry=boundary.copy())
    elif isinstance(boundary, shapely.Geometry):
        gdf = gpd.GeoDataFrame(geometry=[boundary], crs=CRS)
    else:
        raise BoundaryError(
            f"{table}: a boundary must be a GeoDataFrame, GeoSeries or shapely "
            f"geometry, got {type(boundary).__name__}. Fix: read it with "
            "geopandas.read_file."
        )
    gdf = gdf.set_crs(CRS) if gdf.crs is None else to_crs(gdf, CRS)
    geoms = gdf.geometry.to_numpy()
    usable = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not usable.any():
        raise BoundaryError(
            f"{table}: the boundary is empty. Fix: give the outline of the "
            "area the territories fill, or pass boundary='hull'."
        )
    types = np.asarray(gdf.geometry.geom_type)
    wrong = usable & ~np.isin(types, ["Polygon", "MultiPolygon"])
    if wrong.any():
        raise BoundaryError(
            f"{table}, row {int(np.flatnonzero(wrong)[0]) + 1}: the boundary "
            f"must be Polygons or MultiPolygons, got {types[wrong][0]}. Fix: "
            "give an area, not points or lines (buffer them first if needed)."
        )
    invalid = usable & ~shapely.is_valid(geoms)
    if invalid.any():
        pos = int(np.flatnonzero(invalid)[0])
        raise BoundaryError(
            f"{table}, row {pos + 1}: the boundary geometry is invalid "
            f"({shapely.is_valid_reason(geoms[pos])}). Fix: repair it with "
            "shapely.make_valid."
        )
    return (gdf if usable.all() else gdf[usable]).reset_index(drop=True)


def check_references(
    *,
    places: pd.DataFrame,
    actors: pd.DataFrame,
    control: pd.DataFrame | None = None,
    flows: pd.DataFrame | None = None,
    control_source: object = None,
    flows_source: object = None,
    zones: pd.DataFrame | None = None,
) -> None:
    """Raise a SchemaError for ids in control, flows or zones that places/actors do not
    know."""
    problems: list[Problem] = []
    known_places = pd.Index(places.index)
    known_actors = pd.Index(actors.index)
    pairs = []
    if control is not None:
        ctab = table_name(control_source, "control")
        pairs += [
            (control, PLACE_ID, known_places, "place", ctab),
            (control, ACTOR_ID, known_actors.append(pd.Index([UNKNOWN_HOLDER])), "actor", ctab),
            (control, CONTESTED_BY, known_actors, "actor", ctab),
        ]
    if flows is not None:
        ftab = table_name(flows_source, "flows")
        pairs += [
            (flows, ORIGIN, known_places, "place", ftab),
            (flows, DESTINATION, known_places, "place", ftab),
        ]
    if zones is not None:
        pairs += [
            (zones, ACTOR_ID, known_actors.append(pd.Index([UNKNOWN_HOLDER])), "actor", "zones"),
            (zones, CONTESTED_BY, known_actors, "actor", "zones"),
        ]
    for frame, col, known, what, tab in pairs:
        if col not in frame.columns:
            continue
        values = frame[col]
        unknown = values.notna().to_numpy() & ~is_in(values, known)
        check = Collector(tab)
        sample = ", ".join(repr(str(v)) for v in list(known[:5]))
        check.add_rows(
            unknown,
            values,
            f"unknown {what} id",
            column=col,
            fix=f"use an id from the {what}s table (e.g. {sample}) or add the {what}"
            + (
                f", or {UNKNOWN_HOLDER!r} when no source says who holds the place"
                if col == ACTOR_ID
                else ""
            ),
        )
        problems += check.problems
    if problems:
        raise SchemaError.from_problems(problems)
