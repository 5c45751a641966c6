"""Shared fixtures; the values and helpers behind them live in ``support.py``.

Import shared names with ``from support import ...`` (not from ``conftest``: service test
folders have conftest modules of their own).
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from passport.crypto.keys import Ed25519Key
from passport.verification import status_check
from support import KEY_SEEDS, NOW, VECTORS, VECTORS_MISSING, VECTORS_PRESENT, fixed_key

# The same words on every machine: no language asked for (the CLI then speaks Dutch); a test that
# wants English says so with --lang en or its own LANG.
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(scope="session")
def vectors() -> Path:
    """The published vectors' folder; a test that asks for it skips when they are absent."""
    if not VECTORS_PRESENT:
        pytest.skip(VECTORS_MISSING)
    return VECTORS


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def keys() -> dict[str, Ed25519Key]:
    """Named fixed-seed keys: ``keys["worker"]``, ``keys["examinator"]``, ..."""
    return {name: fixed_key(name) for name in KEY_SEEDS}


@pytest.fixture(scope="session")
def key(keys: dict[str, Ed25519Key]) -> Ed25519Key:
    """The default signing key (the worker's)."""
    return keys["worker"]


@pytest.fixture(scope="module")
def world():
    """Ria's demo world at ``NOW``: shared within a module and never mutated (tests that revoke build their own)."""
    from passport.demo.world import build_world

    return build_world("ria", NOW)


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    """The id of every status list whose proof the status step verifies."""
    seen: list[str] = []
    real = status_check.verify_proof

    def counting(document, **options):
        seen.append(document.get("id"))
        return real(document, **options)
    monkeypatch.setattr(status_check, "verify_proof", counting)
    return seen
