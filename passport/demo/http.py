"""A small JSON client for the demo's calls to its own servers on 127.0.0.1 (standard library only)."""
from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from typing import Any

TIMEOUT = 20.0


class HttpFailure(RuntimeError):
    """An answer with an unexpected HTTP status; carries the Problem Details ``code`` when given."""

    def __init__(self, method: str, url: str, status: int, body: Any) -> None:
        self.status, self.body = status, body
        detail = body.get("detail") if isinstance(body, dict) else str(body)[:300]
        self.code = body.get("code") if isinstance(body, dict) else None
        super().__init__(f"{method} {url} answered HTTP {status}" + (f" {self.code}" if self.code else "")
                         + (f": {detail}" if detail else ""))


def call(method: str, url: str, body: Any = None, *, token: str | None = None,
         expect: tuple[int, ...] = (200, 201)) -> tuple[int, Any]:
    """``(status, parsed JSON)``; ``HttpFailure`` unless the status is in ``expect``."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    status, parsed = _send(urllib.request.Request(url, data=data, method=method, headers=headers))
    if status not in expect:
        raise HttpFailure(method, url, status, parsed)
    return status, parsed


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    """``(status, parsed JSON or text)``, whatever the status."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    return status, _parse(raw)


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return raw.decode("utf-8", "replace")


def get(url: str, **kwargs: Any) -> Any:
    return call("GET", url, **kwargs)[1]


def post(url: str, body: Any, **kwargs: Any) -> Any:
    return call("POST", url, body, **kwargs)[1]


def post_file(url: str, field: str, filename: str, data: bytes, content_type: str,
              form: dict[str, str] | None = None) -> Any:
    """A ``multipart/form-data`` POST of one file (and plain form fields), as a browser sends it."""
    boundary = "paspoort-demo-" + secrets.token_hex(12)
    parts = []
    for name, value in (form or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    status, parsed = _send(urllib.request.Request(url, data=b"".join(parts), method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"}))
    if status != 200:
        raise HttpFailure("POST", url, status, parsed)
    return parsed
