"""Where status lists come from, and what a status bit means for a credential.

A ``StatusSource`` wraps what the caller supplies: a mapping from ``statusListCredential`` URL
to the status list credential, or a loader ``load(url) -> dict`` (the services inject bounded
HTTP fetches; the library itself never touches the network). Each list is verified once per
source (proof, issuer, shape, dates parsed); ``status_list.open_list`` decodes it once and its
``value`` reads an entry (purpose, index, statusSize); ``status_message`` names the value: "valid",
"suspended" or "revoked" (a one-bit entry: its purpose), anything else is unknown. A source never fetches a list again: make one per
verification, or per cache period of the lists (the verifier service makes one per
request and caches the fetched bytes by their HTTP cache headers). ``check(..., allowed=)``
asks nothing of the source for a URL the trust registry does not place with the issuer.

Anything that prevents a definite answer (no list supplied, loader failure, forged or expired
list, list from another issuer) raises ``StatusUnknown`` or ``StatusListInvalid``: the
verification layer reports those as "unknown", never as valid. A loader's own exception text
(e.g. "Connection refused") is logged, never put in the message: reports go back to whoever
sent the document.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Mapping, NamedTuple

from ..crypto.did import Resolver
from ..format.documents import issuer_id
from ..errors import PassportError, Revoked, StatusListInvalid, StatusUnknown, Suspended
from ..proofs.proof import signer_of, verify_proof
from ..format.status_list import ListView, open_list, status_entries, status_message
from ..encoding.timeutil import parse_datetime

Loader = Callable[[str], Any]
log = logging.getLogger(__name__)
_PAST = {"revocation": "revoked", "suspension": "suspended"}
_ERRORS = {"revoked": Revoked, "suspended": Suspended}


class StatusSource:
    """Status list credentials by URL, verified and decoded at most once each."""

    def __init__(self, lists: Mapping[str, Any] | Loader | None = None, *, resolver: Resolver | None = None) -> None:
        self._lists = lists
        self._resolver = resolver  # for status lists signed by did:web (or other non-did:key) issuers
        self._verified: dict[str, _Verified] = {}

    def check(self, credential: Mapping[str, Any], *, now: datetime,
              allowed: Callable[[str], bool] | None = None) -> str:
        """Raise ``Revoked``/``Suspended``/``StatusUnknown``/``StatusListInvalid``, or say why it is fine.

        ``allowed(url)`` (from the trust decision) is asked before each list: a URL it refuses is
        ``StatusUnknown`` and the source is never asked for it."""
        issuer = issuer_id(credential)
        entries = status_entries(credential)
        if allowed is not None:
            for entry in entries:
                url = entry["statusListCredential"]
                if not allowed(url):
                    raise StatusUnknown(f"the status list {url} is not at a location the trust registry lists "
                                        "for this issuer; it is not fetched", statusListCredential=url)
        outcomes = []
        for entry in entries:
            url = entry["statusListCredential"]
            view = self._verified_list(url, issuer, now)
            message = status_message(entry, view.value(entry))
            where = {"statusListCredential": url, "index": int(entry["statusListIndex"])}
            if message in _ERRORS:
                raise _ERRORS[message](f"the issuer has {message} this credential", **where)
            if message != "valid":  # another issuer's message: no definite answer, never valid
                raise StatusUnknown(f"the status list says {message!r}, which is neither valid, suspended nor "
                                    "revoked", **where)
            purpose = entry["statusPurpose"]
            outcomes.append("not " + _PAST[purpose] if purpose in _PAST else "not revoked and not suspended")
        return " and ".join(outcomes)

    def _verified_list(self, url: str, issuer: str, now: datetime) -> ListView:
        verified = self._verified.get(url)
        if verified is None:
            document = self._fetch(url)
            try:
                proof = verify_proof(document, expected_purpose="assertionMethod", resolver=self._resolver)
            except PassportError as exc:
                raise StatusListInvalid(f"the status list at {url} failed verification: {exc.message}",
                                        cause=exc.code) from exc
            if signer_of(proof) != issuer_id(document):
                raise StatusListInvalid(f"the status list at {url} is not signed by its own issuer")
            verified = self._verified[url] = _Verified(issuer_id(document), _window(document, url),
                                                       open_list(document, url))
        if verified.issuer != issuer:
            raise StatusListInvalid(f"the status list at {url} is issued by {verified.issuer}, the credential by {issuer}")
        _check_current(verified.window, url, now)
        return verified.view

    def _fetch(self, url: str) -> dict[str, Any]:
        if self._lists is None:
            raise StatusUnknown(f"no status list was supplied for {url}", statusListCredential=url)
        try:
            document = self._lists(url) if callable(self._lists) else self._lists.get(url)
        except PassportError as exc:  # the fetcher's messages say what happened without network details
            raise StatusUnknown(f"the status list at {url} could not be loaded: {exc.message}",
                                statusListCredential=url) from exc
        except Exception as exc:  # any failing loader (HTTP client, file, bug) means "unknown", never valid
            log.warning("status list %s: the loader failed: %s: %s", url, type(exc).__name__, exc)
            raise StatusUnknown(f"the status list at {url} could not be fetched",
                                statusListCredential=url) from exc
        if document is None:
            raise StatusUnknown(f"no status list was supplied for {url}", statusListCredential=url)
        if not isinstance(document, dict):
            raise StatusListInvalid(f"the status list at {url} is not a JSON object")
        return document


class _Verified(NamedTuple):
    issuer: str
    window: tuple[tuple[datetime | None, Any], ...]  # (parsed, as written) for each date
    view: ListView


def _window(document: Mapping[str, Any], url: str) -> tuple:
    """validFrom, validUntil and the proof's expires, parsed once per list."""
    try:
        dates = (document.get("validFrom"), document.get("validUntil"), document["proof"].get("expires"))
        return tuple((None if text is None else parse_datetime(text), text) for text in dates)
    except ValueError as exc:
        raise StatusListInvalid(f"the status list at {url} has a bad date: {exc}") from exc


def _check_current(window: tuple, url: str, now: datetime) -> None:
    (valid_from, _), (valid_until, valid_until_text), (expires, expires_text) = window
    if valid_from is not None and valid_from > now:
        raise StatusUnknown(f"the status list at {url} is not valid yet", statusListCredential=url)
    if valid_until is not None and valid_until <= now:
        raise StatusUnknown(f"the status list at {url} expired at {valid_until_text}; it is stale",
                            statusListCredential=url)
    if expires is not None and expires <= now:
        raise StatusUnknown(f"the proof of the status list at {url} expired at {expires_text}",
                            statusListCredential=url)
