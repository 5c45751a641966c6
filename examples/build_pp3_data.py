"""Build the two frozen data files of PP3 (``passport/pp3/data/``); see its README.md.

    pip install wordfreq==3.1.1
    python examples/build_pp3_data.py OUT_DIR        # then compare the SHA-256 with the pinned ones

* ``words.txt.gz``: the top 20,000 Dutch and 5,000 English words of wordfreq's ``large``
  lists (lower-case letter words), weighted 88 % / 12 %, counts scaled to sum to at most 2**24.
* ``struct.bin``: the structure streams of the PP2 skeleton documents with typed dummy values.

No Paspoort document text is used. wordfreq is needed only here, never at run time. The files
are frozen: running this with other wordfreq data gives other bytes, which would be a new QR
text version, not an update.
"""
from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import wordfreq

from passport.keys import Ed25519Key
from passport.pp3.values import b58encode
from passport.pp3.wordmodel import WordModel
from passport.pp3.writer import structure_tokens
from passport.qrdictionary import DICTIONARY

DUTCH_WORDS, ENGLISH_WORDS, ENGLISH_WEIGHT = 20_000, 5_000, 0.12
TOTAL = 1 << 24
WORD = re.compile(r"[^\W\d_]+\Z")


def word_lines() -> bytes:
    probability: dict[str, float] = {}
    for language, count, weight in (("nl", DUTCH_WORDS, 1 - ENGLISH_WEIGHT), ("en", ENGLISH_WORDS, ENGLISH_WEIGHT)):
        for word in wordfreq.top_n_list(language, count, wordlist="large"):
            if WORD.match(word) and word == word.lower():
                probability[word] = probability.get(word, 0) + weight * wordfreq.word_frequency(word, language,
                                                                                                  wordlist="large")
    total = sum(probability.values())
    ordered = sorted(probability, key=lambda word: (-probability[word], word))
    counts = [max(1, int(probability[word] / total * (TOTAL - len(ordered)))) for word in ordered]
    return "".join(f"{count} {word}\n" for word, count in zip(ordered, counts)).encode("utf-8")


def skeletons() -> list[Any]:
    text = DICTIONARY.decode("utf-8")
    decoder, at, out = json.JSONDecoder(), text.index("{"), []
    while at < len(text):
        document, at = decoder.raw_decode(text, at)
        out.append(document)
    return out


HOLDER = Ed25519Key(hashlib.sha256(b"pp3-dummy-holder").digest())
ISSUER = Ed25519Key(hashlib.sha256(b"pp3-dummy-issuer").digest())
SIGNATURE = "z" + b58encode(hashlib.sha512(b"pp3-dummy").digest())
DUMMY_UUID = "00000000-0000-4000-8000-000000000000"
_placeholders = itertools.count()


def fill(value: Any, key: str | None = None, parent: str | None = None) -> Any:
    """Typed dummy values by key, so a skeleton tokenizes like a real document."""
    if isinstance(value, dict):
        out = {name: fill(item, name, key) for name, item in value.items()}
        if "statusListCredential" in out and "statusListIndex" in out:
            out["id"] = out["statusListCredential"] + "#" + out["statusListIndex"]
        if key == "proof":
            out["verificationMethod"] = (HOLDER if out.get("proofPurpose") == "authentication" else ISSUER) \
                .verification_method
        return out
    if isinstance(value, list):
        return [fill(item, key, parent) for item in value]
    if value != "":
        return value
    if key == "proofValue":
        return SIGNATURE
    if key in ("created", "validFrom", "validUntil", "expires"):
        return "2026-01-01T00:00:00Z"
    if key in ("date", "start", "end", "startDate"):
        return "2026-01-01"
    if key == "digestMultibase":
        return "uEi" + "A" * 44
    if key == "statusListIndex":
        return "1"
    if key == "holder" or (key == "id" and parent == "credentialSubject"):
        return HOLDER.did
    if key == "id" and parent in ("issuer", "institution"):
        return ISSUER.did
    if key == "id" and parent in (None, "verifiableCredential", "evidence"):
        return f"urn:uuid:{DUMMY_UUID}"
    if key == "targetUrl":
        return f"http://data.europa.eu/esco/skill/{DUMMY_UUID}"
    return f"x{next(_placeholders)}"  # a distinct placeholder text


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = word_lines()
    words = gzip.compress(lines, 9, mtime=0)
    model = WordModel(lines)
    structure = b"".join(structure_tokens(fill(skeleton), model) for skeleton in skeletons())
    for name, blob in (("words.txt.gz", words), ("struct.bin", structure)):
        (out / name).write_bytes(blob)
        print(name, len(blob), hashlib.sha256(blob).hexdigest())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "pp3-data")
