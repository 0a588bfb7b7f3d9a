"""HXL-tagged CSV files: humanitarian tables whose second row holds ``#`` hashtags.

The Humanitarian Exchange Language marks each column with a hashtag and attributes
(``#adm1+name``, ``#affected+idps+ind``, ``#date+reported``). :func:`read_hxl` reads the
tags, not the human headers, so it works whatever the headers say or the language they use.

A table with origin or destination tags (``+origin``, ``+dest``) is read as **flows**; any
other as **places**. Where several tags could fill a column, the finest location level wins
(``#loc`` > ``#adm4`` > ... > ``#adm1``), and a p-code (``+code`` / ``+pcode``) is used over a
name for ids.

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
``#adm1+name`` (when places are finer)           ``admin1``
``#geo+lat``, ``#geo+lon``                       ``geometry`` (a Point)
``#population`` (no idps/displaced attribute)    ``population``
``#affected+idps`` (``+ind``)                    ``idps``
``#affected+idps+hh``                            ``idps_households``
``#date``                                        ``date``
===============================================  ==================================

Any other tag is kept as a column named after it: ``#org+name`` becomes ``org_name``.
Attribute disaggregations (``+f``, ``+m``, ``+children`` ...) are never taken as totals.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .._schema import (
    ADMIN1,
    CRS,
    DATE,
    DESTINATION,
    END,
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
    validate_flows,
    validate_places,
)
from ..errors import FormatError, SchemaError
from ..places import closest_names
from ._csv import read_text_table
from ._rows import parse_counts, parse_days, parse_points
from .admin import resolve_pcodes
from .report import ReadReport, ReportBuilder

__all__ = ["read_hxl"]

_LEVELS = ("#loc", "#adm5", "#adm4", "#adm3", "#adm2", "#adm1")
_CODE = {"code", "pcode"}
_DISAGGREGATED = {"f", "m", "children", "adults", "elderly", "infants", "adolescents",
                  "male", "female", "i", "u18", "o18"}
_DISPLACED = {"idps", "displaced", "idp"}


@dataclass(frozen=True)
class Tag:
    """One column's hashtag: ``#adm1+name+origin`` -> base ``#adm1``, attributes."""

    column: str
    text: str
    base: str
    attributes: frozenset[str]

    @classmethod
    def parse(cls, column: str, text: str) -> Tag:
        parts = re.sub(r"\s+", "", text.lower()).split("+")
        return cls(column, text.strip(), parts[0], frozenset(p for p in parts[1:] if p))

    @property
    def role(self) -> str:
        if "origin" in self.attributes:
            return "origin"
        if "dest" in self.attributes or "destination" in self.attributes:
            return "dest"
        return "here"

    @property
    def is_code(self) -> bool:
        return bool(self.attributes & _CODE)

    @property
    def language(self) -> str | None:
        langs = [a[2:] for a in self.attributes if a.startswith("i_")]
        return langs[0] if langs else None

    @property
    def name(self) -> str:
        return "_".join([self.base.lstrip("#"), *sorted(self.attributes)])


def _tags(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, np.ndarray, list[Tag]]:
    """Find the hashtag row (the header itself, or the row under it); return data and tags."""
    header = [str(c) for c in frame.columns]
    if all(h.startswith("#") for h in header if h.strip()):
        tags_text, data, first = header, frame, 1
    else:
        row = [("" if pd.isna(v) else str(v)) for v in frame.iloc[0]] if len(frame) else []
        given = [v for v in row if v.strip()]
        if not given or not all(v.strip().startswith("#") for v in given):
            shown = ", ".join(repr(v) for v in row[:4])
            raise FormatError(f"{table}: row 2 is not a row of HXL hashtags (got {shown}). "
                              "Fix: pass an HXL-tagged CSV (hashtags such as #adm1+name under "
                              "the header), or read the file with read_places / read_flows.")
        tags_text, data, first = row, frame.iloc[1:].reset_index(drop=True), 2
    tags = [Tag.parse(col, text) for col, text in zip(frame.columns, tags_text, strict=True)
            if text.strip().startswith("#")]
    rows = np.arange(first, first + len(data))
    return data, rows, tags


