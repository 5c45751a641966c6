"""Where the wallet commands get their wallet path, passphrases, recovery codes and clock."""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ..errors import InputError, PassphraseRequired
from ..terms import DEFAULT_LANG
from ..encoding.timeutil import as_datetime, parse_datetime
from ..wallet.store import Wallet
from . import progress
from .language import say, warn

WALLET_ENV = "PASSPORT_WALLET"
PASSPHRASE_ENV = "PASSPORT_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PASSPORT_NEW_PASSPHRASE"
RECOVERY_ENV = "PASSPORT_RECOVERY_CODE"
MIN_PASSPHRASE = 8
MAX_SECRET_FILE = 4096


def wallet_path(args) -> str:
    """``--wallet``, else ``$PASSPORT_WALLET``, else ``$XDG_DATA_HOME/paspoort/wallet.json``."""
    if getattr(args, "wallet", None):
        return args.wallet
    if os.environ.get(WALLET_ENV):
        return os.environ[WALLET_ENV]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return os.path.join(base, "paspoort", "wallet.json")


def _read_secret_file(path: str, lang: str) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SECRET_FILE + 1)
    except OSError as exc:
        raise InputError(say("err_secret_file_read", lang, path=path, reason=exc.strerror)) from None
    if len(raw) > MAX_SECRET_FILE:
        raise InputError(say("err_secret_file_large", lang, path=path))
    try:
        return raw.decode("utf-8").splitlines()[0] if raw.strip() else ""
    except UnicodeDecodeError:
        raise InputError(say("err_secret_file_text", lang, path=path)) from None


def secret(file: str | None, env: str, what: str = "passphrase", *, confirm: bool = False,
           lang: str = DEFAULT_LANG) -> str:
    """From a file (first line), the environment, or the terminal (asked twice when ``confirm``).
    ``what`` is "passphrase", "new_passphrase" or "recovery_code": it names the question
    (``cli.prompt_<what>`` in ``passport.terms``), the thing in errors and the ``--<what>-file`` option."""
    thing = say("thing_" + what, lang)
    if file:
        value = _read_secret_file(file, lang)
    elif os.environ.get(env):
        value = os.environ[env]
    elif sys.stdin.isatty():
        try:
            value = getpass.getpass(say("prompt_" + what, lang))
            if confirm and getpass.getpass(say("prompt_again", lang)) != value:
                raise PassphraseRequired(say("err_secret_differ", lang, thing=thing))
        except EOFError:  # Ctrl-D at the prompt: nothing given
            sys.stderr.write("\n")
            value = ""
    else:
        raise PassphraseRequired(say("err_secret_none", lang, thing=thing, env=env, option=what.replace("_", "-")))
    if not value:
        raise PassphraseRequired(say("err_secret_empty", lang, thing=thing))
    return value


def passphrase(args, *, confirm: bool = False) -> str:
    return secret(getattr(args, "passphrase_file", None), PASSPHRASE_ENV, "passphrase", confirm=confirm,
                  lang=_lang(args))


def new_passphrase(args) -> str:
    value = secret(getattr(args, "new_passphrase_file", None), NEW_PASSPHRASE_ENV, "new_passphrase",
                   confirm=True, lang=_lang(args))
    return check_strength(value, _lang(args))


def check_strength(value: str, lang: str = DEFAULT_LANG) -> str:
    if len(value) < MIN_PASSPHRASE:
        raise PassphraseRequired(say("err_passphrase_short", lang, min=MIN_PASSPHRASE))
    return value


_opened: list[Wallet] = []


def close_opened() -> None:
    """Release the lock of every wallet this command opened (``passport.cli.main`` calls it last)."""
    while _opened:
        _opened.pop().close()


def open_wallet(args, secret: str | None = None, *, accept_rollback: bool = False) -> Wallet:
    """Open the command's wallet (holding its lock until the command ends)."""
    path, secret = wallet_path(args), passphrase(args) if secret is None else secret
    with progress.working(progress.OPENING_WALLET, _lang(args)):
        wallet = Wallet.open(path, secret, accept_rollback=accept_rollback)
    _opened.append(wallet)
    if wallet.weak_kdf:
        warn("weak_kdf", _lang(args), opslimit=wallet.kdf.opslimit, memlimit=wallet.kdf.memlimit // 1024)
    return wallet


def now(args):
    value = getattr(args, "now", None)
    if value is None:
        return as_datetime(None)
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise InputError(f"--now: {exc}") from None


def _lang(args) -> str:
    return getattr(args, "lang", None) or DEFAULT_LANG


def choice(question: str, assume_yes: bool, lang: str = DEFAULT_LANG) -> bool | None:
    """Like ``confirm``, but None when nobody could be asked (no terminal, no ``--yes``): a "no"
    typed at the terminal is an answer, silence is not."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        return None
    return input(say("prompt_yes_no", lang, question=question)).strip().lower() in ("y", "yes", "j", "ja")


def confirm(question: str, assume_yes: bool, lang: str = DEFAULT_LANG) -> bool:
    """True when ``--yes`` was given, or the person answers yes ("j", "ja", "y", "yes") at the terminal."""
    return choice(question, assume_yes, lang) is True
