"""Draw a GeoPackage written by ``geoconflict.to_gpkg`` as QGIS shows it, into a PNG.

Run by ``docs/make_pictures.py`` with a Python that has QGIS's bindings (Debian:
``apt-get install python3-qgis``):

    python3 docs/qgis_render.py FILE.gpkg OUT.png

The map layers are drawn with the default styles QGIS loads from the file's ``layer_styles``
table, nothing restyled here: the picture is what a QGIS user sees on opening the file.
"""

import os
import sys

#: Bottom to top is the reverse of this list (QGIS draws the first layer on top).
LAYERS = ["map_flows", "map_places", "map_frontlines", "map_areas", "map_territories",
          "boundary", "context"]
#: Layers the picture cannot do without (the others are drawn when the data has them).
REQUIRED = ("map_territories", "boundary")


def main(path: str, out: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False)
    app.initQgis()
    layers = [QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in LAYERS]
    broken = [layer.name() for layer in layers
              if not layer.isValid() and layer.name() in REQUIRED]
    if broken:
        raise SystemExit(f"QGIS could not open the layers {broken} of {path}")
    layers = [layer for layer in layers if layer.isValid()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    extent = next(layer for layer in layers if layer.name() == "boundary").extent()
    extent.scale(1.08)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(900, 760))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(out, "png"):
        raise SystemExit(f"could not write {out}")
    sys.stdout.flush()
    os._exit(0)  # QGIS 3.22 can crash while tearing down at exit; the picture is written


if __name__ == "__main__":
    main(*sys.argv[1:3])
