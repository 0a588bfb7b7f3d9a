"""The war as a moving picture: :func:`animate` writes a GIF, an animated WebP or an MP4 of
the map over time, one frame per date.

How it stays fast and small: the dates whose maps look the same share one drawing (only the
date band changes); the parts of a frame that never change are drawn once
(:mod:`._frames`); many distinct maps are drawn by two processes at once
(:mod:`._workers`); and frames go to the file as they are made (:mod:`._encoders`), so
memory does not grow with the number of frames.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._atomic import atomic_path
from .._inputs import conflict_input
from ..basemap import check_basemap
from ..progress import progress as progress_bar
from ..territory._setting import land_setting
from ._common import (
    FigureOptionError,
    check_flows,
    figure_words,
    plain,
    pyplot,
)
from ._encoders import FORMATS, ffmpeg, open_writer
from ._frames import SIZES, Banner, FrameCanvas, Layout, Legend, Look, render_state
from ._states import state_facts
from ._timeline import Frame, Timeline, flow_spans, frames, timeline_dates
from ._workers import Pool

__all__ = ["SIZES", "animate"]

#: With ``workers=None``: this many distinct maps or more are drawn by two processes.
PARALLEL_FROM = 40
#: The limits of the timing options.
MAX_FPS, MAX_GIF_FPS, MAX_TWEEN, MAX_PAUSE = 60.0, 50.0, 60, 60.0
#: The smallest and largest frame side, in pixels.
MIN_SIDE, MAX_SIDE = 160, 4096


def _number(value: object, name: str, low: float, high: float, *, low_open: bool) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    number = float(value) if ok else float("nan")  # type: ignore[arg-type]
    if not ok or not (low < number <= high if low_open else low <= number <= high):
        span = f"above {low:g}" if low_open else f"at least {low:g}"
        raise FigureOptionError(
            f"{name} must be a number {span} and at most {high:g}, got {value!r}."
        )
    return number


def _whole(value: object, name: str, low: int, high: int | None = None) -> int:
    whole = (
        int(value)
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        else None
    )
    if whole is None or whole < low or (high is not None and whole > high):
        top = "" if high is None else f" and at most {high}"
        raise FigureOptionError(
            f"{name} must be a whole number of at least {low}{top}, got {value!r}."
        )
    return whole


def _size(size: object, fmt: str) -> tuple[int, int]:
    if isinstance(size, str):
        if size not in SIZES:
            raise FigureOptionError(
                f"size must be one of {sorted(SIZES)} or (width, height) in pixels, got {size!r}."
            )
        return SIZES[size]
    if (
        not isinstance(size, (tuple, list))
        or len(size) != 2
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in size)
        or not all(MIN_SIDE <= v <= MAX_SIDE for v in size)
    ):
        raise FigureOptionError(
            f"size must be one of {sorted(SIZES)} or (width, height), whole pixels from "
            f"{MIN_SIDE} to {MAX_SIDE}, got {size!r}."
        )
    width, height = int(size[0]), int(size[1])
    if fmt == "mp4" and (width % 2 or height % 2):
        raise FigureOptionError(
            f"an MP4 needs an even width and height (H.264 in yuv420p), got {width}x{height}. "
            f"Fix: e.g. size=({width + width % 2}, {height + height % 2})."
        )
    return width, height


def _format(path: object) -> tuple[Path, str]:
    if not isinstance(path, (str, os.PathLike)):
        raise FigureOptionError(
            f"path must be a file name ending in {', '.join(FORMATS)}, got {type(path).__name__}."
        )
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise FigureOptionError(
            f"path must end in one of {list(FORMATS)}, got {target.name!r}. Fix: name the "
            "file e.g. war.mp4, war.gif or war.webp."
        )
    return target, fmt


def _blend(before: np.ndarray, after: np.ndarray, share: float) -> np.ndarray:
    """``share`` of the way from ``before`` to ``after``, pixel by pixel (whole numbers)."""
    w = np.uint16(round(share * 256))
    mixed = before.astype(np.uint16) * (np.uint16(256) - w) + after.astype(np.uint16) * w
    return ((mixed + np.uint16(128)) >> np.uint16(8)).astype(np.uint8)


def _drawings(conflict, job: Job) -> Generator[tuple[Layout, list[np.ndarray]], None, None]:
    """Each state's frames (see :func:`._frames.render_state`), in order."""
    timeline, tween, workers = job.timeline, job.tween, job.workers
    dates = timeline.dates
    starts = timeline.drawn_from()
    shares = [k / (tween + 1) for k in range(1, tween + 1)]
    tasks = [
        (
            dates[j],
            dates[j - 1] if j > 0 else None,
            shares if j > 0 else [],
        )
        for j in starts
    ]
    setup = (conflict, job.look, job.legend, dates[0])
    if workers <= 1:
        canvas = FrameCanvas(*setup)
        for task in tasks:
            yield canvas.layout, render_state(canvas, *task)
        return
    pool = Pool(workers, setup)
    done = False
    try:
        yield from pool.map(tasks)
        done = True
    finally:
        pool.close(kill=not done)  # stopped early: nothing left to wait for


