"""Timing helpers shared by the benchmarks (not a benchmark itself)."""

from __future__ import annotations

import time


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    out = func(*args, **kwargs)
    return time.perf_counter() - start, out


def best_of(repeat: int, func, *args, before=None, **kwargs):
    """Fastest of ``repeat`` runs (``before`` runs untimed ahead of each, e.g. a cache
    clear): the machine may be busy with other work, and the minimum is the least
    disturbed figure."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(timed(func, *args, **kwargs))
    return min(r[0] for r in runs), runs[-1][1]
