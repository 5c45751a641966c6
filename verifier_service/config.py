"""Configuration from the environment: every setting, its default, and the refusal to start.

A verifier without trust configuration would report every issuer as unknown, or worse, be
mistaken for one that checks trust: ``load_settings`` raises ``ConfigError`` (with the names of
the missing variables) unless at least one signed trust registry and its signers are given.
"""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

PREFIX = "PASPOORT_VERIFIER_"

# name -> (default, parser, description); the table in the README is generated from this.
SETTINGS: dict[str, tuple[Any, str, str]] = {
    "DATABASE_URL": (None, "str", "SQLAlchemy URL; default SQLite (WAL) in the instance folder"),
    "DATABASE_SCHEMA": (None, "str", "PostgreSQL schema for the tables (default: the search path)"),
    "TRUST_REGISTRIES": ([], "paths", "signed trust registry files (required), separated by ':' or ','"),
    "TRUST_SIGNERS": ([], "list", "DIDs allowed to sign those registries (required), comma-separated"),
    "DOMAIN": (None, "str", "the domain presentations are bound to (required, or taken from PUBLIC_URL)"),
    "PUBLIC_URL": (None, "str", "base URL wallets answer to (required without DOMAIN; default https://DOMAIN)"),
    "CHALLENGE_TTL": (600, "seconds", "how long a challenge can be answered"),
    "PRESENTATION_MAX_AGE": (900, "seconds", "oldest presentation proof accepted"),
    "FETCH_TIMEOUT": (5.0, "float", "seconds for one status list or did:web fetch, all in"),
    "FETCH_MAX_BYTES": (262_144, "int", "largest status list or DID document fetched"),
    "ALLOW_HTTP_HOSTS": ([], "list", "test hosts that may be fetched over http and on private addresses"),
    "CACHE_TTL": (300, "seconds", "cache time without Cache-Control, and the longest cache time"),
    "OFFLINE_BUNDLE": (None, "str", "JSON bundle of status lists and DID documents (offline use)"),
    "MAX_REQUEST_BYTES": (2 * 1024 * 1024, "int", "largest request body (413 beyond)"),
    "JOB_PROFILES_DIR": (None, "str", "folder of job profiles offered by id (default examples/jobs)"),
}

# The page's stored data (issue #11 items 2 and 4): how long answers and uploads are kept.
SETTINGS.update({
    "ANSWER_TTL": (300, "seconds", "how long a wallet's answer waits for the page that asked (deleted once read)"),
    "JOB_UPLOAD_TTL": (86_400, "seconds", "how long a job profile uploaded on the page is kept for its session"),
})

# Outbound fetches per request (issue #11 item 1): however many credentials a document carries.
SETTINGS.update({
    "MAX_FETCHES_PER_REQUEST": (16, "int", "most status lists and DID documents one request may fetch"),
    "FETCH_BUDGET": (5.0, "float", "seconds one request may spend fetching, all fetches together"),
    "FETCH_FAILURE_TTL": (30.0, "float", "seconds a URL that failed is not fetched again"),
})


# JSON-LD contexts beyond the shipped ones (issue #13): never fetched, given as files.
SETTINGS.update({
    "JSONLD_CONTEXTS": ({}, "contexts", "extra JSON-LD contexts for eddsa-rdfc-2022 proofs, as URL=file pairs "
                                       "separated by ',' (e.g. the W3C examples context); none is ever fetched"),
})


# OpenID4VP (issue 15): the key that signs request objects, and how wallets answer.
SETTINGS.update({
    "KEY_FILE": (None, "str", "the verifier's Ed25519 Multikey file (signs OpenID4VP requests; its did:key is the "
                              "client_id); without it a new key per process, which no registry can name"),
    "RESPONSE_MODE": ("direct_post.jwt", "str", "how wallets answer: direct_post.jwt (encrypted) or direct_post"),
})


class ConfigError(RuntimeError):
    """The service cannot start with this configuration; the message says what to set."""


def _parse(kind: str, raw: str, name: str) -> Any:
    try:
        if kind == "str":
            return raw.strip() or None
        if kind == "paths":
            return [p for p in re.split(r"[,:]", raw) if p.strip()]
        if kind == "list":
            return [p for p in re.split(r"[,\s]+", raw) if p]
        if kind == "seconds":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "int":
            return int(raw)
        if kind == "contexts":
            from passport.errors import PassportError
            from passport.jsonld import parse_context_pairs
            try:
                return parse_context_pairs(raw)
            except PassportError as exc:
                raise ConfigError(f"{PREFIX}{name}: {exc.message}") from None
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={raw!r} is not a valid {kind} value") from None
    raise AssertionError(kind)


