"""No log line holds a bearer token: a filter that blanks tokens before a record is written.

Staff tokens travel in ``Authorization: Bearer psi_...``. The service never logs headers, but
a message or a traceback may quote what it was given (an error from a library, a request line
with a token pasted into the query string). ``RedactTokens`` rewrites each record it sees:
the message with its arguments, the exception text and the stack text (the exception object
itself is dropped from the record: it would still quote the token), replacing every
``psi_...`` token and every ``Bearer <credentials>`` by ``[redacted]``. ``install`` puts it on
the service's logger and on the loggers of the servers that run it (werkzeug, gunicorn), and on
every handler they already have, so records that propagate are covered too.
"""
from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_TOKEN = re.compile(r"psi_[A-Za-z0-9_\-]+")
_BEARER = re.compile(r"(?i)\b(bearer)(\s+|%20|\+)[^\s'\",;&]+")
SERVER_LOGGERS = ("werkzeug", "gunicorn.error", "gunicorn.access")


def redact(text: str) -> str:
    """``text`` without bearer tokens."""
    text = _TOKEN.sub("psi_" + REDACTED, text)
    return _BEARER.sub(lambda found: found.group(1) + " " + REDACTED, text)


class RedactTokens(logging.Filter):
    """Blank bearer tokens in a record's message, exception and stack text; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_paspoort_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: log it as it was written
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # the exception object still quotes the token; its redacted text stays
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._paspoort_redacted = True
        return True


def install(logger: logging.Logger) -> None:
    """Put one ``RedactTokens`` on ``logger``, the server loggers and all their handlers."""
    for target in (logger, *(logging.getLogger(name) for name in SERVER_LOGGERS)):
        _add(target)
        for handler in target.handlers:
            _add(handler)


def _add(target: logging.Filterer) -> None:
    if not any(isinstance(existing, RedactTokens) for existing in target.filters):
        target.addFilter(RedactTokens())
