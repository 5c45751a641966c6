"""JSON-LD for Paspoort: the shipped contexts, a loader that never fetches, strict expansion and
RDF Dataset Canonicalization (RDFC-1.0) for the ``eddsa-rdfc-2022`` cryptosuite.

- ``loader``: the known context URLs, each served from a file in ``contexts/`` pinned by SHA-256;
- ``strict``: expansion that refuses an undefined term or type, a relative IRI or a protected
  term redefinition instead of dropping it;
- ``rdfc``: canonical N-Quads of a document, on the strict expansion;
- ``files``: extra contexts an operator gives as ``URL=file`` pairs (both services' setting);
- ``digests``: the digest of a context we hold, for a credential's ``relatedResource``.
"""
from __future__ import annotations

from .loader import (
    CONTEXTS, DATA_INTEGRITY_V2, DEFAULT_LOADER, OPEN_BADGES_303, PASPOORT_V1, VC_V1, VC_V2, DocumentLoader,
    context_bytes, context_document, load_document,
)
from .files import load_context_files, parse_context_pairs
from .rdfc import canonize
from .strict import expand

__all__ = [
    "CONTEXTS", "DATA_INTEGRITY_V2", "DEFAULT_LOADER", "OPEN_BADGES_303", "PASPOORT_V1", "VC_V1", "VC_V2",
    "DocumentLoader", "canonize", "context_bytes", "context_document", "expand", "load_context_files",
    "load_document", "parse_context_pairs",
]
