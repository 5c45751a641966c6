"""What the service adds around ``passport.check``: its trust store, status and key sources.

``Verifier`` is built once per app from the configuration: the signed trust registries are
verified at start-up (a broken one stops the service), the offline bundle is read, and one
``Fetcher`` (with its cache) is shared by all requests. ``check`` calls the library once, with
a ``FetchBudget`` for this request, over the status lists this process verified already
(``VerifiedLists``: a list is verified again only when new bytes for it came, never per request;
an expired one is fetched again past the HTTP cache): the library asks for a status list only after the proof
verified, for an issuer the registry trusts, at a location its entry lists (``statusLists``); the
loader then fetches only from the hosts of those locations, within the budget.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

from flask import g, has_request_context

from passport import Report, StatusSource, TrustStore, check, load_registry
from passport.format.trust import MAX_REGISTRY_BYTES
from passport.verification.status_check import VerifiedLists
from passport.encoding import jsonio
from passport.errors import PassportError, StatusUnknown
from passport.verification.fetch import BUDGET_SECONDS, MAX_FETCHES, FetchBudget, Fetcher
from passport.encoding.timeutil import format_datetime, parse_datetime

from .config import ConfigError
from .did_web import DidWebResolver


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


def load_contexts(files: Mapping[str, str]) -> Any:
    """A JSON-LD document loader with the shipped contexts and the operator's extra ones (URL -> file)."""
    from passport.jsonld import load_context_files

    try:
        return load_context_files(files)
    except PassportError as exc:
        raise ConfigError(f"PASPOORT_VERIFIER_JSONLD_CONTEXTS: {exc.message}") from None


def load_trust(paths: Iterable[str], signers: Iterable[str], now: datetime) -> TrustStore:
    registries = []
    for path in paths:
        try:
            with open(path, "rb") as file:
                registries.append(load_registry(file.read(MAX_REGISTRY_BYTES + 1), trusted_signers=frozenset(signers),
                                                now=now))
        except (OSError, PassportError) as exc:
            raise ConfigError(f"trust registry {path} is not usable: {getattr(exc, 'message', exc)}") from None
    return TrustStore(registries)


class Verifier:
    def __init__(self, *, trust: TrustStore, fetcher: Fetcher, bundle: Bundle | None,
                 clock: Callable[[], datetime], max_fetches: int = MAX_FETCHES,
                 fetch_seconds: float = BUDGET_SECONDS, document_loader: Any = None) -> None:
        self.trust, self.fetcher, self.bundle, self.clock = trust, fetcher, bundle, clock
        self.document_loader = document_loader  # None: the shipped JSON-LD contexts only
        if max_fetches < 0 or not fetch_seconds > 0:
            raise ConfigError(f"the fetch budget needs MAX_FETCHES_PER_REQUEST >= 0 and FETCH_BUDGET > 0 seconds, "
                              f"got {max_fetches} and {fetch_seconds}")
        self.max_fetches, self.fetch_seconds = max_fetches, fetch_seconds
        entries = [entry for registry in trust.registries for entry in registry.entries.values()]
        self.registered = frozenset(entry.id for entry in entries)
        self.status_hosts = frozenset(_host(location) for entry in entries for location in entry.status_lists)
        self.registry_names = tuple(registry.name for registry in trust.registries)
        self.verified_lists = VerifiedLists()
        self.resolver = DidWebResolver(fetcher, allowed_dids=self.registered,
                                       documents=bundle.did_documents if bundle else None)

    def check(self, document: Any, *, challenge: str | None = None, domain: str | None = None,
              max_age: timedelta | None = None, policy: str = "paspoort") -> Report:
        """``policy``: ``"paspoort"`` for the page and wallet flows, ``"vcdm"`` for the W3C VC API endpoints."""
        budget = FetchBudget(max_fetches=self.max_fetches, seconds=self.fetch_seconds)
        status = StatusSource(self._loader(budget), verified=self.verified_lists,
                              reload=self._loader(budget, revalidate=True))
        return check(document, now=self.clock(), trust=self.trust, status=status,
                     challenge=challenge, domain=domain, max_age=max_age,
                     resolver=self.resolver.for_request(budget), policy=policy,
                     document_loader=self.document_loader)

    def _loader(self, budget: FetchBudget, *, revalidate: bool = False) -> Callable[[str], Any]:
        """Status lists for the library: from the offline bundle, else fetched within ``budget``
        (``revalidate``: asking the server even when the cached copy is fresh).
        The library asks only for URLs at a registered location; the hosts are narrowed again here."""
        def load(url: str) -> Any:
            if self.bundle is not None and url in self.bundle.status_lists:
                if has_request_context():  # the answer says the bundle's age only when a list came from it
                    g.paspoort_bundle_used = True
                return self.bundle.status_lists[url]
            if not self.status_hosts:
                raise StatusUnknown(f"{url} is not a status list of an issuer in the trust registry; not fetched")
            return self.fetcher.get_json(url, allowed_hosts=self.status_hosts, budget=budget, revalidate=revalidate)
        return load

    def sources(self) -> dict[str, Any]:
        """What the report rests on besides the document: the registries, and the bundle's age with
        ``used``: whether a status list of this request came from it."""
        out: dict[str, Any] = {"trustRegistries": list(self.registry_names)}
        if self.bundle is not None:
            used = has_request_context() and bool(g.get("paspoort_bundle_used"))
            out["offlineBundle"] = {**self.bundle.age(self.clock()), "used": used}
        return out


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
