"""Benchmark: the issuer service over HTTP (granian, the documented production server, 2 workers,
127.0.0.1) with SQLite (one blocking thread per worker) and PostgreSQL (four; decision 0184).

Figures (issue 14): issued credentials per second over HTTP from keep-alive clients in a process
of their own (targets: 1,000/s with SQLite, 600/s with PostgreSQL, on 2 cores shared with the
client), against ``passport.sign`` called directly in the same run and against the target; the
same under the other granian set-up and gunicorn (2 gthread workers) for comparison; the workers' CPU per issue request;
where an in-app issue request spends its time; a status list 304 against a 200 (in the app:
both from memory) and the gzip size against the plain size; the cost of a revoke with 1k and
with 100k indexes allocated in the list (should be flat).

The load generator is ``http_load`` (raw sockets, the request bytes built once): a client that
parses every answer costs about as much CPU as the service and measures itself. That every
request was issued once, at its own status position, is checked in the database after each run.

    python bench/bench_issuer.py [--seconds 6] [--clients 8] [--no-postgres]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passport import sign  # noqa: E402
from passport.crypto.keys import Ed25519Key  # noqa: E402
from common import per_call, print_rows  # noqa: E402
from server_load import Load, measure  # noqa: E402
from services import Gunicorn, serve  # noqa: E402

PG_URL = os.environ.get("PASPOORT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EXAMPLE = ROOT / "examples" / "ria" / "endorsements" / "bhv-certificaat.json"
TARGETS = {"SQLite": 1000.0, "PostgreSQL": 600.0}  # issued/s over HTTP, issue 14
DOCUMENTED = {"SQLite": "granian 1 thread", "PostgreSQL": "granian"}  # services.SERVER_KINDS, decision 0184


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

    def start(self, kind: str = "granian", workers: int = 2) -> None:
        """The service under ``kind`` (``services.SERVER_KINDS``: granian, or gunicorn gthread, which
        keeps connections alive; gunicorn sync closes each)."""
        self.server = serve(kind, "issuer_service:create_app()", self.env, self.folder / f"{kind}.log",
                            workers=workers)
        self.base = self.server.base

    def stored(self) -> tuple[int, int]:
        """(credentials stored, distinct status positions among them)."""
        from sqlalchemy import func, select

        from issuer_service.models import IssuedCredential as Credential
        with self.app.extensions["paspoort_issuer_db"].reading() as session:
            count = session.scalar(select(func.count()).select_from(Credential))
            positions = session.scalar(select(func.count()).select_from(
                select(Credential.status_list_id, Credential.status_index).distinct().subquery()))
        return count, positions

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        self.app.extensions["paspoort_issuer_db"].dispose()


def issue_load(deployment: Deployment, seconds: float, clients: int) -> Load:
    """Issue requests over keep-alive connections for ``seconds``; raises unless every answered
    request stored one credential at a status position of its own."""
    payload = json.dumps({"credential": submitted_credential()}).encode()
    headers = (("Authorization", f"Bearer {deployment.token}"),)
    before, _ = deployment.stored()
    load = measure(deployment.server.port, deployment.server.process.pid, payload, clients, seconds, 10 ** 7, True,
                   path="/credentials/issue", headers=headers, expect=201)
    count, positions = deployment.stored()
    if count - before != load.requests or positions != count:
        raise RuntimeError(f"{load.requests} issued, {count - before} stored, {positions} status positions "
                           f"for {count} credentials")
    return load


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
        list_id = session.scalar(select(StatusList.id).where(StatusList.purpose == "message")
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


def status_list_costs(deployment: Deployment, url_path: str) -> list[tuple[str, float, float, str]]:
    """A 304 against a 200 (in the app and over one keep-alive HTTP connection), gzip against plain size."""
    client = deployment.app.test_client()
    plain = client.get(url_path)
    etag = plain.headers["ETag"]
    assert client.get(url_path, headers={"If-None-Match": etag}).status_code == 304
    in_app_304 = per_call(lambda: client.get(url_path, headers={"If-None-Match": etag}), 1.0)
    in_app_200 = per_call(lambda: client.get(url_path), 1.0)
    packed = client.get(url_path, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    port = int(deployment.base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def over_http(headers: dict[str, str], status: int) -> None:
        connection.request("GET", url_path, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == status

    http_304 = per_call(lambda: over_http({"If-None-Match": etag}, 304), 1.0)
    http_200 = per_call(lambda: over_http({}, 200), 1.0)
    connection.close()
    return [("status list 304 (If-None-Match), in the app, vs a 200", in_app_304 * 1e3, in_app_200 * 1e3, "ms"),
            ("status list 304 over HTTP (keep-alive), vs a 200", http_304 * 1e3, http_200 * 1e3, "ms"),
            ("status list 200 gzipped size, vs plain", len(packed.get_data()), len(plain.get_data()), " B")]


def request_parts(deployment: Deployment) -> list[tuple[str, float, float, str]]:
    """Where an in-app issue request (Flask test client, no HTTP) spends its time: each part
    timed alone (thread CPU), against the whole request (the same person every time)."""
    from passport.format.vcdm import check_expansion
    from sqlalchemy import insert

    from issuer_service.models import AuditEntry
    issuer = deployment.app.extensions["paspoort_issuer"]
    client = deployment.app.test_client()
    body = json.dumps({"credential": submitted_credential()})
    headers = {"Authorization": f"Bearer {deployment.token}", "Content-Type": "application/json"}
    signed = client.post("/credentials/issue", data=body, headers=headers).get_json()["verifiableCredential"]
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    now = datetime.now(timezone.utc)
    request = per_call(lambda: client.post("/credentials/issue", data=body, headers=headers), 2.0, time.thread_time)
    expansion = per_call(lambda: check_expansion(unsigned, None), 1.0, time.thread_time)
    remembered = per_call(lambda: issuer.expansion.check(unsigned), 1.0, time.thread_time)
    signing = per_call(lambda: sign(unsigned, issuer.keyring.signer, created=now), 1.0, time.thread_time)
    cached = per_call(lambda: issuer.staff(f"Bearer {deployment.token}", now), 0.5, time.thread_time)
    uncached = per_call(lambda: issuer._read_staff(hashlib.sha256(deployment.token.encode()).hexdigest()), 0.5,
                        time.thread_time)

    def transaction() -> None:  # what the issue transaction does besides the credential insert
        with issuer.db.transaction() as session:
            session.execute(insert(AuditEntry), {"at": now, "actor": "bench", "action": "bench"})

    database = per_call(transaction, 1.0, time.thread_time)
    milliseconds = request * 1e3
    return [("in-app issue request (thread CPU)", milliseconds, milliseconds, "ms"),
            ("  of which strict JSON-LD check, remembered per shape (decision 0179)", remembered * 1e3,
             milliseconds, "ms"),
            ("strict JSON-LD expansion of a new shape (check_expansion), vs the request", expansion * 1e3,
             milliseconds, "ms"),
            ("  of which signing (eddsa-jcs-2022)", signing * 1e3, milliseconds, "ms"),
            ("  of which write transaction (one insert)", database * 1e3, milliseconds, "ms"),
            ("  of which token lookup, cached", cached * 1e3, milliseconds, "ms"),
            ("token lookup from the database (the cache's miss), vs cached", uncached * 1e3, cached * 1e3, "ms")]


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
    parser.add_argument("--seconds", type=float, default=6.0, help="load seconds per server and database")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)

    sign_rate = direct_sign_rate()
    rows: list[tuple[str, float, float, str]] = [("passport.sign directly (one core)", sign_rate, sign_rate, "/s")]

    def throughput(deployment: Deployment, name: str) -> None:
        documented = DOCUMENTED[name]  # the production command of the guide for this database (decision 0184)
        others = [kind for kind in ("granian", "granian 1 thread", "gunicorn gthread") if kind != documented]
        kinds = [documented, *others]
        loads = {}
        for kind in kinds:
            deployment.start(kind, args.workers)
            try:
                issue_load(deployment, 1.0, args.clients)  # warm-up: every worker has its caches
                loads[kind] = issue_load(deployment, args.seconds, args.clients)
            finally:
                deployment.server.stop()
                deployment.server = None
        main_load = loads[documented]
        setup = f"{documented}, {args.workers} workers, {args.clients} keep-alive clients"
        rows.append((f"issue over HTTP, {name}, {setup}, vs passport.sign", main_load.rps, sign_rate, "/s"))
        rows.append((f"issue over HTTP, {name}, vs the target", main_load.rps, TARGETS[name], "/s"))
        rows.append((f"  workers' CPU per issue request ({name}), vs the client's", main_load.worker_cpu_ms,
                     main_load.client_cpu_ms, "ms"))
        rows.append((f"  p99 latency ({name}), vs p50", main_load.p99_ms, main_load.p50_ms, "ms"))
        for kind in kinds[1:]:
            rows.append((f"issue over HTTP, {name}, {kind}, {args.workers} workers, vs {documented}", loads[kind].rps,
                         main_load.rps, "/s"))

    folder = Path(tempfile.mkdtemp(prefix="issuer-bench-"))
    try:
        sqlite = Deployment(folder, f"sqlite:///{folder / 'issuer.sqlite3'}")
        try:
            throughput(sqlite, "SQLite")
            sqlite.start("granian", args.workers)
            signed = sqlite.app.test_client().post(
                "/credentials/issue", data=json.dumps({"credential": submitted_credential()}),
                headers={"Authorization": f"Bearer {sqlite.token}", "Content-Type": "application/json"}).get_json()
            list_path = signed["verifiableCredential"]["credentialStatus"]["statusListCredential"].split(
                "issuer.example", 1)[1]
            rows += status_list_costs(sqlite, list_path)
            sqlite.server.stop()
            rows += request_parts(sqlite)
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
                    throughput(pg, "PostgreSQL")
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
