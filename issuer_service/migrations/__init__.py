"""Alembic migrations of the issuer database; ``migrate`` runs them (``init-db``)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).parent


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def migrate(database, revision: str = "head") -> None:
    """``alembic upgrade <revision>`` on the service's database."""
    with database.engine.connect() as connection:
        command.upgrade(alembic_config(connection), revision)
        connection.commit()


def current_revision(database) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
