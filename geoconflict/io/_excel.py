"""Excel workbooks (``.xlsx``/``.xlsm``) as CSV text, so every table reader takes them.

IOM DTM, HDX and ACLED publish their tables as Excel files. A sheet is turned into CSV text
(dates as ISO 8601, whole numbers without ``.0``) and read by the same code as a CSV file, so
the same checks and messages apply. Reading needs the optional package ``openpyxl``
(``pip install 'geoconflict[excel]'``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import FormatError, MissingDependencyError, OptionError

__all__ = ["is_excel", "sheet_names", "sheet_text"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # the OLE2 container of .xls (Excel 97-2003)


def is_excel(path: Path, head: bytes) -> bool:
    """Whether the file is an Excel workbook, by its bytes (a ``.csv`` name may lie).

    Raises FormatError for an old ``.xls`` workbook, which is not read.
    """
    if head.startswith(_OLD_EXCEL_MAGIC) or (
        path.suffix.lower() == ".xls" and not head.startswith(_ZIP_MAGIC)
    ):
        raise FormatError(
            f"{path}: an Excel 97-2003 workbook (.xls), which is not read. Fix: open it in "
            "Excel or LibreOffice and save it as .xlsx or as CSV (UTF-8)."
        )
    if not head.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        raise FormatError(
            f"{path}: the file starts like an .xlsx workbook but is not a whole one "
            "(truncated or damaged). Fix: download or export it again."
        ) from None


def _openpyxl():  # pragma: no cover - the import is what is tested
    try:  # openpyxl is optional (geoconflict[excel]): imported when a workbook is read
        import openpyxl
    except ImportError:
        raise MissingDependencyError(
            "reading Excel files (.xlsx) needs the optional package openpyxl. Fix: "
            "pip install 'geoconflict[excel]' (or pip install openpyxl), or save the sheet "
            "as CSV (UTF-8)."
        ) from None
    return openpyxl


def _workbook(path: Path):
    openpyxl = _openpyxl()
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise FormatError(
            f"{path}: could not read it as an Excel workbook ({str(exc)[:120]}). Fix: open "
            "it in Excel or LibreOffice and save it again as .xlsx, or as CSV (UTF-8)."
        ) from None


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, in order."""
    book = _workbook(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _choose(path: Path, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise OptionError(
            f"{path}: sheet={sheet} but the workbook has {len(names)} sheet(s) "
            f"({', '.join(repr(n) for n in names)}). Fix: pass a position from 0 or a name."
        )
    if sheet in names:
        return str(sheet)
    folded = {n.strip().lower(): n for n in names}
    if str(sheet).strip().lower() in folded:
        return folded[str(sheet).strip().lower()]
    raise OptionError(
        f"{path}: no sheet {sheet!r}; the workbook has {', '.join(repr(n) for n in names)}. "
        "Fix: pass one of these names (or a position from 0)."
    )


def sheet_text(path: Path, sheet: str | int | None = None) -> tuple[str, str]:
    """One sheet as CSV text (comma-separated) and the sheet's name."""
    book = _workbook(path)
    try:
        name = _choose(path, list(book.sheetnames), sheet)
        rows: Iterable[tuple] = book[name].iter_rows(values_only=True)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        width = 0
        kept = []
        for row in rows:
            cells = [_cell(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            kept.append(cells)
            width = max(width, len(cells))
        while kept and not kept[-1]:
            kept.pop()
        for cells in kept:
            writer.writerow(cells + [""] * (width - len(cells)))
        return out.getvalue(), name
    finally:
        book.close()
