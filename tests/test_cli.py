"""The geoconflict command: its program started for real once (``--help``), the other
commands run in the test process (``command.run_command``: the same ``main``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from command import run_command


def program(*args):
    """``python -m geoconflict ARGS``, started for real."""
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
    return subprocess.run(
        [sys.executable, "-m", "geoconflict", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


run = run_command


def assert_one_line_error(result):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("geoconflict: error: ")
    assert "Traceback" not in result.stderr


def test_help_lists_subcommands():
    result = program("--help")
    assert result.returncode == 0
    for command in ("map", "summary", "validate"):
        assert command in result.stdout


def test_summary(folder):
    result = run("summary", folder, "--date", "2024-12-05")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Control on 2024-12-05:" in out
    assert "reb (Rebels): 3 places: Bravo, Charlie, Foxtrot" in out
    assert "2024-12-05  Bravo: gov -> reb" in out
    assert "Displacement begun by 2024-12-05: 1,330 people" in out


def test_summary_defaults_to_the_last_date(folder):
    result = run("summary", folder)
    assert "Control on 2024-12-06:" in result.stdout


def test_validate_clean(folder):
    result = run("validate", folder)
    assert result.returncode == 0
    assert "no problems found" in result.stdout


def test_validate_reports_every_problem(folder):
    places = (folder / "places.csv").read_text()
    (folder / "places.csv").write_text(places.replace(",35.5", ",135.5", 1))
    control = (folder / "control.csv").read_text()
    (folder / "control.csv").write_text(control.replace("2024-12-05", "5 Dec 2024"))
    result = run("validate", folder)
    assert result.returncode == 2
    assert "places.csv, row 1, column 'lon/lat', value '36, 135.5'" in result.stdout
    assert "control.csv, row 7, column 'date', value '5 Dec 2024'" in result.stdout
    assert "2 problem(s) found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_dataset_exits_2_with_one_line(folder):
    (folder / "flows.csv").write_text("origin,destination,start,people\na,b,2024-12-01,lots\n")
    assert_one_line_error(run("summary", folder))


def test_missing_path_exits_2(tmp_path):
    result = run("summary", tmp_path / "nope")
    assert_one_line_error(result)
    assert "no such folder or file" in result.stderr


def test_bad_date_exits_2(folder):
    result = run("summary", folder, "--date", "someday")
    assert_one_line_error(result)
    assert "--date: could not read 'someday' as a date" in result.stderr


def test_unknown_subcommand_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


_EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "geoconflict", "_data", "syria_2024")


@pytest.mark.skipif(
    not os.path.isdir(_EXAMPLE), reason="the bundled example is not in this checkout"
)
def test_validate_bundled_example():
    data = _EXAMPLE
    result = run("validate", data)
    assert result.returncode == 0, result.stdout


def test_map_with_a_bad_date_names_the_option(folder, tmp_path):
    result = run("map", folder, "--date", "soon", "--no-tiles", "-o", tmp_path / "m.html")
    assert_one_line_error(result)
    assert "--date: could not read 'soon' as a date" in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_warnings_are_one_line_and_leave_no_trace(folder, tmp_path, capsys):
    import warnings

    from geoconflict.cli import main

    places = (folder / "places.csv").read_text()
    (folder / "places.csv").write_text(places.replace(",36,35.5", ",40,35.5", 1))
    before = warnings.showwarning, warnings.formatwarning
    assert main(["map", str(folder), "--no-tiles", "-o", str(tmp_path / "m.html")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: warning: 1 place(s) lie outside the boundary")
    assert len(err.strip().splitlines()) == 1
    assert (warnings.showwarning, warnings.formatwarning) == before


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        (
            "plot",
            ["--kind", "control", "--basemap", "none"],
            "--basemap does nothing with --kind control (it draws every date, without a map). "
            "Fix: drop --basemap, or use --kind map.",
        ),
        (
            "plot",
            ["--kind", "control", "--date", "2024-12-05", "--no-flows", "--north-arrow"]
            + ["--basemap-layer", "rivers=rivers.gpkg", "--basemap-credit", "me"],
            "--date, --no-flows, --north-arrow, --basemap-layer, --basemap-credit do nothing "
            "with --kind control (it draws every date, without a map). Fix: drop --date and "
            "--no-flows and --north-arrow and --basemap-layer and --basemap-credit, or use "
            "--kind map.",
        ),
        (
            "plot",
            ["--measure", "population"],
            "--measure does nothing with --kind map. Fix: drop --measure, or add --kind control.",
        ),
        (
            "map",
            ["--no-tiles", "--tiles", "CartoDB positron"],
            "--tiles does nothing with --no-tiles. Fix: drop --tiles.",
        ),
    ],
)
def test_options_that_do_nothing_are_refused(folder, tmp_path, capsys, command, options, message):
    from geoconflict.cli import main

    out = tmp_path / ("figure.png" if command == "plot" else "map.html")
    assert main([command, str(folder), "-o", str(out), *options]) == 2
    assert capsys.readouterr().err == f"geoconflict: error: {message}\n"
    assert not out.exists()


def test_options_for_the_chosen_kind_are_taken(folder, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from geoconflict.cli import main

    control = tmp_path / "control.png"
    assert main(["plot", str(folder), "-o", str(control), "--kind", "control"]) == 0
    assert (
        main(["plot", str(folder), "-o", str(control), "--kind", "control", "--measure", "places"])
        == 0
    )
    figure = tmp_path / "map.png"
    assert (
        main(["plot", str(folder), "-o", str(figure), "--date", "2024-12-05", "--north-arrow"])
        == 0
    )
    assert control.stat().st_size > 0 and figure.stat().st_size > 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["plot", "animate"])
def test_figures_without_matplotlib_say_which_extra(
    command, folder, tmp_path, capsys, monkeypatch
):
    from geoconflict.cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    out = str(tmp_path / ("fig.png" if command == "plot" else "war.gif"))
    assert main([command, str(folder), "-o", out]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"geoconflict: error: {command} needs matplotlib. Fix: pip install 'geoconflict[plot]'.\n"
    )
