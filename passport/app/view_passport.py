"""Mijn paspoort: every endorsement, what it says, who issued it and its status; the status is
checked again at the issuers when the person asks, with the limits of ``passport list --refresh``
(``passport.wallet.status``: https only, only the hosts the endorsements name, a size cap per
list, at most 32 lists and 30 seconds in all)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from ..encoding.timeutil import parse_datetime
from ..format.documents import issuer_id
from ..wallet import profile as profiles
from ..wallet import render
from ..wallet import status as statuses
from . import guard, words
from .pages import back, unlocked

bp = Blueprint("passport", __name__)
ATTENTION = ("revoked", "suspended", "expired", "unknown")


@bp.get("/paspoort")
@unlocked
def show():
    app_state = guard.state()
    wallet, lang = app_state.wallet, app_state.lang
    stale = set(profiles.stale_endorsements(wallet))
    names = words.entry_names(wallet, lang)
    cards = [describe(item, lang, app_state.clock(), stale, names) for item in wallet.credentials]
    return render_template("passport.html", cards=cards)


def state_of(item: dict[str, Any], now) -> tuple[str, str | None]:
    """("valid" | "revoked" | "suspended" | "expired" | "unknown" | "no-status" | "unchecked", checked at)."""
    until = item["credential"].get("validUntil")
    if until and parse_datetime(until) <= now:
        return "expired", None
    checked = item.get("statusCheck")
    if checked:
        return checked["status"], checked["checkedAt"]
    if item["credential"].get("credentialStatus"):
        return "unchecked", None
    return "no-status", None


def describe(item: dict[str, Any], lang: str, now, stale: set[str], names: dict[str, str]) -> dict[str, Any]:
    credential = item["credential"]
    subject = credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    state, checked_at = state_of(item, now)
    says = [render.text(value, lang) for value in (achievement.get("description"), subject.get("endorsementComment"))
            if value]
    entry = profiles.endorsed_entry(credential)
    return {"id": credential.get("id"), "what": words.what(credential, lang, names),
            "issuer": render.issuer_name(credential), "issuer_id": issuer_id(credential), "says": says,
            "from": render.long_date(credential.get("validFrom"), lang) if credential.get("validFrom") else "",
            "until": render.long_date(credential.get("validUntil"), lang) if credential.get("validUntil") else "",
            "state": state, "state_text": words.t("state_" + state.replace("-", "_"), lang),
            "checked": render.long_date(checked_at, lang) if checked_at else "",
            "reason": (item.get("statusCheck") or {}).get("reason", "") if state in ATTENTION else "",
            "entry": names.get(entry.get("id"), entry.get("id")) if entry else None,
            "stale": credential.get("id") in stale,
            "flags": [words.t("flag_" + flag.replace("-", "_"), lang) for flag in item.get("flags", [])
                      if flag in ("status-unknown", "entry-mismatch", "issuer-not-trusted")],
            "received": render.long_date(item.get("importedAt"), lang) if item.get("importedAt") else ""}


@bp.post("/paspoort/verversen")
@unlocked
def refresh():
    app_state = guard.state()
    wallet, lang = app_state.wallet, app_state.lang
    if not wallet.credentials:
        return back("passport.show")
    load = current_app.config["STATUS_LOADER"](wallet)
    outcomes = statuses.refresh(wallet, now=app_state.clock(), load=load)
    wallet.save()
    attention = sum(1 for outcome in outcomes if outcome.status in ATTENTION)
    if attention:
        return back("passport.show", "warn", words.t("refreshed_attention", lang, count=attention))
    return back("passport.show", "ok", words.t("refreshed_ok", lang, count=len(outcomes)))
