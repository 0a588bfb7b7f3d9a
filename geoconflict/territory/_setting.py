"""The land setting: how far a town's land reaches and what bounds the land.

Every consumer of land (the territory functions, :class:`~geoconflict.Snapshot`, the maps,
the figures, the GIS exports and the command line) takes the same two keywords,
``max_distance_km`` and ``boundary``, and turns them into one :class:`LandSetting` here, so a
map and the files written with the same keywords hold the same land.

The spellings of earlier releases (``method="voronoi" | "auto" | "buffer"`` and
``radius_km``) are the same numbers: ``method="buffer", radius_km=20`` is
``max_distance_km=20`` and ``method="auto"`` is ``max_distance_km="auto"``. They still work,
with a :class:`DeprecationWarning` naming the new spelling.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from ..errors import TerritoryOptionError

__all__ = ["AUTO_DISTANCE_KM", "LandSetting", "land_setting", "positive_km"]

#: ``max_distance_km="auto"``: no town's land reaches farther than this outside polygon places.
AUTO_DISTANCE_KM = 25.0
_OLD_METHODS = ("voronoi", "auto", "buffer")


@dataclass(frozen=True, eq=False)
class LandSetting:
    """How the land is cut: the reach of a town's land and the area it fills.

    Attributes
    ----------
    max_distance_km : float or None
        Land farther than this from every point place (outside polygon places) is left out
        (``no_data`` with point places only, ``unknown`` among polygon places). ``None``: no
        limit.
    boundary : GeoDataFrame, GeoSeries, shapely geometry, "hull" or None
        The area the land fills; ``None``: the conflict's own boundary (or the union of its
        polygon places).
    """

    max_distance_km: float | None = None
    boundary: object = None


def land_setting(
    *,
    max_distance_km: float | str | None = None,
    boundary: object = None,
    method: str | None = None,
    radius_km: float | None = None,
    stacklevel: int = 3,
) -> LandSetting:
    """The :class:`LandSetting` of a public function's keywords.

    Parameters
    ----------
    max_distance_km : float, "auto" or None
        A positive number of kilometres; ``"auto"`` is :data:`AUTO_DISTANCE_KM`.
    boundary : GeoDataFrame, shapely geometry, "hull" or None
    method, radius_km
        Deprecated spellings (see the module's docstring).
    stacklevel : int
        Where the deprecation warning points (the user's call).

    Examples
    --------
    >>> land_setting(max_distance_km="auto").max_distance_km
    25.0
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     land_setting(method="buffer", radius_km=20).max_distance_km
    20.0
    >>> print(caught[0].message)
    method='buffer', radius_km=20 is deprecated: pass max_distance_km=20 instead.
    """
    if method is not None or radius_km is not None:
        max_distance_km = _old_spelling(method, radius_km, max_distance_km, stacklevel + 1)
    if isinstance(max_distance_km, str):
        if max_distance_km != "auto":
            raise TerritoryOptionError(
                f"max_distance_km must be a number of kilometres, 'auto' or None, got "
                f"{max_distance_km!r}. Fix: pass e.g. max_distance_km=25, or 'auto' "
                f"({AUTO_DISTANCE_KM:g} km)."
            )
        return LandSetting(AUTO_DISTANCE_KM, boundary)
    return LandSetting(positive_km("max_distance_km", max_distance_km), boundary)


def _old_spelling(
    method: str | None, radius_km: float | None, distance: float | str | None, stacklevel: int
) -> float | str | None:
    """The ``max_distance_km`` an old ``method`` / ``radius_km`` pair means (with a warning)."""
    if method is not None and method not in _OLD_METHODS:
        raise TerritoryOptionError(
            f"method must be 'voronoi', 'auto' or 'buffer', got {method!r}; it is "
            "deprecated anyway. Fix: leave method out and pass max_distance_km=<km> or "
            "max_distance_km='auto'."
        )
    new: float | str | None
    if method == "buffer":
        if radius_km is None:
            raise TerritoryOptionError(
                "method='buffer' needs radius_km, the radius of the circle around each "
                "place; both are deprecated. Fix: pass max_distance_km=<km> instead."
            )
        if distance is not None:
            raise TerritoryOptionError(
                "pass radius_km or max_distance_km, not both: with method='buffer' the "
                "radius is the maximum distance. Fix: pass max_distance_km alone."
            )
        new, old = radius_km, f"method='buffer', radius_km={radius_km!r}"
    elif radius_km is not None:
        raise TerritoryOptionError(
            "radius_km is for method='buffer', and both are deprecated. Fix: pass "
            "max_distance_km=<km> instead."
        )
    elif method == "auto":
        new = distance if distance is not None else "auto"
        old = "method='auto'"
    else:
        new, old = distance, "method='voronoi'"
    spelled = "leave it out" if new is None else f"pass max_distance_km={new!r} instead"
    warnings.warn(f"{old} is deprecated: {spelled}.", DeprecationWarning, stacklevel=stacklevel)
    return new


def positive_km(name: str, value: object, *, zero: bool = False) -> float | None:
    """``value`` as a positive (or, with ``zero``, non-negative) number of km, or None."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if (
        isinstance(value, bool)
        or not math.isfinite(number)
        or number < 0
        or (number == 0 and not zero)
    ):
        word = "zero or more" if zero else "a positive number of"
        raise TerritoryOptionError(
            f"{name} must be {word} kilometres, got {value!r}. Fix: "
            f"pass e.g. {name}=25, or leave it out."
        )
    return number
