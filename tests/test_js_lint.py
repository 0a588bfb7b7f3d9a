"""The map's scripts pass ESLint (eslint.config.mjs), when `make lint` has installed it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"


def test_the_scripts_pass_eslint():
    if not ESLINT.exists():
        pytest.skip("ESLint is not installed: `make lint` installs it (npm ci)")
    done = subprocess.run(
        [str(ESLINT), "--max-warnings", "0", "geoconflict/maps/static"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_linter_is_pinned():
    """package.json names exact versions and package-lock.json holds the whole tree."""
    import json

    package = json.loads((ROOT / "package.json").read_text())
    for name, version in package["devDependencies"].items():
        assert version[0].isdigit(), (name, version)
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = package["devDependencies"]["eslint"]
    assert lock["packages"]["node_modules/eslint"]["version"] == pinned
