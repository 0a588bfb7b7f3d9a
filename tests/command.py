"""The geoconflict command run inside the test process, as its program runs it.

``python -m geoconflict ARGS`` is ``raise SystemExit(main(ARGS))``: calling :func:`main`
here with the output streams captured runs the same code, without starting Python and
importing the libraries again for each call (about a second of CPU each). The program
itself is still started for real where that is what a test checks (``--help``, the
version, an animation "as a program", a second process's bytes).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

from geoconflict.cli import main

__all__ = ["run_command"]


def run_command(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``geoconflict ARGS``; its exit status and output, as ``subprocess.run`` gives
    them (``capture_output=True, text=True``)."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse: usage errors (2), --help and --version (0)
            status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return subprocess.CompletedProcess(
        ["geoconflict", *argv], status, out.getvalue(), err.getvalue()
    )
