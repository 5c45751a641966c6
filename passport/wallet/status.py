"""Status refresh: fetch the current status lists of the wallet's endorsements and remember them.

``refresh(wallet, now=, load=)`` checks every endorsement against its issuer's status list
(``StatusSource`` verifies each list once: proof, issuer, dates) and stores the outcome in the
item as ``statusCheck`` = ``{"status", "checkedAt", "reason"}`` (docs/guides/wallet.md, "Refreshing the status").
``status`` is one of ``STATES``. A revocation is final (Bitstring Status List: revocation
cannot be reversed), so a later "unknown" (issuer offline) never erases a known "revoked".

``bounded_loader`` is the network side: ``passport.verification.fetch.Fetcher`` (https only, size cap,
per-fetch timeout, no private addresses, no redirects), only to the hosts named by the wallet's
own status entries, within one ``FetchBudget``: at most ``MAX_LISTS`` lists and ``TIME_BUDGET``
seconds of fetching in all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from ..errors import PassportError, Revoked, StatusUnknown, Suspended
from ..verification.fetch import FetchBudget, Fetcher
from ..verification.status_check import StatusSource
from ..format.status_list import status_entries
from ..encoding.timeutil import format_datetime, parse_datetime
from .store import Wallet

STATES = ("valid", "revoked", "suspended", "expired", "unknown", "no-status")
MAX_LISTS = 32  # distinct status lists fetched in one refresh
TIME_BUDGET = 30.0  # seconds for the whole refresh
FETCH_TIMEOUT = 10.0  # seconds for one list (never more than what is left of the budget)
MAX_LIST_BYTES = 262_144


@dataclass(frozen=True)
class Outcome:
    item: dict[str, Any]
    status: str
    reason: str
    checked_at: str


def status_urls(wallet: Wallet) -> list[str]:
    """Every distinct status list URL of the wallet's endorsements, in wallet order."""
    urls: dict[str, None] = {}
    for item in wallet.credentials:
        try:
            entries = status_entries(item["credential"])
        except PassportError:
            continue  # refresh() reports the malformed entry for that credential
        for entry in entries:
            urls.setdefault(entry["statusListCredential"], None)
    return list(urls)


def refresh(wallet: Wallet, *, now: datetime, load: Callable[[str], Any] | None,
            items: list[dict[str, Any]] | None = None) -> list[Outcome]:
    """Check every endorsement's status now (or only ``items``, stored ones) and store the outcome
    in the wallet (not saved here)."""
    source = StatusSource(load)
    checked_at = format_datetime(now)
    outcomes = []
    for item in wallet.credentials if items is None else items:
        status, reason = _check(source, item["credential"], now)
        previous = item.get("statusCheck") or {}
        if status in ("unknown", "expired") and previous.get("status") == "revoked":
            status, reason = "revoked", f"{previous.get('reason')} (known since {previous.get('checkedAt')}; " \
                                        f"the list could not be checked again: {reason})"
            item["statusCheck"] = {**previous, "reason": reason}
        else:
            item["statusCheck"] = {"status": status, "checkedAt": checked_at, "reason": reason}
        outcomes.append(Outcome(item, status, reason, item["statusCheck"]["checkedAt"]))
    return outcomes


def _check(source: StatusSource, credential: dict[str, Any], now: datetime) -> tuple[str, str]:
    try:
        has_status = bool(status_entries(credential))
    except PassportError as exc:
        return "unknown", exc.message
    state, reason = "valid", ""
    if has_status:
        try:
            reason = source.check(credential, now=now)
        except Revoked as exc:
            return "revoked", exc.message
        except Suspended as exc:
            state, reason = "suspended", exc.message
        except PassportError as exc:  # StatusUnknown, StatusListInvalid: never "valid"
            state, reason = "unknown", exc.message
    else:
        state, reason = "no-status", "the issuer publishes no status list for it"
    until = credential.get("validUntil")
    if state in ("valid", "no-status") and until is not None and _before(until, now):
        return "expired", f"valid until {until}"
    return state, reason


def _before(text: Any, now: datetime) -> bool:
    try:
        return parse_datetime(text) <= now
    except ValueError:
        return False


def known_revoked(item: dict[str, Any]) -> bool:
    """True when the last status refresh found the issuer had revoked this endorsement."""
    return (item.get("statusCheck") or {}).get("status") == "revoked"


class BoundedLoader:
    """``load(url)`` for ``StatusSource``: the Fetcher, only to these hosts, within one ``FetchBudget``
    (at most ``max_lists`` distinct lists and ``budget`` seconds of fetching in all)."""

    def __init__(self, fetcher: Fetcher, hosts: Iterable[str], *, max_lists: int = MAX_LISTS,
                 budget: float = TIME_BUDGET) -> None:
        self.fetcher, self.hosts = fetcher, frozenset(hosts)
        self.budget = FetchBudget(max_fetches=max_lists, seconds=budget)

    def __call__(self, url: str) -> Any:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except (TypeError, ValueError):  # not a URL: the fetcher names the problem
            parts, host = None, ""
        if parts is not None and parts.scheme == "http" and host and host not in self.fetcher.test_hosts:
            raise StatusUnknown(f"{url}: only https URLs are fetched; for a test server on plain http, allow its "
                                f"host with --allow-http-host {host}", url=url)
        return self.fetcher.get_json(url, allowed_hosts=self.hosts, budget=self.budget)


def bounded_loader(wallet: Wallet, *, http_hosts: Iterable[str] = (), max_lists: int = MAX_LISTS,
                   budget: float = TIME_BUDGET, timeout: float = FETCH_TIMEOUT) -> BoundedLoader:
    """The network loader for ``refresh``: https only, except to ``http_hosts`` the worker names."""
    hosts = {(urlsplit(url).hostname or "").lower() for url in status_urls(wallet)} - {""}
    fetcher = Fetcher(timeout=timeout, max_bytes=MAX_LIST_BYTES, test_hosts=http_hosts, cache_ttl=0)
    return BoundedLoader(fetcher, hosts, max_lists=max_lists, budget=budget)
