"""Static figures for papers and reports: a map at a date, small multiples, control over time.

matplotlib is an optional dependency (``pip install 'geoconflict[plot]'``), imported inside
the functions that draw. Maps are drawn in longitude / latitude with the aspect ratio of an
equirectangular projection at the data's mean latitude (``1 / cos(latitude)``): near the data,
shapes and distances are true to within a few percent, without a cartopy dependency. The
scale bar is measured on the WGS 84 ellipsoid at its own latitude.

Every colour is the actor's own (:meth:`~geoconflict.Conflict.actor_colors`), the same as in
the interactive maps. Text from data is drawn as plain text (a ``$`` never starts
matplotlib's math mode).
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import shapely

from ._atomic import atomic_path
from ._schema import ACTOR_ID, DESTINATION, NAME, NAME_AR, ORIGIN, PEOPLE, POPULATION, STATUS
from ._time import to_timestamp, to_timestamps
from .errors import GeoconflictError
from .palette import CONTESTED_COLOR, UNKNOWN_COLOR
from .places import place_points
from .progress import progress as progress_bar

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FigureOptionError",
    "attribution",
    "plot_control_over_time",
    "plot_map",
    "plot_small_multiples",
    "save_figure",
]

#: File formats :func:`save_figure` writes, by suffix.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
MEASURES = {"area": "area_km2", "population": POPULATION, "places": "places"}
_TERRITORY_OPTIONS = ("method", "max_distance_km", "radius_km", "boundary")
_FILL_ALPHA = 0.45
_FLOW_COLOR = "#3d3d3d"
_FRONT_COLOR = "#111111"
_CONTEXT_COLOR = "#eeeeee"
_OUTLINE_COLOR = "#555555"
_TEXT_COLOR = "#222222"
_NOTE_COLOR = "#555555"
_MAX_SOURCES = 4

_WORDS = {
    "en": {
        "frontline": "Frontline", "displaced": "{n} people displaced",
        "contested": "contested", "unknown": "controller unknown", "no_data": "no data",
        "area": "Area held (km²)", "population": "Population of places held",
        "places": "Places held", "percent": "Share of {what} (%)",
        "area_short": "area", "population_short": "population", "places_short": "places",
        "sources": "Sources", "places_src": "Places", "outlines": "Outlines",
        "control": "Control", "displacement": "Displacement", "events": "Events",
        "more": "and {n} more", "km": "km", "north": "N",
    },
    "ar": {
        "frontline": "خط الجبهة", "displaced": "{n} نازح",
        "contested": "متنازع عليها", "unknown": "الجهة المسيطرة غير معروفة",
        "no_data": "لا بيانات", "area": "المساحة المسيطر عليها (كم²)",
        "population": "سكان الأماكن المسيطر عليها", "places": "الأماكن المسيطر عليها",
        "percent": "نسبة {what} (٪)", "area_short": "المساحة", "population_short": "السكان",
        "places_short": "الأماكن", "sources": "المصادر", "places_src": "الأماكن",
        "outlines": "الحدود", "control": "السيطرة", "displacement": "النزوح",
        "events": "الأحداث", "more": "{n} أخرى", "km": "كم", "north": "ش",
    },
}

#: Providers named in ``source`` columns, shown by a short name in the attribution line.
_KNOWN_SOURCES = (
    ("geonames", "GeoNames"), ("natural earth", "Natural Earth"),
    ("openstreetmap", "OpenStreetMap contributors"), ("acled", "ACLED"), ("ucdp", "UCDP"),
    ("wikipedia", "Wikipedia"), ("dtm", "IOM DTM"), ("reliefweb", "ReliefWeb"),
    ("unocha", "OCHA"), ("humdata", "HDX"),
)


class FigureOptionError(GeoconflictError, ValueError):
    """An option of a figure function is not understood or out of range."""


# --------------------------------------------------------------------------- helpers


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is in the test extras
        raise ImportError("static figures need matplotlib. Fix: pip install "
                          "'geoconflict[plot]' (or pip install matplotlib).") from exc
    return plt


def _words(lang: str) -> dict[str, str]:
    if lang not in _WORDS:
        raise FigureOptionError(f"lang must be one of {list(_WORDS)}, got {lang!r}.")
    return _WORDS[lang]


def _plain(text: object) -> str:
    """Data text as matplotlib draws it literally: ``$`` would start math mode."""
    return str(text).replace("$", r"\$")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False,
                                   break_on_hyphens=False)) or text


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _nice(value: float) -> float:
    """The largest of 1, 2, 5 x 10^k not above ``value``."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return max(step * power for step in (1, 2, 5) if step * power <= value)


def _check_options(options: dict) -> dict:
    unknown = sorted(set(options) - set(_TERRITORY_OPTIONS))
    if unknown:
        raise FigureOptionError(f"unknown option(s) {unknown}; the territory options are "
                                f"{list(_TERRITORY_OPTIONS)} (as for geoconflict.territories).")
    return options


