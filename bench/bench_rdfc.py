"""Benchmark: eddsa-rdfc-2022 verify, ours against node's Digital Bazaar stack, in the same run.

Issue 13's target: verifying the W3C rdfc vector and a typical Paspoort endorsement takes at
most 1.0x the time of node with ``@digitalbazaar/eddsa-rdfc-2022-cryptosuite`` (and
``data-integrity``, ``jsonld-signatures``; pinned in tests/interop/package-lock.json, installed
by ``npm ci --prefix tests/interop``). For each input three rows: ours and node's each against
a raw libsodium Ed25519 verify, then ours against node (ratio = ours / node; the target is
<= 1.00). Node reads the same contexts as we do (our shipped files, passed on stdin) and
resolves the same did:key; nothing is fetched. Both figures are warm CPU time of the whole
process per verify (Python: ``time.process_time``; node: ``process.cpuUsage`` after a
warm-up, see tests/interop/eddsa-rdfc.js), the median of five rounds. When node or its
packages are missing the node rows say so. Then the steps of ours (strict expansion, RDFC-1.0)
and jcs on the same endorsement. The W3C rows need the published vectors (for the W3C
examples context); without them they are left out.

    python bench/bench_rdfc.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import nacl.signing

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # tests/interop: the node side
from fixtures import endorsement_fixture  # noqa: E402
from interop import dbstack  # noqa: E402

from passport import jsonld  # noqa: E402
from passport.demo.world import load_keys  # noqa: E402
from passport.proofs.proof import sign, unsecured, verify_proof  # noqa: E402
from common import print_rows, per_call  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
VECTORS = Path(os.environ.get("PASPOORT_VECTORS") or ROOT.parent / "shared" / "vectors")
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
Row = tuple[str, "float | None", float, str]


def compare(name: str, ours: Callable[[], object], document: dict[str, Any], raw: float, seconds: float,
            extra_contexts: dict[str, Any] | None = None) -> list[Row]:
    """Three rows for one input: ours vs raw, node vs raw, ours vs node (or why node is missing)."""
    mine = per_call(ours, seconds, time.process_time) * 1e6
    rows: list[Row] = [(f"rdfc verify, {name}: ours", mine, raw, " us")]
    missing = dbstack.unavailable()
    if missing is None:
        try:
            node = dbstack.time_verify(document, seconds, extra_contexts=extra_contexts) * 1e6
        except dbstack.NodeFailed as exc:
            missing = f"node failed: {str(exc).splitlines()[-1]}"
    if missing is not None:
        return rows + [(f"rdfc verify, {name}: node not measurable ({missing})", None, raw, " us")]
    return rows + [(f"rdfc verify, {name}: node", node, raw, " us"),
                   (f"rdfc verify, {name}: ours vs node (target <= 1.00)", mine, node, " us")]


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args(argv)
    cpu = time.process_time

    signing = nacl.signing.SigningKey(b"\x07" * 32)
    message = os.urandom(64)
    signature = signing.sign(message).signature
    raw = per_call(lambda: signing.verify_key.verify(message, signature), args.seconds, cpu) * 1e6
    rows: list[Row] = [("raw Ed25519 verify (libsodium)", raw, raw, " us")]

    vector = VECTORS / "w3c-vc-di-eddsa" / "eddsa-rdfc-2022" / "signedDataInt.json"
    if vector.is_file():
        examples = {EXAMPLES_CONTEXT: json.loads(
            (VECTORS / "contexts" / "credentials-examples-v2.jsonld").read_text(encoding="utf-8"))}
        loader = jsonld.DocumentLoader(examples)
        signed_vector = json.loads(vector.read_text(encoding="utf-8"))
        rows += compare("W3C vector", lambda: verify_proof(signed_vector, expected_purpose="assertionMethod",
                                                           document_loader=loader),
                        signed_vector, raw, args.seconds, examples)
    else:
        print(f"(W3C vector rows left out: no published vectors at {VECTORS})")

    fx = endorsement_fixture(NOW)
    issuer_key = next(key for key in load_keys().values()
                      if key.verification_method == fx.typical["proof"]["verificationMethod"])
    typical_rdfc = sign(unsecured(fx.typical), issuer_key, created="2026-11-23T12:00:00Z",
                        cryptosuite="eddsa-rdfc-2022")
    size = len(json.dumps(unsecured(fx.typical), separators=(",", ":")).encode())
    rows += compare(f"endorsement {size} B", lambda: verify_proof(typical_rdfc, expected_purpose="assertionMethod"),
                    typical_rdfc, raw, args.seconds)

    body = unsecured(typical_rdfc)
    rows += [
        ("  ours: strict expansion", per_call(lambda: jsonld.expand(body), args.seconds, cpu) * 1e6, raw, " us"),
        ("  ours: RDFC-1.0 (expand+canonize)", per_call(lambda: jsonld.canonize(body), args.seconds, cpu) * 1e6,
         raw, " us"),
        ("jcs verify, same endorsement", per_call(lambda: verify_proof(fx.typical, expected_purpose="assertionMethod"),
                                                  args.seconds, cpu) * 1e6, raw, " us"),
    ]
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
