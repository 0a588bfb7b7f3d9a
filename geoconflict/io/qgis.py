"""QGIS default styles for the layers we write, so that QGIS shows our map without restyling.

A style is a QML document (the XML QGIS saves as ``.qml``) holding one renderer:

- territories: filled in each actor's colour, categorized by ``actor_id`` with the actor's
  name as the legend label; contested and unknown land in the maps' grey tones;
- places (and the control periods layer): markers categorized by holder, the same way;
  places that are polygons (admin units, zones; the GeoPackage's ``map_areas``) as light
  outlines, since the territories already fill them in their holder's colour;
- frontlines: one dark line; flows: lines graduated by ``people``, wider for more people, on
  the same square-root scale as the figures;
- the boundary as an outline, neighbouring countries in light grey; anything else one symbol.

:func:`write_layer_styles` stores the styles in a GeoPackage's ``layer_styles`` table, the
table (and columns) QGIS itself creates when one saves a style "in the database"; QGIS loads
the row with ``useAsDefault`` when it opens the layer. For GeoJSON, :func:`layer_style` gives
the text of a ``.qml`` file that QGIS loads when it sits beside the data file with the same
name.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from .._schema import ACTOR_ID, NAME, PEOPLE
from ..palette import CONTESTED_COLOR, UNKNOWN_COLOR

__all__ = ["STYLE_TABLE", "layer_style", "layer_styles_table", "write_layer_styles"]

#: The table QGIS reads default styles from in a GeoPackage.
STYLE_TABLE = "layer_styles"
#: The QGIS version whose QML layout we write (3.x reads it back to 3.16 at least).
QGIS_VERSION = "3.34.0-Prizren"

_FILL_ALPHA = 0.45  # the figures' territory fill opacity
_FLOW_COLOR = "#3d3d3d"
_FRONT_COLOR = "#111111"
_OUTLINE_COLOR = "#555555"
_CONTEXT_COLOR = "#eeeeee"
_MARKER_EDGE = "#222222"
_PLAIN_COLOR = "#4d4d4d"
_AREA_OUTLINE = "#8c8c8c"
_MM_PER_POINT = 25.4 / 72
_GEOMETRY_TYPE = {"marker": 0, "line": 1, "fill": 2}
#: Characters XML 1.0 does not allow; dropped from labels taken from data.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _rgba(color: str, alpha: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a`` (0-255)."""
    hex6 = color.lstrip("#")
    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _symbol(parent: ET.Element, name: str, kind: str, props: dict[str, str]) -> None:
    """A one-layer symbol; properties written both as ``<Option>`` (QGIS >= 3.26) and as
    ``<prop>`` (older 3.x)."""
    symbol = ET.SubElement(
        parent,
        "symbol",
        {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer_class = {"fill": "SimpleFill", "line": "SimpleLine", "marker": "SimpleMarker"}[kind]
    layer = ET.SubElement(
        symbol, "layer", {"class": layer_class, "enabled": "1", "locked": "0", "pass": "0"}
    )
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})


def _fill(
    color: str,
    *,
    alpha: float = _FILL_ALPHA,
    outline: str = "#ffffff",
    width_mm: float = 0.2,
    outline_alpha: float = 1.0,
) -> dict[str, str]:
    return {
        "color": _rgba(color, alpha),
        "style": "solid" if alpha > 0 else "no",
        "outline_color": _rgba(outline, outline_alpha),
        "outline_style": "solid",
        "outline_width": f"{width_mm:g}",
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }


def _line(color: str, width_mm: float, *, alpha: float = 1.0) -> dict[str, str]:
    return {
        "line_color": _rgba(color, alpha),
        "line_width": f"{width_mm:.3g}",
        "line_width_unit": "MM",
        "line_style": "solid",
        "capstyle": "round",
        "joinstyle": "round",
    }


def _marker(color: str, *, size_mm: float = 2.6) -> dict[str, str]:
    return {
        "name": "circle",
        "color": _rgba(color),
        "size": f"{size_mm:g}",
        "size_unit": "MM",
        "outline_color": _rgba(_MARKER_EDGE),
        "outline_width": "0.2",
        "outline_width_unit": "MM",
        "outline_style": "solid",
        "scale_method": "diameter",
    }


def _props(kind: str, color: str) -> dict[str, str]:
    if kind == "fill":
        return _fill(color)
    if kind == "line":
        return _line(color, 0.5)
    return _marker(color)


def _document() -> tuple[ET.Element, ET.Element]:
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology"})
    renderer = ET.SubElement(root, "renderer-v2")
    return root, renderer


