"""event_context: who held each event's ground on its date, the front's distance, the nearest
place; checked against hand-computed answers, geodesic truth and real data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import geoconflict as gc

GEOD = pyproj.Geod(ellps="WGS84")


def straight_front() -> gc.Conflict:
    """West (red) and east (blue) towns at 33 N; their land meets along 36 E."""
    places = gc.make_places(["w", "e"], ["West", "East"], [35.6, 36.4], [33.0, 33.0])
    control = pd.DataFrame(
        {"place_id": ["w", "e"], "actor_id": ["red", "blue"], "date": ["2024-01-01"] * 2}
    )
    return gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["red", "blue"]}),
        control,
        boundary=shapely.box(35.0, 32.5, 37.0, 33.5),
    )


def events_at(points, dates, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime(dates), **columns},
        geometry=[shapely.Point(p) for p in points],
        crs="EPSG:4326",
    )


def test_an_event_east_of_a_straight_front_at_33n():
    out = gc.event_context(events_at([(36.2, 33.0)], ["2024-02-01"]), straight_front())
    row = out.iloc[0]
    # by hand: 0.2 degrees of longitude at 33 N on WGS 84 is 18.69 km
    assert round(row["front_km"], 2) == 18.69
    truth = GEOD.inv(36.2, 33.0, 36.0, 33.0)[2] / 1000
    assert row["front_km"] == pytest.approx(truth, rel=1e-4)
    assert (row["holder"], row["across"]) == ("blue", "red")
    assert row["place_id"] == "e"
    assert row["place_km"] == pytest.approx(GEOD.inv(36.2, 33.0, 36.4, 33.0)[2] / 1000)
    assert pd.isna(row["reason"])


def test_events_west_on_and_across_the_front():
    points = [(35.7, 33.2), (36.0, 32.9), (35.6, 33.0)]
    out = gc.event_context(events_at(points, ["2024-02-01"] * 3), straight_front())
    assert out["holder"].tolist() == ["red", "red", "red"]  # on the line: the first cell
    assert out["across"].tolist() == ["blue", "blue", "blue"]
    assert out["front_km"].iloc[1] == pytest.approx(0.0, abs=1e-5)  # within a centimetre
    # the perpendicular to the meridian runs a little north of the parallel: a few cm shorter
    assert out["front_km"].iloc[2] == pytest.approx(GEOD.inv(35.6, 33, 36, 33)[2] / 1000, rel=1e-5)


def test_reasons_for_unknown_and_missing_distances():
    c = straight_front()
    events = events_at(
        [(36.2, 33.0), (40.0, 33.0), (36.2, 33.0)], ["2023-12-31", "2024-02-01", "2024-02-01"]
    )
    out = gc.event_context(events, c)
    assert out["holder"].tolist() == ["unknown", "unknown", "blue"]
    assert out["reason"].tolist()[:2] == [
        "before the first control record",
        "outside the boundary",
    ]
    assert out["front_km"].isna().tolist() == [True, True, False]
    assert out["across"].isna().tolist() == [True, True, False]
    # one actor holds everything: no front that day
    one = pd.DataFrame({"place_id": ["e"], "actor_id": ["red"], "date": ["2024-03-01"]})
    c2 = gc.Conflict(c.places, c.actors, pd.concat([c.control, one]), boundary=c.boundary)
    out = gc.event_context(events_at([(36.2, 33.0)], ["2024-03-02"]), c2)
    assert out["holder"].iloc[0] == "red"
    assert np.isnan(out["front_km"].iloc[0]) and out["reason"].iloc[0] == "no front on that date"


def test_beyond_the_reach_of_every_town():
    out = gc.event_context(
        events_at([(36.95, 33.45)], ["2024-02-01"]), straight_front(), max_distance_km=20
    )
    assert out["holder"].iloc[0] == "unknown"
    assert out["reason"].iloc[0] == "farther than max_distance_km from every place"


def test_imprecise_locations_are_flagged():
    c = straight_front()
    acled = events_at([(36.2, 33.0)] * 3, ["2024-02-01"] * 3, geo_precision=[1, 2, 3])
    assert gc.event_context(acled, c)["imprecise"].tolist() == [False, False, True]
    ucdp = events_at([(36.2, 33.0)] * 4, ["2024-02-01"] * 4, where_prec=[1, 3, 4, 7])
    assert gc.event_context(ucdp, c)["imprecise"].tolist() == [False, False, True, True]
    plain = gc.event_context(events_at([(36.2, 33.0)], ["2024-02-01"]), c)
    assert plain["imprecise"].isna().all()  # no precision column: not known


def test_rows_order_and_index_are_kept_and_the_input_is_not_changed():
    events = events_at([(36.2, 33.0), (35.7, 33.2)], ["2024-02-01", "2024-01-05"])
    events.index = [10, 3]
    before = events.copy()
    out = gc.event_context(events, straight_front())
    assert out.index.tolist() == [10, 3] and out["holder"].tolist() == ["blue", "red"]
    pd.testing.assert_frame_equal(events, before)


def test_the_holder_changes_with_the_date(conflict):
    """The grid conflict: reb takes Bravo (36.5, 35.5) on 2024-12-05."""
    events = events_at([(36.5, 35.5), (36.5, 35.5)], ["2024-12-04", "2024-12-05"])
    out = gc.event_context(events, conflict)
    assert out["holder"].tolist() == ["gov", "reb"]
    assert out["across"].tolist() == ["reb", "gov"]
    assert out["place_id"].tolist() == ["b", "b"] and (out["place_km"] == 0).all()


def test_across_when_the_nearest_front_is_between_two_other_holders():
    places = gc.make_places(["a", "b", "c"], ["A", "B", "C"], [0.0, 1.0, 3.0], [0.0, 0.0, 0.0])
    control = pd.DataFrame(
        {"place_id": list("abc"), "actor_id": ["x", "y", "y"], "date": ["2024-01-01"] * 3}
    )
    contested = pd.DataFrame(
        {
            "place_id": ["b"],
            "actor_id": ["y"],
            "date": ["2024-01-01"],
            "status": ["contested"],
            "contested_by": ["x"],
        }
    )
    c = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["x", "y"]}),
        pd.concat([control[control.place_id != "b"], contested]),
        boundary=shapely.box(-0.5, -0.5, 3.5, 0.5),
    )
    out = gc.event_context(events_at([(2.2, 0.0), (0.2, 0.0)], ["2024-02-01"] * 2), c)
    assert out["holder"].tolist() == ["y", "x"]
    assert out["across"].tolist() == ["contested", "contested"]


def test_polygon_places_hold_their_land_and_name_the_place():
    geoms = [shapely.box(10, 10, 11, 11), shapely.box(11, 10, 12, 11)]
    places = gpd.GeoDataFrame(
        {"place_id": ["u1", "u2"], "name": ["U1", "U2"]}, geometry=geoms, crs="EPSG:4326"
    )
    control = pd.DataFrame(
        {"place_id": ["u1", "u2"], "actor_id": ["x", "y"], "date": ["2024-01-01"] * 2}
    )
    c = gc.Conflict(places, pd.DataFrame({"actor_id": ["x", "y"]}), control)
    out = gc.event_context(events_at([(10.9, 10.5), (11.5, 10.2)], ["2024-01-02"] * 2), c)
    assert out["holder"].tolist() == ["x", "y"]
    assert out["place_id"].tolist() == ["u1", "u2"] and out["place_km"].tolist() == [0, 0]
    assert out["front_km"].iloc[0] == pytest.approx(GEOD.inv(10.9, 10.5, 11, 10.5)[2] / 1000)


def pocket_conflict() -> gc.Conflict:
    """Two units side by side (u held by sdf, v by sna, their border along 11 E) and an
    airport town inside u whose own record names the government: a pocket."""
    geoms = [shapely.box(10, 10, 11, 11), shapely.box(11, 10, 12, 11)]
    units = gpd.GeoDataFrame(
        {"place_id": ["u", "v"], "name": ["U", "V"]}, geometry=geoms, crs="EPSG:4326"
    )
    town = gc.make_places(["airport"], ["Airport"], [10.5], [10.5]).reset_index()
    places = pd.concat([units, town], ignore_index=True)
    control = pd.DataFrame(
        {
            "place_id": ["u", "v", "airport", "airport"],
            "actor_id": ["sdf", "sna", "government", "sdf"],
            "date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-03-01"],
        }
    )
    actors = pd.DataFrame({"actor_id": ["government", "sdf", "sna"]})
    return gc.Conflict(places, actors, control)


def test_an_event_on_a_pocket_town_takes_the_towns_holder():
    c = pocket_conflict()
    points = [(10.5, 10.5), (10.51, 10.5), (10.5, 10.5)]
    out = gc.event_context(events_at(points, ["2024-02-01", "2024-02-01", "2024-03-02"]), c)
    # on the town's point: its own record (government), until the sdf take it on 1 Mar;
    # a kilometre off: the unit's land
    assert out["holder"].tolist() == ["government", "sdf", "sdf"]
    assert out["place_id"].tolist() == ["airport"] * 3
    # the distance and the side across are the land's: the unit's border with v, 0.5 deg east
    assert out["across"].tolist() == ["sna"] * 3
    assert out["front_km"].iloc[0] == pytest.approx(GEOD.inv(10.5, 10.5, 11, 10.5)[2] / 1000)
    # the places' own states say the same as the events on them
    snapshot = c.at("2024-02-01").places
    assert snapshot.loc["airport", "actor_id"] == "government"


def test_a_town_inside_a_unit_a_record_says_unknown_stays_unknown():
    """A record saying the unit's holder is unknown makes its land unknown, whatever the
    towns in it say: an event on the pocket town is unknown too, until the unit has an
    actor again."""
    c = pocket_conflict()
    said = pd.DataFrame({"place_id": ["u"], "actor_id": ["unknown"], "date": ["2024-01-15"]})
    c = gc.Conflict(c.places, c.actors, pd.concat([c.control, said], ignore_index=True))
    events = events_at([(10.5, 10.5)] * 2, ["2024-01-10", "2024-02-01"])
    out = gc.event_context(events, c)
    assert out["holder"].tolist() == ["government", "unknown"]
    assert out["reason"].iloc[1] == "no control record names a holder for this land"


def test_a_town_with_a_holder_on_land_without_one():
    """Town t lies 500 m outside unit u (a geocoding slip: it takes u's state) on land no
    record covers: an event on it has t's holder, no distance, and says why."""
    unit = gpd.GeoDataFrame(
        {"place_id": ["u"], "name": ["U"]}, geometry=[shapely.box(10, 10, 11, 11)], crs=4326
    )
    town = gc.make_places(["t"], ["T"], [11.0045], [10.5]).reset_index()
    places = pd.concat([unit, town], ignore_index=True)
    control = pd.DataFrame({"place_id": ["u"], "actor_id": ["sdf"], "date": ["2024-01-01"]})
    c = gc.Conflict(
        places, pd.DataFrame({"actor_id": ["sdf"]}), control, boundary=shapely.box(9, 9, 14, 12)
    )
    out = gc.event_context(events_at([(11.0045, 10.5)], ["2024-02-01"]), c)
    assert c.at("2024-02-01").places.loc["t", "actor_id"] == "sdf"
    assert out["holder"].tolist() == ["sdf"] and out["front_km"].isna().all()
    assert out["reason"].tolist() == [
        "no control record names a holder for the land around this town"
    ]


def test_unknown_land_has_no_front_distance():
    """Town c has no record, next to a red|blue front; town d's record says unknown."""
    places = gc.make_places(
        ["a", "b", "c", "d"], ["A", "B", "C", "D"], [0.0, 1.0, 2.0, -1.0], [0.0] * 4
    )
    control = pd.DataFrame(
        {
            "place_id": ["a", "b", "d"],
            "actor_id": ["red", "blue", "unknown"],
            "date": ["2024-01-01"] * 3,
        }
    )
    c = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["red", "blue"]}),
        control,
        boundary=shapely.box(-1.5, -0.5, 2.5, 0.5),
    )
    out = gc.event_context(events_at([(2.1, 0.0), (-1.1, 0.0), (0.9, 0.0)], ["2024-02-01"] * 3), c)
    assert out["holder"].tolist() == ["unknown", "unknown", "blue"]
    assert out["front_km"].isna().tolist() == [True, True, False]
    assert out["across"].isna().tolist() == [True, True, False]
    assert out["reason"].tolist()[:2] == ["no control record names a holder for this land"] * 2


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
@pytest.mark.parametrize(
    ("wkt", "message"),
    [
        ("POINT EMPTY", "geometry is empty"),
        ("POINT (500 33)", "longitude must be between -180 and 180"),
        ("POLYGON ((36 33, 36.1 33, 36.1 33.1, 36 33))", "geometry must be a Point"),
        ("MULTIPOINT ((36 33), (36.1 33))", "geometry must be a Point"),
        (None, "geometry is missing"),
    ],
)
def test_event_geometry_is_checked_whatever_the_dates_unit(unit, wkt, message):
    geom = None if wkt is None else shapely.from_wkt(wkt)
    events = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2024-02-01", "2024-02-01"]).as_unit(unit)},
        geometry=[shapely.Point(36.2, 33.0), geom],
        crs="EPSG:4326",
    )
    with pytest.raises(gc.SchemaError, match=f"row 2, column 'geometry'.*{message}"):
        gc.event_context(events, straight_front())


