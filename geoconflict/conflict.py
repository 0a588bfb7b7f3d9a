"""The ``Conflict`` container: the tables that belong together, checked once.

Its methods only call the public functions; everything they do can be done with plain
tables too. It sits above the functions it calls (territories, maps, files), which take it
as an argument without importing it; the readers of whole datasets return plain tables and
:meth:`Conflict.from_tables` builds the container (see :mod:`geoconflict.read`).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field, fields

import geopandas as gpd
import numpy as np
import pandas as pd

from . import analysis, territory
from ._forward import method_of
from ._schema import ACTOR_ID, COLOR, DATE, END, NAME, PEOPLE, POPULATION, START
from ._tables import default_actors, validate_tables
from ._time import to_timestamp
from .control import control_at, control_changes
from .errors import DataWarning, GeoconflictError, SchemaError
from .flows import active_flows, flow_lines, place_totals
from .io.exports import export_layers
from .io.folder import save_conflict
from .io.geojson import to_geojson
from .io.gpkg import to_gpkg
from .maps import explore
from .palette import UNKNOWN_COLOR, actor_colors
from .territory import places_at
from .territory._land import has_land
from .territory._setting import LandSetting, land_setting

__all__ = ["Conflict", "Snapshot"]


@dataclass(frozen=True, eq=False, repr=False)
class Conflict:
    """Places, actors, control records and (optionally) flows, boundary and events.

    Every table is validated and the ids cross-checked once, here. The tables are
    validated copies: the ones passed in are not changed. Treat them as read-only: a
    conflict keeps what it derives from them (the cells of its land, per land setting and
    dates). To change a table, build a new conflict, e.g.
    ``dataclasses.replace(conflict, control=new_control)`` (validated again).

    Parameters
    ----------
    places : GeoDataFrame
        Indexed (or with a column) ``place_id``; ``name``, ``geometry``.
    actors : DataFrame
        Indexed (or with a column) ``actor_id``; ``name``, ``color``.
    control : DataFrame
        ``place_id``, ``actor_id``, ``date`` ...
    flows : DataFrame, optional
        ``origin``, ``destination``, ``start``, ``people`` ...; a conflict without flow
        data is valid.
    boundary : GeoDataFrame, optional
        The area territories fill.
    events : GeoDataFrame, optional
        Dated points (ACLED / UCDP style) for context.
    context : GeoDataFrame, optional
        Outlines drawn around the boundary for orientation (neighbouring countries).
    zones : GeoDataFrame, optional
        Dated control polygons (``date``, ``actor_id``, optional ``status``,
        ``contested_by``, ``source``; (Multi)Polygons): the land as a source drew it, one
        snapshot per date, holding until the next. With zones the territories, frontlines,
        summaries, maps and figures show the land the zones draw, not land derived from the
        places; the places keep their own control records.
    title : str, optional
        Shown in maps and summaries.

    Examples
    --------
    >>> import pandas as pd
    >>> from geoconflict.places import make_places
    >>> places = make_places(["hama", "homs"], ["Hama", "Homs"], [36.75, 36.72], [35.13, 34.73])
    >>> control = pd.DataFrame({"place_id": ["hama", "homs", "hama"],
    ...     "actor_id": ["government", "government", "hts"],
    ...     "date": ["2024-11-26", "2024-11-26", "2024-12-05"]})
    >>> actors = pd.DataFrame({"actor_id": ["government", "hts"]})
    >>> c = Conflict(places, actors, control)
    >>> c.at("2024-12-05").places["actor_id"].tolist()
    ['hts', 'government']
    """

    places: gpd.GeoDataFrame
    actors: pd.DataFrame
    control: pd.DataFrame
    flows: pd.DataFrame | None = None
    _: KW_ONLY
    boundary: gpd.GeoDataFrame | None = None
    events: gpd.GeoDataFrame | None = None
    context: gpd.GeoDataFrame | None = None
    zones: gpd.GeoDataFrame | None = None
    title: str = "conflict"
    household_size: float | None = field(default=None)

    def __post_init__(self) -> None:
        checked = validate_tables(
            places=self.places,
            actors=self.actors,
            control=self.control,
            flows=self.flows,
            boundary=self.boundary,
            events=self.events,
            context=self.context,
            zones=self.zones,
            household_size=self.household_size,
        )
        for name, table in checked.items():
            object.__setattr__(self, name, table)
        object.__setattr__(self, "title", str(self.title))

    def _copy(self) -> Conflict:
        """A copy holding copies of these tables, not validated again (they were, here)."""
        twin = object.__new__(Conflict)
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, pd.DataFrame):
                value = value.copy()
            object.__setattr__(twin, spec.name, value)
        return twin

    @classmethod
    def from_tables(
        cls,
        tables: Mapping[str, pd.DataFrame | None],
        *,
        title: str = "conflict",
        household_size: float | None = None,
    ) -> Conflict:
        """A Conflict from tables by name (``places``, ``actors``, ``control``, ``flows``,
        ``events``, ``boundary``, ``context``, ``zones``), as the readers of whole datasets
        return them.

        Without ``actors``, the actors are the ids found in ``control``.

        Examples
        --------
        >>> import pandas as pd
        >>> from geoconflict.places import make_places
        >>> c = Conflict.from_tables({
        ...     "places": make_places(["hama"], ["Hama"], [36.75], [35.13]),
        ...     "control": pd.DataFrame({"place_id": ["hama"], "actor_id": ["hts"],
        ...                              "date": ["2024-12-05"]})}, title="Hama")
        >>> c.actors.index.tolist(), c.title
        (['hts'], 'Hama')
        """
        missing = [name for name in ("places", "control") if tables.get(name) is None]
        if missing:
            raise SchemaError(
                f"Conflict.from_tables: no {' or '.join(missing)} table; got "
                f"{sorted(k for k, v in tables.items() if v is not None)}. "
                "Fix: every conflict needs places and control."
            )
        actors = tables.get("actors")
        if actors is None:
            actors = default_actors(tables["control"])
        return cls(
            tables["places"],
            actors,
            tables["control"],
            tables.get("flows"),
            boundary=tables.get("boundary"),
            events=tables.get("events"),
            context=tables.get("context"),
            zones=tables.get("zones"),
            title=title,
            household_size=household_size,
        )

    # -------------------------------------------------------------- facts about the data
    @property
    def dates(self) -> pd.DatetimeIndex:
        """The distinct dates of control records, sorted."""
        return pd.DatetimeIndex(np.unique(self.control[DATE].to_numpy()), name=DATE)

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last date of any control record or flow."""
        parts = [self.control[DATE]]
        if self.flows is not None:
            parts += [self.flows[START], self.flows[END]]
        dates = pd.concat(parts).dropna()
        if dates.empty:
            return None
        return dates.min(), dates.max()

    def actor_colors(self) -> dict[str, str]:
        """Colour of each actor: its own, or a distinct colour-blind-safe one."""
        return actor_colors(self.actors)

    # -------------------------------------------------------------- queries
    def at(
        self,
        when: object,
        *,
        max_distance_km: float | str | None = None,
        boundary: object = None,
    ) -> Snapshot:
        """The state at a date: who holds each place, and the flows under way / so far.

        ``max_distance_km`` and ``boundary`` are the land setting of
        :meth:`Snapshot.summary`'s area and population, as for
        :func:`geoconflict.territories`.
        """
        ts = to_timestamp(when)
        land = land_setting(max_distance_km=max_distance_km, boundary=boundary)
        flows = self.flows
        return Snapshot(
            date=ts,
            places=places_at(self, ts),
            flows_active=None if flows is None else active_flows(flows, ts),
            flows_cumulative=None if flows is None else active_flows(flows, ts, cumulative=True),
            conflict=self,
            land=land,
        )

    def control_at(self, when: object) -> pd.DataFrame:
        """:func:`geoconflict.control_at` for every place of this conflict."""
        return control_at(self.control, when, places=self.places)

    def control_changes(self, *, start: object = None, end: object = None) -> pd.DataFrame:
        """:func:`geoconflict.control_changes` of this conflict's control records."""
        return control_changes(self.control, start=start, end=end)

    def place_totals(self, *, until: object = None) -> pd.DataFrame:
        """:func:`geoconflict.place_totals` over every place of this conflict."""
        if self.flows is None:
            return place_totals(_empty_flows(), places=self.places)
        return place_totals(self.flows, until=until, places=self.places)

    def flow_lines(self, *, curvature: float = 0.12, points: int = 24) -> gpd.GeoDataFrame:
        """:func:`geoconflict.flow_lines` for this conflict's flows."""
        return flow_lines(
            self.flows if self.flows is not None else _empty_flows(),
            self.places,
            curvature=curvature,
            points=points,
        )

    def event_context(
        self,
        events: gpd.GeoDataFrame | None = None,
        *,
        max_distance_km: float | str | None = None,
        boundary: object = None,
    ) -> gpd.GeoDataFrame:
        """:func:`geoconflict.event_context` of ``events`` (default: this conflict's own
        ``events``) on this conflict's land."""
        if events is None:
            if self.events is None:
                raise SchemaError(
                    "Conflict.event_context: this conflict has no events table. Fix: pass "
                    "events (e.g. gc.read_acled(path)[0])."
                )
            events = self.events
        return analysis.event_context(
            events, self, max_distance_km=max_distance_km, boundary=boundary
        )

    # -------------------------------------------------------------- derived layers, maps
    # Each method is the public function itself, with the conflict as its first argument:
    # its options, defaults and documentation are the function's (see geoconflict._forward).
    territories = method_of(territory.territories)
    frontlines = method_of(territory.frontlines)
    territory_changes = method_of(territory.territory_changes)
    control_summary = method_of(territory.control_summary)
    control_panel = method_of(analysis.control_panel)
    front_exposure = method_of(analysis.front_exposure)
    flows_by_control = method_of(analysis.flows_by_control)
    explore = method_of(explore)
    export_layers = method_of(export_layers)

    # -------------------------------------------------------------- files
    save = method_of(save_conflict)
    to_gpkg = method_of(to_gpkg)
    to_geojson = method_of(to_geojson)

    # -------------------------------------------------------------- display
    def __repr__(self) -> str:
        period = self.period
        span = "no dates" if period is None else (f"{period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d}")
        flows = 0 if self.flows is None else len(self.flows)
        return (
            f"<Conflict {self.title!r}: {len(self.places)} places, {len(self.actors)} "
            f"actors, {len(self.control)} control records, {flows} flows, {span}>"
        )

    def _repr_html_(self) -> str:
        period = self.period
        span = "no dates" if period is None else (f"{period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d}")
        flows = 0 if self.flows is None else len(self.flows)
        people = 0.0 if self.flows is None else float(self.flows[PEOPLE].sum())
        colors = self.actor_colors()
        table = pd.DataFrame(
            {
                "actor_id": list(colors),
                "name": self.actors[NAME].astype(str).reindex(list(colors)),
                COLOR: list(colors.values()),
                "places": 0,
                "contested": 0,
            }
        )
        if period is not None:  # every actor, with what it holds on the last date
            held = self.at(period[1]).summary().set_index("actor_id")
            table = table.set_index("actor_id")
            table.update(held[["places", "contested"]])
            table = table.reset_index()
        rows = _summary_rows(table)
        return (
            "<div class='geoconflict-summary'>"
            f"<strong>{html.escape(self.title)}</strong> "
            f"<span>{html.escape(span)}</span><br>"
            f"{len(self.places)} places, {len(self.control)} control records, "
            f"{flows} flows ({people:,.0f} people)"
            "<table><thead><tr><th></th><th>actor</th><th>name</th>"
            f"<th>places held on {'' if not period else f'{period[1]:%Y-%m-%d}'}</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>"
        )


