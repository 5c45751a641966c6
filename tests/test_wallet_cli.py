"""Round trips for every wallet command, in-process through ``passport.cli.main``.

These tests read the command's English words, so they run under an English locale; the Dutch
default is tested in ``test_cli_language.py``."""
from __future__ import annotations

import http.server
import json
import os
import stat

import pytest

from support import NOW
from passport import check
from passport.cli import build_parser
from passport.crypto.keys import Ed25519Key
from passport.wallet.store import Wallet
from test_wallet_support import (  # noqa: F401 (fixtures)
    NOW_TEXT, PASSPHRASE, RIA_PROFILE, endorsement, ria_wallet, ria_world, run, wallet_env, write_json,
)

COMMANDS = [["wallet", "init"], ["wallet", "passphrase"], ["wallet", "info"], ["profile", "set"],
            ["profile", "show"], ["import"], ["list"], ["show"], ["remove"], ["share"], ["qr", "decode"],
            ["respond"], ["backup"], ["restore"], ["status"], ["wallet", "accept-rollback"]]


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "example" in out


def test_init_profile_import_list_show(capsys, wallet_env, tmp_path):
    key_file = tmp_path / "ria.key.json"
    write_json(key_file, ria_world().holder.to_multikey())
    code, out, err = run(capsys, "wallet", "init", "--import-key", str(key_file))
    assert code == 0, err
    assert ria_world().holder.did in out and os.stat(wallet_env).st_mode & 0o777 == 0o600
    assert run(capsys, "wallet", "init")[0] == 2  # never overwrites

    code, out, err = run(capsys, "profile", "set", str(RIA_PROFILE), "--now", NOW_TEXT)
    assert code == 0 and "16 entries" in out, err
    code, out, _ = run(capsys, "profile", "show", "--lang", "en")
    assert "Talents" in out and "Calm in conflicts" in out and "[rustig-bij-conflicten]" in out
    code, out, _ = run(capsys, "profile", "show", "--lang", "nl")
    assert "Talenten" in out and "Rustig blijven bij conflicten" in out
    code, out, _ = run(capsys, "profile", "show", "--json")
    assert json.loads(out)["credentialSubject"]["id"] == ria_world().holder.did
    code, out, _ = run(capsys, "profile", "show", "--source")
    edited = tmp_path / "edited.yaml"
    edited.write_text(out.replace("Rustig blijven bij conflicten", "Rustig bij conflicten"), encoding="utf-8")
    code, out, err = run(capsys, "profile", "set", str(edited), "--now", NOW_TEXT)
    assert code == 0 and "new entries" not in out and "removed" not in out, err

    tillift = endorsement("AantoonbaarBekwaamCredential")
    code, out, err = run(capsys, "import", str(write_json(tmp_path / "ab.json", tillift)), "--now", NOW_TEXT)
    assert code == 0 and "Demonstrably competent" in out and "status" in out, err
    code, out, _ = run(capsys, "import", str(tmp_path / "ab.json"), "--now", NOW_TEXT)
    assert code == 0 and "Already" in out
    code, out, _ = run(capsys, "list", "--now", NOW_TEXT)
    assert " 1. [" in out and "Stichting De Wilgenhoeve" in out and tillift["validUntil"] in out
    code, out, _ = run(capsys, "show", "1")
    assert "De Wilgenhoeve" in out and "imported:" in out
    code, out, _ = run(capsys, "show", tillift["id"].removeprefix("urn:uuid:")[:8], "--json")
    assert json.loads(out) == tillift
    code, out, _ = run(capsys, "wallet", "info")
    assert "credentials: 1" in out and "Argon2id opslimit 1" in out
    assert run(capsys, "show", "99")[0] == 2
    code, out, _ = run(capsys, "remove", "1")
    assert code == 0 and Wallet.open(str(wallet_env), PASSPHRASE).credentials == []


def test_import_qr_text_and_qr_image(capsys, ria_wallet, tmp_path):
    from passport import qr

    ria_wallet.data["credentials"] = []
    ria_wallet.save()
    credential = endorsement("ProfielEndorsementCredential")
    text = qr.encode_text(credential)
    code, out, err = run(capsys, "import", "--qr-text", text, "--now", NOW_TEXT)
    assert code == 0, err
    ria_wallet.data["credentials"] = []
    ria_wallet.save()
    image = tmp_path / "endorsement.png"
    qr.render_png(text, str(image))
    code, out, err = run(capsys, "import", str(image), "--now", NOW_TEXT)
    assert code == 0, err
    assert run(capsys, "import", "--qr-text", "PP2:NOT BASE45!")[0] == 2


def test_share_file_qr_and_decode(capsys, ria_wallet, tmp_path):
    out_file, png, svg = tmp_path / "vp.json", tmp_path / "vp.png", tmp_path / "vp.svg"
    code, out, err = run(capsys, "share", "--entry", "rustig-bij-conflicten", "--type", "ProfielEndorsement",
                         "--challenge", "c-12345678", "--domain", "werkgever.example", "--out", str(out_file),
                         "--qr", str(png), "--qr", str(svg), "--now", NOW_TEXT)
    assert code == 0, err
    presentation = json.loads(out_file.read_text())
    report = check(presentation, now=NOW, challenge="c-12345678", domain="werkgever.example",
                   status=ria_world().status_documents)
    assert report.verified, report.failures()
    svgs, pngs = sorted(tmp_path.glob("vp*.svg")), sorted(tmp_path.glob("vp*.png"))  # one code, or its parts
    assert svgs and len(svgs) == len(pngs) and all(path.read_text().startswith("<?xml") for path in svgs)
    for path in (out_file, *svgs, *pngs):  # what she shares is hers: the QR pictures as private as the file
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    code, out, err = run(capsys, "qr", "decode", *map(str, pngs))
    assert code == 0 and json.loads(out) == presentation, err
    code, out, _ = run(capsys, "share", "--entry", "klantcontact", "--qr-terminal", "--now", NOW_TEXT)
    assert code == 0 and "█" in out


