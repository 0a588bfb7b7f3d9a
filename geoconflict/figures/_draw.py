"""The layers of a static map, bottom to top: context, territories, outline, frontlines,
flows, places, labels.

matplotlib is optional: it is imported inside the functions that draw.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from .._kinds import is_polygonal
from .._schema import ACTOR_ID, DESTINATION, NAME, ORIGIN, PEOPLE, POPULATION, QUALITY, STATUS
from ..errors import DataWarning
from ..flows import active_flows, flow_lines
from ..style import (
    BASE_COLORS,
    CONTESTED_COLOR,
    FLOW_COLORS,
    FRONT_COLOR,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    FlowScale,
    display_names,
    label_order,
    largest_line,
    optional_names,
)
from ..territory._holders import CONTESTED_CODE, contested_sides, holders_at
from ..territory._land import land_cells
from ..territory._setting import LandSetting
from ._common import CONTEXT_COLOR, FILL_ALPHA, OUTLINE_COLOR, plain
from ._geometry import add_polygons, boundary_lines, line_parts, line_segments
from ._labels import place_labels
from ._timeline import moved_flows

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Flow line widths in points: the thinnest and the widest (the largest flow of any date).
FLOW_POINTS = (0.6, 4.0)
PEOPLE_MAX = "people_max"
LEVEL = "level"
CATEGORY = "category"
KIND = "kind"
CONTESTED = "contested"
#: Outlines of admin units: the coarsest level drawn boldest.
UNIT_LINES = ((0.7, "#7a7a7a"), (0.35, "#9a9a9a"), (0.2, "#b4b4b4"))


def draw_context(
    ax: Axes,
    conflict,
    view: shapely.Geometry,
    *,
    labels: bool,
    lang: str = "en",
    land: bool = False,
) -> None:
    """The conflict's neighbours (``context``): light grey, or, over a base map's countries
    (``land``), in the base map's land colour with its borders; named unless ``labels`` is
    false."""
    if conflict.context is None or conflict.context.empty:
        return
    geoms = shapely.intersection(conflict.context.geometry.to_numpy(), view)
    keep = ~shapely.is_empty(geoms)
    add_polygons(
        ax,
        geoms[keep],
        facecolors=[BASE_COLORS["land"] if land else CONTEXT_COLOR] * int(keep.sum()),
        edgecolor=BASE_COLORS["border"] if land else "white",
        linewidth=0.5 if land else 0.6,
        zorder=0.5,
    )
    if not labels or NAME not in conflict.context.columns:
        return
    import matplotlib.patheffects as pe  # optional dependency

    x0, y0, x1, y1 = view.bounds
    names = np.asarray(optional_names(conflict.context, lang), dtype=object)[keep]
    for geom, name in zip(geoms[keep], names, strict=True):
        parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
        if name is None or not parts:
            continue
        largest = max(parts, key=shapely.area)
        point = polylabel(largest, tolerance=(y1 - y0) / 200)  # the most inland point
        if point.distance(largest.exterior) < 0.03 * (y1 - y0):
            continue  # too narrow a strip for a name
        ax.text(
            point.x,
            point.y,
            plain(name),
            fontsize=7,
            color="#8a8a8a",
            style="italic",
            ha="center",
            va="center",
            zorder=0.6,
            clip_on=True,
            gid="context-name",
            path_effects=[pe.withStroke(linewidth=2, foreground="white")],
        )


def contested_land(
    conflict, date: pd.Timestamp, land: LandSetting
) -> list[tuple[str, str | None, shapely.Geometry]]:
    """Contested land on ``date``, by its two sides: ``(holder, challenger, land)``, the
    challenger ``None`` where the data names none (as the interactive map hatches it)."""
    with warnings.catch_warnings():  # places left out: said once by territories()
        warnings.simplefilter("ignore", DataWarning)
        built = land_cells(conflict, land, dates=pd.DatetimeIndex([date]))
    codes = holders_at(conflict, built, pd.DatetimeIndex([date]))[:, 0]
    cells = np.flatnonzero(codes == CONTESTED_CODE)
    if not cells.size:
        return []
    sides = np.asarray(contested_sides(conflict, built, date, cells), dtype=np.int64).reshape(
        -1, 3
    )
    actors = np.asarray(conflict.actors.index.astype(str), dtype=object)
    geoms = np.asarray(built.geometry, dtype=object)
    out = []
    pairs = pd.DataFrame({"cell": sides[:, 0], "a": sides[:, 1], "b": sides[:, 2]})
    for (a, b), rows in pairs.groupby(["a", "b"], sort=True):  # a few pairs of sides
        shape = shapely.union_all(geoms[rows["cell"].to_numpy()])
        out.append(
            (str(actors[a]) if a >= 0 else "unknown", str(actors[b]) if b >= 0 else None, shape)
        )
    return out


def draw_territories(
    ax: Axes,
    territory: pd.DataFrame,
    colors: dict[str, str],
    contested: Sequence[tuple[str, str | None, shapely.Geometry]] = (),
) -> None:
    """Each holder's land in its colour (pale); contested land in the holder's colour
    hatched in the challenger's (the interactive map's hatching), land beyond every place's
    reach white and hatched grey."""
    from matplotlib.colors import to_rgba  # optional dependency

    labels = territory[ACTOR_ID].astype(str).tolist()
    geoms = territory.geometry.to_numpy()
    hatched = bool(contested)
    filled = [
        i for i, a in enumerate(labels) if a != "no_data" and not (hatched and a == CONTESTED)
    ]
    faces = [to_rgba(colors.get(labels[i], UNKNOWN_COLOR), FILL_ALPHA) for i in filled]
    add_polygons(ax, geoms[filled], facecolors=faces, edgecolor="none", linewidth=0, zorder=1)
    for holder, challenger, shape in contested:
        add_polygons(
            ax,
            [shape],
            facecolors=[to_rgba(colors.get(holder, CONTESTED_COLOR), FILL_ALPHA)],
            edgecolor="none",
            linewidth=0,
            zorder=1,
        )
        add_polygons(
            ax,
            [shape],
            facecolors=["none"],
            edgecolor=colors.get(challenger or "", CONTESTED_COLOR),
            linewidth=0.0,
            zorder=1.05,
            hatch="////",
            gid="contested-hatch",
        )
    empty = [i for i, a in enumerate(labels) if a == "no_data"]
    if empty:
        add_polygons(
            ax,
            geoms[empty],
            facecolors=["white"],
            edgecolor="#bbbbbb",
            linewidth=0.0,
            zorder=1,
            hatch="////",
        )


def draw_units(ax: Axes, snapshot: pd.DataFrame) -> None:
    """Admin units (polygon places other than zones) as outlines, the coarsest level the
    boldest: their land is filled by the territories, and a unit is never drawn as a dot."""
    from matplotlib.collections import LineCollection  # optional dependency

    geoms = snapshot.geometry.to_numpy()
    unit = is_polygonal(geoms)
    levels = (
        snapshot[LEVEL].astype("string").fillna("").to_numpy(dtype=object)
        if LEVEL in snapshot.columns
        else np.full(len(snapshot), "", dtype=object)
    )
    unit &= levels != "zone"
    if not unit.any():
        return
    rank = pd.Series(levels[unit]).str.extract(r"^admin(\d)$")[0].astype(float).fillna(9.0)
    for k, level in enumerate(np.unique(rank.to_numpy())):
        width, color = UNIT_LINES[min(k, len(UNIT_LINES) - 1)]
        parts = line_parts(shapely.boundary(geoms[unit][rank.to_numpy() == level]))
        if parts:
            lines = LineCollection(
                parts, colors=color, linewidths=width, zorder=2.5 - 0.01 * k, gid="unit-outline"
            )
            ax.add_collection(lines, autolim=False)


def draw_outline(ax: Axes, geometry: shapely.Geometry) -> None:
    from matplotlib.collections import LineCollection  # optional dependency

    ax.add_collection(
        LineCollection(boundary_lines(geometry), colors=OUTLINE_COLOR, linewidths=0.7, zorder=2),
        autolim=False,
    )


def draw_frontlines(ax: Axes, front: pd.DataFrame) -> bool:
    import matplotlib.patheffects as pe  # optional dependency
    from matplotlib.collections import LineCollection  # optional dependency

    segments, _ = line_segments(front.geometry.to_numpy())
    if not segments:
        return False
    lines = LineCollection(
        segments, colors=FRONT_COLOR, linewidths=1.8, zorder=3, capstyle="round", joinstyle="round"
    )
    lines.set_path_effects([pe.withStroke(linewidth=3.4, foreground="white")])
    ax.add_collection(lines, autolim=False)
    return True


def _movements(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows from one place to another (not ``present`` counts, not within one place): the
    rows the animation's change detection looks at too (:func:`._timeline.moved_flows`)."""
    return flows[moved_flows(flows)]


