"""The OpenWallet Foundation's OpenID4VCI client (npm ``@openid4vc/openid4vci``) as the wallet
against our issuer over HTTP: offer -> token -> nonce -> credential; the credential then
verifies with our verifier. Skipped when ``tests/interop/node_modules`` is missing (``npm ci
--prefix tests/interop``); under ``CI=true`` that is a failure instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from issuer_helpers import REGISTRY_KEY
from oid4vci_helpers import new_offer, served_issuer
from passport import TrustRegistry, TrustStore, check, sign
from passport.crypto.jws import b64url_encode
from passport.crypto.keys import Ed25519Key
from passport.format.trust import trust_registry_credential

INTEROP = Path(__file__).resolve().parents[1] / "interop"
SCRIPT = INTEROP / "oid4vci-wallet.mjs"
HOLDER = Ed25519Key(bytes([34]) * 32)


def _require_node() -> str:
    node = shutil.which("node")
    missing = None if node else "node is not installed"
    if not missing and not (INTEROP / "node_modules" / "@openid4vc" / "openid4vci").is_dir():
        missing = "tests/interop/node_modules is missing: run npm ci --prefix tests/interop"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing + " (required in CI)")
        pytest.skip(missing)
    return node


def _registry(issuer: str, base: str, now: datetime) -> TrustStore:
    """A registry listing our issuer with its status lists at the served base URL."""
    unsigned = trust_registry_credential(
        issuer=REGISTRY_KEY.did, registry_id="urn:uuid:1c9d4f0e-8a53-4f57-b1d8-2b8f0a5e6c31", name="Interop",
        issuers=[{"id": issuer, "name": "ROC Testland", "role": "opleider", "credentialTypes": ["CertificaatCredential"],
                  "scope": None, "statusLists": [base + "/status-lists/"]}], valid_from="2026-01-01T00:00:00Z")
    signed = sign(unsigned, REGISTRY_KEY, created="2026-01-01T00:00:00Z")
    return TrustStore([TrustRegistry.from_credential(signed, trusted_signers={REGISTRY_KEY.did}, now=now)])


def test_the_openid4vci_library_receives_a_credential_that_our_verifier_accepts(tmp_path):
    node = _require_node()
    private_jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(HOLDER.public_key),
                   "d": b64url_encode(bytes([34]) * 32)}
    with served_issuer(tmp_path) as (base, app, tokens):
        created = new_offer(base, tokens["administratie"])
        run = subprocess.run([node, str(SCRIPT), created["offer"], created["tx_code"], json.dumps(private_jwk),
                              HOLDER.verification_method], capture_output=True, text=True, timeout=120, cwd=INTEROP)
        assert run.returncode == 0, run.stderr[-3000:]
        answer = json.loads(run.stdout)
        statuses = {}
        credential = answer["credential"]
        url = credential["credentialStatus"]["statusListCredential"]
        with urllib.request.urlopen(url, timeout=30) as response:
            statuses[url] = json.loads(response.read())
        issuer = app.extensions["paspoort_issuer"].keyring.did
    assert answer["version"] == "V1"  # the library read our metadata as OpenID4VCI 1.0 (final)
    assert credential["credentialSubject"]["id"] == HOLDER.did
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    report = check(credential, now=now, trust=_registry(issuer, base, now), status=statuses)
    assert report.verified, [result.to_dict() for result in report.failures()]