def _label_colors(conflict) -> dict[str, str]:
    colors = dict(conflict.actor_colors())
    colors.update(contested=CONTESTED_COLOR, unknown=UNKNOWN_COLOR)
    return colors


def _names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The names drawn for a table's rows: ``name_ar`` where present in Arabic, else ``name``."""
    names = frame[NAME].astype(str)
    if lang == "ar" and NAME_AR in frame.columns:
        names = frame[NAME_AR].astype("string").fillna(names).astype(str)
    return names


def _label_names(conflict, lang: str) -> dict[str, str]:
    words = _words(lang)
    out = {str(k): v for k, v in _names(conflict.actors, lang).items()}
    out.update(contested=words["contested"], unknown=words["unknown"],
               no_data=words["no_data"])
    return out


def _when(conflict, when: object) -> pd.Timestamp:
    if when is not None:
        return to_timestamp(when)
    period = conflict.period
    if period is None:
        raise FigureOptionError("the conflict has no dates, so there is no default date. "
                                "Fix: pass when='YYYY-MM-DD'.")
    return period[1]


def _date_text(when: pd.Timestamp, lang: str) -> str:
    return f"{when:%Y-%m-%d}" if lang == "ar" else f"{when.day} {when:%B %Y}"


# --------------------------------------------------------------------------- geometry


def _polygon_path(geom: shapely.Geometry):
    """A matplotlib Path for a (Multi)Polygon, holes included."""
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            vertices.append(xy)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO),
                               MplPath.CLOSEPOLY])
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes).astype(np.uint8))


def _add_polygons(ax: Axes, geoms: Iterable, *, facecolors: list, edgecolor: object,
                  linewidth: float, zorder: float, hatch: str | None = None) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.patches import PathPatch

    paths, faces = [], []
    for geom, face in zip(geoms, facecolors, strict=True):
        path = None if geom is None else _polygon_path(geom)
        if path is not None:
            paths.append(path)
            faces.append(face)
    if not paths:
        return
    if hatch is None:
        # PathCollection draws each path with its own transform-free vertices.
        collection = PathCollection(paths, facecolors=faces, edgecolors=edgecolor,
                                    linewidths=linewidth, zorder=zorder,
                                    transform=ax.transData)
        collection.set_sizes(None)
        ax.add_collection(collection, autolim=False)
    else:
        for path, face in zip(paths, faces, strict=True):
            ax.add_patch(PathPatch(path, facecolor=face, edgecolor=edgecolor, hatch=hatch,
                                   linewidth=linewidth, zorder=zorder))


def _line_segments(geoms: Iterable) -> tuple[list[np.ndarray], np.ndarray]:
    """Coordinates of every LineString part, and the row each part came from."""
    segments, rows = [], []
    for row, geom in enumerate(geoms):
        if geom is None:
            continue
        for part in shapely.get_parts(shapely.line_merge(geom) if
                                      geom.geom_type == "MultiLineString" else geom):
            if part.geom_type == "LineString" and not part.is_empty:
                segments.append(np.asarray(part.coords)[:, :2])
                rows.append(row)
    return segments, np.asarray(rows, dtype=int)


def _boundary_lines(geom: shapely.Geometry) -> list[np.ndarray]:
    segments, _ = _line_segments([shapely.boundary(geom)])
    return segments


def _extent(conflict, territory: pd.DataFrame | None, lon: np.ndarray, lat: np.ndarray
            ) -> tuple[float, float, float, float]:
    boxes = []
    if territory is not None and len(territory):
        boxes.append(territory.total_bounds)
    elif conflict.boundary is not None:
        boxes.append(conflict.boundary.total_bounds)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.any():
        boxes.append([lon[ok].min(), lat[ok].min(), lon[ok].max(), lat[ok].max()])
    if not boxes:
        return -1.0, -1.0, 1.0, 1.0
    b = np.asarray(boxes, dtype=float)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    # Places alone need room for their labels; a boundary already frames them.
    pad = max(x1 - x0, y1 - y0, 0.2) * (0.04 if len(boxes) > 1 else 0.1)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


# --------------------------------------------------------------------------- map layers


