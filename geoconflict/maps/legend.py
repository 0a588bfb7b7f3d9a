"""The legend (actors, patterns, base map, flow widths and kinds, sources) and the title.

Both are HTML rendered here by a template that escapes every value, then placed on the map
by a few lines of script (``templates/legend.js``).
"""

from __future__ import annotations

import markupsafe

from .assets import render_template
from .elements import TemplateElement

__all__ = ["Legend", "Panel", "Title", "legend_html"]

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
    >>> from geoconflict.style import words
    >>> data = {"dir": "ltr", "lang": "en", "labels": words("en"),
    ...     "actors": [{"id": "x", "name": "<b>X</b>", "color": "#0072b2"}],
    ...     "colors": {"contested": "#7f7f7f", "unknown": "#bdbdbd"}}
    >>> "&lt;b&gt;X&lt;/b&gt;" in legend_html(data)
    True
    """
    labels = data["labels"]
    flows = data.get("flows")
    flow_part = None
    if (
        flows is not None
        and flows.get("shown")
        or (flows is not None and flows.get("present", {}).get("place"))
    ):
        people = labels.get("people", "people")
        names = {
            "internal": labels["internal_flow"],
            "refugee": labels["refugee"],
            "return": labels["return"],
        }
        used = sorted(
            set(flows["category"] or [0] * bool(flows["shown"]))
            | set(flows["present"]["category"])
        )
        merge = flows["merge"]
        group = labels.get(merge.get("by", "group"), labels["group"])
        flow_part = {
            "legend": [
                {"width": tick["width"], "label": f"{_number(tick['people'])} {people}"}
                for tick in flows["legend"]
            ],
            "categories": []
            if used == [0]
            else [
                {
                    "color": flows["colors"][c],
                    "label": names.get(flows["categories"][c], flows["categories"][c]),
                }
                for c in used
            ],
            "estimate": any(flows["estimate"]) or any(flows["present"]["estimate"]),
            "range": any(v is not None for v in flows["people_max"]),
            "present": not all(flows["present"]["wide"]),  # some count drawn as a ring
            "present_wide": any(flows["present"]["wide"]),
            "scale_text": labels["flow_scale"].format(people=_number(flows["top"])),
            "mode_text": labels[flows["mode"]],
            "merged_text": labels["grouped"].format(group=group) if merge["origin"] else "",
            "left_out": flows["left_out"],
            "left_out_text": labels["left_out"].format(
                shown=_number(flows["shown"]),
                total=_number(flows["drawable"]),
                left=_number(flows["left_out"]),
                people=_number(flows["left_out_people"]),
            ),
        }
    return render_template(
        "legend_body.html",
        id=element_id,
        dir=data["dir"],
        lang=data["lang"],
        labels=labels,
        actors=data["actors"],
        colors=data["colors"],
        frontlines="frontlines" in data.get("layers", ()),
        changes="changes" in data.get("layers", ()),
        basemap=data.get("basemap", {}),
        flows=flow_part,
        start_note=data.get("start_note", ""),
        credits=data.get("credits", ""),
    )


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


class Panel(TemplateElement):
    """The "what changed" panel (top left): the step's changes of hands with their sources,
    and the displacement reported from that date (``templates/panel.js``)."""

    template_name = "panel.html"
    assets = (("panel", "js", "panel.js"),)

    def __init__(self, runtime, *, position: str = "topleft"):
        super().__init__()
        self.runtime = runtime
        self.options = {"position": position}
