"""The declaration of the data an interactive map's page receives: every key, once.

:func:`geoconflict.maps.map_data` builds a :class:`Payload`; the page's scripts
(``maps/static/*.js``) read it. The declaration is checked both ways by the test suite
(``tests/test_maps_payload.py``): every payload built for several conflicts holds exactly the
declared keys, recursively, with values of the declared kinds; and every key the scripts read
is declared.

How the scripts read the payload (the convention the test parses):

* the payload is ``ctx.data`` (``this.data`` inside the context's methods, ``data`` where a
  script names it so); a chain of ``.key`` reads from it follows the declaration
  (``ctx.data.flows.lines.people``);
* a local name bound straight to such a chain (``var f = ctx.data.flows.lines;``) carries the
  chain's type: each ``f.key`` after it is checked as a key of :class:`FlowLines`; a name is
  bound to one part of the payload in a file;
* the interface's words are read as ``ctx.words.key`` (or through ``var W = ctx.words``) and
  checked against :func:`geoconflict.style.words`;
* a key read with brackets (``f[name]``) is left to the test of the values: keep them to
  columns named by the declaration (:data:`SPARSE_DEFAULTS`).

Columns are lists of the same length (one entry per place, flow, period...); codes index
other lists (``-1``: none). A column named in :data:`SPARSE_DEFAULTS` may be sent empty when
every entry holds its default: the page fills it back from ``defaults`` (one place says what
the defaults are: here).

Bump :data:`PAYLOAD_VERSION` when a key is added, removed or changes meaning.
"""

from typing import Literal, NotRequired, TypedDict

__all__ = [
    "PAYLOAD_VERSION",
    "SPARSE_DEFAULTS",
    "Actor",
    "AdminLines",
    "Basemap",
    "BasemapColors",
    "Changes",
    "Control",
    "Edges",
    "EncodedLines",
    "EncodedPolygons",
    "Events",
    "FlowCounts",
    "FlowLines",
    "FlowScaleData",
    "Flows",
    "Inherit",
    "Labelled",
    "Land",
    "LegendTick",
    "MapColors",
    "MergedGroups",
    "NamedLines",
    "NamedShapes",
    "Outline",
    "Payload",
    "Places",
    "Rings",
]

#: The version of this declaration (sent as ``version``).
PAYLOAD_VERSION = 3

#: Columns of :class:`FlowLines` sent empty when every flow has the default, and the default
#: the page fills in (``width_max``: ``None`` means the line's own width).
SPARSE_DEFAULTS: dict[str, object] = {
    "people_max": None,
    "width_max": None,
    "category": 0,
    "estimate": 0,
    "group": -1,
}


# ---------------------------------------------------------------------- geometry


class EncodedPolygons(TypedDict):
    """(Multi)polygons as delta-encoded integers on a grid (:func:`.encode.encode_polygons`)."""

    grid: float
    xy: list[int]
    rings: list[int]
    polys: list[int]
    geoms: list[int]


class EncodedLines(TypedDict):
    """(Multi)lines as delta-encoded integers on a grid (:func:`.encode.encode_lines`)."""

    grid: float
    xy: list[int]
    lines: list[int]
    geoms: list[int]


class Labelled(TypedDict):
    """Names and the points they are placed at."""

    name: list[str]
    lat: list[float | None]
    lon: list[float | None]


# ---------------------------------------------------------------------- actors, colours


class Actor(TypedDict):
    id: str
    name: str
    color: str


class MapColors(TypedDict):
    """The colours of the map's own marks (from :mod:`geoconflict.style.colors`)."""

    contested: str
    unknown: str
    unknown_dots: str
    front: str
    event: str
    event_edge: str
    context: str
    context_line: str
    inland: str
    boundary: str
    marker_edge: str
    unit_line: str
    changed_casing: str


# ---------------------------------------------------------------------- places, control


class Inherit(TypedDict):
    """The polygon place whose state each place shows when it has none of its own, per
    control date (``keys``): ``base`` for the first date (-1: its own or none), ``diff`` for
    each later one as ``[place, polygon, ...]`` changes; ``at`` is the key of each step."""

    at: list[int]
    base: list[int]
    diff: list[list[int]]


class Places(TypedDict):
    id: list[str]
    name: list[str]
    lat: list[float | None]
    lon: list[float | None]
    population: list[float | None]
    radius: list[float | None]
    inflow: list[float | None]
    outflow: list[float | None]
    internal: list[float | None]
    shape: list[int]
    level: list[int]
    levels: list[str]
    shapes: EncodedPolygons
    inherit: Inherit
    within: list[int]
    order: list[int]
    tier: list[int]


Control = TypedDict(
    "Control",
    {
        "place": list[int],
        "actor": list[int],
        "status": list[int],
        "by": list[int],
        "start": list[int],
        "end": list[int],
        "prev": list[int],
        "from": list[str],
        "to": list[str | None],
        "source": list[int],
        "note": list[int],
        "sources": list[str],
        "notes": list[str],
    },
)
Control.__doc__ = """Control periods (every state a place was in), sorted by their first step."""


