"""Rollback: an older copy of the wallet file put back over the current one is detected
(issue #11, item 12), and the worker can accept it deliberately."""
from __future__ import annotations

import gc
import json
import os
import shutil

import pytest

from support import NOW
from passport.errors import WalletCorrupt, WalletRolledBack
from passport.encoding.jcs import canonicalize
from passport.wallet.crypto import SealKey, new_params
from passport.wallet.store import FORMAT, Wallet, checksum, seal_document
from test_wallet_support import PASSPHRASE, ria_wallet, ria_world, run, wallet_env  # noqa: F401 (fixtures)


def _generation(path) -> int:
    return json.loads(path.read_text())["generation"]


def _copy(source, target) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)


def test_older_copy_put_back_is_refused(ria_wallet, wallet_env, tmp_path):
    ria_wallet.save()
    old = tmp_path / "old-copy.wallet"
    _copy(wallet_env, old)
    ria_wallet.data["settings"]["lang"] = "en"  # a change the older copy does not have
    ria_wallet.save()
    ria_wallet.close()
    _copy(old, wallet_env)
    with pytest.raises(WalletRolledBack) as caught:
        Wallet.open(str(wallet_env), PASSPHRASE)
    error = caught.value
    assert error.code == "WALLET_ROLLBACK"
    assert error.details["generation"] < error.details["newest"]
    assert "older copy" in error.message and "passport wallet accept-rollback" in error.message


def test_a_refused_open_closes_its_lock_once(ria_wallet, wallet_env, tmp_path):
    """The refused wallet object goes away later: it must not close a descriptor number that by then
    belongs to someone else (it did, as 'Bad file descriptor' in an unrelated command)."""
    ria_wallet.save()
    old = tmp_path / "old-copy.wallet"
    _copy(wallet_env, old)
    ria_wallet.save()
    ria_wallet.close()
    _copy(old, wallet_env)
    with pytest.raises(WalletRolledBack) as caught:  # its traceback keeps the refused wallet object
        Wallet.open(str(wallet_env), PASSPHRASE)
    reused = os.open(os.devnull, os.O_RDONLY)  # the lowest free number: the one the lock had
    try:
        del caught
        gc.collect()  # the refused wallet object goes now
        os.fstat(reused)  # still open: nobody closed it behind our back
    finally:
        os.close(reused)


def test_the_generation_is_authenticated_not_just_written(ria_wallet, wallet_env, tmp_path):
    old = tmp_path / "old-copy.wallet"
    _copy(wallet_env, old)
    ria_wallet.save()
    document = json.loads(old.read_text())
    document["generation"] = 10**6  # raise the number of the old copy without the key
    document["checksum"] = checksum(document)
    old.write_text(json.dumps(document))
    _copy(old, wallet_env)
    with pytest.raises(WalletCorrupt, match="authentication failed"):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_each_save_counts_up_and_writes_the_counter_beside_the_wallet(ria_wallet, wallet_env):
    first = _generation(wallet_env)
    ria_wallet.save()
    assert _generation(wallet_env) == first + 1
    counter = json.loads((wallet_env.parent / (wallet_env.name + ".generation")).read_text())
    assert counter["generation"] == first + 1 and counter["format"] == "paspoort-wallet-generation"
    assert ria_world().holder.did not in json.dumps(counter)
    assert os.stat(str(wallet_env) + ".generation").st_mode & 0o777 == 0o600


def test_accept_rollback_command_then_opens_normally(capsys, ria_wallet, wallet_env, tmp_path):
    old = tmp_path / "old-copy.wallet"
    _copy(wallet_env, old)
    ria_wallet.save()
    ria_wallet.save()
    newest = ria_wallet.generation
    ria_wallet.close()
    _copy(old, wallet_env)
    code, out, err = run(capsys, "list")
    assert code == 2 and "[WALLET_ROLLBACK]" in err and "accept-rollback" in err
    code, out, err = run(capsys, "wallet", "accept-rollback", "--lang", "en")
    assert code == 0, err
    assert "Accepted" in out and _generation(wallet_env) == newest + 1
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""


