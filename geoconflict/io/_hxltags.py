"""HXL hashtags: finding the hashtag row, parsing tags, and the rules that map tags to columns.

The rules are data: :data:`LEVELS` (location tags, finest first), :data:`DISPLACED` and
:data:`TOTALS` (which count tags are totals), :data:`LEVEL_TAGS` (tags giving a row's admin
level) and :data:`LEVEL_OF_VALUE`. :mod:`geoconflict.io.hxl` applies them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .._kinds import is_polygonal
from .._schema import PCODE
from ..errors import FormatError
from ..places import closest_names
from ._csv import is_hashtag, read_text_table
from ._excel import is_excel, sheet_names
from .admin import PCODE_PATTERN, resolve_pcodes
from .report import ReportBuilder

__all__ = [
    "DISPLACED",
    "LEVELS",
    "LEVEL_NAMES",
    "LEVEL_TAGS",
    "TOTALS",
    "Tag",
    "count_tag",
    "date_tag",
    "find_location",
    "population_tag",
    "read_tagged",
    "resolve_places",
    "row_levels",
]

#: Location tags, finest first.
LEVELS = ("#loc", "#adm5", "#adm4", "#adm3", "#adm2", "#adm1", "#country")
#: How messages name each level.
LEVEL_NAMES = {
    "#loc": "location",
    "#adm5": "admin-5",
    "#adm4": "admin-4",
    "#adm3": "admin-3",
    "#adm2": "admin-2",
    "#adm1": "admin-1",
    "#country": "country (admin-0)",
}
#: Attributes that make a location tag a code rather than a name.
CODES = frozenset({"code", "pcode"})
#: Attributes that mark a count of displaced people.
DISPLACED = frozenset({"idps", "displaced", "idp"})
#: Attributes a count may carry and still be a total (anything else, such as ``+f``,
#: ``+children`` or ``+sex``, is a disaggregation and never taken as the total).
TOTALS = frozenset({"total", "ind", "num", "all", "individuals", "persons", "people"})
#: Tags whose value is a row's admin level (IOM DTM: ``#adm+level``), as (base, attribute).
LEVEL_TAGS = (
    ("#adm", "level"),
    ("#adm", "admin_level"),
    ("#geo", "admin_level"),
    ("#meta", "admin_level"),
)
#: A level value's digit -> the level's tag.
LEVEL_OF_VALUE = {
    "0": "#country",
    "1": "#adm1",
    "2": "#adm2",
    "3": "#adm3",
    "4": "#adm4",
    "5": "#adm5",
}
#: Rows searched for the hashtag row (HXL allows title and header rows above it).
HASHTAG_ROWS = 25
_OTHER_DELIMITERS = (";", "\t", "|")


@dataclass(frozen=True)
class Tag:
    """One column's hashtag: ``#adm1+name+origin`` -> base ``#adm1``, attributes."""

    key: int
    label: str
    text: str
    base: str
    attributes: frozenset[str]

    @classmethod
    def parse(cls, key: int, label: str, text: str) -> Tag:
        parts = re.sub(r"\s+", "", text.lower()).split("+")
        return cls(key, label, text.strip(), parts[0], frozenset(p for p in parts[1:] if p))

    @property
    def role(self) -> str:
        if "origin" in self.attributes:
            return "origin"
        if "dest" in self.attributes or "destination" in self.attributes:
            return "dest"
        return "here"

    @property
    def is_code(self) -> bool:
        return bool(self.attributes & CODES)

    @property
    def language(self) -> str | None:
        langs = [a[2:] for a in self.attributes if a.startswith("i_")]
        return langs[0] if langs else None

    @property
    def name(self) -> str:
        return "_".join([self.base.lstrip("#"), *sorted(self.attributes)])

    def is_total(self, *, households: bool) -> bool:
        """Whether this count tag is a total (of households when ``households``)."""
        rest = self.attributes - DISPLACED - {"hh"} - {"origin", "dest", "destination"}
        return ("hh" in self.attributes) == households and rest <= TOTALS and self.role == "here"


def find_location(
    tags: list[Tag],
    *,
    role: str,
    code: bool | None = None,
    language: str | None = None,
    level: str | None = None,
) -> Tag | None:
    """The finest location tag with this role (and kind)."""
    for base in [level] if level else LEVELS:
        for tag in tags:
            if tag.base != base or tag.role != role or tag.language != language:
                continue
            if code is None or tag.is_code == code:
                return tag
    return None


