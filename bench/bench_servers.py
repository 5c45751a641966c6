"""Benchmark: the HTTP server in front of the services - gunicorn (sync, gthread) against granian.

Same app, same number of worker processes (one per core), same cores, same load generator
(``http_load``: raw sockets, HTTP/1.1, ``--clients`` concurrent clients in a process of its own)
for each server set-up of ``services.SERVER_KINDS``:

- the issuer: ``POST /credentials/issue`` (admin token, SQLite, the set-up of ``bench_issuer.py``),
  every request a new credential written to the database;
- the bare Flask app (``bare_app.py``) on the same path: what the server and Flask cost alone.

Each set-up is loaded with a new connection per request and with persistent connections (sync
gunicorn closes every connection, so only the first). Per set-up: requests/s against gunicorn
sync's in the same run, the workers' CPU per request (from /proc) against gunicorn sync's, the
bare app's worker CPU per request, and p50 and p99 latency. The verifier's figures under the
same set-ups are in ``bench_verifier.py``.

    python bench/bench_servers.py [--seconds 6] [--clients 16]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_issuer import Deployment, submitted_credential  # noqa: E402
from common import print_rows  # noqa: E402
from server_load import Load, measure  # noqa: E402
from services import serve  # noqa: E402

SETUPS = [("gunicorn sync", False), ("gunicorn gthread", False), ("gunicorn gthread", True), ("granian", False),
          ("granian", True), ("granian 1 thread", False), ("granian 1 thread", True)]
PATH = "/credentials/issue"


def issuer_loads(folder: Path, kind: str, keep_alive: bool, cores: int, clients: int, seconds: float,
                 rounds: int) -> dict[str, Load]:
    """The issuer and the bare app under ``kind``, loaded in turn ``rounds`` times; per app the
    run whose workers spent the least CPU per request (and its requests/s)."""
    deployment = Deployment(folder, f"sqlite:///{folder / 'issuer.sqlite3'}")
    payload = json.dumps({"credential": submitted_credential()}).encode()
    headers = (("Authorization", f"Bearer {deployment.token}"),)
    servers = {}
    try:
        servers["issuer"] = serve(kind, "issuer_service:create_app()", deployment.env, folder / "issuer.log",
                                  workers=cores)
        servers["bare"] = serve(kind, "bench.bare_app:create_app()", {}, folder / "bare.log", workers=cores)
        runs: dict[str, list[Load]] = {}
        for _ in range(rounds):
            for app, server in servers.items():
                runs.setdefault(app, []).append(measure(
                    server.port, server.process.pid, payload, clients, seconds / rounds, 10 ** 6, keep_alive,
                    path=PATH, headers=headers, expect=201 if app == "issuer" else 200))
    finally:
        for server in servers.values():
            server.stop()
        deployment.stop()
    return {app: min(loads, key=lambda load: load.worker_cpu_ms) for app, loads in runs.items()}


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="load seconds per app and set-up")
    parser.add_argument("--rounds", type=int, default=2, help="load runs per app, in turn")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (default 8 per core)")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    clients = args.clients or 8 * cores
    results = []
    folder = Path(tempfile.mkdtemp(prefix="servers-bench-"))
    try:
        for number, (kind, keep_alive) in enumerate(SETUPS):
            (folder / str(number)).mkdir()
            results.append((kind, keep_alive, issuer_loads(folder / str(number), kind, keep_alive, cores, clients,
                                                           args.seconds, args.rounds)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    reference = results[0][2]  # gunicorn sync
    rows = []
    for kind, keep_alive, loads in results:
        issuer, bare = loads["issuer"], loads["bare"]
        label = f"{kind} -w {cores}, {'persistent connections' if keep_alive else 'new connection per request'}"
        rows += [
            (f"POST {PATH} (SQLite), {label}, {clients} clients, vs gunicorn sync", issuer.rps,
             reference["issuer"].rps, "req/s"),
            ("  worker CPU per issue request vs gunicorn sync's", issuer.worker_cpu_ms,
             reference["issuer"].worker_cpu_ms, "ms"),
            ("  worker CPU per request of the bare Flask app vs gunicorn sync's", bare.worker_cpu_ms,
             reference["bare"].worker_cpu_ms, "ms"),
            ("  p50 latency vs gunicorn sync's", issuer.p50_ms, reference["issuer"].p50_ms, "ms"),
            ("  p99 latency vs gunicorn sync's", issuer.p99_ms, reference["issuer"].p99_ms, "ms"),
        ]
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
