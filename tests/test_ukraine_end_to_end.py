"""A second war end to end: Ukraine 2022-2025 from the public files in ../shared, built with
the library alone, checked against dated facts and IOM's own figures.

The build below is the recipe of the "Your own war" guide (docs/site/guides/your-own-war.md).
Every statement that is not a library call is marked ``# glue:`` with why the library should
not do it; ``test_the_build_needs_little_glue`` counts them.

Facts checked (the dates of the snapshots around each event; DeepStateMap publishes a map a
day, the archive here keeps the first of each month):

- Kherson: occupied from 2 March 2022, liberated on 11 November 2022
  (https://en.wikipedia.org/wiki/Russian_occupation_of_Kherson ;
  https://www.reuters.com/world/europe/ukrainian-troops-enter-kherson-city-after-russian-retreat-2022-11-11/).
- Bakhmut: taken by Russian forces on 20 May 2023, held since
  (https://en.wikipedia.org/wiki/Battle_of_Bakhmut).
- Avdiivka: Ukrainian forces withdrew on 17 February 2024
  (https://en.wikipedia.org/wiki/Battle_of_Avdiivka_(2023%E2%80%932024)).
- Lysychansk: taken by Russian forces on 2-3 July 2022
  (https://en.wikipedia.org/wiki/Battle_of_Lysychansk).
- Mariupol: taken by Russian forces on 20 May 2022 (the Azovstal garrison's surrender), held
  since (https://en.wikipedia.org/wiki/Siege_of_Mariupol).
- Kyiv, Kharkiv, Dnipro: held by Ukraine throughout.
- IOM DTM Ukraine rounds 17-20 (the workbooks in ../shared): Kharkivska 467,000 IDPs present
  on 31 Aug 2024 and 463,000 on 30 Apr 2025; Dnipropetrovska 588,000 and Kyiv city 370,000 on
  30 Apr 2025.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import once_per_run

import geoconflict as gc

UKRAINE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ukraine_2022_2025"
pytestmark = pytest.mark.skipif(
    not UKRAINE.exists(), reason="needs ../shared/data/ukraine_2022_2025"
)

#: simplemaps' old world cities file has no header row; its columns, from its SOURCE.txt
SIMPLEMAPS = ["city", "city_ascii", "lat", "lng", "country", "iso2", "iso3", "admin_name"]
SIMPLEMAPS += ["capital", "population", "id"]


def build(folder: Path) -> tuple[gc.Conflict, dict]:
    """The Ukraine conflict from the files as published (the guide's recipe)."""
    towns = gc.read_places(
        folder / "towns" / "worldcities_simplemaps_basic.csv",
        names=SIMPLEMAPS,
        id="id",
        name="city_ascii",
        x="lng",
        y="lat",
    )
    # glue: the file is the world; which country is mapped is the user's choice
    towns = towns[towns["country"] == "Ukraine"]
    oblasts = gc.places_from_admin(
        folder / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson",
        id="shapeISO",
        name="shapeName",
    )
    # glue: geoBoundaries numbers Chernivtsi oblast UA-77 where OCHA and IOM write UA73; no
    # rule links two coding systems, the user knows which code is which
    oblasts.loc["UA-77", "pcode"] = "UA73"
    raions = gc.places_from_admin(
        folder / "boundaries" / "geoBoundaries-UKR-ADM2_simplified.geojson"
    )
    # glue: which layers make the map (towns, oblasts, raions) is the user's choice
    places = pd.concat([towns, oblasts, raions])
    countries = gc.read_boundary(folder / "naturalearth" / "ne_50m_admin_0_countries.json")
    # glue: the land the map covers is the user's choice: here the oblasts (Crimea included)
    # less the sea their coastal polygons hold, cut by Natural Earth's land outlines
    land = oblasts.union_all().intersection(countries.union_all())
    snapshots = gc.read_control_polygons(folder / "deepstate")
    # glue: DeepStateMap's feature names are its own vocabulary (Ukrainian and English,
    # changing over the years); saying which means whom is the user's reading of the source
    words = snapshots["name"].fillna("").str.lower()
    # glue: (the same reading, as actor ids)
    snapshots["actor_id"] = np.select(
        [
            words.str.contains("невідом|unknown|contest|contens|під питанням"),
            words.str.contains("звільн|liberated|taken back|dismissed|recaptured"),
            words.str.contains("окупов|occupied|occupation|зайнят|cadr|ordlo|орд|crimea|tuzla"),
        ],
        ["unknown", "ukraine", "russia"],
        None,
    )
    control, control_report = gc.control_from_polygons(
        places,
        snapshots,
        outside="ukraine",
        boundary=land,
        source="DeepStateMap (deepstatemap.live), monthly archive",
    )
    flows = pd.concat(
        [
            gc.read_hxl(path, kind="flows", places=oblasts)[0]
            for path in sorted((folder / "iom").glob("idp-estimates-r*_publish.xlsx"))
        ],
        ignore_index=True,
    )
    # glue: IOM publishes these as estimates ("Estimated de facto IDPs present"); how sure a
    # figure is is the source's statement, which the user carries over
    flows["quality"] = "estimate"
    # glue: who the actors are and their colours are the user's
    actors = pd.DataFrame(
        {
            "actor_id": ["ukraine", "russia"],
            "name": ["Ukraine", "Russian forces"],
            "color": ["#1f5fbf", "#c0392b"],
        }
    )
    conflict = gc.Conflict(
        places,
        actors,
        control,
        flows,
        boundary=gpd.GeoDataFrame(geometry=[land], crs=4326),
        title="Ukraine 2022-2025",
    )
    return conflict, {"control": control_report}


@pytest.fixture(scope="session")
def ukraine(tmp_path_factory):
    """Built once per test run (a module's fixture is built again each time a process comes
    back to the module's tests, as pytest-xdist hands tests out when they finish)."""
    return once_per_run(tmp_path_factory, "ukraine_end_to_end", lambda: build(UKRAINE))


def _holder(conflict: gc.Conflict, name: str, when: str) -> str:
    towns = conflict.places[conflict.places.geom_type == "Point"]
    ids = towns.index[towns["name"] == name]
    assert len(ids) == 1, f"{name}: {list(ids)}"
    state = gc.control_at(conflict.control, when, places=ids)
    return str(state["actor_id"].iloc[0])


@pytest.mark.parametrize(
    ("town", "when", "holder"),
    [
        ("Kherson", "2022-11-01", "russia"),
        ("Kherson", "2022-12-01", "ukraine"),
        ("Bakhmut", "2022-12-01", "ukraine"),
        ("Bakhmut", "2023-06-01", "russia"),
        ("Bakhmut", "2025-04-01", "russia"),
        ("Avdiivka", "2024-01-01", "ukraine"),
        ("Avdiivka", "2024-03-01", "russia"),
        ("Lysychansk", "2022-06-01", "ukraine"),
        ("Lysychansk", "2022-08-01", "russia"),
        ("Mariupol", "2022-06-01", "russia"),
        ("Mariupol", "2025-04-01", "russia"),
        ("Kyiv", "2022-04-03", "ukraine"),
        ("Kharkiv", "2024-06-01", "ukraine"),
        ("Dnipro", "2025-04-01", "ukraine"),
        # a port whose point lies just off Natural Earth's coarse coast (the boundary)
        ("Skadovs'k", "2024-12-01", "russia"),
    ],
)
def test_cities_on_both_sides_on_known_dates(ukraine, town, when, holder):
    conflict, _ = ukraine
    assert _holder(conflict, town, when) == holder


def test_units_take_the_share_the_source_drew(ukraine):
    conflict, reports = ukraine
    oblasts = conflict.places[conflict.places["level"] == "admin1"]
    state = gc.control_at(conflict.control, "2024-06-01", places=oblasts.index)
    by_name = state.assign(name=oblasts["name"].reindex(state.index)).set_index("name")
    assert by_name.loc["Lviv Oblast", "actor_id"] == "ukraine"
    assert by_name.loc["Luhansk Oblast", "actor_id"] == "russia"  # almost all occupied
    shares = conflict.control.set_index("place_id")["share"]
    assert shares.dropna().between(0, 1).all()
    report = reports["control"]
    assert any("outside the boundary dropped" in n for n in report.notes)  # Karelia, ...


def test_districts_drawn_off_the_coast_get_no_holder(ukraine):
    # geoBoundaries' simplified raions put two of Sevastopol's districts in the sea (centres
    # near 33.12 E 44.36 N and 33.45 E 44.40 N, wholly off Natural Earth's land): no snapshot
    # covers them, and the default holder must not take them (a blue patch off Sevastopol)
    conflict, reports = ukraine
    raions = conflict.places[conflict.places["level"] == "admin2"]
    offshore = raions.index[raions["name"].isin(["Gagarin", "Leninskyi"])]
    assert len(offshore) == 2
    assert not conflict.control["place_id"].isin(offshore).any()
    note = next(n for n in reports["control"].notes if "wholly outside the boundary" in n)
    assert "Gagarin" in note and "Leninskyi" in note


def test_present_counts_are_iom_figures_not_sums(ukraine):
    conflict, _ = ukraine
    flows = conflict.flows
    assert (flows["kind"] == "present").all() and flows["origin"].isna().all()
    kharkiv = gc.present_counts(flows, ["2024-09-01", "2025-05-01"]).loc["UA-63"]
    assert kharkiv.tolist() == [467000.0, 463000.0]
    latest = gc.present_counts(flows)["people"]
    assert latest["UA-12"] == 588000.0  # Dnipropetrovska, round 20
    assert latest["UA-30"] == 370000.0  # Kyiv city, coded Temp03 by IOM: found by name
    assert latest["UA-77"] == 52000.0  # Chernivetska, IOM's UA73
    totals = conflict.place_totals()
    assert totals.loc["UA-63", "present"] == 463000.0  # not 1,818,000 (four rounds added)


def test_the_build_needs_little_glue():
    source = textwrap.dedent(inspect.getsource(build))
    glue = [line for line in source.splitlines() if line.strip().startswith("# glue:")]
    tree = ast.parse(source).body[0]
    statements = [s for s in tree.body if not isinstance(s, ast.Expr)]  # not the docstring
    library = [s for s in statements if "gc." in ast.unparse(s)]
    assert len(glue) == 8 and len(statements) - len(library) <= len(glue) + 1


def test_iom_round_17_swaps_kyiv_codes_and_the_reader_says_so():
    # IOM's round-17 workbook codes the row "Kyiv" (the city) UA32, Kyiv oblast's p-code,
    # and "Kyivska" (the oblast) UA80, the city's: the reader keeps the code and says so
    oblasts = gc.places_from_admin(
        UKRAINE / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson",
        id="shapeISO",
        name="shapeName",
    )
    _, report = gc.read_hxl(
        UKRAINE / "iom" / "idp-estimates-r17_publish.xlsx", kind="flows", places=oblasts
    )
    flagged = report.entries[report.entries["reason"].str.contains("are different places")]
    assert flagged["value"].tolist() == ["UA32 (name Kyiv)"]
