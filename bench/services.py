"""Real servers for load and fault tests on 127.0.0.1: gunicorn processes, a TCP proxy, a DB lock.

- ``Granian``, ``serve(kind, ...)``: the same app under granian, or under any of the server
  set-ups the server benchmarks compare (``SERVER_KINDS``);
- ``Gunicorn``: one gunicorn server (``passport.demo.servers.Server``, which starts and stops every
  server of the project) on a fixed loopback port; ``kill()`` SIGKILLs master and workers at once,
  ``start()`` again brings it back on the same port.
- ``TcpProxy``: forwards a loopback port to another (PostgreSQL); ``cut()`` drops every
  connection and refuses new ones until ``restore()``.
- ``sqlite_write_lock``: holds SQLite's exclusive lock (WAL: writers wait, readers go on).
- ``Stack``: the issuer (key, database, admin token) and a verifier trusting it, set up as an
  operator would (``init-db``, ``create-token``, a signed trust registry) and served by gunicorn.
"""
from __future__ import annotations

import os
import random
import socket
import sqlite3
import sys
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the services are imported from the repository (set-up in this process)
    sys.path.insert(0, str(ROOT))

from passport.demo.servers import REPO, SERVICE_PREFIXES, Server, open_log  # noqa: E402


def free_port() -> int:
    """A free loopback port below the kernel's ephemeral range: no outgoing connection, and no
    server bound to port 0, can take it while a server of ours is down and about to come back."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", random.randrange(20000, low) if low > 21000 else 0))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


class Gunicorn(Server):
    """A ``passport.demo.servers.Server`` on a fixed port whose ``start()`` waits until it answers
    (and returns the seconds that took): the load test kills it and starts it again on that port."""

    def __init__(self, app: str, env: Mapping[str, str], log: Path, *, port: int | None = None,
                 workers: int = 2, options: tuple[str, ...] = ()) -> None:
        super().__init__(name=app.split(":")[0], app=app, env=dict(env), log=log, port=port or free_port(),
                         workers=workers, options=options, access_log=False)

    def start(self, port: int | None = None, timeout: float = 60.0) -> float:
        super().start(port)
        return self.wait_ready(timeout)


class Granian(Gunicorn):
    """The same app under granian (a Rust HTTP server; WSGI interface, ``workers`` processes)
    instead of gunicorn: same port choice, start-up wait, stop and kill as ``Gunicorn``.
    ``options`` are granian's (e.g. ``("--blocking-threads", "2")``)."""

    def start(self, port: int | None = None, timeout: float = 60.0) -> float:
        self.port = port or self.port or free_port()
        self.attempts += 1
        module, _, factory = self.app.partition(":")
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--no-ws",
                   "--workers", str(self.workers), "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "warning", *self.options, f"{module}:{factory.removesuffix('()')}"]
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(SERVICE_PREFIXES)}
        env = {**inherited, **self.env, "PYTHONUNBUFFERED": "1"}
        with open_log(self.log) as out:
            out.write(f"$ {' '.join(command[1:])}\n")
            out.flush()
            self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        return self.wait_ready(timeout)


# server kind -> (class, options): the set-ups the server benchmarks compare, same workers each
THREADS = 4
SERVER_KINDS = {
    "gunicorn sync": (Gunicorn, ("--worker-class", "sync", "--worker-tmp-dir", "/dev/shm")),
    "gunicorn gthread": (Gunicorn, ("--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "5",
                                    "--worker-tmp-dir", "/dev/shm")),
    "granian": (Granian, ("--blocking-threads", str(THREADS), "--backpressure", str(4 * THREADS))),
    # the issuer on SQLite (decision 0184): one Python thread per worker, writes queue per database anyway
    "granian 1 thread": (Granian, ("--blocking-threads", "1", "--backpressure", "4")),
}


def serve(kind: str, app: str, env: Mapping[str, str], log: Path, *, workers: int = 2) -> Gunicorn:
    """A started server of ``kind`` (a key of ``SERVER_KINDS``) for ``app``."""
    cls, options = SERVER_KINDS[kind]
    server = cls(app, env, log, workers=workers, options=options)
    server.start(timeout=30)
    return server


