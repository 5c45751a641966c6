"""Benchmark: the issuer service over HTTP (gunicorn, 2 workers, 127.0.0.1) with SQLite and PostgreSQL.

Figures (issue 4): issued credentials per second over HTTP (target >= 500/s with SQLite on a
2-core machine) against ``passport.sign`` called directly in the same run; the cost of a revoke
with 1k and with 100k indexes allocated in the list (should be flat); the cost of a cached
status list request answered 304 (well under a millisecond in the app; plus one HTTP round trip).

    python bench/bench_issuer.py [--requests 2000] [--clients 8] [--no-postgres]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passport import sign  # noqa: E402
from passport.crypto.keys import Ed25519Key  # noqa: E402
from common import print_rows  # noqa: E402
from services import Gunicorn  # noqa: E402

PG_URL = os.environ.get("PASPOORT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EXAMPLE = ROOT / "examples" / "ria" / "endorsements" / "bhv-certificaat.json"


def submitted_credential() -> dict:
    credential = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    credential.pop("issuer")
    credential.pop("id")
    return credential


class Deployment:
    """A key, a migrated database, an admin token and (optionally) a gunicorn server."""

    def __init__(self, folder: Path, database_url: str, schema: str | None = None) -> None:
        self.folder, self.schema = folder, schema
        self.key_file = folder / "key.json"
        if not self.key_file.exists():
            Ed25519Key.generate().save(str(self.key_file))
        self.env = {"PASPOORT_ISSUER_KEY_FILE": str(self.key_file),
                    "PASPOORT_ISSUER_DATABASE_URL": database_url, "PASPOORT_ISSUER_NAME": "Bench ROC",
                    "PASPOORT_ISSUER_BASE_URL": "https://issuer.example"}
        self.config = {"KEY_FILE": str(self.key_file), "DATABASE_URL": database_url, "DB_SCHEMA": schema,
                       "NAME": "Bench ROC", "BASE_URL": "https://issuer.example"}
        if schema:
            self.env["PGOPTIONS"] = f"-csearch_path={schema}"
        from issuer_service import create_app
        from issuer_service.auth import create_token
        from issuer_service.cli import init_db
        self.app = create_app(self.config)
        init_db(self.app)
        with self.app.extensions["paspoort_issuer_db"].transaction() as session:
            _, self.token = create_token(session, name="bench", role="admin", types=None, scopes=None,
                                         expires_days=1, now=datetime.now(timezone.utc))
        self.server: Gunicorn | None = None
        self.base = ""

    def start(self, workers: int = 2) -> None:
        self.server = Gunicorn("issuer_service:create_app()", self.env, self.folder / "gunicorn.log", workers=workers)
        self.server.start()
        self.base = self.server.base

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        self.app.extensions["paspoort_issuer_db"].dispose()


def issue_over_http(base: str, token: str, total: int, clients: int) -> tuple[float, list[dict]]:
    """Credentials per second for ``total`` issue requests from ``clients`` threads."""
    body = json.dumps({"credential": submitted_credential()})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    issued: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = total // clients

    def client() -> None:
        with requests.Session() as session:
            for _ in range(per_client):
                response = session.post(base + "/credentials/issue", data=body, headers=headers, timeout=30)
                if response.status_code != 201:
                    errors.append(response.text[:200])
                    return
                with lock:
                    issued.append(response.json()["verifiableCredential"])

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"issuing failed: {errors[0]}")
    return len(issued) / elapsed, issued


def direct_sign_rate(seconds: float = 1.5) -> float:
    """``passport.sign`` of the same credential (with status entries), per second, one core."""
    key = Ed25519Key(b"\x09" * 32)
    credential = submitted_credential()
    credential.update({"issuer": key.did, "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
                       "credentialStatus": [{"id": "https://issuer.example/status-lists/1#5", "type":
                                             "BitstringStatusListEntry", "statusPurpose": "revocation",
                                             "statusListIndex": "5",
                                             "statusListCredential": "https://issuer.example/status-lists/1"}]})
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        sign(credential, key, created="2026-11-23T12:00:00Z")
        count += 1
    return count / (time.perf_counter() - start)


def revoke_cost(deployment: Deployment, allocated: int, samples: int = 40) -> float:
    """Median seconds per revoke (service call, one transaction) with ``allocated`` indexes taken."""
    from sqlalchemy import func, insert, select

    from issuer_service.auth import ROLE_TYPES, Staff
    from issuer_service.models import StatusAllocation, StatusList
    issuer = deployment.app.extensions["paspoort_issuer"]
    staff = Staff(token_id=0, name="bench", role="admin", types=ROLE_TYPES["admin"], scopes=None)
    now = datetime.now(timezone.utc)
    credentials = [issuer.issue(staff, submitted_credential(), None, now)["id"] for _ in range(samples)]
    with issuer.db.transaction() as session:
        list_id = session.scalar(select(StatusList.id).where(StatusList.purpose == "revocation")
                                 .order_by(StatusList.id).limit(1))
        taken = set(session.scalars(select(StatusAllocation.idx).where(StatusAllocation.list_id == list_id)))
        missing = max(0, allocated - len(taken))
        filler = [index for index in range(131_072) if index not in taken][:missing]
        for chunk in range(0, len(filler), 5000):
            session.execute(insert(StatusAllocation), [{"list_id": list_id, "idx": index, "credential_id": "filler"}
                                                        for index in filler[chunk:chunk + 5000]])
        count = session.scalar(select(func.count()).select_from(StatusAllocation)
                               .where(StatusAllocation.list_id == list_id))
    times = []
    for credential_id in credentials:
        start = time.perf_counter()
        issuer.update_status(staff, credential_id, "revoke", "bench", datetime.now(timezone.utc))
        times.append(time.perf_counter() - start)
    assert count >= allocated
    return statistics.median(times)


def not_modified_cost(deployment: Deployment, url_path: str, rounds: int = 2000) -> tuple[float, float]:
    """(in-app seconds, HTTP round-trip seconds) of a 304 answer to If-None-Match."""
    client = deployment.app.test_client()
    etag = client.get(url_path).headers["ETag"]
    assert client.get(url_path, headers={"If-None-Match": etag}).status_code == 304
    start = time.perf_counter()
    for _ in range(rounds):
        client.get(url_path, headers={"If-None-Match": etag})
    in_app = (time.perf_counter() - start) / rounds
    with requests.Session() as session:
        times = []
        for _ in range(300):
            begin = time.perf_counter()
            response = session.get(deployment.base + url_path, headers={"If-None-Match": etag}, timeout=10)
            times.append(time.perf_counter() - begin)
            assert response.status_code == 304
    return in_app, statistics.median(times)


def postgres_schema() -> str | None:
    try:
        from sqlalchemy import create_engine, text
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        schema = f"issuer_bench_{os.getpid()}"
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        return schema
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: report and skip that row
        print(f"PostgreSQL not available: {str(exc).splitlines()[0]}", file=sys.stderr)
        return None


def drop_schema(schema: str) -> None:
    from sqlalchemy import create_engine, text
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)

    sign_rate = direct_sign_rate()
    rows: list[tuple[str, float, float, str]] = [("passport.sign directly (one core)", sign_rate, sign_rate, "/s")]
    folder = Path(tempfile.mkdtemp(prefix="issuer-bench-"))
    try:
        sqlite = Deployment(folder, f"sqlite:///{folder / 'issuer.sqlite3'}")
        try:
            sqlite.start(args.workers)
            issue_over_http(sqlite.base, sqlite.token, 100, args.clients)  # warm-up
            rate, issued = issue_over_http(sqlite.base, sqlite.token, args.requests, args.clients)
            rows.append((f"issue over HTTP, SQLite, gunicorn {args.workers} workers, {args.clients} clients",
                         rate, sign_rate, "/s"))
            list_path = issued[0]["credentialStatus"][0]["statusListCredential"].split("issuer.example", 1)[1]
            in_app, http = not_modified_cost(sqlite, list_path)
            rows.append(("status list 304 (If-None-Match), in the app", in_app * 1e3, 1.0, "ms"))
            rows.append(("status list 304 (If-None-Match), HTTP round trip", http * 1e3, 1.0, "ms"))
        finally:
            sqlite.stop()
        (folder / "revoke").mkdir()
        revoke_db = Deployment(folder / "revoke", f"sqlite:///{folder / 'revoke.sqlite3'}")
        try:
            small = revoke_cost(revoke_db, 1_000)
            large = revoke_cost(revoke_db, 100_000)
        finally:
            revoke_db.stop()
        rows.append(("revoke, 1k indexes allocated in the list (SQLite)", small * 1e3, small * 1e3, "ms"))
        rows.append(("revoke, 100k indexes allocated in the list (SQLite)", large * 1e3, small * 1e3, "ms"))
        schema = None if args.no_postgres else postgres_schema()
        if schema:
            try:
                (folder / "pg").mkdir()
                pg = Deployment(folder / "pg", PG_URL, schema)
                try:
                    pg.start(args.workers)
                    issue_over_http(pg.base, pg.token, 100, args.clients)
                    rate, _ = issue_over_http(pg.base, pg.token, args.requests, args.clients)
                    rows.append((f"issue over HTTP, PostgreSQL, gunicorn {args.workers} workers, {args.clients} "
                                 "clients", rate, sign_rate, "/s"))
                    small = revoke_cost(pg, 1_000)
                    large = revoke_cost(pg, 100_000)
                    rows.append(("revoke, 1k indexes allocated in the list (PostgreSQL)", small * 1e3, small * 1e3,
                                 "ms"))
                    rows.append(("revoke, 100k indexes allocated in the list (PostgreSQL)", large * 1e3,
                                 small * 1e3, "ms"))
                finally:
                    pg.stop()
            finally:
                drop_schema(schema)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_rows(rows)
    return rows


if __name__ == "__main__":
    main()
