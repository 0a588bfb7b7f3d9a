"""A conflict that is not Syria, built from the public files in ../shared/data/ukraine_2022_2025.

Places: the 316 simplemaps towns of Ukraine (points), the 495 geoBoundaries raions and the 27
oblasts (polygons, ``level_name`` "raion" and "oblast" as the user gives them; their coastal
polygons cut back to the land). Control: who holds each place on the first DeepStateMap map
of a month, INFERRED from the map's polygons by this helper (not by the sources): a town
inside an "occupied" polygon (occupied since 2022, ORDLO / CADR and CALR, Crimea) is held by
Russia, inside a "contested" one (Під питанням) is contested, else held by Ukraine; a raion
or an oblast is held by Russia when half of its land or more lies in occupied polygons. The
land the map fills (the boundary) is the oblasts' outline less the sea, as Natural Earth
draws the coast (with a few km of slack). Used by tests and pictures only; the DeepStateMap
files are never copied into the project. Tests that use it skip when the folder is absent.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geoconflict as gc

FOLDER = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine_2022_2025"
DEEPSTATE = FOLDER / "deepstate"
ADM1 = FOLDER / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson"
ADM2 = FOLDER / "boundaries" / "geoBoundaries-UKR-ADM2_simplified.geojson"
TOWNS = FOLDER / "towns" / "worldcities_simplemaps_basic.csv"
NATURAL_EARTH = FOLDER / "naturalearth"

#: DeepStateMap polygon names read as held by Russia (Ukrainian or the geoJSON key).
OCCUPIED = re.compile(
    r"Окуповано|Окупований Крим|ОРДЛО|Тузла|status\.occupied|territories\.(?:crimea|ordlo|tuzla)"
)
CONTESTED = re.compile(r"Під питанням|Contested|Contensed")
TOWN_COLUMNS = [
    "city",
    "city_ascii",
    "lat",
    "lng",
    "country",
    "iso2",
    "iso3",
    "admin_name",
    "capital",
    "population",
    "id",
]
#: The towns' Ukrainian names, as Ukraine's own spelling (Cyrillic) of the largest cities.
TOWNS_UK = {
    "Kyiv": "Київ",
    "Kharkiv": "Харків",
    "Odesa": "Одеса",
    "Dnipro": "Дніпро",
    "Donetsk": "Донецьк",
    "Zaporizhzhia": "Запоріжжя",
    "Lviv": "Львів",
    "Mykolaiv": "Миколаїв",
    "Mariupol": "Маріуполь",
    "Luhansk": "Луганськ",
    "Kherson": "Херсон",
    "Sevastopol": "Севастополь",
    "Simferopol": "Сімферополь",
    "Chernihiv": "Чернігів",
    "Sumy": "Суми",
    "Poltava": "Полтава",
    "Vinnytsia": "Вінниця",
    "Zhytomyr": "Житомир",
    "Cherkasy": "Черкаси",
    "Kryvyy Rih": "Кривий Ріг",
}
#: Neighbours' and rivers' Ukrainian names, for the base map (Natural Earth 1:50m has none).
BASE_UK = {
    "Poland": "Польща",
    "Belarus": "Білорусь",
    "Russia": "Росія",
    "Moldova": "Молдова",
    "Romania": "Румунія",
    "Hungary": "Угорщина",
    "Slovakia": "Словаччина",
    "Bulgaria": "Болгарія",
    "Turkey": "Туреччина",
    "Dnipro": "Дніпро",
    "Dniester": "Дністер",
    "Danube": "Дунай",
    "Don": "Дон",
    "Desna": "Десна",
    "Southern Bug": "Південний Буг",
}


def available() -> bool:
    return DEEPSTATE.is_dir() and ADM1.exists() and ADM2.exists() and TOWNS.exists()


def map_dates() -> list[tuple[pd.Timestamp, Path]]:
    """Each DeepStateMap file and the day it was published (UTC)."""
    files = sorted(DEEPSTATE.glob("*.geojson"), key=lambda p: int(p.stem))
    return [(pd.Timestamp(int(p.stem), unit="s").normalize(), p) for p in files]


def _read(path: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return gpd.read_file(path)


@functools.cache
def outline() -> shapely.Geometry:
    """Ukraine's land: the geoBoundaries oblasts (whose coastal polygons take in some sea)
    less the sea, as Natural Earth's countries draw the coast."""
    oblasts = shapely.make_valid(shapely.union_all(_read(ADM1).geometry.to_numpy()))
    countries = _read(NATURAL_EARTH / "ne_50m_admin_0_countries.json").geometry.to_numpy()
    near = countries[shapely.intersects(countries, oblasts)]
    land = shapely.union_all(shapely.make_valid(near))
    # 1:50m coasts are coarse: a few km of slack keeps coastal towns on land
    return shapely.intersection(oblasts, shapely.buffer(land, 0.06))