def _location(tags: list[Tag], *, role: str, code: bool | None = None,
              language: str | None = None, level: str | None = None) -> Tag | None:
    """The finest location tag with this role (and kind)."""
    for base in ([level] if level else _LEVELS):
        for tag in tags:
            if tag.base != base or tag.role != role or tag.language != language:
                continue
            if code is None or tag.is_code == code:
                return tag
    return None


def _count_tag(tags: list[Tag], *, households: bool) -> Tag | None:
    """The tag holding the number of displaced people (or households)."""
    for tag in tags:
        if tag.base not in ("#affected", "#population") or not tag.attributes & _DISPLACED:
            continue
        if tag.attributes & _DISAGGREGATED or tag.role != "here":
            continue
        if ("hh" in tag.attributes) == households:
            return tag
    return None


def _date_tag(tags: list[Tag], *, end: bool) -> Tag | None:
    dates = [t for t in tags if t.base == "#date"]
    if end:
        return next((t for t in dates if "end" in t.attributes), None)
    for wanted in ("start", None):
        for tag in dates:
            if wanted is None and "end" not in tag.attributes:
                return tag
            if wanted is not None and wanted in tag.attributes:
                return tag
    return None


def _others(data: pd.DataFrame, tags: list[Tag], used: set[str], taken: set[str]
            ) -> dict[str, pd.Series]:
    out = {}
    for tag in tags:
        if tag.column in used:
            continue
        name = tag.name if tag.name not in taken else f"{tag.name}_hxl"
        while name in out or name in taken:
            name += "_"
        out[name] = data[tag.column].astype("string")
    return out


def _resolve(values: pd.Series, places: pd.DataFrame, report: ReportBuilder, column: str
             ) -> pd.Series:
    """Place ids for names or p-codes; unknown ones recorded as skipped."""
    text = values.astype("string").str.strip()
    ids = resolve_pcodes(text, places)
    ids.index = text.index
    unknown = text.notna() & ids.isna()
    for value in pd.unique(text[unknown]):
        mask = (text == value).fillna(False).to_numpy()
        close = ", ".join(repr(c) for c in closest_names(str(value), places))
        report.add(mask, text, f"unknown place (closest known: {close})", column=column)
    return ids