def count_tag(tags: list[Tag], *, households: bool) -> Tag | None:
    """The tag holding the total number of displaced people (or households)."""
    return next(
        (
            t
            for t in tags
            if t.base in ("#affected", "#population")
            and t.attributes & DISPLACED
            and t.is_total(households=households)
        ),
        None,
    )


def population_tag(tags: list[Tag]) -> Tag | None:
    """The total population: ``#population`` with no attribute but total ones."""
    return next(
        (
            t
            for t in tags
            if t.base == "#population"
            and not t.attributes & DISPLACED
            and t.is_total(households=False)
        ),
        None,
    )


def date_tag(tags: list[Tag], *, end: bool) -> Tag | None:
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


def _suggestions(value: str, places: pd.DataFrame) -> str:
    """Why a name or p-code matched nothing, with the closest known ones.

    A p-code is compared only with the p-codes of its own country (its letters).
    """
    if re.match(PCODE_PATTERN, value):
        letters = re.match(r"[A-Za-z]+", value)
        prefix = letters.group(0).upper() if letters else ""
        codes = pd.Series(places.index.astype(str), index=places.index)
        if PCODE in places.columns:
            codes = places[PCODE].astype("string").fillna(codes)
        same = codes.str.upper().str.startswith(prefix).fillna(False).to_numpy()
        if not same.any():
            known = sorted(set(codes.str.extract(r"^([A-Za-z]+)")[0].dropna().str.upper()))
            return (
                f"unknown place: no known p-code starts with {prefix!r} (the places' "
                f"p-codes start with {', '.join(repr(k) for k in known[:5])}); check "
                "the country or pass the places of this country"
            )
        places = places[same]
    close = ", ".join(repr(c) for c in closest_names(value, places))
    return f"unknown place (closest known: {close})"


def resolve_places(
    values: pd.Series,
    places: pd.DataFrame,
    report: ReportBuilder,
    column: str,
    *,
    names: pd.Series | None = None,
    name_column: str | None = None,
    units: bool = False,
) -> pd.Series:
    """Place ids for names or p-codes; unknown ones recorded.

    With ``names`` (the row's name of the same location, when ``values`` are codes), a code
    that matches no place falls back to the name, and the row says so (IOM codes Kyiv city
    ``Temp03``; geoBoundaries and OCHA number some units differently), and a code and a name
    of different places are reported. With ``units`` (an admin-level column), names are
    looked up among the polygon places only, when there are any.
    """
    text = values.astype("string").str.strip()
    ids = resolve_pcodes(text, places)
    ids.index = text.index
    unknown = text.notna() & ids.isna()
    if names is not None:
        named = names.astype("string").str.strip()
        among = places
        if units and isinstance(places, gpd.GeoDataFrame):
            polygonal = is_polygonal(places.geometry.to_numpy())
            among = places[polygonal] if polygonal.any() else places
        by_name = resolve_pcodes(named, among)
        by_name.index = text.index
        differ = (ids.notna() & by_name.notna() & (ids != by_name)).fillna(False).to_numpy()
        if differ.any():
            shown = text + " (name " + named + ")"
            report.add(
                differ,
                shown.where(differ),
                f"the code and the name in {name_column!r} are different places; the code "
                "was used: check the row in the source",
                column=column,
                action="kept",
            )
        named = named.where(unknown)
        by_name = by_name.where(unknown)
        rescued = (unknown & by_name.notna()).to_numpy()
        if rescued.any():
            ids = ids.where(~rescued, by_name)
            shown = text.where(rescued) + " (name " + named.where(rescued) + ")"
            report.add(
                rescued,
                shown,
                f"code matches no place; the place was found by its name in {name_column!r}",
                column=column,
                action="kept",
            )
            unknown &= ~rescued
    for value in pd.unique(text[unknown]):  # one message per distinct unknown value
        mask = (text == value).fillna(False).to_numpy()
        report.add(mask, text, _suggestions(str(value), places), column=column)
    return ids


def _hashtag_row(records: pd.DataFrame) -> int | None:
    """The first of the top records in which most filled cells are hashtags."""
    for i in range(min(HASHTAG_ROWS, len(records))):
        cells = records.iloc[i]
        filled = cells.notna().to_numpy()
        tags = is_hashtag(cells[filled])
        if tags.any() and tags.sum() * 2 >= filled.sum():
            return i
    return None


def _labels(records: pd.DataFrame, tag_row: int) -> list[str]:
    """Each column's header text: the last text above the hashtag row, or the hashtag."""
    above = records.iloc[:tag_row]
    labels = []
    for col in records.columns:
        texts = [t for t in above[col].tolist() if isinstance(t, str) and t.strip()]
        tag = records.iloc[tag_row][col]
        labels.append(texts[-1].strip() if texts else (str(tag).strip() if tag else str(col)))
    return labels


