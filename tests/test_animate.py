"""Animations: the files are decoded and checked as a reader would (frames, sizes, timing,
pixels against plot_map), written the same way twice, and their options checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import make_actors, make_control, make_places

import geoconflict as gc
from geoconflict.errors import FigureOptionError, MissingDependencyError

matplotlib = pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")

pytestmark = pytest.mark.usefixtures("agg_backend")  # from conftest

SMALL = (240, 200)  # pixels: frames small enough to keep the suite fast


def decode(path) -> tuple[list[np.ndarray], list[int]]:
    """Every frame of a GIF or WebP as RGB, and each one's duration in milliseconds."""
    frames, durations = [], []
    with Image.open(path) as image:
        for i in range(image.n_frames):
            image.seek(i)
            image.load()
            frames.append(np.asarray(image.convert("RGB")))
            durations.append(int(image.info["duration"]))
    return frames, durations


def decode_mp4(path) -> tuple[dict, list[np.ndarray]]:
    """The codec, size and frame rate ffmpeg reads in an MP4, and its frames as RGB."""
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    probe = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    found = re.search(r"Video: (\w+).*?, (\d+)x(\d+).*?, ([\d.]+) fps", probe.stderr)
    assert found, probe.stderr
    codec, width, height, fps = found.group(1), int(found[2]), int(found[3]), float(found[4])
    raw = subprocess.run(
        [exe, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = list(np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3))
    return {"codec": codec, "size": (width, height), "fps": fps}, frames


DEFAULTS = dict(
    start=None,
    end=None,
    freq="D",
    changes_only=False,
    fps=2.0,
    tween=0,
    pause=1.5,
    size=SMALL,
    flows=True,
    labels=10,
    legend=True,
    scale_bar=True,
    north_arrow=False,
    attribution=True,
    title=None,
    lang="en",
    max_flows=100,
    basemap="auto",
    max_distance_km=None,
    boundary=None,
    workers=1,
)


def frame_canvas(conflict, **options):
    """The checked options of an animation and the canvas its frames are drawn on."""
    from geoconflict.figures._frames import FrameCanvas
    from geoconflict.figures.animation import _job

    job = _job(conflict, "webp", **{**DEFAULTS, **options})
    return job, FrameCanvas(conflict, job.look, job.legend, job.timeline.dates[0])


def map_box(conflict, **options):
    """The figure size, dpi and map axes' position of the frames :func:`animate` draws, read
    from the library's own layout (the frame's map box is what plot_map is compared with)."""
    _, canvas = frame_canvas(conflict, **options)
    return canvas.fig.get_size_inches(), canvas.fig.dpi, canvas.ax.get_position().bounds


def plot_map_pixels(conflict, when, box, **options) -> np.ndarray:
    """plot_map of ``when`` drawn alone at the map's place in a frame, as RGB."""
    import matplotlib.pyplot as plt

    inches, dpi, position = box
    fig = plt.figure(figsize=inches, dpi=dpi)
    ax = fig.add_axes(position)
    gc.plot_map(conflict, when, ax=ax, legend=False, attribution=False, title="", **options)
    fig.canvas.draw()
    out = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return out


def crop(image: np.ndarray, box) -> np.ndarray:
    inches, dpi, (x, y, w, h) = box
    height, width = image.shape[:2]
    x0, x1 = round(x * width) + 2, round((x + w) * width) - 2  # inside the frame's line
    y0, y1 = round((1 - y - h) * height) + 2, round((1 - y) * height) - 2
    return image[y0:y1, x0:x1].astype(int)


# --------------------------------------------------------------------------- files


def test_gif_has_a_frame_per_date_its_size_and_pauses(tmp_path, conflict):
    out = gc.animate(conflict, tmp_path / "war.gif", size=SMALL, fps=4, pause=1)
    frames, durations = decode(out)
    assert len(frames) == 6  # 1 to 6 December
    assert frames[0].shape == (200, 240, 3)
    assert durations == [1250, 250, 250, 250, 250, 1250]
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_first_and_last_frames_are_plot_map_of_their_dates(tmp_path, conflict):
    box = map_box(conflict)
    frames, _ = decode(gc.animate(conflict, tmp_path / "war.webp", size=SMALL))
    gif, _ = decode(gc.animate(conflict, tmp_path / "war.gif", size=SMALL))
    for frame, quantized, when in (
        (frames[0], gif[0], "2024-12-01"),
        (frames[-1], gif[-1], "2024-12-06"),
    ):
        expected = crop(plot_map_pixels(conflict, when, box), box)
        lossless = np.abs(crop(frame, box) - expected)
        assert lossless.mean() < 0.5 and np.quantile(lossless, 0.999) <= 8
        palette = np.abs(crop(quantized, box) - expected)  # 255 colours: a little off
        assert palette.mean() < 2.0
    # and the two dates differ where Bravo changed hands
    assert np.abs(frames[0].astype(int) - frames[-1]).max() > 100


def test_first_and_last_frames_of_the_example_are_plot_map(tmp_path):
    syria = gc.load_example()
    options = dict(start="2024-12-05", end="2024-12-08", size=(360, 320))
    box = map_box(syria, **options)
    frames, _ = decode(gc.animate(syria, tmp_path / "syria.webp", **options))
    assert len(frames) == 4
    for frame, when in ((frames[0], "2024-12-05"), (frames[-1], "2024-12-08")):
        diff = np.abs(crop(frame, box) - crop(plot_map_pixels(syria, when, box), box))
        assert diff.mean() < 0.5 and np.quantile(diff, 0.999) <= 8


def test_same_data_give_the_same_bytes(tmp_path, conflict):
    for suffix in ("gif", "webp"):
        one = gc.animate(conflict, tmp_path / f"one.{suffix}", size=SMALL, tween=1)
        two = gc.animate(conflict, tmp_path / f"two.{suffix}", size=SMALL, tween=1)
        assert one.read_bytes() == two.read_bytes()
    # two processes drawing the maps write the same file as one
    both = gc.animate(conflict, tmp_path / "two_workers.gif", size=SMALL, tween=1, workers=2)
    assert both.read_bytes() == (tmp_path / "one.gif").read_bytes()


def test_drawing_processes_report_failures(conflict):
    from geoconflict.errors import DateArgumentError, GeoconflictError
    from geoconflict.figures._workers import Pool

    job, _ = frame_canvas(conflict)
    pool = Pool(1, (conflict, job.look, job.legend, job.timeline.dates[0]))
    try:
        # an error raised while drawing comes back as itself
        with pytest.raises(DateArgumentError, match="could not read 'someday'"):
            next(pool.map([("someday", None, [])]))
        layout, images = next(pool.map([(job.timeline.dates[0], None, [])]))
        assert images[0].shape == (SMALL[1], SMALL[0], 3)
        # a process that dies is named, with what to do
        pool.procs[0].kill()
        with pytest.raises(GeoconflictError, match="a worker process drawing frames stopped"):
            next(pool.map([(job.timeline.dates[0], None, [])]))
    finally:
        pool.close(kill=True)


def test_mp4_frames_and_reruns(tmp_path, conflict):
    pytest.importorskip("imageio_ffmpeg")
    out = gc.animate(conflict, tmp_path / "war.mp4", size=SMALL, fps=2, pause=1)
    again = gc.animate(conflict, tmp_path / "again.mp4", size=SMALL, fps=2, pause=1)
    meta, frames = decode_mp4(out)
    assert out.read_bytes()[4:8] == b"ftyp"
    assert meta["size"] == SMALL and meta["fps"] == 2
    assert meta["codec"].startswith("h264")
    # 6 dates, the first and last held one second longer: two more frames each at 2 fps
    assert len(frames) == 6 + 2 + 2
    held = [np.abs(frames[0].astype(int) - f).mean() for f in frames[1:3]]
    assert max(held) < 1  # the same picture, as H.264 codes a repeat
    assert np.abs(frames[2].astype(int) - frames[3]).mean() > max(held)  # the next date
    _, other = decode_mp4(again)
    assert len(other) == len(frames) and all(
        np.array_equal(a, b) for a, b in zip(frames, other, strict=True)
    )
    webp, _ = decode(gc.animate(conflict, tmp_path / "war.webp", size=SMALL))
    for frame, still in ((frames[0], webp[0]), (frames[-1], webp[-1])):
        assert np.abs(frame.astype(int) - still).mean() < 4  # H.264 in yuv420p is lossy


def test_mp4_without_imageio_ffmpeg_names_the_extra(tmp_path, conflict, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"pip install 'geoconflict\[video\]'"):
        gc.animate(conflict, tmp_path / "war.mp4", size=SMALL)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- time line


def test_dates_that_look_the_same_share_one_drawing(tmp_path, conflict, monkeypatch):
    from geoconflict.figures import _frames

    drawn: list[str] = []
    render = _frames.FrameCanvas.render

    def counting(self, date, *args, **kwargs):
        drawn.append(f"{date:%m-%d}")
        return render(self, date, *args, **kwargs)

    monkeypatch.setattr(_frames.FrameCanvas, "render", counting)
    frames, _ = decode(gc.animate(conflict, tmp_path / "war.gif", size=SMALL, workers=1))
    # Bravo changes hands on the 5th; flows begin on the 4th, 5th and 6th (the one of
    # the 2nd stays within Echo, so it is not drawn): the 2nd and 3rd look like the 1st
    assert drawn == ["12-01", "12-04", "12-05", "12-06"]
    assert len(frames) == 6
    drawn.clear()
    frames, _ = decode(
        gc.animate(conflict, tmp_path / "changes.gif", size=SMALL, changes_only=True)
    )
    assert drawn == ["12-01", "12-04", "12-05", "12-06"] and len(frames) == 4


def test_tween_fades_land_changing_hands(tmp_path, conflict):
    frames, durations = decode(
        gc.animate(conflict, tmp_path / "fade.webp", size=SMALL, flows=False, tween=1, fps=4)
    )
    assert len(frames) == 1 + 5 * 2 and set(durations[1:-1]) == {250}
    box = map_box(conflict, flows=False, tween=1)
    # frames 6, 7, 8: the 4th, half way to the 5th (Bravo changes hands), the 5th
    before, middle, after = (crop(frames[i], box) for i in (6, 7, 8))
    changed = np.abs(after - before).max(axis=2) > 60
    assert changed.sum() > 50
    halfway = (before + after) / 2
    assert np.abs(middle - halfway)[changed].mean() < 2
    assert np.abs(middle - before)[changed].mean() > 20
    # the 2nd to the 3rd: nothing changes, nothing fades
    assert np.array_equal(crop(frames[3], box), crop(frames[4], box))


def test_tween_grows_flows_from_their_origin(conflict):
    from geoconflict.figures._frames import render_state

    _, canvas = frame_canvas(
        conflict,
        tween=3,
        labels=0,
        legend=False,
        scale_bar=False,
        attribution=False,
        title="",
        basemap=None,
    )
    day = pd.Timestamp
    # the 4th: 1,000 people from Bravo to Echo begin to move
    images = render_state(canvas, day("2024-12-04"), day("2024-12-03"), [0.25, 0.5, 0.75])
    assert len(images) == 4
    full = images[-1].astype(int)
    missing = [int((np.abs(im.astype(int) - full).max(axis=2) > 40).sum()) for im in images[:3]]
    assert missing[0] > missing[1] > missing[2] > 0
    # no flow begins on the 3rd: one drawing
    assert len(render_state(canvas, day("2024-12-03"), day("2024-12-02"), [0.5])) == 1


def test_legend_lists_what_any_date_shows(conflict):
    from geoconflict.figures._states import state_facts
    from geoconflict.figures._timeline import flow_spans, timeline_dates
    from geoconflict.territory import LandSetting

    dates = timeline_dates(conflict, start="2024-12-01", end="2024-12-02", freq="D")
    facts = state_facts(conflict, dates, flow_spans(conflict, dates, True), land=LandSetting())
    assert facts.shown == ["gov", "reb"] and facts.front
    assert facts.categories == []  # the only flow begun by the 2nd stays within Echo
    dates = timeline_dates(conflict, start=None, end=None, freq="D")
    facts = state_facts(conflict, dates, flow_spans(conflict, dates, True), land=LandSetting())
    assert facts.categories == ["internal"]
    # Bravo changes hands on the 5th; flows begin on the 4th, 5th and 6th
    assert facts.changed.tolist() == [False, False, False, True, True, True]


# --------------------------------------------------------------------------- elsewhere


def southern_conflict() -> gc.Conflict:
    """A synthetic war in the southern hemisphere (around 24 S, 31 E): the east advances
    west over two weeks, with flows away from the front."""
    rng = np.random.default_rng(5)
    n = 40
    lon, lat = rng.uniform(30.0, 32.0, n), rng.uniform(-25.0, -23.0, n)
    ids = [f"t{i:02d}" for i in range(n)]
    places = gc.make_places(
        ids, [f"Town {i}" for i in range(n)], lon, lat, population=rng.integers(1_000, 90_000, n)
    )
    actors = pd.DataFrame(
        {
            "actor_id": ["west", "east"],
            "name": ["Western", "Eastern"],
            "color": ["#1b9e77", "#7570b3"],
        }
    )
    start = pd.Timestamp("2025-03-01")
    rows = [(p, "west" if x < 31.6 else "east", start) for p, x in zip(ids, lon, strict=True)]
    for day in range(1, 14):
        line = 31.6 - 0.1 * day
        rows += [
            (p, "east", start + pd.Timedelta(days=day))
            for p, x in zip(ids, lon, strict=True)
            if line <= x < line + 0.1
        ]
    control = pd.DataFrame(rows, columns=["place_id", "actor_id", "date"]).assign(
        source="https://example.org/synthetic"
    )
    flows = pd.DataFrame(
        {
            "origin": ids[:3],
            "destination": ids[3:6],
            "start": ["2025-03-03", "2025-03-06", "2025-03-10"],
            "end": ["2025-03-05", "2025-03-09", "2025-03-12"],
            "people": [5000, 12000, 3000],
            "source": "https://example.org/synthetic",
        }
    )
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(29.9, -25.1, 32.1, -22.9)], crs="EPSG:4326")
    return gc.Conflict(places, actors, control, flows, boundary=boundary, title="Southern test")


