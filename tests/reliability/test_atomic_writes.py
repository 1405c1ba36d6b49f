"""The one atomic writer: a failed write keeps the old file and leaves nothing; the hidden
temporary files a killed save leaves behind are swept by a later save once stale, never while
another save could still be writing them."""

from __future__ import annotations

import os
import time

import pytest

from app.core.fileio import STALE_TEMPORARY_SECONDS, atomic_open, atomic_write_text


def test_a_write_that_fails_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "notes.txt"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as handle:
            handle.write("half of the new")
            raise RuntimeError("disk full")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["notes.txt"]


def test_stale_leftovers_of_killed_saves_are_swept_by_the_next_save(tmp_path):
    target = tmp_path / "my [project].mwproj"  # glob characters in the name are not patterns
    stale = tmp_path / ".my [project].mwproj.k1ll3d.tmp"
    fresh = tmp_path / ".my [project].mwproj.wr1t1ng.tmp"  # another save may be writing it now
    other = tmp_path / ".other.mwproj.k1ll3d.tmp"  # not this file's
    for leftover in (stale, fresh, other):
        leftover.write_text("{\"half")
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    for leftover in (stale, other):
        os.utime(leftover, (old, old))

    atomic_write_text(target, "{}")
    assert target.read_text() == "{}"
    assert not stale.exists()
    assert fresh.exists() and other.exists()
