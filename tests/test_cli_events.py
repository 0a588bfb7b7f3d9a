"""``geoconflict events``: real ACLED and UCDP exports in, the same rows with each event's
context out (synthetic conflicts in Benin and Bangladesh, far from Syria)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import shapely
from command import run_command

import geoconflict as gc

CORPUS = Path(__file__).resolve().parent / "corpus"
ACLED = CORPUS / "acled" / "acled-2023-export-r-benin-first15.csv"
UCDP = CORPUS / "ucdp" / "ucdp-ged-hdx-2022-bgd-first8.csv"
NEW = ["holder", "front_km", "across", "place_id", "place_km", "imprecise", "reason"]


run = run_command  # the command, in this process


def split_conflict(events, folder: Path, since: str) -> Path:
    """North and south of the events' middle latitude, held by two sides since ``since``."""
    x0, y0, x1, y1 = events.total_bounds
    mid = (y0 + y1) / 2
    places = gc.make_places(
        ["n", "s"], ["North", "South"], [(x0 + x1) / 2] * 2, [mid + 0.5, mid - 0.5]
    )
    control = pd.DataFrame(
        {"place_id": ["n", "s"], "actor_id": ["north", "south"], "date": [since] * 2}
    )
    c = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["north", "south"]}),
        control,
        boundary=shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1),
    )
    c.save(folder)
    return folder


def test_acled_export_gets_the_context_columns(tmp_path):
    events, _ = gc.read_acled(ACLED)
    folder = split_conflict(events, tmp_path / "benin", "2022-01-01")
    result = run("events", ACLED, "--conflict", folder, "-o", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    assert "15 events written" in result.stdout
    raw = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out.columns.tolist() == raw.columns.tolist() + NEW
    pd.testing.assert_frame_equal(out[raw.columns], raw)  # every cell as it was ("NA" too)
    mid = (events.total_bounds[1] + events.total_bounds[3]) / 2
    north = events.geometry.y.to_numpy() > mid
    assert out["holder"].tolist() == ["north" if n else "south" for n in north]
    km = out["front_km"].astype(float)
    truth = (events.geometry.y - mid).abs() * 110.6  # a parallel: ~110.6 km a degree here
    assert ((km - truth).abs() < 0.02 * truth + 0.5).all()
    assert (out["imprecise"] == (raw["geo_precision"] == "3").map(str)).all()


def test_ucdp_export_and_a_row_the_reader_left_out(tmp_path):
    events, report = gc.read_ucdp_ged(UCDP)
    folder = split_conflict(events, tmp_path / "bgd", "1989-01-01")
    result = run("events", UCDP, "--conflict", folder, "-o", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    raw = pd.read_csv(UCDP, dtype=str, keep_default_na=False)
    assert len(out) == len(raw)  # the HXL row and every event row, each once
    rows = out.iloc[1:]
    assert out.iloc[0]["id"] == "" and out.iloc[0]["year"] == "#date+year"
    assert out.iloc[0][NEW].tolist() == [""] * len(NEW)
    pd.testing.assert_frame_equal(out[raw.columns], raw)
    assert set(rows["holder"]) == {"north", "south"}
    assert (rows["imprecise"] == (rows["where_prec"].astype(int) >= 4).map(str)).all()
    assert report.rows_kept == len(rows)


def test_rows_the_reader_skips_say_why(tmp_path):
    text = ACLED.read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1]
    cells = first.split(",")
    lat = header.split(",").index("latitude")
    cells[lat] = ""
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([header, ",".join(cells), *text[2:]]) + "\n", encoding="utf-8")
    events, _ = gc.read_acled(ACLED)
    folder = split_conflict(events, tmp_path / "benin", "2022-01-01")
    result = run("events", broken, "--conflict", folder, "-o", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["reason"].iloc[0].startswith("not read: ")
    assert out["holder"].iloc[0] == "unknown" and out["front_km"].iloc[0] == ""


def test_bad_input_exits_2_with_one_line(tmp_path):
    events, _ = gc.read_acled(ACLED)
    folder = split_conflict(events, tmp_path / "benin", "2022-01-01")
    for args in (
        ["events", tmp_path / "missing.csv", "--conflict", folder, "-o", tmp_path / "o.csv"],
        ["events", ACLED, "--conflict", tmp_path / "nowhere", "-o", tmp_path / "o.csv"],
        ["events", ACLED, "--conflict", folder, "-o", tmp_path / "o.csv", "--source", "ucdp"],
    ):
        result = run(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("geoconflict: error:")
        assert len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "o.csv").exists()


def test_an_output_that_is_a_folder_is_named_in_the_error(tmp_path):
    events, _ = gc.read_acled(ACLED)
    folder = split_conflict(events, tmp_path / "benin", "2022-01-01")
    out = tmp_path / "out"
    out.mkdir()
    result = run("events", ACLED, "--conflict", folder, "-o", out)
    assert result.returncode == 2
    assert result.stderr.strip() == f"geoconflict: error: Is a directory: {out}"
    assert list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "benin",
        "out",
    ]
