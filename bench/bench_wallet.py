"""Benchmark: opening the wallet against the raw Argon2id call with the same parameters.

Opening is dominated by Argon2id by design (issue 3). Both are measured in the same run on the
same machine, for the production profile (libsodium MODERATE) and for INTERACTIVE; the script
prints the parameters and the ratio. Saving reuses the derived key, so it costs no Argon2id.

    python bench/bench_wallet.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone

import nacl.pwhash.argon2id as argon2id

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from passport.demo.world import build_world  # noqa: E402
from passport.wallet import crypto, inbox, profile  # noqa: E402
from passport.wallet.store import Wallet  # noqa: E402
from common import print_rows  # noqa: E402

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
PASSPHRASE = "correct horse battery staple"


def timed(function, rounds: int) -> float:
    """Median seconds of ``rounds`` calls (after one warm-up call)."""
    return paired([function], rounds)[0]


def paired(functions, rounds: int) -> list[float]:
    """Median seconds per function, calls interleaved (order alternating) so load hits all alike."""
    for function in functions:
        function()
    samples: list[list[float]] = [[] for _ in functions]
    order = list(enumerate(functions))
    for _ in range(rounds):
        for index, function in order:
            start = time.perf_counter()
            function()
            samples[index].append(time.perf_counter() - start)
        order.reverse()  # the first call after a large free pays more page faults: alternate
    return [statistics.median(times) for times in samples]


def filled_wallet(folder: str, kdf_profile: str) -> Wallet:
    world = build_world("ria", NOW)
    wallet = Wallet.create(os.path.join(folder, f"{kdf_profile}.wallet"), PASSPHRASE, holder_key=world.holder,
                           now=NOW, kdf_profile=kdf_profile)
    profile.set_profile(wallet, profile.load_source(os.path.join(os.path.dirname(__file__), "..", "examples", "ria",
                                                                 "profile.yaml")), now=NOW)
    for credential in world.endorsements:
        inbox.import_credential(wallet, credential, now=NOW, source="bench")
    wallet.save()
    return wallet


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in ("moderate", "interactive"):
            ops, mem = crypto.PROFILES[name]
            wallet = filled_wallet(folder, name)
            salt = os.urandom(argon2id.SALTBYTES)
            raw, opened = paired([
                lambda: argon2id.kdf(32, PASSPHRASE.encode(), salt, opslimit=ops, memlimit=mem),
                lambda: Wallet.open(wallet.path, PASSPHRASE),
            ], args.rounds)
            size = os.path.getsize(wallet.path)
            label = f"{name}: opslimit {ops}, memlimit {mem // 1024 // 1024} MiB"
            rows.append((f"raw Argon2id ({label})", raw * 1e3, raw * 1e3, "ms"))
            rows.append((f"  open wallet ({size // 1024} KB, 6 endorsements) vs raw", opened * 1e3, raw * 1e3, "ms"))
            saved = timed(wallet.save, args.rounds)
            rows.append(("  save wallet (atomic write + fsync) vs raw", saved * 1e3, raw * 1e3, "ms"))
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
