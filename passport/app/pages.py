"""What every screen's view shares: the wallet must be open, and a POST ends in a redirect with
a notice shown once on the next page."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import redirect, url_for

from . import guard


def unlocked(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view needs the opened wallet; a locked app sends the person to the unlock page."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if guard.state().wallet is None:
            return redirect(url_for("unlock.home"), code=303)
        return view(*args, **kwargs)
    return wrapper


def back(endpoint: str, kind: str | None = None, text: str | None = None, **values: Any):
    """Redirect after a POST (303), with a notice shown once on the next page."""
    if text is not None:
        guard.state().say(kind or "ok", text)
    return redirect(url_for(endpoint, **values), code=303)
