"""UCDP GED: the Uppsala Conflict Data Program's Georeferenced Event Dataset, as CSV.

=======================  ==================  =========================================
GED column               our column          notes
=======================  ==================  =========================================
``id``                   ``event_id``
``date_start``           ``date``
``date_end``             ``date_end``
``latitude``,            ``geometry``        a Point, EPSG:4326
``longitude``
``type_of_violence``     ``event_type``      1 state-based conflict, 2 non-state
                                             conflict, 3 one-sided violence
``side_a``, ``side_b``   ``actor1``,
                         ``actor2``
``best``                 ``fatalities``      UCDP's best estimate of deaths
``low``, ``high``        ``fatalities_low``,
                         ``fatalities_high``
``where_coordinates``    ``location``
``where_prec``           ``where_prec``      1 = the exact place ... 7 = the country
``adm_1``, ``adm_2``     ``admin1``,
                         ``admin2``
``conflict_name``,       same
``country``
``source_article``       ``source``
=======================  ==================  =========================================

Some GED releases come without a header row; they are read with the standard 49-column
layout (:data:`GED_COLUMNS`), or with the names passed as ``columns=``. HDX's copies carry an
HXL hashtag row under the header; it is left out and said so in the report. Cells holding only
``NA`` are missing values. A ``date_end`` that cannot be read is left missing (the event is
kept: its start date places it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from .._schema import CRS, DATE, SOURCE, validate_events
from .._values import parse_points
from ..errors import FormatError, SchemaError
from ._columns import Column, take_columns
from ._csv import blank_words, is_hashtag, read_text_table, split_hashtag_row
from .report import ReadReport, ReportBuilder

__all__ = ["GED_COLUMNS", "UCDP_COLUMNS", "read_ucdp_ged"]

#: The columns of UCDP GED releases (19.1 to 25.1), in file order.
GED_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
_REQUIRED = ("date_start", "latitude", "longitude")
_VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}

#: Our events columns and GED's names for them.
UCDP_COLUMNS = (
    Column("event_id", ("id",)),
    Column(DATE, ("date_start",), "date", required=True),
    Column("date_end", ("date_end",), "date"),
    Column("event_type", ("type_of_violence",), values=_VIOLENCE),
    Column("actor1", ("side_a",)),
    Column("actor2", ("side_b",)),
    Column("location", ("where_coordinates",)),
    Column("admin1", ("adm_1",)),
    Column("admin2", ("adm_2",)),
    Column("conflict_name", ("conflict_name",)),
    Column("country", ("country",)),
    Column(SOURCE, ("source_article",)),
    Column("fatalities", ("best",), "count", what="deaths"),
    Column("fatalities_low", ("low",), "count", what="deaths"),
    Column("fatalities_high", ("high",), "count", what="deaths"),
    Column("where_prec", ("where_prec",), "whole"),
)


def _with_header(
    frame: pd.DataFrame, rows: np.ndarray, columns: Sequence[str] | None, table: str
) -> tuple[pd.DataFrame, np.ndarray, str]:
    """Name the columns: from the header row when there is one, else the GED layout."""
    first = [str(v).strip().lower() for v in frame.iloc[0].fillna("")]
    if len(set(first) & set(GED_COLUMNS)) >= min(3, len(first)):  # GED names, not data
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        names = pd.Index(first)
        note = "header row found"
        repeated = [n for n in names[names.duplicated()].unique() if n]
        drop = []
        for name in repeated:
            at = np.flatnonzero(names == name)
            cells = [frame[j].where(~is_hashtag(frame[j]), None).fillna("") for j in at]
            same = all(cells[0].equals(other) for other in cells[1:])
            if not same:
                raise FormatError(
                    f"{table}: the column {name!r} appears {at.size} times (columns "
                    f"{', '.join(str(j + 1) for j in at)}) with different values, so which "
                    "one to read is unclear. Fix: rename or delete the extra column(s)."
                )
            drop += list(at[1:])
        if repeated:
            note += f"; repeated column(s) {repeated} hold the same values: the first is read"
        keep = [j for j in range(len(first)) if j not in set(drop)]
        frame = frame[keep]
        frame.columns = [first[j] for j in keep]
        return frame, rows[1:] - 1, note
    names = list(columns) if columns is not None else list(GED_COLUMNS)
    if columns is None and _looks_like_header(first):
        other = _acled_hint(first)
        shown = ", ".join(repr(v) for v in first[:6]) + (", ..." if len(first) > 6 else "")
        raise FormatError(
            f"{table}: the header row ({shown}) names fewer than 3 UCDP GED columns "
            f"(such as id, date_start, latitude, longitude, best).{other} Fix: pass a GED "
            "file, or pass columns=[...] naming every column in order."
        )
    if len(names) != frame.shape[1]:
        given = (
            "the names passed as columns="
            if columns is not None
            else (f"the {len(GED_COLUMNS)}-column GED layout")
        )
        raise FormatError(
            f"{table}: the file has no header row and {frame.shape[1]} columns, "
            f"which does not match {given} ({len(names)}). Fix: add the header "
            "row, or pass columns=[...] naming every column in order."
        )
    frame.columns = [n.lower() for n in names]
    return (
        frame,
        rows,
        "no header row: columns named by "
        + ("columns=" if columns is not None else "the standard GED layout"),
    )


def _acled_hint(names: list[str]) -> str:
    """A sentence pointing to ``read_acled`` when the column names are ACLED's."""
    if {"event_date", "event_id_cnty"} & {str(n).lower() for n in names}:
        return " It looks like an ACLED export: read it with read_acled."
    return ""