def _tagged_sheet(path: Path, sheet: str | int | None) -> tuple[pd.DataFrame, list[str]]:
    """The records of the workbook's sheet holding hashtags (``sheet``, else the first that
    has a row of them), and a note saying which sheet was read."""
    if sheet is not None:
        records, _ = read_text_table(path, header=False, sheet=sheet)
        return records, []
    names = sheet_names(path)
    for name in names:
        try:
            records, _ = read_text_table(path, header=False, sheet=name)
        except FormatError:  # an empty sheet
            continue
        if _hashtag_row(records) is not None:
            return records, (
                [f"read sheet {name!r}, the first with hashtags"] if name != names[0] else []
            )
    raise FormatError(
        f"{path}: no sheet of the workbook has a row of HXL hashtags (sheets: "
        f"{', '.join(repr(n) for n in names)}). Fix: pass an HXL-tagged table, or read the "
        "sheet with read_places / read_flows (sheet=...)."
    )


def read_tagged(
    path: str | os.PathLike[str],
    *,
    delimiter: str,
    encoding: str,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, np.ndarray, list[Tag], list[str]]:
    """Read an HXL CSV: the data rows (columns by position), their row numbers, the tags and
    notes on how it was read.

    Rows are counted from the line after the first (the first line is the header, as in every
    reader), so a hashtag row right under the header is row 1 and data start at row 2.
    """
    table = str(path)
    source = Path(path)
    notes: list[str] = []
    excel = False
    if source.is_file():
        with source.open("rb") as handle:
            excel = is_excel(source, handle.read(8))
    if excel:
        records, notes = _tagged_sheet(source, sheet)
        delimiter = ","
    else:
        records, _ = read_text_table(path, delimiter=delimiter, encoding=encoding, header=False)
    tag_row = _hashtag_row(records)
    if tag_row is None and delimiter == "," and not excel:
        for other in _OTHER_DELIMITERS:
            try:
                retry, _ = read_text_table(path, delimiter=other, encoding=encoding, header=False)
            except FormatError:
                continue
            found = _hashtag_row(retry) if retry.shape[1] > 1 else None
            if found is not None:
                records, tag_row = retry, found
                notes.append(f"cells are separated by {other!r}, not commas")
                break
    if tag_row is None:
        row = records.iloc[1] if len(records) > 1 else records.iloc[0]
        shown = ", ".join(repr(v) for v in row.dropna().tolist()[:4])
        raise FormatError(
            f"{table}: row {2 if len(records) > 1 else 1} is not a row of HXL hashtags (got "
            f"{shown}). Fix: pass an HXL-tagged CSV (a row of hashtags such as #adm1+name "
            f"under the header rows; none of the first {HASHTAG_ROWS} rows is one), or read "
            "the file with read_places / read_flows."
        )
    if tag_row > 1:
        notes.append(f"the hashtags are on line {tag_row + 1}, under {tag_row} header rows")
    labels = _labels(records, tag_row)
    tag_cells = records.iloc[tag_row]
    is_tag = is_hashtag(tag_cells.where(tag_cells.notna(), ""))
    tags = [
        Tag.parse(int(col), labels[j], str(tag_cells[col]))
        for j, col in enumerate(records.columns)
        if is_tag[j]
    ]
    data = records.iloc[tag_row + 1 :].reset_index(drop=True)
    rows = np.arange(tag_row + 1, len(records))
    return data, rows, tags, notes


def row_levels(
    data: pd.DataFrame, tags: list[Tag], *, roles: tuple[str, ...]
) -> tuple[np.ndarray, str]:
    """Each row's admin level (a tag of :data:`LEVELS`, ``""`` when unknown) and the column it
    comes from: a level column when the table has one, else the finest location filled in
    the row."""
    level_tag = next(
        (t for t in tags if any((t.base, a) in LEVEL_TAGS for a in t.attributes)), None
    )
    out = np.full(len(data), "", dtype=object)
    if level_tag is not None:
        digit = data[level_tag.key].astype("string").str.extract(r"(\d)")[0]
        out = digit.map(LEVEL_OF_VALUE).fillna("").to_numpy(dtype=object)
        if (out != "").any():
            return out, level_tag.label
    for base in LEVELS:
        for tag in tags:
            if tag.base != base or tag.role not in roles:
                continue
            filled = data[tag.key].notna().to_numpy() & (out == "")
            out[filled] = base
    return out, "location"
