"""The checks at the door of every public function that takes a table or a conflict.

A table as :class:`~geoconflict.Conflict` and the readers return it (validated: ids as
text, dates parsed, numbers as floats, no missing keys) passes with a look at its dtypes and
missing values: the checks run once, where the table was made. Any other table is validated
here with the same validators ``Conflict`` uses, so a missing column, a mistyped value or an
empty table gets the same :class:`~geoconflict.errors.SchemaError` (naming the function,
the table, the row, the column and the fix) wherever it is passed in.

Options with a bad value get :class:`~geoconflict.errors.OptionError`; an argument of the
wrong kind (a list where a table goes) gets :class:`~geoconflict.errors.ArgumentTypeError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._collect import Collector
from ._schema import (
    ACTOR_ID,
    CATEGORY,
    COLOR,
    CRS,
    DATE,
    DESTINATION,
    END,
    GEOMETRY,
    KIND,
    NAME,
    ORIGIN,
    PEOPLE,
    PEOPLE_MAX,
    PLACE_ID,
    START,
    STATUS,
    as_table,
    require_columns,
    validate_control,
    validate_events,
    validate_places,
)
from ._schema_flows import validate_flows
from ._types import ConflictLike
from .errors import ArgumentTypeError, OptionError, SchemaError

__all__ = [
    "actors_input",
    "conflict_input",
    "control_input",
    "events_input",
    "flows_input",
    "is_conflict",
    "number_option",
    "place_ids_input",
    "places_input",
]

#: What every conflict has; anything that lacks one of these is not a conflict.
_CONFLICT_TABLES = ("places", "actors", "control", "flows")


def _name(function: str, table: str) -> str:
    return f"{function}: table {table!r}"


def _is_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype)


def _is_dates(series: pd.Series) -> bool:
    return series.dtype == np.dtype("datetime64[ns]")


def _is_float(series: pd.Series) -> bool:
    return series.dtype == np.dtype("float64")


def _no_missing(frame: pd.DataFrame, columns: Iterable[str]) -> bool:
    return not any(frame[c].isna().any() for c in columns)


def control_input(control: object, *, function: str) -> pd.DataFrame:
    """A control table fit for ``function``: as it is when validated, else validated.

    Examples
    --------
    >>> import pandas as pd
    >>> control_input(pd.DataFrame({"place_id": ["a"], "date": ["2024-12-01"]}),
    ...               function="control_at")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.SchemaError: control_at: table 'control': missing column 'actor_id'; ...
    """
    name = _name(function, "control")
    frame = as_table(control, table=name)
    require_columns(frame, [PLACE_ID, ACTOR_ID, DATE], table=name, options={})
    keys = (PLACE_ID, ACTOR_ID, DATE)
    if (
        _is_text(frame[PLACE_ID])
        and _is_text(frame[ACTOR_ID])
        and _is_dates(frame[DATE])
        and STATUS in frame.columns
        and _is_text(frame[STATUS])
        and _no_missing(frame, keys)
    ):
        return frame
    checked = validate_control(frame, source=name)
    # a table that needed no conversion is used as given (its own dtypes, as before checks)
    usable = pd.api.types.is_datetime64_any_dtype(frame[DATE].dtype) and all(
        pd.api.types.is_string_dtype(frame[c].dtype) for c in (PLACE_ID, ACTOR_ID)
    )
    return frame if usable and _no_missing(frame, keys) else checked


def flows_input(flows: object, *, function: str, needs: Sequence[str]) -> pd.DataFrame:
    """A flows table with the columns ``needs``: as it is when validated, else validated.

    Examples
    --------
    >>> import pandas as pd
    >>> flows_input(pd.DataFrame({"origin": ["a"], "destination": ["b"], "people": ["many"]}),
    ...             function="net_flows", needs=("origin", "destination", "people"))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoconflict.errors.SchemaError: net_flows: table 'flows', row 1, column 'people', ...
    """
    name = _name(function, "flows")
    frame = as_table(flows, table=name)
    needs = list(needs)
    if ORIGIN not in frame.columns and KIND in frame.columns:
        # a table of 'present' counts may leave origin out: it is empty in every row
        frame = frame.assign(**{ORIGIN: pd.Series(pd.NA, index=frame.index, dtype="string")})
    elif ORIGIN in needs and ORIGIN not in frame.columns:
        raise SchemaError(
            f"{name}: no column 'origin'; it is optional only in a table of people counted "
            f"where they are, whose 'kind' column says 'present' (columns: "
            f"{list(frame.columns)[:12]}). Fix: add the origin of each movement, or a "
            "column kind='present' for counts of people present."
        )
    require_columns(frame, needs, table=name, options={})
    if _flows_are_clean(frame):
        return frame
    checked = validate_flows(frame, source=name, required=needs)
    return frame if _flows_usable_as_given(frame) else checked


def _flows_usable_as_given(frame: pd.DataFrame) -> bool:
    """Whether a table that passed validation needs no conversion (dates and numbers parsed,
    no end to fill in, no households), so that it is used with its own dtypes."""
    cols = frame.columns
    dates = all(
        pd.api.types.is_datetime64_any_dtype(frame[c].dtype) for c in (START, END) if c in cols
    ) and (START not in cols or END in cols)
    numbers = all(
        pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
        for c in (PEOPLE, PEOPLE_MAX)
        if c in cols
    )
    ids = all(
        pd.api.types.is_string_dtype(frame[c].dtype) for c in (ORIGIN, DESTINATION) if c in cols
    )
    return dates and numbers and ids and "unit" not in cols


def _flows_are_clean(frame: pd.DataFrame) -> bool:
    cols = frame.columns
    if not all(c in cols and _is_text(frame[c]) for c in (KIND, CATEGORY)):
        return False
    if not all(_is_text(frame[c]) for c in (ORIGIN, DESTINATION) if c in cols):
        return False
    if START in cols and not (_is_dates(frame[START]) and END in cols and _is_dates(frame[END])):
        return False
    if PEOPLE in cols and not (
        _is_float(frame[PEOPLE]) and PEOPLE_MAX in cols and _is_float(frame[PEOPLE_MAX])
    ):
        return False
    if not _no_missing(frame, [c for c in (DESTINATION, START, PEOPLE) if c in cols]):
        return False
    if ORIGIN in cols:
        unexplained = frame[ORIGIN].isna() & (frame[KIND] != "present").fillna(True)
        if unexplained.any():
            return False
    return not (PEOPLE in cols and (frame[PEOPLE] < 0).any())


def places_input(places: object, *, function: str) -> gpd.GeoDataFrame:
    """A places table indexed by ``place_id`` with geometries: as it is when validated,
    else validated."""
    name = _name(function, "places")
    frame = as_table(places, table=name)
    if (
        isinstance(frame, gpd.GeoDataFrame)
        and frame.index.name == PLACE_ID
        and isinstance(frame.index.dtype, pd.StringDtype)
        and frame._geometry_column_name == GEOMETRY
        and GEOMETRY in frame.columns
        and NAME in frame.columns
        and _is_text(frame[NAME])
        and frame.crs is not None
        and frame.crs.equals(CRS)
        and not frame.index.hasnans
        and not frame.geometry.isna().any()
    ):
        return frame
    if PLACE_ID not in frame.columns and frame.index.name != PLACE_ID:
        require_columns(frame, [PLACE_ID], table=name, options={})
    return validate_places(frame, source=name)


def events_input(events: object, *, function: str) -> gpd.GeoDataFrame:
    """An events table (``date``, point ``geometry``): as it is when validated (as the readers
    return it), else validated."""
    name = _name(function, "events")
    frame = as_table(events, table=name)
    if (
        isinstance(frame, gpd.GeoDataFrame)
        and frame._geometry_column_name == GEOMETRY
        and DATE in frame.columns
        and _is_dates(frame[DATE])
        and frame.crs is not None
        and frame.crs.equals(CRS)
        and not frame[DATE].isna().any()
        and _lonlat_points(frame.geometry.to_numpy())
    ):
        return frame
    return validate_events(frame, source=name)


def _lonlat_points(geoms: np.ndarray) -> bool:
    """Whether every geometry is a non-empty point with lon/lat in range (what
    :func:`~geoconflict._schema.validate_events` lets through; it says what is wrong)."""
    if not (shapely.get_type_id(geoms) == 0).all() or shapely.is_empty(geoms).any():
        return False
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    return bool(((np.abs(lon) <= 180) & (np.abs(lat) <= 90)).all())  # NaN: False


def place_ids_input(places: object, *, function: str, argument: str = "places") -> pd.Index | None:
    """The place ids of a ``places=`` option: a table's index, or a sequence of ids."""
    if places is None:
        return None
    if isinstance(places, (pd.DataFrame, pd.Series)):
        return places.index
    if isinstance(places, (str, bytes)) or not isinstance(places, Iterable):
        raise ArgumentTypeError(
            f"{function}: {argument} must be a places table or a sequence of place ids, got "
            f"{type(places).__name__} {places!r}. Fix: pass conflict.places, or a list such "
            "as ['hama', 'homs']."
        )
    return places if isinstance(places, pd.Index) else pd.Index(list(places))


