"""A ``did:web`` resolver for ``passport.check(resolver=...)``: DID document over HTTPS -> key.

``did:web:example.org`` -> ``https://example.org/.well-known/did.json``;
``did:web:example.org:staff:anna`` -> ``https://example.org/staff/anna/did.json``; a port is
written ``%3A`` (``did:web:127.0.0.1%3A8443``). Only DIDs the trust registry (or the offline
bundle) lists are fetched, through the bounded ``Fetcher`` and within the request's ``FetchBudget``. The verification method must be a
``Multikey`` (Ed25519) controlled by the DID and referenced from ``assertionMethod`` or
``authentication``. ``did:key`` never reaches this resolver (the library resolves it locally).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping
from urllib.parse import unquote

from passport.errors import DIDInvalid, DIDUnsupported, KeyInvalid, PassportError
from passport.encoding.multibase import ED25519_PUB, decode_multikey

from passport.verification.fetch import FetchBudget, Fetcher


def did_web_url(did: str, *, http_hosts: Iterable[str] = ()) -> tuple[str, str]:
    """``(url, host)`` of the DID document for a ``did:web`` DID."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise DIDUnsupported(f"{did!r} is not a did:web DID")
    parts = did[len("did:web:"):].split(":")
    if not parts[0] or any(not part or "/" in part for part in parts):
        raise DIDInvalid(f"{did} is not a valid did:web DID")
    authority = unquote(parts[0])
    host = authority.rsplit(":", 1)[0].lower() if authority.count(":") == 1 else authority.lower()
    path = "/".join(unquote(part) for part in parts[1:]) + "/did.json" if len(parts) > 1 else ".well-known/did.json"
    scheme = "http" if host in {h.lower() for h in http_hosts} else "https"
    return f"{scheme}://{authority}/{path}", host


class DidWebResolver:
    """``resolve(verification_method_id) -> 32-byte Ed25519 public key`` for did:web."""

    def __init__(self, fetcher: Fetcher, *, allowed_dids: Iterable[str],
                 documents: Mapping[str, Any] | None = None, budget: FetchBudget | None = None) -> None:
        self.fetcher = fetcher
        self.allowed_dids = frozenset(allowed_dids)
        self.documents = documents or {}  # offline bundle: DID -> DID document
        self.budget = budget  # the request's; None only outside a request (tests, tools)

    def for_request(self, budget: FetchBudget) -> "DidWebResolver":
        """The same resolver, spending ``budget`` (one per request)."""
        return DidWebResolver(self.fetcher, allowed_dids=self.allowed_dids, documents=self.documents, budget=budget)

    def __call__(self, verification_method: str) -> bytes:
        did, _, fragment = verification_method.partition("#")
        if not did.startswith("did:web:"):
            raise DIDUnsupported(f"{did.split('#')[0][:60]}: only did:key and did:web are supported")
        document = self.documents.get(did)
        if document is None:
            if did not in self.allowed_dids:
                raise DIDUnsupported(f"{did} is not an issuer in the trust registry; its DID document is not fetched")
            url, host = did_web_url(did, http_hosts=self.fetcher.test_hosts)
            try:
                document = self.fetcher.get_json(url, allowed_hosts={host}, budget=self.budget)
            except PassportError as exc:
                raise DIDInvalid(f"{did} could not be resolved: {exc.message}", did=did) from None
        return key_from_document(document, did, verification_method if fragment else None)


def key_from_document(document: Any, did: str, method_id: str | None) -> bytes:
    if not isinstance(document, dict) or document.get("id") != did:
        raise DIDInvalid(f"the DID document for {did} does not have id {did}", did=did)
    methods = document.get("verificationMethod")
    if not isinstance(methods, list):
        raise DIDInvalid(f"the DID document for {did} lists no verification methods", did=did)
    referenced = set()
    for relation in ("assertionMethod", "authentication"):
        for ref in document.get(relation) or []:
            if isinstance(ref, str):
                referenced.add(did + ref if ref.startswith("#") else ref)
            elif isinstance(ref, dict) and isinstance(ref.get("id"), str):
                referenced.add(did + ref["id"] if ref["id"].startswith("#") else ref["id"])
    for method in methods:
        if not isinstance(method, dict) or not isinstance(method.get("id"), str):
            continue
        full = did + method["id"] if method["id"].startswith("#") else method["id"]
        if method_id is not None and full != method_id:
            continue
        if method.get("type") != "Multikey" or method.get("controller") != did:
            raise DIDInvalid(f"{full} is not a Multikey controlled by {did}", did=did)
        if full not in referenced:
            raise DIDInvalid(f"{full} is not an assertion or authentication method of {did}", did=did)
        try:
            return decode_multikey(method.get("publicKeyMultibase", ""), ED25519_PUB, full)
        except KeyInvalid as exc:
            raise DIDInvalid(f"{full}: {exc.message}", did=did) from None
    raise DIDInvalid(f"the DID document for {did} has no verification method {method_id}", did=did)
