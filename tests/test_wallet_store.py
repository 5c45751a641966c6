"""The encrypted wallet file: round trip, wrong passphrase, damage and tampering, permissions, KDF cost."""
from __future__ import annotations

import json
import os

import nacl.pwhash.argon2id as argon2id
import pytest

from support import NOW
from passport.errors import (
    WalletCorrupt, WalletExists, WalletNotFound, WalletPermissions, WalletUnsupported, WrongPassphrase,
)
from passport.encoding.jcs import canonicalize
from passport.encoding.multibase import decode_u, encode_u
from passport.wallet import crypto
from passport.wallet.store import Wallet, checksum
from test_wallet_support import PASSPHRASE, ria_wallet, ria_world, wallet_env  # noqa: F401 (fixtures)


def _envelope(path) -> dict:
    return json.loads(path.read_text())


def _write(path, document) -> None:
    path.write_text(json.dumps(document))
    os.chmod(path, 0o600)


def test_round_trip_keeps_everything(ria_wallet, wallet_env):
    opened = Wallet.open(str(wallet_env), PASSPHRASE)
    assert opened.data == ria_wallet.data
    assert opened.did == ria_world().holder.did
    assert len(opened.credentials) == len(ria_world().endorsements)


def test_file_is_the_documented_envelope_with_its_own_params(ria_wallet, wallet_env):
    document = _envelope(wallet_env)
    assert set(document) == {"format", "version", "kdf", "cipher", "keyCheck", "generation", "nonce", "ciphertext",
                             "checksum"}
    assert document["format"] == "paspoort-wallet" and document["version"] == 1
    assert document["cipher"] == "xchacha20poly1305"
    assert document["kdf"]["name"] == "argon2id"
    assert (document["kdf"]["opslimit"], document["kdf"]["memlimit"]) == crypto.PROFILES["test"]
    assert len(decode_u(document["kdf"]["salt"])) == 16 and len(decode_u(document["nonce"])) == 24
    assert os.stat(wallet_env).st_mode & 0o777 == 0o600


def test_nothing_secret_is_in_the_file(ria_wallet, wallet_env):
    raw = wallet_env.read_text()
    secret = ria_world().holder.to_multikey()["secretKeyMultibase"]
    for plain in (secret, ria_world().holder.did, "Ria de Vries", "holderKey", "fysieke-belastbaarheid"):
        assert plain not in raw


def test_every_save_uses_a_fresh_nonce(ria_wallet, wallet_env):
    first = _envelope(wallet_env)["nonce"]
    ria_wallet.save()
    assert _envelope(wallet_env)["nonce"] != first


def test_wrong_passphrase(ria_wallet, wallet_env):
    with pytest.raises(WrongPassphrase) as caught:
        Wallet.open(str(wallet_env), "not the passphrase")
    assert caught.value.code == "WALLET_PASSPHRASE" and caught.value.status == 401


