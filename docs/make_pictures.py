"""Make the pictures the README and the documentation show, from the bundled example.

    python docs/make_pictures.py            # rewrite docs/images/ (what `make pictures` runs)
    python docs/make_pictures.py --check    # exit 1 when the pictures are stale

Every picture is drawn by the library itself: the static figures with matplotlib, the
interactive map as Debian's Chromium shows it (a screenshot taken through playwright, as the
browser tests do, offline), and the GeoPackage as QGIS draws it with the styles the file
carries (``docs/qgis_render.py``, run by Debian's Python with ``python3-qgis``).
``docs/images/MANIFEST.json`` records a fingerprint of what the
pictures are made from (the example's files and this script), so a test can tell when the
example changed and the pictures no longer show it.

The territory methods get one picture each: the methods are read from the library (its
list of methods, or the ``method`` parameter of :func:`geoconflict.territories`), so a new
method gets its picture here (and the test that checks the pictures asks for it) without
editing a list.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
MANIFEST = IMAGES / "MANIFEST.json"
CHROMIUM = Path("/usr/bin/chromium")
#: Debian's Python, which has QGIS's bindings once ``python3-qgis`` is installed.
SYSTEM_PYTHON = Path("/usr/bin/python3")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

#: The date the README and the guides show.
DATE = "2024-12-06"
SMALL_MULTIPLES = ["2024-11-26", "2024-12-01", "2024-12-06", "2024-12-09"]
#: The land settings the territories page shows: (file stem, keywords, caption).
LAND_PICTURES = [
    ("territory_no_limit", {}, "max_distance_km=None (the default)"),
    ("territory_auto", {"max_distance_km": "auto"}, "max_distance_km='auto' (25 km)"),
    ("territory_60_km", {"max_distance_km": 60}, "max_distance_km=60"),
]
#: The animation the README and the mapmaker guide show: the offensive, day by day, with
#: land fading from one holder to the next (3 in-between frames, 8 frames a second).
ANIMATION = "example_animation.gif"
ANIMATION_OPTIONS = {"size": (720, 720), "fps": 8, "tween": 3}


def territory_pictures() -> list[tuple[str, dict[str, object], str]]:
    """(file stem, land keywords, caption) of every territory picture."""
    return list(LAND_PICTURES)


def picture_names() -> list[str]:
    """Every file ``make pictures`` writes under docs/images/."""
    return (["example_map.png", "example_figure.png", "small_multiples.png",
             "control_over_time.png", "qgis_gpkg.png", ANIMATION]
            + [f"{stem}.png" for stem, _, _ in territory_pictures()])


def fingerprint() -> str:
    """SHA-256 over the example's files (names and bytes) and this script."""
    import geoconflict as gc

    digest = hashlib.sha256()
    folder = gc.example_path()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    digest.update(b"script\0" + Path(__file__).read_bytes())
    return digest.hexdigest()


def _save(fig, name: str) -> None:
    fig.savefig(IMAGES / name, dpi=110, bbox_inches="tight", facecolor="white",
                metadata={"Software": None})


def figures(conflict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import geoconflict as gc

    ax = gc.plot_map(conflict, DATE, north_arrow=True, figsize=(7.5, 5.8))
    _save(ax.figure, "example_figure.png")
    fig = gc.plot_small_multiples(conflict, SMALL_MULTIPLES, ncols=2, progress=False)
    _save(fig, "small_multiples.png")
    ax = gc.plot_control_over_time(conflict, measure="area", progress=False)
    _save(ax.figure, "control_over_time.png")
    plt.close("all")
    for stem, options, caption in territory_pictures():
        ax = gc.plot_map(conflict, DATE, flows=False, labels=6, figsize=(6, 4.8),
                         title=caption, **options)
        _save(ax.figure, f"{stem}.png")
        plt.close("all")


def animation(conflict) -> None:
    """The example over time as a GIF, drawn as the figures are."""
    import geoconflict as gc

    gc.animate(conflict, IMAGES / ANIMATION, progress=False, **ANIMATION_OPTIONS)


def screenshot(conflict) -> None:
    """The interactive map on DATE, offline, as Chromium draws it."""
    from playwright.sync_api import sync_playwright

    import geoconflict as gc

    if not CHROMIUM.exists():
        raise SystemExit(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "map.html"
        gc.save_map(gc.explore(conflict, DATE, tiles=None), page_file)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 760},
                                    device_scale_factor=1)
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith("file:") else route.abort())
            page.goto(page_file.as_uri())
            page.wait_for_selector(".leaflet-container")
            page.wait_for_function("() => document.querySelectorAll("
                                   "'.leaflet-container path').length > 0")
            page.wait_for_timeout(800)  # let the fade-in of Leaflet's layers finish
            page.screenshot(path=str(IMAGES / "example_map.png"))
            browser.close()


def qgis_picture(conflict) -> None:
    """The example's GeoPackage as QGIS draws it with the styles the file carries."""
    import os
    import subprocess

    import geoconflict as gc

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    check = subprocess.run([str(SYSTEM_PYTHON), "-c", "import qgis.core"], env=env,
                           capture_output=True, timeout=120)
    if check.returncode != 0:
        raise SystemExit("QGIS's Python bindings are needed for docs/images/qgis_gpkg.png: "
                         "apt-get install python3-qgis qgis-providers")
    with tempfile.TemporaryDirectory() as tmp:
        path = gc.to_gpkg(conflict, Path(tmp) / "example.gpkg", when=DATE)
        env["XDG_RUNTIME_DIR"] = tmp
        subprocess.run([str(SYSTEM_PYTHON), str(HERE / "qgis_render.py"), str(path),
                        str(IMAGES / "qgis_gpkg.png")], env=env, check=True, timeout=300)


def make() -> None:
    import geoconflict as gc

    IMAGES.mkdir(exist_ok=True)
    conflict = gc.load_example()
    figures(conflict)
    animation(conflict)
    screenshot(conflict)
    qgis_picture(conflict)
    keep = set(picture_names())
    for old in [*IMAGES.glob("*.png"), *IMAGES.glob("*.gif")]:
        if old.name not in keep:
            old.unlink()
    MANIFEST.write_text(json.dumps({"inputs": fingerprint(), "pictures": sorted(keep)},
                                   indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(keep)} pictures to {IMAGES}")


def stale() -> list[str]:
    """What is out of date, in words; empty when the pictures are current."""
    if not MANIFEST.exists():
        return [f"{MANIFEST} is missing"]
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    if manifest.get("inputs") != fingerprint():
        problems.append("the example or docs/make_pictures.py changed since the pictures "
                        "were made")
    missing = sorted(set(picture_names()) - {p.name for p in IMAGES.iterdir()})
    if missing:
        problems.append(f"missing pictures: {missing}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check they are current")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"docs/images: {problem}. Fix: make pictures", file=sys.stderr)
        return 1 if problems else 0
    make()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
