"""Nearest neighbours in a plane (metres of an equal-area projection), exact, in bulk.

- :func:`nearest_points`: the nearest of a set of points (the towns);
- :func:`nearest_segments`: the nearest of a set of straight segments (a front), with the
  point on it.

Both ask shapely's STRtree once for all query points; the distances and the points on the
segments are then measured with numpy.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["nearest_points", "nearest_segments", "segment_distance"]


def nearest_points(sites: np.ndarray, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position in ``sites`` (k, 2) of the nearest site to each point of ``xy`` (n, 2), and
    its distance; ``-1`` and ``inf`` when there are no sites.

    Examples
    --------
    >>> i, d = nearest_points(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([[7.0, 4.0]]))
    >>> i.tolist(), d.tolist()
    ([1], [5.0])
    """
    n = xy.shape[0]
    if sites.shape[0] == 0 or n == 0:
        return np.full(n, -1, dtype=np.int64), np.full(n, np.inf)
    tree = shapely.STRtree(shapely.points(sites))
    at, index = tree.query_nearest(shapely.points(xy), all_matches=False)
    out = np.full(n, -1, dtype=np.int64)
    out[at] = index
    return out, np.hypot(*(sites[out] - xy).T)


def segment_distance(
    a: np.ndarray, b: np.ndarray, xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each point of ``xy`` to the segment ``a[i] b[i]`` of the same row, and
    the nearest point on it ((n, 2)).

    Examples
    --------
    >>> d, q = segment_distance(np.array([[0.0, 0.0]]), np.array([[0.0, 10.0]]),
    ...                         np.array([[3.0, 4.0]]))
    >>> d.tolist(), q.tolist()
    ([3.0], [[0.0, 4.0]])
    """
    ab = b - a
    length2 = np.einsum("ij,ij->i", ab, ab)
    t = np.einsum("ij,ij->i", xy - a, ab) / np.where(length2 > 0, length2, 1.0)
    np.clip(t, 0.0, 1.0, out=t)
    q = a + t[:, None] * ab
    return np.hypot(*(xy - q).T), q


def nearest_segments(
    a: np.ndarray, b: np.ndarray, xy: np.ndarray, *, points: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The nearest of the segments ``a[i] b[i]`` (k of them) to each point of ``xy``
    (``points``: the same points as shapely Points, when the caller has them).

    Returns
    -------
    index : numpy.ndarray of int
        The segment (``-1`` when there is none).
    distance : numpy.ndarray
    nearest : numpy.ndarray, shape (n, 2)
        The nearest point on that segment.

    Examples
    --------
    >>> a = np.array([[0.0, 0.0], [5.0, 0.0]])
    >>> b = np.array([[0.0, 10.0], [5.0, 10.0]])
    >>> i, d, q = nearest_segments(a, b, np.array([[1.0, 2.0], [4.0, 20.0]]))
    >>> i.tolist(), d.round(3).tolist(), q.tolist()
    ([0, 1], [1.0, 10.05], [[0.0, 2.0], [5.0, 10.0]])
    """
    n = xy.shape[0]
    if a.shape[0] == 0 or n == 0:
        return np.full(n, -1, dtype=np.int64), np.full(n, np.inf), np.full((n, 2), np.nan)
    tree = shapely.STRtree(shapely.linestrings(np.stack([a, b], axis=1)))
    at, found = tree.query_nearest(
        shapely.points(xy) if points is None else points, all_matches=False
    )
    index = np.full(n, -1, dtype=np.int64)
    index[at] = found
    dist, q = segment_distance(a[index], b[index], xy)
    return index, dist, q
