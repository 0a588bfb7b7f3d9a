"""Page assets: Leaflet inlined from ``xstatic-leaflet``, our scripts and style sheets
(``static/``, shipped as they are), our Jinja templates (``templates/``), and CDN stripping.

A map saved with ``offline=True`` carries Leaflet's JavaScript and CSS in the page itself
(the images its CSS refers to become ``data:`` URIs), and none of folium's other CDN assets
(jQuery, Bootstrap, awesome-markers, Font Awesome): our layers are plain Leaflet vectors.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any, cast

import jinja2
from branca.element import Element, Figure
from xstatic.pkg import leaflet

from ..errors import FormatError
from ..style import BASE_COLORS, BASE_NAME_COLORS, FLOW_COLORS, MAP_COLORS, TEXT_COLOR
from .escape import script_json

__all__ = [
    "ENV",
    "css_variables",
    "leaflet_css",
    "leaflet_js",
    "link_leaflet",
    "render_template",
    "static_text",
    "strip_cdn_assets",
]

_TEMPLATES = Path(__file__).with_name("templates")
_STATIC = Path(__file__).with_name("static")

#: Templates escape HTML by default: data text can only enter markup escaped.
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
ENV.filters["script_json"] = script_json


def static_text(name: str) -> str:
    """The text of one of our scripts or style sheets (``static/``, shipped as is)."""
    return (_STATIC / name).read_text(encoding="utf-8")


def render_template(name: str, **context: object) -> str:
    """Render one of our HTML templates, with HTML escaping of every value."""
    return ENV.get_template(name).render(**context)


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def css_variables() -> str:
    """The style's colours as CSS custom properties (``--gc-<name>``) for the page's style
    sheet (``static/geoconflict.css`` uses them and copies none).

    Examples
    --------
    >>> print(css_variables().splitlines()[0])
    :root {
    >>> "--gc-front: #1b1b1b;" in css_variables()
    True
    """
    named = {
        **{key.replace("_", "-"): value for key, value in MAP_COLORS.items()},
        **{key: value for key, value in BASE_COLORS.items()},
        **{f"name-{key}": value for key, value in BASE_NAME_COLORS.items()},
        **{f"flow-{key}": value for key, value in FLOW_COLORS.items()},
        "text": TEXT_COLOR,
    }
    for name, value in named.items():
        if not _COLOR.fullmatch(value):  # pragma: no cover - the style's own constants
            raise FormatError(f"style colour {name} is {value!r}, not #rrggbb")
    body = "".join(f"  --gc-{name}: {value};\n" for name, value in named.items())
    return ":root {\n" + body + "}\n"


def _leaflet_dir() -> Path:
    return Path(leaflet.BASE_DIR)


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, without its source-map comment."""
    text = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    text = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", text)
    if "</script" in text.lower():  # pragma: no cover - not in Leaflet 1.9
        raise FormatError("leaflet.js contains '</script' and cannot be inlined")
    return text


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS with the images it refers to inlined as ``data:`` URIs."""
    folder = _leaflet_dir()
    text = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (folder / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, text)


def _elements(root: Element):
    """Every element under ``root`` (depth first, in child order), ``root`` included."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        children = list(element._children.values())
        if isinstance(element, Figure):
            children = [element.header, element.html, element.script, *children]
        stack.extend(reversed(children))


def strip_cdn_assets(root: Element) -> None:
    """Drop the CDN ``<script>``/``<link>`` assets of every element under ``root``.

    The lists are replaced on each instance; folium's class-level defaults stay untouched.
    """
    for element in _elements(root):
        if getattr(element, "default_js", None):
            element.default_js = []
        if getattr(element, "default_css", None):
            element.default_css = []


def link_leaflet(m: Element) -> None:
    """Link Leaflet's JavaScript and CSS from folium's CDN addresses (and nothing else)."""
    page = cast(Any, m)  # a folium Map: its class lists the CDN assets
    page.default_js = [a for a in type(page).default_js if a[0] == "leaflet"]
    page.default_css = [a for a in type(page).default_css if a[0] == "leaflet_css"]
