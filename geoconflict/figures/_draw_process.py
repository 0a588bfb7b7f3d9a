"""The program a drawing process runs: ``python -m geoconflict.figures._draw_process``.

It answers :class:`geoconflict.figures._workers.Pool` over its standard input and output
(see :func:`geoconflict.figures._workers.serve`). A module of its own, imported by nothing,
so that running it does not run a module the package has already imported.
"""

from __future__ import annotations

import os
import sys

from ._workers import serve

__all__: list[str] = []

if __name__ == "__main__":  # pragma: no cover - run in the drawing processes
    # the answers go out on a copy of standard output; anything else printed there
    # (by Python or a library) goes to standard error instead
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, channel)
