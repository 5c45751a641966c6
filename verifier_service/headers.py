"""Security headers on every answer: the page, the API, static files and problems alike.

The page runs only its own script and style sheet (no inline script, handler or style), shows
the request's QR code from a ``data:`` URL and talks only to this service; nobody may frame it
(click-jacking) and no address leaks to other sites through ``Referer``.
"""
from __future__ import annotations

from flask import Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
}


def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
