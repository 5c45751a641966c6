"""What the service adds around ``passport.check``: its trust store, status and key sources.

``Verifier`` is built once per app from the configuration: the signed trust registries are
verified at start-up (a broken one stops the service), the offline bundle is read, and one
``Fetcher`` (with its cache) is shared by all requests. ``check`` then narrows the fetches to
the hosts of issuers the registry lists, for this document only, and calls the library once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from passport import Report, StatusSource, TrustRegistry, TrustStore, check, jsonio
from passport.documents import issuer_id
from passport.errors import PassportError, StatusUnknown
from passport.timeutil import format_datetime, parse_datetime

from .config import ConfigError
from .did_web import DidWebResolver
from passport.fetch import Fetcher


@dataclass
class Bundle:
    """Offline status lists and DID documents, and when they were gathered."""

    path: str
    created: datetime | None
    status_lists: dict[str, Any]
    did_documents: dict[str, Any]
    created_text: str | None = field(init=False)  # formatted once: every answer names it

    def __post_init__(self) -> None:
        self.created_text = format_datetime(self.created) if self.created else None

    def age(self, now: datetime) -> dict[str, Any]:
        age = None if self.created is None else int((now - self.created).total_seconds())
        return {"path": self.path, "created": self.created_text, "ageSeconds": age}


def load_bundle(path: str | None) -> Bundle | None:
    if not path:
        return None
    try:
        document = jsonio.load_file(path, max_bytes=64 * 1024 * 1024)
        created = parse_datetime(document["created"]) if "created" in document else None
        lists, dids = document.get("statusLists", {}), document.get("didDocuments", {})
        if not isinstance(lists, dict) or not isinstance(dids, dict):
            raise ValueError("statusLists and didDocuments must be objects keyed by URL and DID")
    except (OSError, PassportError, ValueError, KeyError, AttributeError) as exc:
        raise ConfigError(f"offline bundle {path} cannot be used: {getattr(exc, 'message', exc)}") from None
    return Bundle(path, created, lists, dids)


def load_trust(paths: Iterable[str], signers: Iterable[str], now: datetime) -> TrustStore:
    registries = []
    for path in paths:
        try:
            registries.append(TrustRegistry.from_credential(jsonio.load_file(path), trusted_signers=frozenset(signers),
                                                            now=now))
        except (OSError, PassportError) as exc:
            raise ConfigError(f"trust registry {path} is not usable: {getattr(exc, 'message', exc)}") from None
    return TrustStore(registries)


class Verifier:
    def __init__(self, *, trust: TrustStore, fetcher: Fetcher, bundle: Bundle | None,
                 clock: Callable[[], datetime]) -> None:
        self.trust, self.fetcher, self.bundle, self.clock = trust, fetcher, bundle, clock
        self.registered = frozenset(did for registry in trust.registries for did in registry.entries)
        self.registry_names = tuple(registry.name for registry in trust.registries)
        self.resolver = DidWebResolver(fetcher, allowed_dids=self.registered,
                                       documents=bundle.did_documents if bundle else None)

    def check(self, document: Any, *, challenge: str | None = None, domain: str | None = None,
              max_age: timedelta | None = None) -> Report:
        hosts = self.status_hosts(document)
        return check(document, now=self.clock(), trust=self.trust, status=StatusSource(self._loader(hosts)),
                     challenge=challenge, domain=domain, max_age=max_age, resolver=self.resolver)

    def _loader(self, hosts: frozenset[str]) -> Callable[[str], Any]:
        def load(url: str) -> Any:
            if self.bundle is not None and url in self.bundle.status_lists:
                return self.bundle.status_lists[url]
            if not hosts:
                raise StatusUnknown(f"{url} is not a status list of an issuer in the trust registry; not fetched")
            return self.fetcher.get_json(url, allowed_hosts=hosts)
        return load

    def status_hosts(self, document: Any) -> frozenset[str]:
        """Hosts of status list URLs in credentials whose issuer the trust registry lists."""
        hosts = set()
        for credential in _credentials(document):
            try:
                if issuer_id(credential) not in self.registered:
                    continue
            except PassportError:
                continue
            entries = credential.get("credentialStatus")
            for entry in entries if isinstance(entries, list) else [entries]:
                url = entry.get("statusListCredential") if isinstance(entry, dict) else None
                if isinstance(url, str):
                    try:
                        host = urlsplit(url).hostname
                    except ValueError:
                        host = None
                    if host:
                        hosts.add(host.lower())
        return frozenset(hosts)

    def sources(self) -> dict[str, Any]:
        """What the report rests on besides the document: the registries and the bundle's age."""
        out: dict[str, Any] = {"trustRegistries": list(self.registry_names)}
        if self.bundle is not None:
            out["offlineBundle"] = self.bundle.age(self.clock())
        return out


def _credentials(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    types = document.get("type")
    if isinstance(types, list) and "VerifiablePresentation" in types:
        inner = document.get("verifiableCredential")
        inner = inner if isinstance(inner, list) else [inner]
        return [c for c in inner if isinstance(c, dict)]
    return [document]
