"""Backups: passphrase and recovery-code slots, tampering, and restore never overwriting."""
from __future__ import annotations

import json
import os

import pytest

from passport.errors import WalletCorrupt, WalletExists, WrongPassphrase
from passport.encoding.multibase import decode_u, encode_u
from passport.wallet import backup
from passport.wallet.store import Wallet, checksum
from support import NOW
from test_wallet_support import PASSPHRASE, ria_wallet, wallet_env  # noqa: F401 (fixtures)


@pytest.fixture
def made(ria_wallet, tmp_path):
    code = backup.new_recovery_code()
    path = tmp_path / "backup.json"
    backup.export_backup(ria_wallet, str(path), PASSPHRASE, now=NOW, recovery_code=code)
    return ria_wallet, path, code


def test_backup_opens_with_passphrase_and_with_recovery_code(made):
    wallet, path, code = made
    assert backup.read_backup(str(path), PASSPHRASE) == wallet.data
    assert backup.read_backup(str(path), code, recovery=True) == wallet.data
    assert backup.read_backup(str(path), code.replace("-", " ").lower(), recovery=True) == wallet.data
    document = json.loads(path.read_text())
    assert [slot["kind"] for slot in document["slots"]] == ["passphrase", "recovery-code"]
    assert "holderKey" not in path.read_text() and code not in path.read_text()
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_recovery_code_shape():
    code = backup.new_recovery_code()
    assert len(code) == 39 and code.count("-") == 7
    assert backup.normalize_code(code) == code.replace("-", "")
    with pytest.raises(WrongPassphrase):
        backup.normalize_code("too-short")


def test_wrong_secrets(made):
    _, path, code = made
    with pytest.raises(WrongPassphrase):
        backup.read_backup(str(path), "wrong passphrase")
    other = backup.new_recovery_code()
    with pytest.raises(WrongPassphrase):
        backup.read_backup(str(path), other, recovery=True)
    with pytest.raises(WrongPassphrase):
        backup.read_backup(str(path), code)  # a code is not the passphrase


def test_backup_without_recovery_slot(ria_wallet, tmp_path):
    path = tmp_path / "plain.json"
    backup.export_backup(ria_wallet, str(path), PASSPHRASE, now=NOW)
    with pytest.raises(WrongPassphrase, match="no recovery-code slot"):
        backup.read_backup(str(path), backup.new_recovery_code(), recovery=True)
    with pytest.raises(WalletExists):
        backup.export_backup(ria_wallet, str(path), PASSPHRASE, now=NOW)


@pytest.mark.parametrize("target", ["ciphertext", "wrappedKey", "slot-kdf", "createdAt"])
def test_tampered_backup_is_corrupt(made, target):
    _, path, _ = made
    document = json.loads(path.read_text())
    if target == "ciphertext":
        data = bytearray(decode_u(document["ciphertext"]))
        data[10] ^= 1
        document["ciphertext"] = encode_u(bytes(data))
    elif target == "wrappedKey":
        data = bytearray(decode_u(document["slots"][0]["wrappedKey"]))
        data[0] ^= 1
        document["slots"][0]["wrappedKey"] = encode_u(bytes(data))
    elif target == "slot-kdf":
        document["slots"][1]["kind"] = "passphrase"
    else:
        document["createdAt"] = "2030-01-01T00:00:00Z"
    path.write_text(json.dumps(document))
    with pytest.raises(WalletCorrupt):  # the checksum no longer matches
        backup.read_backup(str(path), PASSPHRASE)
    document["checksum"] = checksum(document)  # a deliberate change with a fixed checksum
    path.write_text(json.dumps(document))
    with pytest.raises((WalletCorrupt, WrongPassphrase)):
        backup.read_backup(str(path), PASSPHRASE)


def test_restore_never_overwrites_without_force(made, wallet_env, tmp_path):
    wallet, path, code = made
    content = backup.read_backup(str(path), code, recovery=True)
    before = wallet_env.read_bytes()
    with pytest.raises(WalletExists):
        backup.restore(str(path), content, str(wallet_env), "new passphrase 1")
    assert wallet_env.read_bytes() == before
    backup.restore(str(path), content, str(wallet_env), "new passphrase 1", force=True)
    assert Wallet.open(str(wallet_env), "new passphrase 1").data == wallet.data
    fresh = tmp_path / "fresh.wallet"
    backup.restore(str(path), content, str(fresh), "new passphrase 2")
    assert Wallet.open(str(fresh), "new passphrase 2").did == wallet.did
