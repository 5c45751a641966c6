"""SQLite writers of the issuer queue on one ``flock`` per database file (``db.WriterQueue``).

Across processes the kernel hands the lock to the next waiter at once, so workers do not meet
in SQLite's busy handler, which sleeps in growing steps; a worker that dies holding it frees it.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import time

import pytest

from issuer_service.db import WriterQueue, sqlite_path

CONTEXT = multiprocessing.get_context("fork")


def _hold(path: str, seconds: float, held, done) -> None:
    with WriterQueue(path):
        held.set()
        time.sleep(seconds)
        done.set()  # still holding: whoever enters next must see it set


def test_a_second_process_waits_until_the_first_is_done(tmp_path):
    path = str(tmp_path / "issuer.sqlite3")
    held, done = CONTEXT.Event(), CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold, args=(path, 0.5, held, done))
    holder.start()
    try:
        assert held.wait(10)
        with WriterQueue(path):
            assert done.is_set(), "entered while another process held the writer lock"
    finally:
        holder.join(10)
    assert holder.exitcode == 0


def test_a_process_killed_while_writing_frees_the_lock(tmp_path):
    path = str(tmp_path / "issuer.sqlite3")
    held, done = CONTEXT.Event(), CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold, args=(path, 60, held, done))
    holder.start()
    assert held.wait(10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    start = time.monotonic()
    with WriterQueue(path):
        pass
    assert time.monotonic() - start < 5 and not done.is_set()


def test_re_entrant_in_a_thread_and_private_file(tmp_path):
    path = str(tmp_path / "issuer.sqlite3")
    queue = WriterQueue(path)
    with queue:
        with queue:  # a transaction inside a transaction of the same thread
            pass
    assert stat.S_IMODE(os.stat(path + ".writer").st_mode) == 0o600


def test_a_descriptor_inherited_through_fork_is_not_shared(tmp_path):
    """The parent opened its descriptor before the fork; the child must open its own, or the two
    would share one lock and both enter."""
    path = str(tmp_path / "issuer.sqlite3")
    queue = WriterQueue(path)
    with queue:
        pass  # the parent's descriptor is open now
    held, done = CONTEXT.Event(), CONTEXT.Event()

    def child() -> None:
        with queue:
            held.set()
            time.sleep(0.5)
            done.set()

    process = CONTEXT.Process(target=child)
    process.start()
    try:
        assert held.wait(10)
        with queue:
            assert done.is_set(), "the parent entered while its forked child held the lock"
    finally:
        process.join(10)


@pytest.mark.parametrize("url, expected", [("sqlite:////srv/issuer.sqlite3", "/srv/issuer.sqlite3"),
                                           ("sqlite://", None), ("sqlite:///:memory:", None)])
def test_sqlite_path(url, expected):
    assert sqlite_path(url) == expected
