"""What every figure function shares: its error, option checks, matplotlib, text helpers."""

from __future__ import annotations

import textwrap

import pandas as pd

from .._time import date_or_last
from ..errors import FigureOptionError, MissingDependencyError
from ..palette import actor_colors
from ..style import attribution, check_lang, display_names, label_colors, words

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


def figure_words(lang: str) -> dict[str, str]:
    return words(check_lang(lang, error=FigureOptionError))


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


def label_names(conflict, lang: str) -> dict[str, str]:
    """Each label's name: the actors' in ``lang``, then the words for the other labels."""
    text = figure_words(lang)
    out = {str(k): str(v) for k, v in display_names(conflict.actors, lang).items()}
    out.update(contested=text["contested"], unknown=text["unknown"], no_data=text["no_data"])
    return out


def default_date(conflict, when: object) -> pd.Timestamp:
    date = date_or_last(when, conflict.period)
    if date is None:
        raise FigureOptionError(
            "the conflict has no dates, so there is no default date. Fix: pass when='YYYY-MM-DD'."
        )
    return date


def attribution_text(ax_or_fig, conflict, lang: str, credits: tuple[str, ...] = ()) -> str:
    text = attribution(conflict, lang=lang, credits=credits)
    figure = ax_or_fig if hasattr(ax_or_fig, "savefig") else ax_or_fig.get_figure()
    return wrap(plain(text), int(figure.get_figwidth() * 19)) if text else ""