def _pairs(flows: pd.DataFrame) -> pd.DataFrame:
    """People per origin, destination (and category): the lower and upper figures, and
    whether any figure summed is an estimate."""
    people = flows[PEOPLE].astype(float)
    upper = (
        pd.to_numeric(flows[PEOPLE_MAX], errors="coerce").fillna(people)
        if PEOPLE_MAX in flows.columns
        else people
    )
    estimate = (
        (flows[QUALITY].astype("string") == "estimate").fillna(False)
        if QUALITY in flows.columns
        else pd.Series(False, index=flows.index)
    )
    category = (
        flows[CATEGORY].astype("string").fillna("internal")
        if CATEGORY in flows.columns
        else "internal"
    )
    frame = pd.DataFrame(
        {
            ORIGIN: flows[ORIGIN].astype(str),
            DESTINATION: flows[DESTINATION].astype(str),
            CATEGORY: category,
            PEOPLE: people,
            PEOPLE_MAX: upper,
            "estimate": estimate.astype(bool),
        }
    )
    return (
        frame.groupby([ORIGIN, DESTINATION, CATEGORY], sort=False)
        .agg(people=(PEOPLE, "sum"), people_max=(PEOPLE_MAX, "sum"), estimate=("estimate", "max"))
        .reset_index()
    )


