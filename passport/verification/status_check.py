"""Where status lists come from, and what a status bit means for a credential.

A ``StatusSource`` wraps what the caller supplies: a mapping from ``statusListCredential`` URL
to the status list credential, or a loader ``load(url) -> dict`` (the services inject bounded
HTTP fetches; the library itself never touches the network). Each list is verified once per
source (proof, issuer, shape, dates parsed); ``status_list.open_list`` decodes it once and its
``value`` reads an entry (purpose, index, statusSize); ``status_message`` names the value: "valid",
"suspended" or "revoked" (a one-bit entry: its purpose), anything else is unknown. A source never fetches a list again: make one per
verification, or per cache period of the lists. ``check(..., allowed=)`` asks nothing of the
source for a URL the trust registry does not place with the issuer.

Across sources, ``VerifiedLists`` keeps verified lists for a process (the verifier service makes
one ``StatusSource`` per request over one ``VerifiedLists``): a list is verified again only when
the loader hands over another document for its URL (its HTTP cache time is over and new bytes
came), never per request; a list whose proof fails is not kept. A list that has expired
(``validUntil`` or the proof's ``expires``) is loaded once more through ``reload`` when the source
has one (the services' bypasses their HTTP cache), and verified again.

Anything that prevents a definite answer (no list supplied, loader failure, forged or expired
list, list from another issuer) raises ``StatusUnknown`` or ``StatusListInvalid``: the
verification layer reports those as "unknown", never as valid. A loader's own exception text
(e.g. "Connection refused") is logged, never put in the message: reports go back to whoever
sent the document.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
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
_UTC = timezone.utc


class VerifiedLists:
    """Verified status lists of a process, each with the document it was verified from.

    ``lookup`` hands one back only for that very document (``is``): a loader that serves its
    cached copy gets the verification again for free; new bytes are a new document, verified
    again. Bounded by ``max_entries`` (the entries that expire first go); safe across threads."""

    def __init__(self, *, max_entries: int = 1024) -> None:
        if max_entries < 1:
            raise ValueError("VerifiedLists needs max_entries >= 1")
        self.max_entries = max_entries
        self._entries: dict[str, tuple[Any, _Verified]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, url: str, document: Any) -> "_Verified | None":
        entry = self._entries.get(url)
        return entry[1] if entry is not None and entry[0] is document else None

    def keep(self, url: str, document: Any, verified: "_Verified") -> None:
        with self._lock:
            self._entries[url] = (document, verified)
            if len(self._entries) > self.max_entries:
                for stale in sorted(self._entries, key=lambda key: _until(self._entries[key][1].window))[
                        :max(1, self.max_entries // 4)]:
                    self._entries.pop(stale, None)

    def forget(self, url: str) -> None:
        with self._lock:
            self._entries.pop(url, None)


class StatusSource:
    """Status list credentials by URL, verified and decoded at most once each.

    ``verified``: a ``VerifiedLists`` shared with other sources (lists verified once per process,
    not once per source); ``reload(url)``: loads a list again past any cache, for a list that
    turned out expired."""

    def __init__(self, lists: Mapping[str, Any] | Loader | None = None, *, resolver: Resolver | None = None,
                 verified: VerifiedLists | None = None, reload: Loader | None = None) -> None:
        self._lists = lists
        self._resolver = resolver  # for status lists signed by did:web (or other non-did:key) issuers
        self._verified: dict[str, _Verified] = {}
        self._shared = verified
        self._reload = reload

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
            verified = self._load_verified(url, self._fetch(url))
            if self._reload is not None and _expired(verified.window, now):
                if self._shared is not None:
                    self._shared.forget(url)
                verified = self._load_verified(url, self._fetch(url, self._reload))
            self._verified[url] = verified
        if verified.issuer != issuer:
            raise StatusListInvalid(f"the status list at {url} is issued by {verified.issuer}, the credential by {issuer}")
        _check_current(verified.window, url, now)
        return verified.view

    def _load_verified(self, url: str, document: dict[str, Any]) -> "_Verified":
        """``document``'s verification: from the shared ``VerifiedLists`` when it holds this very
        document, else verified here (and kept there only when it verified)."""
        if self._shared is not None:
            known = self._shared.lookup(url, document)
            if known is not None:
                return known
        try:
            proof = verify_proof(document, expected_purpose="assertionMethod", resolver=self._resolver)
        except PassportError as exc:
            raise StatusListInvalid(f"the status list at {url} failed verification: {exc.message}",
                                    cause=exc.code) from exc
        if signer_of(proof) != issuer_id(document):
            raise StatusListInvalid(f"the status list at {url} is not signed by its own issuer")
        verified = _Verified(issuer_id(document), _window(document, url), open_list(document, url))
        if self._shared is not None:
            self._shared.keep(url, document, verified)
        return verified

    def _fetch(self, url: str, loader: Loader | None = None) -> dict[str, Any]:
        lists = self._lists if loader is None else loader
        if lists is None:
            raise StatusUnknown(f"no status list was supplied for {url}", statusListCredential=url)
        try:
            document = lists(url) if callable(lists) else lists.get(url)
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


def _expired(window: tuple, now: datetime) -> bool:
    """The list's ``validUntil`` or its proof's ``expires`` has passed."""
    return any(until is not None and until <= now for until, _ in window[1:])


def _until(window: tuple) -> datetime:
    """The earliest end of a list's window (lists without one last longest)."""
    return min((until for until, _ in window[1:] if until is not None), default=datetime.max.replace(tzinfo=_UTC))


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
