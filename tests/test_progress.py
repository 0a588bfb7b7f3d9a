"""Progress bars: on only where someone watches a terminal, and never changing results."""

from __future__ import annotations

import io
import sys

import pytest

import geoconflict as gc
from geoconflict import progress as progress_module
from geoconflict.progress import progress, progress_enabled


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Terminal:
    """What the bars wrote to standard error (pytest's capture stands in for the terminal)."""

    def __init__(self, capsys):
        self.capsys = capsys

    def getvalue(self) -> str:
        return self.capsys.readouterr().err


@pytest.fixture
def terminal(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "_stderr_is_terminal", lambda: True)
    return Terminal(capsys)


def test_a_terminal_is_recognised(monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    assert progress_module._stderr_is_terminal() is True
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_module._stderr_is_terminal() is False


def test_off_when_stderr_is_not_a_terminal(capsys):
    assert progress_enabled(None, total=10) is False  # pytest captures stderr: no terminal
    assert list(progress(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_on_at_a_terminal(terminal):
    assert progress_enabled(None, total=10) is True
    assert list(progress(range(5), desc="counting")) == [0, 1, 2, 3, 4]
    assert "counting" in terminal.getvalue()


def test_off_when_asked_or_for_one_step(terminal):
    assert list(progress(range(5), enabled=False)) == [0, 1, 2, 3, 4]
    assert list(progress(range(1))) == [0]
    assert progress_enabled(None, total=1) is False
    assert terminal.getvalue() == ""


def test_forced_on_without_a_terminal(capsys):
    assert list(progress(iter("abc"), total=3, desc="letters", enabled=True)) == list("abc")
    assert "letters" in capsys.readouterr().err


def test_iterators_without_length(terminal):
    assert list(progress(x for x in range(3))) == [0, 1, 2]  # total unknown: still shown
    assert "it [" in terminal.getvalue()


def test_closed_or_missing_stderr_is_not_a_terminal(monkeypatch):
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stderr", closed)
    assert progress_enabled(None, total=5) is False
    monkeypatch.setattr(sys, "stderr", None)
    assert progress_enabled(None, total=5) is False


def test_without_tqdm(monkeypatch, terminal):
    monkeypatch.setattr(progress_module, "_tqdm_installed", lambda: False)
    assert progress_enabled(None, total=5) is False
    assert list(progress(range(3))) == [0, 1, 2]
    with pytest.raises(
        ImportError, match="progress=True needs the tqdm package. Fix: pip install tqdm"
    ):
        progress(range(3), enabled=True)


def test_control_summary_in_blocks_with_a_bar_gives_the_same_table(
    conflict, terminal, monkeypatch
):
    import geoconflict.territory._summary as territory

    whole = gc.control_summary(conflict, progress=False)
    monkeypatch.setattr(territory, "_MAX_MATRIX", 12)  # 6 cells: two dates per block
    blocks = gc.control_summary(conflict, progress=True)
    assert "control_summary" in terminal.getvalue()
    assert blocks.equals(whole)


def test_small_multiples_bar(conflict, terminal):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gc.plot_small_multiples(conflict, ["2024-12-01", "2024-12-05"], progress=True)
    plt.close("all")
    assert "small multiples" in terminal.getvalue()


def test_large_files_are_read_in_chunks_with_a_bar(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tqdm")
    import geoconflict.io._csv as csv_module

    monkeypatch.setattr(csv_module, "_CHUNK_ROWS", 2)
    path = tmp_path / "places.csv"
    path.write_text(
        "place_id,name,lon,lat\n" + "".join(f"p{i},P {i},36.{i},35.{i}\n" for i in range(7))
    )
    frame, rows = csv_module.read_text_table(path, progress=True)
    assert frame["place_id"].tolist() == [f"p{i}" for i in range(7)]
    assert rows.tolist() == list(range(1, 8))
    assert "reading places.csv" in capsys.readouterr().err
    header_only = tmp_path / "empty.csv"
    header_only.write_text("place_id,name,lon,lat\n")
    with pytest.raises(gc.FormatError, match="has a header but no data rows"):
        csv_module.read_text_table(header_only, progress=False)


def test_geojson_is_written_in_chunks_with_the_same_bytes(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tqdm")
    import geoconflict.io.geojson as geojson_module
    from geoconflict.places import make_places

    places = make_places(
        [f"p{i}" for i in range(5)],
        [f"P {i}" for i in range(5)],
        [36 + i / 10 for i in range(5)],
        [35.0] * 5,
    )
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    whole = gc.to_geojson(places, tmp_path / "one" / "places.geojson").read_bytes()
    monkeypatch.setattr(geojson_module, "_CHUNK_ROWS", 2)
    chunked = gc.to_geojson(
        places, tmp_path / "two" / "places.geojson", progress=True
    ).read_bytes()
    assert chunked == whole
    assert "writing places" in capsys.readouterr().err


def test_chunks_keep_one_date_style_per_column(tmp_path, monkeypatch):
    import pandas as pd

    import geoconflict.io.geojson as geojson_module

    table = pd.DataFrame(
        {
            "when": pd.to_datetime(
                ["2024-12-05", "2024-12-06", "2024-12-06T10:30"], format="ISO8601"
            )
        }
    )
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    whole = gc.to_geojson(table, tmp_path / "one" / "t.geojson").read_text()
    monkeypatch.setattr(geojson_module, "_CHUNK_ROWS", 2)
    chunked = gc.to_geojson(table, tmp_path / "two" / "t.geojson").read_text()
    assert chunked == whole
    assert '"2024-12-05T00:00:00Z"' in chunked and '"2024-12-05"' not in chunked
