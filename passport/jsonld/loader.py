"""The offline document loader: the known JSON-LD contexts, served from files in this package.

A context URL is served only when it is in ``CONTEXTS``; every other URL (another context, a
``did:`` document, a relative reference) is refused with ``JsonLdContextUnknown`` and nothing is
ever fetched. Each file is read once and checked against the SHA-256 pinned here, so a damaged or
edited copy fails loudly instead of changing what a document means. Provenance of each file:
``contexts/README.md``.
"""
from __future__ import annotations

import hashlib
import json
import threading
from importlib import resources
from typing import Any, Mapping, NamedTuple

from cachetools import LRUCache

from ..errors import JsonLdContextUnknown, JsonLdInvalid


class Context(NamedTuple):
    url: str
    file: str
    sha256: str  # of the shipped file's bytes


VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
OPEN_BADGES_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PASPOORT_V1 = "https://w3id.org/paspoort/v1"

CONTEXTS: Mapping[str, Context] = {
    c.url: c
    for c in (
        Context(VC_V2, "credentials-v2.jsonld", "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f"),
        Context(VC_V1, "credentials-v1.jsonld", "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8"),
        Context(DATA_INTEGRITY_V2, "data-integrity-v2.jsonld",
                "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363"),
        Context(OPEN_BADGES_303, "open-badges-3.0.3.json",
                "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"),
        Context(PASPOORT_V1, "paspoort-v1.jsonld", "4e860f15c40eb6c8276adfe6ad97227776c6ede4dedf413da89bd4b83d86664e"),
    )
}

_lock = threading.Lock()
_documents: dict[str, dict[str, Any]] = {}


def context_bytes(url: str) -> bytes:
    """The shipped file of a known context, checked against its pinned SHA-256."""
    known = CONTEXTS.get(url)
    if known is None:
        raise JsonLdContextUnknown(f"the JSON-LD context {url!r} is not one this program knows; "
                                   f"it is never fetched (known: {', '.join(sorted(CONTEXTS))})", url=url)
    data = resources.files(__package__).joinpath("contexts", known.file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != known.sha256:
        raise JsonLdInvalid(f"the shipped copy of {url} is damaged: SHA-256 {digest}, expected {known.sha256}",
                            url=url)
    return data


def context_document(url: str) -> dict[str, Any]:
    """The parsed context document for ``url`` (read and checked once, then shared: do not mutate)."""
    document = _documents.get(url)
    if document is None:
        document = json.loads(context_bytes(url))
        with _lock:
            document = _documents.setdefault(url, document)
    return document


class SharedCache(LRUCache):
    """An LRU cache that several threads may use at once (a service verifies in parallel threads)."""

    def __init__(self, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self._lock = threading.RLock()

    def __getitem__(self, key: Any) -> Any:
        with self._lock:
            return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        with self._lock:
            super().__delitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            return super().get(key, default)


class DocumentLoader:
    """A PyLD document loader: the shipped contexts, and ``extra`` ones the caller supplies.

    ``extra`` (URL -> parsed context document) is for tests and callers with a context of their
    own, e.g. the W3C examples context from the published vectors (``extra_bytes``: the file each
    was read from, for digests of related resources; ``files.load_context_files``); it never replaces a shipped
    one, and must not be changed once given (its processed form is remembered). Each loader
    keeps its own caches (``cache``, ``processed``), so a context given to one loader is never
    seen by another. The ``static`` tag lets PyLD keep resolved contexts.
    """

    def __init__(self, extra: Mapping[str, Mapping[str, Any]] | None = None, *,
                 extra_bytes: Mapping[str, bytes] | None = None) -> None:
        extra = dict(extra or {})
        clash = sorted(set(extra) & set(CONTEXTS))
        if clash:
            raise JsonLdInvalid(f"a shipped context cannot be replaced: {clash}", urls=clash)
        self._extra = extra
        self._extra_bytes = {url: bytes(data) for url, data in (extra_bytes or {}).items() if url in extra}
        self.cache = SharedCache(maxsize=256)  # PyLD's resolved contexts (by URL)
        self.processed = SharedCache(maxsize=1024)  # (active context, local context) -> processed
        self.iris: dict[tuple[Any, ...], Any] = {}  # (processed context _uuid, value, base, vocab) -> expanded
        self.owned: frozenset[int] = frozenset()  # id() of every object inside a context this loader served
        self._walked: set[str] = set()

    def held_bytes(self, url: str) -> bytes | None:
        """The bytes of a context this loader holds (a shipped file, or an extra context given as a
        file), or None: nothing is fetched. An extra context given only as parsed JSON has no bytes."""
        if url in CONTEXTS:
            return context_bytes(url)
        return self._extra_bytes.get(url)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        document = self._extra.get(url)
        if document is None:
            document = context_document(url)
        if url not in self._walked:
            with _lock:
                self.owned = self.owned | frozenset(_object_ids(document))  # replaced, never changed in place
                self._walked.add(url)
        return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


def _object_ids(value: Any) -> list[int]:
    """id() of every object and array in a parsed JSON value: the scoped contexts a loader may remember."""
    found: list[int] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            found.append(id(item))
            pending.extend(item.values())
        elif isinstance(item, list):
            found.append(id(item))
            pending.extend(item)
    return found


DEFAULT_LOADER = DocumentLoader()


def load_document(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The default loader as a plain function: a shipped context, anything else refused."""
    return DEFAULT_LOADER(url, options)