def _draw_context(ax: Axes, conflict, view: shapely.Geometry, *, labels: bool) -> None:
    if conflict.context is None or conflict.context.empty:
        return
    geoms = shapely.intersection(conflict.context.geometry.to_numpy(), view)
    keep = ~shapely.is_empty(geoms)
    _add_polygons(ax, geoms[keep], facecolors=[_CONTEXT_COLOR] * int(keep.sum()),
                  edgecolor="white", linewidth=0.6, zorder=0.5)
    if not labels or NAME not in conflict.context.columns:
        return
    import matplotlib.patheffects as pe
    from shapely.ops import polylabel

    x0, y0, x1, y1 = view.bounds
    names = conflict.context[NAME].astype("string").to_numpy()[keep]
    for geom, name in zip(geoms[keep], names, strict=True):
        parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
        if pd.isna(name) or not parts:
            continue
        largest = max(parts, key=shapely.area)
        point = polylabel(largest, tolerance=(y1 - y0) / 200)  # the most inland point
        if point.distance(largest.exterior) < 0.03 * (y1 - y0):
            continue  # too narrow a strip for a name
        ax.text(point.x, point.y, _plain(name), fontsize=7, color="#8a8a8a",
                style="italic", ha="center", va="center", zorder=0.6, clip_on=True,
                path_effects=[pe.withStroke(linewidth=2, foreground="white")])


def _draw_territories(ax: Axes, territory: pd.DataFrame, colors: dict[str, str]) -> None:
    from matplotlib.colors import to_rgba

    labels = territory[ACTOR_ID].astype(str).tolist()
    geoms = territory.geometry.to_numpy()
    filled = [i for i, a in enumerate(labels) if a != "no_data"]
    faces = [to_rgba(colors.get(labels[i], UNKNOWN_COLOR), _FILL_ALPHA) for i in filled]
    _add_polygons(ax, geoms[filled], facecolors=faces, edgecolor="none", linewidth=0,
                  zorder=1)
    empty = [i for i, a in enumerate(labels) if a == "no_data"]
    if empty:
        _add_polygons(ax, geoms[empty], facecolors=["white"], edgecolor="#bbbbbb",
                      linewidth=0.0, zorder=1, hatch="////")


def _draw_outline(ax: Axes, geometry: shapely.Geometry) -> None:
    from matplotlib.collections import LineCollection

    ax.add_collection(LineCollection(_boundary_lines(geometry), colors=_OUTLINE_COLOR,
                                     linewidths=0.7, zorder=2), autolim=False)


def _draw_frontlines(ax: Axes, front: pd.DataFrame) -> bool:
    import matplotlib.patheffects as pe
    from matplotlib.collections import LineCollection

    segments, _ = _line_segments(front.geometry.to_numpy())
    if not segments:
        return False
    lines = LineCollection(segments, colors=_FRONT_COLOR, linewidths=1.8, zorder=3,
                           capstyle="round", joinstyle="round")
    lines.set_path_effects([pe.withStroke(linewidth=3.4, foreground="white")])
    ax.add_collection(lines, autolim=False)
    return True


def _flow_width(people: np.ndarray, top: float) -> np.ndarray:
    return 0.6 + 3.4 * np.sqrt(np.clip(people / top, 0.0, 1.0)) if top > 0 else people * 0


def _draw_flows(ax: Axes, conflict, when: pd.Timestamp, mode: str, max_flows: int
                ) -> list[float]:
    """Flow lines, width by people; returns the people values to show in the legend."""
    from matplotlib.collections import LineCollection

    from .flows import active_flows, aggregate_flows, flow_lines

    if conflict.flows is None or conflict.flows.empty:
        return []
    chosen = active_flows(conflict.flows, when, cumulative=(mode == "cumulative"))
    chosen = chosen[(chosen[ORIGIN] != chosen[DESTINATION]).fillna(False).to_numpy(bool)]
    if chosen.empty:
        return []
    pairs = aggregate_flows(chosen).sort_values(PEOPLE, ascending=False).head(max_flows)
    lines = flow_lines(pairs, conflict.places)
    people = lines[PEOPLE].to_numpy(dtype=float)
    top = float(people.max())
    widths = _flow_width(people, top)
    segments, rows = _line_segments(lines.geometry.to_numpy())
    if not segments:
        return []
    tips = [xy[-2:] for xy in segments]
    segments = [xy[:-1] for xy in segments]  # the arrowhead draws the last stretch
    order = np.argsort(-people[rows], kind="stable")  # thin lines on top of thick ones
    segments = [segments[i] for i in order[::-1]]
    tips = [tips[i] for i in order[::-1]]
    rows = rows[order[::-1]]
    ax.add_collection(LineCollection(segments, colors=_FLOW_COLOR, alpha=0.8,
                                     linewidths=widths[rows], zorder=4, capstyle="butt"),
                      autolim=False)
    for xy, row in zip(tips, rows, strict=True):  # at most max_flows arrowheads
        length, width = 3.5 + 1.3 * widths[row], 1.6 + 0.9 * widths[row]  # points
        ax.annotate("", xy=xy[-1], xytext=xy[-2], zorder=4.1,
                    arrowprops={"arrowstyle": f"-|>,head_length={length:.2f},"
                                f"head_width={width:.2f}", "mutation_scale": 1,
                                "color": _FLOW_COLOR, "alpha": 0.9, "linewidth": 0,
                                "shrinkA": 0, "shrinkB": 0})
    first = _nice(top)
    return sorted({v for v in (first, _nice(first / 4), _nice(first / 20)) if v > 0},
                  reverse=True)


