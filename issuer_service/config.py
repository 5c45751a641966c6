"""Configuration from environment variables (``PASPOORT_ISSUER_*``), checked at start-up.

| variable | default | meaning |
|---|---|---|
| PASPOORT_ISSUER_DATABASE_URL | sqlite in the instance folder (WAL) | SQLAlchemy URL; ``postgresql+psycopg://...`` for several instances |
| PASPOORT_ISSUER_KEY_FILE | (required) | the active Ed25519 Multikey file (mode 0600); retired keys sit in ``<file>.retired/`` |
| PASPOORT_ISSUER_NAME | (none) | the organisation's name, put in ``issuer.name`` (never taken from a request) |
| PASPOORT_ISSUER_URL | (none) | the organisation's web site (``https:``), put in ``issuer.url`` |
| PASPOORT_ISSUER_DID | did:key of the active key | e.g. ``did:web:roc.example``: keys rotate behind one DID |
| PASPOORT_ISSUER_BASE_URL | (required to serve) | public base URL (``https://``; ``http://`` only for 127.0.0.1, localhost, ::1); status lists live at ``<base>/status-lists/<id>`` |
| PASPOORT_ISSUER_MAX_CONTENT_LENGTH | 1048576 | largest request body in bytes (413 beyond) |
| PASPOORT_ISSUER_MAX_BATCH | 500 | most credentials in one batch request |
| PASPOORT_ISSUER_STATUS_LIST_SIZE | 131072 | bits per encoded status list (at least 131072) |
| PASPOORT_ISSUER_STATUS_LIST_CAPACITY | = size | indexes handed out per list before a new list starts |
| PASPOORT_ISSUER_STATUS_MAX_AGE | 300 | ``Cache-Control: max-age`` of status lists, seconds |
| PASPOORT_ISSUER_TOKEN_CACHE_SECONDS | 5 | a valid staff token is remembered this long per process (0 to 60): a token revoked elsewhere is refused within it |
| PASPOORT_ISSUER_CRYPTOSUITE | eddsa-jcs-2022 | the Data Integrity cryptosuite of new credentials: eddsa-jcs-2022 or eddsa-rdfc-2022 (a request may choose with ``options.cryptosuite``) |
| PASPOORT_ISSUER_TEXT_RETENTION_DAYS | 0 (keep) | after this many days ``purge-text`` drops personal free text from stored copies |
| PASPOORT_ISSUER_DESK_IDLE_MINUTES | 30 | the desk signs staff out after this many minutes without use |
| PASPOORT_ISSUER_DESK_SESSION_HOURS | 8 | the longest a desk session lasts |
| PASPOORT_ISSUER_DESK_EVIDENCE_DIR | (none: not kept) | where the desk keeps evidence files (named by SHA-256, mode 0600) |
| PASPOORT_ISSUER_DESK_PROCEDURES | (built-in list) | a JSON file with the procedures examiners choose from at the desk |
| PASPOORT_ISSUER_JSONLD_CONTEXTS | (none) | extra JSON-LD contexts as ``URL=file`` pairs separated by ``,`` (e.g. the W3C examples context); read at start-up, never fetched, never replacing a shipped one |
"""
from __future__ import annotations

import os
from typing import Any, Mapping
from urllib.parse import urlsplit

from passport.errors import PassportError
from passport.format.status_list import MIN_LIST_SIZE
from passport.jsonld import load_context_files, parse_context_pairs
from passport.proofs.cryptosuites import JCS, SUITES

PREFIX = "PASPOORT_ISSUER_"
_INTS = {"MAX_CONTENT_LENGTH": 1024 * 1024, "MAX_BATCH": 500, "STATUS_LIST_SIZE": MIN_LIST_SIZE,
         "STATUS_LIST_CAPACITY": 0, "STATUS_MAX_AGE": 300, "TEXT_RETENTION_DAYS": 0, "TOKEN_CACHE_SECONDS": 5,
         "DESK_IDLE_MINUTES": 30, "DESK_SESSION_HOURS": 8}
_TEXTS = {"DATABASE_URL": None, "KEY_FILE": None, "NAME": None, "URL": None, "DID": None, "BASE_URL": None,
          "CRYPTOSUITE": JCS, "DESK_EVIDENCE_DIR": None, "DESK_PROCEDURES": None}
_OTHERS = ("JSONLD_CONTEXTS",)  # parsed on their own: extra JSON-LD context files (URL=file pairs)
MAX_TOKEN_CACHE_SECONDS = 60
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ConfigError(RuntimeError):
    """The service cannot start: the message says what to set or run."""


