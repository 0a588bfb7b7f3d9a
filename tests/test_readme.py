"""The README's snippets run as written: every ```python block, and every geoconflict command."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from command import run_command

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[str]:
    return [
        body
        for lang, body in FENCE.findall(README.read_text(encoding="utf-8"))
        if lang == language
    ]


def commands() -> list[str]:
    return [
        line.split("#")[0].strip()
        for body in blocks("sh")
        for line in body.splitlines()
        if line.startswith("geoconflict ")
    ]


def test_readme_has_snippets_for_each_kind_of_user():
    text = README.read_text(encoding="utf-8")
    for heading in (
        "## In Jupyter",
        "## Interactive maps (HTML)",
        "## GIS files",
        "## Figures for papers",
        "## Command line",
        "## API reference",
    ):
        assert heading in text
    assert len(blocks("python")) >= 5
    assert {c.split()[1] for c in commands()} >= {"map", "export", "plot", "summary"}


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    try:
        import matplotlib
    except ImportError:  # pragma: no cover
        pass
    else:
        matplotlib.use("Agg")
    yield tmp_path
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_block_runs(index, in_tmp, capsys):
    code = blocks("python")[index]
    exec(compile(code, f"README.md python block {index + 1}", "exec"), {"__name__": "readme"})
    written = {p.name for p in in_tmp.iterdir()}
    for name in re.findall(r'"([\w.-]+\.(?:html|gpkg|png|svg|pdf|gif|webp|mp4))"', code):
        assert name in written, f"block {index + 1} should have written {name}"
        assert (in_tmp / name).stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("command", commands())
def test_command_runs(command, tmp_path):
    for folder in ("data", "geoconflict"):  # the commands name geoconflict/_data/syria_2024
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    args = shlex.split(command)
    assert args[0] == "geoconflict"
    result = run_command(*args[1:], cwd=tmp_path)  # the program's main, in this process
    assert result.returncode == 0, result.stderr
    if "-o" in args:
        out = tmp_path / args[args.index("-o") + 1]
        assert out.exists()


def load_make_api():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_api", ROOT / "docs" / "make_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_is_current():
    make_api = load_make_api()
    current = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == make_api.render(), "docs/api.md is out of date. Fix: python docs/make_api.py"


def test_api_reference_covers_the_public_api():
    import geoconflict as gc

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in gc.__all__:
        if callable(getattr(gc, name)):
            assert f"`geoconflict.{name}`" in text, name
    assert " at 0x" not in text  # no object addresses: the file is reproducible


@pytest.mark.parametrize("module", ["geoconflict.figures", "geoconflict.progress"])
def test_public_functions_have_numpydoc_and_examples(module):
    import importlib
    import inspect

    mod = importlib.import_module(module)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj)
            assert "Examples\n--------\n>>> " in doc, f"{module}.{name}"
            signature = inspect.signature(obj)
            positional = [
                p for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD
            ]
            assert len(positional) <= 3, f"{module}.{name}: options should be keyword-only"
