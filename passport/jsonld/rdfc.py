"""RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document, on the strict expansion.

PyLD's ``URDNA2015`` is the algorithm RDFC-1.0 standardised. Two things are added here so the
output is RDFC-1.0's and not only URDNA2015's:

- canonical N-Quads escaping as RDFC-1.0 (RDF 1.2 N-Quads) defines it: ``\\b \\t \\n \\f \\r \\" \\\\``
  as ECHAR and the other control characters (U+0000-U+001F, U+007F) as ``\\u00XX``; PyLD escapes
  only five characters. The escape is used for hashing too, so blank node labels follow it;
- a work limit (RDFC-1.0 section 4.4 asks for one): a document whose blank nodes are so alike
  that the N-degree hashing would permute many of them is refused (``JsonLdInvalid``) instead of
  running for minutes.
"""
from __future__ import annotations

import re
from typing import Any

from pyld import canon, nquads

from ..errors import JsonLdInvalid
from .loader import DocumentLoader
from .strict import to_rdf

MAX_N_DEGREE_CALLS = 2_000  # calls of Hash N-Degree Quads for one document
MAX_RELATED_GROUP = 6  # distinct blank nodes one related hash may share (6! = 720 permutations)

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_LITERAL_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def escape_literal(value: str) -> str:
    """A string literal's characters as canonical N-Quads writes them (RDFC-1.0)."""
    return _LITERAL_ESCAPE.sub(lambda m: _ECHAR.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


# PyLD serialises every quad (for hashing and output) through ``pyld.nquads.escape``; RDFC-1.0's
# escaping differs only for control characters other than TAB, LF and CR, which PyLD left raw.
nquads.escape = escape_literal


class _Rdfc10(canon.URDNA2015):
    def __init__(self) -> None:
        super().__init__()
        self._n_degree_calls = 0

    def hash_n_degree_quads(self, id_, issuer):
        self._n_degree_calls += 1
        if self._n_degree_calls > MAX_N_DEGREE_CALLS:
            raise JsonLdInvalid("the document's blank nodes are too alike to canonicalize within the work limit "
                                f"({MAX_N_DEGREE_CALLS} N-degree hashes)")
        return super().hash_n_degree_quads(id_, issuer)

    def modify_first_degree_component(self, id_, component, key):
        # PyLD deep-copies the component; it is a flat mapping of strings, so a shallow copy is the same
        if component["type"] != "blank node":
            return component
        return {**component, "value": "_:a" if component["value"] == id_ else "_:z"}

    def create_hash_to_related(self, id_, issuer):
        related = super().create_hash_to_related(id_, issuer)
        # a node related through several quads is listed once per quad; permutations are of distinct nodes
        largest = max((len(set(nodes)) for nodes in related.values()), default=0)
        if largest > MAX_RELATED_GROUP:
            raise JsonLdInvalid(f"the document has {largest} indistinguishable blank nodes in one place; "
                                f"at most {MAX_RELATED_GROUP} can be canonicalized")
        return related


def canonize(document: Any, loader: DocumentLoader | None = None) -> str:
    """The canonical N-Quads of ``document`` (RDFC-1.0, SHA-256), each line ending in a newline."""
    return canonize_dataset(to_rdf(document, loader))


def canonize_dataset(dataset: dict[str, Any]) -> str:
    return _Rdfc10().main(dataset, {"algorithm": "URDNA2015", "format": "application/n-quads"})
