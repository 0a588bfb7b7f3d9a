"""Writing frames to GIF, animated WebP and MP4 as they come, one frame held at a time.

GIF and WebP are written here, frame by frame, with Pillow encoding each frame's pixels:
a frame after the first stores only the rectangle that changed, its unchanged pixels
transparent, and a frame equal to the one before only lengthens it. Nothing depends on the
clock or the machine, so the same frames give the same bytes. MP4 (H.264) goes through the
ffmpeg program that the ``imageio-ffmpeg`` package ships (``pip install
'geoconflict[video]'``); nothing is downloaded.

Pillow comes with matplotlib; both are imported when a writer is made.
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path
from typing import IO, Protocol

import numpy as np

from ..errors import MissingDependencyError

__all__ = ["FORMATS", "GifWriter", "Mp4Writer", "WebpWriter", "Writer", "open_writer"]

#: The suffixes :func:`geoconflict.animate` writes, and the format of each.
FORMATS = {".gif": "gif", ".webp": "webp", ".mp4": "mp4"}
#: H.264's constant rate factor (lower: better and larger; 18 is visually lossless).
CRF = 18


class Writer(Protocol):
    def add(self, frame: np.ndarray, duration: int, copies: int) -> None: ...

    def close(self) -> None: ...


def _changed(before: np.ndarray | None, frame: np.ndarray):
    """The box (x0, y0, x1, y1) around the pixels that differ and their mask in it; the
    whole frame when there is nothing before; ``None`` when nothing differs."""
    if before is None:
        h, w = frame.shape[:2]
        return (0, 0, w, h), None
    diff = (before != frame).any(axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if not rows.size:
        return None
    cols = np.flatnonzero(diff.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    return box, diff


class _Held:
    """Holds one frame back, so that a frame equal to it only lengthens it."""

    def __init__(self) -> None:
        self.frame: np.ndarray | None = None
        self.duration = 0

    def push(self, frame: np.ndarray, duration: int) -> tuple[np.ndarray, int] | None:
        """Take ``frame``; return the frame held before, once it is known to be complete."""
        if self.frame is not None and np.array_equal(self.frame, frame):
            self.duration += duration
            return None
        out = None if self.frame is None else (self.frame, self.duration)
        self.frame, self.duration = frame, duration
        return out

    def flush(self) -> tuple[np.ndarray, int] | None:
        out = None if self.frame is None else (self.frame, self.duration)
        self.frame = None
        return out


class GifWriter:
    """An animated GIF, looping: each frame's changed pixels in its own palette of up to
    255 colours (median cut, no dithering), the rest transparent.

    Durations are kept in milliseconds and written as GIF's hundredths of a second, rounded
    on the running total so that the file's length is the sum of the durations.
    """

    TRANSPARENT = 255

    def __init__(self, fp: IO[bytes], size: tuple[int, int]) -> None:
        self.fp = fp
        self.size = size
        self.held = _Held()
        self.shown: np.ndarray | None = None
        self.ms = 0
        self.cs = 0
        width, height = size
        fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x70, 0, 0))
        # loop for ever (the NETSCAPE2.0 application extension)
        fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")

    def add(self, frame: np.ndarray, duration: int, copies: int = 1) -> None:
        done = self.held.push(frame, duration)
        if done is not None:
            self._write(*done)

    def close(self) -> None:
        done = self.held.flush()
        if done is not None:
            self._write(*done)
        self.fp.write(b";")

    def _write(self, frame: np.ndarray, duration: int) -> None:
        from PIL import GifImagePlugin, Image  # optional dependency (with matplotlib)

        self.ms += duration
        end = round(self.ms / 10)
        delay, self.cs = end - self.cs, end
        found = _changed(self.shown, frame)
        if found is None:  # a frame equal to the one shown, after one that differed
            found = ((0, 0, 1, 1), np.zeros(frame.shape[:2], dtype=bool))
        (x0, y0, x1, y1), diff = found
        part = frame[y0:y1, x0:x1]
        params: dict[str, object] = {"duration": delay * 10, "disposal": 1}
        if diff is None:
            image = Image.fromarray(part).quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        else:
            mask = diff[y0:y1, x0:x1]
            source = part.copy()
            if mask.any():
                source[~mask] = part[mask][0]  # unchanged pixels do not take palette room
            quantized = Image.fromarray(source).quantize(
                colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            index = np.asarray(quantized).copy()
            index[~mask] = self.TRANSPARENT
            palette = (quantized.getpalette() or [])[: 3 * 255]
            palette += [0] * (3 * 256 - len(palette))
            image = Image.fromarray(index)  # "L", made "P" by its palette
            image.putpalette(palette)
            params["transparency"] = self.TRANSPARENT
        params["include_color_table"] = True
        for chunk in GifImagePlugin.getdata(image, offset=(x0, y0), **params):
            self.fp.write(chunk)
        self.shown = frame


def _chunks(data: bytes):
    """The (fourcc, payload) chunks of a RIFF WebP file."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise OSError("the WebP encoder returned something that is not a WebP file")
    at = 12
    while at + 8 <= len(data):
        fourcc, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        yield fourcc, data[at + 8 : at + 8 + size]
        at += 8 + size + (size & 1)


