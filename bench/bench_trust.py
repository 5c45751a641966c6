"""Benchmark: loading a trust registry of 10,000 issuers, against ``json.loads`` of the same file.

Issue 14: loading (strict parse, proof, every entry checked; ``trust.load_registry``) at most
2x ``json.loads`` of the file's bytes. The registry is ``fixtures.registry_fixture``: the demo
registry's entries and copies of them, each with its own DID, name and status list location,
signed and written as the project writes files (``jsonio.dumps_pretty``). CPU time of this
thread, as ``bench_verify``; each figure side by side with its reference (``common.paired``).

    python bench/bench_trust.py [--seconds 4]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import paired, print_rows  # noqa: E402
from fixtures import registry_fixture  # noqa: E402

from passport.format.trust import TrustRegistry, load_registry  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args(argv)

    fx = registry_fixture(NOW)
    signers = frozenset({fx.signer})
    cpu = time.thread_time
    registry = load_registry(fx.data, trusted_signers=signers, now=NOW)
    assert len(registry.entries) == fx.issuers
    load, plain = paired(lambda: load_registry(fx.data, trusted_signers=signers, now=NOW),
                         lambda: json.loads(fx.data), args.seconds, cpu, rounds=7)
    document = json.loads(fx.data)
    eager, plain_eager = paired(lambda: TrustRegistry.from_credential(document, trusted_signers=signers, now=NOW),
                                lambda: json.loads(fx.data), args.seconds, cpu, rounds=5)
    size = f"{len(fx.data) / 1e6:.1f} MB"
    rows = [
        (f"load trust registry of {fx.issuers} issuers from its file ({size}) vs json.loads (target 2)",
         load * 1e3, plain * 1e3, "ms"),
        ("  from_credential of the parsed registry (every entry parsed at once) vs json.loads", eager * 1e3,
         plain_eager * 1e3, "ms"),
    ]
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
