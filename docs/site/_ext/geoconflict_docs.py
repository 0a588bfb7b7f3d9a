"""Directives that write parts of the documentation from the code, so they cannot go stale.

- ``geoconflict-errors``: a table of every class in :mod:`geoconflict.errors` (and the
  public error classes exported from ``geoconflict``), its parents and its first docstring
  line;
- ``geoconflict-api``: the API reference, chapter by chapter in the order and grouping of
  ``docs/make_api.py`` (which also writes the one-page Markdown reference ``docs/api.md``),
  each object documented by autodoc from its numpydoc docstring;
- ``geoconflict-territory-gallery``: the picture of each land setting that
  ``docs/make_pictures.py`` draws (a new method documented by ``geoconflict.territories``
  gets its picture there, and here, without editing a list).
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

DOCS = Path(__file__).resolve().parents[2]


def _make_api():
    spec = importlib.util.spec_from_file_location("make_api", DOCS / "make_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


class _Generated(SphinxDirective):
    has_content = False

    def parse_rst(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="geoconflict-docs"),
                                 node)
        return node.children


class ErrorTable(_Generated):
    """Every error and warning class the library raises, as a table."""

    def run(self) -> list[nodes.Node]:
        import geoconflict
        from geoconflict import errors

        classes = {}
        for module in (errors, geoconflict):
            for name in getattr(module, "__all__", []):
                obj = getattr(module, name)
                if inspect.isclass(obj) and issubclass(obj, (Exception, Warning)):
                    classes[obj.__name__] = obj
        lines = [".. list-table::", "   :header-rows: 1", "   :widths: 22 30 48", "",
                 "   * - class", "     - is a", "     - raised when"]
        for name in sorted(classes, key=lambda n: (not issubclass(classes[n], Warning), n)):
            obj = classes[name]
            bases = ", ".join(f"``{b.__name__}``" for b in obj.__mro__[1:]
                              if b not in (object, BaseException, Exception))
            lines += [f"   * - :class:`~geoconflict.errors.{name}`"
                      if hasattr(errors, name) else f"   * - ``{name}``",
                      f"     - {bases or '``Exception``'}",
                      f"     - {_summary(obj) or 'No description yet.'}"]
        return self.parse_rst(lines)


class ApiReference(_Generated):
    """The public API, chapter by chapter, documented by autodoc."""

    def run(self) -> list[nodes.Node]:
        make_api = _make_api()
        titles = [t for t, _ in make_api.CHAPTERS] + ["Other"]
        chapters: dict[int, list[tuple[str, object]]] = {}
        objects = sorted(make_api.public_objects(),
                         key=lambda item: (make_api.chapter_of(item[1]),
                                           item[0].rpartition(".")[2].lower()))
        for qualname, obj in objects:
            chapters.setdefault(make_api.chapter_of(obj), []).append((qualname, obj))
        lines: list[str] = []
        for i in sorted(chapters):
            title = titles[i]
            lines += [title, "-" * len(title), ""]
            for qualname, obj in chapters[i]:
                if inspect.isclass(obj) and issubclass(obj, BaseException):
                    lines += [f".. autoexception:: {qualname}", ""]
                elif inspect.isclass(obj):
                    lines += [f".. autoclass:: {qualname}", "   :members:", ""]
                else:
                    lines += [f".. autofunction:: {qualname}", ""]
        return self.parse_rst(lines)


class TerritoryGallery(_Generated):
    """One picture per land setting, as ``docs/make_pictures.py`` draws them."""

    def run(self) -> list[nodes.Node]:
        spec = importlib.util.spec_from_file_location("make_pictures",
                                                      DOCS / "make_pictures.py")
        make_pictures = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(make_pictures)
        lines: list[str] = []
        for stem, _options, caption in make_pictures.territory_pictures():
            path = make_pictures.IMAGES / f"{stem}.png"
            relative = Path("..") / path.relative_to(DOCS)
            lines += [f".. figure:: {relative.as_posix()}",
                      f"   :alt: territories of the example on {make_pictures.DATE}, "
                      f"{caption}", "",
                      f"   ``{caption}``, on {make_pictures.DATE}", ""]
        return self.parse_rst(lines)


def setup(app):
    app.add_directive("geoconflict-errors", ErrorTable)
    app.add_directive("geoconflict-api", ApiReference)
    app.add_directive("geoconflict-territory-gallery", TerritoryGallery)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
