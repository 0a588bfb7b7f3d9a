"""The flows table's validation: counts, ranges, categories and kinds of displacement.

A flow says that ``people`` moved from ``origin`` to ``destination`` between ``start`` and
``end`` (a ``movement``), or that ``people`` were counted at ``destination`` with no known
origin (``present``). Column names and value lists are in :mod:`geoconflict._schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._schema import (
    CATEGORIES,
    CATEGORY,
    DESTINATION,
    END,
    KIND,
    KINDS,
    NOTE,
    ORIGIN,
    PEOPLE,
    PEOPLE_MAX,
    QUALITIES,
    QUALITY,
    SOURCE,
    START,
    UNIT,
    UNITS,
    Collector,
    as_table,
    check_id_types,
    choice_column,
    clean_ids,
    is_in,
    lower_or,
    parse_dates,
    parse_numbers,
    require_columns,
    table_name,
)

__all__ = ["validate_flows"]


def validate_flows(
    flows: pd.DataFrame,
    *,
    source: object = None,
    rows: np.ndarray | None = None,
    household_size: float | None = None,
    required: Sequence[str] = (ORIGIN, DESTINATION, START, PEOPLE),
) -> pd.DataFrame:
    """Validate a flows table and return a clean copy.

    ``end`` defaults to ``start``. Rows in ``households`` are converted to people only with
    an explicit ``household_size``; the reported count is kept in ``households``.
    ``origin == destination`` is valid: displacement within one place or area.

    Optional columns, always present in the result:

    - ``people_max``: the upper end when the source gives a range (``people`` then holds the
      lower end); missing when it gives one figure. It must be at least ``people``.
    - ``category``: ``internal`` (the default), ``refugee`` or ``return``.
    - ``kind``: ``movement`` (the default: from ``origin`` to ``destination``, both required)
      or ``present`` (people counted at ``destination`` whose origin is unknown; ``origin``
      must be empty). With a ``kind`` column the ``origin`` column may be left out.

    ``required`` names the columns that must be there; a function that needs fewer (net
    flows need no dates) passes its own, and the columns that are there are checked the same
    way.

    Examples
    --------
    >>> import pandas as pd
    >>> f = validate_flows(pd.DataFrame({"origin": ["a"], "destination": ["b"],
    ...     "start": ["2024-12-01"], "people": [3], "unit": ["households"]}),
    ...     household_size=5)
    >>> float(f.loc[0, "people"]), float(f.loc[0, "households"])
    (15.0, 3.0)
    >>> f = validate_flows(pd.DataFrame({"origin": ["a", ""], "destination": ["b", "b"],
    ...     "start": ["2024-12-01"] * 2, "people": [100, 40], "people_max": [150, None],
    ...     "kind": ["movement", "present"]}))
    >>> f[["origin", "people", "people_max", "category", "kind"]].values.tolist()
    [['a', 100.0, 150.0, 'internal', 'movement'], [<NA>, 40.0, nan, 'internal', 'present']]
    """
    table = table_name(source, "flows")
    frame = as_table(flows, table=table).copy().reset_index(drop=True)
    if ORIGIN not in frame.columns and KIND in frame.columns:
        frame[ORIGIN] = pd.Series(pd.NA, index=frame.index, dtype="string")
    require_columns(
        frame,
        list(required),
        table=table,
        options={ORIGIN: "origin", DESTINATION: "destination", START: "start", PEOPLE: "people"},
    )
    check = Collector(table, rows)
    kind = choice_column(frame, KIND, KINDS, check)
    present = (kind == "present").to_numpy()
    for col in (ORIGIN, DESTINATION):
        if col in frame.columns:
            check_id_types(frame[col], check, col)
            frame[col] = clean_ids(frame[col])
    if ORIGIN in frame.columns:
        check.add_rows(
            frame[ORIGIN].isna().to_numpy() & ~present,
            frame[ORIGIN],
            "origin is missing",
            column=ORIGIN,
            fix="fill it in, set kind to 'present' for people counted at the "
            "destination whose origin is unknown, or drop the row",
        )
        check.add_rows(
            frame[ORIGIN].notna().to_numpy() & present,
            frame[ORIGIN],
            "a 'present' row has an origin",
            column=ORIGIN,
            fix="leave origin empty for people counted at the destination, or set "
            "kind to 'movement'",
        )
    if DESTINATION in frame.columns:
        check.add_rows(
            frame[DESTINATION].isna().to_numpy(),
            frame[DESTINATION],
            "destination is missing",
            column=DESTINATION,
            fix="fill it in or drop the row",
        )
    if START in frame.columns:
        _flow_dates(frame, check)
    if PEOPLE in frame.columns:
        _flow_people(frame, check, household_size)
    frame[CATEGORY] = choice_column(frame, CATEGORY, CATEGORIES, check)
    frame[KIND] = kind
    if QUALITY in frame.columns:
        quality = lower_or(clean_ids(frame[QUALITY]))
        bad = quality.notna().to_numpy() & ~is_in(quality, QUALITIES)
        check.add_rows(
            bad,
            frame[QUALITY],
            "unknown quality",
            column=QUALITY,
            fix=f"use one of {list(QUALITIES)}",
        )
        frame[QUALITY] = quality
    for col in (SOURCE, NOTE):
        if col in frame.columns:
            frame[col] = clean_ids(frame[col])
    check.raise_if_any()
    return frame


def _flow_dates(frame: pd.DataFrame, check: Collector) -> None:
    """Parse ``start`` and ``end`` in place; ``end`` defaults to ``start``."""
    frame[START] = parse_dates(frame[START], check, START)
    if END in frame.columns:
        end = parse_dates(frame[END], check, END, required=False)
        frame[END] = end.fillna(frame[START])
    else:
        frame[END] = frame[START]
    before = (frame[END] < frame[START]).fillna(False).to_numpy()
    check.add_rows(
        before,
        lambda at: frame[END].iloc[at].dt.strftime("%Y-%m-%d"),  # only the rows flagged
        "end is before start",
        column=END,
        fix="swap start and end, or correct the date",
    )


def _flow_people(frame: pd.DataFrame, check: Collector, household_size: float | None) -> None:
    """Parse ``people`` and ``people_max`` in place; households become people."""
    frame[PEOPLE] = parse_numbers(
        frame[PEOPLE],
        check,
        PEOPLE,
        what="people",
        required=True,
        minimum=0,
    )
    if PEOPLE_MAX in frame.columns:
        frame[PEOPLE_MAX] = parse_numbers(
            frame[PEOPLE_MAX], check, PEOPLE_MAX, what="people_max", required=False, minimum=0
        )
        below = (frame[PEOPLE_MAX] < frame[PEOPLE]).fillna(False).to_numpy()
        check.add_rows(
            below,
            frame[PEOPLE_MAX],
            "people_max is below people",
            column=PEOPLE_MAX,
            fix="for a range put the lower end in people and the upper end in "
            "people_max; leave people_max empty for a single figure",
        )
    else:
        frame[PEOPLE_MAX] = np.nan
    unit = choice_column(frame, UNIT, UNITS, check, say_empty=False)
    households = (unit == "households").to_numpy()
    if households.any():
        if household_size is None:
            check.add_rows(
                households,
                unit,
                "counts in households need a household size",
                column=UNIT,
                fix="pass household_size=<people per household>, "
                "e.g. household_size=5.0, or give counts in people",
            )
        elif not np.isfinite(household_size) or household_size <= 0:
            check.add(
                f"household_size must be a positive number, got {household_size!r}",
                fix="pass the average number of people per household",
            )
        else:
            frame["households"] = frame[PEOPLE].where(households)
            for col in (PEOPLE, PEOPLE_MAX):
                frame[col] = frame[col].where(~households, frame[col] * household_size)
    frame[UNIT] = pd.Series("people", index=frame.index, dtype="string")