def _looks_like_header(cells: list[str]) -> bool:
    """Whether a first row reads as column names: words, none of them a number or date."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(
        c[0].isalpha() and c.replace("_", "").replace(" ", "").replace(".", "").isalnum()
        for c in filled
    )


def read_ucdp_ged(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    dayfirst: bool | None = None,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read a UCDP GED CSV file (with or without a header row) as an events table.

    Parameters
    ----------
    path : path-like
    columns : sequence of str, optional
        Column names for a file without a header row; default: :data:`GED_COLUMNS`.
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
        The columns in the module docstring's table that the file has, and ``geometry``.
    report : ReadReport
        Rows skipped (missing or unreadable coordinates or start dates) and values left
        missing (death counts that are not numbers).

    Raises
    ------
    SchemaError
        When ``date_start``, ``latitude`` or ``longitude`` is not a column.
    FormatError
        For a file without header whose column count fits neither layout.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "ged.csv"
    >>> _ = f.write_text("id,date_start,date_end,side_a,side_b,latitude,longitude,best\\n"
    ...                  "1,2024-12-05 00:00:00.000,2024-12-05 00:00:00.000,Government of "
    ...                  "Syria,HTS,35.13,36.75,12\\n")
    >>> events, report = read_ucdp_ged(f)
    >>> events[["date", "actor1", "actor2", "fatalities"]].values.tolist()
    [[Timestamp('2024-12-05 00:00:00'), 'Government of Syria', 'HTS', 12.0]]
    """
    table = str(path)
    raw, rows = read_text_table(
        path, delimiter=delimiter, encoding=encoding, header=False, sheet=sheet
    )
    frame, rows, how = _with_header(raw, rows, columns, table)
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{table}: missing column(s) {missing}; got {list(frame.columns)[:12]}"
            f"{' ...' if frame.shape[1] > 12 else ''}.{_acled_hint(list(frame.columns))} "
            "Fix: pass a UCDP GED CSV file (GEDEvent_v*.csv), or rename the columns."
        )
    frame, rows, tags = split_hashtag_row(frame, rows)
    frame, blanked = blank_words(frame)
    report = ReportBuilder(table, "events", rows=rows)
    report.note(how)
    if tags is not None:
        report.note("the row under the header holds HXL hashtags, not an event; it was left out")
    if blanked:
        shown = ", ".join(f"{c} {n}" for c, n in blanked.items())
        report.note(f"cells holding only 'NA' were read as missing ({shown})")
    geoms, ok = parse_points(frame, "longitude", "latitude", report)
    data = take_columns(frame, UCDP_COLUMNS, report, dayfirst=dayfirst)
    ok &= data[DATE].notna().to_numpy()
    out = gpd.GeoDataFrame(
        pd.DataFrame(data)[ok].reset_index(drop=True), geometry=gpd.GeoSeries(geoms[ok], crs=CRS)
    )
    events = validate_events(out, source=table, rows=rows[ok])
    return events, report.build(kept=ok)
