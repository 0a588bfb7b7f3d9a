"""The two kinds of folium element our map is made of.

:class:`RawHTML` is a fixed piece of page text. Branca's plain ``Element(text)`` compiles its
text as a Jinja template, so data inside it (``{{ ... }}`` in a place name) would be
evaluated; ``RawHTML`` never is.

:class:`TemplateElement` renders the ``header``, ``html`` and ``script`` macros of one of our
own templates (HTML-escaping by default, JSON through ``script_json``) and adds the results to
the page as ``RawHTML``.
"""

from __future__ import annotations

from branca.element import Element, Figure, MacroElement

from ..errors import ArgumentTypeError, FormatError
from .assets import ENV, css_variables, leaflet_css, leaflet_js, static_text

__all__ = ["RawHTML", "TemplateElement", "add_assets", "inline_leaflet"]


class RawHTML(Element):
    """Page text that is written out as it is (it must already be escaped)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawHTML"
        self.text = str(text)

    def render(self, **kwargs) -> str:
        return self.text


class TemplateElement(MacroElement):
    """An element drawn from the macros of one of our templates.

    Subclasses set ``template_name`` (a file in ``templates/``) and, optionally, ``assets``:
    ``(name, kind, file)`` triples of CSS (``"css"``) or JavaScript (``"js"``) files in
    ``static/`` that the page needs once, however many elements use them.
    """

    template_name = ""
    assets: tuple[tuple[str, str, str], ...] = ()

    def __init__(self):
        super().__init__()
        self._name = type(self).__name__
        self._template = ENV.get_template(self.template_name)

    def render(self, **kwargs) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise ArgumentTypeError(
                f"{self._name} must be in a folium Map before it is "
                "rendered. Fix: add it to a map with .add_to(m)."
            )
        add_assets(figure, self.assets)
        module = self._template.make_module({"this": self})
        for part in ("header", "html", "script"):
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(
                    RawHTML(str(macro(self, kwargs))), name=self.get_name()
                )
        for child in self._children.values():
            child.render(**kwargs)


def add_assets(figure: Figure, assets: tuple[tuple[str, str, str], ...]) -> None:
    """Add our CSS/JS files to the page header, each once (keyed by name)."""
    for name, kind, filename in assets:
        key = f"geoconflict_{name}"
        if key in figure.header._children:
            continue
        text = static_text(filename)
        if filename == "geoconflict.css":  # the style's colours, then the sheet using them
            text = css_variables() + text
        if kind == "js":
            if "</script" in text.lower():
                raise FormatError(f"{filename} contains '</script'")
            html = f"<script>\n{text}</script>"
        else:
            html = f"<style>\n{text}</style>"
        figure.header.add_child(RawHTML(html), name=key)


def inline_leaflet(figure: Figure) -> None:
    """Put Leaflet's JavaScript and CSS into the page header, first after the meta tag."""
    figure.header.add_child(
        RawHTML(f"<style>{leaflet_css()}</style>"), name="leaflet_css", index=1
    )
    figure.header.add_child(RawHTML(f"<script>{leaflet_js()}</script>"), name="leaflet", index=2)
