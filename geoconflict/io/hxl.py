"""HXL-tagged CSV files: humanitarian tables whose second row holds ``#`` hashtags.

The Humanitarian Exchange Language marks each column with a hashtag and attributes
(``#adm1+name``, ``#affected+idps+ind``, ``#date+reported``). :func:`read_hxl` reads the
tags, not the human headers, so it works whatever the headers say or the language they use.

A table with origin or destination tags (``+origin``, ``+dest``) is read as **flows**; any
other as **places**. Where several tags could fill a column, the finest location level wins
(``#loc`` > ``#adm4`` > ... > ``#adm1`` > ``#country``), and a p-code (``+code`` /
``+pcode``) is used over a name for ids.

The hashtag row may be the header itself or come under any number of header rows (HXL allows
title rows); the header text just above a tag names the column in messages. Cells may be
separated by commas, semicolons, tabs or pipes. Dates may be ISO 8601 or as exports write them
(``1 March 2015``, ``19/3/15``, ``March 31, 2015``).

**Tables that repeat their figures at several levels.** IOM DTM tables give the same people as
a country total, admin-1 totals and admin-2 rows (a ``#adm+level`` column says which, or the
finest location filled in the row does). When a table mixes levels, only the rows of the level
read are kept (the finest tagged, or ``level=``); the others are reported as totals or detail
of another level, so that no one is counted twice. A location written as "Not available",
"Unknown", "NA" or the like is no place: such rows are reported, not read as a place.

Flows
=====

===============================================  ==================================
tags                                             our column
===============================================  ==================================
``#loc|#admN`` with ``+origin`` (``+code``       ``origin``
or ``+name``)
``#loc|#admN`` with ``+dest``; without one,      ``destination`` (DTM tables give
the location without ``+origin``                 the current location of IDPs)
``#affected+idps`` (``+ind``),                   ``people``
``#affected+displaced``, ``#population+idps``
the same with ``+hh`` (households)               ``people``, ``unit = households``
``#date+start``, else ``#date`` (``+reported``,  ``start``
``+survey``, ``+occurred``)
``#date+end``                                    ``end``
``#meta+source``                                 ``source``
===============================================  ==================================

Places
======

===============================================  ==================================
tags                                             our column
===============================================  ==================================
``#loc|#admN+code`` (``+pcode``)                 ``place_id`` and ``pcode``
``#loc|#admN+name`` (no language)                ``name`` (and the id when no code)
``#loc|#admN+name+i_ar``                         ``name_ar``
``#adm1``, ``#adm2``, ``#adm3`` (when places are  ``admin1``, ``admin2``, ``admin3``
finer; the code if tagged, else the name)
``#geo+lat``, ``#geo+lon``                       ``geometry`` (a Point)
``#population`` (``+total``/``+ind``/``+num``   ``population``
at most)
``#affected+idps`` (``+ind``)                    ``idps``
``#affected+idps+hh``                            ``idps_households``
``#date``                                        ``date``
===============================================  ==================================

Any other tag is kept as a column named after it: ``#org+name`` becomes ``org_name``.
A count is a total only when its attributes are among :data:`~geoconflict.io._hxltags.TOTALS`;
disaggregations (``+f``, ``+m``, ``+children``, ``+sex`` ...) are never taken as totals.
"""

from __future__ import annotations

import os
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .._inputs import places_input
from .._schema import (
    ADMIN1,
    CRS,
    DATE,
    DESTINATION,
    END,
    KIND,
    NAME,
    NAME_AR,
    ORIGIN,
    PCODE,
    PEOPLE,
    PLACE_ID,
    POPULATION,
    SOURCE,
    START,
    UNIT,
    validate_places,
)
from .._schema_flows import validate_flows
from .._values import FOREIGN_DATE_FORMATS, parse_dates, parse_numbers, parse_points
from ..errors import OptionError, SchemaError
from ._csv import NOT_GIVEN
from ._hxltags import (
    LEVEL_NAMES,
    LEVELS,
    Tag,
    count_tag,
    date_tag,
    find_location,
    population_tag,
    read_tagged,
    resolve_places,
    row_levels,
)
from .report import ReadReport, ReportBuilder