def _draw_places(ax: Axes, snapshot: pd.DataFrame, colors: dict[str, str],
                 lon: np.ndarray, lat: np.ndarray) -> None:
    holder = snapshot[ACTOR_ID].astype("string")
    status = (snapshot[STATUS].astype("string") if STATUS in snapshot.columns
              else pd.Series(pd.NA, index=snapshot.index, dtype="string"))
    face = np.array([colors.get(a, UNKNOWN_COLOR) if not pd.isna(a) else UNKNOWN_COLOR
                     for a in holder], dtype=object)
    face[(status == "contested").fillna(False).to_numpy()] = CONTESTED_COLOR
    size = np.full(len(snapshot), 10.0)
    if POPULATION in snapshot.columns:
        pop = pd.to_numeric(snapshot[POPULATION], errors="coerce").to_numpy(dtype=float)
        top = np.nanmax(pop) if np.isfinite(pop).any() else 0.0
        if top > 0:
            size = np.where(np.isfinite(pop), 10.0 + 70.0 * np.sqrt(pop / top), 10.0)
    order = np.argsort(-size, kind="stable")  # small dots on top
    ok = np.isfinite(lon[order])
    ax.scatter(lon[order][ok], lat[order][ok], s=size[order][ok], c=list(face[order][ok]),
               edgecolors="#222222", linewidths=0.5, zorder=5)


def _draw_labels(ax: Axes, snapshot: pd.DataFrame, lon: np.ndarray, lat: np.ndarray,
                 count: int, lang: str) -> None:
    import matplotlib.patheffects as pe

    if count <= 0 or snapshot.empty:
        return
    names = _names(snapshot, lang)
    if POPULATION in snapshot.columns:
        pop = pd.to_numeric(snapshot[POPULATION], errors="coerce").fillna(-1).to_numpy()
    else:
        pop = np.zeros(len(snapshot))
    # Labels name towns first: an admin unit or a zone is drawn as its shape.
    is_point = shapely.get_type_id(snapshot.geometry.to_numpy()) == 0
    pop = np.where(is_point, pop, -2.0)
    chosen = np.argsort(-pop, kind="stable")[:count]
    rtl = lang == "ar"
    for i in chosen:
        if not (np.isfinite(lon[i]) and np.isfinite(lat[i])):
            continue
        ax.annotate(_plain(names.iloc[i]), (lon[i], lat[i]), xytext=(-4 if rtl else 4, 3),
                    textcoords="offset points", fontsize=7, color=_TEXT_COLOR, zorder=6,
                    ha="right" if rtl else "left",
                    annotation_clip=True,
                    path_effects=[pe.withStroke(linewidth=2.2, foreground="white")])