def flow_scale(conflict) -> FlowScale:
    """One width scale for every date: the largest total between two places, all dates.

    In either mode a pair's people at a date never exceed its total over every date, so
    the widest line means the same on every panel of a set of figures.
    """
    flows = conflict.flows
    top = 0.0
    if flows is not None and len(flows):
        pairs = _pairs(_movements(flows))
        if len(pairs):  # one line per pair, as wide as its total over every date
            on_every_date = np.zeros(len(pairs), dtype=np.int64)
            top = largest_line(
                np.arange(len(pairs)),
                on_every_date,
                on_every_date,
                pairs[[PEOPLE, PEOPLE_MAX]].max(axis=1).to_numpy(dtype=float),
            )
    return FlowScale(top, thinnest=FLOW_POINTS[0], widest=FLOW_POINTS[1])


def flow_pairs(conflict, when: pd.Timestamp, mode: str, max_flows: int) -> pd.DataFrame:
    """The pairs of places whose flows a map at ``when`` draws, the largest first (an
    empty frame when none)."""
    flows = conflict.flows
    if flows is None or flows.empty:
        return pd.DataFrame(columns=[ORIGIN, DESTINATION, CATEGORY, PEOPLE])
    chosen = _movements(active_flows(flows, when, cumulative=(mode == "cumulative")))
    if chosen.empty:
        return pd.DataFrame(columns=[ORIGIN, DESTINATION, CATEGORY, PEOPLE])
    return _pairs(chosen).sort_values(PEOPLE, ascending=False).head(max_flows)


