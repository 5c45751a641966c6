"""Benchmark: the OpenID4VP round trip of a 10-endorsement answer, against the library's verify.

Ria's demo world (her profile and 10 endorsements, as ``bench_verifier.fixtures`` makes them), a
verifier under gunicorn on 127.0.0.1 (gthread workers, one per core, offline status bundle). Each
round: ``POST /challenges`` (not timed), then, timed, what a wallet and the page do: fetch the
request object and check its signature (``passport.wallet.oid4vp.fetch_request``), sign one
presentation per credential (11), encrypt and POST them (``direct_post.jwt``), and the page's read
of the result with its read token. Reference, in the same run: the library's ``verify`` of the
same 11 presentations (what the verifier must do at least). Rows: p50 and p99 of the round
trip, and the wallet's signing alone.

    python bench/bench_oid4vp.py [--rounds 40]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passport import StatusSource, present, verify  # noqa: E402
from passport.encoding.timeutil import format_datetime  # noqa: E402
from passport.format.documents import PROFILE_TYPE, paspoort_type  # noqa: E402
from passport.roles.dcql import PROFILE_QUERY, query_id_for  # noqa: E402
from passport.wallet.oid4vp import fetch_request, send  # noqa: E402
from bench_verifier import fixtures, post  # noqa: E402
from services import Gunicorn, free_port  # noqa: E402


def start(folder: str, signer: str, cores: int) -> Gunicorn:
    port = free_port()
    env = {"PASPOORT_VERIFIER_TRUST_REGISTRIES": f"{folder}/registry.json",
           "PASPOORT_VERIFIER_TRUST_SIGNERS": signer,
           "PASPOORT_VERIFIER_OFFLINE_BUNDLE": f"{folder}/bundle.json",
           "PASPOORT_VERIFIER_DATABASE_URL": f"sqlite:///{folder}/verifier.sqlite3",
           "PASPOORT_VERIFIER_DOMAIN": "127.0.0.1", "PASPOORT_VERIFIER_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    server = Gunicorn("verifier_service:create_app()", env, Path(folder) / "gunicorn.log", port=port, workers=cores,
                      options=("--worker-class", "gthread", "--threads", "4", "--worker-tmp-dir", "/dev/shm"))
    server.start(timeout=30)
    return server


def vp_token(credentials, holder, nonce: str, client_id: str) -> dict:
    token: dict = {}
    for credential in credentials:
        kind = paspoort_type(credential)
        query = PROFILE_QUERY if kind == PROFILE_TYPE else query_id_for(kind)
        token.setdefault(query, []).append(present([credential], holder, now=datetime.now(timezone.utc),
                                                   challenge=nonce, domain=client_id))
    return token


def result(port: int, created: dict) -> dict:
    asked = urllib.request.Request(f"http://127.0.0.1:{port}{created['statusUrl']}",
                                   headers={"Authorization": f"Bearer {created['readToken']}"})
    with urllib.request.urlopen(asked, timeout=30) as response:
        return json.loads(response.read())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc)
    world, _plain, ten = fixtures(now)
    credentials = [world.profile, *ten]
    trust, status = world.trust(), StatusSource(world.status_documents)
    trips, signing, library = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "registry.json").write_text(json.dumps(world.registry))
        Path(folder, "bundle.json").write_text(json.dumps({"created": format_datetime(now),
                                                           "statusLists": world.status_documents}))
        server = start(folder, world.keys["registry"].did, os.cpu_count() or 1)
        try:
            for _ in range(args.rounds + 2):  # two warm-up rounds
                _, created = post(server.port, "/challenges", {})
                begin = time.perf_counter()
                request = fetch_request(created["requestUrl"], now=datetime.now(timezone.utc))
                signed = time.perf_counter()
                token = vp_token(credentials, world.holder, request.nonce, request.client_id)
                signed = time.perf_counter() - signed
                code, reply = send(request, token)
                answer = result(server.port, created)
                trips.append(time.perf_counter() - begin)
                signing.append(signed)
                assert code == 200 and reply["verified"] and answer["status"] == "answered", (code, reply)
                begin = time.perf_counter()
                for presentations in token.values():
                    for presentation in presentations:
                        verify(presentation, now=datetime.now(timezone.utc), trust=trust, status=status,
                               challenge=request.nonce, domain=request.client_id)
                library.append(time.perf_counter() - begin)
        finally:
            server.stop()
    trips, signing, library = trips[2:], signing[2:], library[2:]
    reference = statistics.median(library) * 1e3
    rows = [("OpenID4VP round trip, profile + 10 endorsements (direct_post.jwt): p50 vs library verify of the "
             "same 11 presentations", statistics.median(trips) * 1e3, reference, "ms"),
            ("  p99 of the round trip", percentile(trips, 0.99) * 1e3, reference, "ms"),
            ("  of which the wallet signs the 11 presentations (p50)", statistics.median(signing) * 1e3, reference,
             "ms")]
    for name, value, ref, unit in rows:
        print(f"{name:100} {value:9.3g}{unit:>3} {ref:9.3g}{unit:>3} {value / ref:6.2f}")
    return rows


if __name__ == "__main__":
    main()