def test_a_table_with_longitude_and_latitude_columns_is_told_how_to_make_points():
    table = pd.DataFrame({"date": ["2024-02-01"], "Longitude": [36.2], "Latitude": [33.0]})
    with pytest.raises(gc.SchemaError, match="the points are in columns 'Longitude' and") as e:
        gc.event_context(table, straight_front())
    assert "points_from_xy(events['Longitude'], events['Latitude'])" in str(e.value)
    # doing as told works
    events = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["Longitude"], table["Latitude"]), crs=4326
    )
    assert gc.event_context(events, straight_front())["holder"].tolist() == ["blue"]


def test_imprecise_from_both_precision_columns():
    c = straight_front()
    both = events_at(
        [(36.2, 33.0)] * 4,
        ["2024-02-01"] * 4,
        geo_precision=[1, None, 3, None],
        where_prec=[None, 5, 1, None],
    )
    # precise by one column and silent in the other: False; rough by either: True
    assert gc.event_context(both, c)["imprecise"].tolist() == [False, True, True, pd.NA]


def test_conflict_method_uses_its_own_events():
    c = straight_front()
    events = events_at([(36.2, 33.0)], ["2024-02-01"])
    with_events = gc.Conflict(c.places, c.actors, c.control, boundary=c.boundary, events=events)
    assert with_events.event_context()["holder"].tolist() == ["blue"]
    assert c.event_context(events)["holder"].tolist() == ["blue"]
    with pytest.raises(gc.SchemaError, match="no events table"):
        c.event_context()