def _held(path: Path) -> tuple[shapely.Geometry, shapely.Geometry]:
    """The occupied and the contested land of one map, inside Ukraine."""
    frame = _read(path)
    geoms = frame.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    names = frame["name"].fillna("").astype(str)
    occupied = polygonal & names.str.contains(OCCUPIED).to_numpy()
    contested = polygonal & names.str.contains(CONTESTED).to_numpy()
    land = outline()
    parts = []
    for mask in (occupied, contested):
        fixed = shapely.make_valid(geoms[mask])
        parts.append(shapely.intersection(shapely.union_all(fixed), land))
    return parts[0], parts[1]


def towns() -> gpd.GeoDataFrame:
    table = pd.read_csv(TOWNS, header=None, names=TOWN_COLUMNS)
    table = table[table["iso2"] == "UA"].reset_index(drop=True)
    seat = table["capital"].map({"primary": 0, "admin": 1, "minor": 2})
    return gpd.GeoDataFrame(
        {
            "place_id": "t" + table["id"].astype(str),
            "name": table["city_ascii"],
            "name_uk": table["city_ascii"].map(TOWNS_UK),
            "admin1": table["admin_name"],
            "population": table["population"],
            "seat": seat,
            "level": "town",
        },
        geometry=gpd.points_from_xy(table["lng"], table["lat"]),
        crs="EPSG:4326",
    )


def units() -> gpd.GeoDataFrame:
    """Oblasts and raions as polygon places (named as geoBoundaries names them), their
    coastal polygons cut back to the land (they take in some sea)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.DataWarning)  # repaired rings, said by the reader
        oblasts = gc.places_from_admin(ADM1, level_name={"en": "oblast", "uk": "область"})
        raions = gc.places_from_admin(ADM2, level_name={"en": "raion", "uk": "район"})
    both = pd.concat([oblasts, raions])
    land = shapely.intersection(both.geometry.to_numpy(), outline())
    land = np.array([shapely.union_all(p[np.isin(shapely.get_type_id(p), (3, 6))])
                     for p in map(shapely.get_parts, land)], dtype=object)  # fmt: skip
    both = both.set_geometry(gpd.GeoSeries(land, index=both.index, crs=both.crs))
    return both[~shapely.is_empty(land)]  # a raion of sea alone (at 1:50m) is left out


@functools.cache
def _conflict(months: tuple[int, ...], with_units: bool) -> gc.Conflict:
    dated = map_dates()
    chosen = [dated[i] for i in months]
    places = towns()
    if with_units:
        places = pd.concat([places.set_index("place_id"), units()]).reset_index(names="place_id")
    geoms = places.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    land = shapely.intersection(geoms, outline())  # units' land, without the sea
    area = shapely.area(land)
    rows = []
    for day, path in chosen:
        occupied, contested = _held(path)
        shapely.prepare(occupied)
        held = np.where(
            is_point,
            shapely.contains(occupied, geoms),
            shapely.area(shapely.intersection(land, occupied)) >= 0.5 * area,
        )
        disputed = is_point & shapely.contains(contested, geoms) & ~held
        rows.append(
            pd.DataFrame(
                {
                    "place_id": places["place_id"],
                    "actor_id": np.where(held, "russia", "ukraine"),
                    "date": day,
                    "status": np.where(disputed, "contested", "held"),
                    "contested_by": np.where(disputed, "russia", None),
                    "source": "https://deepstatemap.live (INFERRED from the map's polygons)",
                }
            )
        )
    control = pd.concat(rows, ignore_index=True)
    actors = pd.DataFrame(
        {
            "actor_id": ["ukraine", "russia"],
            "name": ["Ukraine", "Russia"],
            "name_uk": ["Україна", "Росія"],
            "color": ["#0072b2", "#d55e00"],
        }
    )
    boundary = gpd.GeoDataFrame(geometry=[outline()], crs="EPSG:4326")
    return gc.Conflict(places, actors, control, boundary=boundary, title="Ukraine")


def conflict(months: tuple[int, ...] = (30, 31, 32), *, units: bool = True) -> gc.Conflict:
    """The Ukraine conflict on the maps of ``months`` (positions in :func:`map_dates`)."""
    return _conflict(tuple(months), units)


def basemap() -> gc.Basemap:
    """A base map from the Natural Earth 1:50m layers (as they come, with the Ukrainian
    names of the neighbours and rivers added) and the geoBoundaries oblasts."""
    countries = _read(NATURAL_EARTH / "ne_50m_admin_0_countries.json")
    rivers = _read(NATURAL_EARTH / "ne_50m_rivers_lake_centerlines.json")
    countries["name_uk"] = countries["NAME"].map(BASE_UK)
    rivers["name_uk"] = rivers["name"].map(BASE_UK)
    return gc.make_basemap(
        countries=countries,
        lakes=NATURAL_EARTH / "ne_50m_lakes.json",
        rivers=rivers,
        admin1=ADM1,
        credits=("Natural Earth", "geoBoundaries, CC BY 4.0"),
        name="Ukraine",
    )
