"""Names as a person means them: a town over the unit of its name, qualifiers and p-codes for
the unit, codes without punctuation, a code falling back to the row's name, and places of one
name far apart."""

from __future__ import annotations

import pytest

import geoconflict as gc
from geoconflict.errors import UnknownPlaceError


@pytest.fixture(scope="module")
def syria():
    return gc.load_example().places


def test_a_town_wins_over_the_unit_of_its_name(syria):
    got = gc.resolve_places(
        ["Hama", "Hama sub-district", "Hama (sub-district)", "SY050100", "Homs"], syria
    )
    assert got.tolist() == ["hama", "SY050100", "SY050100", "SY050100", "homs"]


def test_ambiguous_names_raise_or_coerce():
    places = gc.make_places(
        ["a1", "a2", "b"], ["Alpha", "Alpha", "Bravo"], [30.0, 38.0, 31.0], [48.0, 48.0, 49.0]
    )
    with pytest.raises(UnknownPlaceError, match="'Alpha' is ambiguous: it matches a1.*a2"):
        gc.resolve_places(["Alpha"], places)
    got = gc.resolve_places(["Alpha", "Bravo", "Nowhere"], places, errors="coerce")
    assert got.isna().tolist() == [True, False, True]


def test_codes_compare_without_punctuation_or_case(tmp_path):
    # geoBoundaries writes UA-71 (ISO 3166-2), OCHA and IOM UA71 for Cherkasy oblast
    oblasts = gc.make_places(
        ["UA-71", "UA-63"], ["Cherkasy Oblast", "Kharkiv Oblast"], [31.9, 36.5], [49.2, 49.6]
    )
    path = tmp_path / "flows.csv"
    path.write_text("origin,destination,start,people\nua63,UA71,2024-08-31,100\n")
    flows = gc.read_flows(path, places=oblasts)
    assert flows[["origin", "destination"]].values.tolist() == [["UA-63", "UA-71"]]


def test_an_unknown_code_falls_back_to_the_rows_name(tmp_path):
    # IOM DTM codes Kyiv city "Temp03"; the row also names it
    places = gc.make_places(
        ["UA-30", "UA-63"], ["Kyiv City", "Kharkivska"], [30.52, 36.5], [50.45, 49.6]
    )
    path = tmp_path / "idps.csv"
    path.write_text(
        "Date,Oblast,Oblast pcode,IDPs\n"
        "#date+reported,#adm1+name,#adm1+code,#affected+idp+ind\n"
        "2024-08-31,Kyiv City,Temp03,353000\n"
        "2024-08-31,Kharkivska,UA63,467000\n"
        "2024-08-31,Atlantis,XX99,5\n"
    )
    flows, report = gc.read_hxl(path, kind="flows", places=places)
    assert flows["destination"].tolist() == ["UA-30", "UA-63"]
    entries = report.entries.set_index("row")
    assert entries.loc[2, "action"] == "kept"
    assert "found by its name in 'Oblast'" in entries.loc[2, "reason"]
    assert entries.loc[4, "action"] == "skipped"


def test_places_of_one_name_far_apart_stay_two_places(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text(
        "Village,Governorate,Latitude,Longitude\n"
        "#loc+name,#adm1+name,#geo+lat,#geo+lon\n"
        "Al Qusayr,Homs,34.51,36.58\n"
        "Al Qusayr,Al-Hasakeh,36.9,41.9\n"  # about 560 km away: another village
        "al qusayr,Homs,34.512,36.581\n"  # the first again, spelled in lower case
        "Tell Abyad,Raqqa,36.69,38.95\n"
        "Tell abyad,Aleppo,33.0,43.0\n"  # case only, far apart: two places, not an error
    )
    places, report = gc.read_hxl(path)
    assert places.index.tolist() == [
        "Al Qusayr",
        "Al Qusayr (Al-Hasakeh)",
        "Tell Abyad",
        "Tell abyad (Aleppo)",
    ]
    entries = report.entries.set_index("row")
    assert "repeats an earlier row's place" in entries.loc[4, "reason"]
    assert "more than 5 km away" in entries.loc[3, "reason"]


def test_a_blank_governorate_leaves_the_distance_to_decide(tmp_path):
    # a blank #adm1 cell in a group of repeated names raised TypeError (pandas' NA)
    path = tmp_path / "villages.csv"
    path.write_text(
        "Village,Governorate,Latitude,Longitude\n"
        "#loc+name,#adm1+name,#geo+lat,#geo+lon\n"
        "Al Qusayr,Homs,34.51,36.58\n"
        "Al Qusayr,,34.512,36.581\n"  # the same village, its governorate not given
        "Al Qusayr,,36.9,41.9\n"  # far away: another village
    )
    places, _ = gc.read_hxl(path)
    assert places.index.tolist() == ["Al Qusayr", "Al Qusayr (2)"]