def test_a_war_in_the_southern_hemisphere(tmp_path):
    war = southern_conflict()
    out = gc.animate(war, tmp_path / "south.webp", size=(320, 240), changes_only=True, labels=3)
    frames, _ = decode(out)
    # the first day, then each day a town changes hands or a flow begins
    days = pd.concat([war.control["date"], war.flows["start"]]).dt.normalize().unique()
    assert len(frames) == len(days)
    box = map_box(war, size=(320, 240), changes_only=True, labels=3)
    first, last = crop(frames[0], box), crop(frames[-1], box)
    for frame, when in ((first, days.min()), (last, days.max())):
        expected = crop(plot_map_pixels(war, when, box, labels=3), box)
        assert np.abs(frame - expected).mean() < 0.5

    def share(image, color):
        rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
        return (np.abs(image - rgb).max(axis=2) <= 6).mean()

    # the eastern dots' colour covers more of the map at the end than at the start
    assert share(last, "#7570b3") > 2 * share(first, "#7570b3") > 0


UKRAINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine_2022_2025"
#: DeepStateMap's maps of 1 October, 1 November and 1 December 2022 (file name: Unix time).
DEEPSTATE = ("1664627935", "1667341666", "1669933036")
TOWNS = ["city", "city_ascii", "lat", "lng", "country", "iso2", "iso3", "admin_name"]
TOWNS += ["capital", "population", "id"]


