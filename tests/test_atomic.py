"""Writes are atomic: an interrupted write leaves the old file intact and nothing partial."""

from __future__ import annotations

import errno
import os

import pytest

from geoconflict._atomic import atomic_dir, atomic_path, write_bytes, write_text


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_exception_mid_write_keeps_the_old_file(tmp_path):
    target = write_text(tmp_path / "map.html", "old")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        tmp.write_text("half of the new ")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert listing(tmp_path) == ["map.html"]


def test_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = write_text(tmp_path / "places.geojson", "old")
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left"):
        with atomic_path(target) as tmp, open(tmp, "wb", buffering=0) as fh:
            fh.write(b"x" * 10)
            os.write(fh.fileno(), b"more")
    monkeypatch.setattr(os, "write", real_write)
    assert target.read_text() == "old"
    assert listing(tmp_path) == ["places.geojson"]


def test_new_file_is_complete_and_readable(tmp_path):
    target = write_bytes(tmp_path / "sub" / "a.bin", b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_atomic_dir_failure_keeps_old_folder(tmp_path):
    target = tmp_path / "dataset"
    with atomic_dir(target) as tmp:
        (tmp / "places.csv").write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_dir(target) as tmp:
        (tmp / "places.csv").write_text("new, half")
        raise KeyboardInterrupt
    assert (target / "places.csv").read_text() == "old"
    assert listing(tmp_path) == ["dataset"]


def test_atomic_dir_replaces_old_folder(tmp_path):
    target = tmp_path / "dataset"
    with atomic_dir(target) as tmp:
        (tmp / "old.csv").write_text("old")
    with atomic_dir(target) as tmp:
        (tmp / "new.csv").write_text("new")
    assert listing(target) == ["new.csv"]
    assert listing(tmp_path) == ["dataset"]