__all__ = ["read_hxl"]

_PARENTS = (("#adm1", ADMIN1), ("#adm2", "admin2"), ("#adm3", "admin3"))
GEOD = pyproj.Geod(ellps="WGS84")


def _others(
    data: pd.DataFrame, tags: list[Tag], used: set[int], taken: set[str]
) -> dict[str, pd.Series]:
    out = {}
    for tag in tags:
        if tag.key in used:
            continue
        name = tag.name if tag.name not in taken else f"{tag.name}_hxl"
        while name in out or name in taken:
            name += "_"
        out[name] = data[tag.key].astype("string")
    return out


def _not_given(values: pd.Series, report: ReportBuilder, tag: Tag, what: str) -> np.ndarray:
    """Rows whose location says it is not known ("Not available"): recorded, not places."""
    text = values.astype("string").str.strip().str.lower()
    hit = text.isin(NOT_GIVEN).fillna(False).to_numpy(dtype=bool)
    report.add(
        hit,
        values,
        f"{what} is not given, so the row names no place; fill it in (a "
        "name or p-code) to read the row",
        column=tag.label,
    )
    return hit


def _one_level(
    data: pd.DataFrame,
    tags: list[Tag],
    report: ReportBuilder,
    level: str,
    explicit: bool,
    roles: tuple[str, ...],
) -> np.ndarray:
    """Rows at the level read, when the table mixes levels; the others are reported."""
    levels, label = row_levels(data, tags, roles=roles)
    seen = [lv for lv in LEVELS if (levels == lv).any()]
    if len(seen) < 2:
        return np.ones(len(data), dtype=bool)
    read = LEVEL_NAMES[level]
    report.note(
        f"the table gives its figures at several levels "
        f"({', '.join(LEVEL_NAMES[lv] for lv in seen)}); only the {read} rows are "
        "read, so that no one is counted twice"
    )
    shown = pd.Series(levels).map(LEVEL_NAMES).fillna("")
    for lv in seen:
        if lv == level:
            continue
        kind = "a total" if LEVELS.index(lv) > LEVELS.index(level) else "a row"
        hint = (
            ""
            if explicit
            else f" (pass level='{lv.lstrip('#')}' to read the {LEVEL_NAMES[lv]} rows instead)"
        )
        report.add(
            levels == lv,
            shown,
            f"{kind} at {LEVEL_NAMES[lv]} level: the table gives "
            f"the same people at several levels and the {read} rows are read{hint}",
            column=label,
        )
    report.add(levels == "", shown, "the row names no location at any level", column=label)
    return levels == level


def _resolve(
    data: pd.DataFrame,
    values: pd.Series,
    tag: Tag,
    tags: list[Tag],
    places: pd.DataFrame,
    report: ReportBuilder,
) -> pd.Series:
    """Place ids for a location column; a code falls back to the row's name of the same
    location (same level and role) when it matches no place."""
    name = find_location(tags, role=tag.role, code=False, level=tag.base) if tag.is_code else None
    return resolve_places(
        values,
        places,
        report,
        tag.label,
        names=None if name is None else data[name.key].where(values.notna()),
        name_column=None if name is None else name.label,
        units=tag.base != "#loc",
    )


