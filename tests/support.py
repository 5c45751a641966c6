"""Shared test support: the published vectors, a fixed clock, fixed-seed keys, time limits.

Tests never read the clock and never generate random keys unless that is what they test:
``NOW`` is the reference time and every named key below comes from a fixed seed.
"""
from __future__ import annotations

import signal
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from passport.keys import Ed25519Key

# /work/main/tests/support.py -> parents[2] is /work; the vectors live in /work/shared/vectors.
VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors"
W3C_EDDSA = VECTORS / "w3c-vc-di-eddsa"

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
NOW_TEXT = "2026-11-23T12:00:00Z"

# One fixed seed per persona: Ed25519Key(bytes([i]) * 32).
KEY_SEEDS = {
    "worker": 1,
    "examinator": 2,
    "opleider": 3,
    "werkgever": 4,
    "assessor": 5,
    "registry": 6,
    "stranger": 7,
}


def fixed_key(name: str) -> Ed25519Key:
    return Ed25519Key(bytes([KEY_SEEDS[name]]) * 32)


class TookTooLong(AssertionError):
    pass


@contextmanager
def within_seconds(limit: float) -> Iterator[None]:
    """Fail (instead of hanging the run) when the block takes longer than ``limit`` seconds.

    For denial-of-service regressions: hostile input must be refused in linear time.
    Uses SIGALRM, so it works in the main thread on POSIX only.
    """
    def expire(signum: int, frame: object) -> None:
        raise TookTooLong(f"took longer than {limit} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
