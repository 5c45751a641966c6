"""The Paspoort issuer service: an organisation issues, revokes and suspends endorsements.

    flask --app issuer_service run                       # development
    gunicorn -w 4 -b 0.0.0.0:8000 'issuer_service:create_app()'   # production

The service refuses to start without its signing key (``PASPOORT_ISSUER_KEY_FILE``) and its
public base URL (``PASPOORT_ISSUER_BASE_URL``). Admin commands need neither (no routes are then
served): ``python -m issuer_service create-key``, ``flask --app issuer_service init-db``.
"""
from __future__ import annotations

import os
from typing import Any, Mapping

import click
from flask import Flask
from sqlalchemy.exc import IntegrityError, OperationalError

from passport.encoding.timeutil import utcnow

from . import config as settings
from . import errors, keyring, logs
from .db import Database
from .service import Issuer
from .status import MEMORY_SECONDS, ListDocuments


def create_app(test_config: Mapping[str, Any] | None = None, *, require_key: bool = True) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config = settings.load(app.instance_path, test_config)
    if config["DATABASE_URL"].startswith("sqlite:///" + app.instance_path):
        os.makedirs(app.instance_path, mode=0o700, exist_ok=True)  # the default database lives there
    app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = config["MAX_CONTENT_LENGTH"]
    logs.install(app.logger)  # no log line holds a bearer token
    errors.register(app)
    from .cli import register as register_cli
    register_cli(app)
    database = Database(config["DATABASE_URL"], schema=config.get("DB_SCHEMA"))
    app.extensions["paspoort_issuer_db"] = database
    admin_only = not require_key or _loaded_for_admin_command()
    if admin_only and not _key_present(config):
        return app  # admin commands only (create-key, init-db): no routes are served
    keys = keyring.load(config["KEY_FILE"], config["DID"])
    if not admin_only:
        settings.require_base_url(config)  # a server without it must not start
    lists = ListDocuments(keys, config["BASE_URL"], fresh_seconds=min(MEMORY_SECONDS, config["STATUS_MAX_AGE"]))
    issuer = Issuer(config=config, db=database, keyring=keys, lists=lists)
    app.extensions["paspoort_issuer"] = issuer
    _record_key(app, database, keys)
    if not config["BASE_URL"]:
        return app  # an admin command without the base URL: keys and tables, no routes
    from .views import credentials, public
    app.register_blueprint(credentials.bp)
    app.register_blueprint(public.bp)
    from .oid4vci import bp as oid4vci_bp  # OpenID4VCI 1.0: metadata, offers, token, nonce, credential
    app.register_blueprint(oid4vci_bp)
    from .desk import init_app as desk  # the issuing desk's pages at /desk/
    desk(app)
    return app


def _record_key(app: Flask, database: Database, keys) -> None:
    """Record the signing key at start. A worker that starts (or is restarted) while the database
    is unreachable still boots: the key is recorded by the next start; requests meanwhile get 503."""
    try:
        if database.has_tables():
            with database.transaction() as session:
                keyring.record(session, keys, utcnow())
    except IntegrityError:  # another worker recorded the same key at the same moment
        pass
    except OperationalError as exc:
        app.logger.warning("database unavailable at start, the signing key is recorded later: %s", exc.orig)


def _loaded_for_admin_command() -> bool:
    """True while ``flask --app issuer_service <command>`` loads the app to find an admin command.

    Flask loads the app inside its command group's context to look up ``init-db`` and the
    other app commands; ``flask run``, ``routes`` and ``shell`` load it inside their own
    command's context, and gunicorn outside any: those serve, so they need every setting.
    """
    context = click.get_current_context(silent=True)
    return context is not None and isinstance(context.command, click.Group)


def _key_present(config: Mapping[str, Any]) -> bool:
    return bool(config.get("KEY_FILE")) and os.path.exists(config["KEY_FILE"])
