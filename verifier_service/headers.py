"""Security headers on every answer: the page, the API, static files and problems alike.

The page runs only its own script and style sheet (no inline script, handler or style), shows
the request's QR code from a ``data:`` URL and talks only to this service; nobody may frame it
(click-jacking) and no address leaks to other sites through ``Referer``. The camera (for scanning
QR codes) is allowed to this origin only; microphone, location and payment to nobody.
"""
from __future__ import annotations

from flask import Response

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


def secure(response: Response) -> Response:
    """Each header the response does not set itself. One pass over its headers: asking the
    header map for each missing name would raise and catch a ``KeyError`` per name, per request."""
    present = {name.lower() for name, _ in response.headers.items()}
    missing = [(name, value) for lower, name, value in _BY_LOWER if lower not in present]
    if missing:
        response.headers.extend(missing)
    return response
