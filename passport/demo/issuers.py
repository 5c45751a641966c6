"""The issuing organisations as real issuer services, and the employer's verifier service.

Each issuer gets its own folder under ``services/`` with its key file (from ``examples/keys.json``,
mode 0600, so its DID is the one the trust registry lists) and its SQLite database; the tables
come from the service's own admin commands ``init-db`` and ``create-token`` (``admin`` runs them
inside the demo process, which saves a Python start-up per command). Staff hand out each
endorsement as an OpenID4VCI offer (``POST /oid4vci/offers``, their bearer token); the wallet
does the rest at the issuer's OpenID4VCI endpoints. Status lists are served
with ``Cache-Control: max-age=0`` (``PASPOORT_ISSUER_STATUS_MAX_AGE=0``): the verifier
revalidates them (ETag) on every check, so a revocation shows at the next check instead of
after up to five minutes (the default max-age, and the verifier's ``CACHE_TTL``).
"""
from __future__ import annotations

import contextlib
import copy
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..crypto.keys import Ed25519Key
from ..format.status_list import status_entries
from ..roles.oid4vci import OFFERS_PATH
from . import http
from .output import Output, issuer_database, service_folder
from .servers import Server, ServerError, open_log
from .story import IssuerPart
from .world import EXAMPLES

STATUS_MAX_AGE = "0"


@dataclass
class LiveIssuer:
    part: IssuerPart
    key: Ed25519Key
    name: str
    url: str | None
    server: Server
    tokens: dict[str, str] = field(default_factory=dict)  # "issue" / "admin" -> bearer token

    @property
    def did(self) -> str:
        return self.key.did

    @property
    def base(self) -> str:
        return self.server.base

    def offer(self, credential: dict[str, Any], template: str | None = None) -> dict[str, Any]:
        """``POST /oid4vci/offers`` with the issuing staff member's token: an OpenID4VCI offer of
        ``credential`` (its subject's DID left out: the wallet's proven DID is filled in at issuance).
        The answer holds the offer link and the transaction code, shown once."""
        body = {"credential": without_subject_id(credential), "options": {"template": template} if template else {}}
        return http.post(self.base + OFFERS_PATH, body, token=self.tokens["issue"])

    def revoke(self, credential_id: str, reason: str) -> dict[str, Any]:
        """``POST /credentials/status`` with an admin token."""
        body = {"credentialId": credential_id, "action": "revoke", "reason": reason}
        return http.post(self.base + "/credentials/status", body, token=self.tokens["admin"])


def without_subject_id(credential: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(credential)
    body["credentialSubject"].pop("id", None)
    return body


def make_issuer(part: IssuerPart, key: Ed25519Key, profile: dict[str, Any], output: Output) -> LiveIssuer:
    """Write the key file and describe the server (not started yet)."""
    key_file = output.path(f"{service_folder(part.role)}/key.json")
    key.save(str(key_file))  # mode 0600; the output folder was cleaned, so it is new
    env = {"PASPOORT_ISSUER_KEY_FILE": str(key_file.resolve()),
           "PASPOORT_ISSUER_DATABASE_URL": "sqlite:///" + str(output.path(issuer_database(part.role)).resolve()),
           "PASPOORT_ISSUER_NAME": profile["name"], "PASPOORT_ISSUER_STATUS_MAX_AGE": STATUS_MAX_AGE}
    if profile.get("url"):
        env["PASPOORT_ISSUER_URL"] = profile["url"]
    server = Server(f"issuer {part.role}", "issuer_service:create_app()", env,
                    output.path(f"logs/issuer-{part.role}.log"), url_vars=("PASPOORT_ISSUER_BASE_URL",))
    return LiveIssuer(part, key, profile["name"], profile.get("url"), server)


def admin(issuer: LiveIssuer, args: list[str]) -> str:
    """Run one of the issuer's admin commands (``python -m issuer_service ARGS``) in this process,
    with this issuer's settings; its output goes to the issuer's log and is returned."""
    from flask.cli import ScriptInfo

    from issuer_service import create_app
    from issuer_service.logs import redact

    config = {"KEY_FILE": issuer.server.env["PASPOORT_ISSUER_KEY_FILE"], "DID": None,
              "DATABASE_URL": issuer.server.env["PASPOORT_ISSUER_DATABASE_URL"]}
    app = create_app(config, require_key=False)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            app.cli.main(args=args, prog_name="python -m issuer_service", standalone_mode=False,
                         obj=ScriptInfo(create_app=lambda: app))
    except click.ClickException as exc:
        raise ServerError(f"`python -m issuer_service {' '.join(args)}` for {issuer.name} failed: "
                          f"{exc.format_message()}") from None
    finally:
        app.extensions["paspoort_issuer_db"].dispose()  # let go of the SQLite file before the server opens it
    with open_log(issuer.server.log) as log:  # a token printed by create-token never reaches the log
        log.write(redact(f"$ python -m issuer_service {' '.join(args)}   (run inside the demo process)\n"
                         f"{printed.getvalue()}"))
    return printed.getvalue()


def set_up(issuer: LiveIssuer) -> None:
    """``init-db`` (alembic upgrade head), then the staff tokens with ``create-token``."""
    admin(issuer, ["init-db"])
    wanted = [("issue", issuer.part.issue_token)]
    if issuer.part.admin_token is not None:
        wanted.append(("admin", issuer.part.admin_token))
    for purpose, token in wanted:
        args = ["create-token", "--role", token.role, "--name", token.name, "--expires-days", "1"]
        for scope in token.scopes:
            args += ["--scope", scope]
        issuer.tokens[purpose] = _token_from(admin(issuer, args))


def _token_from(output: str) -> str:
    found = [line.strip() for line in output.splitlines() if line.strip().startswith("psi_")]
    if not found:
        raise ServerError(f"create-token printed no token: {output.strip()[-300:]}")
    return found[-1]


def verifier_server(output: Output, registry_path: Path, registry_signer: str) -> Server:
    """The employer's verifier: trusts the signed registry, may fetch http status lists from 127.0.0.1."""
    env = {"PASPOORT_VERIFIER_TRUST_REGISTRIES": str(registry_path.resolve()),
           "PASPOORT_VERIFIER_TRUST_SIGNERS": registry_signer,
           "PASPOORT_VERIFIER_DOMAIN": "127.0.0.1",
           "PASPOORT_VERIFIER_ALLOW_HTTP_HOSTS": "127.0.0.1",
           "PASPOORT_VERIFIER_JOB_PROFILES_DIR": str(EXAMPLES / "jobs"),
           "PASPOORT_VERIFIER_DATABASE_URL": "sqlite:///" + str(
               output.path("services/verifier/verifier.sqlite3").resolve())}
    return Server("verifier", "verifier_service:create_app()", env, output.path("logs/verifier.log"),
                  url_vars=("PASPOORT_VERIFIER_PUBLIC_URL",))


def status_list_urls(credentials: list[dict[str, Any]]) -> list[str]:
    urls: list[str] = []
    for credential in credentials:
        for entry in status_entries(credential):
            if entry["statusListCredential"] not in urls:
                urls.append(entry["statusListCredential"])
    return urls


def fetch_status_lists(credentials: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every status list the credentials point at, as the issuers serve it now."""
    return {url: http.get(url) for url in status_list_urls(credentials)}