@pytest.mark.parametrize("where", ["ciphertext-start", "ciphertext-middle", "ciphertext-end", "nonce"])
def test_flipped_byte_in_ciphertext_or_nonce_is_corrupt(ria_wallet, wallet_env, where):
    document = _envelope(wallet_env)
    field = "nonce" if where == "nonce" else "ciphertext"
    data = bytearray(decode_u(document[field]))
    index = {"ciphertext-start": 0, "ciphertext-middle": len(data) // 2, "ciphertext-end": -1, "nonce": 3}[where]
    data[index] ^= 0x01
    document[field] = encode_u(bytes(data))
    _write(wallet_env, document)
    with pytest.raises(WalletCorrupt):
        Wallet.open(str(wallet_env), PASSPHRASE)


@pytest.mark.parametrize("change", [
    lambda d: d["kdf"].update(salt=encode_u(bytes([decode_u(d["kdf"]["salt"])[0] ^ 1]) + decode_u(d["kdf"]["salt"])[1:])),
    lambda d: d["kdf"].update(opslimit=d["kdf"]["opslimit"] + 1),
    lambda d: d.update(keyCheck=encode_u(bytes(32))),
    lambda d: d.update(format="paspoort-walled"),
    lambda d: d.update(cipher="xchacha20poly1306"),
], ids=["salt", "opslimit", "keyCheck", "format", "cipher"])
def test_changed_header_is_detected_as_corrupt(ria_wallet, wallet_env, change):
    document = _envelope(wallet_env)
    change(document)
    _write(wallet_env, document)
    with pytest.raises(WalletCorrupt):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_header_is_associated_data_even_with_a_recomputed_checksum(ria_wallet, wallet_env):
    """An attacker who fixes the checksum still cannot change the header unnoticed."""
    document = _envelope(wallet_env)
    document["version"] = 1
    document["cipher"] = "xchacha20poly1305"
    # move the nonce: authenticated as part of the associated data, so decryption fails
    data = bytearray(decode_u(document["ciphertext"]))
    data[5] ^= 0x80
    document["ciphertext"] = encode_u(bytes(data))
    document["checksum"] = checksum(document)
    _write(wallet_env, document)
    with pytest.raises(WalletCorrupt, match="tampered"):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_flipped_raw_byte_anywhere_is_corrupt(ria_wallet, wallet_env):
    raw = bytearray(wallet_env.read_bytes())
    for index in (2, len(raw) // 3, len(raw) // 2, len(raw) - 10):
        damaged = bytearray(raw)
        damaged[index] ^= 0x02
        wallet_env.write_bytes(bytes(damaged))
        with pytest.raises((WalletCorrupt, WalletUnsupported)):
            Wallet.open(str(wallet_env), PASSPHRASE)


def test_truncated_file_is_corrupt(ria_wallet, wallet_env):
    wallet_env.write_bytes(wallet_env.read_bytes()[:200])
    with pytest.raises(WalletCorrupt):
        Wallet.open(str(wallet_env), PASSPHRASE)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_file_readable_by_others_is_refused(ria_wallet, wallet_env, mode):
    os.chmod(wallet_env, mode)
    with pytest.raises(WalletPermissions, match="chmod 600"):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_missing_wallet_and_existing_wallet(wallet_env):
    with pytest.raises(WalletNotFound):
        Wallet.open(str(wallet_env), PASSPHRASE)
    Wallet.create(str(wallet_env), PASSPHRASE, now=NOW)
    with pytest.raises(WalletExists):
        Wallet.create(str(wallet_env), PASSPHRASE, now=NOW)


def test_production_default_is_moderate_and_test_profile_only_lowers(monkeypatch):
    monkeypatch.delenv("PASSPORT_KDF_PROFILE", raising=False)
    assert crypto.profile_params() == (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE)
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    ops, mem = crypto.profile_params()
    assert ops <= argon2id.OPSLIMIT_MODERATE and mem < argon2id.MEMLIMIT_MODERATE
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "cheap")
    with pytest.raises(WalletUnsupported):
        crypto.profile_params()


def test_a_file_cannot_ask_for_unbounded_memory(ria_wallet, wallet_env):
    document = _envelope(wallet_env)
    document["kdf"]["memlimit"] = 64 * 1024 ** 3
    document["checksum"] = checksum(document)
    _write(wallet_env, document)
    with pytest.raises(WalletUnsupported, match="out of bounds"):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_passphrase_change_uses_a_new_salt(ria_wallet, wallet_env):
    salt = _envelope(wallet_env)["kdf"]["salt"]
    ria_wallet.change_passphrase("a new passphrase here")
    assert _envelope(wallet_env)["kdf"]["salt"] != salt
    with pytest.raises(WrongPassphrase):
        Wallet.open(str(wallet_env), PASSPHRASE)
    assert Wallet.open(str(wallet_env), "a new passphrase here").data == ria_wallet.data


def test_header_is_canonical_associated_data():
    header = {"format": "paspoort-wallet", "version": 1}
    nonce, ciphertext = crypto.seal(header, b"secret", bytes(32))
    assert crypto.unseal(header, nonce, ciphertext, bytes(32), "wallet") == b"secret"
    assert canonicalize({**header, "nonce": nonce})  # the exact associated data
    with pytest.raises(WalletCorrupt):
        crypto.unseal({**header, "version": 2}, nonce, ciphertext, bytes(32), "wallet")


def test_a_cheap_file_is_flagged_outside_the_test_profile(ria_wallet, monkeypatch):
    assert not ria_wallet.weak_kdf  # made with the test profile, which is in force
    monkeypatch.delenv("PASSPORT_KDF_PROFILE")
    assert ria_wallet.weak_kdf


# --- one command at a time ---------------------------------------------------------------------
def test_a_second_open_waits_for_the_first_and_then_sees_its_changes(tmp_path):
    import fcntl as _fcntl

    from passport.errors import WalletBusy
    from passport.wallet.store import Wallet

    path = str(tmp_path / "w.wallet")
    Wallet.create(path, "geheim wachtwoord", kdf_profile="test")
    first = Wallet.open(path, "geheim wachtwoord")
    with pytest.raises(WalletBusy) as caught:
        Wallet.open(path, "geheim wachtwoord", lock_timeout=0.2)
    assert caught.value.code == "WALLET_BUSY"
    first.data["settings"]["lang"] = "en"
    first.save()
    first.close()
    with Wallet.open(path, "geheim wachtwoord", lock_timeout=0.2) as second:
        assert second.data["settings"]["lang"] == "en"
    # A process that dies holding the lock releases it: the kernel drops flock locks with the descriptor.
    descriptor = os.open(path + ".lock", os.O_RDWR)
    _fcntl.flock(descriptor, _fcntl.LOCK_EX)
    os.close(descriptor)
    Wallet.open(path, "geheim wachtwoord", lock_timeout=0.2).close()
