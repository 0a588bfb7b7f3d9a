"""Open our files in QGIS itself and report the styles it applies (run by test_qgis_styles.py).

Run with a Python that has QGIS's bindings (Debian: ``apt-get install python3-qgis``):

    python3 tests/qgis_check.py FILE.gpkg|FILE.geojson [LAYER ...]

Prints, as JSON, for each layer: whether it is valid, its renderer type and attribute, and the
renderer's classes (value or range, label, colour as #rrggbb, symbol width or size).
"""

from __future__ import annotations

import json
import os
import sys


def describe(layer) -> dict:
    renderer = layer.renderer()
    out = {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "renderer": renderer.type() if renderer else None,
        "geometry": int(layer.geometryType()),  # QgsWkbTypes: 0 point, 1 line, 2 polygon
        "sublayers": len(layer.dataProvider().subLayers()) if layer.dataProvider() else 0,
    }
    classes = []
    if renderer is None:
        return out
    if renderer.type() == "categorizedSymbol":
        out["attribute"] = renderer.classAttribute()
        for category in renderer.categories():
            classes.append(
                {
                    "value": str(category.value()),
                    "label": category.label(),
                    "color": category.symbol().color().name(),
                }
            )
    elif renderer.type() == "graduatedSymbol":
        out["attribute"] = renderer.classAttribute()
        for item in renderer.ranges():
            symbol = item.symbol()
            classes.append(
                {
                    "lower": item.lowerValue(),
                    "upper": item.upperValue(),
                    "label": item.label(),
                    "color": symbol.color().name(),
                    "width": symbol.width(),
                }
            )
    elif renderer.type() == "singleSymbol":
        symbol = renderer.symbol()
        classes.append({"color": symbol.color().name()})
    out["classes"] = classes
    return out


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    path, layers = argv[0], argv[1:]
    report = {}
    if path.endswith(".gpkg"):
        for name in layers:
            layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            report[name] = describe(layer)
    else:
        layer = QgsVectorLayer(path, "layer", "ogr")
        report[os.path.basename(path)] = describe(layer)
    print(json.dumps(report), flush=True)
    sys.stderr.flush()
    os._exit(0)  # QGIS 3.22 can crash while tearing down at exit; the report is out


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