def test_continent_sized_distances_are_geodesically_right():
    """Southern South America, 30 x 25 degrees: the distances agree with the geodesic
    distance to the front sampled every few hundred metres, to 0.5 %."""
    rng = np.random.default_rng(7)
    n = 400
    lon, lat = rng.uniform(-72, -42, n), rng.uniform(-40, -15, n)
    ids = [f"p{i}" for i in range(n)]
    actor = np.where(lon + 0.4 * (lat + 27) < -57, "west", "east")
    places = gc.make_places(ids, ids, lon, lat)
    control = pd.DataFrame({"place_id": ids, "actor_id": actor, "date": "2024-01-01"})
    c = gc.Conflict(
        places,
        pd.DataFrame({"actor_id": ["west", "east"]}),
        control,
        boundary=shapely.box(-73, -41, -41, -14),
    )
    m = 150
    elon, elat = rng.uniform(-72, -42, m), rng.uniform(-40, -15, m)
    out = gc.event_context(events_at(list(zip(elon, elat, strict=True)), ["2024-02-01"] * m), c)
    # the front, densified along its straight segments in the cells' projection
    from geoconflict.territory import _cells

    built = _cells.cached_cells(c.places, c.boundary, max_distance_km=None)
    codes = np.where(actor == "west", 0, 1)[built.site_of_place.argsort()]
    front = codes[built.cell_a] != codes[built.cell_b]
    segs = built.segments[front[built.segment_edge]]
    to = pyproj.Transformer.from_crs("EPSG:4326", built.crs, always_xy=True)
    back = pyproj.Transformer.from_crs(built.crs, "EPSG:4326", always_xy=True)
    ax, ay = to.transform(segs[:, 0, 0], segs[:, 0, 1])
    bx, by = to.transform(segs[:, 1, 0], segs[:, 1, 1])
    t = np.linspace(0, 1, 200)
    px = (ax[:, None] + t * (bx - ax)[:, None]).ravel()
    py = (ay[:, None] + t * (by - ay)[:, None]).ravel()
    flon, flat = back.transform(px, py)
    truth = (
        np.array(
            [
                GEOD.inv(np.full(flon.size, x), np.full(flon.size, y), flon, flat)[2].min()
                for x, y in zip(elon, elat, strict=True)
            ]
        )
        / 1000
    )
    far = truth > 5
    error = np.abs(out["front_km"].to_numpy() - truth)[far] / truth[far]
    assert error.max() < 0.005, error.max()
    assert (out["front_km"].to_numpy() >= 0).all()


