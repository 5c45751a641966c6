"""The two Data Integrity cryptosuites accepted here, and how each turns a document into bytes.

Both are EdDSA over Ed25519 with the same proof configuration and the same ``hash_data`` (see
``proof``); they differ only in the canonical form hashed:

- ``eddsa-jcs-2022``: the JSON Canonicalization Scheme (RFC 8785) of the JSON;
- ``eddsa-rdfc-2022``: RDF Dataset Canonicalization (RDFC-1.0) of the JSON-LD, expanded
  strictly with the shipped contexts only (``passport.jsonld``): an undefined term, an unknown
  context or a protected term redefinition is an error, never silently left unsigned.

The allowlist is this module's ``SUITES``: a suite named in a document is looked up here and
nothing else is accepted.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

from ..errors import SuiteUnsupported
from ..encoding.jcs import canonicalize

JCS = "eddsa-jcs-2022"
RDFC = "eddsa-rdfc-2022"


class Suite(NamedTuple):
    name: str
    canonicalize: Callable[[Mapping[str, Any], Any], bytes]  # (document, JSON-LD document loader) -> bytes
    uses_jsonld: bool  # the canonical form depends on the @context (and so on the loader)


def _jcs(document: Mapping[str, Any], loader: Any = None) -> bytes:
    return canonicalize(document)


def _rdfc(document: Mapping[str, Any], loader: Any = None) -> bytes:
    from ..jsonld import canonize  # PyLD is loaded only when an rdfc proof is made or checked

    return canonize(document, loader).encode("utf-8")


SUITES: Mapping[str, Suite] = {
    JCS: Suite(JCS, _jcs, uses_jsonld=False),
    RDFC: Suite(RDFC, _rdfc, uses_jsonld=True),
}


def suite(name: Any) -> Suite:
    """The suite called ``name``; ``SuiteUnsupported`` for any other value."""
    found = SUITES.get(name) if isinstance(name, str) else None
    if found is None:
        raise SuiteUnsupported(f"cryptosuite {name!r} is not accepted; only {' or '.join(sorted(SUITES))}",
                               value=name)
    return found
