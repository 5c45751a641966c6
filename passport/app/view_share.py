"""Delen: the person ticks blocks, entries and endorsements (sensitive entries start off and are
flagged), and gets a signed presentation of exactly that (``passport.wallet.share``, as
``passport share``): QR codes on screen (one, or a PP2 series of up to 16), the file to download,
and the printable PDF passport of the same choice (as ``passport export --pdf``)."""
from __future__ import annotations

import base64
import io
import os
import tempfile
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from ..encoding import jsonio
from ..encoding.timeutil import parse_datetime
from ..errors import PassportError, QRTooLarge
from ..format.documents import BLOCK_KEYS, PROFILE_TYPE, paspoort_type
from ..wallet import inbox, render
from ..wallet import profile as profiles
from ..wallet import share as sharing
from ..wallet.status import known_revoked
from . import guard, words
from .pages import unlocked

bp = Blueprint("share", __name__)


def _choices(lang: str) -> dict[str, Any]:
    """The blocks with their entries, and the endorsements, as the form shows them."""
    wallet = guard.state().wallet
    profile = wallet.data.get("profileSource") or {}
    blocks = [{"key": key, "entries": [{"id": entry["id"], "name": render.text(entry.get("name"), lang),
                                        "sensitive": bool(entry.get("sensitive"))}
                                       for entry in profile.get(key) or [] if isinstance(entry, dict)]}
              for key in BLOCK_KEYS]
    names = {entry["id"]: entry for block in blocks for entry in block["entries"]}
    titles = {entry_id: entry["name"] for entry_id, entry in names.items()}
    stale = set(profiles.stale_endorsements(wallet))
    endorsements = []
    for item in wallet.credentials:
        credential = item["credential"]
        entry_id = (profiles.endorsed_entry(credential) or {}).get("id")
        entry = names.get(entry_id) if entry_id else None
        endorsements.append({"id": credential.get("id"), "what": words.what(credential, lang, titles),
                             "issuer": render.issuer_name(credential), "revoked": known_revoked(item),
                             "stale": credential.get("id") in stale, "entry": entry,
                             "on": not known_revoked(item) and credential.get("id") not in stale
                             and not (entry and entry["sensitive"])})
    return {"blocks": blocks, "endorsements": endorsements}


@bp.get("/delen")
@unlocked
def choose():
    return render_template("share.html", **_choices(guard.state().lang), problem=None)


def selection_from(form, choices: dict[str, Any], lang: str) -> sharing.Selection:
    """Exactly the entries ticked (a block's box only ticks its entries, in the page) and the
    endorsements ticked; an endorsement of an entry goes only with that entry."""
    ticked = set(form.getlist("entry"))
    chosen, sensitive = [], []
    for block in choices["blocks"]:
        for entry in block["entries"]:
            if entry["id"] in ticked:
                chosen.append(entry["id"])
                if entry["sensitive"]:
                    sensitive.append(entry["id"])
    wanted = set(form.getlist("endorsement"))
    endorsements = [item for item in choices["endorsements"] if item["id"] in wanted]
    for item in endorsements:
        if item["stale"]:
            raise words.refusal(words.t("share_stale", lang, what=item["what"]))
        if item["entry"] and item["entry"]["id"] not in chosen:
            raise words.refusal(words.t("share_needs_entry", lang, what=item["what"], entry=item["entry"]["name"]))
    return sharing.Selection(profile=bool(chosen), entries=chosen or None, include_sensitive=sensitive,
                             endorsements=[item["id"] for item in endorsements],
                             include_revoked=any(item["revoked"] for item in endorsements))


@bp.post("/delen")
@unlocked
def make():
    app_state = guard.state()
    lang, wallet = app_state.lang, app_state.wallet
    choices = _choices(lang)
    try:
        selection = selection_from(request.form, choices, lang)
        if not selection.profile and not selection.endorsements:
            raise words.refusal(words.t("share_nothing", lang))
        shared = sharing.build(wallet, selection, now=app_state.clock())
    except PassportError as exc:
        return render_template("share.html", **choices, problem=words.problem(exc, lang),
                               ticked=_ticked(request.form)), 400
    token = app_state.keep(app_state.shares, shared)
    names = words.entry_names(wallet, lang)
    expires = shared.presentation["proof"].get("expires")
    return render_template("shared.html", token=token, codes=_codes(shared.presentation, lang),
                           entries=_entry_names(shared, lang), left_out=shared.left_out,
                           endorsements=[(words.what(c, lang, names), render.issuer_name(c))
                                         for c in shared.endorsements],
                           revoked=[words.what(item["credential"], lang, names) for item in shared.revoked],
                           until=_moment(expires, lang) if expires else "")


def _moment(value: str, lang: str) -> str:
    """"23 november 2026, 13:15": the date and the time on this computer's clock."""
    local = parse_datetime(value).astimezone()
    return f"{render.long_date(local.replace(tzinfo=None).isoformat()[:10], lang)}, {local:%H:%M}"


def _ticked(form) -> dict[str, set[str]]:
    return {name: set(form.getlist(name)) for name in ("entry", "endorsement")}


def _entry_names(shared: sharing.Shared, lang: str) -> list[str]:
    profile = next((c for c in shared.presentation["verifiableCredential"] if paspoort_type(c) == PROFILE_TYPE), None)
    if profile is None:
        return []
    subject = profile["credentialSubject"]
    return [render.text(entry.get("name"), lang) for key in BLOCK_KEYS for entry in subject.get(key, [])]


def _codes(presentation: dict[str, Any], lang: str) -> dict[str, Any]:
    """The QR codes as PNG ``data:`` URLs (a series when one code is too small), or why there are none."""
    qr = inbox.qr_module()
    try:
        parts = qr.split_for_qr(qr.encode_text(presentation))
    except QRTooLarge:
        return {"images": [], "too_large": True}
    images = []
    for part in parts:
        buffer = io.BytesIO()
        qr.render_png(part, buffer, box_size=4)
        images.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))
    return {"images": images, "too_large": False}


def _shared(token: str) -> sharing.Shared:
    shared = guard.state().shares.get(token)
    if shared is None:
        abort(404)
    return shared


@bp.get("/delen/<token>/paspoort.json")
@unlocked
def download_file(token: str):
    shared = _shared(token)
    return Response(jsonio.dumps_pretty(shared.presentation), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="paspoort-gedeeld.json"'})


@bp.get("/delen/<token>/paspoort.pdf")
@unlocked
def download_pdf(token: str):
    from .. import printable
    app_state = guard.state()
    shared, now = _shared(token), app_state.clock()
    profile = next((c for c in shared.presentation["verifiableCredential"] if paspoort_type(c) == PROFILE_TYPE), None)
    parts = printable.profile_parts(profile, app_state.wallet.holder_key, now=now) if profile else None
    with tempfile.TemporaryDirectory(prefix="paspoort-app-") as folder:
        path = os.path.join(folder, "paspoort.pdf")
        printable.export_pdf(parts, shared.endorsements, lang=app_state.lang, path=path, now=now)
        with open(path, "rb") as handle:
            data = handle.read()
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="paspoort.pdf"'})
