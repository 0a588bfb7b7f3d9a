"""A tiny conflict built in code: six places on a grid, two actors, one change of hands."""

from __future__ import annotations

import fcntl
import functools
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import geoconflict as gc

#: Six places on a 3 x 2 grid, 0.5 degrees apart, near 36 E 35 N.
GRID = {
    "a": ("Alpha", 36.0, 35.5, 1000),
    "b": ("Bravo", 36.5, 35.5, 2000),
    "c": ("Charlie", 37.0, 35.5, 3000),
    "d": ("Delta", 36.0, 35.0, 4000),
    "e": ("Echo", 36.5, 35.0, 5000),
    "f": ("Foxtrot", 37.0, 35.0, 6000),
}


def make_places() -> gpd.GeoDataFrame:
    ids = list(GRID)
    return gpd.GeoDataFrame(
        {
            "place_id": ids,
            "name": [GRID[i][0] for i in ids],
            "population": [GRID[i][3] for i in ids],
            "aliases": ["Alfa", None, "Charly", None, None, "Fox"],
        },
        geometry=[shapely.Point(GRID[i][1], GRID[i][2]) for i in ids],
        crs="EPSG:4326",
    )


def make_actors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor_id": ["gov", "reb"],
            "name": ["Government", "Rebels"],
            "color": ["#0072b2", "#d55e00"],
        }
    )


def make_control() -> pd.DataFrame:
    """gov holds a, b, d, e; reb holds c, f; reb takes b on 2024-12-05."""
    rows = [(p, "gov" if p in "abde" else "reb", "2024-12-01") for p in GRID]
    rows.append(("b", "reb", "2024-12-05"))
    return pd.DataFrame(rows, columns=["place_id", "actor_id", "date"]).assign(
        source="https://example.org/report"
    )


def make_flows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["b", "e", "b", "e"],
            "destination": ["e", "b", "d", "e"],
            "start": ["2024-12-04", "2024-12-06", "2024-12-05", "2024-12-02"],
            "end": ["2024-12-06", "2024-12-06", "2024-12-05", "2024-12-03"],
            "people": [1000, 300, 250.5, 80],
            "source": "https://example.org/flows",
            "quality": ["reported", "estimate", "estimate", "reported"],
        }
    )


def make_boundary() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[shapely.box(35.75, 34.75, 37.25, 35.75)], crs="EPSG:4326")


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gc.Conflict(make_places(), make_actors(), make_control()).places


@pytest.fixture
def control() -> pd.DataFrame:
    return gc.Conflict(make_places(), make_actors(), make_control()).control


@pytest.fixture
def flows() -> pd.DataFrame:
    return gc.Conflict(make_places(), make_actors(), make_control(), make_flows()).flows


def make_conflict(*, title: str | None = "Grid test") -> gc.Conflict:
    """The tiny grid conflict: the places, actors, records and flows above, and the
    boundary."""
    return gc.Conflict(
        make_places(),
        make_actors(),
        make_control(),
        make_flows(),
        boundary=make_boundary(),
        title=title,
    )


_grid = functools.cache(make_conflict)  # built and validated once per test process


@pytest.fixture
def conflict() -> gc.Conflict:
    """The tiny grid conflict; each test gets a copy with tables of its own (what a change
    to one does is not in the next)."""
    return _grid()._copy()


@pytest.fixture
def folder(tmp_path, conflict):
    """The tiny conflict saved in the folder format."""
    return conflict.save(tmp_path / "grid")


@pytest.fixture
def agg_backend(monkeypatch):
    """Figures drawn off screen (matplotlib's Agg backend), every one closed afterwards."""
    matplotlib = pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after choosing the backend

    yield
    plt.close("all")


T = TypeVar("T")


def once_per_run(tmp_path_factory, name: str, make: Callable[[], T]) -> T:
    """``make()``, built once per test run and shared by the pytest-xdist processes: the
    first process that needs it builds it and leaves a pickle in the run's temporary folder
    (under a file lock, so the others wait for it rather than build it again); in a run of
    one process, simply built. For the few costly, read-only fixtures (the Ukraine builds,
    5 to 6 s each)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make()
    root = tmp_path_factory.getbasetemp().parent  # the run's folder, above each process's
    path = root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())
        value = make()
        part = path.with_suffix(".part")
        part.write_bytes(pickle.dumps(value))
        part.replace(path)
        return value


# ----------------------------------------------------------------------------- the browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TOWNS = Path(__file__).parent / "data" / "syria_2024_towns"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process (each pytest-xdist worker starts its own);
    every test opens its own pages in it."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def pages(browser):
    """One browser context per test process, 1200 x 800, in which every test opens (and
    closes) its own pages: a page in a shared context costs about half the CPU of a page in
    a context of its own (a context per page is what ``Browser.new_page`` makes). The map
    pages keep no state between pages (no cookies, no storage), so nothing leaks from one
    test to the next."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    yield context
    context.close()


@pytest.fixture(scope="session")
def spare_pages() -> list:
    """Pages that finished tests gave back blank (``test_browser_maps.give_back``), to be
    used again: loading a map in a page that exists costs about a third less CPU than in a
    new page."""
    return []


@pytest.fixture(scope="session")
def example():
    """A frozen, town-only copy of the 2024 offensive (the bundled example as it was before
    it moved to sub-districts), so the tests of the map's behaviour keep their dates and
    figures while the bundled example's data evolve."""
    return gc.read_conflict(TOWNS)


@pytest.fixture(scope="session")
def example_map(example, tmp_path_factory):
    """The example's map with some options, built and saved once per set of options (and
    test process)."""
    folder = tmp_path_factory.mktemp("example_maps")
    saved: dict = {}

    def build(**options) -> Path:
        key = tuple(sorted(options.items()))
        if key not in saved:
            m = gc.explore(example, tiles=None, **options)
            saved[key] = gc.save_map(m, folder / f"map{len(saved)}.html")
        return saved[key]

    return build
