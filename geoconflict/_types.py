"""What the layers below the container know of a conflict: a typing Protocol.

:class:`~geoconflict.Conflict` sits above the functions it calls (territories, maps, files);
those functions take a conflict without importing its class. :class:`ConflictLike` says what
they use of it, so that the type checker holds them to it (``Conflict`` satisfies it, and
``tests/test_layers.py`` checks that it does at run time too).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

__all__ = ["ConflictLike", "SnapshotLike"]


@runtime_checkable
class SnapshotLike(Protocol):
    """The state of a conflict at one date (:class:`geoconflict.Snapshot`)."""

    @property
    def date(self) -> pd.Timestamp: ...

    @property
    def places(self) -> gpd.GeoDataFrame: ...

    @property
    def flows_active(self) -> pd.DataFrame | None: ...

    @property
    def flows_cumulative(self) -> pd.DataFrame | None: ...


@runtime_checkable
class ConflictLike(Protocol):
    """A conflict's validated tables and the few facts derived from them."""

    @property
    def places(self) -> gpd.GeoDataFrame: ...

    @property
    def actors(self) -> pd.DataFrame: ...

    @property
    def control(self) -> pd.DataFrame: ...

    @property
    def flows(self) -> pd.DataFrame | None: ...

    @property
    def boundary(self) -> gpd.GeoDataFrame | None: ...

    @property
    def events(self) -> gpd.GeoDataFrame | None: ...

    @property
    def context(self) -> gpd.GeoDataFrame | None: ...

    @property
    def title(self) -> str: ...

    @property
    def household_size(self) -> float | None: ...

    @property
    def dates(self) -> pd.DatetimeIndex: ...

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None: ...

    def actor_colors(self) -> dict[str, str]: ...

    def at(self, when: object) -> SnapshotLike: ...

    def territories(self, when: object, *args: Any, **kwargs: Any) -> gpd.GeoDataFrame: ...

    def frontlines(self, when: object, *args: Any, **kwargs: Any) -> gpd.GeoDataFrame: ...

    def flow_lines(self, *args: Any, **kwargs: Any) -> gpd.GeoDataFrame: ...

    def place_totals(self, *args: Any, **kwargs: Any) -> pd.DataFrame: ...

    def control_summary(self, *args: Any, **kwargs: Any) -> pd.DataFrame: ...

    def control_changes(self, *args: Any, **kwargs: Any) -> pd.DataFrame: ...