def _summary_rows(table: pd.DataFrame) -> str:
    """Table rows (swatch, actor id, name, places held) with every text escaped."""
    return "".join(
        f"<tr><td>{_swatch(r.color)}</td><td>{html.escape(str(r.actor_id))}</td>"
        f"<td>{html.escape(str(r.name))}</td><td style='text-align:right'>{int(r.places)}"
        f"{f' ({int(r.contested)} contested)' if r.contested else ''}</td></tr>"
        for r in table.itertuples()
    )


def _swatch(color: str) -> str:
    return (
        f"<span style='display:inline-block;width:1em;height:1em;"
        f"background:{html.escape(color)}'></span>"
    )


def _empty_flows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": pd.Series(dtype="string"),
            "destination": pd.Series(dtype="string"),
            "start": pd.Series(dtype="datetime64[ns]"),
            "end": pd.Series(dtype="datetime64[ns]"),
            "people": pd.Series(dtype=float),
        }
    )


@dataclass(frozen=True, eq=False, repr=False)
class Snapshot:
    """The state of a conflict at one date.

    Attributes
    ----------
    date : Timestamp
    places : GeoDataFrame
        Every place with ``actor_id``, ``status``, ``contested_by`` and ``since``
        (missing where the controller is unknown). A point place with no record of its
        own takes the state of the smallest polygon place around it that has one, and
        ``state_from`` names that polygon place.
    flows_active : DataFrame or None
        Flows under way on ``date``.
    flows_cumulative : DataFrame or None
        Flows begun on or before ``date``.
    conflict : Conflict
    land : LandSetting
        The land setting of :meth:`summary`'s area and population.
    """

    date: pd.Timestamp
    places: gpd.GeoDataFrame
    flows_active: pd.DataFrame | None
    flows_cumulative: pd.DataFrame | None
    conflict: Conflict
    land: LandSetting = field(default_factory=LandSetting)

    def summary(self) -> pd.DataFrame:
        """Places held per actor (and unknown), how many of them are contested, with each
        actor's name and colour; and, when the conflict has land to fill (a boundary or
        polygon places), the area (km², equal-area) and population of the land each holds,
        as :func:`geoconflict.territories` gives them (missing otherwise)."""
        holder = self.places[ACTOR_ID].fillna("unknown")
        counts = holder.value_counts()
        contested = holder[(self.places["status"] == "contested").fillna(False)].value_counts()
        colors = self.conflict.actor_colors()
        names = self.conflict.actors[NAME].astype(str).to_dict()
        land = self._land()
        held = set(counts.index) | set(land.index[land["area_km2"] > 0])
        ids = [a for a in colors if a in held] + (["unknown"] if "unknown" in held else [])
        return pd.DataFrame(
            {
                "actor_id": ids,
                "name": [names.get(a, "controller unknown") for a in ids],
                COLOR: [colors.get(a, UNKNOWN_COLOR) for a in ids],
                "places": [int(counts.get(a, 0)) for a in ids],
                "contested": [int(contested.get(a, 0)) for a in ids],
                "area_km2": land["area_km2"].reindex(ids).to_numpy(dtype=float),
                POPULATION: land[POPULATION].reindex(ids).to_numpy(dtype=float),
            }
        )

    def _land(self) -> pd.DataFrame:
        """Area and population per label on this date (empty without land to fill)."""
        c = self.conflict
        if not has_land(c, self.land):
            return pd.DataFrame({"area_km2": [], POPULATION: []}, index=pd.Index([]))
        try:
            with warnings.catch_warnings():  # places left out: named by territories() itself
                warnings.simplefilter("ignore", DataWarning)
                land = territory.territories(
                    c,
                    self.date,
                    max_distance_km=self.land.max_distance_km,
                    boundary=self.land.boundary,
                )
        except GeoconflictError:  # no land to fill (e.g. no place inside the boundary)
            return pd.DataFrame({"area_km2": [], POPULATION: []}, index=pd.Index([]))
        return land.set_index(ACTOR_ID)[["area_km2", POPULATION]]

    def __repr__(self) -> str:
        return f"<Snapshot of {self.conflict.title!r} on {self.date:%Y-%m-%d}>"

    def _repr_html_(self) -> str:
        rows = _summary_rows(self.summary())
        people = (
            0.0 if self.flows_cumulative is None else float(self.flows_cumulative[PEOPLE].sum())
        )
        return (
            f"<div class='geoconflict-snapshot'><strong>{html.escape(self.conflict.title)}"
            f"</strong> on {self.date:%Y-%m-%d}<br>{people:,.0f} people displaced so far"
            "<table><thead><tr><th></th><th>actor</th><th>name</th><th>places</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
