"""Mijn profiel: the guided builder. Three questions (Wie ben ik? Wat wil ik? Wat kan ik?), each
answered by two building blocks with a hint and examples; add, change and remove entries, mark
one sensitive, link a skill to an ESCO or CompetentNL concept. Every save signs the whole profile
with the holder key, exactly as ``passport profile set`` does (``passport.wallet.profile``)."""
from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, abort, render_template, request

from ..errors import PassportError
from ..format.documents import BLOCK_KEYS
from ..wallet import profile as profiles
from ..wallet import render
from . import entries, guard, words
from .pages import back, unlocked

bp = Blueprint("profile", __name__)
STEPS = tuple(step for step, _ in words.QUESTIONS)


def _source() -> dict[str, Any] | None:
    return copy.deepcopy(guard.state().wallet.data.get("profileSource"))


def _endorsements() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Entry id -> issuers whose endorsement still matches it, and -> issuers whose no longer does."""
    wallet = guard.state().wallet
    stale = set(profiles.stale_endorsements(wallet))
    backed: dict[str, list[str]] = {}
    changed: dict[str, list[str]] = {}
    for item in wallet.credentials:
        credential = item["credential"]
        entry = profiles.endorsed_entry(credential)
        if entry:
            target = changed if credential.get("id") in stale else backed
            target.setdefault(entry.get("id"), []).append(render.issuer_name(credential))
    return backed, changed


@bp.get("/profiel")
@unlocked
def show():
    step = request.args.get("vraag", STEPS[0])
    if step not in STEPS:
        abort(404)
    lang = guard.state().lang
    source = _source() or {}
    backed, changed = _endorsements()
    blocks = dict(words.QUESTIONS)[step]
    listed = {key: [_shown(entry, lang, backed, changed) for entry in source.get(key) or [] if isinstance(entry, dict)]
              for key in blocks}
    index = STEPS.index(step)
    return render_template("profile.html", step=step, steps=STEPS, blocks=blocks, listed=listed,
                           name=source.get("name") or "", has_profile=bool(source),
                           next_step=STEPS[index + 1] if index + 1 < len(STEPS) else None,
                           counts={key: len(source.get(key) or []) for key in BLOCK_KEYS})


def _shown(entry: dict[str, Any], lang: str, backed, changed) -> dict[str, Any]:
    return {"id": entry.get("id"), "name": render.text(entry.get("name"), lang),
            "description": render.text(entry.get("description"), lang) if entry.get("description") else "",
            "details": render.entry_details(entry, lang), "sensitive": bool(entry.get("sensitive")),
            "backed": backed.get(entry.get("id"), []), "changed": changed.get(entry.get("id"), [])}


@bp.post("/profiel/naam")
@unlocked
def set_name():
    lang = guard.state().lang
    name = request.form.get("name", "").strip()
    if not name:
        return back("profile.show", "bad", words.t("need_name", lang))
    before = _source() or {key: [] for key in BLOCK_KEYS}
    source = {"name": name, **{key: value for key, value in before.items() if key != "name"}}
    return _sign(source, "wie")


def _step_of(block: str) -> str:
    return next(step for step, blocks in words.QUESTIONS if block in blocks)


def _find(source: dict[str, Any] | None, block: str, entry_id: str) -> dict[str, Any]:
    for entry in (source or {}).get(block) or []:
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return entry
    abort(404)


@bp.get("/profiel/<block>/nieuw")
@bp.get("/profiel/<block>/<entry_id>")
@unlocked
def edit(block: str, entry_id: str | None = None):
    if block not in BLOCK_KEYS:
        abort(404)
    source = _source()
    if not (source or {}).get("name"):
        return back("profile.show", "bad", words.t("need_name_first", guard.state().lang))
    entry = _find(source, block, entry_id) if entry_id else None
    return _form(block, entry_id, entries.form_values(entry))


def _form(block: str, entry_id: str | None, values: dict[str, Any], problem: dict | None = None, status: int = 200):
    backed, _ = _endorsements()
    return render_template("entry.html", block=block, entry_id=entry_id, values=values, fields=entries.fields(block),
                           kinds=entries.KINDS, frameworks=entries.FRAMEWORKS, problem=problem,
                           backed=backed.get(entry_id, []) if entry_id else [], step=_step_of(block)), status


@bp.post("/profiel/<block>/opslaan")
@unlocked
def save(block: str):
    if block not in BLOCK_KEYS:
        abort(404)
    lang = guard.state().lang
    source = _source()
    if not (source or {}).get("name"):
        return back("profile.show", "bad", words.t("need_name_first", lang))
    entry_id = request.form.get("entry_id") or None
    previous = _find(source, block, entry_id) if entry_id else None
    try:
        entry = entries.entry_from_form(block, request.form, previous, request.form.getlist("keep_link"), lang)
    except PassportError as exc:
        return _form(block, entry_id, _values_from(request.form, previous), words.problem(exc, lang), 400)
    listed = source.setdefault(block, [])
    if previous is None:
        listed.append(entry)
    else:
        listed[listed.index(previous)] = entry
    try:
        return _sign(source, _step_of(block))
    except PassportError as exc:
        return _form(block, entry_id, _values_from(request.form, previous), words.problem(exc, lang), 400)


def _values_from(form, previous) -> dict[str, Any]:
    """What the person typed, to show again beside the problem (links as they were)."""
    values = entries.form_values(previous)
    values.update({key: form.get(key, "") for key in values if key not in ("links", "sensitive")})
    values["sensitive"] = form.get("sensitive") == "on"
    return values


@bp.get("/profiel/<block>/<entry_id>/verwijderen")
@unlocked
def confirm_remove(block: str, entry_id: str):
    if block not in BLOCK_KEYS:
        abort(404)
    entry = _find(_source(), block, entry_id)
    backed, _ = _endorsements()
    return render_template("remove.html", block=block, entry_id=entry_id, step=_step_of(block),
                           name=render.text(entry.get("name"), guard.state().lang), backed=backed.get(entry_id, []))


@bp.post("/profiel/<block>/<entry_id>/verwijderen")
@unlocked
def remove(block: str, entry_id: str):
    if block not in BLOCK_KEYS:
        abort(404)
    source = _source()
    entry = _find(source, block, entry_id)
    source[block].remove(entry)
    return _sign(source, _step_of(block), "removed")


def _sign(source: dict[str, Any], step: str, said: str = "saved"):
    """Sign and store the profile (``passport profile set``), then say what changed."""
    app_state = guard.state()
    lang = app_state.lang
    outcome = profiles.set_profile(app_state.wallet, source, now=app_state.clock())
    app_state.wallet.save()
    text = words.t(said, lang)
    if outcome["stale"]:
        text += " " + words.t("stale_after_save", lang, count=len(outcome["stale"]))
    return back("profile.show", "warn" if outcome["stale"] else "ok", text, vraag=step)
