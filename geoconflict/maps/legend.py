"""The legend (actors, patterns, base map, flow widths and kinds, sources) and the title.

Both are HTML rendered here by a template that escapes every value, then placed on the map
by a few lines of script (``static/legend.js``), which shows the actors holding land or
places on the date shown.
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
    >>> data = {"dir": "ltr", "lang": "en", "words": words("en"),
    ...     "actors": [{"id": "x", "name": "<b>X</b>", "color": "#0072b2"}],
    ...     "colors": {"contested": "#7f7f7f", "unknown": "#bdbdbd"}}
    >>> "&lt;b&gt;X&lt;/b&gt;" in legend_html(data)
    True
    """
    words = data["words"]
    flows = data.get("flows")
    flow_part = None
    if flows is not None and (flows["counts"]["shown"] or flows["rings"]["place"]):
        lines, rings, scale = flows["lines"], flows["rings"], flows["scale"]
        people = words.get("people", "people")
        names = {
            "internal": words["internal_flow"],
            "refugee": words["refugee"],
            "return": words["return"],
        }
        used = sorted(
            set(lines["category"] or [0] * bool(flows["counts"]["shown"])) | set(rings["category"])
        )
        merged = flows["merged"]
        group = words.get(merged.get("by", "group"), words["group"])
        drawn_rings = not all(rings["wide"])  # some count drawn as a circle
        flow_part = {
            "lines": bool(flows["counts"]["shown"]),
            "legend": [
                {"width": tick["size"], "label": f"{_number(tick['people'])} {people}"}
                for tick in scale["legend"]
            ],
            "circles": [
                {"diameter": round(2 * tick["size"], 1), "label": _number(tick["people"])}
                for tick in scale["circles"]
            ]
            if drawn_rings
            else [],
            "categories": []
            if used == [0]
            else [
                {
                    "color": flows["colors"][c],
                    "label": names.get(flows["categories"][c], flows["categories"][c]),
                }
                for c in used
            ],
            "estimate": any(lines["estimate"]) or any(rings["estimate"]),
            "range": any(v is not None for v in lines["people_max"]),
            "present": drawn_rings,
            "present_wide": any(rings["wide"]),
            "scale_text": words["flow_scale"].format(people=_number(scale["top"])),
            "mode_text": words[flows["mode"]],
            "merged_text": words["grouped"].format(group=group) if merged["origin"] else "",
            "left_out": flows["counts"]["left_out"],
            "left_out_text": words["left_out"].format(
                shown=_number(flows["counts"]["shown"]),
                total=_number(flows["counts"]["drawable"]),
                left=_number(flows["counts"]["left_out"]),
                people=_number(flows["counts"]["left_out_people"]),
            ),
        }
    return render_template(
        "legend_body.html",
        id=element_id,
        dir=data["dir"],
        lang=data["lang"],
        words=words,
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
    and the displacement reported from that date (``static/panel.js``)."""

    template_name = "panel.html"
    assets = (("panel", "js", "panel.js"),)

    def __init__(self, runtime, *, position: str = "topleft"):
        super().__init__()
        self.runtime = runtime
        self.options = {"position": position}
