"""One-way layers: the package's import graph has no cycle and no upward import, and imports
inside functions are only for optional dependencies, each with a comment saying so."""

from __future__ import annotations

import inspect

import import_graph as graph

import geoconflict as gc

#: Packages that are optional (extras in setup.cfg), so imported where they are used.
OPTIONAL = ("matplotlib", "pyarrow", "tqdm", "PIL", "imageio_ffmpeg", "openpyxl")


def test_no_import_cycles():
    modules, found, _ = graph.imports()
    assert graph.cycles(modules, found) == []


def test_every_module_has_a_layer():
    modules, _, _ = graph.imports()
    for module in modules:
        graph.layer_of(module)  # raises ValueError for a module in no layer


def test_no_upward_imports():
    _, found, _ = graph.imports()
    upward = [
        f"{i.source}:{i.line} imports {i.target} "
        f"({graph.LAYERS[graph.layer_of(i.source)][0]} -> "
        f"{graph.LAYERS[graph.layer_of(i.target)][0]})"
        for i in graph.upward(found)
    ]
    assert upward == [], "\n".join(upward)


def test_imports_inside_functions_are_optional_dependencies_with_a_reason():
    _, _, inside = graph.imports()
    wrong = [
        f"{module}:{line} {name}"
        for module, line, name in inside
        if name.split(".")[0] not in OPTIONAL
    ]
    assert wrong == [], "move these to the top of their module: " + ", ".join(wrong)
    for module, line, _ in inside:
        path = graph.PACKAGE.parent.joinpath(*module.split(".")).with_suffix(".py")
        if not path.exists():
            path = path.with_suffix("") / "__init__.py"
        lines = path.read_text(encoding="utf-8").splitlines()
        first = line - 1  # the run of imports this one is in, and the line above it
        while first > 0 and lines[first - 1].strip().startswith(("import ", "from ")):
            first -= 1
        around = " ".join(lines[max(0, first - 1) : line])
        assert "optional" in around.lower(), f"{module}:{line}: say why it is imported here"


def test_the_graph_sees_real_imports():
    """The parser finds what Python finds: the package imports its public API."""
    modules, found, _ = graph.imports()
    assert "geoconflict.conflict" in modules
    edges = {(i.source, i.target) for i in found}
    assert ("geoconflict.conflict", "geoconflict.territory") in edges
    assert ("geoconflict.read", "geoconflict.conflict") in edges
    assert inspect.getmodule(gc.read_conflict).__name__ == "geoconflict.read"


def test_conflict_is_what_the_lower_layers_expect():
    """The Protocol the layers below the container are typed against fits the real thing."""
    from conftest import make_actors, make_control, make_flows, make_places

    from geoconflict._types import ConflictLike

    conflict = gc.Conflict(make_places(), make_actors(), make_control(), make_flows())
    assert isinstance(conflict, ConflictLike)
    behaviour = [
        name
        for name, member in vars(ConflictLike).items()
        if callable(member) and not name.startswith("_")
    ]
    assert behaviour == [], "the layers below the container need only its tables"
