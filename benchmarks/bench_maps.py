"""Interactive map of 50,000 flows between 2,000 places: ours against the plain ways.

Three ways to put the same flows on a folium map, measured in the same run:

* ``geoconflict.explore`` (every flow drawn: ``max_flows`` raised, cumulative flows at the
  last date), saved with ``geoconflict.save_map``;
* one ``folium.PolyLine`` per flow (the same curves as 13-point lines, width by people);
* ``GeoDataFrame.explore()`` of the same lines, width by people through a
  ``style_function``, the people in a tooltip.

The plain ways get the width a user would write, ``flow_width(people)`` unrounded (folium
turns a ``style_function`` into one ``case`` per distinct style).

For each: the time to build and save the HTML, its size, and the time until the page has
painted in headless Chromium (from navigation start to the second animation frame after the
``load`` event, with every layer built). Run it with::

    .venv/bin/python benchmarks/bench_maps.py [--flows 50000] [--places 2000]

It prints a table and exits with status 1 when ours is not at least 5 times faster to build
than the PolyLine way, at most a third of its size, and faster to paint than both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import geoconflict as gc

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PAINTED = ("() => new Promise(done => requestAnimationFrame(() => "
           "requestAnimationFrame(() => done(performance.now()))))")


def make_conflict(n_places: int, n_flows: int, seed: int = 0) -> gc.Conflict:
    """Places scattered over Syria's extent, two actors, flows over three months."""
    rng = np.random.default_rng(seed)
    ids = [f"p{i:05d}" for i in range(n_places)]
    places = gc.make_places(ids, [f"Place {i}" for i in range(n_places)],
                            rng.uniform(35.7, 42.0, n_places), rng.uniform(32.4, 37.2, n_places),
                            population=rng.integers(500, 500_000, n_places))
    actors = pd.DataFrame({"actor_id": ["gov", "reb"], "name": ["Government", "Opposition"]})
    control = pd.DataFrame({"place_id": ids, "actor_id": rng.choice(["gov", "reb"], n_places),
                            "date": "2024-01-01"})
    origin = rng.integers(0, n_places, n_flows)
    destination = (origin + rng.integers(1, n_places, n_flows)) % n_places
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n_flows), "D")
    flows = pd.DataFrame({
        "origin": np.asarray(ids)[origin], "destination": np.asarray(ids)[destination],
        "start": start, "end": start + pd.to_timedelta(rng.integers(0, 10, n_flows), "D"),
        "people": np.round(rng.lognormal(6.0, 1.5, n_flows)),
        "source": "synthetic benchmark data"})
    return gc.Conflict(places, actors, control, flows, title="Benchmark")


def build_ours(conflict: gc.Conflict, path: Path) -> Path:
    m = gc.explore(conflict, tiles=None, max_flows=len(conflict.flows), flows="cumulative",
                   layers=["flows", "places"])
    return gc.save_map(m, path)


def _lines(conflict: gc.Conflict):
    from geoconflict.maps.flow_data import flow_width

    lines = conflict.flow_lines(points=13)
    lines["weight"] = flow_width(lines["people"].to_numpy(), float(lines["people"].max()))
    return lines


def build_polylines(conflict: gc.Conflict, path: Path) -> Path:
    import folium
    import shapely

    lines = _lines(conflict)
    m = folium.Map(location=[34.8, 38.8], zoom_start=7, tiles=None)
    coords = [np.round(shapely.get_coordinates(g)[:, ::-1], 5).tolist()
              for g in lines.geometry]
    for latlngs, weight in zip(coords, lines["weight"], strict=True):
        folium.PolyLine(latlngs, weight=float(weight), color="#3b1f5c", opacity=0.55).add_to(m)
    m.save(str(path))
    return path


def build_geopandas(conflict: gc.Conflict, path: Path) -> Path:
    lines = _lines(conflict)[["people", "weight", "geometry"]]
    m = lines.explore(tiles=None, tooltip=["people"], style_kwds={
        "color": "#3b1f5c", "opacity": 0.55,
        "style_function": lambda feature: {"weight": feature["properties"]["weight"]}})
    m.save(str(path))
    return path


def paint_seconds(browser, path: Path, ready: str | None) -> float:
    """Seconds from navigation start until the page, with its layers built, has painted."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.set_default_timeout(300_000)
    page.route("**/*", lambda r: r.continue_() if r.request.url == path.as_uri()
               else r.abort())
    try:
        page.goto(path.as_uri(), wait_until="load")
        if ready:
            page.wait_for_function(ready)
        return float(page.evaluate(PAINTED)) / 1000.0
    finally:
        page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=50_000)
    parser.add_argument("--places", type=int, default=2_000)
    parser.add_argument("--no-browser", action="store_true", help="skip the paint times")
    args = parser.parse_args(argv)

    conflict = make_conflict(args.places, args.flows)
    ways = {
        "geoconflict.explore": (build_ours, "() => window.geoconflict && "
                                "geoconflict.maps.length && geoconflict.maps[0].step >= 0"),
        "folium.PolyLine per flow": (build_polylines, None),
        "GeoDataFrame.explore": (build_geopandas, None),
    }
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, (build, _) in ways.items():
            path = Path(tmp) / (name.split(" ")[0].replace(".", "_") + ".html")
            t0 = time.perf_counter()
            build(conflict, path)
            seconds = time.perf_counter() - t0
            paths[name] = path
            results[name] = {"build": seconds, "mib": path.stat().st_size / 2**20}
            print(f"built {name}: {seconds:.2f} s", file=sys.stderr)
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for name, (_, ready) in ways.items():
                    results[name]["paint"] = paint_seconds(browser, paths[name], ready)
                    print(f"painted {name}: {results[name]['paint']:.2f} s", file=sys.stderr)
                browser.close()

    ours = results["geoconflict.explore"]
    print(f"\n{args.flows:,} flows between {args.places:,} places, all drawn\n")
    print(f"{'way':<26} {'build+save s':>12} {'HTML MiB':>9} {'paint s':>8} "
          f"{'build ratio':>12} {'size ratio':>11} {'paint ratio':>12}")
    for name, r in results.items():
        paint = r.get("paint", float("nan"))
        print(f"{name:<26} {r['build']:>12.2f} {r['mib']:>9.1f} {paint:>8.2f} "
              f"{r['build'] / ours['build']:>11.1f}x {r['mib'] / ours['mib']:>10.1f}x "
              f"{paint / ours.get('paint', float('nan')):>11.1f}x")
    print("\n(ratios: the way's figure divided by ours; above 1 means ours is faster/smaller)")

    plain = results["folium.PolyLine per flow"]
    checks = {
        "build at least 5x faster than PolyLine": plain["build"] >= 5 * ours["build"],
        "HTML at most a third of PolyLine's": ours["mib"] * 3 <= plain["mib"],
    }
    if not args.no_browser:
        checks["paints faster than both"] = all(
            ours["paint"] < r["paint"] for n, r in results.items() if n != "geoconflict.explore")
    for check, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {check}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
