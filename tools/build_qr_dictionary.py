"""Write the preset zlib dictionary of QR text version PP2 (``passport/qr/pp2-dictionary.bin``) to stdout.

The dictionary is frozen: PP2 texts, once printed, decode only with exactly these bytes
(``tests/test_qr.py`` pins its SHA-256). This script records how it was made, for a future
version: the canonical JSON *skeleton* of every Paspoort document type, built from the example
documents with every value blanked except the vocabulary that the schemas fix (``const`` and
``enum`` strings, the ``@context`` URLs, the proof suite), plus the value prefixes that recur
(``did:key:z6Mk``, ``urn:uuid:``, ESCO and CompetentNL URIs). No names, free text, keys or
identifiers of the examples end up in it.

    python tools/build_qr_dictionary.py > new-dictionary.bin   # gives the PP2 bytes again; change it only for a new version
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from passport.encoding.jcs import canonicalize  # noqa: E402

PREFIXES = ["did:key:z6Mk", "urn:uuid:", "http://data.europa.eu/esco/skill/", "http://data.europa.eu/esco/occupation/",
            "https://competentnl.nl/", "T00:00:00Z", "T23:59:59Z", "#z6Mk", "\"proofValue\":\"z"]


def vocabulary() -> set[str]:
    """Every string the schemas fix (const and enum), and the @context URLs."""
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "const" and isinstance(value, str):
                    words.add(value)
                elif key == "enum" and isinstance(value, list):
                    words.update(item for item in value if isinstance(item, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((HERE.parent / "schemas").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return words


def skeleton(node: Any, keep: set[str], key: str = "") -> Any:
    if isinstance(node, dict):
        return {name: skeleton(value, keep, name) for name, value in node.items()}
    if isinstance(node, list):
        items, seen = [], set()
        for item in (skeleton(value, keep, key) for value in node):
            marker = json.dumps(item, sort_keys=True)
            if marker not in seen:  # one of each shape: entries of a block look alike
                seen.add(marker)
                items.append(item)
        return items
    if isinstance(node, str):
        fixed = node in keep or key in ("type", "@context", "cryptosuite", "proofPurpose")
        return node if fixed or (key == "@language" and node in ("nl", "en")) else ""
    if isinstance(node, bool) or node is None:
        return node
    return 0


def documents() -> list[Any]:
    """One signed example of each kind (profile, each endorsement type, a presentation)."""
    from datetime import UTC, datetime

    from passport import present
    from passport.demo.world import build_world
    from passport.format.documents import paspoort_type

    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    chosen: dict[str, Any] = {}
    for persona in ("samira", "jan", "ria"):  # Ria last: her kinds win, as any would
        world = build_world(persona, now)
        chosen["profile"] = world.profile
        for credential in world.endorsements:
            chosen[paspoort_type(credential) or "credential"] = credential
    ab = chosen.pop("AantoonbaarBekwaamCredential")
    vp = present([ab], world.holder, now=now, challenge="c", domain="d")
    # Most common last: zlib reaches the end of the dictionary with the shortest distances.
    return [*chosen.values(), vp]


def build() -> bytes:
    keep = vocabulary()
    parts = [prefix.encode() for prefix in PREFIXES]
    parts += [canonicalize(skeleton(document, keep)) for document in documents()]
    return b"".join(parts)


if __name__ == "__main__":
    data = build()
    print(f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}", file=sys.stderr)
    sys.stdout.buffer.write(data)
