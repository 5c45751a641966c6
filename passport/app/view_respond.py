"""Delen by OpenID4VP: answer an employer's request after seeing exactly what is asked and by whom.

The person pastes the ``openid4vp://`` link, uploads a photo of its QR code or scans it with the
camera (``view_scan``). ``POST /delen/verzoek`` fetches and checks the signed request
(``passport.wallet.oid4vp.fetch_request``: bounded in size and time, no redirects) and shows who
asks (the name in the worker's trust registry, or clearly that the verifier is not in one, with
its DID), where the answer goes, what is asked (required or optional) and what the wallet would
send. Sensitive entries of the blocks asked for are listed unticked: they go only when ticked
(named). ``GET /delen/verzoek/<token>`` shows it (after a redirect, so a reload fetches nothing again);
``POST /delen/verzoek/<token>`` builds the answer again with the entries ticked, sends it
(``send``) and shows the verifier's verdict; ``cancel`` forgets the request and sends nothing.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, request

from ..errors import PassportError
from ..format.documents import PROFILE_TYPE, paspoort_type
from ..roles.dcql import PROFILE_QUERY
from ..terms import kind_name
from ..wallet import oid4vp, render
from . import guard, words
from .pages import back, unlocked
from .view_scan import REQUEST_PREFIXES, link_from_form

bp = Blueprint("respond", __name__)
LIFETIME = timedelta(minutes=10)  # how long the presentations sent stay valid (``passport respond --lifetime``)


@bp.get("/delen/verzoek")
@unlocked
def start():
    return render_template("respond.html", problem=None)


@bp.post("/delen/verzoek")
@unlocked
def fetch():
    app_state = guard.state()
    lang = app_state.lang
    try:
        link = link_from_form(request.form, request.files, REQUEST_PREFIXES, lang)
        asked = oid4vp.fetch_request(link, now=app_state.clock())
    except PassportError as exc:
        return render_template("respond.html", problem=words.problem(exc, lang)), 400
    app_state.requests.clear()  # one request at a time
    token = app_state.keep(app_state.requests, asked)
    return back("respond.show", token=token)


@bp.get("/delen/verzoek/<token>")
@unlocked
def show(token: str):
    """The request fetched (again, e.g. in the other language); one no longer kept: the start page."""
    asked = guard.state().requests.get(token)
    if asked is None:
        return back("respond.start")
    return _show(token, asked)


def _show(token: str, asked, problem: dict[str, str] | None = None, status: int = 200):
    """The request page: who asks, what, and what would be sent without the sensitive entries."""
    app_state = guard.state()
    lang = app_state.lang
    preview, cannot = None, None
    try:
        preview = _sent(oid4vp.answer(app_state.wallet, asked, oid4vp.selection_for(asked), now=app_state.clock(),
                                      lifetime=LIFETIME), lang)
    except PassportError as exc:
        cannot = _cannot(exc, asked, lang)
    return render_template("request.html", token=token, who=_who(asked, lang), items=_items(asked, lang),
                           sensitive=_sensitive(asked, lang), preview=preview, cannot=cannot,
                           problem=problem), status


def _cannot(exc: PassportError, asked, lang: str) -> dict[str, str]:
    """Why the wallet cannot answer: what is required and missing, in the page's words."""
    missing = exc.details.get("missing")
    profile = asked.query.find(PROFILE_QUERY)
    if not isinstance(missing, list) and profile is not None and not guard.state().wallet.data.get("profile"):
        missing = [profile.id]  # the wallet has no profile to give
    if not isinstance(missing, list):
        return words.problem(exc, lang)
    named = {item.id: what for item, what in zip(asked.query.credentials, (i["what"] for i in _items(asked, lang)))}
    return {"code": exc.code, "sentence": words.t("request_cannot", lang,
                                                  missing="; ".join(named.get(m, m) for m in missing)), "detail": ""}


def _who(asked, lang: str) -> dict[str, Any]:
    known = oid4vp.verifier_name(asked, guard.state().trust)
    return {"registered": known is not None, "name": known[0] if known else "",
            "role": words.role_name(known[1], lang) if known else "", "did": asked.did,
            "host": urlsplit(asked.response_uri).netloc, "encrypted": bool(asked.encryption_jwk)}


def _items(asked, lang: str) -> list[dict[str, Any]]:
    items = []
    for item in asked.query.credentials:
        if item.blocks:
            what = words.t("request_profile_blocks", lang,
                           blocks=", ".join(words.block_name(block, lang) for block in item.blocks))
        else:
            what = ", ".join(kind_name(name, lang) for name in item.type_names) or item.id
        items.append({"what": what, "required": item.id in asked.query.required})
    return items


def _asked_blocks(asked) -> list[str]:
    return [block for item in asked.query.credentials for block in item.blocks]


def _sensitive(asked, lang: str) -> list[dict[str, str]]:
    """The sensitive entries of the blocks asked for: each sent only when the person ticks it."""
    source = guard.state().wallet.data.get("profileSource") or {}
    return [{"id": entry["id"], "name": render.text(entry.get("name"), lang), "block": words.block_name(block, lang)}
            for block in dict.fromkeys(_asked_blocks(asked)) for entry in source.get(block) or []
            if isinstance(entry, dict) and entry.get("sensitive") and isinstance(entry.get("id"), str)]


def _sent(made: oid4vp.Answer, lang: str) -> dict[str, Any]:
    names = words.entry_names(guard.state().wallet, lang)
    endorsements = [f"{words.what(credential, lang, names)} ({render.issuer_name(credential)})"
                    for _query, credential in made.credentials if paspoort_type(credential) != PROFILE_TYPE]
    return {"entries": [names.get(entry, entry) for entry in made.profile_entries], "endorsements": endorsements,
            "skipped": made.skipped}


@bp.post("/delen/verzoek/<token>")
@unlocked
def send(token: str):
    app_state = guard.state()
    lang = app_state.lang
    asked = app_state.requests.pop(token, None)
    if asked is None:
        abort(404)
    if request.form.get("cancel"):
        return back("share.choose", "ok", words.t("request_cancelled", lang))
    allowed = {entry["id"] for entry in _sensitive(asked, lang)}
    named = [entry for entry in request.form.getlist("sensitive") if entry in allowed]
    try:
        made = oid4vp.answer(app_state.wallet, asked, oid4vp.selection_for(asked, named), now=app_state.clock(),
                             lifetime=LIFETIME)
        status, reply = oid4vp.send(asked, made.vp_token)
    except PassportError as exc:
        app_state.requests[token] = asked  # nothing was sent: the person may try again
        return _show(token, asked, words.problem(exc, lang), 400)
    return render_template("responded.html", who=_who(asked, lang), sent=_sent(made, lang),
                           verdict=_verdict(status, reply, lang))


def _verdict(status: int, reply: Any, lang: str) -> dict[str, str]:
    """What the verifier answered, in one sentence: verified, not verified, or refused (and why)."""
    body = reply if isinstance(reply, dict) else {}
    if 200 <= status < 300 and body.get("verified") is True:
        return {"kind": "ok", "text": words.t("request_verified", lang)}
    if 200 <= status < 300 and body.get("verified") is False:
        return {"kind": "warn", "text": words.t("request_not_verified", lang)}
    code = body.get("code") if isinstance(body.get("code"), str) else ""
    detail = words.problem_sentence(code, lang) if code else ""
    return {"kind": "error", "text": words.t("request_refused", lang, status=status), "detail": detail}
