"""Nearest neighbours in a plane (metres of an equal-area projection), exact, in bulk.

- :func:`nearest_points`: the nearest of a set of points (the towns) to each of many
  points;
- :class:`BoxedPoints`: the nearest of a set of straight segments (a front) to each of many
  points, for many sets in turn (the fronts of many dates): tree queries per box of points,
  not per point, and the (point, segment) pairs that can matter measured with numpy;
- :func:`segment_distance`: the distance from points to segments and the nearest point on
  them, row by row.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["BoxedPoints", "nearest_points", "segment_distance"]


def nearest_points(
    sites: np.ndarray, xy: np.ndarray, boxed: BoxedPoints | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Position in ``sites`` (k, 2) of the nearest site to each point of ``xy`` (n, 2), and
    its distance; ``-1`` and ``inf`` when there are no sites (or the point is not finite).
    ``boxed``: the points of ``xy`` in boxes, when the caller has them.

    The points in boxes (:class:`BoxedPoints`, the sites as segments of no length): a few
    tree queries per box, not one per point. Of two sites at the same distance, the one
    listed first.

    Examples
    --------
    >>> i, d = nearest_points(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([[7.0, 4.0]]))
    >>> i.tolist(), d.tolist()
    ([1], [5.0])
    """
    n = xy.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    if sites.shape[0] == 0 or n == 0:
        return out, np.full(n, np.inf)
    boxed = BoxedPoints(xy) if boxed is None else boxed
    at, found = boxed.nearest(sites, sites, max_distance=None, lines=shapely.points(sites))
    out[at] = found
    distance = np.full(n, np.inf)
    distance[at] = np.hypot(*(sites[found] - xy[at]).T)
    return out, distance


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


