"""The lower bounds in setup.cfg are the versions `make test-min` installs and tests.

CI (.ci/run) runs `make test-min`, which installs .ci/minimum-versions.txt in a separate
environment and runs the suite; these tests keep that file equal to the bounds.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / ".ci" / "minimum-versions.txt"


def _bounds() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = config["options"]["install_requires"].split("\n")
    extras = config["options.extras_require"]
    for extra in ("plot", "progress", "parquet", "video", "excel"):
        lines += extras[extra].split("\n")
    out = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", line)
        if match:
            out[match[1].lower()] = match[2]
    return out


def _pins() -> dict[str, str]:
    out = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            out[name.strip().lower()] = version.strip()
    return out


def _release(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def test_every_lower_bound_is_pinned_to_itself():
    """(Lines for packages we do not depend on directly pin what the floors were tested with.)"""
    bounds, pins = _bounds(), _pins()
    missing = set(bounds) - set(pins)
    assert not missing, f"{sorted(missing)}: each bound in setup.cfg needs a line in {PINS}"
    for name, bound in bounds.items():
        assert _release(pins[name]) == _release(bound), f"{name}: {pins[name]} != {bound}"


def test_shapely_bound_covers_the_functions_used():
    """orient_polygons and coverage_union_all's coverage checks came with shapely 2.1."""
    used = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "geoconflict").rglob("*.py"))
    if "orient_polygons" in used:
        assert _release(_bounds()["shapely"]) >= (2, 1)


def test_ci_runs_the_minimum_versions():
    assert "make test-min" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "test-min:" in makefile and "minimum-versions.txt" in makefile


def _python_floor() -> tuple[int, int]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    match = re.fullmatch(r">=\s*3\.(\d+)", config["options"]["python_requires"].strip())
    assert match, "python_requires should be '>=3.N'"
    return 3, int(match[1])


def test_the_python_version_is_stated_as_setup_cfg_requires():
    """setup.cfg's python_requires is the one floor: every "Python 3.N" in the README and the
    documentation, and the version ruff and mypy check against, say the same."""
    major, minor = _python_floor()
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found = []
    for path in texts:
        for number in re.findall(r"Python\s+(3\.\d+)", path.read_text(encoding="utf-8")):
            found.append((path.relative_to(ROOT).as_posix(), number))
    assert ("README.md", f"{major}.{minor}") in found
    assert ("docs/site/index.md", f"{major}.{minor}") in found  # the install page
    assert [f for f in found if f[1] != f"{major}.{minor}"] == []
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'target-version = "py{major}{minor}"' in pyproject  # ruff
    assert f'python_version = "{major}.{minor}"' in pyproject  # mypy
