"""Extra JSON-LD contexts an operator supplies as files: one parser for both services.

A setting such as ``PASPOORT_ISSUER_JSONLD_CONTEXTS`` or ``PASPOORT_VERIFIER_JSONLD_CONTEXTS``
holds ``URL=file`` pairs separated by commas, e.g. the W3C examples context for the W3C test
suites. Each file is read once, at start-up; its URL is never fetched and can never replace a
shipped context (``loader.CONTEXTS``). The file's bytes are kept beside the parsed document, so
a credential's ``relatedResource`` digest can be checked against them (``digests``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from ..errors import JsonLdInvalid
from .loader import DocumentLoader

MAX_CONTEXT_BYTES = 1024 * 1024


def parse_context_pairs(raw: str) -> dict[str, str]:
    """``"URL=file,URL=file"`` as ``{URL: file}``; ``JsonLdInvalid`` names the pair that is wrong."""
    pairs: dict[str, str] = {}
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        url, sep, path = (part.strip() for part in item.partition("="))
        if not sep or not url or not path:
            raise JsonLdInvalid(f"{item!r} is not a URL=file pair (e.g. https://www.w3.org/ns/credentials/examples/v2="
                                "/path/credentials-examples-v2.jsonld)", pair=item)
        if ":" not in url:
            raise JsonLdInvalid(f"{url!r} is not an absolute context URL", pair=item)
        if url in pairs:
            raise JsonLdInvalid(f"the context {url} is given twice", url=url)
        pairs[url] = path
    return pairs


def load_context_files(files: Mapping[str, str]) -> DocumentLoader | None:
    """A loader with the shipped contexts and these files (URL -> path); None when there are none.

    ``JsonLdInvalid`` when a file cannot be read, is larger than 1 MiB, is not a JSON object
    with ``@context``, or would replace a shipped context."""
    documents, raw = {}, {}
    for url, path in files.items():
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise JsonLdInvalid(f"the context file {path} for {url} cannot be read: {exc.strerror}",
                                url=url, file=str(path)) from None
        if len(data) > MAX_CONTEXT_BYTES:
            raise JsonLdInvalid(f"the context file {path} for {url} is larger than {MAX_CONTEXT_BYTES} bytes",
                                url=url, file=str(path))
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise JsonLdInvalid(f"the context file {path} for {url} is not JSON: {exc}", url=url,
                                file=str(path)) from None
        if not isinstance(document, dict) or "@context" not in document:
            raise JsonLdInvalid(f"the context file {path} for {url} is not a JSON-LD context document "
                                "(a JSON object with @context)", url=url, file=str(path))
        documents[url], raw[url] = document, data
    return DocumentLoader(documents, extra_bytes=raw) if documents else None
