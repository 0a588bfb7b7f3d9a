"""One set of value parsers for every table: ids, text, dates, numbers and points.

Each parser takes a whole column, works with array operations, records what it cannot read
in a :class:`~geoconflict._collect.Collector` and returns the parsed column. The folder
format's validators use them in strict mode (ISO dates only, every bad value an error); the
readers of foreign data use the same functions in report mode with the date formats those
exports carry (``05 December 2024``, ``18/04/2001``, ``March 31, 2015``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import shapely

from ._collect import Collector
from .errors import ArgumentTypeError, DataWarning, SchemaError

__all__ = [
    "EARLIEST",
    "as_table",
    "check_id_types",
    "FOREIGN_DATE_FORMATS",
    "LATEST",
    "blank_to_na",
    "clean_ids",
    "is_in",
    "lower_or",
    "parse_dates",
    "parse_numbers",
    "parse_points",
    "strip_blanks",
]

#: Dates outside this window are almost always typing errors (a year of 0224 or 20244).
EARLIEST = pd.Timestamp("1800-01-01")
LATEST = pd.Timestamp("2100-12-31")

#: Date formats of foreign exports, tried in order after ISO 8601. Numeric day/month dates
#: (``18/04/2001``, ``19/3/15``) are read separately: see :func:`parse_dates`.
FOREIGN_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%d-%B-%Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d-%B-%y",
    "%d %b %y",
    "%d/%b/%Y",
    "%d/%b/%y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d %B, %Y",
)

_NUMERIC_DATE = r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$"
_ISO_FIX = (
    "write dates as ISO 8601, e.g. 2024-12-05 (day first or month first dates such as "
    "05/12/2024 are ambiguous)"
)


def blank_to_na(series: pd.Series) -> pd.Series:
    """Strip text and turn empty strings into missing values."""
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        return clean_ids(series)
    return series


def clean_ids(series: pd.Series) -> pd.Series:
    """``series`` as the "string" dtype, stripped of white space, blank cells missing.

    With pyarrow (pandas' strings are then Arrow arrays) two Arrow calls on the whole
    column: what ``.str.strip()`` and ``.mask(text == "")`` do, without the pandas objects
    made between them (a third of the time, which counts: every table of every dataset
    goes through here, column by column).

    Examples
    --------
    >>> clean_ids(pd.Series([" a", "b ", "  ", None])).tolist()
    ['a', 'b', <NA>, <NA>]
    """
    values = series.array
    if not (isinstance(values, pd.arrays.ArrowStringArray) and values.dtype == "string"):
        text = series.astype("string")  # a copy; a "string" column is read as it is
        values = text.array
    if not isinstance(values, pd.arrays.ArrowStringArray):  # pandas' own strings
        out = text.str.strip()
        return out.mask(out == "", pd.NA)
    kept = _stripped(values)
    return pd.Series(pd.arrays.ArrowStringArray(kept), index=series.index, name=series.name)


def strip_blanks(series: pd.Series) -> pd.Series:
    """A text column stripped of white space, blank cells missing, its dtype kept (what
    :func:`clean_ids` does, for the text columns a CSV reader gives).

    Examples
    --------
    >>> strip_blanks(pd.Series([" a", "  ", None], dtype="str")).tolist()
    ['a', nan, nan]
    """
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        kept = pd.array(_stripped(series.array), dtype=series.dtype)
        return pd.Series(kept, index=series.index, name=series.name)
    values = series.str.strip()
    return values.mask(values == "", None)


def _stripped(values: pd.arrays.ArrowStringArray) -> object:
    """The Arrow text stripped, blank cells null: two Arrow calls on the whole column."""
    import pyarrow as pa  # optional: installed whenever pandas stores strings in Arrow
    import pyarrow.compute as pc

    stripped = pc.utf8_trim_whitespace(pa.chunked_array(values.__arrow_array__()))
    blank = pc.equal(pc.utf8_length(stripped), 0)
    return pc.if_else(blank, pa.scalar(None, stripped.type), stripped)


def lower_or(text: pd.Series, default: str | None = None) -> pd.Series:
    """``text`` (a :func:`clean_ids` column) in lower case, missing cells ``default``
    (kept missing when ``None``); in Arrow when the column is.

    Examples
    --------
    >>> lower_or(clean_ids(pd.Series(["Held", " ", None])), "held").tolist()
    ['held', 'held', 'held']
    """
    array = text.array
    if not isinstance(array, pd.arrays.ArrowStringArray):  # pandas' own strings
        lowered = text.str.lower()
        return lowered if default is None else lowered.fillna(default)
    import pyarrow as pa  # optional: installed whenever pandas keeps strings in Arrow
    import pyarrow.compute as pc

    lowered = pc.utf8_lower(pa.chunked_array(array.__arrow_array__()))
    if default is not None:
        lowered = pc.fill_null(lowered, pa.scalar(default, lowered.type))
    return pd.Series(pd.arrays.ArrowStringArray(lowered), index=text.index, name=text.name)


def is_in(values: pd.Series, allowed: Iterable[object]) -> np.ndarray:
    """Boolean array: which values are among ``allowed`` (missing values are not).

    Text kept in Arrow (as :func:`clean_ids` returns it) against text is one Arrow
    ``is_in`` call (a tenth of the time of the general way on a small table, where the
    pandas objects made between the steps cost more than the work). Otherwise the values
    are hashed once (factorize) and only their distinct values looked up.

    Examples
    --------
    >>> is_in(clean_ids(pd.Series(["a", "b", None])), ["a", "c"]).tolist()
    [True, False, False]
    >>> is_in(pd.Series([1, 2, None]), [2]).tolist()
    [False, True, False]
    """
    allowed = list(allowed)
    array = values.array
    if isinstance(array, pd.arrays.ArrowStringArray) and all(isinstance(a, str) for a in allowed):
        import pyarrow as pa  # optional: installed whenever pandas keeps strings in Arrow
        import pyarrow.compute as pc

        chunks = pa.chunked_array(array.__arrow_array__())
        found = pc.is_in(chunks, value_set=pa.array(allowed, type=chunks.type), skip_nulls=True)
        return found.to_numpy(zero_copy_only=False).astype(bool, copy=False)
    codes, uniques = pd.factorize(values)
    known = pd.Index(pd.unique(np.array(list(allowed), dtype=object)))
    hit = known.get_indexer(np.asarray(uniques, dtype=object)) >= 0
    return np.append(hit, False)[codes]  # code -1 (missing) picks the False at the end


def _text(series: pd.Series) -> pd.Series:
    return blank_to_na(series.astype(object) if series.dtype == object else series)


def _changes(values: np.ndarray) -> int:
    """How often a value differs from the one before (NaN rows left out)."""
    kept = values[~np.isnan(values)]
    return int(np.count_nonzero(kept[1:] != kept[:-1]))


def _day_month_dates(
    text: pd.Series, check: Collector, column: str, dayfirst: bool | None = None
) -> pd.Series:
    """Dates written as day/month/year or month/day/year (``18/04/2001``, ``03-18-14``).

    A value whose first number is over 12 is day first, one whose second is over 12 month
    first. The others follow ``dayfirst`` when given, else the column: its unambiguous
    dates when they agree, else the order of its rows (in a table sorted by date the day
    changes from row to row more often than the month); when nothing decides, day first is
    assumed and a :class:`~geoconflict.errors.DataWarning` names the column.
    """
    parts = text.str.extract(_NUMERIC_DATE).astype("float64")
    a, b, y = (parts[i].to_numpy() for i in range(3))
    found = ~np.isnan(a)
    day_first = found & (a > 12) & (b <= 12)
    month_first = found & (b > 12) & (a <= 12)
    ambiguous = found & (a <= 12) & (b <= 12) & (a != b)
    how = ""
    if dayfirst is not None:
        column_month_first = not dayfirst
        how = f"as dayfirst={dayfirst} says"
    elif month_first.any() and not day_first.any():
        column_month_first, how = True, "as the column's unambiguous dates are"
    elif day_first.any():
        column_month_first, how = False, "as the column's unambiguous dates are"
    else:
        first, second = _changes(np.where(found, a, np.nan)), _changes(np.where(found, b, np.nan))
        if second >= 3 and second >= 2 * first:
            column_month_first = True
            how = "as the second number changes from row to row like a day"
        elif first >= 3 and first >= 2 * second:
            column_month_first = False
            how = "as the first number changes from row to row like a day"
        else:
            column_month_first = False
    use_month_first = month_first | (ambiguous & column_month_first)
    day = np.where(use_month_first, b, a)
    month = np.where(use_month_first, a, b)
    year = np.where(y < 100, np.where(y < 69, y + 2000, y + 1900), y)
    parsed = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce"
    )
    parsed.index = text.index
    if ambiguous.any():
        example = str(text.to_numpy()[np.flatnonzero(ambiguous)[0]])
        order = "month first" if column_month_first else "day first"
        if how:
            check.note(
                f"{column}: dates such as {example!r} can be read either way; they were "
                f"read {order}, {how}"
            )
        else:
            warnings.warn(
                f"{check.table}, column {column!r}: dates such as {example!r} can be day "
                "first or month first and nothing in the column decides; they were read day "
                "first. Fix: pass dayfirst=False if they are month first (US style "
                "4/12/2022 = 12 April), or dayfirst=True to say so.",
                DataWarning,
                stacklevel=5,
            )
            check.note(f"{column}: dates such as {example!r} were read day first (assumed)")
    if day_first.any() and month_first.any():
        check.note(f"{column}: some dates are written day first and others month first")
    return parsed.where(found)


def parse_dates(
    series: pd.Series,
    check: Collector,
    column: str,
    *,
    required: bool = True,
    formats: Iterable[str] | None = None,
    expected: str = "2024-12-05",
    dayfirst: bool | None = None,
) -> pd.Series:
    """Dates as naive UTC ``datetime64[ns]``; unreadable, missing and implausible ones recorded.

    Parameters
    ----------
    series : Series
        Text (or already dates; time-zone aware values are converted to UTC, naive ones are
        taken as UTC).
    check : Collector
    column : str
        The column name for messages.
    required : bool
        Whether a missing date is a problem. In report mode a bad optional date is left
        missing (and said so); a bad required one makes the reader skip the row.
    formats : iterable of str, optional
        Foreign formats to try after ISO 8601 (``None``: ISO 8601 only, as the folder format
        requires). Any ``formats`` also reads numeric day/month dates.
    expected : str
        An example of a good date for messages in report mode.
    dayfirst : bool, optional
        How to read numeric dates that can be read either way (``04/05/2022``); default:
        decided from the column (see ``_day_month_dates``).
    """
    left = "; left missing" if check.report and not required else ""
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        series.dtype
    ):
        parsed = (
            series.dt.tz_convert("UTC").dt.tz_localize(None)
            if isinstance(series.dtype, pd.DatetimeTZDtype)
            else series
        )
        raw: pd.Series = series
        values = parsed.to_numpy()  # NaT compares False
        far = (values < EARLIEST.to_datetime64()) | (values > LATEST.to_datetime64())
    else:
        raw = _text(series)
        # dates repeat: each distinct text is parsed once
        codes, uniques = pd.factorize(raw.astype("string"), use_na_sentinel=True)
        text = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_localize(None)
        if formats is not None:
            todo = parsed.isna() & text.notna()
            if todo.any():
                parsed = parsed.where(
                    ~todo, _day_month_dates(text.where(todo), check, column, dayfirst)
                )
            for fmt in formats:
                todo = parsed.isna() & text.notna()
                if not todo.any():
                    break
                parsed = parsed.where(
                    ~todo, pd.to_datetime(text.where(todo), format=fmt, errors="coerce")
                )
        # from here in numpy, on the distinct texts: a table's dates are few
        # in seconds: pandas may read a far year (0224) at a coarser unit than ns can hold
        native = np.array(parsed.to_numpy())  # the unit pandas chose (a copy: changed below)
        seconds = native.astype("datetime64[s]")
        unread = np.isnat(seconds)
        unholdable = np.zeros(unread.size, dtype=bool)
        if unread.any():  # a year pandas cannot hold (0224, 20244) is a mistyped year too
            year = pd.to_numeric(
                text[unread].str.extract(r"^\s*(\d{1,6})-\d{1,2}-\d{1,2}", expand=False),
                errors="coerce",
            ).to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                unholdable[unread] = (year < EARLIEST.year) | (year > LATEST.year)
        early, late = np.datetime64(EARLIEST, "s"), np.datetime64(LATEST, "s")
        far_unique = ~unread & ((seconds < early) | (seconds > late))
        for limit, outside in ((EARLIEST, np.less), (LATEST, np.greater)):
            edge = seconds == np.datetime64(limit, "s")
            if edge.any():  # within the second of a limit: compare at the values' own unit
                far_unique[edge] = outside(native[edge], np.datetime64(limit, "ns"))
        far_unique |= unholdable
        native[far_unique] = np.datetime64("NaT")
        unique_values = native.astype("datetime64[ns]")  # within ns's range now
        at = np.where(codes < 0, unique_values.size, codes)
        far = np.append(far_unique, False)[at]
        values = np.append(unique_values, np.datetime64("NaT", "ns"))[at]
        parsed = pd.Series(values, index=series.index)
        bad = raw.notna().to_numpy() & np.isnat(values) & ~far
        if formats is None and not check.report:
            check.add_rows(
                bad, raw, "not a date in the form YYYY-MM-DD", column=column, fix=_ISO_FIX
            )
        else:
            check.add_rows(
                bad,
                raw,
                f"not a date (expected e.g. {expected}){left}",
                column=column,
                fix=_ISO_FIX,
            )
    if required:
        check.add_rows(
            raw.isna().to_numpy(),
            raw,
            "date is missing",
            column=column,
            fix="give a date for every row",
        )
    check.add_rows(
        far,
        raw,
        f"date is outside {EARLIEST.year}..{LATEST.year} and is probably mistyped{left}",
        column=column,
        fix="check the year",
    )
    if far.any():
        parsed = parsed.mask(far)
    return parsed if parsed.dtype == "datetime64[ns]" else parsed.astype("datetime64[ns]")


def parse_numbers(
    series: pd.Series,
    check: Collector,
    column: str,
    *,
    what: str,
    required: bool = False,
    minimum: float | None = None,
    strictly_positive: bool = False,
    keep: bool = True,
) -> pd.Series:
    """Numbers as float64; text, infinities, missing and too small values recorded.

    In strict mode every such value is an error. In report mode the value is left missing
    (``keep``: the reader keeps the row, and the reason says so) and values below
    ``minimum`` are left missing too.
    """
    raw = series
    left = "; left missing" if check.report and keep else ""
    if pd.api.types.is_bool_dtype(series.dtype):
        check.add_rows(np.ones(len(series), bool), raw, f"{what} must be a number", column=column)
        return pd.Series(np.full(len(series), np.nan), index=series.index)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        given = ~np.isnan(values)
    else:
        text = _text(series)
        numbers = pd.to_numeric(text.astype("string"), errors="coerce").astype("float64")
        given = text.notna().to_numpy()
        values = numbers.to_numpy(copy=True)
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(values)
    not_number = given & np.isnan(values)
    if check.report:
        check.add_rows(not_number | infinite, raw, f"{what} is not a number{left}", column=column)
    else:
        check.add_rows(
            not_number,
            raw,
            f"{what} is not a number",
            column=column,
            fix="write plain numbers such as 1200 (no thousands separators, "
            "words or ranges; put a range's midpoint and a note)",
        )
        check.add_rows(infinite, raw, f"{what} must be finite", column=column)
    values[infinite] = np.nan
    if required:
        check.add_rows(~given, raw, f"{what} is missing", column=column)
    if minimum is not None:
        with np.errstate(invalid="ignore"):
            low = (values <= minimum) if strictly_positive else (values < minimum)
        if check.report and minimum == 0 and not strictly_positive:
            check.add_rows(low, raw, f"{what} is negative{left}", column=column)
        else:
            word = "greater than" if strictly_positive else "at least"
            check.add_rows(
                low,
                raw,
                f"{what} must be {word} {minimum:g}{left}",
                column=column,
                fix="drop rows with no movement" if strictly_positive else None,
            )
        if check.report:
            values[low] = np.nan
    return pd.Series(values, index=series.index)


def parse_points(
    frame: pd.DataFrame, lon: object, lat: object, check: Collector
) -> tuple[np.ndarray, np.ndarray]:
    """Points from longitude and latitude columns, and which rows gave a usable point.

    Rows with missing, non-numeric or out-of-range coordinates are recorded.
    """
    texts = []
    numbers = []
    for col in (lon, lat):
        text = _text(frame[col].astype("string"))
        texts.append(text)
        numbers.append(pd.to_numeric(text, errors="coerce").astype("float64").to_numpy())
    x, y = numbers
    with np.errstate(invalid="ignore"):
        bad = (texts[0].notna().to_numpy() & ~np.isfinite(x)) | (
            texts[1].notna().to_numpy() & ~np.isfinite(y)
        )
    x = np.where(np.isfinite(x), x, np.nan)
    y = np.where(np.isfinite(y), y, np.nan)
    shown = frame[lon].astype("string").fillna("") + ", " + frame[lat].astype("string").fillna("")
    column = f"{lon}/{lat}"
    check.add_rows(bad, shown, "coordinates are not numbers", column=column)
    missing = ~bad & (np.isnan(x) | np.isnan(y))
    check.add_rows(missing, shown, "coordinates are missing", column=column)
    with np.errstate(invalid="ignore"):
        outside = ~bad & ~missing & ((np.abs(x) > 180) | (np.abs(y) > 90))
    check.add_rows(
        outside,
        shown,
        "coordinates are outside longitude -180..180 / latitude -90..90",
        column=column,
    )
    ok = ~(bad | missing | outside)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    return geoms, ok


def as_table(obj: object, *, table: str) -> pd.DataFrame:
    """``obj`` as a DataFrame: a DataFrame as it is, a mapping of columns as a new one.

    Raises
    ------
    ArgumentTypeError
        For anything else (a list, a path, None).
    SchemaError
        For a mapping whose columns differ in length.
    """
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, Mapping):
        try:
            return pd.DataFrame(obj)
        except (ValueError, TypeError) as exc:
            raise SchemaError(
                f"{table}: the columns could not be made into a table ({exc}). "
                "Fix: give every column the same number of values."
            ) from None
    raise ArgumentTypeError(
        f"{table} must be a pandas DataFrame (or a dict of columns), got "
        f"{type(obj).__name__}. Fix: build it with pandas.DataFrame or read "
        "it with one of the read_* functions."
    )


#: What :func:`pandas.api.types.infer_dtype` calls a column that holds usable ids.
_ID_KINDS = ("string", "integer", "mixed-integer", "empty")


def check_id_types(series: pd.Series, check: Collector, column: str) -> None:
    """Record ids that are neither text nor whole numbers (booleans, dates, geometries...).

    Text and integer columns pass in O(1) or one C-level scan; only a column that fails that
    is looked at value by value, to name the rows.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype):
        return
    if pd.api.types.is_float_dtype(dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = np.isfinite(values) & (np.mod(values, 1) != 0)
    elif pd.api.types.is_object_dtype(dtype):
        if pd.api.types.infer_dtype(series, skipna=True) in _ID_KINDS:
            return
        bad = ~series.map(_usable_id).to_numpy(dtype=bool)
    else:  # bool, datetime, geometry, categorical ... columns
        bad = series.notna().to_numpy()
    check.add_rows(
        bad,
        series,
        f"{column} must be text (or a whole number), not {_kind_of(series)}",
        column=column,
        fix="give ids as text such as 'hama' or 'SY0200'",
    )


def _usable_id(value: object) -> bool:
    if value is None or value is pd.NA or isinstance(value, (bool, np.bool_)):
        return value is not True and value is not False and not isinstance(value, np.bool_)
    if isinstance(value, (str, int, np.integer)):
        return True
    return isinstance(value, float) and (value != value or value.is_integer())


def _kind_of(series: pd.Series) -> str:
    if pd.api.types.is_object_dtype(series.dtype):
        return "a mix of values"
    return f"{series.dtype} values"
