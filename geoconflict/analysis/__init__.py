"""Research questions asked of the land and its holders over time.

- :func:`event_context`: who held the ground of each event (ACLED, UCDP) on its date, how
  far the front was, who was across it, the nearest place;
- :func:`control_panel`: a place-by-period panel of control (days held by each actor,
  changes of hands), for regression;
- :func:`front_exposure`: places and people within given distances of the front, per date
  and side;
- :func:`flows_by_control`: each displacement flow with who held its origin and
  destination, and whether its origin had just changed hands.

Built on :mod:`geoconflict.territory`: the land is cut into cells once (cached), holders
of any number of dates are array work over the cells, and each question here is one pass
of array work over events, places or flows. Modules: ``_nearest`` (nearest points and
segments in bulk), ``_land`` (the land in its projection, its distinct states, its fronts),
``_states`` (the state of places over days), then one module per question.
"""

from ._events import event_context
from ._exposure import front_exposure
from ._flows import flows_by_control
from ._panel import control_panel

__all__ = ["control_panel", "event_context", "flows_by_control", "front_exposure"]
