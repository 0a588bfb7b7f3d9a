"""The package's own import graph, read from the source with ``ast`` (nothing is imported).

Run as a script to print the figures the layer rules are about::

    python tests/import_graph.py [package folder]

Imports under ``if TYPE_CHECKING:`` are for the type checker only and are left out of the
graph; imports inside functions are in it (they run when the function does) and are also
listed apart.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "geoconflict"

#: The layers, lowest first: a module may import from its own layer or a lower one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "geoconflict._version",
            "geoconflict.errors",
            "geoconflict._atomic",
            "geoconflict._time",
            "geoconflict._schema*",
            "geoconflict._inputs",
            "geoconflict._tables",
            "geoconflict._types",
            "geoconflict._proj",
            "geoconflict._collect",
            "geoconflict._values",
            "geoconflict._kinds",
            "geoconflict._names",
            "geoconflict._forward",
            "geoconflict._warn",
            "geoconflict.palette",
            "geoconflict.progress",
        ),
    ),
    ("tables", ("geoconflict.places", "geoconflict.control", "geoconflict.flows")),
    (
        "territory",
        ("geoconflict.territory*",),
    ),
    ("analysis", ("geoconflict.analysis*",)),
    (
        "outputs",
        (
            "geoconflict.io*",
            "geoconflict.maps*",
            "geoconflict.figures*",
            "geoconflict.style*",
            "geoconflict.basemap",
        ),
    ),
    ("container", ("geoconflict.conflict", "geoconflict.read", "geoconflict.examples")),
    ("entry", ("geoconflict", "geoconflict.cli", "geoconflict.__main__")),
]


def layer_of(module: str) -> int:
    """The position in :data:`LAYERS` of a module name (``ValueError`` when none fits)."""
    for position, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if pattern.endswith("*"):
                stem = pattern[:-1]
                if module == stem.rstrip(".") or module.startswith(stem):
                    return position
            elif module == pattern:
                return position
    raise ValueError(f"module {module} is in no layer; add it to LAYERS in {__file__}")


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module of the package
    line: int
    in_function: bool


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, in_function: bool = False):
    """(import node, inside a function) for every import not under TYPE_CHECKING."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _walk(other, in_function)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        inner = in_function or isinstance(
            child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        )
        yield from _walk(child, inner)


def imports(package: Path = PACKAGE) -> tuple[list[str], list[Import], list[tuple[str, int, str]]]:
    """Modules, imports of the package's own modules, and every import inside a function
    as (module, line, imported name)."""
    files = sorted(package.rglob("*.py"))
    modules = {module_name(f, package): f for f in files}
    found: list[Import] = []
    in_functions: list[tuple[str, int, str]] = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _walk(tree):
            targets = _targets(node, name, is_package, modules)
            if in_function:
                label = (
                    (node.module or "")
                    if isinstance(node, ast.ImportFrom)
                    else ", ".join(a.name for a in node.names)
                )
                if isinstance(node, ast.ImportFrom) and node.level:
                    label = "." * node.level + label
                in_functions.append((name, node.lineno, label))
            found += [Import(name, t, node.lineno, in_function) for t in targets]
    return sorted(modules), found, in_functions


def _targets(
    node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: dict[str, Path]
) -> list[str]:
    root = next(iter(modules)).split(".")[0]
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == root and a.name in modules]
    if node.level:
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
        if stem.split(".")[0] != root:
            return []
    out = []
    for alias in node.names:
        candidate = f"{stem}.{alias.name}"
        out.append(candidate if candidate in modules else stem)
    return sorted({t for t in out if t in modules and t != name})


def cycles(modules: list[str], found: list[Import]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in found:
        graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in modules:
        if v not in index:
            visit(v)
    return sorted(out)


def upward(found: list[Import]) -> list[Import]:
    """Imports of a module in a higher layer than the importer's."""
    return [i for i in found if layer_of(i.target) > layer_of(i.source)]


def line_counts(package: Path = PACKAGE) -> dict[str, int]:
    return {
        module_name(f, package): len(f.read_text(encoding="utf-8").splitlines())
        for f in sorted(package.rglob("*.py"))
    }


def main(argv: list[str]) -> None:
    package = Path(argv[1]).resolve() if len(argv) > 1 else PACKAGE
    modules, found, in_functions = imports(package)
    comps = cycles(modules, found)
    print(f"modules: {len(modules)}")
    print(f"import cycles (strongly connected groups): {len(comps)}")
    for comp in comps:
        print("  " + " <-> ".join(comp))
    print(f"imports inside functions: {len(in_functions)}")
    for module, line, label in in_functions:
        print(f"  {module}:{line} {label}")
    try:
        ups = upward(found)
        print(f"upward imports: {len(ups)}")
        for imp in ups:
            print(f"  {imp.source}:{imp.line} -> {imp.target}")
    except ValueError as exc:
        print(f"upward imports: not computed ({exc})")
    counts = line_counts(package)
    print(
        "modules over 400 lines: "
        + ", ".join(
            f"{m} ({n})" for m, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 400
        )
    )


if __name__ == "__main__":
    main(sys.argv)
