"""``geoconflict animate``: the map over time from the command line, and its errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from geoconflict.cli import main

Image = pytest.importorskip("PIL.Image")
pytest.importorskip("matplotlib")
pytestmark = pytest.mark.usefixtures("agg_backend")  # from conftest


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("geoconflict: error: ") and "Traceback" not in err
    return lines[0]


def test_animate_writes_a_gif(folder, tmp_path, capsys):
    out = tmp_path / "war.gif"
    args = ["animate", str(folder), "-o", str(out), "--size", "240x200", "--changes-only"]
    assert main([*args, "--fps", "4", "--basemap", "none"]) == 0
    assert capsys.readouterr().out.strip() == f"animation written to {out}"
    with Image.open(out) as gif:
        assert gif.size == (240, 200)
        assert gif.n_frames == 4  # the 1st, and the 4th to the 6th, when something changes


def test_animate_writes_an_mp4_as_a_program(folder, tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "war.mp4"
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
    env.pop("MPLBACKEND", None)  # the command picks Agg itself
    result = subprocess.run(
        [sys.executable, "-m", "geoconflict", "animate", str(folder), "-o", str(out)]
        + ["--size", "wide", "--start", "2024-12-04", "--end", "2024-12-05"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"animation written to {out}"
    assert out.read_bytes()[4:8] == b"ftyp" and out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/war.avi"], "path must end in one of ['.gif', '.webp', '.mp4']"),
        (["-o", "{tmp}/war.gif", "--size", "12x"], "--size must be 'square', 'wide' or WIDTHx"),
        (["-o", "{tmp}/war.gif", "--size", "100x100"], "whole pixels from 160 to 4096"),
        (["-o", "{tmp}/war.gif", "--fps", "0"], "fps must be a number above 0"),
        (["-o", "{tmp}/war.gif", "--tween", "-1"], "tween must be a whole number of at least 0"),
        (["-o", "{tmp}/war.gif", "--start", "2024-13-01"], "start: could not read '2024-13-01'"),
        (["-o", "{tmp}/war.gif", "--freq", "often"], "freq must be a pandas frequency"),
        (["-o", "{tmp}/war.mp4", "--size", "241x200"], "an MP4 needs an even width and height"),
        (["-o", "{tmp}/war.gif", "--workers", "0"], "workers must be a whole number"),
    ],
)
def test_animate_bad_input_is_one_line(folder, tmp_path, capsys, args, message):
    argv = ["animate", str(folder), *[a.format(tmp=tmp_path) for a in args]]
    assert main(argv) == 2
    assert message in one_line_error(capsys)
    assert not list(tmp_path.glob("war.*"))


def test_animate_missing_folder(tmp_path, capsys):
    assert main(["animate", str(tmp_path / "nowhere"), "-o", str(tmp_path / "war.gif")]) == 2
    one_line_error(capsys)


def test_animate_mp4_without_the_video_extra(folder, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if not installed
    assert main(["animate", str(folder), "-o", str(tmp_path / "war.mp4")]) == 2
    assert "pip install 'geoconflict[video]'" in one_line_error(capsys)
    assert not list(tmp_path.glob("war.*"))
