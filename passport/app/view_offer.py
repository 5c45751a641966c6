"""Ontvangen by OpenID4VCI: the person pastes an offer link, uploads a photo of the offer's QR
code or scans it with the camera (``view_scan``); the app fetches the offer and the issuer's
metadata (``passport.wallet.receive.open_offer``, over the wallet's bounded ``Transport``) and
shows who offers what: the issuer's name in the worker's trust registry, or clearly that it is not
in one. Only then does it ask for the transaction code; accepting runs ``receive`` (token, nonce,
key proof, credential, verified as ``passport import`` does) and keeps the credential.

Two steps, as ``passport receive``: ``POST /ontvangen/aanbod`` opens and shows the offer (kept in
memory under a random token, with its transport, so the request budget covers both steps);
``GET /ontvangen/aanbod/<token>`` shows it (after a redirect, so a reload or the language switch
asks nothing again) and ``POST /ontvangen/aanbod/<token>`` accepts it or, with ``cancel``, forgets it.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..errors import PassportError
from ..terms import kind_name
from ..wallet import status as statuses
from ..wallet.receive import open_offer, receive
from ..wallet.transport import Transport
from . import guard, view_receive, words
from .pages import back, unlocked
from .view_scan import OFFER_PREFIXES, link_from_form

bp = Blueprint("offer", __name__)


@bp.post("/ontvangen/aanbod")
@unlocked
def open_():
    app_state = guard.state()
    lang = app_state.lang
    transport = Transport()
    try:
        link = link_from_form(request.form, request.files, OFFER_PREFIXES, lang)
        opened = open_offer(link, transport, trust=app_state.trust, lang=lang)
    except PassportError as exc:
        return view_receive.refused(exc)
    app_state.offers.clear()  # one offer at a time: an earlier one not accepted is forgotten
    token = app_state.keep(app_state.offers, (opened, transport))
    return back("offer.show", token=token)


@bp.get("/ontvangen/aanbod/<token>")
@unlocked
def show(token: str):
    """The offer opened (again, e.g. in the other language); an offer no longer kept: Receive."""
    app_state = guard.state()
    kept = app_state.offers.get(token)
    if kept is None:
        return back("receive.show")
    return render_template("offer.html", token=token, offer=describe(kept[0], app_state.lang), problem=None)


def describe(opened, lang: str) -> dict:
    """Who offers what, for the page: the registered name, or the name the issuer gives itself."""
    registered = opened.registered
    return {"registered": registered is not None,
            "name": registered.name if registered is not None else (opened.declared_name or opened.issuer_host),
            "host": opened.issuer_host, "what": kind_name(opened.configuration_id, lang),
            "tx_code": opened.needs_tx_code, "tx_length": opened.tx_code_length,
            "tx_hint": _tx_hint(opened)}


def _tx_hint(opened) -> str:
    description = (opened.offer.tx_code or {}).get("description")
    return description[:300] if isinstance(description, str) else ""


@bp.post("/ontvangen/aanbod/<token>")
@unlocked
def accept(token: str):
    app_state = guard.state()
    lang, wallet = app_state.lang, app_state.wallet
    kept = app_state.offers.pop(token, None)
    if kept is None:
        abort(404)
    if request.form.get("cancel"):
        return back("receive.show", "ok", words.t("offer_cancelled", lang))
    opened, transport = kept
    tx_code = (request.form.get("tx_code") or "").strip() or None
    if opened.needs_tx_code and not tx_code:
        app_state.offers[token] = kept  # nothing was sent yet: ask again
        problem = {"code": "", "sentence": words.t("offer_need_tx_code", lang), "detail": ""}
        return render_template("offer.html", token=token, offer=describe(opened, lang), problem=problem), 400
    before = len(wallet.credentials)
    try:
        # the clock itself, read at each step: the credential is checked after the issuer signed it
        item = receive(opened, wallet, tx_code, transport, now=app_state.clock, trust=app_state.trust)
    except PassportError as exc:
        return view_receive.refused(exc)
    new = len(wallet.credentials) > before
    if new:
        wallet.save()  # kept first, whatever the status check below meets
        # its status at once, with the limits of "Nu controleren": Mijn paspoort shows it checked
        checked = statuses.refresh(wallet, now=app_state.clock(), load=current_app.config["STATUS_LOADER"](wallet),
                                   items=[item])[0]
        if checked.status in ("valid", "revoked", "suspended"):
            item["flags"] = [flag for flag in item["flags"] if flag != "status-unknown"]
        wallet.save()
    return view_receive.received(item, new, offered_by=describe(opened, lang)["name"])
