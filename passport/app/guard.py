"""Who may use the app: only the browser that opened the first URL, only at this address, only
with the form it was given, and only while someone is using it.

Checks on every request, in this order, each refusing before anything is read or changed:

1. ``Host`` is one of the app's own addresses (``127.0.0.1:PORT`` or ``localhost:PORT``), so a
   web page that rebinds its DNS name to 127.0.0.1 cannot reach the app (421).
2. The app has not stopped, and the last request was less than the idle time ago; otherwise the
   wallet is locked, the app stops and the request is refused (410).
3. ``/start?token=...`` exchanges the secret of the first URL, once, for a cookie (HttpOnly,
   SameSite=Strict, path /). Every other request must carry that cookie (403).
4. Every POST carries the session's CSRF token in the form field ``csrf`` (403).

Answers carry a strict Content-Security-Policy (only the app's own script, style sheet and
``data:`` images), are never cached, and may not be framed.
"""
from __future__ import annotations

import hmac

from flask import Flask, Response, abort, current_app, g, redirect, render_template, request

from .state import AppState, new_secret

COOKIE = "paspoort_app"
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def state() -> AppState:
    return current_app.extensions["paspoort_app"]


def _same(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def refuse(status: int, reason: str) -> Response:
    """A short page that says why, in the app's language; nothing was read or changed."""
    response = current_app.make_response((render_template("refused.html", reason=reason), status))
    return response


def check_request() -> Response | None:
    app_state = state()
    if request.host.lower() not in current_app.config["APP_HOSTS"]:
        return refuse(421, "refused_host")
    with app_state.lock:
        if app_state.stopped:
            return refuse(410, "refused_stopped")
        if app_state.idle_expired():
            app_state.stop()
            return refuse(410, "refused_stopped")
        if request.path == "/start":
            return _exchange(app_state)
        if not _same(request.cookies.get(COOKIE), app_state.session):
            return refuse(403, "refused_cookie")
        if request.method not in ("GET", "HEAD", "POST"):
            abort(405)
        if request.method == "POST" and not _same(request.form.get("csrf"), app_state.csrf):
            return refuse(403, "refused_csrf")
        app_state.touch()
        g.admitted = True  # only now may a page show the session's forms (and their CSRF token)
    return None


def _exchange(app_state: AppState) -> Response:
    if app_state.start_token is None or not _same(request.args.get("token"), app_state.start_token):
        return refuse(403, "refused_start")
    app_state.start_token = None  # the first URL works once: a copy of it (history, logs) opens nothing
    app_state.session = new_secret()
    app_state.touch()
    response = redirect("/", code=303)
    response.set_cookie(COOKIE, app_state.session, httponly=True, samesite="Strict", path="/")
    return response


def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(secure)
