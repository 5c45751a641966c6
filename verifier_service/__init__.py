"""The Paspoort verifier service: a thin Flask layer over ``passport.check``.

    flask --app verifier_service run
    gunicorn -w "$(nproc)" -b 0.0.0.0:8000 'verifier_service:create_app()'

Configuration comes from ``PASPOORT_VERIFIER_*`` environment variables (``config.py``); the
service refuses to start without signed trust registries and their signers.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from flask import Flask

from passport.crypto.keys import Ed25519Key
from passport.errors import PassportError

from . import api, errors, headers, oid4vp, openapi, page, scan
from .config import ConfigError, default_database_url, load_settings
from passport.verification.fetch import Fetcher
from .models import make_engine
from .verification import Verifier, load_bundle, load_contexts, load_trust

__all__ = ["ConfigError", "create_app"]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _signing_key(path: str | None) -> Ed25519Key:
    """The key that signs OpenID4VP requests: the configured file, else a new one for this process
    (requests still verify, but no trust registry can name a key made at start-up)."""
    if not path:
        return Ed25519Key.generate()
    try:
        return Ed25519Key.load(path)
    except (OSError, PassportError) as exc:
        raise ConfigError(f"PASPOORT_VERIFIER_KEY_FILE={path}: {getattr(exc, 'message', exc)}") from None


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` overrides settings (and may set ``CLOCK``, a ``now()`` callable)."""
    app = Flask(__name__, instance_relative_config=True)
    overrides = dict(test_config or {})
    clock = overrides.pop("CLOCK", None) or _utc_now
    environment = overrides.pop("ENV", None)
    settings = load_settings(environment, overrides)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_REQUEST_BYTES"]
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    url = settings["DATABASE_URL"] or default_database_url(app.instance_path)
    fetcher = Fetcher(timeout=settings["FETCH_TIMEOUT"], max_bytes=settings["FETCH_MAX_BYTES"],
                      test_hosts=settings["ALLOW_HTTP_HOSTS"], cache_ttl=settings["CACHE_TTL"],
                      failure_ttl=settings["FETCH_FAILURE_TTL"])
    verifier = Verifier(trust=load_trust(settings["TRUST_REGISTRIES"], settings["TRUST_SIGNERS"], clock()),
                        fetcher=fetcher, bundle=load_bundle(settings["OFFLINE_BUNDLE"]), clock=clock,
                        max_fetches=settings["MAX_FETCHES_PER_REQUEST"], fetch_seconds=settings["FETCH_BUDGET"],
                        document_loader=load_contexts(settings["JSONLD_CONTEXTS"]))
    app.extensions["paspoort_verifier"] = api.State(
        engine=make_engine(url, settings["DATABASE_SCHEMA"]), verifier=verifier, clock=clock,
        key=_signing_key(settings["KEY_FILE"]))

    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(oid4vp.bp)
    app.register_blueprint(page.bp)
    app.register_blueprint(scan.bp)
    app.register_blueprint(openapi.bp)
    app.wsgi_app = headers.SecureHeaders(app.wsgi_app)  # every answer: page, API, static files, problems
    return app