def actors_input(actors: object, *, function: str) -> pd.DataFrame:
    """An actors table indexed by actor id (an ``actor_id`` column becomes the index), its
    ``color`` values checked like :func:`~geoconflict._schema.validate_actors` does."""
    name = _name(function, "actors")
    frame = as_table(actors, table=name)
    if ACTOR_ID in frame.columns:
        frame = frame.set_index(ACTOR_ID)
    if COLOR in frame.columns:
        color = frame[COLOR]
        text = color.astype("string").str.strip().str.lower()
        bad = color.notna().to_numpy() & ~text.str.fullmatch(r"#[0-9a-f]{6}").fillna(
            False
        ).to_numpy(dtype=bool)
        check = Collector(name)
        check.add_rows(
            bad,
            color,
            "colour must be a hex colour like #1f77b4",
            column=COLOR,
            fix="write #rrggbb, or leave it empty to get one picked",
        )
        check.raise_if_any()
    return frame


def is_conflict(obj: object) -> bool:
    """Whether ``obj`` is a conflict: not a table, and has a conflict's tables.

    Checked by what it has rather than its class, so that the layers below the container
    need not import it.
    """
    return not isinstance(obj, pd.DataFrame) and all(
        hasattr(obj, name) for name in _CONFLICT_TABLES
    )