def ukraine_conflict() -> gc.Conflict:
    """Ukraine's towns (simplemaps), each held by Russian forces on a date when it lies in a
    polygon DeepStateMap marks occupied (its "Occupied ...", "CADR and CALR" areas), else
    by Ukraine; the outline is geoBoundaries' oblasts. Crimea and Sevastopol are left out:
    the archive's map of August 2022 draws no polygon over them and later ones do, which
    would read as a change of hands."""
    towns = pd.read_csv(UKRAINE / "towns" / "worldcities_simplemaps_basic.csv", names=TOWNS)
    crimea = towns["admin_name"].isin(["Krym Avtonomna Respublika", "Sevastopol’ Misto"])
    towns = towns[(towns["iso2"] == "UA") & ~crimea].reset_index(drop=True)
    ids = towns["id"].astype(str)
    places = gc.make_places(
        ids, towns["city"], towns["lng"], towns["lat"], population=towns["population"]
    )
    points = shapely.points(towns["lng"], towns["lat"])
    rows = []
    for stem in DEEPSTATE:
        layer = gpd.read_file(UKRAINE / "deepstate" / f"{stem}.geojson")
        english = layer["name"].str.split("///").str[1].fillna("").str.strip().str.lower()
        occupied = english.str.startswith("occupied") | english.str.contains("cadr")
        polygons = layer.geometry[occupied & layer.geometry.geom_type.str.contains("Polygon")]
        area = shapely.union_all(shapely.make_valid(polygons.to_numpy()))
        holder = np.where(shapely.contains(area, points), "ru", "ua")
        day = pd.Timestamp(int(stem), unit="s").normalize()
        rows.append(pd.DataFrame({"place_id": ids, "actor_id": holder, "date": day}))
    control = pd.concat(rows, ignore_index=True).assign(
        source="https://deepstatemap.live (archive mirrored on GitHub)"
    )
    actors = pd.DataFrame(
        {"actor_id": ["ua", "ru"], "name": ["Ukraine", "Russian forces"]}
    ).assign(color=["#1f77b4", "#d62728"])
    oblasts = gpd.read_file(UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson")
    mainland = ~oblasts["shapeName"].isin(["Autonomous Republic of Crimea", "Sevastopol"])
    return gc.Conflict(
        places, actors, control, boundary=oblasts.loc[mainland, ["geometry"]], title="Ukraine"
    )


@pytest.mark.skipif(not UKRAINE.is_dir(), reason="needs ../shared/data/ukraine_2022_2025")
def test_ukraine_from_deepstatemap(tmp_path):
    war = ukraine_conflict()
    options = dict(size=(320, 240), changes_only=True, labels=4)
    frames, _ = decode(gc.animate(war, tmp_path / "ukraine.webp", **options))
    held = war.control.pivot(index="place_id", columns="date", values="actor_id").to_numpy()
    moved = (held[:, 1:] != held[:, :-1]).any(axis=0)  # towns changed hands between maps
    assert len(frames) == 1 + moved.sum() == 3
    box = map_box(war, **options)
    first, last = crop(frames[0], box), crop(frames[-1], box)
    days = war.dates
    for frame, when in ((first, days[0]), (last, days[-1])):
        expected = crop(plot_map_pixels(war, when, box, labels=4), box)
        assert np.abs(frame - expected).mean() < 0.5

    def fill(image, color):  # the land's fill: 45 % of the colour over white
        rgb = 0.45 * np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) + 0.55 * 255
        return (np.abs(image - rgb).max(axis=2) <= 4).sum()

    # Ukraine took back land between October and December 2022 (Kherson)
    assert 0 < fill(last, "#d62728") < fill(first, "#d62728")
    assert fill(last, "#1f77b4") > fill(first, "#1f77b4")


