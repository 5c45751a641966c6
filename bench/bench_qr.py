"""Benchmark: QR rendering and reading of presentations (PP3 text), with PP2 beside it.

Targets (issue 3): a presentation of one AantoonbaarBekwaam endorsement renders to PNG in at
most 30 ms and decodes in at most 5 ms; with the holder proof it fits one QR code at error
correction M at version 25 or below. Rendering and reading are compared with qrcode's default
path (automatic mask selection, box size 10, its PIL image) and zxing-cpp on that reference
PNG, measured in the same run. Versions and base45 lengths (PP3 against PP2, the previous
text form) are printed for presentations of 1, 2 and 3 endorsements of the demo persona Ria,
a compact certificate, and the six held-out AantoonbaarBekwaam credentials of
``tests/pp3_heldout.py`` that the PP3 model never saw. "re-encode" is what checking that a PP3
text is the canonical one for its document would add to a decode (SPEC 16: not done).

    python bench/bench_qr.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import copy
import io
import sys
import zlib
from pathlib import Path
from datetime import UTC, datetime

import qrcode

from passport import present
from passport.demo.world import build_world
from passport.errors import QRTooLarge
from passport.jcs import canonicalize
from passport.qr import capacity, decode_image, read_document, render_png, version_for
from passport.qrtext import b45encode, decode_text, encode_text, encode_text_pp2
from common import print_rows, per_call  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pp3_heldout  # noqa: E402  (held-out credentials: a test fixture module, reused here)

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
TARGET_VERSION = 25


def png_bytes(text: str) -> bytes:
    out = io.BytesIO()
    render_png(text, out)
    return out.getvalue()


def reference_png(text: str) -> bytes:
    """qrcode's default path: automatic version and mask selection, box size 10."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> list[tuple[str, float | None, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args(argv)

    world = build_world("ria", NOW)
    kind = {e["id"]: e["type"][-1] for e in world.endorsements}
    bekwaam = [e for e in world.endorsements if kind[e["id"]] == "AantoonbaarBekwaamCredential"]
    others = [e for e in world.endorsements if kind[e["id"]] == "CertificaatCredential"]
    chosen = (bekwaam + others)[:3]

    def presentation(count: int) -> dict:
        return present(chosen[:count], world.holder, now=NOW, challenge="c-bench-1", domain="werkgever.example")

    one = presentation(1)
    text = encode_text(one)
    png = png_bytes(text)
    ref_png = reference_png(text)
    pp2_text = encode_text_pp2(one)
    pp2_png = png_bytes(pp2_text)
    assert read_document(png) == one and decode_image(ref_png) == [text] and read_document(pp2_png) == one

    render = per_call(lambda: png_bytes(text), args.seconds)
    render_doc = per_call(lambda: png_bytes(encode_text(one)), args.seconds)
    render_pp2 = per_call(lambda: png_bytes(encode_text_pp2(one)), args.seconds)
    reference_render = per_call(lambda: reference_png(text), args.seconds)
    decode = per_call(lambda: decode_image(png), args.seconds)
    decode_doc = per_call(lambda: read_document(png), args.seconds)
    decode_pp2 = per_call(lambda: read_document(pp2_png), args.seconds)
    reference_decode = per_call(lambda: decode_image(ref_png), args.seconds)
    text_only = per_call(lambda: decode_text(text), args.seconds)
    text_only_pp2 = per_call(lambda: decode_text(pp2_text), args.seconds)
    encode_only = per_call(lambda: encode_text(one), args.seconds)
    encode_only_pp2 = per_call(lambda: encode_text_pp2(one), args.seconds)

    rows: list[tuple[str, float | None, float, str]] = [
        ("render 1-endorsement VP PP3 text -> PNG (fixed mask) vs qrcode default", render * 1e3, reference_render * 1e3, "ms"),
        ("  same from the document (+ PP3 encode, base45) vs target", render_doc * 1e3, 30.0, "ms"),
        ("  PP2: from the document vs PP3", render_pp2 * 1e3, render_doc * 1e3, "ms"),
        ("decode that PNG -> text (zxing-cpp) vs reference PNG", decode * 1e3, reference_decode * 1e3, "ms"),
        ("  same to the document (+ PP3 decode, check) vs target", decode_doc * 1e3, 5.0, "ms"),
        ("  + re-encode for a uniqueness check (not done) vs target", (decode_doc + encode_only) * 1e3, 5.0, "ms"),
        ("  PP2: PNG to the document vs PP3", decode_pp2 * 1e3, decode_doc * 1e3, "ms"),
        ("PP3 decode_text alone vs PP2 decode_text", text_only * 1e3, text_only_pp2 * 1e3, "ms"),
        ("PP3 encode_text alone vs PP2 encode_text", encode_only * 1e3, encode_only_pp2 * 1e3, "ms"),
    ]
    compact = world.issue(compact_aantoonbaar_bekwaam(bekwaam[0]))
    cases = [(f"{count} endorsement(s)", presentation(count)) for count in (1, 2, 3)]
    cases.append((f"1 compact AB ({len(canonicalize(compact))} B signed)",
                  present([compact], world.holder, now=NOW, challenge="c-bench-1", domain="werkgever.example")))
    cases += [(f"held-out AB {slug}", vp) for slug, vp in pp3_heldout.presentations()]
    for label, vp in cases:
        canonical = canonicalize(vp)
        vp_text, pp2 = encode_text(vp), encode_text_pp2(vp)
        pp1 = 4 + len(b45encode(zlib.compress(canonical, 9)))
        rows += [
            (f"{label}: PP3 QR version at M vs target (PP2: {_shown(qr_version(pp2))})",
             qr_version(vp_text), TARGET_VERSION, "v"),
            (f"  PP3 chars vs PP2 (JCS {len(canonical)} B; PP1 {pp1} ch; v25-M holds {capacity(TARGET_VERSION, 'M')})",
             len(vp_text), len(pp2), "ch"),
        ]

    print_rows(rows)
    return rows


def _shown(version: float | None) -> str:
    return "over v40" if version is None else f"v{version}"


def qr_version(text: str) -> float | None:
    try:
        return version_for(text, "M")
    except QRTooLarge:
        return None


def compact_aantoonbaar_bekwaam(signed: dict) -> dict:
    """The same certificate with every field the issue and schema require, and short prose:
    the 1.5 KB class the issue's size target was measured with (the showcase example carries
    long descriptions, a protocol, a location and an evidence narrative)."""
    unsigned = {key: value for key, value in copy.deepcopy(signed).items() if key not in ("proof", "credentialStatus")}
    subject = unsigned["credentialSubject"]
    achievement = subject["achievement"]
    achievement["description"] = achievement["description"].split(". ")[0] + "."
    achievement["criteria"] = {"narrative": achievement["criteria"]["narrative"].split(":")[0] + "."}
    subject["procedure"] = {key: subject["procedure"][key] for key in ("code", "name")}
    assessment = subject["assessment"]
    assessment["method"] = assessment["method"].split(":")[0]
    assessment.pop("location", None)
    unsigned["evidence"] = [{key: item[key] for key in ("type", "id", "digestMultibase") if key in item}
                            for item in unsigned["evidence"]]
    return unsigned


if __name__ == "__main__":
    main()
