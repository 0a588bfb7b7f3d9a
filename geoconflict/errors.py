"""Error and warning classes raised by geoconflict.

Every error says where the problem is (file, row, column, value) and what to do about it.

Examples
--------
>>> from geoconflict.errors import SchemaError, Problem
>>> err = SchemaError.from_problems([Problem(
...     "latitude must be between -90 and 90", file="places.csv", row=3,
...     column="lat", value=123.0, fix="check the coordinates")])
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
places.csv, row 3, column 'lat', value 123.0: latitude must be between -90 and 90.
Fix: check the coordinates.
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArgumentTypeError",
    "BoundaryError",
    "CoverageError",
    "DataFileNotFoundError",
    "DataWarning",
    "DateArgumentError",
    "FigureOptionError",
    "FormatError",
    "GeoconflictError",
    "MapOptionError",
    "MissingDependencyError",
    "OptionError",
    "Problem",
    "SchemaError",
    "TerritoryError",
    "TerritoryOptionError",
    "UnknownPlaceError",
]

_MAX_VALUE_CHARS = 80


def _show_value(value: object) -> str:
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file, or the name of the table when it came from memory.
    row : int, optional
        Data row, counted from 1 (the header is not a row), or the table's index label.
    column : str, optional
        The column holding the value.
    value : object, optional
        The offending value.
    fix : str, optional
        What the user can do about it.
    """

    message: str
    file: str | None = None
    row: object = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    has_value: bool = False

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.has_value or self.value is not None:
            where.append(f"value {_show_value(self.value)}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.fix:
            text = f"{text}. Fix: {self.fix}"
        if not text.endswith("."):
            text += "."
        return text


class GeoconflictError(Exception):
    """Base class of every error geoconflict raises on purpose."""


class SchemaError(GeoconflictError, ValueError):
    """Input data does not fit the expected table layout or values.

    Attributes
    ----------
    problems : list of Problem
        Every problem found; the message shows the first and counts the rest.
    """

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> SchemaError:
        """Build one error from a non-empty list of problems."""
        first = str(problems[0])
        if len(problems) > 1:
            first += f" ({len(problems) - 1} more problem(s) in this input)"
        return cls(first, problems)


class UnknownPlaceError(GeoconflictError, LookupError):
    """A place name or id could not be matched to a known place.

    Attributes
    ----------
    name : str
        The name that was looked up.
    suggestions : list of str
        The closest known names.
    """

    def __init__(self, message: str, *, name: str = "", suggestions: list[str] | None = None):
        super().__init__(message)
        self.name = name
        self.suggestions = list(suggestions or [])


class BoundaryError(GeoconflictError, ValueError):
    """The boundary is missing, empty or not a polygon."""


class CoverageError(GeoconflictError, ValueError):
    """Polygon places of one level overlap, so land would have two holders."""


class FormatError(GeoconflictError, ValueError):
    """A file is not in the format its name or the caller says (truncated, wrong kind)."""


class DataFileNotFoundError(FormatError, FileNotFoundError):
    """The file or folder to read does not exist."""


class OptionError(GeoconflictError, ValueError):
    """An option (a keyword argument) has a value the function does not take: an unknown
    name, a number out of range, a choice that is not offered."""


class DateArgumentError(OptionError):
    """A date passed as an argument (``when``, ``start``, ``until`` ...) could not be read."""


class TerritoryError(GeoconflictError, ValueError):
    """The places' land could not be divided among them (a geometry their layout defeats)."""


class TerritoryOptionError(OptionError):
    """An option of a territory function is missing, out of range or not understood."""


class MapOptionError(OptionError):
    """An option of a map function (``explore``, ``map_data``) is not understood."""


class FigureOptionError(OptionError):
    """An option of a figure function is not understood."""


class ArgumentTypeError(GeoconflictError, TypeError):
    """An argument is of a kind the function does not take (a list where a table is
    expected, say)."""


class MissingDependencyError(GeoconflictError, ImportError):
    """An optional package needed for this call is not installed."""


class DataWarning(UserWarning):
    """Input was usable but something in it was left out or looks suspicious."""
