"""The notebooks run top to bottom on a clean kernel; Jupyter display of our objects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_actors, make_control, make_places

import geoconflict as gc

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_frontlines_over_time.ipynb",
        "03_research_questions.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip the outputs before committing"
            assert cell.execution_count is None, path.name
    assert "widgets" not in nb.metadata


#: Runs one notebook in a child process (so no kernel sockets outlive it in the test process)
#: with a kernelspec in a temporary folder that starts this interpreter's ipykernel: it works
#: on a fresh virtual environment and installs nothing into the user's Jupyter folders.
RUNNER = """
import json, sys
from pathlib import Path

import nbclient, nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

source, target, cwd, kernels = map(Path, sys.argv[1:5])
(kernels / "geoconflict-tests").mkdir(parents=True)
(kernels / "geoconflict-tests" / "kernel.json").write_text(json.dumps({
    "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "display_name": "geoconflict tests", "language": "python"}))
km = KernelManager(kernel_name="geoconflict-tests",
                   kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
nb = nbformat.read(source, as_version=4)
nbclient.NotebookClient(nb, km=km, timeout=600,
                        resources={"metadata": {"path": str(cwd)}}).execute(cwd=str(cwd))
nbformat.write(nb, target)
"""


def run_notebook(path: Path, tmp_path: Path):
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    import nbformat

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    executed = tmp_path / path.name
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the inline backend
    env["PYTHONWARNINGS"] = "default"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RUNNER,
            str(path),
            str(executed),
            str(cwd),
            str(tmp_path / "kernels"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return nbformat.read(executed, as_version=4), cwd


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_a_clean_kernel(path, tmp_path):
    started = time.perf_counter()
    nb, cwd = run_notebook(path, tmp_path)
    seconds = time.perf_counter() - started
    assert seconds < 120, f"{path.name} took {seconds:.0f} s; keep notebooks short"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            if output.output_type == "stream" and output.name == "stderr":
                pytest.fail(
                    f"{path.name}: a cell wrote to stderr (a warning?): "
                    f"{cell.source!r}\n{output.text}"
                )
    assert not list(cwd.iterdir()), "notebooks write into temporary folders only"
    if path.stem == "01_quickstart":
        (cell,) = [c for c in nb.cells if "map" in c.metadata.get("tags", [])]
        html = cell.outputs[-1]["data"]["text/html"]
        assert "<iframe" in html and "Hama" in html  # the folium map, drawn inline
        first = nb.cells[1].outputs[-1]["data"]
        assert "geoconflict-summary" in first["text/html"]
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert images, "the static figures are drawn inline"


# --------------------------------------------------------------------------- display


def test_conflict_html_escapes_hostile_ids_and_names():
    hostile = "<img src=x onerror=alert(1)>"
    actors = make_actors().assign(name=[hostile, "</script><script>alert(2)</script>"])
    c = gc.Conflict(make_places(), actors, make_control(), title=f"{hostile}&")
    for page in (c._repr_html_(), c.at("2024-12-05")._repr_html_()):
        assert "<img" not in page and "<script" not in page and "</script" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;" in c._repr_html_()


def test_conflict_html_shows_actor_colours_and_counts(conflict):
    page = conflict._repr_html_()
    assert "background:#0072b2" in page and "background:#d55e00" in page
    assert page.count("<tr>") == 3  # header and one row per actor
    assert "places held on 2024-12-06" in page
    snap = conflict.at("2024-12-05")._repr_html_()
    assert "on 2024-12-05" in snap and "background:#d55e00" in snap
    assert "1,330 people displaced so far" in snap  # 1000 + 250.5 + 80 begun by then


def test_snapshot_html_names_unknown_controller():
    c = gc.Conflict(make_places(), make_actors(), make_control())
    page = c.at("2024-11-30")._repr_html_()
    from geoconflict.palette import UNKNOWN_COLOR

    assert "controller unknown" in page and UNKNOWN_COLOR in page  # as on the maps
