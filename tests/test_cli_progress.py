"""Slow commands say that they are working (issue #11, item 21): one line on stderr while
Argon2id, a backup, a restore, a PDF or a status refresh runs, only when stderr is a terminal."""
from __future__ import annotations

import io
import sys

import pytest

from passport.cli import progress


def said(step: str) -> str:
    """The Dutch sentence (the default language) for a step."""
    return progress.message(step, "nl")
from test_wallet_support import NOW_TEXT, ria_wallet, ria_world, run, wallet_env  # noqa: F401 (fixtures)


@pytest.fixture
def terminal(monkeypatch):
    """Call it in the test body: pytest puts its capturing stderr in place only for the call itself."""
    return lambda: monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_opening_the_wallet_says_so_on_a_terminal(capsys, ria_wallet, terminal):
    terminal()
    code, out, err = run(capsys, "list", "--now", NOW_TEXT)
    assert code == 0
    assert err.startswith("De wallet wordt geopend…")
    assert err.endswith("\r" + " " * len(said(progress.OPENING_WALLET)) + "\r")  # wiped when done
    assert said(progress.OPENING_WALLET) not in out


def test_creating_the_wallet_and_changing_the_passphrase_say_so(capsys, wallet_env, monkeypatch, terminal):
    terminal()
    code, _, err = run(capsys, "wallet", "init", "--now", NOW_TEXT)
    assert code == 0 and said(progress.CREATING_WALLET) in err, err
    monkeypatch.setenv("PASSPORT_NEW_PASSPHRASE", "another long passphrase")
    code, _, err = run(capsys, "wallet", "passphrase")
    assert code == 0 and said(progress.CHANGING_PASSPHRASE) in err, err


def test_nothing_extra_when_stderr_is_not_a_terminal(capsys, ria_wallet):
    code, _, err = run(capsys, "list", "--now", NOW_TEXT)
    assert code == 0 and err == ""


def test_backup_and_restore_say_so(capsys, ria_wallet, wallet_env, tmp_path, terminal):
    terminal()
    backup = tmp_path / "backup.json"
    code, _, err = run(capsys, "backup", str(backup))
    assert code == 0 and said(progress.WRITING_BACKUP) in err
    code, _, err = run(capsys, "restore", str(backup), "--wallet", str(tmp_path / "other.wallet"))
    assert code == 0 and said(progress.READING_BACKUP) in err and said(progress.RESTORING_WALLET) in err


def test_status_refresh_says_so(capsys, ria_wallet, terminal):
    terminal()
    code, _, err = run(capsys, "status", "--now", NOW_TEXT)  # the demo lists are on hosts that do not resolve
    assert code == 1 and said(progress.CHECKING_STATUS) in err


def test_pdf_export_says_so(capsys, ria_wallet, tmp_path, terminal):
    terminal()
    pytest.importorskip("fpdf")
    code, _, err = run(capsys, "export", "--pdf", str(tmp_path / "p.pdf"), "--endorsement", "1", "--no-profile",
                       "--now", NOW_TEXT)
    assert code == 0 and said(progress.WRITING_PDF) in err, err


def test_the_line_is_wiped_even_when_the_step_fails():
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        with progress.working(progress.WRITING_PDF, "en", stream):
            raise RuntimeError("boom")
    assert stream.getvalue() == "Making the PDF…\r               \r"


def test_a_stream_without_isatty_is_not_a_terminal():
    assert progress.interactive(object()) is False  # type: ignore[arg-type]


def test_every_step_is_said_in_both_languages_and_english_on_request(capsys, ria_wallet, terminal):
    for step in progress.STEPS:
        assert progress.message(step, "nl") != progress.message(step, "en")
    terminal()
    code, _, err = run(capsys, "list", "--now", NOW_TEXT, "--lang", "en")
    assert code == 0 and err.startswith("Opening the wallet…")