class TcpProxy:
    """127.0.0.1:<port> -> <target_host>:<target_port>, one thread per direction per connection."""

    def __init__(self, target_port: int, *, target_host: str = "127.0.0.1", port: int | None = None) -> None:
        self.target_host, self.target_port = target_host, target_port
        self.port = port or free_port()
        self.connections = 0  # accepted since start, for the report
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._closed = False

    def start(self) -> "TcpProxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()
        return self

    def cut(self) -> None:
        """Stop listening (new connections are refused) and reset every open connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)  # shutdown() wakes the thread blocked in accept()
        with self._lock:
            pairs, self._pairs = list(self._pairs), set()
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def restore(self) -> None:
        if self._listener is None and not self._closed:
            self.start()

    def close(self) -> None:
        self._closed = True
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by cut() or close()
            try:
                upstream = socket.create_connection((self.target_host, self.target_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            pair = (client, upstream)
            with self._lock:
                self.connections += 1
                self._pairs.add(pair)
            threading.Thread(target=self._pump, args=(client, upstream, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, pair) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._pairs.discard(pair)
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@contextmanager
def sqlite_write_lock(path: Path | str) -> Iterator[None]:
    """Hold ``BEGIN EXCLUSIVE`` on the database: in WAL mode every writer waits, readers go on."""
    connection = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


# --- the whole set-up: an issuer and a verifier that trusts it ---------------------------------
PG_URL = os.environ.get("PASPOORT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class Stack:
    """An issuer (key, database, admin token) and a verifier trusting it, both real gunicorn servers.

    With ``db="postgresql"`` the issuer gets a database of its own (a unique name, dropped by
    ``close()``) and reaches it only through ``proxy``, so the database can be cut away from it.
    """

    def __init__(self, folder: Path, db: str = "sqlite", *, workers: int = 2) -> None:
        if db not in ("sqlite", "postgresql"):
            raise ValueError(f"db must be sqlite or postgresql, not {db!r}")
        self.folder, self.db = folder, db
        self.proxy: TcpProxy | None = None
        self.database_name: str | None = None
        self.issuer: Gunicorn | None = None
        self.verifier: Gunicorn | None = None
        try:
            self._prepare(workers)
        except BaseException:
            self.close()  # never leave a database behind
            raise

    def _prepare(self, workers: int) -> None:
        folder = self.folder
        if self.db == "sqlite":
            self.sqlite_path = folder / "issuer.sqlite3"
            self.direct_url = self.served_url = f"sqlite:///{self.sqlite_path}"
        else:
            self._create_database()
        issuer_port = free_port()
        key_file = folder / "issuer-key.json"
        self.token, self.issuer_did = _prepare_issuer(key_file, self.direct_url, f"http://127.0.0.1:{issuer_port}")
        self.issuer = Gunicorn("issuer_service:create_app()", {
            "PASPOORT_ISSUER_KEY_FILE": str(key_file), "PASPOORT_ISSUER_DATABASE_URL": self.served_url,
            "PASPOORT_ISSUER_NAME": "ROC Belasting", "PASPOORT_ISSUER_BASE_URL": f"http://127.0.0.1:{issuer_port}",
            "PASPOORT_ISSUER_STATUS_MAX_AGE": "0"}, folder / "issuer.log", port=issuer_port, workers=workers)
        registry, signer = _trust_registry(folder / "trust-registry.json", self.issuer_did,
                                           f"http://127.0.0.1:{issuer_port}/status-lists/")
        verifier_url = f"sqlite:///{folder / 'verifier.sqlite3'}"
        self.verifier = Gunicorn("verifier_service:create_app()", {
            "PASPOORT_VERIFIER_TRUST_REGISTRIES": str(registry), "PASPOORT_VERIFIER_TRUST_SIGNERS": signer,
            "PASPOORT_VERIFIER_ALLOW_HTTP_HOSTS": "127.0.0.1", "PASPOORT_VERIFIER_CACHE_TTL": "0",
            "PASPOORT_VERIFIER_FETCH_TIMEOUT": "3", "PASPOORT_VERIFIER_DOMAIN": "127.0.0.1",
            # a failed status list is retried after 0.5 s, not 30: the run measures time to recover
            "PASPOORT_VERIFIER_FETCH_FAILURE_TTL": "0.5",
            "PASPOORT_VERIFIER_DATABASE_URL": verifier_url},
            folder / "verifier.log", workers=workers)

    def _create_database(self) -> None:
        from sqlalchemy import create_engine, make_url, text
        admin = make_url(PG_URL)
        self.database_name = f"paspoort_loadfault_{os.getpid()}_{os.urandom(4).hex()}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.database_name}"'))
        engine.dispose()
        self.proxy = TcpProxy(admin.port or 5432, target_host=admin.host or "127.0.0.1").start()
        self.direct_url = admin.set(database=self.database_name).render_as_string(hide_password=False)
        self.served_url = admin.set(database=self.database_name, host="127.0.0.1", port=self.proxy.port) \
            .render_as_string(hide_password=False)

    def start(self) -> None:
        self.issuer.start()
        self.verifier.start()

    @contextmanager
    def database_down(self) -> Iterator[None]:
        """PostgreSQL: the proxy refuses and resets; SQLite: an exclusive write lock."""
        if self.proxy is not None:
            self.proxy.cut()
            try:
                yield
            finally:
                self.proxy.restore()
        else:
            with sqlite_write_lock(self.sqlite_path):
                yield

    def stored(self) -> tuple[dict[str, str], int]:
        """``({credential id: proofValue}, issue entries in the audit log)``, read directly."""
        import json

        from sqlalchemy import create_engine, text
        engine = create_engine(self.direct_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT id, document FROM credentials")).all()
                audited = connection.execute(text("SELECT count(*) FROM audit_log WHERE action = 'issue'")).scalar()
        finally:
            engine.dispose()
        return {row.id: json.loads(row.document)["proof"]["proofValue"] for row in rows}, int(audited)

    def close(self) -> None:
        for server in (self.verifier, self.issuer):
            if server is not None:
                server.stop()
        if self.proxy is not None:
            self.proxy.close()
        if self.database_name:
            from sqlalchemy import create_engine, text
            engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)'))
            engine.dispose()


def _prepare_issuer(key_file: Path, database_url: str, base_url: str) -> tuple[str, str]:
    """Key, tables (``init-db``) and an admin token, as the admin commands do: ``(token, DID)``."""
    from datetime import datetime, timezone

    from issuer_service import create_app
    from issuer_service.auth import create_token
    from issuer_service.cli import init_db
    from passport.crypto.keys import Ed25519Key
    Ed25519Key.generate().save(str(key_file))
    app = create_app({"KEY_FILE": str(key_file), "DATABASE_URL": database_url, "BASE_URL": base_url})
    database = app.extensions["paspoort_issuer_db"]
    try:
        init_db(app)
        with database.transaction() as session:
            _, token = create_token(session, name="load-test", role="admin", types=None, scopes=None,
                                    expires_days=1, now=datetime.now(timezone.utc))
        return token, app.extensions["paspoort_issuer"].keyring.did
    finally:
        database.dispose()


def _trust_registry(path: Path, issuer_did: str, status_lists: str) -> tuple[Path, str]:
    """A signed trust registry listing the issuer for certificates, its status lists under
    ``status_lists``: ``(file, signer DID)``."""
    import json
    import uuid
    from datetime import datetime, timedelta, timezone

    from passport import sign
    from passport.crypto.keys import Ed25519Key
    from passport.encoding.timeutil import format_datetime
    from passport.format.trust import trust_registry_credential
    signer = Ed25519Key.generate()
    since = format_datetime(datetime.now(timezone.utc) - timedelta(days=1))
    unsigned = trust_registry_credential(
        issuer=signer.did, registry_id=f"urn:uuid:{uuid.uuid4()}", name="Belastingtestregister", valid_from=since,
        issuers=[{"id": issuer_did, "name": "ROC Belasting", "role": "opleider",
                  "credentialTypes": ["CertificaatCredential"], "scope": None,
                  "statusLists": [status_lists]}])
    path.write_text(json.dumps(sign(unsigned, signer, created=since)), encoding="utf-8")
    return path, signer.did
