"""Security headers on every answer: the page, the API, static files and problems alike.

The page runs only its own script and style sheet (no inline script, handler or style), shows
the request's QR code from a ``data:`` URL and talks only to this service; nobody may frame it
(click-jacking) and no address leaks to other sites through ``Referer``. The camera (for scanning
QR codes) is allowed to this origin only; microphone, location and payment to nobody.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])

PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    "Permissions-Policy": PERMISSIONS_POLICY,
}


_BY_LOWER = tuple((name.lower(), name, value) for name, value in HEADERS.items())


class SecureHeaders:
    """WSGI middleware around the app: each header of ``HEADERS`` that the answer does not set
    itself is appended to the list handed to the server. Every answer passes here, also Werkzeug's
    own 404 and 405; the values are fixed and checked once, so no header object is built and
    checked per request (an ``after_request`` hook cost about 10 µs of each answer)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers.extend([(name, value) for lower, name, value in _BY_LOWER if lower not in present])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return self.app(environ, start)
