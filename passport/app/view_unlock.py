"""The door: unlock the wallet with its passphrase (typed in the page, never on the command line,
never stored), create a new wallet when there is none yet, lock it again, switch the language."""
from __future__ import annotations

import os

from flask import Blueprint, redirect, render_template, request, url_for

from ..errors import PassportError, WalletNotFound
from ..terms import LANGS
from ..wallet.store import Wallet
from . import guard, words
from .pages import back

bp = Blueprint("unlock", __name__)
MIN_PASSPHRASE = 8  # as ``passport wallet init``
LOCK_WAIT = 2.0  # seconds to wait for a passport command that has the wallet open


@bp.get("/")
def home():
    app_state = guard.state()
    if app_state.wallet is not None:
        return redirect(url_for("profile.show"), code=303)
    exists = os.path.lexists(app_state.wallet_path)
    return render_template("unlock.html" if exists else "create.html", path=app_state.wallet_path)


@bp.post("/ontgrendelen")
def unlock():
    app_state = guard.state()
    secret = request.form.get("passphrase", "")
    if not secret:
        return _again("unlock.html", words.t("need_passphrase", app_state.lang))
    try:
        wallet = Wallet.open(app_state.wallet_path, secret, lock_timeout=LOCK_WAIT)
    except WalletNotFound:
        return redirect(url_for("unlock.home"), code=303)
    except PassportError as exc:
        return _again("unlock.html", problem=words.problem(exc, app_state.lang))
    app_state.open(wallet)
    return back("profile.show", "ok", words.t("unlocked", app_state.lang))


@bp.post("/aanmaken")
def create():
    app_state = guard.state()
    lang, path = app_state.lang, app_state.wallet_path
    secret, again = request.form.get("passphrase", ""), request.form.get("passphrase_again", "")
    if os.path.lexists(path):
        return redirect(url_for("unlock.home"), code=303)
    if len(secret) < MIN_PASSPHRASE:
        return _again("create.html", words.t("passphrase_short", lang, min=MIN_PASSPHRASE))
    if secret != again:
        return _again("create.html", words.t("passphrase_differ", lang))
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    Wallet.create(path, secret, now=app_state.clock()).close()
    app_state.open(Wallet.open(path, secret, lock_timeout=LOCK_WAIT))
    return back("profile.show", "ok", words.t("created", lang))


@bp.post("/vergrendelen")
def lock():
    app_state = guard.state()
    app_state.close()
    return back("unlock.home", "ok", words.t("locked", app_state.lang))


@bp.post("/taal")
def language():
    app_state = guard.state()
    chosen = request.form.get("lang")
    if chosen in LANGS:
        app_state.lang = chosen
    target = request.form.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    return redirect(target, code=303)


def _again(template: str, message: str | None = None, *, problem: dict | None = None):
    said = problem or {"code": "", "sentence": message, "detail": ""}
    return render_template(template, path=guard.state().wallet_path, problem=said), 400
