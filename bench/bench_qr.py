"""Benchmark: the QR text form (PP2) per document type: characters, QR versions and symbols.

For each document type it reports the ``PP2:`` text's length in characters, the QR version of
one symbol at error correction M (the smallest that holds it, up to 40), and how many symbols
of at most version 25 at level M carry it (1, or a Structured Append series of up to 16, as the
printed passport and ``passport share --qr`` do). The types: each single endorsement kind and
the profile of the demo personas (Ria, Jan, Samira), a presentation of one AantoonbaarBekwaam
endorsement with the holder proof, each persona's full share (profile and every endorsement in
one presentation) and each persona's printed passport (every symbol on the pages). Plain zlib
without the dictionary is shown beside the one-endorsement presentation.

Timings, for that presentation: encode and decode of the text, rendering to PNG (one symbol and
the v25 series), and reading the series back from its PNGs in reverse order; each against a
reference measured in the same run or the target of issue 3 (render 30 ms, decode 5 ms).

    python bench/bench_qr.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import io
import tempfile
import zlib
from datetime import UTC, datetime

from common import per_call, print_rows

from passport import present
from passport.demo.world import build_world
from passport.errors import QRTooLarge
from passport.encoding.jcs import canonicalize
from passport.printable import export_pdf, profile_parts
from passport.qr import decode_text, encode_text, read_documents, render_png, split_for_qr, version_for
from passport.qr.symbols import capacity
from passport.qr.text import b45encode
from passport.roles.sharing import select_profile
from passport.proofs.signing import sign

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
PERSONAS = ("ria", "jan", "samira")
PRINT_VERSION = 25
Row = tuple[str, float | None, float, str]


def png_bytes(symbol) -> bytes:
    out = io.BytesIO()
    render_png(symbol, out)
    return out.getvalue()


def one_version(text: str) -> float | None:
    """The version of one symbol at M holding the text; None beyond version 40."""
    try:
        return version_for(text, "M")
    except QRTooLarge:
        return None


def symbols(text: str) -> float | None:
    """How many symbols of at most version 25 at M carry the text (None: more than 16)."""
    try:
        return len(split_for_qr(text, "M", max_version=PRINT_VERSION))
    except QRTooLarge:
        return None


def size_rows(label: str, document: dict) -> list[Row]:
    text = encode_text(document)
    return [
        (f"{label} (JCS {len(canonicalize(document))} B): characters vs v25-M holds", len(text),
         capacity(PRINT_VERSION, "M"), "ch"),
        ("  QR version of one symbol at M vs v25", one_version(text), PRINT_VERSION, "v"),
        ("  symbols of at most v25-M vs one", symbols(text), 1, ""),
    ]


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args(argv)

    worlds = {persona: build_world(persona, NOW) for persona in PERSONAS}
    ria = worlds["ria"]
    bekwaam = next(e for e in ria.endorsements if e["type"][-1] == "AantoonbaarBekwaamCredential")
    one = present([bekwaam], ria.holder, now=NOW, challenge="c-bench-1", domain="werkgever.example")
    rows: list[Row] = []

    seen: set[str] = set()
    for persona, world in worlds.items():  # one of each endorsement kind, in persona order
        for credential in world.endorsements:
            kind = credential["type"][-1]
            if kind not in seen:
                seen.add(kind)
                rows += size_rows(f"single {kind} ({persona})", credential)
    for persona, world in worlds.items():
        rows += size_rows(f"{persona}'s profile, all entries", world.profile)

    rows += size_rows("presentation of 1 AantoonbaarBekwaam + holder proof", one)
    plain = "PP2:" + b45encode(zlib.compress(canonicalize(one), 9))
    rows.append(("  plain zlib (no dictionary) chars vs PP2", len(plain), len(encode_text(one)), "ch"))

    for persona, world in worlds.items():
        everything = present([world.profile, *world.endorsements], world.holder, now=NOW, challenge="c-bench-1",
                             domain="werkgever.example")
        rows += size_rows(f"{persona}'s full share (profile + {len(world.endorsements)} endorsements)", everything)

    with tempfile.TemporaryDirectory() as folder:
        for persona, world in worlds.items():
            profile = sign(select_profile(world.profile), world.holder, created=NOW)
            printed = export_pdf(profile_parts(profile, world.holder, now=NOW), world.endorsements, lang="nl",
                                 path=f"{folder}/{persona}.pdf", now=NOW)
            documents = len({code.credential_id for code in printed.codes})
            rows += [
                (f"{persona}'s printed passport: symbols ({documents} documents, {printed.pages} pages) vs documents",
                 len(printed.codes), documents, ""),
                ("  highest QR version on the pages vs v25", max(code.version for code in printed.codes),
                 PRINT_VERSION, "v"),
                ("  smallest module vs 0.6 mm", min(code.module_mm for code in printed.codes), 0.6, "mm"),
            ]

    text = encode_text(one)
    series = split_for_qr(text)
    pngs = [png_bytes(part) for part in series]
    assert read_documents(pngs[::-1]) == [one] and decode_text(text) == one
    encode = per_call(lambda: encode_text(one), args.seconds)
    decode = per_call(lambda: decode_text(text), args.seconds)
    render_one = per_call(lambda: png_bytes(text), args.seconds)
    render_series = per_call(lambda: [png_bytes(part) for part in split_for_qr(encode_text(one))], args.seconds)
    read_series = per_call(lambda: read_documents(pngs[::-1]), args.seconds)
    rows += [
        ("1-endorsement VP: encode_text vs decode_text", encode * 1e3, decode * 1e3, "ms"),
        ("  document -> one PNG (fixed mask) vs target", render_one * 1e3, 30.0, "ms"),
        (f"  document -> {len(series)} v25 PNGs (Structured Append) vs target", render_series * 1e3, 30.0, "ms"),
        (f"  {len(series)} PNGs, reverse order -> document vs target", read_series * 1e3, 5.0 * len(series), "ms"),
    ]
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