def _finish(root: ET.Element, kind: str) -> str:
    ET.SubElement(root, "layerGeometryType").text = str(_GEOMETRY_TYPE[kind])
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def single_symbol(kind: str, props: dict[str, str]) -> str:
    """A QML document drawing every feature with one symbol."""
    root, renderer = _document()
    renderer.attrib.update(
        {"type": "singleSymbol", "symbollevels": "0", "forceraster": "0", "enableorderby": "0"}
    )
    _symbol(ET.SubElement(renderer, "symbols"), "0", kind, props)
    return _finish(root, kind)


def categorized(
    kind: str,
    attribute: str,
    categories: list[tuple[str, str, str]],
    *,
    other: tuple[str, str] | None = None,
) -> str:
    """A QML document colouring features by the value of ``attribute``.

    ``categories`` are ``(value, label, colour)``; ``other`` (label, colour) is QGIS's "all
    other values" category (an empty value), which also takes features whose value is empty.
    """
    root, renderer = _document()
    renderer.attrib.update(
        {
            "type": "categorizedSymbol",
            "attr": attribute,
            "symbollevels": "0",
            "forceraster": "0",
            "enableorderby": "0",
        }
    )
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    rows = list(categories) + ([("", other[0], other[1])] if other else [])
    for i, (value, label, color) in enumerate(rows):
        ET.SubElement(
            cats,
            "category",
            {"symbol": str(i), "value": _text(value), "label": _text(label), "render": "true"},
        )
        _symbol(symbols, str(i), kind, _props(kind, color))
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", kind, _props(kind, UNKNOWN_COLOR))
    return _finish(root, kind)


def _nice(value: float) -> float:
    """``value`` rounded to two significant digits."""
    if value <= 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(value)))
    return float(round(value, digits))


def flow_classes(people: np.ndarray, *, classes: int = 4) -> list[tuple[float, float, float]]:
    """``(lower, upper, width in mm)`` classes of ``people``, at quantiles rounded to two
    significant digits; the width follows the figures' square-root scale of the class's top.

    Examples
    --------
    >>> [(lo, hi, round(w, 2)) for lo, hi, w in flow_classes(np.array([10.0, 100, 1000]))]
    [(0.0, 55.0, 0.49), (55.0, 100.0, 0.59), (100.0, 550.0, 1.1), (550.0, 1000.0, 1.41)]
    """
    values = people[np.isfinite(people) & (people > 0)]
    if values.size == 0:
        return [(0.0, 0.0, 0.6 * _MM_PER_POINT)]
    top = float(values.max())
    inner = np.quantile(values, np.linspace(0, 1, classes + 1)[1:-1])
    breaks = sorted({0.0, *(_nice(float(v)) for v in inner), top})
    out = []
    for lower, upper in zip(breaks[:-1], breaks[1:], strict=True):
        points = 0.6 + 3.4 * math.sqrt(min(upper / top, 1.0))
        out.append((lower, upper, points * _MM_PER_POINT))
    return out