def _read_flows(data: pd.DataFrame, rows: np.ndarray, tags: list[Tag], table: str,
                places: pd.DataFrame | None, household_size: float | None,
                level: str | None) -> tuple[pd.DataFrame, ReadReport]:
    report = ReportBuilder(table, "flows", rows=rows)
    origin = (_location(tags, role="origin", code=True, level=level)
              or _location(tags, role="origin", code=False, level=level))
    destination = (_location(tags, role="dest", code=True, level=level)
                   or _location(tags, role="dest", code=False, level=level)
                   or _location(tags, role="here", code=True, level=level)
                   or _location(tags, role="here", code=False, level=level))
    count = _count_tag(tags, households=False)
    households = count is None  # only counts in households: used (and checked) below
    if households:
        count = _count_tag(tags, households=True)
    start = _date_tag(tags, end=False)
    end = _date_tag(tags, end=True)
    found = {ORIGIN: origin, DESTINATION: destination, PEOPLE: count, START: start}
    missing = [k for k, v in found.items() if v is None]
    if missing:
        need = {ORIGIN: "#adm1+name+origin", DESTINATION: "#adm1+name (+dest)",
                PEOPLE: "#affected+idps", START: "#date"}
        raise SchemaError(f"{table}: no hashtag for {missing} (tags: "
                          f"{[t.text for t in tags]}). Fix: tag the columns, e.g. "
                          f"{', '.join(need[m] for m in missing)}.")
    if households and household_size is None:
        raise SchemaError(f"{table}: counts are in households ({count.text}) and no household "
                          "size was given. Fix: pass household_size=<people per household>, "
                          "e.g. household_size=5.0.")
    for ours, tag in (*found.items(), (END, end)):
        if tag is not None:
            report.note(f"{tag.text} -> {ours}")
    frame = pd.DataFrame({ORIGIN: data[origin.column].astype("string"),
                          DESTINATION: data[destination.column].astype("string")})
    for col in (ORIGIN, DESTINATION):
        tag = origin if col == ORIGIN else destination
        blank = frame[col].isna().to_numpy()
        report.add(blank, frame[col], f"{col} is missing", column=tag.column)
    ok = frame[ORIGIN].notna().to_numpy() & frame[DESTINATION].notna().to_numpy()
    if places is not None:
        frame[ORIGIN] = _resolve(frame[ORIGIN], places, report, origin.column)
        frame[DESTINATION] = _resolve(frame[DESTINATION], places, report, destination.column)
        ok &= frame[ORIGIN].notna().to_numpy() & frame[DESTINATION].notna().to_numpy()
    frame[START], ok_start = parse_days(data[start.column], report, column=start.column)
    ok &= ok_start
    if end is not None:
        frame[END], ok_end = parse_days(data[end.column], report, column=end.column,
                                        required=False)
        ok &= ok_end
    people = parse_counts(data[count.column], report, column=count.column, what="people",
                          action="skipped")
    report.add(people.isna().to_numpy() & data[count.column].isna().to_numpy(),
               data[count.column], "people is missing", column=count.column)
    report.add((people == 0).to_numpy(), data[count.column], "no one moved (people is 0)",
               column=count.column)
    ok &= (people > 0).fillna(False).to_numpy()
    frame[PEOPLE] = people
    frame[UNIT] = "households" if households else "people"
    used = {t.column for t in (origin, destination, count, start, end) if t is not None}
    source = next((t for t in tags if t.base == "#meta" and "source" in t.attributes), None)
    if source is not None:
        frame[SOURCE] = data[source.column].astype("string")
        used.add(source.column)
    for name, values in _others(data, tags, used, set(frame.columns)).items():
        frame[name] = values
    # the same row may be reported by several checks; it is skipped once
    flows = validate_flows(frame[ok].reset_index(drop=True), source=table, rows=rows[ok],
                           household_size=household_size)
    return flows, report.build(rows_kept=len(flows))