def _read_flows(
    data: pd.DataFrame,
    rows: np.ndarray,
    tags: list[Tag],
    report: ReportBuilder,
    places: pd.DataFrame | None,
    household_size: float | None,
    level: str | None,
    dayfirst: bool | None,
) -> tuple[pd.DataFrame, ReadReport]:
    table = report.source
    # the origin at the level asked for when tagged, else the finest origin tagged
    origin = (
        find_location(tags, role="origin", code=True, level=level)
        or find_location(tags, role="origin", code=False, level=level)
        or find_location(tags, role="origin", code=True)
        or find_location(tags, role="origin", code=False)
    )
    destination = (
        find_location(tags, role="dest", code=True, level=level)
        or find_location(tags, role="dest", code=False, level=level)
        or find_location(tags, role="here", code=True, level=level)
        or find_location(tags, role="here", code=False, level=level)
    )
    count = count_tag(tags, households=False)
    households = count is None  # only counts in households: used (and checked) below
    if households:
        count = count_tag(tags, households=True)
    start = date_tag(tags, end=False)
    end = date_tag(tags, end=True)
    present = origin is None  # a count at a location, origin unknown: people present
    found = {DESTINATION: destination, PEOPLE: count, START: start}
    if not present:
        found = {ORIGIN: origin, **found}
    missing = [k for k, v in found.items() if v is None]
    if missing:
        need = {
            ORIGIN: "#adm1+name+origin",
            DESTINATION: "#adm1+name (+dest)",
            PEOPLE: "#affected+idps",
            START: "#date",
        }
        raise SchemaError(
            f"{table}: no hashtag for {missing} (tags: "
            f"{[t.text for t in tags]}). Fix: tag the columns, e.g. "
            f"{', '.join(need[m] for m in missing)}."
        )
    # every tag in found was there, or the error above was raised
    destination = cast(Tag, destination)
    count, start = cast(Tag, count), cast(Tag, start)
    if households and household_size is None:
        raise SchemaError(
            f"{table}: counts are in households ({count.text}) and no household "
            "size was given. Fix: pass household_size=<people per household>, "
            "e.g. household_size=5.0."
        )
    for ours, tag in (*found.items(), (END, end)):
        if tag is not None:
            report.note(f"{tag.text} -> {ours}")
    if present:
        report.note(
            f"no origin tag: each row counts people present at {destination.label} "
            "(kind 'present', a stock: a count holds until the next count there)"
        )
    ok = _one_level(
        data, tags, report, destination.base, level is not None, roles=("here", "dest")
    )
    frame = pd.DataFrame(
        {
            ORIGIN: (
                pd.Series(pd.NA, index=data.index, dtype="string")
                if origin is None
                else data[origin.key].astype("string")
            ),
            DESTINATION: data[destination.key].astype("string"),
        }
    )
    located = (
        ((DESTINATION, destination),)
        if origin is None
        else ((ORIGIN, origin), (DESTINATION, destination))
    )
    for col, tag in located:
        blank = frame[col].isna().to_numpy()
        report.add(blank & ok, frame[col], f"{col} is missing", column=tag.label)
        ok &= ~blank & ~_not_given(frame[col].where(ok), report, tag, col)
    if places is not None:
        if origin is not None:
            frame[ORIGIN] = _resolve(data, frame[ORIGIN].where(ok), origin, tags, places, report)
            ok &= frame[ORIGIN].notna().to_numpy()
        frame[DESTINATION] = _resolve(
            data, frame[DESTINATION].where(ok), destination, tags, places, report
        )
        ok &= frame[DESTINATION].notna().to_numpy()
    frame[START] = parse_dates(
        data[start.key],
        report,
        start.label,
        required=True,
        formats=FOREIGN_DATE_FORMATS,
        dayfirst=dayfirst,
    )
    ok &= frame[START].notna().to_numpy()
    if end is not None:
        frame[END] = parse_dates(
            data[end.key],
            report,
            end.label,
            required=False,
            formats=FOREIGN_DATE_FORMATS,
            dayfirst=dayfirst,
        )
    people = parse_numbers(
        data[count.key], report, count.label, what="people", required=True, minimum=0, keep=False
    )
    report.add(
        (people == 0).to_numpy(), data[count.key], "no one moved (people is 0)", column=count.label
    )
    ok &= (people > 0).fillna(False).to_numpy()
    frame[PEOPLE] = people
    frame[UNIT] = "households" if households else "people"
    frame[KIND] = "present" if present else "movement"
    used = {t.key for t in (origin, destination, count, start, end) if t is not None}
    source = next((t for t in tags if t.base == "#meta" and "source" in t.attributes), None)
    if source is not None:
        frame[SOURCE] = data[source.key].astype("string")
        used.add(source.key)
    for name, values in _others(data, tags, used, set(frame.columns)).items():
        frame[name] = values
    flows = validate_flows(
        frame[ok].reset_index(drop=True),
        source=table,
        rows=rows[ok],
        household_size=household_size,
    )
    return flows, report.build(kept=ok)