def _emptiest(corners: dict[str, shapely.Geometry], land: shapely.Geometry | None,
             lon: np.ndarray, lat: np.ndarray) -> str:
    """The corner box that covers the least mapped land and the fewest places."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    points = shapely.points(lon[ok], lat[ok])

    def crowding(box: shapely.Geometry) -> float:
        covered = 0.0 if land is None else shapely.area(shapely.intersection(land, box))
        return covered / shapely.area(box) + 0.2 * float(shapely.contains(box, points).sum())

    return min(corners, key=lambda name: crowding(corners[name]))


def _draw_scale_bar(ax: Axes, extent: tuple[float, float, float, float], lang: str, *,
                    land: shapely.Geometry | None, lon: np.ndarray, lat: np.ndarray) -> None:
    import pyproj
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    geod = pyproj.Geod(ellps="WGS84")
    base = y0 + 0.05 * h
    km = _nice(geod.inv(x0, base, x1, base)[2] / 1000.0 / 5.0)
    if km <= 0:
        return
    span = geod.fwd(x0, base, 90.0, km * 1000.0)[0] - x0
    corners = {"left": shapely.box(x0, y0, x0 + 0.08 * w + span, y0 + 0.14 * h),
               "right": shapely.box(x1 - 0.08 * w - span, y0, x1, y0 + 0.14 * h)}
    corner = _emptiest(corners, land, lon, lat)
    start = x0 + 0.04 * w if corner == "left" else x1 - 0.04 * w - span
    height = 0.012 * h
    for left, face in ((start, "#222222"), (start + span / 2, "white")):
        ax.add_patch(Rectangle((left, base), span / 2, height, facecolor=face,
                               edgecolor="#222222", linewidth=0.6, zorder=7))
    ax.text(start + span / 2, base + 1.8 * height, f"{_number(km)} {_words(lang)['km']}",
            ha="center", va="bottom", fontsize=7, color=_TEXT_COLOR, zorder=7)


def _draw_north_arrow(ax: Axes, extent: tuple[float, float, float, float], lang: str, *,
                      land: shapely.Geometry | None, lon: np.ndarray, lat: np.ndarray
                      ) -> None:
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    corners = {"left": shapely.box(x0, y1 - 0.16 * h, x0 + 0.08 * w, y1),
               "right": shapely.box(x1 - 0.08 * w, y1 - 0.16 * h, x1, y1)}
    x = 0.04 if _emptiest(corners, land, lon, lat) == "left" else 0.96
    ax.annotate(_words(lang)["north"], xy=(x, 0.96), xytext=(x, 0.86),
                xycoords="axes fraction", textcoords="axes fraction", ha="center",
                va="top", fontsize=9, fontweight="bold", color=_TEXT_COLOR, zorder=7,
                arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.3",
                            "color": _TEXT_COLOR, "linewidth": 1.2})


def _source_names(values: object) -> list[str]:
    """Short names of the sources in a ``source`` column, most cited first."""
    if values is None:
        return []
    texts = pd.Series(values, dtype="string").dropna().str.strip()
    counts: dict[str, int] = {}
    for text in texts[texts != ""]:
        low = text.lower()
        known = sorted((low.index(key), short) for key, short in _KNOWN_SOURCES if key in low)
        if known:  # the provider named first: "Wikipedia ...; not in GeoNames" is Wikipedia
            name = known[0][1]
        elif "://" in text:
            name = urlsplit(text.split()[0]).hostname or text
            name = name.removeprefix("www.")
        else:
            name = text if len(text) <= 40 else text[:39] + "…"
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def attribution(conflict, *, lang: str = "en") -> str:
    """One line naming the sources in the data's ``source`` columns, by table.

    Known providers get their short name (GeoNames, Natural Earth, ACLED, ...); other web
    sources their host name; at most four per table, then how many more.

    Examples
    --------
    >>> import geoconflict as gc
    >>> attribution(gc.load_example())
    'Sources. Places: HDX, ... Outlines: HDX, Natural Earth. Control: transcend.org, ...'
    """
    words = _words(lang)
    groups = [("places_src", [conflict.places]),
              ("outlines", [conflict.boundary, conflict.context]),
              ("control", [conflict.control]), ("displacement", [conflict.flows]),
              ("events", [conflict.events])]
    parts = []
    for key, tables in groups:
        names: list[str] = []
        for table in tables:
            if table is not None and "source" in table.columns:
                names += [n for n in _source_names(table["source"]) if n not in names]
        if not names:
            continue
        shown = ", ".join(names[:_MAX_SOURCES])
        if len(names) > _MAX_SOURCES:
            shown += ", " + words["more"].format(n=len(names) - _MAX_SOURCES)
        parts.append(f"{words[key]}: {shown}.")
    return f"{words['sources']}. " + " ".join(parts) if parts else ""


def _legend_handles(labels: list[str], colors: dict[str, str], names: dict[str, str], *,
                    front: bool, flow_values: list[float], lang: str, width: int = 30):
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    words = _words(lang)
    handles, texts = [], []
    for label in labels:
        color = colors.get(label, UNKNOWN_COLOR)
        fill = Patch(facecolor=to_rgba(color, _FILL_ALPHA), edgecolor="none")
        dot = Line2D([], [], linestyle="none", marker="o", markersize=4.5,
                     markerfacecolor=color, markeredgecolor="#222222", markeredgewidth=0.5)
        handles.append((fill, dot))
        texts.append(_wrap(_plain(names.get(label, label)), width))
    if front:
        handles.append(Line2D([], [], color=_FRONT_COLOR, linewidth=1.8))
        texts.append(words["frontline"])
    top = max(flow_values) if flow_values else 0.0
    for value in flow_values:
        handles.append(Line2D([], [], color=_FLOW_COLOR, alpha=0.8,
                              linewidth=float(_flow_width(np.array([value]), top)[0])))
        texts.append(words["displaced"].format(n=_number(value)))
    return handles, texts


def _present(order: list[str], *held: Iterable) -> list[str]:
    seen = set()
    for values in held:
        seen |= {str(v) for v in values if not pd.isna(v)}
    return [label for label in order if label in seen]


# --------------------------------------------------------------------------- public


def _draw_map(ax: Axes, conflict, date: pd.Timestamp, *, flows: bool | str, labels: int,
              scale_bar: bool, north_arrow: bool, lang: str, max_flows: int,
              options: dict) -> tuple[list[str], bool, list[float]]:
    """Draw the map; return the labels shown, whether a front is drawn, flow legend values."""
    colors = _label_colors(conflict)
    snapshot = conflict.at(date).places
    lon, lat = place_points(snapshot)
    has_area = conflict.boundary is not None or options.get("boundary") is not None
    territory = front = None
    if has_area:
        from .territory import frontlines, territories

        territory = territories(conflict, date, no_data=True, **options)
        front = frontlines(conflict, date, **options)
    x0, y0, x1, y1 = extent = _extent(conflict, territory, lon, lat)

    _draw_context(ax, conflict, shapely.box(x0, y0, x1, y1), labels=labels > 0)
    if territory is not None:
        _draw_territories(ax, territory, colors)
        outline = (territory.union_all() if conflict.boundary is None
                   else conflict.boundary.union_all())
        _draw_outline(ax, outline)
    has_front = front is not None and _draw_frontlines(ax, front)
    flow_values = (_draw_flows(ax, conflict, date, "cumulative" if flows is True else flows,
                               max_flows) if flows else [])
    _draw_places(ax, snapshot, colors, lon, lat)
    _draw_labels(ax, snapshot, lon, lat, labels, lang)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    land = None if territory is None else territory.union_all()
    if scale_bar:
        _draw_scale_bar(ax, extent, lang, land=land, lon=lon, lat=lat)
    if north_arrow:
        _draw_north_arrow(ax, extent, lang, land=land, lon=lon, lat=lat)
    shown = _present(list(colors), [] if territory is None else territory[ACTOR_ID],
                     snapshot[ACTOR_ID].astype("string").fillna("unknown"))
    return shown, has_front, flow_values


def _check_flows(flows: object) -> None:
    if flows not in (True, False, "cumulative", "active"):
        raise FigureOptionError(f"flows must be True, False, 'cumulative' or 'active', got "
                                f"{flows!r}.")


def _attribution_text(ax_or_fig, conflict, lang: str) -> str:
    text = attribution(conflict, lang=lang)
    figure = ax_or_fig if hasattr(ax_or_fig, "savefig") else ax_or_fig.get_figure()
    return _wrap(_plain(text), int(figure.get_figwidth() * 19)) if text else ""


def plot_map(conflict, when: object = None, *, ax: Axes | None = None,
             flows: bool | str = True, labels: int = 10, legend: bool = True,
             scale_bar: bool = True, north_arrow: bool = False, attribution: bool = True,
             title: str | None = None, lang: str = "en", figsize: tuple[float, float] = (7, 5.5),
             max_flows: int = 100, **territory_options: object) -> Axes:
    """A static map of a conflict at a date, for papers and reports.

    Territories are filled in each actor's colour, frontlines drawn bold, places drawn as
    dots in their controller's colour (sized by population), displacement flows as curved
    arrows with widths by people; neighbouring countries (the conflict's ``context``) in
    light grey.

    Parameters
    ----------
    conflict : Conflict
    when : date, optional
        Default: the last date of the data.
    ax : matplotlib Axes, optional
        Draw here; default: a new figure of ``figsize``.
    flows : bool or {"cumulative", "active"}, default True
        ``True`` or ``"cumulative"``: flows begun on or before ``when``; ``"active"``: flows
        under way on ``when``; ``False``: none. Flows between the same two places are summed.
    labels : int, default 10
        Name this many places, the most populous first (``0`` for none).
    legend : bool, default True
        A legend of the actors on the map, the frontline and flow widths, beside the map.
    scale_bar, north_arrow, attribution : bool
        A scale bar (in the emptier lower corner), a north arrow (in the emptier upper
        corner), and a line under the map naming the data's sources (GeoNames, Natural
        Earth, host names of cited reports ...).
    title : str, optional
        Default: the conflict's title and the date; ``""`` for none.
    lang : {"en", "ar"}, default "en"
        Language of names (``name_ar`` where the data has it) and of the map's own words.
        Arabic letters are joined by matplotlib versions that shape text with libraqm;
        older ones draw them apart.
    figsize : (float, float), default (7, 5.5)
        Inches, for a new figure.
    max_flows : int, default 100
        Draw at most this many flows (the largest).
    **territory_options
        ``method``, ``max_distance_km``, ``radius_km``, ``boundary``: as for
        :func:`geoconflict.territories`. Without a boundary (in the data or here), no
        territories or frontlines are drawn.

    Returns
    -------
    matplotlib Axes
        Save its figure with :func:`save_figure`.

    Raises
    ------
    FigureOptionError
        For an unknown option, ``flows`` or ``lang`` value.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> ax = gc.plot_map(gc.load_example(), "2024-12-06")
    >>> ax.get_title(loc="left")
    '..., 6 December 2024'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    options = _check_options(territory_options)
    _check_flows(flows)
    _words(lang)
    plt = _pyplot()
    date = _when(conflict, when)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    shown, front, flow_values = _draw_map(
        ax, conflict, date, flows=flows, labels=labels, scale_bar=scale_bar,
        north_arrow=north_arrow, lang=lang, max_flows=max_flows, options=options)
    if title is None:
        title = f"{_plain(conflict.title)}, {_date_text(date, lang)}"
    if title:
        ax.set_title(title, fontsize=10, loc="right" if lang == "ar" else "left")
    if legend:
        handles, texts = _legend_handles(shown, _label_colors(conflict),
                                         _label_names(conflict, lang), front=front,
                                         flow_values=flow_values, lang=lang)
        ax.legend(handles, texts, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                  borderaxespad=0.0, fontsize=7, frameon=False, handlelength=1.6,
                  alignment="right" if lang == "ar" else "left")
    text = _attribution_text(ax, conflict, lang) if attribution else ""
    if text:
        ax.annotate(text, xy=(1.0 if lang == "ar" else 0.0, -0.015), xycoords="axes fraction",
                    ha="right" if lang == "ar" else "left", va="top", fontsize=5.5,
                    color=_NOTE_COLOR, annotation_clip=False)
    return ax