def _chunk(fourcc: bytes, payload: bytes) -> bytes:
    return (
        fourcc + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")
    )


def _u24(value: int) -> bytes:
    return struct.pack("<I", value)[:3]


class WebpWriter:
    """An animated WebP (lossless), looping: each frame after the first stores the
    rectangle that changed, its unchanged pixels transparent and blended over the frame
    before. The container (RIFF: VP8X, ANIM, ANMF chunks) is written here around frames
    that Pillow encodes one at a time, so no frame is kept once written."""

    def __init__(self, fp: IO[bytes], size: tuple[int, int], *, method: int = 1) -> None:
        self.fp = fp
        self.size = size
        self.method = method
        self.held = _Held()
        self.shown: np.ndarray | None = None
        width, height = size
        fp.write(b"RIFF\0\0\0\0WEBP")
        # VP8X: animation and alpha flags, then the canvas' width and height less one
        fp.write(_chunk(b"VP8X", bytes([0x12, 0, 0, 0]) + _u24(width - 1) + _u24(height - 1)))
        # ANIM: white background (B, G, R, A), loop for ever
        fp.write(_chunk(b"ANIM", bytes([255, 255, 255, 255]) + struct.pack("<H", 0)))

    def add(self, frame: np.ndarray, duration: int, copies: int = 1) -> None:
        done = self.held.push(frame, duration)
        if done is not None:
            self._write(*done)

    def close(self) -> None:
        done = self.held.flush()
        if done is not None:
            self._write(*done)
        end = self.fp.tell()
        self.fp.seek(4)
        self.fp.write(struct.pack("<I", end - 8))
        self.fp.seek(end)

    def _write(self, frame: np.ndarray, duration: int) -> None:
        from PIL import Image  # optional dependency (with matplotlib)

        found = _changed(self.shown, frame)
        if found is None:
            found = ((0, 0, 2, 2), np.zeros(frame.shape[:2], dtype=bool))
        (x0, y0, x1, y1), diff = found
        x0, y0 = x0 - x0 % 2, y0 - y0 % 2  # frame offsets are stored halved
        part = frame[y0:y1, x0:x1]
        if diff is None:
            image = Image.fromarray(part)
            flags = 0b10  # do not blend: the first frame covers the canvas
        else:
            alpha = np.where(diff[y0:y1, x0:x1], 255, 0).astype(np.uint8)
            image = Image.fromarray(np.dstack([part, alpha]))
            flags = 0b00  # blend over the frame before, keep it
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", lossless=True, method=self.method, exact=False)
        data = b"".join(
            _chunk(fourcc, payload)
            for fourcc, payload in _chunks(buffer.getvalue())
            if fourcc in (b"ALPH", b"VP8 ", b"VP8L")
        )
        h, w = part.shape[:2]
        header = (
            _u24(x0 // 2)
            + _u24(y0 // 2)
            + _u24(w - 1)
            + _u24(h - 1)
            + _u24(min(duration, 2**24 - 1))
            + bytes([flags])
        )
        self.fp.write(_chunk(b"ANMF", header + data))
        self.shown = frame


def ffmpeg() -> str:
    """The ffmpeg program shipped by ``imageio-ffmpeg``, or an error naming the extra."""
    try:  # optional dependency: only MP4 needs it
        import imageio_ffmpeg
    except ImportError:
        raise MissingDependencyError(
            "writing MP4 needs the imageio-ffmpeg package, which ships ffmpeg. Fix: pip "
            "install 'geoconflict[video]', or write a .gif or .webp."
        ) from None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # a platform without a bundled binary and no ffmpeg
        raise MissingDependencyError(
            f"writing MP4 needs ffmpeg: {exc} Fix: install ffmpeg, or write a .gif or .webp."
        ) from None


class Mp4Writer:
    """An MP4 (H.264, yuv420p, constant frame rate) written by the ffmpeg of
    ``imageio-ffmpeg``: frames are piped to it as they come; a frame held longer is sent
    ``copies`` times (the codec stores a repeat in a few bytes)."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float) -> None:
        import imageio_ffmpeg  # optional dependency, checked by ffmpeg()

        ffmpeg()
        self.size = size
        self.writer = imageio_ffmpeg.write_frames(
            os.fspath(path),
            size,
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            quality=None,
            macro_block_size=1,
            ffmpeg_log_level="error",
            output_params=[
                "-crf",
                str(CRF),
                "-preset",
                "medium",
                "-tune",
                "animation",
                "-movflags",
                "+faststart",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:v",
                "+bitexact",
                "-f",
                "mp4",
            ],
        )
        self.writer.send(None)  # start ffmpeg

    def add(self, frame: np.ndarray, duration: int, copies: int = 1) -> None:
        data = np.ascontiguousarray(frame).tobytes()
        for _ in range(copies):
            self.writer.send(data)

    def close(self) -> None:
        self.writer.close()


def open_writer(fmt: str, fp: IO[bytes] | None, path: Path, size: tuple[int, int], fps: float):
    """A writer of ``fmt`` to ``fp`` (GIF, WebP) or ``path`` (MP4)."""
    if fmt == "mp4":
        return Mp4Writer(path, size, fps)
    assert fp is not None
    return GifWriter(fp, size) if fmt == "gif" else WebpWriter(fp, size)