@pytest.mark.parametrize("mode", [True, "active"])
def test_the_map_changes_when_the_tables_say(monkeypatch, mode):
    from geoconflict.figures import _states
    from geoconflict.figures._timeline import flow_spans, timeline_dates
    from geoconflict.territory import LandSetting

    war = southern_conflict()
    dates = timeline_dates(war, start=None, end=None, freq="D")
    whole = _states.state_facts(war, dates, flow_spans(war, dates, mode), land=LandSetting())
    # a day changes with a control record, a flow's start, and (under way only) its end
    days = set(war.control["date"]) | set(war.flows["start"])
    if mode == "active":
        days |= set(war.flows["end"] + pd.Timedelta(days=1))
    expected = [d in days for d in dates]
    expected[0] = False
    assert whole.changed.tolist() == expected
    monkeypatch.setattr(_states, "CHUNK", 3)  # the same, a few dates at a time
    parts = _states.state_facts(war, dates, flow_spans(war, dates, mode), land=LandSetting())
    assert parts.changed.tolist() == expected
    assert (parts.shown, parts.front, parts.categories) == (
        whole.shown,
        whole.front,
        whole.categories,
    )


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("war.avi", {}, r"path must end in one of \['.gif', '.webp', '.mp4'\], got 'war.avi'"),
        ("war.gif", {"fps": 0}, "fps must be a number above 0 and at most 50, got 0"),
        ("war.mp4", {"fps": 61}, "fps must be a number above 0 and at most 60, got 61"),
        ("war.gif", {"tween": -1}, "tween must be a whole number of at least 0 and at most 60"),
        ("war.gif", {"pause": "long"}, "pause must be a number at least 0"),
        ("war.gif", {"size": "huge"}, r"size must be one of \['square', 'wide'\]"),
        ("war.gif", {"size": (100, 100)}, "whole pixels from 160 to 4096"),
        (
            "war.mp4",
            {"size": (321, 240)},
            r"an MP4 needs an even width and height.*size=\(322, 240\)",
        ),
        ("war.gif", {"workers": 0}, "workers must be a whole number of at least 1"),
        ("war.gif", {"flows": "all"}, "flows must be True, False, 'cumulative' or 'active'"),
        ("war.gif", {"lang": "de"}, r"lang must be one of \[.*\] or a language code .*got 'de'"),
        ("war.gif", {"freq": "fortnightly"}, "freq must be a pandas frequency"),
        (
            "war.gif",
            {"start": "2024-12-06", "end": "2024-12-01"},
            "start .2024-12-06. is after end",
        ),
    ],
)
def test_options_are_checked(tmp_path, conflict, name, kwargs, match):
    with pytest.raises(FigureOptionError, match=match):
        gc.animate(conflict, tmp_path / name, **kwargs)
    assert not list(tmp_path.iterdir())