def test_accept_rollback_help_names_the_limits(capsys):
    code, out, _ = run(capsys, "wallet", "accept-rollback", "--help")
    assert code == 0 and "not detected" in out and ".generation" in out


def test_wallet_without_a_generation_still_opens_and_is_migrated(wallet_env):
    """A wallet written before rollback detection: eight header keys, no counter file."""
    key = SealKey.derive(PASSPHRASE, new_params())
    data = {"holderKey": ria_world().holder.to_multikey(), "profileSource": None, "profile": None,
            "credentials": [], "settings": {"lang": "nl"}, "createdAt": None}
    document = seal_document(FORMAT, canonicalize(data), key)
    assert "generation" not in document
    wallet_env.write_text(json.dumps(document))
    os.chmod(wallet_env, 0o600)
    with Wallet.open(str(wallet_env), PASSPHRASE) as wallet:
        assert wallet.generation == 0 and wallet.data == data
        wallet.save()
    assert _generation(wallet_env) == 1
    assert os.path.exists(str(wallet_env) + ".generation")
    Wallet.open(str(wallet_env), PASSPHRASE).close()


def test_a_new_wallet_at_the_same_path_is_not_a_rollback(ria_wallet, wallet_env):
    for _ in range(3):
        ria_wallet.save()
    ria_wallet.close()
    os.unlink(wallet_env)
    fresh = Wallet.create(str(wallet_env), PASSPHRASE, now=NOW)  # another holder key: another counter
    assert fresh.generation == 1
    Wallet.open(str(wallet_env), PASSPHRASE).close()


def test_restoring_an_older_backup_over_the_wallet_is_deliberate_not_a_rollback(capsys, ria_wallet, wallet_env,
                                                                                 tmp_path):
    backup = tmp_path / "backup.json"
    assert run(capsys, "backup", str(backup))[0] == 0
    for _ in range(3):
        ria_wallet.save()
    ria_wallet.close()
    code, _, err = run(capsys, "restore", str(backup), "--force")
    assert code == 0, err
    assert run(capsys, "list")[0] == 0


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "paspoort-wallet-generation"}'])
def test_a_damaged_counter_is_an_error_that_names_the_way_out(ria_wallet, wallet_env, content):
    ria_wallet.close()
    counter = str(wallet_env) + ".generation"
    with open(counter, "wb") as handle:
        handle.write(content)
    with pytest.raises(WalletCorrupt, match="rollback counter .* is damaged.*accept-rollback"):
        Wallet.open(str(wallet_env), PASSPHRASE)
    with Wallet.open(str(wallet_env), PASSPHRASE, accept_rollback=True) as wallet:
        wallet.save()
    Wallet.open(str(wallet_env), PASSPHRASE).close()


@pytest.mark.parametrize("value", [0, -1, "7", True, 1.5])
def test_a_bad_generation_in_the_header_is_corrupt(ria_wallet, wallet_env, value):
    document = json.loads(wallet_env.read_text())
    document["generation"] = value
    document["checksum"] = checksum(document)
    wallet_env.write_text(json.dumps(document))
    with pytest.raises(WalletCorrupt, match="generation"):
        Wallet.open(str(wallet_env), PASSPHRASE)


def test_an_empty_counter_file_counts_as_none(ria_wallet, wallet_env):
    """What a power cut can leave of the unsynced counter: not a false rollback alarm."""
    ria_wallet.save()
    ria_wallet.close()
    open(str(wallet_env) + ".generation", "wb").close()
    with Wallet.open(str(wallet_env), PASSPHRASE) as wallet:
        before = wallet.generation
        wallet.save()
    assert _generation(wallet_env) == before + 1
    assert json.loads(open(str(wallet_env) + ".generation").read())["generation"] == before + 1
