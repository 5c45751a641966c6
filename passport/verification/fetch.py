"""Bounded outbound GET for status lists and did:web documents.

The verifier fetches on behalf of whoever sends it a document, so every fetch is narrowed:

- only to hosts the caller allows (hosts of issuers in the trust registry, computed per request);
- HTTPS only, except for hosts listed in ``ALLOW_HTTP_HOSTS`` (test servers);
- never to private, loopback, link-local or otherwise non-global addresses (checked after DNS
  resolution, and the connection goes to the checked address), except for those test hosts;
- one overall timeout per fetch (a watchdog closes the socket at the deadline, so a server
  dripping bytes cannot stretch it), a size cap enforced while streaming, no redirects followed;
- a ``FetchBudget`` per request (one verification, one ``passport status`` run): at most
  ``max_fetches`` distinct URLs go out, and all of them together within ``seconds``;
- a failed URL is not tried again for ``failure_ttl`` seconds (negative cache);
- responses cached by ``Cache-Control: max-age`` (capped by ``CACHE_TTL``) and revalidated
  with ``ETag``/``If-None-Match``; ``no-store`` is not cached. A cached copy is handed out as the
  same object until new bytes replace it: the verified status lists (``VerifiedLists``) are
  keyed on it, so a list is verified again only when its cache time is over and new bytes came.

Every failure raises ``StatusUnknown`` (a ``PassportError``), so a status check reports
"unknown" instead of failing open; did:web resolution turns it into ``DIDInvalid``. What went
wrong on the network (refused, timed out, HTTP 503, TLS) is logged, never put in the message:
the message goes back to whoever sent the document, and must not make us a port scanner.
"""
from __future__ import annotations

import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from passport.encoding import jsonio
from passport.errors import PassportError, StatusUnknown

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d{1,10})\"?", re.IGNORECASE)
log = logging.getLogger(__name__)
MAX_FETCHES = 16  # distinct URLs one request may fetch
BUDGET_SECONDS = 5.0  # all fetches of one request together
FAILURE_TTL = 30.0  # seconds a failed URL is not tried again


class FetchBudget:
    """What one request may spend on outbound fetches: ``max_fetches`` distinct URLs, and
    ``seconds`` of fetching in all (time spent waiting on the network, summed over its fetches).
    Make one per request; not shared between threads."""

    def __init__(self, *, max_fetches: int = MAX_FETCHES, seconds: float = BUDGET_SECONDS) -> None:
        if max_fetches < 0 or seconds < 0:
            raise ValueError("a fetch budget needs max_fetches >= 0 and seconds >= 0")
        self.max_fetches, self.seconds = max_fetches, seconds
        self.spent = 0.0
        self.urls: set[str] = set()

    def remaining(self) -> float:
        return max(0.0, self.seconds - self.spent)

    def admit(self, url: str) -> float:
        """Spend one fetch on ``url`` (a URL already admitted is free); the seconds left.
        ``StatusUnknown`` without any request when the budget is spent."""
        if url not in self.urls and len(self.urls) >= self.max_fetches:
            raise StatusUnknown(f"{url} is not fetched: this request already fetched {self.max_fetches} "
                                "documents, the most one request may", url=url)
        left = self.remaining()
        if left <= 0:
            raise StatusUnknown(f"{url} is not fetched: this request's {self.seconds:g} s for fetching "
                                "are used up", url=url)
        self.urls.add(url)
        return left


@dataclass
class _Cached:
    document: Any
    etag: str | None
    fresh_until: float