def graduated_flows(people: np.ndarray, *, unit: str = "people") -> str:
    """A QML document drawing flow lines wider for more ``people``."""
    kind = "line"
    root, renderer = _document()
    renderer.attrib.update(
        {
            "type": "graduatedSymbol",
            "attr": PEOPLE,
            "graduatedMethod": "GraduatedSize",
            "symbollevels": "0",
            "forceraster": "0",
            "enableorderby": "0",
        }
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (lower, upper, width) in enumerate(flow_classes(people)):
        ET.SubElement(
            ranges,
            "range",
            {
                "symbol": str(i),
                "lower": f"{lower:.6f}",
                "upper": f"{upper:.6f}",
                "label": f"{lower:,.0f} - {upper:,.0f} {unit}",
                "render": "true",
            },
        )
        _symbol(symbols, str(i), kind, _line(_FLOW_COLOR, width, alpha=0.8))
    ET.SubElement(renderer, "mode", {"name": "quantile"})
    return _finish(root, kind)


def _kind(frame: pd.DataFrame) -> str | None:
    """``marker``, ``line`` or ``fill`` for the geometries most features have; None without."""
    geometry = getattr(frame, "geometry", None) if "geometry" in frame.columns else None
    if geometry is None:
        return None
    types = pd.Series(geometry.geom_type).dropna()
    if types.empty:
        return None
    common = types.str.replace("Multi", "", regex=False).value_counts().idxmax()
    return {"Point": "marker", "LineString": "line", "Polygon": "fill"}.get(common)


def _has_points(frame: pd.DataFrame) -> bool:
    return bool(pd.Series(frame.geometry.geom_type).isin(["Point", "MultiPoint"]).any())


def _actor_categories(
    actors: pd.DataFrame, colors: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    names = actors[NAME].astype("string") if NAME in actors.columns else None
    rows = []
    for actor_id, color in colors.items():
        label = actor_id if names is None or pd.isna(names.get(actor_id)) else names[actor_id]
        rows.append((actor_id, str(label), color))
    return rows


def layer_style(
    name: str, frame: pd.DataFrame, *, actors: pd.DataFrame, colors: Mapping[str, str]
) -> str | None:
    """The QML style of one layer we write, by its name and content; None without geometry.

    Parameters
    ----------
    name : str
        The layer's name (``territories``, ``places``, ``frontlines``, ``flows``, ...; a
        ``map_`` prefix, as in the GeoPackage's map layers, is ignored).
    frame : DataFrame or GeoDataFrame
        The layer as written (its geometry type decides the kind of symbol).
    actors : DataFrame
        The conflict's actors (their names label the legend).
    colors : mapping
        Actor id to ``#rrggbb``, as :meth:`Conflict.actor_colors` gives.

    Examples
    --------
    >>> import geoconflict as gc
    >>> from geoconflict.io.exports import export_layers
    >>> c = gc.load_example()
    >>> territories = export_layers(c, when="2024-12-06")["territories"]
    >>> qml = layer_style("territories", territories, actors=c.actors,
    ...                   colors=c.actor_colors())
    >>> 'type="categorizedSymbol"' in qml and 'attr="actor_id"' in qml
    True
    """
    kind = _kind(frame)
    if kind is None:
        return None
    base = name.removeprefix("map_")
    if base in ("places", "control") and kind != "marker" and _has_points(frame):
        # towns and admin units in one layer: QGIS opens it as one sublayer per kind of
        # geometry and gives both this style; the markers matter, the territories fill units
        kind = "marker"
    specials = [("contested", "Contested", CONTESTED_COLOR)]
    if base in ("areas", "control_areas") and kind == "fill":  # outlines: territories fill
        return single_symbol(
            kind, _fill(_AREA_OUTLINE, alpha=0.0, outline=_AREA_OUTLINE, width_mm=0.15)
        )
    if ACTOR_ID in frame.columns and base in ("territories", "places", "control"):
        return categorized(
            kind,
            ACTOR_ID,
            _actor_categories(actors, colors) + specials,
            other=("Unknown", UNKNOWN_COLOR),
        )
    if base == "frontlines" and kind == "line":
        return single_symbol(kind, _line(_FRONT_COLOR, 1.8 * _MM_PER_POINT))
    if base == "flows" and kind == "line" and PEOPLE in frame.columns:
        people = pd.to_numeric(frame[PEOPLE], errors="coerce").to_numpy(dtype=float)
        return graduated_flows(people)
    if base == "boundary" and kind == "fill":
        return single_symbol(
            kind,
            _fill(_OUTLINE_COLOR, alpha=0.0, outline=_OUTLINE_COLOR, width_mm=0.7 * _MM_PER_POINT),
        )
    if base == "context" and kind == "fill":
        return single_symbol(kind, _fill(_CONTEXT_COLOR, alpha=1.0, width_mm=0.2))
    return single_symbol(
        kind,
        _props(kind, _PLAIN_COLOR)
        if kind != "fill"
        else _fill(_PLAIN_COLOR, alpha=0.15, outline=_PLAIN_COLOR),
    )


def layer_styles_table(styles: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """The rows of QGIS's ``layer_styles`` table for ``{layer: (geometry column, qml)}``.

    The columns are the ones QGIS creates (``f_table_catalog`` ... ``update_time``); each
    style is the layer's default (``useAsDefault``), named after the layer. ``update_time``
    stays empty, so the same data give the same file.
    """
    names = list(styles)
    n = len(names)
    empty = [""] * n
    return pd.DataFrame(
        {
            "f_table_catalog": empty,
            "f_table_schema": empty,
            "f_table_name": names,
            "f_geometry_column": [styles[k][0] for k in names],
            "styleName": names,
            "styleQML": [styles[k][1] for k in names],
            "styleSLD": empty,
            "useAsDefault": np.ones(n, dtype=bool),
            "description": [f"geoconflict default style for {k}" for k in names],
            "owner": empty,
            "ui": empty,
            "update_time": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ms]"),
        }
    )


def write_layer_styles(path: Path, styles: Mapping[str, tuple[str, str]]) -> None:
    """Add the ``layer_styles`` table to the GeoPackage at ``path`` (which must not have one).

    Written through GDAL as QGIS does (an attribute table with the primary key ``id``), so
    GDAL lists it as one more table and opens the file without complaint.
    """
    if not styles:
        return
    pyogrio.write_dataframe(
        layer_styles_table(styles),
        path,
        layer=STYLE_TABLE,
        driver="GPKG",
        layer_options={"FID": "id"},
    )