#: Rows of one name closer than this (and in the same admin-1 unit, when given) are one place.
SAME_PLACE_KM = 5.0


def _distinct_names(
    frame: pd.DataFrame, geoms: np.ndarray, ok: np.ndarray, report: ReportBuilder
) -> pd.Series:
    """Place ids from names, one place per name and location: rows of one name (ignoring
    case) farther apart than :data:`SAME_PLACE_KM`, or in different admin-1 units, are
    different places (villages of one name far apart); the later ones get the admin-1 unit
    (else a number) in their id. Rows of one place keep the first row's spelling."""
    ids = frame[PLACE_ID].astype("string")
    folded = ids.str.casefold().where(ok)
    repeats = folded.duplicated(keep=False).fillna(False).to_numpy() & ok
    if not repeats.any():
        return ids
    out = ids.copy()
    parent = frame[ADMIN1].astype("string") if ADMIN1 in frame.columns else None
    lon = shapely.get_x(geoms.astype(object))
    lat = shapely.get_y(geoms.astype(object))
    renamed = np.zeros(len(ids), dtype=bool)
    for _, rows in pd.Series(np.flatnonzero(repeats)).groupby(folded[repeats].to_numpy()):
        kept: list[int] = []  # one row per distinct place of this name
        for row in rows:
            same = None
            for first in kept:
                _, _, metres = GEOD.inv(lon[first], lat[first], lon[row], lat[row])
                near = metres / 1000.0 <= SAME_PLACE_KM
                # two named admin-1 units that differ: two places (a blank one decides nothing)
                if parent is not None and (parent.iloc[first] != parent.iloc[row]) is True:
                    near = False
                if near:
                    same = first
                    break
            if same is not None:
                out.iloc[row] = out.iloc[same]
                continue
            if kept:
                where = parent.iloc[row] if parent is not None else None
                label = where if isinstance(where, str) and where else str(len(kept) + 1)
                out.iloc[row] = f"{ids.iloc[row]} ({label})"
                renamed[row] = True
            kept.append(int(row))
    report.add(
        renamed,
        out,
        f"another place of this name lies more than {SAME_PLACE_KM:g} km away (or in "
        "another admin-1 unit): a place of its own, its id told apart",
        column=PLACE_ID,
        action="kept",
    )
    return out


