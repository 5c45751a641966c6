"""The desk's routes: sign in and out, language, new endorsement -> offer, issued, status."""
from __future__ import annotations

import base64
import secrets

from flask import current_app, g, redirect, render_template, request, url_for

from passport.errors import PassportError
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, CERTIFICAAT_TYPE

from ..errors import NotFound, ServiceProblem, Unauthorized
from ..oid4vci.offers import Offers
from ..views import issuer, now
from . import audit, bp, forms, issued, lang, procedures, refuse
from . import session as sessions
from .words import say

LOGIN_COOKIE = "paspoort_desk_login"
KINDS = {"examiner": AANTOONBAAR_BEKWAAM_TYPE, "module": CERTIFICAAT_TYPE}


def _cookie(response, name: str, value: str, *, max_age: int | None = None):
    config = current_app.config
    response.set_cookie(name, value, httponly=True, samesite="Strict", secure=sessions.secure(config), path="/",
                        max_age=max_age)
    return response


def _problem(exc: Exception) -> dict:
    return {"sentence": say("service_refused", lang()), "detail": getattr(exc, "message", str(exc)),
            "code": getattr(exc, "code", None)}


@bp.get("/")
def home():
    return redirect(url_for("desk.new"), code=303)


@bp.get("/sign-in")
def sign_in_form():
    login = secrets.token_urlsafe(24)
    notice = request.args.get("notice")
    notice = ("ok" if notice == "signed_out" else "warn", say(notice, lang())) \
        if notice in ("signed_out", "expired", "token_gone") else None
    page = render_template("desk/sign_in.html", login=login, notice=notice)
    return _cookie(current_app.make_response(page), LOGIN_COOKIE, login, max_age=3600)


@bp.post("/sign-in")
def sign_in():
    if not sessions.same(request.form.get("login"), request.cookies.get(LOGIN_COOKIE)):
        return refuse(403, "refused_csrf")
    token = request.form.get("token") or ""
    try:
        if not token.strip() or len(token) > 200:
            raise Unauthorized("no token")
        secret, _staff = sessions.open_session(issuer(), token, lang(), now())
    except Unauthorized:
        login = secrets.token_urlsafe(24)
        page = render_template("desk/sign_in.html", login=login, problem={"sentence": say("token_wrong", lang())})
        return _cookie(current_app.make_response((page, 401)), LOGIN_COOKIE, login, max_age=3600)
    response = redirect(url_for("desk.new"), code=303)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return _cookie(response, sessions.cookie_name(current_app.config), secret,
                   max_age=int(sessions.longest(current_app.config).total_seconds()))


@bp.post("/sign-out")
def sign_out():
    sessions.close(issuer(), g.desk, now())
    response = redirect(url_for("desk.sign_in_form", notice="signed_out", lang=g.desk.lang), code=303)
    config = current_app.config
    response.delete_cookie(sessions.cookie_name(config), path="/", secure=sessions.secure(config), httponly=True,
                           samesite="Strict")
    return response


@bp.post("/language")
def language():
    sessions.set_language(issuer(), g.desk, request.form.get("lang", ""))
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/desk/") and "//" not in target else url_for("desk.new"), code=303)


def _kinds() -> list[str]:
    staff = g.desk.staff
    return [kind for kind, credential_type in KINDS.items() if credential_type in staff.types]


def _form_page(kind: str | None, *, problems=None, problem=None, status: int = 200):
    allowed = procedures.allowed(current_app.extensions["paspoort_desk_procedures"], g.desk.staff)
    kinds = _kinds()
    kind = kind if kind in kinds else (kinds[0] if kinds else None)
    page = render_template("desk/new.html", kind=kind, kinds=kinds, procedures=allowed, problems=problems or {},
                           problem=problem, form=request.form if request.method == "POST" else {},
                           months=forms.VALID_MONTHS, levels=forms.LEVELS, today=now().date().isoformat(),
                           keeps_evidence=bool(current_app.config.get("DESK_EVIDENCE_DIR")))
    return page, status


@bp.get("/new")
def new():
    return _form_page(request.args.get("kind"))


@bp.post("/new")
def make_offer():
    kind = request.form.get("kind")
    if kind not in _kinds():
        return _form_page(None, problem={"sentence": say("nothing_to_issue", lang())}, status=403)
    service, config, moment = issuer(), current_app.config, now()
    if kind == "examiner":
        listed = current_app.extensions["paspoort_desk_procedures"]
        chosen = procedures.find(listed, g.desk.staff, request.form.get("procedure"))
        draft = forms.examiner_draft(request.form, request.files, chosen, config=config,
                                     issuer_did=service.keyring.did, now=moment)
    else:
        draft = forms.module_draft(request.form, config=config)
    if isinstance(draft, dict):
        return _form_page(kind, problems=draft, problem={"sentence": say("fix_fields", lang())}, status=422)
    try:
        created = Offers(service).create(g.desk.staff, draft.credential, {"template": draft.template}, moment, qr=True)
    except (PassportError, ServiceProblem) as exc:
        return _form_page(kind, problem=_problem(exc), status=getattr(exc, "status", 400))
    forms.keep_evidence(config, draft)
    audit.add(service, g.desk.staff, "desk-offer", moment, type=created["credential_configuration_id"],
              scope=draft.scope_value, expires=created["expires"])
    qr = base64.b64encode(created["qr_svg"].encode("utf-8")).decode("ascii")
    return render_template("desk/offer.html", created=created, draft=draft, qr=qr)


@bp.get("/issued")
def issued_list():
    text = request.args.get("q", "")
    service, moment = issuer(), now()
    return render_template("desk/issued.html", q=text, rows=issued.issued(service, g.desk.staff, text, moment),
                           offers=[] if text else issued.offers(service, g.desk.staff, moment))


def _detail(credential_id: str, *, notice=None, problem=None, problems=None, status: int = 200, keep: bool = True):
    try:
        record = issuer().lookup(g.desk.staff, credential_id)
    except (NotFound, ServiceProblem):
        return render_template("desk/refused.html", reason="not_found"), 404
    form = request.form if request.method == "POST" and keep else {}
    return render_template("desk/credential.html", record=record, notice=notice, problem=problem,
                           problems=problems or {}, form=form), status


@bp.get("/issued/<path:credential_id>")
def credential(credential_id: str):
    return _detail(credential_id)


@bp.post("/issued/<path:credential_id>")
def change_status(credential_id: str):
    action, reason = request.form.get("action", ""), request.form.get("reason", "").strip()
    problems = {}
    if action not in ("suspend", "unsuspend", "revoke"):
        problems["action"] = "need_action"
    if not reason:
        problems["reason"] = "need_reason"
    if problems:
        return _detail(credential_id, problems=problems, problem={"sentence": say("fix_fields", lang())}, status=422)
    try:
        issued.change_status(issuer(), g.desk.staff, credential_id, action, reason, now())
    except NotFound:
        return render_template("desk/refused.html", reason="not_found"), 404
    except (PassportError, ServiceProblem) as exc:
        if getattr(exc, "status", 400) == 403:
            return render_template("desk/refused.html", reason="not_found"), 403
        return _detail(credential_id, problem=_problem(exc), status=exc.status)
    return _detail(credential_id, notice=("ok", say("status_saved", lang())), keep=False)
