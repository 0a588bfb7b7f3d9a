"""What a release carries: licence, data licences, citation metadata, version, changelog."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geoconflict as gc

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "cff_schema" / "schema-1.2.0.json"


def load_cff(text: str) -> dict:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(text)

    # the schema wants dates as strings (YAML reads unquoted dates as date objects)
    def stringify(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: stringify(v) for k, v in value.items()}
        if isinstance(value, list):
            return [stringify(v) for v in value]
        return value

    return stringify(data)


def cff_errors(data: dict) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def test_citation_file_is_valid_cff_1_2_0():
    data = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff_errors(data) == []
    assert data["cff-version"] == "1.2.0"
    assert data["version"] == gc.__version__
    assert data["license"] == "MIT"
    dt.date.fromisoformat(data["date-released"])


@pytest.mark.parametrize(
    "change, complaint",
    [
        (lambda d: d.pop("authors"), "'authors' is a required property"),
        (lambda d: d.update({"date-released": "30 Nov 2026"}), "date-released"),
        (lambda d: d.update({"license": "MIT License"}), "license"),
        (lambda d: d.update({"cff-version": 1.2}), "cff-version"),
    ],
)
def test_the_schema_check_rejects_broken_citation_files(change, complaint):
    data = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    change(data)
    errors = cff_errors(data)
    assert errors and any(complaint in e for e in errors), errors


def test_the_vendored_schema_is_cff_1_2_0():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert "CC BY 4.0" in (SCHEMA.parent / "README.md").read_text(encoding="utf-8")


def test_readme_says_how_to_cite():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## How to cite" in text
    section = text.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert "CITATION.cff" in section and gc.__version__ in section


def test_code_licence_is_mit():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert re.search(r"^license = MIT$", (ROOT / "setup.cfg").read_text(), re.M)


def test_data_licences_travel_inside_the_package():
    source = ROOT / "data" / "LICENSES.md"
    packaged = Path(gc.__file__).parent / "_data" / "LICENSES.md"
    assert packaged.read_bytes() == source.read_bytes(), (
        "geoconflict/_data/LICENSES.md differs from data/LICENSES.md. Fix: "
        "cp data/LICENSES.md geoconflict/_data/LICENSES.md"
    )
    text = source.read_text(encoding="utf-8")
    for licence in ("CC BY 4.0", "CC BY 3.0 IGO", "public domain", "BSD 2-Clause"):
        assert licence in text, licence
    for attribution in (
        "GeoNames, geonames.org",
        "via HDX",
        "Natural Earth",
        "OpenSyria admin gazetteer",
    ):
        assert attribution in text, attribution


def test_changelog_starts_with_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", text, re.M)
    assert first is not None and first.group(1) == gc.__version__


def test_version_on_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "geoconflict", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"geoconflict {gc.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", gc.__version__)