class BoxedPoints:
    """Fixed points grouped in small square boxes, to find, for many sets of segments in
    turn (the fronts of many dates), the nearest segment of each point within a distance.

    Each box has a centre and a radius (the farthest of its points from the centre). For a
    set of segments, shapely's STRtree finds the nearest segment to each box's centre
    (distance ``dc``); the nearest segment of any point of the box is then within
    ``dc + 2 * radius`` of the centre (it is at most ``dc + radius`` from the point, the
    point at most ``radius`` from the centre), so a second query gives, per box, every
    segment that can be nearest to one of its points, and numpy measures those pairs. The
    answer is the same as asking the tree for each point (exact), for a few tree queries
    per box instead of one per point.

    Examples
    --------
    >>> pts = np.array([[0.0, 1.0], [3.0, 2.0], [50.0, 0.0]])
    >>> boxed = BoxedPoints(pts)
    >>> a, b = np.array([[0.0, 0.0], [3.0, 0.0]]), np.array([[1.0, 0.0], [3.0, 5.0]])
    >>> at, seg = boxed.nearest(a, b, max_distance=10.0)
    >>> at.tolist(), seg.tolist()
    ([0, 1], [0, 1])
    """

    def __init__(self, xy: np.ndarray, *, per_box: float = 16.0):
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.x, self.y = xy[:, 0].copy(), xy[:, 1].copy()
        self._last: np.ndarray | None = None  # the nearest id to each centre, last call
        ok = np.flatnonzero(np.isfinite(xy).all(axis=1))
        if ok.size == 0:
            self.order = np.zeros(0, np.int64)
            self.start = self.count = np.zeros(0, np.int64)
            self.centres = np.zeros((0, 2))
            self.radius = np.zeros(0)
            self.points = shapely.points(self.centres)
            return
        lo, hi = xy[ok].min(axis=0), xy[ok].max(axis=0)
        extent = np.maximum(hi - lo, 1.0)
        side = max(float(np.sqrt(extent[0] * extent[1] * per_box / ok.size)), 1.0)
        cells = np.floor((xy[ok] - lo) / side).astype(np.int64)
        key = cells[:, 0] * (int(extent[1] // side) + 2) + cells[:, 1]
        order = np.argsort(key, kind="stable")
        key = key[order]
        self.order = ok[order]  # the points, box by box
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        self.start = first
        self.count = np.diff(np.r_[first, key.size])
        pxy = xy[self.order]
        low = np.minimum.reduceat(pxy, first, axis=0)
        high = np.maximum.reduceat(pxy, first, axis=0)
        self.centres = (low + high) / 2
        far = np.hypot(*(pxy - np.repeat(self.centres, self.count, axis=0)).T)
        # a hair more than the farthest point: the queries' rounding must not drop a pair
        self.radius = np.maximum.reduceat(far, first) * (1 + 1e-9) + 1e-6
        self.points = shapely.points(self.centres)

    def members(self, box: np.ndarray) -> np.ndarray:
        """The points of each of the boxes ``box`` (positions in the points given), box
        after box (``count[box]`` of them each)."""
        return self.order[_ranges(self.start[box], self.count[box])]

    def squares(self) -> np.ndarray:
        """Each box as a square around its points (shapely Polygons)."""
        x, y, r = self.centres[:, 0], self.centres[:, 1], self.radius
        return shapely.box(x - r, y - r, x + r, y + r)

    def nearest(
        self,
        a: np.ndarray,
        b: np.ndarray,
        *,
        max_distance: float | None,
        lines: np.ndarray | None = None,
        ids: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The points within ``max_distance`` of some segment ``a[i] b[i]`` (``None``: all
        points), and the position of the nearest segment to each (``lines``: the segments
        as shapely LineStrings, when the caller has them).

        ``ids``: increasing ids of the segments in a set that stays the same between calls
        (the fronts of many dates among all shared edges): the segment nearest to each
        box's centre in the previous call, when it is still there, then bounds the search
        instead of a nearest-neighbour query.

        Ties (two segments at the same distance, as at a shared end) go to the segment
        listed first.
        """
        none = np.zeros(0, np.int64)
        if a.shape[0] == 0 or self.order.size == 0:
            return none, none
        if lines is None:
            lines = shapely.linestrings(np.stack([a, b], axis=1))
        tree = shapely.STRtree(lines)
        segments = _Segments(a, b)
        cx, cy = self.centres[:, 0], self.centres[:, 1]
        # an upper bound of each centre's distance to the segments
        bound = np.full(cx.size, np.inf)
        if ids is not None and self._last is not None:
            pos = np.minimum(np.searchsorted(ids, self._last), ids.size - 1)
            kept = np.flatnonzero((self._last >= 0) & (ids[pos] == self._last))
            bound[kept] = np.sqrt(segments.distance2(pos[kept], cx[kept], cy[kept]))
        if max_distance is not None:
            bound[bound > max_distance + self.radius] = np.inf  # asked afresh below
        ask = np.flatnonzero(np.isinf(bound))
        if ask.size:
            far = None if max_distance is None else max_distance + self.radius.max()
            k, seg = tree.query_nearest(self.points[ask], max_distance=far, all_matches=False)
            bound[ask] = -np.inf  # none within max_distance of any point of the box
            bound[ask[k]] = np.sqrt(segments.distance2(seg, cx[ask[k]], cy[ask[k]]))
            if max_distance is not None:
                bound[bound > max_distance + self.radius] = -np.inf
        # every segment that can be nearest to a point of a box: within bound + 2 radius
        # of its centre (nearest to the point: within bound + radius of it)
        look = np.flatnonzero(np.isfinite(bound))
        reach = (bound[look] + 2 * self.radius[look]) * (1 + 1e-9) + 1e-6
        # the segments whose envelope meets the square around that circle (no distance
        # computed by the tree), then those within reach
        x, y = cx[look], cy[look]
        square = shapely.box(x - reach, y - reach, x + reach, y + reach)
        at, cand = tree.query(square)
        rx, ry = segments.offset(cand, x[at], y[at])
        e = np.hypot(rx, ry)
        near = e <= reach[at]
        at, cand, e, rx, ry = look[at[near]], cand[near], e[near], rx[near], ry[near]
        if at.size == 0:
            if ids is not None:
                self._last = np.full(cx.size, -1, np.int64)
            return none, none
        # the candidates of each box, nearest to its centre first
        # one sorted key, box by box and by distance within a box; a box's span (scale)
        # is more than twice any distance compared below
        top = float(e.max()) + (max_distance or 0.0) + 6 * float(self.radius.max())
        scale = 2 * top + 1.0
        slack = 1e-6 + 1e-12 * scale * cx.size  # more than the key's rounding
        key = at * scale + e
        sort = np.argsort(key, kind="stable")
        key, cand, e = key[sort], cand[sort], e[sort]
        # the distance to a segment is convex: from the centre, it grows at most as fast
        # as along the way away from the segment's nearest point (nx, ny), so a point at
        # (vx, vy) from the centre is at least e + nx vx + ny vy from that segment
        away = np.where(e > 0, e, 1.0)
        nx, ny = rx[sort] / away, ry[sort] / away
        n_cand = np.bincount(at, minlength=cx.size)
        cand_start = np.cumsum(n_cand) - n_cand
        box = np.flatnonzero(n_cand)
        if ids is not None:
            self._last = np.full(cx.size, -1, np.int64)
            self._last[box] = ids[cand[cand_start[box]]]
        if max_distance is not None:
            dc = e[cand_start[box]]  # the distance of each centre to the nearest
            box = box[dc <= max_distance + self.radius[box]]
        if box.size == 0:
            return none, none
        count = self.count[box]
        unit = self.members(box)  # the points of the boxes found
        unit_box = np.repeat(box, count)
        # a point's nearest segment is no farther than the nearest of its box's first few
        # candidates (ub), so no farther from the centre than ub + the point's offset
        first = np.minimum(n_cand, 4)[unit_box]
        few = _ranges(cand_start[unit_box], first)
        ux, uy = self.x[unit], self.y[unit]
        d2 = segments.distance2(cand[few], np.repeat(ux, first), np.repeat(uy, first))
        ub = np.sqrt(np.minimum.reduceat(d2, np.cumsum(first) - first))
        vx, vy = ux - cx[unit_box], uy - cy[unit_box]
        offset = np.hypot(vx, vy)
        last = unit_box * scale + (ub + offset) * (1 + 1e-9) + slack
        ask = np.argsort(last)  # sorted needles search much faster
        size = np.empty(last.size, np.int64)
        size[ask] = np.searchsorted(key, last[ask], side="right")
        size -= cand_start[unit_box]
        pos = _ranges(cand_start[unit_box], size)
        group = np.cumsum(size) - size
        # of those, the ones whose lower bound (with a margin for rounding) is within ub
        pvx, pvy = np.repeat(vx, size), np.repeat(vy, size)
        low = nx[pos] * pvx
        low += ny[pos] * pvy
        low += e[pos] * (1 - 1e-9)
        room = ub * (1 + 1e-9) + 1e-9 * offset + 1e-6
        keep = low <= np.repeat(room, size)
        size = np.add.reduceat(keep.astype(np.int64), group)  # the nearest is kept: >= 1
        pair_cand = cand[pos[keep]]
        d2 = segments.distance2(pair_cand, np.repeat(ux, size), np.repeat(uy, size))
        group = np.cumsum(size) - size
        best = np.minimum.reduceat(d2, group)
        hit = np.flatnonzero(d2 == np.repeat(best, size))
        owner = np.repeat(np.arange(size.size), size)[hit]
        found = np.minimum.reduceat(
            pair_cand[hit], np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        )
        if max_distance is None:
            return unit, found
        within = best <= max_distance * max_distance
        return unit[within], found[within]


class _Segments:
    """Segments as contiguous columns, to measure many (point, segment) pairs."""

    def __init__(self, a: np.ndarray, b: np.ndarray):
        self.ax, self.ay = a[:, 0].copy(), a[:, 1].copy()
        self.dx, self.dy = b[:, 0] - self.ax, b[:, 1] - self.ay
        length2 = self.dx * self.dx + self.dy * self.dy
        length2[length2 == 0] = 1.0  # a point: t is 0 whatever the divisor
        self.length2 = length2

    def distance2(self, seg: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Squared distance from each point ``(x[i], y[i])`` to the segment ``seg[i]``
        (the arithmetic of :func:`segment_distance`, in place)."""
        wx, wy = self.offset(seg, x, y)
        wx *= wx
        wy *= wy
        wx += wy
        return wx

    def offset(
        self, seg: np.ndarray, x: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each point ``(x[i], y[i])`` less its nearest point on the segment ``seg[i]``."""
        wx = x - self.ax[seg]
        wy = y - self.ay[seg]
        dx, dy = self.dx[seg], self.dy[seg]
        t = wx * dx
        t += wy * dy
        t /= self.length2[seg]
        np.clip(t, 0.0, 1.0, out=t)
        dx *= t
        wx -= dx
        dy *= t
        wy -= dy
        return wx, wy


def _ranges(start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``start[i], start[i] + 1, ..., start[i] + count[i] - 1`` for each i, concatenated."""
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(start, count) + offset
