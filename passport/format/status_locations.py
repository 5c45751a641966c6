"""Where an issuer's status lists may live: the ``statusLists`` of a trust registry entry.

A location is an ``http``/``https`` URL prefix ending in ``/``. A ``statusListCredential`` is at
a location when scheme, host and port are the same (default ports filled in, scheme and host
compared without case) and its path starts with the location's path. URLs with user info or
``.``/``..`` segments (also percent-encoded) are at no location: what is compared is what would
be fetched. The verification layer asks for a status list only at such a location (SPEC.md
sections 7 and 8.3).
"""
from __future__ import annotations

import functools
from typing import Any, Iterable, Mapping
from urllib.parse import unquote, urlsplit

from ..errors import TrustRegistryInvalid


def location_allows(locations: Iterable[str], url: str) -> bool:
    """``url`` lies under one of ``locations``: same scheme, host and port, and its path starts
    with the location's path (which ends in ``/``). URLs with user info or dot segments never do."""
    target = url_parts(url)
    if target is None:
        return False
    for location in locations:
        place = url_parts(location)
        if place is not None and place[:3] == target[:3] and target[3].startswith(place[3]):
            return True
    return False


def url_parts(url: Any) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL, lower-case where case does not matter; None
    for anything else, and for URLs whose path has ``.``/``..`` segments (also percent-encoded)."""
    return _url_parts(url) if isinstance(url, str) else None


@functools.lru_cache(maxsize=4096)
def _url_parts(url: str) -> tuple[str, str, int, str] | None:
    if any(c in url for c in "\\\x00\t\r\n "):
        return None
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host or "@" in parts.netloc or parts.fragment:
        return None
    path = parts.path or "/"
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        return None
    return scheme, host, port or (443 if scheme == "https" else 80), path


def parse_locations(entry: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """``statusLists``: absent (no status list of this issuer is used) or a non-empty list of
    http(s) URL prefixes ending in ``/``, without user info, query or fragment."""
    if "statusLists" not in entry:
        return ()
    locations = entry["statusLists"]
    if not isinstance(locations, list) or not locations:
        raise TrustRegistryInvalid(f"{where}.statusLists must be a non-empty list of URL prefixes")
    for location in locations:
        parts = url_parts(location)
        if parts is None or not location.endswith("/") or "?" in location:
            raise TrustRegistryInvalid(
                f"{where}.statusLists entry {location!r} must be an http(s) URL prefix ending in '/' "
                "(e.g. https://status.example.nl/lists/), without user info, query, fragment or dot segments")
    return tuple(locations)
