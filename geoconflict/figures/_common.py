"""What every figure function shares: its error, option checks, matplotlib, text helpers."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd

from .._time import date_or_last
from ..errors import FigureOptionError, MissingDependencyError
from ..palette import actor_colors
from ..style import attribution, display_names, drawing_words, label_colors, text_direction

__all__ = ["FigureOptionError"]

FILL_ALPHA = 0.45
CONTEXT_COLOR = "#eeeeee"
OUTLINE_COLOR = "#555555"
NOTE_COLOR = "#555555"


def pyplot():
    """matplotlib.pyplot, or an error saying how to install it."""
    try:  # matplotlib is optional: only the figure functions need it
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is in the test extras
        raise MissingDependencyError(
            "static figures need matplotlib. Fix: pip install "
            "'geoconflict[plot]' (or pip install matplotlib)."
        ) from exc
    return plt


def figure_words(
    lang: str,
    *,
    words: object = None,
    level_names: object = None,
    places: pd.DataFrame | None = None,
    basemap_levels: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """Every word a figure in ``lang`` shows around the data (checked, with
    :class:`FigureOptionError` for a language or words not understood)."""
    return drawing_words(
        lang,
        custom=words,
        level_names=level_names,
        places=places,
        basemap_levels=basemap_levels,
        error=FigureOptionError,
    )


def right_to_left(lang: str) -> bool:
    return text_direction(lang) == "rtl"


def plain(text: object) -> str:
    """Data text as matplotlib draws it literally: ``$`` would start math mode."""
    return str(text).replace("$", r"\$")


def wrap(text: str, width: int) -> str:
    return (
        "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False))
        or text
    )


def number(value: float) -> str:
    return f"{value:,.0f}"


def check_flows(flows: object) -> None:
    if flows not in (True, False, "cumulative", "active"):
        raise FigureOptionError(
            f"flows must be True, False, 'cumulative' or 'active', got {flows!r}."
        )


def colors_of(conflict) -> dict[str, str]:
    return label_colors(actor_colors(conflict.actors))


def label_names(conflict, lang: str, text: Mapping[str, str]) -> dict[str, str]:
    """Each label's name: the actors' in ``lang``, then the words (``text``) for the
    other labels."""
    out = {str(k): str(v) for k, v in display_names(conflict.actors, lang).items()}
    out.update(
        contested=f"{text['contested']} ({text['contested_note']})",
        unknown=text["unknown"],
        no_data=text["no_data"],
    )
    return out


def default_date(conflict, when: object) -> pd.Timestamp:
    date = date_or_last(when, conflict.period)
    if date is None:
        raise FigureOptionError(
            "the conflict has no dates, so there is no default date. Fix: pass when='YYYY-MM-DD'."
        )
    return date


def attribution_text(
    conflict, lang: str, text: Mapping[str, str], credits: tuple[str, ...] = ()
) -> str:
    """The sources line, whole (matplotlib wraps it to the figure's width as it draws:
    ``wrap=True``; it is never cut)."""
    return plain(attribution(conflict, lang=lang, credits=credits, words=text, shorten=None))
