"""Back-up: make the encrypted backup (``passport.wallet.backup``, as ``passport backup``), with a
recovery code shown once and never stored, and restore one (as ``passport restore``): with the
backup's passphrase, or with the recovery code and a new passphrase. Restoring over an existing
wallet needs the person to tick that it replaces it."""
from __future__ import annotations

import os
import tempfile

from flask import Blueprint, Response, abort, render_template, request

from ..errors import PassportError
from ..wallet import backup as backups
from ..wallet.store import Wallet
from . import guard, words
from .view_unlock import LOCK_WAIT, MIN_PASSPHRASE
from .pages import back, unlocked

bp = Blueprint("backup", __name__)


@bp.get("/backup")
@unlocked
def show():
    return render_template("backup.html", problem=None, made=None)


@bp.post("/backup/maken")
@unlocked
def make():
    app_state = guard.state()
    wallet, lang, now = app_state.wallet, app_state.lang, app_state.clock()
    secret = request.form.get("passphrase", "")
    try:
        if not secret:
            raise words.refusal(words.t("need_passphrase", lang))
        wallet.check_passphrase(secret)
        code = backups.new_recovery_code() if request.form.get("recovery") == "on" else None
        with tempfile.TemporaryDirectory(prefix="paspoort-app-") as folder:
            path = os.path.join(folder, "backup.json")
            backups.export_backup(wallet, path, secret, now=now, recovery_code=code)
            with open(path, "rb") as handle:
                data = handle.read()
    except PassportError as exc:
        return render_template("backup.html", problem=words.problem(exc, lang), made=None), 400
    name = f"paspoort-backup-{now:%Y-%m-%d}.json"
    token = app_state.keep(app_state.backups, (name, data))
    return render_template("backup.html", problem=None, made={"token": token, "name": name, "code": code})


@bp.get("/backup/<token>/download")
@unlocked
def download(token: str):
    found = guard.state().backups.get(token)
    if found is None:
        abort(404)
    name, data = found
    return Response(data, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/backup/terugzetten")
def restore():
    app_state = guard.state()
    lang, path = app_state.lang, app_state.wallet_path
    form = request.form
    upload = request.files.get("file")
    exists = os.path.lexists(path)
    by_code = form.get("with") == "code"
    try:
        if upload is None or not upload.filename:
            raise words.refusal(words.t("need_backup_file", lang))
        if exists and form.get("replace") != "on":
            raise words.refusal(words.t("need_replace", lang))
        secret = form.get("recovery_code" if by_code else "passphrase", "").strip()
        if not secret:
            raise words.refusal(words.t("need_code" if by_code else "need_passphrase", lang))
        if by_code:
            new, again = form.get("new_passphrase", ""), form.get("new_passphrase_again", "")
            if len(new) < MIN_PASSPHRASE:
                raise words.refusal(words.t("passphrase_short", lang, min=MIN_PASSPHRASE))
            if new != again:
                raise words.refusal(words.t("passphrase_differ", lang))
        else:
            new = secret
        with tempfile.TemporaryDirectory(prefix="paspoort-app-") as folder:
            copy = os.path.join(folder, "backup.json")
            upload.save(copy)
            os.chmod(copy, 0o600)
            content = backups.read_backup(copy, secret, recovery=by_code)
            app_state.close()  # release the wallet's lock before it is replaced
            os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
            backups.restore(copy, content, path, new, force=exists).close()
        app_state.open(Wallet.open(path, new, lock_timeout=LOCK_WAIT))
    except PassportError as exc:
        template = "backup.html" if app_state.wallet is not None else ("unlock.html" if exists else "create.html")
        return render_template(template, problem=words.problem(exc, lang), made=None, path=path), 400
    count = len(app_state.wallet.credentials)
    return back("passport.show", "ok", words.t("restored", lang, count=count))