def test_without_flows_or_boundary(tmp_path):
    """Places only (no boundary, so no land), no flows: the dots change colour."""
    c = gc.Conflict(make_places(), make_actors(), make_control(), title="Dots")
    frames, _ = decode(gc.animate(c, tmp_path / "dots.gif", size=SMALL, changes_only=True))
    assert len(frames) == 2  # the 1st, and the 5th when Bravo changes hands
    assert np.abs(frames[0].astype(int) - frames[1]).max() > 100


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # fonts without Arabic
def test_arabic_frames(tmp_path, conflict):
    from geoconflict.figures._frames import Banner

    frames, _ = decode(gc.animate(conflict, tmp_path / "ar.gif", size=SMALL, lang="ar"))
    assert len(frames) == 6
    job, canvas = frame_canvas(conflict, lang="ar")
    legend = [t.get_text() for t in canvas.fig.legends[0].get_texts()]
    assert legend[2] == "خط الجبهة"  # the frontline, after the two actors
    banner = Banner(job.look, canvas.layout, job.span[0], job.span[-1])
    band = banner.render(job.span[-1], 1.0)
    assert banner.date.get_text() == "6 كانون الأول/ديسمبر 2024"  # as UN Arabic writes it
    assert band.shape[1] == canvas.layout.band_box[2] - canvas.layout.band_box[0]
