"""Presentation shared by the interactive maps and the static figures.

One place for how things look and read: names by language and the order labels are placed
(:mod:`.names`), the interface's words in six languages or your own (:mod:`.words`), the
names of admin levels (:mod:`.levels`), colours
(:mod:`.colors`), flow widths, round ticks and marker sizes (:mod:`.scales`), where a base
map's names go (:mod:`.placement`), and the sources line (:mod:`.credits`).
:mod:`geoconflict.maps` and :mod:`geoconflict.figures` both draw from it, so a map and a
figure of the same data agree.
"""

from .colors import (
    BASE_COLORS,
    BASE_NAME_COLORS,
    CONTESTED_COLOR,
    FLOW_CATEGORIES,
    FLOW_COLORS,
    FRONT_COLOR,
    MAP_COLORS,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    label_colors,
)
from .credits import attribution, source_names
from .levels import check_level_names, drawing_words, level_words
from .names import LABEL_TIERS, date_text, display_names, label_order, label_tiers
from .placement import inland_points, longest_stretches, optional_names
from .scales import (
    COUNT_RADIUS_PX,
    FLOW_MAX_PX,
    FLOW_MIN_PX,
    PLACE_RADIUS,
    CountScale,
    FlowScale,
    count_radius,
    flow_width,
    largest_line,
    nice_number,
    nice_ticks,
    place_radius,
)
from .words import LANGUAGES, RIGHT_TO_LEFT, check_lang, check_words, text_direction, words

__all__ = [
    "BASE_COLORS",
    "COUNT_RADIUS_PX",
    "BASE_NAME_COLORS",
    "CONTESTED_COLOR",
    "FLOW_CATEGORIES",
    "FLOW_COLORS",
    "FLOW_MAX_PX",
    "FLOW_MIN_PX",
    "FRONT_COLOR",
    "LABEL_TIERS",
    "MAP_COLORS",
    "LANGUAGES",
    "PLACE_RADIUS",
    "RIGHT_TO_LEFT",
    "TEXT_COLOR",
    "UNKNOWN_COLOR",
    "CountScale",
    "FlowScale",
    "attribution",
    "check_lang",
    "check_level_names",
    "check_words",
    "count_radius",
    "date_text",
    "display_names",
    "drawing_words",
    "flow_width",
    "inland_points",
    "label_colors",
    "label_order",
    "label_tiers",
    "largest_line",
    "level_words",
    "longest_stretches",
    "nice_number",
    "nice_ticks",
    "optional_names",
    "place_radius",
    "source_names",
    "text_direction",
    "words",
]