# ---------------------------------------------------------------------- land


class Edges(TypedDict):
    a: list[int]
    b: list[int]
    km: list[float | None]
    lines: EncodedLines


class Changes(TypedDict):
    step: list[int]
    actor: list[int]
    shapes: EncodedPolygons


class Land(TypedDict):
    cells: EncodedPolygons
    area: list[float | None]
    population: list[float | None]
    keys: list[str]
    at: list[int]
    base: list[int]
    diff: list[list[int]]
    hatch: list[list[int]]
    edges: Edges
    changes: NotRequired[Changes]


# ---------------------------------------------------------------------- flows


class FlowCounts(TypedDict):
    """How many flows the table has, could be drawn, are drawn and are left out."""

    total: int
    drawable: int
    shown: int
    left_out: int
    left_out_people: float
    internal: int


class FlowLines(TypedDict):
    """The flows drawn as lines (largest first), by origin-destination ``pair``."""

    origin: list[int]
    destination: list[int]
    middle: list[int]
    pair: list[int]
    people: list[float | None]
    people_max: list[float | None]
    width: list[float | None]
    width_max: list[float | None]
    category: list[int]
    estimate: list[int]
    group: list[int]
    first: list[int]
    last: list[int]
    start: list[int]
    end: list[int]
    source: list[int]
    quality: list[int]
    qualities: list[str]
    defaults: dict[str, int | None]


class Rings(TypedDict):
    """People counted where they are (``kind="present"``): a stock held at its place from
    its step (``first``) until the next count there (``last``), drawn as a circle whose area
    follows people (``radius`` in pixels), unless ``wide`` (a count over a region: listed)."""

    place: list[int]
    people: list[float | None]
    people_max: list[float | None]
    radius: list[float | None]
    category: list[int]
    estimate: list[int]
    first: list[int]
    last: list[int]
    start: list[int]
    end: list[int]
    source: list[int]
    wide: list[int]


MergedGroups = TypedDict(
    "MergedGroups",
    {
        "below": int,
        "by": str,
        "names": list[str],
        "from": list[int],
        "to": list[int],
        "category": list[int],
        "origin": list[int],
        "destination": list[int],
        "middle": list[int],
    },
)
MergedGroups.__doc__ = """Zoomed out below ``below``, the lines between the same two groups."""


class LegendTick(TypedDict):
    people: float
    size: float


class FlowScaleData(TypedDict):
    """The one width scale of every date (pixels) and the circles' scale."""

    thinnest: float
    widest: float
    top: float
    legend: list[LegendTick]
    circle_top: float
    circle_radius: float
    circles: list[LegendTick]


class Flows(TypedDict):
    mode: Literal["active", "cumulative"]
    grid: float
    counts: FlowCounts
    lines: FlowLines
    rings: Rings
    merged: MergedGroups
    scale: FlowScaleData
    categories: list[str]
    colors: list[str]
    sources: list[str]


# ---------------------------------------------------------------------- events, outline, base


class Events(TypedDict):
    lat: list[float | None]
    lon: list[float | None]
    day: list[int]
    first: list[int]
    last: list[int]
    fatalities: list[float | None]
    event_type: list[int]
    event_type_table: list[str]
    actor1: list[int]
    actor1_table: list[str]
    actor2: list[int]
    actor2_table: list[str]
    source: list[int]
    source_table: list[str]


class Outline(TypedDict):
    boundary: NotRequired[EncodedPolygons]
    context: NotRequired[EncodedPolygons]
    context_names: NotRequired[list[str]]


class NamedShapes(TypedDict):
    shapes: EncodedPolygons
    labels: Labelled


class NamedLines(TypedDict):
    lines: EncodedLines
    labels: Labelled


class AdminLines(TypedDict):
    lines: EncodedLines


class BasemapColors(TypedDict):
    sea: str
    land: str
    inland: str
    water: str
    river: str
    admin: str
    border: str


class Basemap(TypedDict):
    credits: list[str]
    colors: BasemapColors
    countries: NotRequired[NamedShapes]
    lakes: NotRequired[NamedShapes]
    rivers: NotRequired[NamedLines]
    admin1: NotRequired[AdminLines]
    admin1_labels: NotRequired[Labelled]


# ---------------------------------------------------------------------- the whole


class Payload(TypedDict):
    """Everything the page receives (``<script type="application/json">``)."""

    version: int
    lang: str
    dir: Literal["ltr", "rtl"]
    title: str
    words: dict[str, str]
    steps: list[str]
    start: int
    start_note: str
    actors: list[Actor]
    colors: MapColors
    bounds: list[list[float]] | None
    places: Places
    control: Control
    layers: list[str]
    credits: str
    basemap: NotRequired[Basemap]
    outline: NotRequired[Outline]
    land: NotRequired[Land]
    flows: NotRequired[Flows]
    events: NotRequired[Events]