def load_settings(env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``PASPOORT_VERIFIER_*`` variables, then ``overrides`` (test config)."""
    env = os.environ if env is None else env
    settings: dict[str, Any] = {}
    for name, (default, kind, _) in SETTINGS.items():
        raw = env.get(PREFIX + name)
        settings[name] = _parse(kind, raw, name) if raw is not None else default
    settings.update({k: v for k, v in (overrides or {}).items()})
    check_trust_settings(settings)
    if settings["RESPONSE_MODE"] not in ("direct_post.jwt", "direct_post"):
        raise ConfigError(f"{PREFIX}RESPONSE_MODE must be direct_post.jwt or direct_post, not {settings['RESPONSE_MODE']!r}")
    settings.update(public_settings(settings.get("DOMAIN"), settings.get("PUBLIC_URL")))
    return settings


def public_settings(domain: str | None, public_url: str | None) -> dict[str, str]:
    """``DOMAIN`` and ``PUBLIC_URL``, one derived from the other; never the request's Host header
    (anyone can send ``Host: evil.example``). ``PUBLIC_URL`` must be a URL a wallet will send to
    (https, or http on this machine), and its host must be ``DOMAIN``."""
    from passport.errors import RequestInvalid
    from passport.roles.oid4vp import HOSTNAME, LOCAL_HOSTS, check_endpoint_url

    if not domain and not public_url:
        raise ConfigError(f"the verifier refuses to start without {PREFIX}DOMAIN (the domain presentations are "
                          f"bound to, e.g. werkgever.example) or {PREFIX}PUBLIC_URL (e.g. https://werkgever.example)")
    if public_url:
        parts = urlsplit(public_url)
        if parts.query or parts.fragment or not parts.hostname:
            raise ConfigError(f"{PREFIX}PUBLIC_URL={public_url!r} must be a base URL such as https://werkgever.example "
                              "(no query or fragment)")
        domain = domain or parts.hostname
    if not HOSTNAME.match(domain) and domain not in LOCAL_HOSTS:
        raise ConfigError(f"{PREFIX}DOMAIN={domain!r} is not a host name (no scheme, port or path)")
    public_url = (public_url or f"https://{domain}").rstrip("/")
    try:
        check_endpoint_url(public_url + "/oid4vp/response", "the response URI")
    except RequestInvalid as exc:
        raise ConfigError(f"{PREFIX}PUBLIC_URL={public_url!r} cannot receive answers: {exc.message}") from None
    if (urlsplit(public_url).hostname or "").lower() != domain.lower():
        raise ConfigError(f"{PREFIX}DOMAIN={domain!r} and {PREFIX}PUBLIC_URL={public_url!r} do not fit together: "
                          "the public URL's host must be the domain")
    return {"DOMAIN": domain, "PUBLIC_URL": public_url}


def check_trust_settings(settings: Mapping[str, Any]) -> None:
    missing = [PREFIX + name for name in ("TRUST_REGISTRIES", "TRUST_SIGNERS") if not settings.get(name)]
    if missing:
        raise ConfigError(
            "the verifier refuses to start without trust configuration: set "
            + " and ".join(missing)
            + " (signed trust registry files, and the DIDs allowed to sign them)"
        )
    for path in settings["TRUST_REGISTRIES"]:
        if not Path(path).is_file():
            raise ConfigError(f"trust registry file {path} does not exist ({PREFIX}TRUST_REGISTRIES)")


def default_database_url(instance_path: str) -> str:
    os.makedirs(instance_path, mode=0o700, exist_ok=True)
    return "sqlite:///" + os.path.join(instance_path, "verifier.sqlite3")


def as_timedelta(seconds: int | float) -> timedelta:
    return timedelta(seconds=seconds)


def settings_table() -> str:
    """The configuration table (Markdown) for docs/guides/verifier-service.md (a test keeps them equal)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, (default, _, text) in SETTINGS.items():
        shown = "-" if default in (None, [], {}) else f"`{default}`"
        rows.append(f"| `{PREFIX}{name}` | {shown} | {text} |")
    return "\n".join(rows)