def test_share_without_output_prints_json_and_a_large_share_is_split_over_codes(capsys, ria_wallet, tmp_path):
    code, out, err = run(capsys, "share", "--block", "skills", "--now", NOW_TEXT)
    assert code == 0 and json.loads(out)["type"] == ["VerifiablePresentation"] and "Sharing" in err
    target = tmp_path / "all.json"
    code, out, err = run(capsys, "share", "--all", "--qr", str(tmp_path / "all.png"), "--out", str(target))
    assert code == 0 and target.exists() and "Structured Append" in out, err
    assert (tmp_path / "all-1.png").exists() and (tmp_path / "all-2.png").exists()
    assert run(capsys, "share", "--now", NOW_TEXT)[0] == 2  # nothing chosen
    assert run(capsys, "share", "--block", "hobbies")[0] == 2
    assert run(capsys, "share", "--block", "skills", "--qr", str(tmp_path / "x.gif"))[0] == 2


class _Verifier(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        body = json.dumps({"verified": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_backup_restore_and_passphrase_rotation(capsys, ria_wallet, wallet_env, tmp_path, monkeypatch):
    backup = tmp_path / "backup.json"
    code, out, err = run(capsys, "backup", str(backup), "--recovery-code")
    assert code == 0, err
    recovery = out.split("Recovery code")[1].split()[-1]
    assert run(capsys, "backup", str(backup))[0] == 2  # never overwrites without --force
    assert run(capsys, "restore", str(backup))[0] == 2  # the wallet exists
    restored = tmp_path / "restored.wallet"
    code, out, err = run(capsys, "restore", str(backup), "--wallet", str(restored))
    assert code == 0 and Wallet.open(str(restored), PASSPHRASE).data == ria_wallet.data, err

    monkeypatch.setenv("PASSPORT_RECOVERY_CODE", recovery.lower())
    monkeypatch.setenv("PASSPORT_NEW_PASSPHRASE", "a brand new passphrase")
    second = tmp_path / "second.wallet"
    code, out, err = run(capsys, "restore", str(backup), "--recovery-code", "--wallet", str(second))
    assert code == 0, err
    assert Wallet.open(str(second), "a brand new passphrase").data == ria_wallet.data

    code, out, err = run(capsys, "wallet", "passphrase")
    assert code == 0, err
    assert run(capsys, "list")[0] == 2  # the old passphrase no longer opens it
    monkeypatch.setenv("PASSPORT_PASSPHRASE", "a brand new passphrase")
    assert run(capsys, "list")[0] == 0


def test_errors_are_messages_with_exit_2_never_tracebacks(capsys, wallet_env, tmp_path, monkeypatch):
    code, _, err = run(capsys, "list")
    assert code == 2 and "WALLET_NOT_FOUND" in err
    assert run(capsys, "wallet", "init")[0] == 0
    os.chmod(wallet_env, 0o644)
    code, _, err = run(capsys, "list")
    assert code == 2 and "WALLET_PERMISSIONS" in err and "chmod 600" in err
    os.chmod(wallet_env, 0o600)
    monkeypatch.setenv("PASSPORT_PASSPHRASE", "wrong passphrase")
    code, _, err = run(capsys, "list")
    assert code == 2 and "WALLET_PASSPHRASE" in err
    monkeypatch.setenv("PASSPORT_PASSPHRASE", PASSPHRASE)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Ria\nskills:\n  - name: ''\n  - {name: x, alignment: [{targetUrl: 'nope'}]}\n")
    code, _, err = run(capsys, "profile", "set", str(bad))
    assert code == 2 and "skills[0].name" in err and "skills[1].alignment[0]" in err
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    assert run(capsys, "profile", "set", str(tmp_path / "broken.yaml"))[0] == 2
    assert run(capsys, "import", str(tmp_path / "missing.json"))[0] == 2
    assert run(capsys, "import", str(bad))[0] == 2
    assert run(capsys, "import")[0] == 2
    assert run(capsys, "respond", "not a url")[0] == 2
    assert run(capsys, "share", "--block", "skills", "--now", "yesterday")[0] == 2
    assert run(capsys, "restore", str(tmp_path / "missing.json"), "--wallet", str(tmp_path / "n.wallet"))[0] == 2
    assert run(capsys, "wallet", "init", "--wallet", str(tmp_path / "k.wallet"), "--import-key", str(bad))[0] == 2
    monkeypatch.setenv("PASSPORT_PASSPHRASE", "short")
    assert run(capsys, "wallet", "init", "--wallet", str(tmp_path / "s.wallet"))[0] == 2


def test_passphrase_file_and_wallet_option(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    monkeypatch.delenv("PASSPORT_PASSPHRASE", raising=False)
    monkeypatch.delenv("PASSPORT_WALLET", raising=False)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    path = tmp_path / "w.wallet"
    assert run(capsys, "wallet", "init", "--wallet", str(path), "--passphrase-file", str(secret))[0] == 0
    assert Wallet.open(str(path), PASSPHRASE).did.startswith("did:key:z6Mk")
    code, _, err = run(capsys, "list", "--wallet", str(path))  # no passphrase, no terminal
    assert code == 2 and "PASSPORT_PASSPHRASE" in err


def test_parser_registers_the_issue_command_names():
    parser = build_parser()
    names = set(parser._subparsers._group_actions[0].choices)
    assert {"wallet", "profile", "import", "list", "show", "share", "qr", "respond", "backup", "restore"} <= names
    assert Ed25519Key  # imported for key files above
