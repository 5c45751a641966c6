"""Shared test support: the published vectors, a fixed clock, fixed-seed keys, time limits.

Tests never read the clock and never generate random keys unless that is what they test:
``NOW`` is the reference time and every named key below comes from a fixed seed.
"""
from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from passport.crypto.keys import Ed25519Key

ROOT = Path(__file__).resolve().parents[1]  # the repository

# The published vectors are not the project's and are not copied into it: they live beside the
# checkout (../shared/vectors, as in CI) or wherever PASPOORT_VECTORS points. A test that needs
# them skips with VECTORS_MISSING when they are absent; nothing reads them at import time.
VECTORS = Path(os.environ.get("PASPOORT_VECTORS") or ROOT.parent / "shared" / "vectors").resolve()
W3C_EDDSA = VECTORS / "w3c-vc-di-eddsa"
VECTORS_PRESENT = VECTORS.is_dir()
VECTORS_MISSING = (f"published test vectors not found at {VECTORS} "
                   "(set PASPOORT_VECTORS to their folder; CI has them at ../shared/vectors)")
needs_vectors = pytest.mark.skipif(not VECTORS_PRESENT, reason=VECTORS_MISSING)


def vector(relative: str) -> Path:
    """The path of one published vector file; skips the calling test when the vectors are absent."""
    if not VECTORS_PRESENT:
        pytest.skip(VECTORS_MISSING)
    return VECTORS / relative


def vector_json(relative: str) -> Any:
    return json.loads(vector(relative).read_text(encoding="utf-8"))

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


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``passport ARGV`` in-process: (exit code, stdout, stderr); a traceback is a failure."""
    from passport.cli import main

    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err