def animate(
    conflict,
    path: str | os.PathLike[str],
    *,
    start: object = None,
    end: object = None,
    freq: str = "D",
    changes_only: bool = False,
    fps: float = 2.0,
    tween: int = 0,
    pause: float = 1.5,
    size: str | tuple[int, int] = "square",
    flows: bool | str = True,
    labels: int = 10,
    legend: bool = True,
    scale_bar: bool = True,
    north_arrow: bool = False,
    attribution: bool = True,
    title: str | None = None,
    lang: str = "en",
    max_flows: int = 100,
    basemap: object = "auto",
    max_distance_km: float | str | None = None,
    boundary: object = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> Path:
    """An animation of the map over time: a GIF, an animated WebP or an MP4.

    One frame per date, each map drawn as :func:`plot_map` draws it (the land, frontlines,
    places, flows and base map), under the conflict's title and over a band with the date
    and a bar for the time gone by; one legend of everything shown on any date and the
    sources line on every frame. The first and last frames are held for ``pause``. The same
    data give the same file, byte for byte (GIF, WebP) or frame for frame (MP4).

    Parameters
    ----------
    conflict : Conflict
    path : path-like
        Ending in ``.gif``, ``.webp`` (both with Pillow, which comes with matplotlib) or
        ``.mp4`` (H.264, through the ffmpeg of ``imageio-ffmpeg``: ``pip install
        'geoconflict[video]'``). Written atomically.
    start, end : date, optional
        The first and last dates; default: the conflict's first and last.
    freq : str, default "D"
        A pandas frequency for the dates between (``"D"``, ``"W"``, ``"MS"`` ...); the first
        and last dates are always shown.
    changes_only : bool, default False
        Only the first date and the dates whose map differs from the date before (a change of
        hands, a flow that begins or ends).
    fps : float, default 2
        Frames per second. Without ``tween`` each date is one frame: 2 shows two dates a
        second. At most 60 (50 for GIF, whose players slow faster frames down).
    tween : int, default 0
        In-between frames from one date to the next: land that changes hands cross-fades
        and new flows grow from their origin to their destination. Each date then takes
        ``tween + 1`` frames (dates without a change too, so time runs evenly); raise
        ``fps`` with it, e.g. ``fps=12, tween=5``. At most 60.
    pause : float, default 1.5
        Seconds the first and the last frames are held longer.
    size : "square", "wide" or (int, int), default "square"
        Pixels: ``"square"`` is 1080 x 1080, ``"wide"`` 1920 x 1080, or (width, height)
        from 160 to 4096 (even for MP4). Type is sized to the shorter side.
    flows, labels, legend, scale_bar, north_arrow, attribution, lang, max_flows, basemap
        As for :func:`plot_map`; the legend lists every actor, the frontline and the flow
        categories shown on any of the dates.
    title : str, optional
        Over the map; default: the conflict's title; ``""`` for none.
    max_distance_km, boundary
        The land setting, as for :func:`plot_map` and :func:`geoconflict.territories`.
    workers : int, optional
        Processes that draw the maps. Default: two when there are at least 40 different
        maps to draw and two processors, else this process alone.
    progress : bool or None, default None
        A progress bar over the frames (see :func:`geoconflict.progress.progress`).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FigureOptionError
        For a path without one of the suffixes, or an option out of its range.
    DateArgumentError, TerritoryOptionError
        For a ``start`` or ``end`` that is not a date, or a bad ``max_distance_km``.
    MissingDependencyError
        For an MP4 without ``imageio-ffmpeg``, or without matplotlib.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import geoconflict as gc
    >>> from PIL import Image
    >>> out = gc.animate(gc.load_example(), pathlib.Path(tempfile.mkdtemp()) / "war.gif",
    ...                  start="2024-12-05", end="2024-12-08", size=(320, 320), labels=0)
    >>> with Image.open(out) as gif:
    ...     gif.n_frames, gif.size
    (4, (320, 320))
    """
    conflict_input(conflict, function="animate")
    target, fmt = _format(path)
    job = _job(
        conflict,
        fmt,
        start=start,
        end=end,
        freq=freq,
        changes_only=changes_only,
        fps=fps,
        tween=tween,
        pause=pause,
        size=size,
        flows=flows,
        labels=labels,
        legend=legend,
        scale_bar=scale_bar,
        north_arrow=north_arrow,
        attribution=attribution,
        title=title,
        lang=lang,
        max_flows=max_flows,
        basemap=basemap,
        max_distance_km=max_distance_km,
        boundary=boundary,
        workers=workers,
    )
    drawings = _drawings(conflict, job)
    try:
        with atomic_path(target) as tmp:
            _write(fmt, tmp, job, drawings, progress=progress)
    finally:
        drawings.close()
    return target


class Job(NamedTuple):
    """An animation's checked options and what was found out before drawing."""

    look: Look
    legend: Legend
    timeline: Timeline
    plan: list[Frame]
    span: pd.DatetimeIndex
    fps: float
    tween: int
    workers: int


def _job(
    conflict,
    fmt: str,
    *,
    start: object,
    end: object,
    freq: str,
    changes_only: bool,
    fps: object,
    tween: object,
    pause: object,
    size: object,
    flows: bool | str,
    labels: object,
    legend: bool,
    scale_bar: bool,
    north_arrow: bool,
    attribution: bool,
    title: str | None,
    lang: str,
    max_flows: object,
    basemap: object,
    max_distance_km: float | str | None,
    boundary: object,
    workers: object,
) -> Job:
    """Check :func:`animate`'s options and find the dates, states and frames."""
    rate = _number(fps, "fps", 0.0, MAX_GIF_FPS if fmt == "gif" else MAX_FPS, low_open=True)
    steps = _whole(tween, "tween", 0, MAX_TWEEN)
    hold = _number(pause, "pause", 0.0, MAX_PAUSE, low_open=False)
    pixels = _size(size, fmt)
    names = _whole(labels, "labels", 0)
    most = _whole(max_flows, "max_flows", 1)
    processes = None if workers is None else _whole(workers, "workers", 1, 64)
    check_flows(flows)
    check_basemap(basemap, error=FigureOptionError)
    figure_words(lang)
    pyplot()  # matplotlib, or an error saying how to install it
    if fmt == "mp4":
        ffmpeg()  # before any drawing
    land = land_setting(max_distance_km=max_distance_km, boundary=boundary)
    dates = timeline_dates(conflict, start=start, end=end, freq=freq)
    facts = state_facts(conflict, dates, flow_spans(conflict, dates, flows), land=land)
    timeline = Timeline.build(dates, facts.changed)
    if changes_only:
        timeline = timeline.changes_only()
    look = Look(
        size=pixels,
        flows=flows,
        labels=names,
        legend=legend,
        scale_bar=scale_bar,
        north_arrow=north_arrow,
        attribution=attribution,
        title=plain(conflict.title) if title is None else title,
        lang=lang,
        max_flows=most,
        basemap=basemap,
        land=land,
    )
    states = int(timeline.state[-1] - timeline.state[0] + 1)
    if processes is None:
        processes = 2 if states >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1
    return Job(
        look,
        Legend(facts.shown, facts.front, facts.categories),
        timeline,
        frames(timeline, fps=rate, tween=steps, pause=hold),
        dates,
        rate,
        steps,
        min(processes, states),
    )


def _write(
    fmt: str,
    tmp: Path,
    job: Job,
    drawings: Iterator[tuple[Layout, list[np.ndarray]]],
    *,
    progress: bool | None,
) -> None:
    """Compose each frame (the state's map, faded where asked, and its date band) and hand
    it to the writer of ``fmt`` as it is made."""
    with open(tmp, "wb") if fmt != "mp4" else contextlib.nullcontext(None) as fp:
        writer = open_writer(fmt, fp, tmp, job.look.size, job.fps)
        timeline, span = job.timeline, job.span
        try:
            banner = None
            state = -1
            before = now = None
            growth: list[np.ndarray] = []
            for frame in progress_bar(
                job.plan, total=len(job.plan), desc="animate", enabled=progress
            ):
                if timeline.state[frame.date] != state:
                    layout, images = next(drawings)
                    before, now, growth = now, images[-1], images[:-1]
                    state = int(timeline.state[frame.date])
                    if banner is None:
                        banner = Banner(job.look, layout, span[0], span[-1])
                assert now is not None and banner is not None
                picture = now
                changed = frame.date > 0 and timeline.state[frame.date - 1] != state
                if frame.blend < 1.0 and changed and before is not None:
                    k = round(frame.blend * (len(growth) + 1)) - 1 if growth else -1
                    picture = _blend(before, growth[k] if growth else now, frame.blend)
                out = banner.paste(picture, timeline.dates[frame.date], frame.progress)
                writer.add(out, frame.duration, frame.copies)
        finally:
            writer.close()
