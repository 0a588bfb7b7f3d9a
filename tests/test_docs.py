"""The documentation's pictures are current and shown; the site has a page for each reader.

The site itself is built by ``make docs`` (Sphinx, warnings as errors), which CI runs.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "site"


def make_pictures():
    spec = importlib.util.spec_from_file_location(
        "make_pictures", ROOT / "docs" / "make_pictures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def image_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's or a GIF's header."""
    head = path.read_bytes()[:24]
    if path.suffix == ".gif":
        assert head[:6] == b"GIF89a", f"{path.name} is not a GIF"
        return struct.unpack("<HH", head[6:10])
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_pictures_are_current():
    problems = make_pictures().stale()
    assert problems == [], "; ".join(problems) + ". Fix: make pictures"


def test_every_picture_is_a_real_image():
    pictures = make_pictures()
    manifest = json.loads(pictures.MANIFEST.read_text(encoding="utf-8"))
    assert sorted(manifest["pictures"]) == sorted(pictures.picture_names())
    for name in manifest["pictures"]:
        width, height = image_size(pictures.IMAGES / name)
        assert width >= 500 and height >= 300, name
        assert (pictures.IMAGES / name).stat().st_size < 600_000, f"{name} is too large"


def test_the_animation_moves_through_the_dates():
    Image = pytest.importorskip("PIL.Image")
    pictures = make_pictures()
    with Image.open(pictures.IMAGES / pictures.ANIMATION) as gif:
        # the example's 15 days, each after 3 in-between frames but the first
        assert gif.n_frames == 1 + 14 * 4


def test_there_is_a_territory_picture_for_each_kind_of_land_setting():
    """No limit, 'auto' and a number of km: each has its picture, drawn with the keywords
    its caption names."""
    pictures = make_pictures()
    settings = [options.get("max_distance_km") for _, options, _ in pictures.territory_pictures()]
    assert None in settings and "auto" in settings
    assert any(isinstance(km, (int, float)) for km in settings)
    names = set(pictures.picture_names())
    for stem, options, caption in pictures.territory_pictures():
        assert f"{stem}.png" in names
        assert all(f"{key}={value!r}" in caption for key, value in options.items())


def test_readme_shows_the_map_and_a_figure_before_it_tells():
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    text = "\n".join(head)
    for picture in ("docs/images/example_map.png", "docs/images/example_figure.png"):
        assert f"]({picture})" in text, picture
        assert (ROOT / picture).is_file()


@pytest.mark.parametrize(
    "page",
    [
        "guides/researcher",
        "guides/mapmaker",
        "guides/gis",
        "guides/your-own-war",
        "data-model",
        "territories",
        "errors",
        "api",
        "about",
    ],
)
def test_site_has_the_page_and_links_it(page):
    assert (SITE / f"{page}.md").is_file()
    index = (SITE / "index.md").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(page)}$", index, re.M), f"{page} is not in a toctree"


def test_site_pictures_exist():
    for page in SITE.rglob("*.md"):
        for target in re.findall(r"```\{image\} (\S+)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().is_file(), f"{page.name}: {target}"