def _read_places(data: pd.DataFrame, rows: np.ndarray, tags: list[Tag], table: str,
                 places: pd.DataFrame | None, level: str | None
                 ) -> tuple[gpd.GeoDataFrame, ReadReport]:
    report = ReportBuilder(table, "places", rows=rows)
    code = _location(tags, role="here", code=True, level=level)
    name = _location(tags, role="here", code=False, level=level)
    if code is None and name is None:
        raise SchemaError(f"{table}: no location hashtag (tags: {[t.text for t in tags]}). "
                          "Fix: tag the place column, e.g. #loc+name or #adm1+pcode.")
    # rows are at the finest level tagged; a code of a coarser level is a parent's code
    level = min((t.base for t in (code, name) if t is not None), key=_LEVELS.index)
    code = _location(tags, role="here", code=True, level=level)
    name = _location(tags, role="here", code=False, level=level)
    arabic = _location(tags, role="here", code=False, language="ar", level=level)
    lat = next((t for t in tags if t.base == "#geo" and "lat" in t.attributes), None)
    lon = next((t for t in tags if t.base == "#geo" and ("lon" in t.attributes
                                                         or "long" in t.attributes)), None)
    if (lat is None or lon is None) and places is None:
        raise SchemaError(f"{table}: places need coordinates: no #geo+lat / #geo+lon tags "
                          f"(tags: {[t.text for t in tags]}). Fix: add them, or pass places= to "
                          "take each place's location from a places table.")
    ids_from = code or name
    frame = pd.DataFrame({PLACE_ID: data[ids_from.column].astype("string").str.strip()})
    frame[NAME] = data[(name or code).column].astype("string")
    if arabic is not None:
        frame[NAME_AR] = data[arabic.column].astype("string")
    if code is not None:
        frame[PCODE] = data[code.column].astype("string")
    used = {t.column for t in (code, name, arabic, lat, lon) if t is not None}
    blank = frame[PLACE_ID].isna().to_numpy()
    report.add(blank, frame[PLACE_ID], "place is missing", column=ids_from.column)
    ok = ~blank
    if lat is not None and lon is not None:
        geoms, ok_point = parse_points(data, lon.column, lat.column, report)
        ok &= ok_point
    else:
        found = _resolve(frame[PLACE_ID], places, report, ids_from.column)
        at = places.index.get_indexer(found.fillna(""))
        geoms = np.where(at >= 0, places.geometry.to_numpy()[np.maximum(at, 0)], None)
        frame[PLACE_ID] = found.where(found.notna(), frame[PLACE_ID])
        ok &= (at >= 0)
    if level != "#adm1":
        adm1 = _location(tags, role="here", code=False, level="#adm1")
        if adm1 is not None:
            frame[ADMIN1] = data[adm1.column].astype("string")
            used.add(adm1.column)
    population = next((t for t in tags if t.base == "#population" and not t.attributes & (
        _DISPLACED | _DISAGGREGATED | {"hh"})), None)
    if population is not None:
        frame[POPULATION] = parse_counts(data[population.column], report,
                                         column=population.column, what="population")
        used.add(population.column)
    for households, col in ((False, "idps"), (True, "idps_households")):
        tag = _count_tag(tags, households=households)
        if tag is not None:
            frame[col] = parse_counts(data[tag.column], report, column=tag.column, what=col)
            used.add(tag.column)
    day = _date_tag(tags, end=False)
    if day is not None:
        frame[DATE], _ = parse_days(data[day.column], report, column=day.column,
                                    required=False)
        used.add(day.column)
    for name_, values in _others(data, tags, used, set(frame.columns)).items():
        frame[name_] = values
    repeated = ok & frame[PLACE_ID].duplicated(keep="first").to_numpy()
    report.add(repeated, frame[PLACE_ID], "repeats an earlier row's place (the first "
               "row is kept)", column=ids_from.column)
    ok &= ~repeated
    gdf = gpd.GeoDataFrame(frame[ok].reset_index(drop=True),
                           geometry=gpd.GeoSeries(geoms[ok], crs=CRS))
    result = validate_places(gdf, source=table, rows=rows[ok])
    return result, report.build(rows_kept=len(result))


def read_hxl(path: str | os.PathLike[str], *, places: pd.DataFrame | None = None,
             kind: str = "auto", level: str | None = None,
             household_size: float | None = None, delimiter: str = ",",
             encoding: str = "utf-8") -> tuple[pd.DataFrame, ReadReport]:
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
        Use only location tags of this level (``"adm1"``, ``"adm2"``, ``"loc"``), e.g. to
        match governorate-level places in a table that also names districts; default: the
        finest level tagged.
    household_size : float, optional
        People per household, for counts tagged ``+hh``.
    delimiter, encoding : str

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
    if kind not in ("auto", "flows", "places"):
        raise ValueError(f"kind must be 'auto', 'flows' or 'places', got {kind!r}")
    if level is not None:
        level = "#" + level.lower().lstrip("#")
        if level not in _LEVELS:
            raise ValueError(f"level must be one of {[lv[1:] for lv in _LEVELS]}, got "
                             f"{level[1:]!r}")
    table = str(path)
    frame, _ = read_text_table(path, delimiter=delimiter, encoding=encoding)
    data, rows, tags = _tags(frame, table)
    is_flows = any(t.role != "here" for t in tags if t.base in _LEVELS)
    if kind == "flows" or (kind == "auto" and is_flows):
        return _read_flows(data, rows, tags, table, places, household_size, level)
    return _read_places(data, rows, tags, table, places, level)
