"""A large trust registry's entries, checked in bulk and parsed only when looked up.

``bulk_entries`` checks every entry of a registry at once, rule by rule over columns of values:
the rules of ``trust.parse_entry`` (fields, DID, role, credential types, scope patterns, names,
dates), with status list locations in their plain form only (``http(s)://host/segments/``: no
port, user info, query, ``%`` or dot segment), and no id twice. When everything passes it returns
``LazyEntries``: the entries by id, each turned into a ``TrustedIssuer`` by the same
``parse_entry`` as always, on its first lookup. Whatever does not pass returns None, and the
caller parses every entry one by one, which names the problem exactly as before; so a registry
is accepted or refused as it always was, only sooner. The registry owns the entries it indexes:
``load_registry`` hands over a document it has just parsed, which no one else holds.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import chain
from operator import itemgetter, methodcaller
from typing import Any, Callable

from ..encoding.timeutil import parse_datetime

# Locations every entry of a large registry has in practice; anything else takes the entry-by-entry path.
_ID, _NAME, _ROLE, _TYPES = itemgetter("id"), itemgetter("name"), itemgetter("role"), itemgetter("credentialTypes")
_IS_DID = methodcaller("startswith", "did:")
_PLAIN_LOCATIONS = re.compile(r"(?:https?://[A-Za-z0-9.-]+/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*\n)*")


class LazyEntries(Mapping):
    """Registry entries by issuer id; each parsed into a ``TrustedIssuer`` when first asked for."""

    def __init__(self, raw: dict[str, dict[str, Any]], parse: Callable[[Any, str], Any], ids: list[str]) -> None:
        self._raw, self._parse, self._ids = raw, parse, ids
        self._positions: dict[str, int] | None = None  # for the entry's name in messages, made on first use
        self._parsed: dict[str, Any] = {}

    def __getitem__(self, issuer: str) -> Any:
        found = self._parsed.get(issuer)
        if found is None:
            raw = self._raw[issuer]  # KeyError for an issuer the registry does not list
            if self._positions is None:
                self._positions = {name: position for position, name in enumerate(self._ids)}
            found = self._parsed[issuer] = self._parse(
                raw, f"credentialSubject.issuers[{self._positions[issuer]}]")
        return found

    def get(self, issuer: Any, default: Any = None) -> Any:
        found = self._parsed.get(issuer)
        if found is not None:
            return found
        return self[issuer] if issuer in self._raw else default

    def __contains__(self, issuer: object) -> bool:
        return issuer in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def bulk_entries(issuers: list[Any], parse: Callable[[Any, str], Any], *, roles: frozenset[str],
                 credential_types: frozenset[str], fields: frozenset[str]) -> LazyEntries | None:
    """``LazyEntries`` when every entry passes the bulk checks; None sends the caller entry by entry.

    The checks are ``parse_entry``'s, each over a column of values (``map``, ``set``, one regular
    expression over all locations): a few C loops instead of a Python function per entry. What
    passes here passes ``parse_entry``; the reverse need not hold (that goes entry by entry)."""
    try:
        if set(map(type, issuers)) - {dict} or set(chain.from_iterable(issuers)) - fields:
            return None
        ids, names, kinds = list(map(_ID, issuers)), set(map(_NAME, issuers)), list(map(_TYPES, issuers))
        if not _plain_strings(ids) or not all(map(_IS_DID, ids)) or "#" in "".join(ids):
            return None
        if not _plain_strings(names) or not all(map(str.strip, names)):
            return None  # language values are read entry by entry (parse_entry picks the Dutch one)
        if set(map(_ROLE, issuers)) - roles or set(map(type, kinds)) - {list} or not all(kinds) \
                or set(chain.from_iterable(kinds)) - credential_types:
            return None
        scopes = [entry["scope"] for entry in issuers if entry.get("scope") is not None]
        patterns = set(chain.from_iterable(scopes))
        if set(map(type, scopes)) - {list} or not all(scopes) or not _plain_strings(patterns) \
                or not all(map(str.strip, patterns)) or "*" in "".join(pattern[:-1] for pattern in patterns):
            return None
        locations = [entry["statusLists"] for entry in issuers if "statusLists" in entry]
        plain = set(chain.from_iterable(locations))
        if set(map(type, locations)) - {list} or not all(locations) or not _plain_strings(plain) \
                or "\n" in "".join(plain) \
                or not _PLAIN_LOCATIONS.fullmatch("".join(location + "\n" for location in plain)):
            return None
        dates = {entry[name] for entry in issuers for name in ("validFrom", "validUntil") if name in entry}
        for date in dates:
            parse_datetime(date)
    except (KeyError, TypeError, ValueError):  # a missing member, an unhashable value, a date that does not exist
        return None
    raw = dict(zip(ids, issuers))
    if len(raw) != len(issuers):
        return None  # an id twice: the entry-by-entry parse names it
    return LazyEntries(raw, parse, ids)


def _plain_strings(values: Any) -> bool:
    return not set(map(type, values)) - {str}