def plot_small_multiples(conflict, dates: Iterable[object], *, ncols: int = 3,
                         panel_size: tuple[float, float] = (2.6, 2.3), flows: bool | str = False,
                         labels: int = 0, legend: bool = True, scale_bar: bool = True,
                         attribution: bool = True, title: str | None = None,
                         lang: str = "en", progress: bool | None = None,
                         **territory_options: object) -> Figure:
    """The same map at several dates, side by side, with one legend.

    Parameters
    ----------
    conflict : Conflict
    dates : sequence of dates
        One panel per date, in this order.
    ncols : int, default 3
        Panels per row.
    panel_size : (float, float), default (2.6, 2.3)
        Inches per panel.
    flows : bool or {"cumulative", "active"}, default False
        As for :func:`plot_map`.
    labels : int, default 0
        Places named in each panel (the most populous first).
    legend, scale_bar, attribution : bool
        One legend for every actor shown in any panel, a scale bar in the first panel, the
        sources under the figure.
    title : str, optional
        A title over all panels; default: the conflict's title; ``""`` for none.
    lang : {"en", "ar"}, default "en"
    progress : bool or None, default None
        A progress bar over the panels (see :func:`geoconflict.progress.progress`).
    **territory_options
        As for :func:`plot_map`.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    FigureOptionError
        For no dates, or ``ncols`` below 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> fig = gc.plot_small_multiples(gc.load_example(),
    ...                               ["2024-11-26", "2024-12-01", "2024-12-06", "2024-12-09"])
    >>> len([a for a in fig.axes if a.get_visible()])
    4
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    _check_options(territory_options)
    _check_flows(flows)
    when = to_timestamps(list(dates), argument="dates")
    if when.empty:
        raise FigureOptionError("dates is empty. Fix: pass at least one date.")
    if not isinstance(ncols, int) or ncols < 1:
        raise FigureOptionError(f"ncols must be a whole number of at least 1, got {ncols!r}.")
    _words(lang)
    plt = _pyplot()
    ncols = min(ncols, when.size)
    nrows = math.ceil(when.size / ncols)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained",
                             figsize=(panel_size[0] * ncols + (1.9 if legend else 0),
                                      panel_size[1] * nrows + 0.5))
    flat = axes.ravel()
    colors = _label_colors(conflict)
    seen: set[str] = set()
    front = False
    for i in progress_bar(range(when.size), desc="small multiples", enabled=progress):
        shown, has_front, _ = _draw_map(
            flat[i], conflict, when[i], flows=flows, labels=labels,
            scale_bar=scale_bar and i == 0, north_arrow=False, lang=lang, max_flows=100,
            options=territory_options)
        flat[i].set_title(_date_text(when[i], lang), fontsize=9)
        seen |= set(shown)
        front = front or has_front
    for ax in flat[when.size:]:
        ax.set_visible(False)
    if title is None:
        title = _plain(conflict.title)
    if title:
        fig.suptitle(title, fontsize=11)
    if legend:
        handles, texts = _legend_handles([a for a in colors if a in seen], colors,
                                         _label_names(conflict, lang), front=front,
                                         flow_values=[], lang=lang, width=26)
        fig.legend(handles, texts, loc="outside right upper", fontsize=7, frameon=False,
                   handlelength=1.6)
    text = _attribution_text(fig, conflict, lang) if attribution else ""
    if text:
        fig.supxlabel(text, fontsize=5.5, color=_NOTE_COLOR, x=0.01, ha="left")
    return fig


def plot_control_over_time(conflict, *, measure: str = "area", freq: str = "D",
                           start: object = None, end: object = None, ax: Axes | None = None,
                           percent: bool = False, legend: bool = True,
                           title: str | None = None, lang: str = "en",
                           figsize: tuple[float, float] = (7, 3.6),
                           progress: bool | None = None,
                           **territory_options: object) -> Axes:
    """Area, population or places held by each actor over time, as stacked areas.

    Built on :func:`geoconflict.control_summary`: one computation of the cells, then array
    sums over every date. A record holds from its date until the next, so the areas step at
    each date rather than slope between dates.

    Parameters
    ----------
    conflict : Conflict
    measure : {"area", "population", "places"}, default "area"
        Land held (km², equal-area), the population of the places held, or their number.
    freq : str, default "D"
        A pandas frequency for the dates.
    start, end : date, optional
        Default: the conflict's period.
    ax : matplotlib Axes, optional
        Draw here; default: a new figure of ``figsize``.
    percent : bool, default False
        Shares of the total at each date instead of absolute values.
    legend : bool, default True
        Actors beside the plot, in the order of the stack (top first).
    title : str, optional
        Default: the conflict's title; ``""`` for none.
    lang : {"en", "ar"}, default "en"
    figsize : (float, float), default (7, 3.6)
    progress : bool or None, default None
        Passed to :func:`geoconflict.control_summary`.
    **territory_options
        ``method``, ``max_distance_km``, ``radius_km``, ``boundary``: as for
        :func:`geoconflict.territories`.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    FigureOptionError
        For an unknown ``measure`` or option.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import geoconflict as gc
    >>> ax = gc.plot_control_over_time(gc.load_example(), measure="population")
    >>> ax.get_ylabel()
    'Population of places held'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    options = _check_options(territory_options)
    if measure not in MEASURES:
        raise FigureOptionError(f"measure must be one of {list(MEASURES)}, got {measure!r}.")
    words = _words(lang)
    plt = _pyplot()
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    from .territory import control_summary

    summary = control_summary(conflict, freq=freq, start=start, end=end, progress=progress,
                              **options)
    wide = summary.pivot(index="date", columns=ACTOR_ID, values=MEASURES[measure])
    wide.columns = wide.columns.astype(str)
    colors = _label_colors(conflict)
    order = [a for a in colors if a in wide.columns and wide[a].sum() > 0]
    values = wide[order].to_numpy(dtype=float).T
    if percent:
        total = values.sum(axis=0)
        values = np.divide(values * 100.0, total, out=np.zeros_like(values), where=total > 0)
    # Step after each date: extend by one period so the last date has a width too.
    x = wide.index
    step = x[-1] - x[-2] if len(x) > 1 else pd.Timedelta(days=1)
    x = x.append(pd.DatetimeIndex([x[-1] + step]))
    values = np.concatenate([values, values[:, -1:]], axis=1)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    names = _label_names(conflict, lang)
    if order:
        ax.stackplot(x, values, colors=[colors[a] for a in order], step="post",
                     labels=[_plain(names.get(a, a)) for a in order], edgecolor="white",
                     linewidth=0.4, alpha=0.9)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0, 100 if percent else None)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    label = words[measure]
    if percent:
        label = words["percent"].format(what=words[f"{measure}_short"])
    ax.set_ylabel(label, fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v)))
    ax.tick_params(labelsize=7)
    ax.xaxis.get_offset_text().set_fontsize(7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="white", linewidth=0.5, alpha=0.6)
    if title is None:
        title = _plain(conflict.title)
    if title:
        ax.set_title(title, fontsize=10, loc="right" if lang == "ar" else "left")
    if legend and order:
        handles, texts = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], [_wrap(t, 28) for t in texts[::-1]], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=7, frameon=False)
    return ax