def conflict_input(conflict: object, *, function: str) -> ConflictLike:
    """``conflict`` itself when it is a conflict (has its tables), else ArgumentTypeError."""
    if not is_conflict(conflict):
        raise ArgumentTypeError(
            f"{function}: conflict must be a geoconflict.Conflict, got "
            f"{type(conflict).__name__}. Fix: build one with gc.Conflict(places, actors, "
            "control) or read one with gc.read_conflict(path)."
        )
    return cast(ConflictLike, conflict)


def number_option(
    value: object,
    *,
    function: str,
    argument: str,
    minimum: float | None = None,
    above: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
) -> float:
    """A finite number option (``>= minimum``, ``> above``, ``<= maximum``, whole when
    asked)."""
    number = (
        float(value)
        if isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, (bool, np.bool_))
        else math.nan
    )
    ok = math.isfinite(number)
    if ok and whole:
        ok = number.is_integer()
    if ok and minimum is not None:
        ok = number >= minimum
    if ok and above is not None:
        ok = number > above
    if ok and maximum is not None:
        ok = number <= maximum
    if not ok:
        kind = "a whole number" if whole else "a finite number"
        bounds = (
            f" of at least {minimum:g}"
            if minimum is not None
            else f" greater than {above:g}"
            if above is not None
            else ""
        )
        if maximum is not None:
            bounds += f"{' and' if bounds else ''} of at most {maximum:g}"
        raise OptionError(f"{function}: {argument} must be {kind}{bounds}, got {value!r}.")
    return number
