"""Drawing an animation's states in other processes, in order, a few at a time.

Each worker is a fresh Python (``python -m geoconflict.figures._draw_process``) that is sent the
conflict and the look once, builds its own :class:`._frames.FrameCanvas` and then draws the
states it is sent, returning their pixels. Workers are started as programs, not with
``multiprocessing``: a user's script is not run again in them (it needs no ``if __name__ ==
"__main__"`` guard) and no process is forked from one that runs threads.

State ``i`` goes to worker ``i % n`` and at most two states per worker are asked for ahead
of the one being read, so the pixels held at once do not grow with the number of frames.
Warnings raised in a worker are raised again, once each, in the calling process.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import GeoconflictError
from ._frames import FrameCanvas, render_state

__all__ = ["Pool", "serve"]

#: States asked for ahead, per worker.
AHEAD = 2
_WARNINGS = {"UserWarning", "DeprecationWarning", "FutureWarning", "RuntimeWarning"}


def _send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=5)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # our own process's data, over its pipe


def _category(module: str, name: str) -> type[Warning]:
    """The warning class a worker reported: ours, a built-in one, or UserWarning."""
    if module == "geoconflict.errors":
        found = getattr(importlib.import_module(module), name, None)
        if isinstance(found, type) and issubclass(found, Warning):
            return found
    if module == "builtins" and name in _WARNINGS:
        return getattr(builtins, name)
    return UserWarning


class Pool:
    """``n`` worker processes drawing states for :func:`._frames.render_state`.

    ``setup`` (the conflict, look, legend and first date) is sent to each worker once.
    """

    def __init__(self, n: int, setup: tuple) -> None:
        package = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([package, *filter(None, [env.get("PYTHONPATH")])])
        env["MPLBACKEND"] = "Agg"
        payload = pickle.dumps(setup, protocol=5)
        self.procs: list[subprocess.Popen] = []
        self.logs: list[IO[bytes]] = []
        self.seen: set[tuple[str, str]] = set()
        try:
            for _ in range(n):
                log = tempfile.TemporaryFile()
                self.logs.append(log)
                proc = subprocess.Popen(
                    [sys.executable, "-m", "geoconflict.figures._draw_process"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=env,
                )
                self.procs.append(proc)
                assert proc.stdin is not None
                proc.stdin.write(struct.pack("<Q", len(payload)) + payload)
                proc.stdin.flush()
        except BaseException:
            self.close(kill=True)
            raise

    def map(self, tasks: Iterable[tuple]) -> Iterator[Any]:
        """The results of ``tasks``, in order."""
        tasks = list(tasks)
        n = len(self.procs)
        for i in range(min(len(tasks), AHEAD * n)):
            self._ask(i % n, tasks[i])
        for i in range(len(tasks)):
            yield self._answer(i % n)
            ahead = i + AHEAD * n
            if ahead < len(tasks):
                self._ask(ahead % n, tasks[ahead])

    def _ask(self, k: int, task: tuple) -> None:
        stdin = self.procs[k].stdin
        assert stdin is not None
        try:
            _send(stdin, task)
        except (BrokenPipeError, OSError):
            self._failed(k)

    def _answer(self, k: int) -> Any:
        stdout = self.procs[k].stdout
        assert stdout is not None
        try:
            kind, value, caught = _receive(stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._failed(k)
        for module, name, message in caught:
            if (name, message) not in self.seen:
                self.seen.add((name, message))
                warnings.warn(message, _category(module, name), stacklevel=4)
        if kind == "error":
            if isinstance(value, BaseException):
                raise value
            raise GeoconflictError(f"drawing a frame failed in a worker process:\n{value}")
        return value

    def _failed(self, k: int):
        self.procs[k].wait(timeout=30)
        self.logs[k].seek(0)
        tail = self.logs[k].read().decode("utf-8", "replace").strip().splitlines()[-5:]
        raise GeoconflictError(
            f"a worker process drawing frames stopped (exit status "
            f"{self.procs[k].returncode}): {' / '.join(tail) or 'no message'}. Fix: pass "
            "workers=1 to draw in this process."
        )

    def close(self, *, kill: bool = False) -> None:
        """Tell the workers to stop (``kill``: stop them at once), and end any that does
        not."""
        for proc in self.procs:
            if kill:
                proc.kill()
            with contextlib.suppress(OSError, ValueError):
                if proc.stdin is not None and not proc.stdin.closed:
                    if not kill:
                        _send(proc.stdin, None)
                    proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        for log in self.logs:
            log.close()


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's loop: read the setup, then draw each state asked for until ``None``."""
    import matplotlib  # optional dependency, there when figures are drawn

    matplotlib.use("Agg")

    def reply(kind: str, value: object, caught: list) -> None:
        notes = [(w.category.__module__, w.category.__name__, str(w.message)) for w in caught]
        try:
            _send(stdout, (kind, value, notes))
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(stdout, ("error", f"{type(value).__name__}: {value}", notes))

    canvas = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            conflict, look, legend, first = _receive(stdin)
            canvas = FrameCanvas(conflict, look, legend, first)
        except EOFError:
            return
        except Exception as exc:  # reported to the caller with its next answer
            failure: object = exc
        else:
            failure = None
    setup_warnings = list(caught)
    while True:
        try:
            task = _receive(stdin)
        except EOFError:
            return
        if task is None:
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if failure is not None or canvas is None:
                reply("error", failure, setup_warnings + list(caught))
                continue
            try:
                date, before, shares = task
                images = render_state(canvas, date, before, shares)
            except Exception as exc:
                trace = "".join(traceback.format_exception(exc))
                reply("error", exc if isinstance(exc, GeoconflictError) else trace, caught)
                continue
        reply("ok", (canvas.layout, images), setup_warnings + list(caught))
        setup_warnings = []
