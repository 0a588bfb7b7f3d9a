"""Deterministic HTML: stable element ids, rendering, and the atomic write.

Folium names every element with a random 128-bit hex id, so two builds of one map differ.
:func:`stable_ids` numbers the elements of a map in tree order instead; :func:`render_html`
also maps the random ids of any element added later to sequential ones, so the same map
always renders to the same bytes.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, cast

from branca.element import Element, Figure

from .._atomic import write_text
from ..errors import ArgumentTypeError, MapOptionError
from .assets import _elements

__all__ = ["page_language", "render_html", "save_map", "stable_ids"]

_RANDOM_ID = re.compile(r"^[0-9a-f]{32}$")
_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*"', re.IGNORECASE)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def page_language(figure: Figure, lang: str, direction: str) -> None:
    """Give the page ``<html lang=... dir=...>`` when it is rendered, and a viewport that
    lets readers zoom (folium's disables zooming, which WCAG 1.4.4 asks pages not to)."""
    if not _LANGUAGE.match(lang) or direction not in ("ltr", "rtl"):
        raise MapOptionError(f"page_language: bad language {lang!r} or direction {direction!r}")
    cast(Any, figure)._geoconflict_html = f'<html lang="{lang}" dir="{direction}">'


def _page_fixes(root: Element, html: str) -> str:
    tag = getattr(root, "_geoconflict_html", None)
    if tag is None:
        return html
    html = html.replace("<html>", tag, 1)
    return _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"', html, count=1
    )


def stable_ids(root: Element) -> None:
    """Give every element of a page a sequential id (``"0001"``, ``"0002"``, ...).

    Also remembers the page's header, body and script parts as they are now (before any
    rendering), so that :func:`render_html` can start every rendering from them.
    :func:`~geoconflict.explore` calls it; call it yourself on other folium maps.

    Parameters
    ----------
    root : branca.element.Element
        Any element of the page (its root figure is numbered).

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> stable_ids(m)
    >>> m.get_name()
    'map_0006'
    """
    root = root.get_root()
    for number, element in enumerate(_elements(root), start=1):
        element._id = f"{number:04d}"
    _remember_parts(root)


_PARTS = ("header", "html", "script")


def _remember_parts(root: Element) -> dict:
    if isinstance(root, Figure):
        cast(Any, root)._geoconflict_parts = {
            part: OrderedDict(getattr(root, part)._children) for part in _PARTS
        }
    return getattr(root, "_geoconflict_parts", {})


def _restore_parts(root: Element) -> None:
    """Drop what earlier renderings added to the page's parts.

    Rendering adds each element's output to the figure under the element's name, and folium
    adds ``addTo`` statements with fresh random names each time: a second rendering would
    repeat them. Starting from the remembered parts keeps renderings identical.
    """
    parts = getattr(root, "_geoconflict_parts", None)
    if parts is None:
        parts = _remember_parts(root)
    for part, children in parts.items():
        getattr(root, part)._children = OrderedDict(children)


def render_html(m: Element) -> str:
    """The page of a map (or any folium element) as text, the same for the same map.

    Parameters
    ----------
    m : folium.Map or branca.element.Element

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> import folium
    >>> a, b = folium.Map(tiles=None), folium.Map(tiles=None)
    >>> render_html(a) == render_html(b)
    True
    """
    root = m.get_root()
    _restore_parts(root)
    html = _page_fixes(root, root.render())
    random_ids = [e._id for e in _elements(root) if _RANDOM_ID.match(e._id)]
    found = [old for old in random_ids if old in html]
    for number, old in enumerate(found, start=1):
        html = html.replace(old, f"u{number:04d}")
    return html


def save_map(m: Element, path: str | os.PathLike[str]) -> Path:
    """Write a map's HTML page to ``path`` atomically; return the path.

    The same map writes the same bytes (see :func:`render_html`). The file appears
    complete or not at all; missing folders are created.

    Parameters
    ----------
    m : folium.Map or branca.element.Element
    path : str or os.PathLike

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile, folium
    >>> out = save_map(folium.Map(tiles=None), pathlib.Path(tempfile.mkdtemp()) / "m.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    if not isinstance(m, Element):
        raise ArgumentTypeError(
            f"save_map: m must be a folium map, got {type(m).__name__}. "
            "Fix: pass what explore returns."
        )
    return write_text(path, render_html(m))
