"""Ontvangen: take in an endorsement the way ``passport import`` does (``passport.wallet.inbox``):
a file (credential JSON, a file with PP2 text, a photo of a QR code) or pasted QR text. The wallet
verifies it before it keeps it, and says why when it refuses.

Each way in is one form on the page and one view here (``from_file``, ``from_text``), ending in
``_take``. An OpenID4VCI offer (link, photo of its QR code, or the camera) is ``view_offer``'s.
"""
from __future__ import annotations

import os
import re
import tempfile
from typing import Any

from flask import Blueprint, render_template, request

from ..encoding import jsonio
from ..errors import PassportError
from ..wallet import inbox, render
from . import guard, words
from .pages import unlocked

bp = Blueprint("receive", __name__)
MAX_TEXT = 64 * 1024


@bp.get("/ontvangen")
@unlocked
def show():
    return render_template("receive.html", result=None, problem=None)


@bp.post("/ontvangen/bestand")
@unlocked
def from_file():
    lang = guard.state().lang
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return refused(words.refusal(words.t("need_file", lang)))
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(upload.filename))[:80] or "upload"
    with tempfile.TemporaryDirectory(prefix="paspoort-app-") as folder:
        path = os.path.join(folder, name)
        upload.save(path)
        try:
            document, source = inbox.read_document(path)
        except PassportError as exc:
            return refused(exc)
    return _take(document, source)


@bp.post("/ontvangen/tekst")
@unlocked
def from_text():
    lang = guard.state().lang
    text = request.form.get("text", "").strip()
    if not text:
        return refused(words.refusal(words.t("need_text", lang)))
    if len(text) > MAX_TEXT:
        return refused(words.refusal(words.t("text_too_long", lang)))
    try:
        document, source = (jsonio.loads(text), "pasted-json") if text.startswith("{") else inbox.from_qr_text(text)
    except PassportError as exc:
        return refused(exc)
    return _take(document, source)


def _take(document: Any, source: str):
    """Verify and keep ``document`` (``inbox.import_credential``), and show what happened."""
    app_state = guard.state()
    wallet = app_state.wallet
    before = len(wallet.credentials)
    try:
        item = inbox.import_credential(wallet, document, now=app_state.clock(), source=source)
    except PassportError as exc:
        return refused(exc)
    new = len(wallet.credentials) > before
    if new:
        wallet.save()
    return received(item, new)


def received(item: dict[str, Any], new: bool, offered_by: str = ""):
    """The Receive page with what was just kept (or was already there)."""
    lang = guard.state().lang
    credential = item["credential"]
    result = {"new": new, "offered_by": offered_by, "what": render.attests(credential, lang),
              "issuer": render.issuer_name(credential),
              "until": render.long_date(credential.get("validUntil"), lang) if credential.get("validUntil") else "",
              "flags": [words.t("flag_" + flag.replace("-", "_"), lang) for flag in item["flags"]
                        if flag in ("status-unknown", "entry-mismatch", "issuer-not-trusted")]}
    return render_template("receive.html", result=result, problem=None)


def refused(exc: PassportError):
    """The Receive page again, saying what went wrong in plain words; nothing was kept."""
    return render_template("receive.html", result=None, problem=words.problem(exc, guard.state().lang)), 400
