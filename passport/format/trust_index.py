"""A large trust registry's entries, checked in bulk and parsed only when looked up.

``bulk_entries`` checks every entry of a registry at once: the ``registryEntry`` schema of
``schemas/trust-registry.json`` (jsonschema-rs, compiled once), then the rules the schema cannot
say, each over the distinct values of all entries at once: no id twice, names and scope patterns
not blank, status list locations in the plain form (``http(s)://host/segments/``: no port, user
info, query, ``%`` or dot segment), dates that exist. When everything passes it returns
``LazyEntries``: the entries by id, each turned into a ``TrustedIssuer`` by the same
``parse_entry`` as always, on its first lookup. Whatever does not pass returns None, and the
caller parses every entry one by one, which names the problem exactly as before; so a registry
is accepted or refused as it always was, only sooner. The registry owns the entries it indexes:
``load_registry`` hands over a document it has just parsed, which no one else holds.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from itertools import chain
from operator import itemgetter
from typing import Any, Callable

import jsonschema_rs

from ..encoding.timeutil import parse_datetime
from . import schemas

_REGISTRY_SCHEMA = schemas.schema_id("trust-registry")
# Locations every entry of a large registry has in practice; anything else takes the entry-by-entry path.
_ID, _NAME = itemgetter("id"), itemgetter("name")
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


def bulk_entries(issuers: list[Any], parse: Callable[[Any, str], Any]) -> LazyEntries | None:
    """``LazyEntries`` when every entry passes the bulk checks; None sends the caller entry by entry.

    Each check runs over a column of values (``map``, sets): a few C loops, not a Python
    function per entry."""
    if not _entries_validator().is_valid(issuers):
        return None
    ids = list(map(_ID, issuers))
    raw = dict(zip(ids, issuers))
    if len(raw) != len(issuers):
        return None  # an id twice: the entry-by-entry parse names it
    try:
        names = set(map(_NAME, issuers))
    except TypeError:  # language values (lists, objects): parse_entry picks the Dutch one, entry by entry
        return None
    if not set(map(type, names)) <= {str} or not all(map(str.strip, names)):
        return None
    patterns = set(chain.from_iterable(filter(None, [entry.get("scope") for entry in issuers])))
    if not all(map(str.strip, patterns)):
        return None
    locations = "\n".join(chain.from_iterable([entry.get("statusLists", ()) for entry in issuers]))
    if not _PLAIN_LOCATIONS.fullmatch(locations + "\n" if locations else ""):
        return None
    dates = {entry.get("validFrom") for entry in issuers} | {entry.get("validUntil") for entry in issuers}
    dates.discard(None)
    try:
        for date in dates:
            parse_datetime(date)
    except ValueError:
        return None
    return LazyEntries(raw, parse, ids)


@functools.cache
def _entries_validator() -> Any:
    """The ``registryEntry`` schema over a list of entries, compiled once."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array",
              "items": {"$ref": f"{_REGISTRY_SCHEMA}#/$defs/registryEntry"}}
    return jsonschema_rs.validator_for(schema, registry=schemas._registry(), retriever=schemas._refuse_fetch,
                                       validate_formats=False)