@pytest.mark.parametrize("spread", [1e-6, 1e-3, 0.1, 1.0, 5.0, 20.0, 60.0, 170.0])
def test_geodesic_km_agrees_with_pyprojs_geodesic(spread):
    """The distances the research functions give (Lambert's formula in numpy) against
    pyproj's geodesic on random pairs the world over, from centimetres to the antipode."""
    from geoconflict.analysis._land import geodesic_km

    rng = np.random.default_rng(int(spread * 1e6) % 2**32)
    n = 20_000
    lon1, lat1 = rng.uniform(-180, 180, n), rng.uniform(-89, 89, n)
    lon2 = lon1 + rng.normal(0, spread, n)
    lat2 = np.clip(lat1 + rng.normal(0, spread, n), -89.9, 89.9)
    lon2[:3], lat2[:3] = lon1[:3], lat1[:3]  # the same point: 0 km
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    km = geodesic_km(lon1, lat1, lon2, lat2)
    assert (km[:3] == 0).all()
    apart = metres > 0
    rel = np.abs(km[apart] * 1000 / metres[apart] - 1)
    assert rel.max() <= (1e-5 if spread <= 20 else 1e-3)


def test_geodesic_km_takes_scalars_and_broadcasts():
    from geoconflict.analysis._land import geodesic_km

    assert geodesic_km(36.0, 33.0, 36.2, 33.0).round(2).tolist() == [18.69]
    many = geodesic_km(np.array([36.0, 36.0]), 33.0, 36.2, np.array([33.0, 33.0]))
    assert many.round(2).tolist() == [18.69, 18.69]
