"""Deterministic HTML: stable element ids, rendering, and the atomic write.

Folium names every element with a random 128-bit hex id, so two builds of one map differ.
:func:`stable_ids` numbers the elements of a map in tree order instead; :func:`render_html`
also maps the random ids of any element added later to sequential ones, so the same map
always renders to the same bytes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from branca.element import Element

from .._atomic import write_text
from .assets import _elements

__all__ = ["render_html", "save_map", "stable_ids"]

_RANDOM_ID = re.compile(r"^[0-9a-f]{32}$")


def stable_ids(root: Element) -> None:
    """Give every element under ``root`` a sequential id (``"0001"``, ``"0002"``, ...)."""
    for number, element in enumerate(_elements(root.get_root()), start=1):
        element._id = f"{number:04d}"


def render_html(m: Element) -> str:
    """The page of a map (or any folium element) as text, the same for the same map.

    Examples
    --------
    >>> import folium
    >>> a, b = folium.Map(tiles=None), folium.Map(tiles=None)
    >>> render_html(a) == render_html(b)
    True
    """
    root = m.get_root()
    html = root.render()
    random_ids = [e._id for e in _elements(root) if _RANDOM_ID.match(e._id)]
    for number, old in enumerate(random_ids, start=1):
        if old in html:
            html = html.replace(old, f"u{number:04d}")
    return html


def save_map(m: Element, path: str | os.PathLike[str]) -> Path:
    """Write a map's HTML page to ``path`` atomically; return the path.

    The same map writes the same bytes (see :func:`render_html`). The file appears
    complete or not at all.

    Examples
    --------
    >>> import pathlib, tempfile, folium
    >>> out = save_map(folium.Map(tiles=None), pathlib.Path(tempfile.mkdtemp()) / "m.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return write_text(path, render_html(m))
