"""The legend (actors and colours, flow widths) and the title with the date shown.

Both are HTML rendered here by a template that escapes every value, then placed on the map
by a few lines of script (``templates/legend.js``).
"""

from __future__ import annotations

import markupsafe

from .assets import render_template
from .elements import TemplateElement

__all__ = ["Legend", "Title", "legend_html"]

_ASSETS = (("legend", "js", "legend.js"),)


def _number(value: float) -> str:
    return f"{value:,.0f}"


def legend_html(data: dict, *, element_id: str = "gc-legend") -> str:
    """The legend's HTML for a map payload, every data text escaped.

    Parameters
    ----------
    data : dict
        A payload from :func:`geoconflict.maps.map_data`.
    element_id : str
        The ``id`` of the legend's ``<div>``.

    Returns
    -------
    str

    Examples
    --------
    >>> data = {"dir": "ltr", "lang": "en", "labels": {
    ...     "actors": "Control", "contested": "contested", "unknown": "unknown",
    ...     "frontlines": "Frontlines"},
    ...     "actors": [{"id": "x", "name": "<b>X</b>", "color": "#0072b2"}],
    ...     "colors": {"contested": "#7f7f7f", "unknown": "#bdbdbd"}}
    >>> "&lt;b&gt;X&lt;/b&gt;" in legend_html(data)
    True
    """
    labels = data["labels"]
    flows = data.get("flows")
    flow_part = None
    if flows is not None and flows.get("shown"):
        people = labels.get("people", "people")
        flow_part = {
            "legend": [{"width": tick["width"], "label": f"{_number(tick['people'])} {people}"}
                       for tick in flows["legend"]],
            "mode_text": labels[flows["mode"]],
            "left_out": flows["left_out"],
            "left_out_text": labels["left_out"].format(
                shown=_number(flows["shown"]), total=_number(flows["drawable"]),
                left=_number(flows["left_out"]), people=_number(flows["left_out_people"])),
        }
    return render_template(
        "legend_body.html", id=element_id, dir=data["dir"], lang=data["lang"],
        labels=labels, actors=data["actors"], colors=data["colors"],
        frontlines="frontlines" in data, flows=flow_part)


class Legend(TemplateElement):
    """The legend control (bottom right)."""

    template_name = "legend.html"
    assets = _ASSETS

    def __init__(self, runtime, *, position: str = "bottomright"):
        super().__init__()
        self.runtime = runtime
        self.options = {"position": position}

    @property
    def markup(self) -> markupsafe.Markup:
        return markupsafe.Markup(legend_html(self.runtime.data, element_id=self.get_name()))


class Title(TemplateElement):
    """The map's title and the date shown, centred at the top."""

    template_name = "title.html"
    assets = _ASSETS

    def __init__(self, runtime):
        super().__init__()
        self.runtime = runtime
        self.title = runtime.data["title"]
        self.dir = runtime.data["dir"]
        self.lang = runtime.data["lang"]
