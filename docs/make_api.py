"""Write ``docs/api.md``, the API reference, from the docstrings of geoconflict's public API.

    python docs/make_api.py           # rewrite docs/api.md
    python docs/make_api.py --check   # exit 1 (and say so) when docs/api.md is out of date

Every name in ``geoconflict.__all__`` (and a few public helpers of submodules, listed in
``EXTRA``) gets its signature and its numpydoc docstring, turned into Markdown: sections
become headings, parameters a list, examples a ``pycon`` block. The output depends only on
the code, so the same code gives the same file.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "api.md"

#: Public functions of submodules that are not re-exported from ``geoconflict``.
EXTRA = (
    "geoconflict.style.attribution",
    "geoconflict.progress.progress",
    "geoconflict.territory.places_at",
)

#: Chapters, in order: a title and the module prefixes they gather.
CHAPTERS = (
    ("The Conflict container", ("geoconflict.conflict",)),
    ("Example data", ("geoconflict.examples",)),
    ("Places", ("geoconflict.places",)),
    ("Control over time", ("geoconflict.control",)),
    ("Displacement flows", ("geoconflict.flows",)),
    ("Territories and frontlines", ("geoconflict.territory", "geoconflict.io.exports")),
    ("Research questions", ("geoconflict.analysis",)),
    ("Interactive maps", ("geoconflict.maps", "geoconflict.basemap")),
    ("Static figures", ("geoconflict.figures", "geoconflict.style")),
    ("Reading and writing", ("geoconflict.io",)),
    ("Colours", ("geoconflict.palette",)),
    ("Progress bars", ("geoconflict.progress",)),
    ("Errors and warnings", ("geoconflict.errors",)),
)
ITEM_SECTIONS = {"Parameters", "Returns", "Raises", "Attributes", "Yields", "Warns",
                 "Other Parameters"}


def public_objects() -> list[tuple[str, object]]:
    """(qualified name, object) for every documented name."""
    import geoconflict

    out = []
    for name in geoconflict.__all__:
        obj = getattr(geoconflict, name)
        if callable(obj):
            out.append((f"geoconflict.{name}", obj))
    for dotted in EXTRA:
        module, _, name = dotted.rpartition(".")
        out.append((dotted, getattr(importlib.import_module(module), name)))
    return out


def chapter_of(obj: object) -> int:
    module = getattr(obj, "__module__", "")
    for i, (_, prefixes) in enumerate(CHAPTERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return len(CHAPTERS)


def signature(obj: object) -> str:
    """The call signature without annotations (they are in the docstrings)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    empty = inspect.Parameter.empty
    params = [p.replace(annotation=empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=empty))


def split_sections(doc: str) -> list[tuple[str, list[str]]]:
    """[(section title or "", lines)] of a cleaned numpydoc docstring."""
    lines = doc.splitlines()
    sections: list[tuple[str, list[str]]] = [("", [])]
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and underline and set(underline) == {"-"} and not line[0].isspace():
            sections.append((line.strip(), []))
            i += 2
            continue
        sections[-1][1].append(line)
        i += 1
    return sections


def items_markdown(lines: list[str]) -> list[str]:
    """A numpydoc item list (``name : type`` then indented text) as a Markdown list."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if not line[0].isspace():
            name, sep, kind = line.partition(" : ")
            out.append(f"- `{name.strip()}`" + (f" ({kind.strip()})" if sep else ""))
        elif out:
            joiner = " — " if out[-1].endswith(")") or out[-1].endswith("`") else " "
            out[-1] += joiner + line.strip()
        else:
            out.append(line.strip())
    return out


def doc_markdown(doc: str) -> list[str]:
    out: list[str] = []
    for title, lines in split_sections(inspect.cleandoc(doc)):
        body = "\n".join(lines).strip("\n")
        if not title:
            out += [body, ""] if body else []
        elif title == "Examples":
            out += ["**Examples**", "", "```pycon", body, "```", ""]
        elif title in ITEM_SECTIONS:
            out += [f"**{title}**", "", *items_markdown(lines), ""]
        else:
            out += [f"**{title}**", "", body, ""]
    return out


def methods_markdown(cls: type) -> list[str]:
    rows = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        func = member.fget if isinstance(member, property) else member
        if not callable(func) or not func.__doc__:
            continue
        summary = inspect.cleandoc(func.__doc__).splitlines()[0]
        call = name if isinstance(member, property) else f"{name}{signature(func)}"
        call = call.replace("(self, ", "(").replace("(self)", "()")
        rows.append(f"- `{call}`: {summary}")
    return ["**Methods and properties**", "", *rows, ""] if rows else []


def entry(qualname: str, obj: object) -> list[str]:
    name = qualname.rpartition(".")[2]
    if inspect.isclass(obj):
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b is not object)
        if issubclass(obj, BaseException):
            head = f"### class `{name}({bases})`"
        else:
            head = f"### class `{name}{signature(obj)}`"
    else:
        head = f"### `{name}{signature(obj)}`"
    lines = [head, "", f"`{qualname}`", ""]
    lines += doc_markdown(obj.__doc__ or "No description yet.")
    if inspect.isclass(obj) and not issubclass(obj, BaseException):
        lines += methods_markdown(obj)
    return lines


def render() -> str:
    objects = sorted(public_objects(), key=lambda item: (chapter_of(item[1]),
                                                         item[0].rpartition(".")[2].lower()))
    out = ["# geoconflict API reference", "",
           "Generated from the docstrings by `python docs/make_api.py`; do not edit by hand.",
           "Everything here is importable as `geoconflict.<name>` unless its full name says "
           "otherwise.", ""]
    titles = [t for t, _ in CHAPTERS] + ["Other"]
    chapters: dict[int, list[tuple[str, object]]] = {}
    for qualname, obj in objects:
        chapters.setdefault(chapter_of(obj), []).append((qualname, obj))
    out += ["## Contents", ""]
    for i in sorted(chapters):
        names = ", ".join(f"`{q.rpartition('.')[2]}`" for q, _ in chapters[i])
        out.append(f"- {titles[i]}: {names}")
    out.append("")
    for i in sorted(chapters):
        out += [f"## {titles[i]}", ""]
        for qualname, obj in chapters[i]:
            out += entry(qualname, obj)
    text = "\n".join(out).rstrip() + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/api.md differs from what would be written")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date. Fix: python docs/make_api.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
