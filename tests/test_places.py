"""Name resolution: ids, names, aliases, Arabic names and transliterations."""

from __future__ import annotations

import pandas as pd
import pytest

import geoconflict as gc
from geoconflict.places import fold_name, make_places, place_points, skeleton


@pytest.fixture
def syrian_places():
    return make_places(
        ["khan-shaykhun", "hama", "homs", "maarat-al-numan", "deir-ez-zor", "raqqa"],
        ["Khan Shaykhun", "Hama", "Homs", "Maarat al-Numan", "Deir ez-Zor", "Raqqa"],
        [36.64, 36.75, 36.72, 36.67, 40.14, 39.01],
        [35.44, 35.13, 34.73, 35.65, 35.34, 35.95],
        name_ar=["خان شيخون", "حماة", "حمص", "معرة النعمان", "دير الزور", "الرقة"],
        aliases=["Khan Sheikhun", "Hamah", "Hims", "Ma'arrat an-Nu'man", None, "Ar Raqqah"],
        pcode=[None, "C3987", None, None, None, None],
    )


@pytest.mark.parametrize(
    "name",
    [
        "Khan Shaykhun",
        "Khan Sheikhoun",
        "Khan Shaykhoun",
        "khan-sheikhoun",
        "KHAN SHAYKHUN",
        "خان شيخون",
        "khan-shaykhun",
    ],
)
def test_khan_shaykhun_spellings(syrian_places, name):
    assert gc.resolve_places([name], syrian_places).tolist() == ["khan-shaykhun"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ḩamāh", "hama"),
        ("HAMA", "hama"),
        ("حماه", "hama"),
        ("Hims", "homs"),
        ("Homs", "homs"),
        ("Maarat al Numan", "maarat-al-numan"),
        ("Ma'arrat al-Nu'man", "maarat-al-numan"),
        ("Dayr az Zawr", "deir-ez-zor"),
        ("Deir el-Zor", "deir-ez-zor"),
        ("Deir-ez-Zor", "deir-ez-zor"),
        ("Raqqah", "raqqa"),
        ("الرقة", "raqqa"),
        ("رقة", "raqqa"),
        ("C3987", "hama"),
        ("c3987", "hama"),
    ],
)
def test_variants(syrian_places, name, expected):
    assert gc.resolve_places([name], syrian_places).tolist() == [expected]


def test_unknown_name_lists_three_closest(syrian_places):
    with pytest.raises(
        gc.UnknownPlaceError,
        match=r"unknown place 'Homz City'; closest known "
        r"names: 'Homs', .*, .*\. Fix: correct the name",
    ) as err:
        gc.resolve_places(["Hama", "Homz City"], syrian_places)
    assert len(err.value.suggestions) == 3
    assert err.value.name == "Homz City"


def test_ambiguous_name_is_an_error():
    places = make_places(
        ["suran-hama", "suran-aleppo"], ["Suran", "Suran"], [36.7, 37.2], [35.3, 36.4]
    )
    with pytest.raises(
        gc.UnknownPlaceError,
        match=r"place name 'Suran' is ambiguous: it "
        r"matches suran-aleppo \(Suran\), suran-hama \(Suran\)\. Fix: use the "
        r"place id",
    ):
        gc.resolve_places(["Suran"], places)


def test_coerce_gives_missing_values(syrian_places):
    out = gc.resolve_places(["Hama", "Atlantis", None], syrian_places, errors="coerce")
    assert out.iloc[0] == "hama"
    assert out.iloc[1:].isna().all()


def test_bad_errors_option(syrian_places):
    with pytest.raises(ValueError, match=r"errors must be 'raise' or 'coerce'"):
        gc.resolve_places(["Hama"], syrian_places, errors="ignore")


def test_fold_and_skeleton():
    assert fold_name("Ḩamāh") == "hamah"
    assert skeleton("Afrin") != skeleton("Frin")
    assert skeleton("Idleb") == skeleton("Idlib")


def test_place_points_of_polygons():
    import geopandas as gpd
    import shapely

    places = gpd.GeoDataFrame(
        {"name": ["Z"]},
        geometry=[shapely.box(36, 35, 37, 36)],
        index=pd.Index(["z"], name="place_id"),
        crs="EPSG:4326",
    )
    lon, lat = place_points(places)
    assert shapely.box(36, 35, 37, 36).contains(shapely.Point(lon[0], lat[0]))
