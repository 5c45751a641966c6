"""Links an issuer signs into a credential: web links are ``https:``, identifiers are URIs.

A credential is shown to people (wallets, verifier pages, the printable passport), who may
follow its links; a signed ``javascript:`` or ``http:`` link would carry the issuer's name.
``check_links`` walks a submitted credential (before it is signed) and refuses:

- ``url`` and ``image`` (a string, or an Image object's ``id``) that are not ``https:``;
- ``targetUrl`` (an alignment's framework concept) that is not ``https:`` or ``http:``: concept
  identifiers such as ESCO's are ``http:`` URIs, and they are what trust registry scopes name;
- an ``id`` with a URI scheme other than ``https:``, ``urn:`` and ``did:`` (an ``id`` without a
  scheme, such as a profile entry's local name, is not a link).

Every problem is a ``StructureInvalid`` (422) naming the path and the scheme found.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..errors import StructureInvalid

WEB_LINK_SCHEMES = frozenset({"https"})
CONCEPT_SCHEMES = frozenset({"https", "http"})
ID_SCHEMES = frozenset({"https", "urn", "did"})
_WANTED = {WEB_LINK_SCHEMES: "an absolute https: URL", CONCEPT_SCHEMES: "an absolute https: (or http:) URI",
           ID_SCHEMES: "an https:, urn: or did: URI"}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_LINK_KEYS = {"url": WEB_LINK_SCHEMES, "image": WEB_LINK_SCHEMES, "targetUrl": CONCEPT_SCHEMES}
_SKIPPED = frozenset({"@context"})
MAX_DEPTH = 64


def check_links(document: Any, path: str = "") -> None:
    """Raise ``StructureInvalid`` for the first link in ``document`` with a scheme it may not have."""
    _walk(document, (path,) if path else (), None, 0)


def _walk(value: Any, where: tuple, key: str | None, depth: int) -> None:
    """Visit the objects and lists under ``value``; ``where`` is the path, formatted only for an error."""
    if depth > MAX_DEPTH:
        raise StructureInvalid(f"{_path(where) or 'credential'}: nested more than {MAX_DEPTH} levels deep",
                               path=_path(where))
    if isinstance(value, dict):
        for name, item in value.items():
            if isinstance(item, str):
                if key == "image" and name == "id":
                    _check(item, where + (name,), WEB_LINK_SCHEMES, required=True)
                elif name in _LINK_KEYS:
                    _check(item, where + (name,), _LINK_KEYS[name], required=True)
                elif name == "id":
                    _check(item, where + (name,), ID_SCHEMES, required=False)
            elif isinstance(item, (dict, list)) and name not in _SKIPPED:
                _walk(item, where + (name,), name, depth + 1)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            if isinstance(item, (dict, list)):
                _walk(item, where + (number,), key, depth + 1)


def _path(where: tuple) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _check(value: str, where: tuple, allowed: frozenset[str], *, required: bool) -> None:
    found = _SCHEME.match(value.strip())
    scheme = found.group(1).lower() if found else None
    if scheme is None and not required:
        return
    if scheme in allowed and value == value.strip() and (scheme not in CONCEPT_SCHEMES or _has_host(value)):
        return
    shown = "has no host" if scheme in allowed and value == value.strip() else \
        "has white space around it" if scheme in allowed else \
        f"is a {scheme}: URL" if scheme else "is not an absolute URL"
    path = _path(where)
    raise StructureInvalid(f"{path} must be {_WANTED[allowed]}; this one {shown}", path=path, scheme=scheme)


def _has_host(value: str) -> bool:
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:
        return False