def _grown(lines: pd.DataFrame, grow: dict[tuple[str, str, str], float]) -> pd.DataFrame:
    """The flow lines of ``grow``'s pairs cut to a share of their length from the origin."""
    keys = zip(lines[ORIGIN], lines[DESTINATION], lines[CATEGORY], strict=True)
    share = np.array([grow.get(key, 1.0) for key in keys], dtype=float)  # max_flows lines
    part = np.flatnonzero(share < 1.0)
    if not part.size:
        return lines
    geoms = lines.geometry.to_numpy().copy()
    for i in part:  # a few starting flows
        n = max(len(shapely.get_coordinates(geoms[i])), 2)
        along = np.linspace(0.0, max(share[i], 1e-6), n)
        geoms[i] = shapely.linestrings(
            shapely.get_coordinates(
                shapely.line_interpolate_point(geoms[i], along, normalized=True)
            )
        )
    return lines.set_geometry(geoms, crs=lines.crs)


def draw_flows(
    ax: Axes,
    conflict,
    when: pd.Timestamp,
    mode: str,
    max_flows: int,
    scale: FlowScale,
    *,
    grow: dict[tuple[str, str, str], float] | None = None,
) -> list[str]:
    """Flow lines (width by people on ``scale``, colour by category, dashed estimates, a
    pale wider line for the upper end of a range); returns the categories drawn.

    ``grow`` draws the lines of some (origin, destination, category) pairs only part of the
    way from their origin (a share of their length), as an animation shows a flow begin.
    """
    from matplotlib.collections import LineCollection  # optional dependency

    if conflict.flows is None or conflict.flows.empty:
        return []
    pairs = flow_pairs(conflict, when, mode, max_flows)
    if pairs.empty:
        return []
    lines = flow_lines(pairs, conflict.places)
    if grow:
        lines = _grown(lines, grow)
    people = lines[PEOPLE].to_numpy(dtype=float)
    upper = lines[PEOPLE_MAX].to_numpy(dtype=float)
    widths, wide = scale.width(people), scale.width(upper)
    color = lines[CATEGORY].map(FLOW_COLORS).fillna(FLOW_COLORS["internal"]).to_numpy()
    dashed = lines["estimate"].to_numpy(dtype=bool)
    segments, rows = line_segments(lines.geometry.to_numpy())
    if not segments:
        return []
    tips = [xy[-2:] for xy in segments]
    segments = [xy[:-1] for xy in segments]  # the arrowhead draws the last stretch
    order = np.argsort(-people[rows], kind="stable")[::-1]  # thin lines on top
    segments = [segments[i] for i in order]
    tips = [tips[i] for i in order]
    rows = rows[order]
    ranged = upper[rows] > people[rows]
    if ranged.any():
        ax.add_collection(
            LineCollection(
                [s for s, r in zip(segments, ranged, strict=True) if r],
                colors=list(color[rows][ranged]),
                alpha=0.25,
                linewidths=wide[rows][ranged],
                zorder=3.9,
                capstyle="butt",
            ),
            autolim=False,
        )
    ax.add_collection(
        LineCollection(
            segments,
            colors=list(color[rows]),
            alpha=0.8,
            linewidths=widths[rows],
            zorder=4,
            capstyle="butt",
            linestyles=[(0, (3, 1.5)) if d else "solid" for d in dashed[rows]],
        ),
        autolim=False,
    )
    for xy, row in zip(tips, rows, strict=True):  # at most max_flows arrowheads
        length, width = 3.5 + 1.3 * widths[row], 1.6 + 0.9 * widths[row]  # points
        ax.annotate(
            "",
            xy=xy[-1],
            xytext=xy[-2],
            zorder=4.1,
            arrowprops={
                "arrowstyle": f"-|>,head_length={length:.2f},head_width={width:.2f}",
                "mutation_scale": 1,
                "color": color[row],
                "alpha": 0.9,
                "linewidth": 0,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
    return list(dict.fromkeys(lines[CATEGORY].astype(str)))


def place_sizes(snapshot: pd.DataFrame) -> np.ndarray:
    """Each place's dot size (points², by population; towns without one still show)."""
    size = np.full(len(snapshot), 14.0)
    if POPULATION in snapshot.columns:
        pop = pd.to_numeric(snapshot[POPULATION], errors="coerce").to_numpy(dtype=float)
        points = shapely.get_type_id(snapshot.geometry.to_numpy()) == 0
        top = np.nanmax(pop[points]) if np.isfinite(pop[points]).any() else 0.0
        if top > 0:
            size = np.where(
                np.isfinite(pop), 14.0 + 66.0 * np.sqrt(np.minimum(pop / top, 1.0)), 14.0
            )
    return size


def draw_places(
    ax: Axes, snapshot: pd.DataFrame, colors: dict[str, str], lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Point places as dots in their holder's colour, sized by population (polygon places
    are their land and outline, never a dot); returns which rows were drawn."""
    holder = snapshot[ACTOR_ID].astype("string")
    status = (
        snapshot[STATUS].astype("string")
        if STATUS in snapshot.columns
        else pd.Series(pd.NA, index=snapshot.index, dtype="string")
    )
    face = holder.map(colors).fillna(UNKNOWN_COLOR).to_numpy(dtype=object)
    face[(status == "contested").fillna(False).to_numpy()] = CONTESTED_COLOR
    size = place_sizes(snapshot)
    points = (shapely.get_type_id(snapshot.geometry.to_numpy()) == 0) & np.isfinite(lon)
    order = np.argsort(-size, kind="stable")  # small dots on top
    ok = points[order]
    ax.scatter(
        lon[order][ok],
        lat[order][ok],
        s=size[order][ok],
        c=list(face[order][ok]),
        edgecolors="#222222",
        linewidths=0.5,
        zorder=5,
        gid="places",
    )
    return points


def draw_zones(ax: Axes, snapshot: pd.DataFrame, colors: dict[str, str]) -> None:
    """Declared zones (polygon places of level ``zone``, such as a deconfliction zone)
    outlined in their holder's colour, so the zone reads as a zone and not only as land."""
    from matplotlib.collections import LineCollection  # optional dependency

    if LEVEL not in snapshot.columns:
        return
    zone = (snapshot[LEVEL].astype("string") == "zone").fillna(False).to_numpy(dtype=bool)
    zone &= is_polygonal(snapshot.geometry.to_numpy())
    if not zone.any():
        return
    holder = snapshot[ACTOR_ID].astype("string").map(colors).fillna(UNKNOWN_COLOR)
    segments, rows = line_segments(shapely.boundary(snapshot.geometry.to_numpy()[zone]))
    ax.add_collection(
        LineCollection(
            segments, colors=list(holder.to_numpy()[zone][rows]), linewidths=1.6, zorder=4.5
        ),
        autolim=False,
    )


def draw_labels(
    ax: Axes,
    snapshot: pd.DataFrame,
    lon: np.ndarray,
    lat: np.ndarray,
    count: int,
    lang: str,
    *,
    rtl: bool,
) -> None:
    """Name up to ``count`` places, in the maps' label order (seat, population, name),
    towns first, each where it overlaps no other name (see :mod:`._labels`); the names of
    the base map and the neighbours give way to them."""
    others = [t for t in ax.texts if (t.get_gid() or "").endswith("-name")]
    fixed = [t for t in ax.texts if t.get_gid() == "present-count-number"]
    if count <= 0 or snapshot.empty:
        if others:
            place_labels(ax, [], np.array([]), np.array([]), radii=np.array([]), rtl=rtl,
                         others=others, fixed=fixed)  # fmt: skip
        return
    names = display_names(snapshot, lang)
    order = label_order(snapshot, lang)
    # towns first: an admin unit or a zone is drawn as its shape
    is_point = shapely.get_type_id(snapshot.geometry.to_numpy())[order] == 0
    order = np.r_[order[is_point], order[~is_point]]
    chosen = order[np.isfinite(lon[order]) & np.isfinite(lat[order])][: 3 * count]
    radii = np.where(
        shapely.get_type_id(snapshot.geometry.to_numpy())[chosen] == 0,
        np.sqrt(place_sizes(snapshot)[chosen]) / 2.0,
        0.0,
    )
    place_labels(
        ax,
        [plain(names.iloc[i]) for i in chosen],
        lon[chosen],
        lat[chosen],
        radii=radii,
        rtl=rtl,
        color=TEXT_COLOR,
        limit=count,
        others=others,
        fixed=fixed,
    )