def _read_places(
    data: pd.DataFrame,
    rows: np.ndarray,
    tags: list[Tag],
    report: ReportBuilder,
    places: pd.DataFrame | None,
    level: str | None,
    dayfirst: bool | None,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    table = report.source
    code = find_location(tags, role="here", code=True, level=level)
    name = find_location(tags, role="here", code=False, level=level)
    if code is None and name is None:
        raise SchemaError(
            f"{table}: no location hashtag (tags: {[t.text for t in tags]}). "
            "Fix: tag the place column, e.g. #loc+name, #adm1+pcode or "
            "#country+code."
        )
    # rows are at the finest level tagged; a code of a coarser level is a parent's code
    chosen = min((t.base for t in (code, name) if t is not None), key=LEVELS.index)
    code = find_location(tags, role="here", code=True, level=chosen)
    name = find_location(tags, role="here", code=False, level=chosen)
    arabic = find_location(tags, role="here", code=False, language="ar", level=chosen)
    lat = next((t for t in tags if t.base == "#geo" and "lat" in t.attributes), None)
    lon = next(
        (
            t
            for t in tags
            if t.base == "#geo" and ("lon" in t.attributes or "long" in t.attributes)
        ),
        None,
    )
    if (lat is None or lon is None) and places is None:
        raise SchemaError(
            f"{table}: places need coordinates: no #geo+lat / #geo+lon tags "
            f"(tags: {[t.text for t in tags]}). Fix: add them, or pass places= to "
            "take each place's location from a places table."
        )
    ok = _one_level(data, tags, report, chosen, level is not None, roles=("here",))
    ids_from = cast(Tag, code or name)  # one of them was found, or the reader stopped earlier
    frame = pd.DataFrame({PLACE_ID: data[ids_from.key].astype("string").str.strip()})
    frame[NAME] = data[cast(Tag, name or code).key].astype("string")
    if arabic is not None:
        frame[NAME_AR] = data[arabic.key].astype("string")
    if code is not None:
        frame[PCODE] = data[code.key].astype("string")
    used = {t.key for t in (code, name, arabic, lat, lon) if t is not None}
    blank = frame[PLACE_ID].isna().to_numpy()
    report.add(blank & ok, frame[PLACE_ID], "place is missing", column=ids_from.label)
    ok &= ~blank & ~_not_given(frame[PLACE_ID].where(ok), report, ids_from, "place")
    if lat is not None and lon is not None:
        geoms, ok_point = parse_points(data, lon.key, lat.key, report)
        ok &= ok_point
    else:
        known = cast(gpd.GeoDataFrame, places)  # given, or the reader stopped earlier
        found = resolve_places(frame[PLACE_ID].where(ok), known, report, ids_from.label)
        at = known.index.get_indexer(found.fillna(""))
        geoms = np.where(at >= 0, known.geometry.to_numpy()[np.maximum(at, 0)], cast(Any, None))
        frame[PLACE_ID] = found.where(found.notna(), frame[PLACE_ID])
        ok &= at >= 0
    for base, column in _PARENTS:
        if LEVELS.index(base) <= LEVELS.index(chosen):
            continue
        parent = find_location(tags, role="here", code=True, level=base) or find_location(
            tags, role="here", code=False, level=base
        )
        if parent is not None:
            frame[column] = data[parent.key].astype("string")
            used.add(parent.key)
    population = population_tag(tags)
    if population is not None:
        frame[POPULATION] = parse_numbers(
            data[population.key], report, population.label, what="population", minimum=0
        )
        used.add(population.key)
    for households, col in ((False, "idps"), (True, "idps_households")):
        tag = count_tag(tags, households=households)
        if tag is not None:
            frame[col] = parse_numbers(data[tag.key], report, tag.label, what=col, minimum=0)
            used.add(tag.key)
    day = date_tag(tags, end=False)
    if day is not None:
        frame[DATE] = parse_dates(
            data[day.key],
            report,
            day.label,
            required=False,
            formats=FOREIGN_DATE_FORMATS,
            dayfirst=dayfirst,
        )
        used.add(day.key)
    for name_, values in _others(data, tags, used, set(frame.columns)).items():
        frame[name_] = values
    if code is None and lat is not None and lon is not None:
        frame[PLACE_ID] = _distinct_names(frame, geoms, ok, report)
    repeated = ok & frame[PLACE_ID].where(ok).duplicated(keep="first").to_numpy()
    report.add(
        repeated,
        frame[PLACE_ID],
        "repeats an earlier row's place (the first row is kept)",
        column=ids_from.label,
    )
    ok &= ~repeated
    gdf = gpd.GeoDataFrame(
        frame[ok].reset_index(drop=True), geometry=gpd.GeoSeries(geoms[ok], crs=CRS)
    )
    result = validate_places(gdf, source=table, rows=rows[ok])
    return result, report.build(kept=ok)


def read_hxl(
    path: str | os.PathLike[str],
    *,
    places: pd.DataFrame | None = None,
    kind: str = "auto",
    level: str | None = None,
    household_size: float | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read an HXL-tagged CSV file as places or flows (see the module docstring's tables).

    Parameters
    ----------
    path : path-like
    places : GeoDataFrame, optional
        Resolve flow origins and destinations (names, aliases, Arabic names, p-codes), or
        give places without ``#geo`` tags their location. Unknown names are reported.
    kind : {"auto", "flows", "places"}
        ``"auto"``: flows when any tag has ``+origin`` or ``+dest``, else places.
    level : str, optional
        Use only location tags of this level (``"adm1"``, ``"adm2"``, ``"loc"``,
        ``"country"``), e.g. to match governorate-level places in a table that also names
        districts; default: the finest level tagged. In a table that repeats its figures at
        several levels, only the rows of this level are read.
    household_size : float, optional
        People per household, for counts tagged ``+hh``.
    delimiter, encoding : str
        For CSV files.
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``; needs ``geoconflict[excel]``): the sheet, by name
        or position from 0; default: the first sheet holding a row of hashtags.
    dayfirst : bool, optional
        How to read numeric dates that can be read either way (``04/05/2022``): ``True``
        day first, ``False`` month first (US style). Default: decided from the column (its
        unambiguous dates, else the order of its rows); a ``DataWarning`` names the column
        when nothing decides and day first is assumed.

    Returns
    -------
    table : DataFrame (flows) or GeoDataFrame (places)
    report : ReadReport
        Rows skipped and why (missing places or coordinates, unknown places, bad dates,
        counts that are missing, zero or not numbers), and which tag filled which column.

    Raises
    ------
    FormatError
        When the file has no row of hashtags.
    SchemaError
        When the tags needed for the table are missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "idps.csv"
    >>> _ = f.write_text(
    ...     "Origin,Governorate,IDPs,Date\\n"
    ...     "#adm1+name+origin,#adm1+name,#affected+idps+ind,#date+reported\\n"
    ...     "Hama,Idleb,16034.6,2024-12-05\\n"
    ...     "Hama,Hama,120,2024-12-05\\n"
    ...     "Homs,Idleb,,2024-12-05\\n", encoding="utf-8")
    >>> flows, report = read_hxl(f)
    >>> flows[["origin", "destination", "people"]].values.tolist()
    [['Hama', 'Idleb', 16034.6], ['Hama', 'Hama', 120.0]]
    >>> report.skipped[["row", "reason"]].values.tolist()
    [[4, 'people is missing']]
    """
    if places is not None:
        places = places_input(places, function="read_hxl")
    if kind not in ("auto", "flows", "places"):
        raise OptionError(f"kind must be 'auto', 'flows' or 'places', got {kind!r}.")
    if level is not None:
        level = "#" + level.lower().lstrip("#")
        level = "#country" if level == "#adm0" else level
        if level not in LEVELS:
            raise OptionError(
                f"level must be one of {[lv[1:] for lv in LEVELS[:-1]]}, got "
                f"{level[1:]!r}; 'country' (or 'adm0') reads the country rows"
            )
    table = str(path)
    data, rows, tags, notes = read_tagged(
        path, delimiter=delimiter, encoding=encoding, sheet=sheet
    )
    is_flows = any(t.role != "here" for t in tags if t.base in LEVELS)
    flows = kind == "flows" or (kind == "auto" and is_flows)
    report = ReportBuilder(table, "flows" if flows else "places", rows=rows)
    for note in notes:
        report.note(note)
    if flows:
        return _read_flows(data, rows, tags, report, places, household_size, level, dayfirst)
    return _read_places(data, rows, tags, report, places, level, dayfirst)