class Fetcher:
    def __init__(self, *, timeout: float = 5.0, max_bytes: int = 262_144, test_hosts: Iterable[str] = (),
                 cache_ttl: float = 300, clock: Callable[[], float] = time.monotonic,
                 ssl_context: ssl.SSLContext | None = None, failure_ttl: float = FAILURE_TTL) -> None:
        self.timeout, self.max_bytes, self.cache_ttl, self.failure_ttl = timeout, max_bytes, cache_ttl, failure_ttl
        self.test_hosts = frozenset(h.lower() for h in test_hosts)
        self.clock = clock
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._cache: dict[str, _Cached] = {}
        self._failed: dict[str, float] = {}  # url -> clock() until which it is not tried again
        self._lock = threading.Lock()
        self.requests_made = 0  # outbound requests, for tests and the benchmark

    # --- public ------------------------------------------------------------------------
    def get_json(self, url: str, *, allowed_hosts: Iterable[str], budget: FetchBudget | None = None,
                 revalidate: bool = False) -> Any:
        """The JSON document at ``url``, from the cache when fresh; ``StatusUnknown`` otherwise.
        A request goes out only within ``budget`` (when given) and not for a recently failed URL.
        The same document object comes back for as long as the cached copy stands (also after a
        ``304``), so what a caller derived from it (a verified status list) can be kept with it.
        ``revalidate``: ask the server even when the cached copy is fresh (``If-None-Match``)."""
        scheme, host, port, target = self._check_url(url, allowed_hosts)
        now = self.clock()
        with self._lock:
            cached = self._cache.get(url)
            failed_until = self._failed.get(url, 0.0)
        if cached is not None and cached.fresh_until > now and not revalidate:
            return cached.document
        if failed_until > now:
            raise StatusUnknown(f"{url} could not be fetched (it failed moments ago and is not tried again yet)",
                                url=url)
        timeout = self.timeout if budget is None else min(self.timeout, budget.admit(url))
        started = time.monotonic()
        try:
            status, headers, body = self._get(url, scheme, host, port, target, timeout=timeout,
                                              etag=cached.etag if cached is not None else None)
            if status == 304 and cached is not None:
                document = cached.document
                etag = headers.get("etag") or cached.etag
            else:
                document = self._parse(url, body)
                etag = headers.get("etag")
        except StatusUnknown:
            self._remember_failure(url, now)
            raise
        finally:
            if budget is not None:
                budget.spent += time.monotonic() - started
        self._remember(url, document, etag, headers.get("cache-control", ""), now)
        return document

    # --- steps -------------------------------------------------------------------------
    def _check_url(self, url: str, allowed_hosts: Iterable[str]) -> tuple[str, str, int, str]:
        if not isinstance(url, str) or len(url) > 2048:
            raise StatusUnknown("the URL is not a string of at most 2048 characters", url=str(url)[:80])
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError:
            raise StatusUnknown(f"{url} is not a valid URL", url=url) from None
        if parts.username or parts.password:
            raise StatusUnknown(f"{url} carries credentials; not fetched", url=url)
        if parts.scheme == "http" and host in self.test_hosts:
            scheme = "http"
        elif parts.scheme == "https":
            scheme = "https"
        else:
            raise StatusUnknown(f"{url}: only https URLs are fetched", url=url)
        allowed = {h.lower() for h in allowed_hosts}
        if not host or host not in allowed:
            raise StatusUnknown(f"{host or url} is not the host of an issuer in the trust registry; not fetched",
                               url=url, host=host)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return scheme, host, port or (443 if scheme == "https" else 80), target

    def _address(self, url: str, host: str, port: int, timeout: float) -> str:
        try:
            infos = _resolve(host, port, timeout)
        except TimeoutError:
            raise _failure(url, f"resolving {host} timed out after {timeout:.2g} s") from None
        except (OSError, UnicodeError) as exc:
            raise _failure(url, f"{host} does not resolve: {exc}") from None
        addresses = [info[4][0] for info in infos]
        if not addresses:
            raise _failure(url, f"{host} does not resolve")
        if host not in self.test_hosts:
            for address in addresses:
                ip = ipaddress.ip_address(address.split("%")[0])
                if not ip.is_global or ip.is_multicast:
                    raise _failure(url, f"{host} resolves to the non-public address {address}")
        return addresses[0]

    def _get(self, url: str, scheme: str, host: str, port: int, target: str, *, timeout: float,
             etag: str | None) -> tuple[int, dict[str, str], bytes]:
        deadline = time.monotonic() + timeout
        address = self._address(url, host, port, timeout)
        connection, abort = _connection(scheme, host, port, address, timeout, self.ssl_context)
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), abort)
        watchdog.daemon = True
        watchdog.start()
        headers = {"Accept": "application/vc+ld+json, application/json, application/did+json",
                   "User-Agent": "paspoort-verifier", "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        response = None
        try:
            with self._lock:
                self.requests_made += 1
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            answer = {k.lower(): v for k, v in response.getheaders()}
            if response.status == 304:
                return 304, answer, b""
            if 300 <= response.status < 400:
                raise _failure(url, f"redirects ({response.status}); redirects are not followed")
            if response.status != 200:
                raise _failure(url, f"answered HTTP {response.status}")
            length = answer.get("content-length")
            if length is not None and length.isdigit() and int(length) > self.max_bytes:
                raise _failure(url, f"is {length} bytes, more than the {self.max_bytes}-byte limit")
            body = self._read(response, connection, url, deadline, timeout)
            return 200, answer, body
        except PassportError:
            raise
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            timed_out = isinstance(exc, (TimeoutError, socket.timeout)) or time.monotonic() >= deadline
            raise _failure(url, f"timed out after {timeout:.2g} s" if timed_out else f"failed: {exc}") from None
        finally:
            watchdog.cancel()
            if response is not None:
                response.close()  # with "Connection: close" the response owns the socket
            connection.close()

    def _read(self, response: Any, connection: Any, url: str, deadline: float, timeout: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _failure(url, f"timed out after {timeout:.2g} s")
            if connection.sock is not None:
                connection.sock.settimeout(remaining)
            chunk = response.read1(min(65536, self.max_bytes + 1 - size))
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise _failure(url, f"is larger than the {self.max_bytes}-byte limit")
            chunks.append(chunk)

    def _parse(self, url: str, body: bytes) -> Any:
        try:
            return jsonio.loads(body, max_bytes=self.max_bytes)
        except PassportError as exc:
            raise _failure(url, f"is not a usable JSON document: {exc.message}") from None

    def _remember_failure(self, url: str, now: float) -> None:
        with self._lock:
            self._failed[url] = now + self.failure_ttl
            if len(self._failed) > 1024:  # bounded: drop the entries that expire first
                for stale in sorted(self._failed, key=self._failed.__getitem__)[:256]:
                    self._failed.pop(stale, None)

    def _remember(self, url: str, document: Any, etag: str | None, cache_control: str, now: float) -> None:
        directives = cache_control.lower()
        if "no-store" in directives:
            with self._lock:
                self._cache.pop(url, None)
            return
        if "no-cache" in directives:
            lifetime = 0.0
        else:
            found = _MAX_AGE.search(directives)
            lifetime = min(float(found.group(1)), self.cache_ttl) if found else self.cache_ttl
        with self._lock:
            self._cache[url] = _Cached(document, etag, now + lifetime)
            if len(self._cache) > 1024:  # bounded: drop the stalest
                oldest = min(self._cache, key=lambda key: self._cache[key].fresh_until)
                self._cache.pop(oldest, None)


def _resolve(host: str, port: int, timeout: float) -> list[tuple]:
    """``getaddrinfo`` within ``timeout`` (it has no timeout of its own; a slow resolver must not
    stretch a request's fetch budget). A lookup that overruns finishes in its daemon thread."""
    result: list[Any] = []

    def lookup() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller below
            result.append(exc)

    thread = threading.Thread(target=lookup, daemon=True, name=f"resolve {host}")
    thread.start()
    thread.join(timeout)
    if not result:
        raise TimeoutError(f"resolving {host}")
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def _failure(url: str, reason: str) -> StatusUnknown:
    """The caller learns that ``url`` could not be fetched; the log learns why."""
    log.warning("fetching %s: %s", url, reason)
    return StatusUnknown(f"{url} could not be fetched", url=url)


def _connection(scheme: str, host: str, port: int, address: str, timeout: float,
                context: ssl.SSLContext) -> tuple[http.client.HTTPConnection, Callable[[], None]]:
    """A connection to the already-checked ``address``, speaking to ``host`` (Host, SNI), and
    ``abort()``, which shuts its socket down from another thread (the deadline's watchdog)."""
    sockets: list[socket.socket] = []
    if scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(host, port, timeout=timeout,
                                                                             context=context)

        def connect() -> None:
            sock = socket.create_connection((address, port), timeout)
            sockets.append(sock)
            connection.sock = context.wrap_socket(sock, server_hostname=host)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

        def connect() -> None:
            sockets.append(socket.create_connection((address, port), timeout))
            connection.sock = sockets[-1]

    def abort() -> None:
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    connection.connect = connect  # type: ignore[method-assign]
    return connection, abort
