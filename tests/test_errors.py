"""Errors in one place: every error and warning class lives in errors.py, is exported and is
in README's table, and the package raises no bare built-in exceptions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import geoconflict as gc
import geoconflict.errors as errors

PACKAGE = Path(gc.__file__).resolve().parent
README = PACKAGE.parent / "README.md"

#: Built-in exceptions the package must not raise itself: each has a GeoconflictError
#: subclass that is also one of them.
BARE = {
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "LookupError",
    "IndexError",
    "ImportError",
    "ModuleNotFoundError",
    "FileNotFoundError",
    "RuntimeError",
    "NotImplementedError",
    "AttributeError",
    "UserWarning",
}


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def error_classes() -> list[type]:
    return [
        obj
        for name in errors.__all__
        if isinstance(obj := getattr(errors, name), type) and issubclass(obj, (Exception, Warning))
    ]


def test_every_error_class_is_defined_in_errors_py():
    outside = []
    for path in sources():
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                ]
                if any(b.endswith(("Error", "Exception", "Warning")) for b in bases):
                    outside.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert outside == [], "define these in geoconflict/errors.py: " + ", ".join(outside)


def test_every_error_class_is_exported_and_documented():
    readme = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", readme, flags=re.MULTILINE))
    for cls in error_classes():
        assert cls.__name__ in gc.__all__, f"{cls.__name__} is not in geoconflict.__all__"
        assert getattr(gc, cls.__name__) is cls
        assert cls.__name__ in documented, f"{cls.__name__} is missing from README's table"
        if issubclass(cls, Warning):
            assert issubclass(cls, gc.DataWarning)
        else:
            assert issubclass(cls, gc.GeoconflictError)


def test_no_bare_builtin_raises():
    found = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in BARE:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {exc.id}")
    assert found == [], "raise the library's own error instead: " + ", ".join(found)


@pytest.mark.parametrize(
    "call",
    [
        lambda: gc.resolve_places(
            ["x"], gc.make_places(["a"], ["A"], [36.0], [35.0]), errors="ignore"
        ),
        lambda: gc.flow_lines(
            __import__("pandas").DataFrame(
                {"origin": ["a"], "destination": ["a"], "people": [1.0]}
            ),
            gc.make_places(["a"], ["A"], [36.0], [35.0]),
            points=1,
        ),
        lambda: gc.to_geojson([1, 2], "x.geojson"),
        lambda: gc.read_hxl("x.csv", kind="x"),
    ],
)
def test_option_errors_are_ours(call):
    with pytest.raises(gc.GeoconflictError):
        call()
