"""Animations: ``geoconflict.animate`` against the plain way, in the same run.

The plain way is what one writes with the library's static figure and the usual tools: for
each date ``plot_map`` in a figure of the frame's size, ``savefig`` to PNG, then the frames
assembled with Pillow (``save(save_all=True, append_images=...)`` for a GIF) or piped to
imageio-ffmpeg's ``write_frames`` with the same H.264 settings for an MP4. Every run is a
child process, so the peak memory reported is that run's own (``ru_maxrss`` of the process,
and of its largest child: a drawing worker or ffmpeg).

Cases:

a. the bundled example, its 15 daily dates (26 November to 10 December 2024), 1080 x 1080,
   as MP4 and as GIF; goals: the MP4 in under 15 s and under 5 MB;
b. 365 daily dates of a synthetic war of 5,000 places in the southern hemisphere (a front
   that moves every day, 400 flows), 1080 x 1080 MP4; goal: under 3 minutes. The plain way
   is timed on the first ``--sample`` dates and projected to 365 (said so in the table);
c. memory flat in the number of frames: case b over 90 and over 365 dates, peak memory.

Run from the repository root::

    python benchmarks/bench_animate.py            # everything (several minutes)
    python benchmarks/bench_animate.py --quick    # small sizes, to check that it runs

The machine's load average is printed before and after: the figures are wall-clock times on
a machine that may be shared. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

import geoconflict as gc

EXAMPLE_SIZE = (1080, 1080)
DPI = 180  # the figure is 6 x 6 inches: 1080 pixels a side, as animate draws its frames


def synthetic(n: int = 5000, days: int = 365, seed: int = 11) -> gc.Conflict:
    """``n`` places around 29 S, 26 E; the east takes a strip every day, the south-east is a
    third actor's; ``n // 12`` flows scattered over the year."""
    import geopandas as gpd

    rng = np.random.default_rng(seed)
    lon = rng.uniform(23.0, 29.0, n)
    lat = rng.uniform(-31.5, -26.5, n)
    ids = np.array([f"p{i:05d}" for i in range(n)])
    places = gc.make_places(
        list(ids),
        [f"Town {i}" for i in range(n)],
        lon,
        lat,
        population=rng.integers(200, 300_000, n),
    )
    actors = pd.DataFrame(
        {"actor_id": ["gov", "east", "south"], "name": ["Government", "Eastern front", "South"]}
    )
    start = pd.Timestamp("2023-01-01")
    line = 29.0 - 6.0 * np.arange(days) / days  # the front moves west every day
    taken = np.searchsorted(-line, -lon)  # the first day the front is west of a place
    south = lat < -30.7
    first = pd.DataFrame(
        {"place_id": ids, "actor_id": np.where(south, "south", "gov"), "date": start}
    )
    moves = (taken > 0) & (taken < days) & ~south
    later = pd.DataFrame(
        {
            "place_id": ids[moves],
            "actor_id": "east",
            "date": start + pd.to_timedelta(taken[moves], "D"),
        }
    )
    control = pd.concat([first, later], ignore_index=True).assign(
        source="https://example.org/synthetic-benchmark"
    )
    m = n // 12
    origin = rng.integers(0, n, m)
    destination = (origin + rng.integers(1, n, m)) % n
    begin = start + pd.to_timedelta(rng.integers(0, days, m), "D")
    flows = pd.DataFrame(
        {
            "origin": ids[origin],
            "destination": ids[destination],
            "start": begin,
            "end": begin + pd.to_timedelta(rng.integers(0, 20, m), "D"),
            "people": np.round(rng.lognormal(7.0, 1.3, m)),
            "source": "https://example.org/synthetic-benchmark",
        }
    )
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(22.8, -31.7, 29.2, -26.3)], crs=4326)
    return gc.Conflict(places, actors, control, flows, boundary=boundary, title="Synthetic war")


# --------------------------------------------------------------------------- one run each


