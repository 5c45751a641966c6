"""Shared helpers for the wallet tests (no tests here): Ria's demo world, a filled wallet, the CLI.

Every wallet test runs with ``PASSPORT_KDF_PROFILE=test`` (Argon2id at libsodium's minimum
cost): the profile may only lower the cost, and only because the tests set it explicitly.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from support import NOW
from support import run_cli as run  # noqa: F401 (the test modules import run from here)
from passport.demo.world import EXAMPLES, build_world
from passport.wallet import inbox, profile
from passport.wallet.profile import load_source
from passport.wallet.store import Wallet

PASSPHRASE = "correct horse battery staple"
RIA_PROFILE = EXAMPLES / "ria" / "profile.yaml"
NOW_TEXT = "2026-11-23T12:00:00Z"


@functools.lru_cache(maxsize=1)
def ria_world():
    return build_world("ria", NOW)


def endorsement(kind: str) -> dict:
    """The first of Ria's signed endorsements whose last type is ``kind``."""
    return next(e for e in ria_world().endorsements if e["type"][-1] == kind)


@pytest.fixture
def wallet_env(tmp_path, monkeypatch) -> Path:
    """Fast KDF, passphrase and wallet path in the environment; returns the wallet path."""
    path = tmp_path / "ria.wallet"
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    monkeypatch.setenv("PASSPORT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PASSPORT_WALLET", str(path))
    monkeypatch.delenv("PASSPORT_NEW_PASSPHRASE", raising=False)
    monkeypatch.delenv("PASSPORT_RECOVERY_CODE", raising=False)
    return path


@pytest.fixture
def ria_wallet(wallet_env) -> Wallet:
    """Ria's wallet with her profile and every demo endorsement imported."""
    wallet = Wallet.create(str(wallet_env), PASSPHRASE, holder_key=ria_world().holder, now=NOW)
    profile.set_profile(wallet, load_source(str(RIA_PROFILE)), now=NOW)
    for credential in ria_world().endorsements:
        inbox.import_credential(wallet, credential, now=NOW, source="test")
    wallet.save()
    return wallet




def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
