"""Reading CSV files into all-text tables, with clear errors for broken files.

Everything is read as text first; the table validators then parse numbers and dates so that
every bad cell can be reported with its row and column.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._values import strip_blanks
from ..errors import DataFileNotFoundError, DataWarning, FormatError
from ..progress import progress as progress_bar
from ._excel import is_excel, sheet_text

__all__ = ["NOT_GIVEN", "blank_words", "is_hashtag", "read_text_table", "split_hashtag_row"]


#: Rows parsed per step of a large file.
_CHUNK_ROWS = 500_000

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}

#: Records at the top of a file without a header whose width decides the column count: HXL
#: files put title and header rows above the hashtags, often shorter than the data rows.
_HEAD_RECORDS = 50

#: Cell texts that mean "not given" in exports (R writes ``NA``; IOM DTM ``Not available``),
#: compared after stripping and ignoring case.
NOT_GIVEN = (
    "na",
    "n/a",
    "#n/a",
    "not available",
    "not applicable",
    "not specified",
    "unknown",
    "none",
    "null",
    "nan",
    "-",
    "--",
)


#: The first line of a Git LFS pointer file (what a clone without ``git lfs`` holds).
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def lfs_pointer_error(data: bytes, path: str) -> FormatError | None:
    """The error for a Git LFS pointer file, or None when the bytes are not one."""
    if not data.lstrip().startswith(LFS_POINTER):
        return None
    size = next((line.split()[1] for line in data.splitlines() if line.startswith(b"size ")), b"")
    shown = f" of {int(size):,} bytes" if size.isdigit() else ""
    return FormatError(
        f"{path}: this is a Git LFS pointer, not the data: the repository keeps the real "
        f"file{shown} in Git LFS. Fix: run 'git lfs pull' in the clone (after 'git lfs "
        "install'), or download the file itself from the repository's web page."
    )


def _decode(data: bytes, path: str, encoding: str) -> str:
    lfs = lfs_pointer_error(data[:200], path)
    if lfs is not None:
        raise lfs
    plain = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    if plain and (data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:8:2] == b"\x00" * 4):
        raise FormatError(
            f"{path}: the file is UTF-16 text (as Excel's 'Unicode Text' and some Windows "
            "tools save it), not UTF-8. Fix: pass encoding='utf-16', or save it as CSV UTF-8."
        )
    try:
        text = data.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        )
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            f"{path}, line {line}: bytes {data[exc.start : exc.start + 4]!r} are not valid "
            f"{encoding}. Fix: save the file as UTF-8 (in Excel: 'CSV UTF-8'), or pass the "
            "file's encoding, e.g. encoding='cp1256' for Windows Arabic."
        ) from None
    except LookupError:
        raise FormatError(
            f"{path}: unknown encoding {encoding!r}. Fix: pass an encoding "
            "Python knows, such as 'utf-8' or 'cp1256'."
        ) from None
    if "\x00" in text:
        raise FormatError(
            f"{path}: the file holds NUL bytes, so it is not a text CSV. Fix: "
            "export the table as CSV (UTF-8)."
        )
    return text


def read_text_table(
    path: str | os.PathLike[str],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: bool = True,
    skip_rows: int = 0,
    progress: bool | None = None,
    blank_headers: str = "error",
    sheet: str | int | None = None,
    names: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a CSV file (or one sheet of an Excel workbook) as text.

    Parameters
    ----------
    path : path-like
    delimiter : str
    encoding : str
        A byte-order mark is removed.
    header : bool
        Whether the first row names the columns (else columns are numbered from 0).
    skip_rows : int
        Data rows to skip right after the header (e.g. an HXL tag row).
    progress : bool or None
        A progress bar over the chunks of a large file (see :mod:`geoconflict.progress`);
        default: only when standard error is a terminal and there is more than one chunk.
    names : sequence of str, optional
        The column names of a file without a header row (its first row is data).
    sheet : str or int, optional
        For an Excel workbook (``.xlsx``, recognised by its bytes whatever its name): the
        sheet, by name or position from 0; default: the first. Its cells are read as CSV
        text (dates as ISO 8601), so everything below applies alike.
    blank_headers : {"error", "drop"}
        What to do with columns whose header cell is empty: refuse the file (our own
        tables), or drop them (foreign exports, e.g. a pandas index written as the first
        column); the dropped positions are listed in ``table.attrs["blank_columns"]``.

    Without a header, rows may be shorter than the widest of the first records (HXL title
    rows); their missing cells are empty.

    Returns
    -------
    table : DataFrame
        Every cell as text, empty cells as missing values, column names stripped.
    rows : numpy.ndarray
        The 1-based data-row number of each row (the header is not counted).

    Raises
    ------
    FormatError
        For a missing, empty, non-text or ragged file, or one with a different delimiter.
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise DataFileNotFoundError(f"{name}: no such file. Fix: check the path.")
    if p.is_dir():
        raise FormatError(f"{name}: is a folder, not a CSV file. Fix: name the file.")
    data = p.read_bytes()
    if is_excel(p, data[:8]):
        text, _ = sheet_text(p, sheet)
        delimiter = ","
    else:
        text = _decode(data, name, encoding)
    if not text.strip():
        raise FormatError(
            f"{name}: the file is empty. Fix: export the table again with a "
            "header row and data rows."
        )
    if names is not None:
        header = False
    elif header:
        text = _above_header(text, name, delimiter)
    if header:
        _check_header_line(text, name, delimiter)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            columns = (
                list(names)
                if names is not None
                else None
                if header
                else range(_head_width(text, delimiter))
            )
            chunks = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                header=0 if header else None,
                names=columns,
                skip_blank_lines=True,
                engine="c",
                quoting=csv.QUOTE_MINIMAL,
                index_col=False,
                chunksize=_CHUNK_ROWS,
            )
            steps = -(-text.count("\n") // _CHUNK_ROWS)
            parts = list(
                progress_bar(chunks, total=steps, desc=f"reading {p.name}", enabled=progress)
            )
            frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        if "EOF inside string" in str(exc):
            line = str(exc).rsplit("row", 1)[-1].strip(" .")
            raise FormatError(
                f"{name}: the file ends inside a quoted value (opened on data row {line}): "
                "it was cut short, or a quote is never closed. Fix: download or export the "
                "file again; if it is whole, close the quote in that row."
            ) from None
        raise FormatError(
            f"{name}: the rows do not line up with the header ({exc}). Fix: "
            "check for unquoted delimiters inside values, or pass the right "
            "delimiter=."
        ) from None
    except (pd.errors.EmptyDataError, csv.Error) as exc:
        raise FormatError(
            f"{name}: could not read it as CSV ({exc}). Fix: export the table "
            "as CSV (UTF-8) with a header row."
        ) from None
    if header:
        first_line = text.lstrip().splitlines()[0]
        if frame.shape[1] == 1:
            for other, word in _OTHER_DELIMITERS.items():
                if other != delimiter and other in first_line:
                    raise FormatError(
                        f"{name}: the header {first_line[:80]!r} holds one column; the file "
                        f"seems to be separated by {word}. Fix: pass delimiter={other!r}."
                    )
        frame.columns = [str(c).strip() for c in frame.columns]
        # pandas renames a repeated column ("a", "a.1"): look at the header row itself
        cells = pd.Index([c.strip() for c in next(csv.reader([first_line], delimiter=delimiter))])
        dupes = cells[cells.duplicated()].unique().tolist()
        if dupes:
            raise FormatError(
                f"{name}: column name(s) {dupes} appear more than once. Fix: "
                "give every column its own name."
            )
        blank = [
            i + 1
            for i, c in enumerate(frame.columns)
            if c.startswith("Unnamed: ") and c[9:].isdigit()
        ]
        if blank and blank_headers == "drop":
            frame = frame.drop(columns=[frame.columns[i - 1] for i in blank])
            frame.attrs["blank_columns"] = blank
        elif blank:
            raise FormatError(f"{name}: header cell(s) {blank} are empty. Fix: name every column.")
    if skip_rows:
        frame = frame.iloc[skip_rows:]
    if frame.empty:
        raise FormatError(
            f"{name}: the file has a header but no data rows. Fix: add rows, "
            "or check that the right file was given."
        )
    rows = np.arange(1 + skip_rows, 1 + skip_rows + len(frame))
    attrs = dict(frame.attrs)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(attrs)
    for col in frame.columns:
        frame[col] = strip_blanks(frame[col])
    return frame, rows


def _records(text: str, delimiter: str, n: int) -> list[list[str]]:
    # every line end as the table's reader takes it: a lone carriage return ends a line too
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    out = []
    for record in reader:
        if any(cell.strip() for cell in record):
            out.append(record)
        if len(out) >= n:
            break
    return out


def _above_header(text: str, name: str, delimiter: str) -> str:
    """The text without title lines above the header: lines of one filled cell (or far
    narrower than the table) on top of a wider header; each one skipped is said in a
    :class:`~geoconflict.errors.DataWarning`."""
    lines = text.splitlines(keepends=True)
    skipped = []
    while len(lines) > 2:
        head = _records("".join(lines[:3]), delimiter, 3)
        if len(head) < 3:
            break
        filled = [sum(1 for c in r if c.strip()) for r in head]
        if filled[1] >= 3 and filled[0] * 2 < filled[1] and abs(filled[1] - filled[2]) <= 1:
            skipped.append(lines.pop(0).strip())
            continue
        break
    if skipped:
        warnings.warn(
            f"{name}: the line(s) {skipped} above the header look like a title and were "
            "skipped; the header is the line after them. Fix: delete the title line(s) to "
            "read the file without this warning.",
            DataWarning,
            stacklevel=4,
        )
    return "".join(lines)


def _check_header_line(text: str, name: str, delimiter: str) -> None:
    """Refuse a header that the file's delimiter does not split while another does, and a
    first row that is data (numbers as column names: a file without a header row)."""
    head = _records(text, delimiter, 2)
    first_line = text.lstrip().splitlines()[0]
    if head and len(head[0]) == 1:
        for other, word in _OTHER_DELIMITERS.items():
            if other != delimiter and other in first_line:
                raise FormatError(
                    f"{name}: the header {first_line[:80]!r} holds one column; the file "
                    f"seems to be separated by {word}. Fix: pass delimiter={other!r}."
                )
    if head:
        cells = [c.strip() for c in head[0]]
        numeric = pd.to_numeric(pd.Series(cells), errors="coerce").notna()
        decimal = (numeric & pd.Series(cells).str.contains(".", regex=False)).any()
        # coordinates or counts as column names: data (a header of years, 2019, 2020, is not)
        if (numeric.sum() >= 2 and (decimal or numeric.sum() * 2 > len(cells))) or (
            numeric.any() and len(cells) <= 2
        ):
            shown = ", ".join(repr(c) for c in cells[:6])
            raise FormatError(
                f"{name}: the first row ({shown}) holds numbers, so it is data, not a header: "
                "the file has no header row. Fix: pass names=[...] with a name for each of "
                f"its {len(cells)} columns (e.g. names=['city', 'city_ascii', 'lat', 'lng', "
                "...]), then the column options as usual."
            )


def _head_width(text: str, delimiter: str) -> int:
    """The largest number of cells among the first records of a file."""
    head = io.StringIO(text, newline=None)
    reader = csv.reader(head, delimiter=delimiter)
    widths = [len(record) for _, record in zip(range(_HEAD_RECORDS), reader, strict=False)]
    return max(widths, default=1) or 1


def is_hashtag(cells: pd.Series) -> np.ndarray:
    """Which cells hold an HXL hashtag such as ``#adm1+name`` (case and spaces ignored)."""
    text = cells.astype("string").str.strip().str.lower()
    return (
        text.str.fullmatch(r"#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*")
        .fillna(False)
        .to_numpy(dtype=bool)
    )


def split_hashtag_row(
    frame: pd.DataFrame, rows: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, pd.Series | None]:
    """Take off an HXL hashtag row right under the header (HDX exports carry one).

    Returns the data rows, their numbers and the hashtags by column (``None`` when the first
    row is data).
    """
    if not len(frame):
        return frame, rows, None
    first = frame.iloc[0]
    given = first.notna().to_numpy()
    if not given.any() or not is_hashtag(first[given]).all():
        return frame, rows, None
    return frame.iloc[1:].reset_index(drop=True), rows[1:], first


def blank_words(
    frame: pd.DataFrame, columns: Iterable[str] | None = None, words: tuple[str, ...] = ("NA",)
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cells that only say "not given" (exactly ``NA`` by default, as R writes it) as missing
    values, in a table of stripped text.

    Returns the table and, per column, how many cells were changed.
    """
    out = frame.copy()
    counts: dict[str, int] = {}
    for col in frame.columns if columns is None else columns:
        hit = frame[col].isin(words).to_numpy(dtype=bool)
        if hit.any():
            out[col] = frame[col].mask(hit, None)
            counts[str(col)] = int(hit.sum())
    return out, counts
