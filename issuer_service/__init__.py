"""The Paspoort issuer service: an organisation issues, revokes and suspends endorsements.

    flask --app issuer_service run                       # development
    gunicorn -w 4 -b 0.0.0.0:8000 'issuer_service:create_app()'   # production

The service refuses to start without its signing key (``PASPOORT_ISSUER_KEY_FILE``); admin
commands that create the key run without it: ``python -m issuer_service create-key``.
"""
from __future__ import annotations

import os
from typing import Any, Mapping

from flask import Flask
from sqlalchemy.exc import IntegrityError

from passport.timeutil import utcnow

from . import config as settings
from . import errors, keyring
from .db import Database
from .service import Issuer
from .status import ListDocuments


def create_app(test_config: Mapping[str, Any] | None = None, *, require_key: bool = True) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config = settings.load(app.instance_path, test_config)
    if config["DATABASE_URL"].startswith("sqlite:///" + app.instance_path):
        os.makedirs(app.instance_path, exist_ok=True)  # the default database lives there
    app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = config["MAX_CONTENT_LENGTH"]
    errors.register(app)
    from .cli import register as register_cli
    register_cli(app)
    database = Database(config["DATABASE_URL"], schema=config.get("DB_SCHEMA"))
    app.extensions["paspoort_issuer_db"] = database
    if not require_key and not _key_present(config):
        return app  # admin commands only (create-key, init-db): no routes are served
    keys = keyring.load(config["KEY_FILE"], config["DID"])
    issuer = Issuer(config=config, db=database, keyring=keys, lists=ListDocuments(keys, config["BASE_URL"]))
    app.extensions["paspoort_issuer"] = issuer
    if database.has_tables():
        try:
            with database.transaction() as session:
                keyring.record(session, keys, utcnow())
        except IntegrityError:  # another worker recorded the same key at the same moment
            pass
    from .views import credentials, public
    app.register_blueprint(credentials.bp)
    app.register_blueprint(public.bp)
    return app


def _key_present(config: Mapping[str, Any]) -> bool:
    return bool(config.get("KEY_FILE")) and os.path.exists(config["KEY_FILE"])
