"""The time slider: our own small Leaflet control (``static/slider.js``), no plugin.

A range input over the payload's steps and a play / pause button. Moving it calls the
runtime's ``setStep``, which restyles places and flows and swaps the cached territories and
frontlines of that date.
"""

from __future__ import annotations

from .elements import TemplateElement

__all__ = ["TimeSlider"]


class TimeSlider(TemplateElement):
    """The time slider control.

    Parameters
    ----------
    runtime : MapRuntime
    interval : int
        Milliseconds per step when playing.
    position : str
        A Leaflet control corner.
    """

    template_name = "slider.html"
    assets = (("slider_css", "css", "slider.css"), ("slider", "js", "slider.js"))

    def __init__(self, runtime, *, interval: int = 800, position: str = "bottomleft"):
        super().__init__()
        self.runtime = runtime
        self.options = {"interval": int(interval), "position": position}
