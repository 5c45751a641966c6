"""The wallet's bounded HTTP client for OpenID4VCI: JSON in, JSON out, nothing unbounded.

- ``https`` only (``http`` only to 127.0.0.1, localhost or ::1: a developer's own issuer);
- no redirects followed, no user info in URLs;
- every answer at most ``max_bytes``, read in pieces; one deadline per request (``timeout``),
  held by a watchdog that closes the socket, so a server dripping bytes cannot stretch it;
- at most ``max_requests`` requests for one session (one ``passport receive``).

Failures raise ``IssuanceFailed`` with what went wrong; an OAuth error answer (``{"error": ...}``)
is passed to the caller with its status, so the caller can say which step was refused.
"""
from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..encoding import jsonio
from ..errors import PassportError
from ..protocol_errors import IssuanceFailed
from ..roles.oid4vci import check_url

MAX_BYTES = 1024 * 1024
TIMEOUT = 10.0
MAX_REQUESTS = 12


class Answer:
    def __init__(self, status: int, document: Any) -> None:
        self.status, self.document = status, document

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error(self) -> tuple[str, str]:
        """The OAuth ``error`` and ``error_description`` of a refusal (or the HTTP status)."""
        body = self.document if isinstance(self.document, dict) else {}
        code = body.get("error") if isinstance(body.get("error"), str) else f"http_{self.status}"
        text = body.get("error_description") if isinstance(body.get("error_description"), str) else ""
        return code[:80], text[:300]


class Transport:
    def __init__(self, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES, max_requests: int = MAX_REQUESTS,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.timeout, self.max_bytes, self.max_requests = timeout, max_bytes, max_requests
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.requests_made = 0

    def get(self, url: str) -> Answer:
        return self._request("GET", url, None, {})

    def post_form(self, url: str, fields: dict[str, str]) -> Answer:
        return self._request("POST", url, urlencode(fields).encode("ascii"),
                             {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, url: str, body: Any = None, *, bearer: str | None = None) -> Answer:
        headers = {"Content-Type": "application/json"}
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self._request("POST", url, data, headers)

    def _request(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> Answer:
        check_url(url, "the address")
        if self.requests_made >= self.max_requests:
            raise IssuanceFailed(f"receiving took more than {self.max_requests} requests; stopped", url=url)
        self.requests_made += 1
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout, context=self.ssl_context)
        else:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        watchdog = threading.Timer(self.timeout, lambda: _abort(connection))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request(method, target, body=data, headers={
                "Accept": "application/json", "User-Agent": "paspoort-wallet", "Accept-Encoding": "identity",
                **headers})
            response = connection.getresponse()
            if 300 <= response.status < 400:
                raise IssuanceFailed(f"{url} redirects ({response.status}); redirects are not followed", url=url)
            body = self._read(response, deadline, url)
        except PassportError:
            raise
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            late = time.monotonic() >= deadline or isinstance(exc, (TimeoutError, socket.timeout))
            reason = f"no answer within {self.timeout:g} s" if late else str(exc) or type(exc).__name__
            raise IssuanceFailed(f"{url} could not be reached: {reason}", url=url) from None
        finally:
            watchdog.cancel()
            connection.close()
        return Answer(response.status, self._parse(body, url, response.status))

    def _read(self, response: Any, deadline: float, url: str) -> bytes:
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            raise IssuanceFailed(f"{url} answers {length} bytes, more than the {self.max_bytes}-byte limit", url=url)
        chunks, size = [], 0
        while True:
            if time.monotonic() >= deadline:
                raise IssuanceFailed(f"{url} could not be reached: no answer within {self.timeout:g} s", url=url)
            chunk = response.read1(min(65536, self.max_bytes + 1 - size))
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise IssuanceFailed(f"{url} answers more than the {self.max_bytes}-byte limit", url=url)
            chunks.append(chunk)

    def _parse(self, body: bytes, url: str, status: int) -> Any:
        if not body:
            return None
        try:
            return jsonio.loads(body, max_bytes=self.max_bytes)
        except PassportError as exc:
            if status >= 400:
                return None  # an error page: the status says enough
            raise IssuanceFailed(f"{url} did not answer usable JSON: {exc.message}", url=url) from None


def _abort(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
