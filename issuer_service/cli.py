"""Admin commands: ``init-db``, ``create-key [--rotate]``, ``create-token``, ``revoke-token``, ``purge-text``.

Run them as ``python -m issuer_service <command>`` (works before a key exists) or
``flask --app issuer_service <command>`` once the key is in place.
"""
from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import select

from passport.errors import PassportError
from passport.crypto.keys import Ed25519Key
from passport.encoding.timeutil import utcnow

from . import keyring
from .auth import ROLE_TYPES, create_token
from .models import AuditEntry, Token


def _database():
    return current_app.extensions["paspoort_issuer_db"]


def init_db(app: Flask | None = None) -> None:
    """``alembic upgrade head``, then record the public keys."""
    from .migrations import migrate
    app = app or current_app
    database = app.extensions["paspoort_issuer_db"]
    migrate(database)
    issuer = app.extensions.get("paspoort_issuer")
    if issuer is not None:
        with database.transaction() as session:
            keyring.record(session, issuer.keyring, utcnow())


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db_command() -> None:
        """Create or upgrade the database tables (alembic upgrade head); keeps all data."""
        init_db()
        click.echo(f"database ready: {_database().engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("create-key")
    @click.option("--rotate", is_flag=True, help="Retire the current key and make a new one active.")
    @click.option("--import", "source", type=click.Path(exists=True, dir_okay=False),
                  help="Import this Multikey file (with secretKeyMultibase) instead of generating a key.")
    def create_key_command(rotate: bool, source: str | None) -> None:
        """Write a new Ed25519 key file (mode 0600) at PASPOORT_ISSUER_KEY_FILE; never overwrites."""
        path = current_app.config.get("KEY_FILE")
        if not path:
            raise click.ClickException("set PASPOORT_ISSUER_KEY_FILE to the path of the key file to create")
        try:
            imported = Ed25519Key.load(source) if source else None
            key = keyring.create(path, rotate=rotate, key=imported)
        except (FileExistsError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
        except PassportError as exc:
            raise click.ClickException(f"{source} is not a usable key: {exc.message}") from None
        did = current_app.config.get("DID") or key.did
        click.echo(f"{'rotated: new active key' if rotate else 'key written'} {path}")
        click.echo(f"issuer DID: {did}")
        if rotate and not current_app.config.get("DID"):
            click.echo("note: with did:key the issuer DID changes on rotation; update the trust registry, or "
                       "use PASPOORT_ISSUER_DID=did:web:<host> so the DID stays and only keys rotate")
        if _database().has_tables():
            keys = keyring.load(path, current_app.config.get("DID"))
            with _database().transaction() as session:
                keyring.record(session, keys, utcnow())
                session.add(AuditEntry(at=utcnow(), actor="admin-cli", action="rotate-key" if rotate else "create-key",
                                       details={"key": key.public_key_multibase, "did": did}))
        if rotate:  # a first key: the service starts with it; a new one: running instances still hold the old
            click.echo("restart the service (every instance) to sign with the new key")

    @app.cli.command("create-token")
    @click.option("--role", required=True, type=click.Choice(sorted(ROLE_TYPES)))
    @click.option("--name", required=True, help="Who holds the token (shown in the audit log).")
    @click.option("--types", default=None, help="Comma-separated credential types (narrows the role's types), or 'any' "
              "(admin, no --scope): every type of the role and general VCDM 2.0 credentials.")
    @click.option("--scope", "scopes", multiple=True, help="Scope pattern, e.g. 'vrh:*' (repeatable).")
    @click.option("--expires-days", type=click.IntRange(1, 3650), default=365, show_default=True)
    def create_token_command(role: str, name: str, types: str | None, scopes: tuple[str, ...],
                             expires_days: int) -> None:
        """Create a staff token and print it once (only its SHA-256 is stored)."""
        type_list = [item.strip() for item in types.split(",") if item.strip()] if types else None
        now = utcnow()
        with _database().transaction() as session:
            try:
                row, token = create_token(session, name=name, role=role, types=type_list, scopes=list(scopes) or None,
                                          expires_days=expires_days, now=now)
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
            session.add(AuditEntry(at=now, actor="admin-cli", action="create-token",
                                   details={"token": row.id, "name": name, "role": role}))
        click.echo(f"token {row.id} for {name} ({role}); it is shown only now:")
        click.echo(token)

    @app.cli.command("revoke-token")
    @click.argument("token_id", type=int)
    def revoke_token_command(token_id: int) -> None:
        """Revoke a staff token by its number."""
        now = utcnow()
        with _database().transaction() as session:
            row = session.scalars(select(Token).where(Token.id == token_id)).first()
            if row is None:
                raise click.ClickException(f"there is no token {token_id}")
            row.revoked_at = row.revoked_at or now
            session.add(AuditEntry(at=now, actor="admin-cli", action="revoke-token",
                                   details={"token": token_id, "name": row.name}))
        issuer = current_app.extensions.get("paspoort_issuer")
        if issuer is not None:
            issuer.tokens.clear()  # this process at once; every other within TOKEN_CACHE_SECONDS
        click.echo(f"token {token_id} revoked")

    @app.cli.command("purge-text")
    def purge_text_command() -> None:
        """Drop personal free text from stored copies older than PASPOORT_ISSUER_TEXT_RETENTION_DAYS."""
        issuer = current_app.extensions.get("paspoort_issuer")
        if issuer is None:
            raise click.ClickException("the signing key is missing; the service is not configured")
        click.echo(f"{issuer.purge_text(utcnow())} stored credential(s) reduced")
