"""Static figures for papers and reports: a map at a date, small multiples, control over time.

matplotlib is an optional dependency (``pip install 'geoconflict[plot]'``), imported inside
the functions that draw. Maps are drawn in longitude / latitude with the aspect ratio of an
equirectangular projection at the data's mean latitude (``1 / cos(latitude)``): near the data,
shapes and distances are true to within a few percent, without a cartopy dependency. The
scale bar is measured on the WGS 84 ellipsoid at its own latitude.

Every colour, name, flow width and the sources line come from :mod:`geoconflict.style`, as in
the interactive maps. Text from data is drawn as plain text (a ``$`` never starts
matplotlib's math mode).

Maps are drawn over the light base map the interactive maps draw (``basemap=``, chosen as
:func:`geoconflict.basemap.choose_basemap` chooses for both), its credits in the sources line.

Modules: :mod:`.plot` (maps and small multiples), :mod:`.timeline` (control over time),
:mod:`.save` (files), :mod:`.animation` (GIF, WebP and MP4 of the map over time);
``_draw``, ``_basemap``, ``_furniture``, ``_geometry`` and ``_common`` draw and check for
them, ``_timeline``, ``_states``, ``_frames``, ``_encoders`` and ``_workers`` for the
animations.
"""

from ._common import FigureOptionError
from .animation import animate
from .plot import plot_map, plot_small_multiples
from .save import FORMATS, save_figure
from .timeline import MEASURES, plot_control_over_time

__all__ = [
    "FORMATS",
    "MEASURES",
    "FigureOptionError",
    "animate",
    "plot_control_over_time",
    "plot_map",
    "plot_small_multiples",
    "save_figure",
]