def load(instance_path: str, test_config: Mapping[str, Any] | None, environ: Mapping[str, str] = os.environ) -> dict:
    """The settings: defaults, then environment variables, then ``test_config``."""
    config: dict[str, Any] = {}
    for name, default in {**_TEXTS, **_INTS}.items():
        raw = environ.get(PREFIX + name)
        if raw is None or raw == "":
            config[name] = default
        elif name in _INTS:
            try:
                config[name] = int(raw)
            except ValueError:
                raise ConfigError(f"{PREFIX}{name} must be a whole number, got {raw!r}") from None
        else:
            config[name] = raw
    config["JSONLD_CONTEXTS"] = _contexts(environ.get(PREFIX + "JSONLD_CONTEXTS"))
    config.update(test_config or {})
    config["DOCUMENT_LOADER"] = _loader(config["JSONLD_CONTEXTS"])
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = "sqlite:///" + os.path.join(instance_path, "issuer.sqlite3")
    if config["STATUS_LIST_SIZE"] < MIN_LIST_SIZE or config["STATUS_LIST_SIZE"] % 8:
        raise ConfigError(f"{PREFIX}STATUS_LIST_SIZE must be a multiple of 8 and at least {MIN_LIST_SIZE}")
    if not config["STATUS_LIST_CAPACITY"]:
        config["STATUS_LIST_CAPACITY"] = config["STATUS_LIST_SIZE"]
    if not 0 < config["STATUS_LIST_CAPACITY"] <= config["STATUS_LIST_SIZE"]:
        raise ConfigError(f"{PREFIX}STATUS_LIST_CAPACITY must be between 1 and the list size")
    if not 0 <= config["TOKEN_CACHE_SECONDS"] <= MAX_TOKEN_CACHE_SECONDS:
        raise ConfigError(f"{PREFIX}TOKEN_CACHE_SECONDS must be between 0 and {MAX_TOKEN_CACHE_SECONDS}: "
                          "a revoked token is refused within it")
    if config["DID"] and not str(config["DID"]).startswith(("did:web:", "did:key:")):
        raise ConfigError(f"{PREFIX}DID must be a did:web (or did:key) DID, got {config['DID']!r}")
    if not 0 < config["DESK_IDLE_MINUTES"] <= 24 * 60 or not 0 < config["DESK_SESSION_HOURS"] <= 24:
        raise ConfigError(f"{PREFIX}DESK_IDLE_MINUTES must be 1 to 1440 and {PREFIX}DESK_SESSION_HOURS 1 to 24")
    if config["CRYPTOSUITE"] not in SUITES:
        raise ConfigError(f"{PREFIX}CRYPTOSUITE must be one of {', '.join(sorted(SUITES))}, "
                          f"got {config['CRYPTOSUITE']!r}")
    if config["BASE_URL"]:
        config["BASE_URL"] = check_base_url(config["BASE_URL"])
    if config["URL"]:
        config["URL"] = _check_https(config["URL"], "URL")
    if config["NAME"] is not None and (not isinstance(config["NAME"], str) or not config["NAME"].strip()):
        raise ConfigError(f"{PREFIX}NAME must be the organisation's name, got {config['NAME']!r}")
    return config


def _contexts(raw: str | None) -> dict[str, str]:
    try:
        return parse_context_pairs(raw or "")
    except PassportError as exc:
        raise ConfigError(f"{PREFIX}JSONLD_CONTEXTS: {exc.message}") from None


def _loader(files: Mapping[str, str]):
    """The JSON-LD document loader: the shipped contexts and the configured files (None: shipped only)."""
    try:
        return load_context_files(files or {})
    except PassportError as exc:
        raise ConfigError(f"{PREFIX}JSONLD_CONTEXTS: {exc.message}") from None


def require_base_url(config: Mapping[str, Any]) -> str:
    """The public base URL, or ``ConfigError``: signed status entries point there, so there is no default."""
    if not config.get("BASE_URL"):
        raise ConfigError(f"{PREFIX}BASE_URL is not set: the issuer cannot serve without its public base URL "
                          "(e.g. https://roc.example); signed status entries point at <base>/status-lists/<n>")
    return config["BASE_URL"]


def check_base_url(value: Any) -> str:
    """An absolute ``https`` URL without query or fragment (``http`` only for a loopback host), no trailing /."""
    parts = _parts(value, "BASE_URL")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigError(f"{PREFIX}BASE_URL must be an https URL (http only for 127.0.0.1, localhost or ::1 in "
                          f"development), got {value!r}")
    if parts.scheme not in ("https", "http"):
        raise ConfigError(f"{PREFIX}BASE_URL must be an absolute https URL, got {value!r}")
    return value.rstrip("/")


def _check_https(value: Any, name: str) -> str:
    if _parts(value, name).scheme != "https":
        raise ConfigError(f"{PREFIX}{name} must be an absolute https URL, got {value!r}")
    return value


def _parts(value: Any, name: str):
    problem = f"{PREFIX}{name} must be an absolute https URL without user, query or fragment, got {value!r}"
    if not isinstance(value, str) or value != value.strip() or any(ord(char) < 33 for char in value):
        raise ConfigError(problem)
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise ConfigError(problem) from None
    if not parts.hostname or parts.username is not None or parts.query or parts.fragment or "\\" in value:
        raise ConfigError(problem)
    if not value.startswith(parts.scheme + "://"):  # lower-case scheme, then //host
        raise ConfigError(problem)
    return parts
