"""The issuing desk at ``/desk/``: pages for examiners and training providers (issue 16, part 2).

Modules, one job each: ``session`` (a staff token exchanged for a cookie; expiry; CSRF),
``procedures`` (what an examiner may choose, narrowed to the token's scope), ``forms`` (form
fields -> credential body, evidence digest), ``issued`` (lists and status changes), ``audit``
(the desk's own audit entries), ``words`` (Dutch first, English by choice), ``views`` (the
routes). The desk calls the service's Python functions (``Offers.create``,
``Issuer.update_status``, ``Issuer.lookup``), never its HTTP API.

Every request, before any view runs (``guard``):

1. The sign-in page and the style sheet and script are open; sign-in itself needs the login
   form's own CSRF value (a cookie set with the form, compared with the field).
2. Every other page needs a live session (``session.current``): without one a GET goes to the
   sign-in page (303) and anything else is refused (403).
3. Every POST carries the session's CSRF token in the field ``csrf`` (403 otherwise).

Answers carry a strict Content-Security-Policy (only the desk's own script and style sheet,
``data:`` images for the QR code), are never cached and may not be framed.
"""
from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..views import issuer, now
from . import session as sessions
from .forms import MAX_EVIDENCE_BYTES
from .words import say

bp = Blueprint("desk", __name__, url_prefix="/desk", template_folder="templates", static_folder="static")
FORM_ROOM = 256 * 1024  # the form's other fields beside the evidence file
OPEN_ENDPOINTS = frozenset({"desk.sign_in", "desk.sign_in_form", "desk.static", "desk.house_css"})
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])
HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin"}


HOUSE_CSS = files("passport.app").joinpath("static/house.css").read_bytes()  # the house style of the people's screens


@bp.get("/house.css")
def house_css() -> Response:
    return Response(HOUSE_CSS, mimetype="text/css")


def lang() -> str:
    signed = g.get("desk")
    if signed is not None:
        return signed.lang
    chosen = request.args.get("lang") or request.form.get("lang")
    return chosen if chosen in sessions.LANGUAGES else "nl"


def refuse(status: int, reason: str) -> Response:
    return current_app.make_response((render_template("desk/refused.html", reason=reason), status))


@bp.before_request
def guard():
    g.desk = None
    if request.endpoint == "desk.make_offer":  # an evidence file may be larger than an API request
        request.max_content_length = max(MAX_EVIDENCE_BYTES + FORM_ROOM, current_app.config["MAX_CONTENT_LENGTH"])
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    found = sessions.current(issuer(), request.cookies.get(sessions.cookie_name(current_app.config)), now())
    if isinstance(found, str):
        if request.method in ("GET", "HEAD"):
            notice = {"expired": "expired", "token": "token_gone"}.get(found)
            return redirect(url_for("desk.sign_in_form", notice=notice), code=303)
        return refuse(403, "refused_session")
    g.desk = found
    if request.method == "POST" and not sessions.same(request.form.get("csrf"), found.csrf):
        return refuse(403, "refused_csrf")
    return None


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    return refuse(413, "evidence_too_large")


@bp.after_request
def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


@bp.app_context_processor
def words():
    if not request.blueprint == "desk":
        return {}
    chosen = lang()
    signed = g.get("desk")
    return {"t": lambda key, **values: say(key, chosen, **values), "lang": chosen, "signed": signed,
            "csrf": signed.csrf if signed else None, "here": request.full_path.rstrip("?"),
            "idle_minutes": int(sessions.idle(current_app.config).total_seconds() // 60)}


def init_app(app) -> None:
    from . import procedures, views  # noqa: F401 - the routes register on bp
    app.extensions["paspoort_desk_procedures"] = procedures.load(app.config)  # a bad file stops the start
    app.register_blueprint(bp)