def plain(conflict, dates, path: Path, size: tuple[int, int]) -> None:
    """plot_map + savefig per date, assembled with Pillow (GIF) or imageio-ffmpeg (MP4)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    def pictures():
        for when in dates:
            ax = gc.plot_map(conflict, when, figsize=(size[0] / DPI, size[1] / DPI))
            buffer = io.BytesIO()
            ax.figure.savefig(buffer, format="png", dpi=DPI)
            plt.close(ax.figure)
            buffer.seek(0)
            yield Image.open(buffer).convert("RGB")

    if path.suffix == ".gif":
        frames = list(pictures())  # what save_all needs: every frame at once
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=500, loop=0)
        return
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(path),
        size,
        fps=2,
        codec="libx264",
        quality=None,
        macro_block_size=1,
        ffmpeg_log_level="error",
        output_params=["-crf", "18", "-preset", "medium", "-tune", "animation"],
    )
    writer.send(None)
    for picture in pictures():
        writer.send(np.asarray(picture.resize(size)).tobytes())
    writer.close()


def run(spec: dict) -> dict:
    """One case in this process (called in a child): seconds, bytes, peak memory."""
    conflict = gc.load_example() if spec["data"] == "example" else synthetic(spec["places"])
    dates = pd.date_range(spec["start"], spec["end"], freq="D")
    drawn = dates[: spec.get("sample", len(dates))]
    path = Path(spec["path"])
    size = tuple(spec["size"])
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = before.ru_utime + before.ru_stime  # the imports and the data: not the run
    t0 = time.perf_counter()
    if spec["way"] == "ours":
        gc.animate(conflict, path, start=spec["start"], end=spec["end"], size=size, progress=False)
    else:
        plain(conflict, drawn, path, size)
    seconds = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers and ffmpeg, once ended
    return {
        "seconds": seconds,
        "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime - cpu0,
        "bytes": path.stat().st_size,
        "frames": len(dates) if spec["way"] == "ours" else len(drawn),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child(spec: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check it runs")
    parser.add_argument("--sample", type=int, default=24, help="dates the plain way draws in b")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run(json.loads(args.child))))
        return 0

    quick = args.quick
    size = [360, 360] if quick else list(EXAMPLE_SIZE)
    places = 600 if quick else 5000
    year = ("2023-01-01", "2023-02-14" if quick else "2023-12-31")
    quarter = ("2023-01-01", "2023-01-20" if quick else "2023-03-31")
    sample = 4 if quick else args.sample
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows: list[tuple[str, str, str, dict, dict]] = []  # case, what, way, result, ours
    checks: dict[str, bool] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        example = {"data": "example", "start": "2024-11-26", "end": "2024-12-10", "size": size}
        for suffix in ("mp4", "gif"):
            what = f"example, 15 dates, {suffix.upper()}"
            ours = child({**example, "way": "ours", "path": str(folder / f"a.{suffix}")})
            other = child({**example, "way": "plain", "path": str(folder / f"a_plain.{suffix}")})
            rows += [("a", what, "ours", ours, ours), ("a", "", "plain", other, ours)]
            print(
                f"a {suffix}: {ours['seconds']:.1f} s, plain {other['seconds']:.1f} s",
                file=sys.stderr,
            )
        big = {"data": "synthetic", "places": places, "size": size}
        days = len(pd.date_range(*year))
        ours_year = child(
            {**big, "way": "ours", "start": year[0], "end": year[1], "path": str(folder / "b.mp4")}
        )
        print(f"b: {ours_year['seconds']:.1f} s", file=sys.stderr)
        plain_part = child(
            {
                **big,
                "way": "plain",
                "start": year[0],
                "end": year[1],
                "sample": sample,
                "path": str(folder / "b_plain.mp4"),
            }
        )
        projected = {
            **plain_part,
            "seconds": plain_part["seconds"] / plain_part["frames"] * days,
            "cpu": plain_part["cpu"] / plain_part["frames"] * days,
            "frames": days,
        }
        what = f"{places:,} places, {days} daily dates, MP4"
        rows += [
            ("b", what, "ours", ours_year, ours_year),
            ("b", "", f"plain, projected from {plain_part['frames']}", projected, ours_year),
        ]
        ours_quarter = child(
            {
                **big,
                "way": "ours",
                "start": quarter[0],
                "end": quarter[1],
                "path": str(folder / "c.mp4"),
            }
        )
        what = f"{places:,} places, {len(pd.date_range(*quarter))} daily dates, MP4"
        rows.append(("c", what, "ours", ours_quarter, ours_quarter))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{os.cpu_count()} processors; frames of {size[0]}x{size[1]} pixels\n")
    header = (
        f"{'case':<4} {'what':<34} {'way':<26} {'frames':>6} {'seconds':>8} {'CPU s':>7} "
        f"{'MB':>7} {'peak MiB':>9} {'child MiB':>9} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for case, what, way, r, ours in rows:
        print(
            f"{case:<4} {what:<34} {way:<26} {r['frames']:>6} {r['seconds']:>8.1f} "
            f"{r['cpu']:>7.1f} {r['bytes'] / 1e6:>7.2f} {r['peak_mib']:>9.0f} "
            f"{r['child_mib']:>9.0f} "
            f"{r['seconds'] / ours['seconds']:>6.1f}x"
        )
    print(
        "\n(ratio: the way's seconds over ours for the same case, above 1: ours is faster; "
        "CPU s: of the run's process and its children, wall time on a shared machine aside; "
        "peak MiB: the run's process, child MiB: its largest child, a worker or ffmpeg)"
    )
    mp4 = rows[0][3]
    if not quick:
        checks["example MP4 under 15 s"] = mp4["seconds"] < 15
        checks["example MP4 under 5 MB"] = mp4["bytes"] < 5e6
        checks["a year of 5,000 places under 3 minutes"] = ours_year["seconds"] < 180
    checks["memory flat: a year's peaks within 15% of 90 days'"] = (
        ours_year["peak_mib"] < 1.15 * ours_quarter["peak_mib"]
        and ours_year["child_mib"] < 1.15 * ours_quarter["child_mib"]
    )
    for check, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {check}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