def save_figure(fig: Figure | Axes, path: str | os.PathLike[str], *, dpi: float = 300,
                transparent: bool = False) -> Path:
    """Write a figure as PNG, SVG or PDF (chosen by the suffix), atomically.

    The file is written beside ``path`` and renamed over it only once complete. SVG and PDF
    carry no creation date, so the same figure gives the same file. PDF fonts are embedded as
    TrueType (Type 42), as journals ask.

    Parameters
    ----------
    fig : matplotlib Figure or Axes
        An Axes stands for its figure.
    path : path-like
        Ending in ``.png``, ``.svg`` or ``.pdf``.
    dpi : float, default 300
        Resolution of PNG output (and of any raster part of SVG / PDF).
    transparent : bool, default False
        A transparent instead of a white background.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FigureOptionError
        For another suffix or a ``dpi`` that is not a positive number.

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "figure.svg")
    >>> out.suffix, out.stat().st_size > 0
    ('.svg', True)
    >>> plt.close(fig)
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise FigureOptionError(f"path must end in one of {list(FORMATS)}, got "
                                f"{target.name!r}. Fix: name the file e.g. figure.png.")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not dpi > 0:
        raise FigureOptionError(f"dpi must be a positive number, got {dpi!r}.")
    figure = fig if hasattr(fig, "savefig") else fig.get_figure()
    import matplotlib

    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                "png": {}}[fmt]
    with matplotlib.rc_context({"svg.hashsalt": "geoconflict", "pdf.fonttype": 42}), \
            atomic_path(target) as tmp:
        figure.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=0.05,
                       metadata=metadata, transparent=transparent,
                       facecolor="none" if transparent else "white")
    return target
