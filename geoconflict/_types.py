"""What the layers below the container know of a conflict: a typing Protocol.

:class:`~geoconflict.Conflict` sits above the functions it calls (territories, maps, files);
those functions take a conflict without importing its class. :class:`ConflictLike` says what
they use of it: the validated tables and two facts read off them (``dates``, ``period``), no
behaviour, so calls only go down, as imports do (``Conflict`` satisfies it, and
``tests/test_layers.py`` checks that it does at run time too).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

__all__ = ["ConflictLike"]


@runtime_checkable
class ConflictLike(Protocol):
    """A conflict's validated tables and the two facts read off them."""

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
    def zones(self) -> gpd.GeoDataFrame | None: ...

    @property
    def title(self) -> str: ...

    @property
    def household_size(self) -> float | None: ...

    @property
    def dates(self) -> pd.DatetimeIndex: ...

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None: ...
