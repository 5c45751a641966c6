"""``passport receive`` against the issuer served over HTTP on 127.0.0.1: link, QR image, errors."""
from __future__ import annotations

import json
import urllib.request

import pytest

from oid4vci_helpers import new_offer, served_issuer
from passport.crypto.keys import Ed25519Key
from passport.qr.symbols import render_png
from passport.wallet.store import Wallet
from support import run_cli

PASSPHRASE = "correct horse battery staple"
HOLDER = Ed25519Key(bytes([33]) * 32)


@pytest.fixture
def served(tmp_path):
    with served_issuer(tmp_path) as (base, _app, tokens):
        yield base, tokens


@pytest.fixture
def wallet_path(tmp_path, monkeypatch):
    path = tmp_path / "worker.wallet"
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    monkeypatch.setenv("PASSPORT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PASSPORT_WALLET", str(path))
    Wallet.create(str(path), PASSPHRASE, holder_key=HOLDER).close()
    return path


def stored(path) -> list[dict]:
    wallet = Wallet.open(str(path), PASSPHRASE)
    try:
        return [item["credential"] for item in wallet.credentials]
    finally:
        wallet.close()


def test_receive_an_offer_link_with_its_transaction_code(served, wallet_path, capsys, monkeypatch):
    base, tokens = served
    created = new_offer(base, tokens["administratie"])
    monkeypatch.setenv("PASSPORT_TX_CODE", created["tx_code"])
    code, out, err = run_cli(capsys, "receive", created["offer"], "--yes")
    assert code == 0, err
    assert "Aanbod van ROC Testland (127.0.0.1:" in out and "NIET in het vertrouwensregister" in out
    assert "Ontvangen en gecontroleerd: " in out
    [credential] = stored(wallet_path)
    assert credential["credentialSubject"]["id"] == HOLDER.did
    assert credential["type"][-1] == "CertificaatCredential"


def test_receive_from_a_qr_image_in_english(served, wallet_path, capsys, monkeypatch, tmp_path):
    base, tokens = served
    created = new_offer(base, tokens["admin"], "?qr=svg")
    assert created["qr_svg"].startswith("<?xml")
    image = tmp_path / "offer.png"
    render_png(created["offer"], image)
    code_file = tmp_path / "code.txt"
    code_file.write_text(created["tx_code"] + "\n")
    code, out, err = run_cli(capsys, "receive", image, "--yes", "--tx-code-file", code_file, "--lang", "en")
    assert code == 0, err
    assert "Offer from ROC Testland" in out and "Received and checked" in out
    assert len(stored(wallet_path)) == 1


def test_a_wrong_transaction_code_stores_nothing_and_says_which_step(served, wallet_path, capsys, monkeypatch):
    base, tokens = served
    created = new_offer(base, tokens["admin"])
    monkeypatch.setenv("PASSPORT_TX_CODE", "12345x")
    code, out, err = run_cli(capsys, "receive", created["offer"], "--yes")
    assert code == 2
    assert "[ISSUANCE_FAILED]" in err and "invalid_grant" in err
    assert stored(wallet_path) == []


def test_a_used_offer_and_a_foreign_link_are_refused(served, wallet_path, capsys, monkeypatch):
    base, tokens = served
    created = new_offer(base, tokens["admin"])
    monkeypatch.setenv("PASSPORT_TX_CODE", created["tx_code"])
    assert run_cli(capsys, "receive", created["offer"], "--yes")[0] == 0
    code, _out, err = run_cli(capsys, "receive", created["offer"], "--yes")
    assert code == 2 and "[ISSUANCE_FAILED]" in err and "http_404" in err
    code, _out, err = run_cli(capsys, "receive", "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fevil.example%2Fo",
                              "--yes")
    assert code == 2 and "[CREDENTIAL_OFFER_INVALID]" in err
    assert len(stored(wallet_path)) == 1


def test_declining_at_the_prompt_contacts_no_token_endpoint(served, wallet_path, capsys):
    base, tokens = served
    created = new_offer(base, tokens["admin"])
    code, out, _err = run_cli(capsys, "receive", created["offer"])  # no terminal, no --yes: not accepted
    assert code == 1 and "Niet ontvangen." in out
    with urllib.request.urlopen(created["credential_offer_uri"], timeout=30) as response:
        assert response.status == 200  # still open


def test_the_registered_name_is_shown_when_the_trust_registry_lists_the_issuer(served, wallet_path, capsys,
                                                                              monkeypatch, tmp_path):
    from issuer_helpers import REGISTRY_KEY, ISSUER_KEY_SEED
    from passport import sign
    from passport.format.trust import trust_registry_credential
    base, tokens = served
    registry = trust_registry_credential(
        issuer=REGISTRY_KEY.did, registry_id="urn:uuid:6f3e9f4c-2b1a-4c59-9d0e-6c1f3b2a7d10", name="Testregister",
        issuers=[{"id": Ed25519Key(ISSUER_KEY_SEED).did, "name": "ROC Testland (geregistreerd)", "role": "opleider",
                  "credentialTypes": ["CertificaatCredential"], "scope": None,
                  "statusLists": [base + "/status-lists/"]}], valid_from="2026-01-01T00:00:00Z")
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(sign(registry, REGISTRY_KEY, created="2026-01-01T00:00:00Z")))
    created = new_offer(base, tokens["admin"])
    monkeypatch.setenv("PASSPORT_TX_CODE", created["tx_code"])
    code, out, err = run_cli(capsys, "receive", created["offer"], "--yes", "--trust", path)
    assert code == 0, err
    assert "ROC Testland (geregistreerd) (127.0.0.1:" in out and "staat in het vertrouwensregister" in out
