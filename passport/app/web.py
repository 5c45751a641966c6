"""``create_app``: the Flask app over one wallet file, with its guard, screens and words.

    app = create_app(AppState(wallet_path, clock=now), hosts={"127.0.0.1:8765"})

Each screen is a blueprint in its own module (``view_unlock``, ``view_profile``, ``view_passport``,
``view_share`` with ``view_respond`` (OpenID4VP), ``view_receive`` with ``view_offer`` (OpenID4VCI),
``view_scan`` (QR codes from photos and the camera), ``view_backup``). Every view parses the form, calls the wallet
library and renders a template; an error of the library is shown on the page in plain words.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import Flask, g, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import PassportError
from ..wallet import status as statuses
from . import (guard, view_backup, view_offer, view_passport, view_profile, view_receive, view_respond, view_scan,
               view_share, view_unlock, words)
from .state import AppState

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a photo of a QR code or a backup; the wallet's own limits apply after
SCREENS = ("profile", "passport", "share", "receive", "backup")  # the menu, in this order


def create_app(state: AppState, *, hosts: Iterable[str], allow_http_hosts: Iterable[str] = (),
               status_loader: Callable[[Any], Callable[[str], Any]] | None = None) -> Flask:
    """The app for ``state``'s wallet, answering only requests whose Host is in ``hosts``.
    ``status_loader(wallet)`` gives the status lists' loader (default: the bounded network loader
    of ``passport list --refresh``, plain http only to ``allow_http_hosts``)."""
    app = Flask("passport.app", template_folder="templates", static_folder="static")
    app.config["APP_HOSTS"] = {host.lower() for host in hosts}
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    http_hosts = tuple(allow_http_hosts)
    app.config["STATUS_LOADER"] = status_loader or (
        lambda wallet: statuses.bounded_loader(wallet, http_hosts=http_hosts))
    app.extensions["paspoort_app"] = state
    guard.init_app(app)
    for module in (view_unlock, view_profile, view_passport, view_share, view_respond, view_receive, view_offer,
                   view_scan, view_backup):
        app.register_blueprint(module.bp)
    app.context_processor(_context)
    app.register_error_handler(PassportError, _library_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(404, _not_found)
    return app


def _context() -> dict[str, Any]:
    app_state = guard.state()
    lang, admitted = app_state.lang, bool(g.get("admitted"))  # a refusal shows no form, token or notice
    return {"lang": lang, "t": lambda key, **values: words.t(key, lang, **values),
            "block_name": lambda key: words.block_name(key, lang), "csrf": app_state.csrf if admitted else None,
            "unlocked": admitted and app_state.wallet is not None, "screens": SCREENS,
            "notice": app_state.take_notice() if admitted else None,
            "idle_minutes": int(app_state.idle.total_seconds() // 60), "here": request.path}


def _library_error(exc: PassportError):
    return render_template("error.html", problem=words.problem(exc, guard.state().lang)), exc.status


def _not_found(exc):
    said = {"code": "", "sentence": words.t("not_found", guard.state().lang), "detail": ""}
    return render_template("error.html", problem=said), 404


def _too_large(exc: RequestEntityTooLarge):
    lang = guard.state().lang
    said = {"code": "INPUT_TOO_LARGE", "sentence": words.t("upload_too_large", lang, mb=MAX_UPLOAD_BYTES >> 20),
            "detail": ""}
    return render_template("error.html", problem=said), 413
