"""Status lists for ``passport verify --status`` and ``passport import --status``: files, folders, bundles.

Each ``--status`` value is one of

- a status list credential (JSON file), keyed by its ``id``;
- a folder: every ``*.json`` file in it (in name order), each a status list or a bundle;
- an offline bundle, the file the verifier service reads from ``PASPOORT_VERIFIER_OFFLINE_BUNDLE``:
  ``{"created": ..., "statusLists": {URL: status list credential}, "didDocuments": {...}}``.

Only the shape is checked here; ``StatusSource`` verifies every list before it is used.
"""
from __future__ import annotations

import os
from typing import Any, Iterable

from ..encoding import jsonio
from ..errors import InputError
from ..terms import DEFAULT_LANG
from .language import say

MAX_BUNDLE_BYTES = 64 * 1024 * 1024  # as the verifier service's offline bundle
MAX_FOLDER_FILES = 1000


def flatten(values: Iterable[Any]) -> list[str]:
    """``--status A B --status C`` (append + nargs) as one list of paths."""
    out: list[str] = []
    for value in values:
        out.extend(value if isinstance(value, list) else [value])
    return out


def trailing_document(status: list[Any]) -> str | None:
    """The document a greedy ``--status A B doc.json`` swallowed: the last path of the last group.

    ``--status`` takes several paths, so a document written after it lands in that list; when the
    command then has no document, the last path of a group of two or more is taken as the
    document (a single path stays a status path). Returns ``None`` when there is nothing to take.
    """
    if status and isinstance(status[-1], list) and len(status[-1]) >= 2:
        return status[-1].pop()
    return None


def load_status_lists(paths: Iterable[str], lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Every status list named by ``paths``, keyed by URL (a later file wins for the same URL);
    what is wrong with a path is said in ``lang``."""
    lists: dict[str, Any] = {}
    for path in paths:
        if os.path.isdir(path):
            names = sorted(name for name in os.listdir(path) if name.endswith(".json"))
            if not names:
                raise InputError(say("err_status_folder_empty", lang, path=path), path=path)
            if len(names) > MAX_FOLDER_FILES:
                raise InputError(say("err_status_folder_large", lang, path=path, count=len(names),
                                     max=MAX_FOLDER_FILES), path=path)
            for name in names:
                _add(lists, os.path.join(path, name), lang)
        else:
            _add(lists, path, lang)
    return lists


def _add(lists: dict[str, Any], path: str, lang: str) -> None:
    try:
        document = jsonio.load_file(path, max_bytes=MAX_BUNDLE_BYTES)
    except OSError as exc:
        raise InputError(say("err_status_read", lang, path=path, reason=exc.strerror), path=path) from None
    except InputError as exc:
        raise InputError(say("err_status_json", lang, path=path, message=exc.message), path=path) from None
    if not isinstance(document, dict):
        raise InputError(say("err_status_object", lang, path=path), path=path)
    if "statusLists" in document and "type" not in document:
        bundled = document["statusLists"]
        if not isinstance(bundled, dict) or not all(isinstance(url, str) and isinstance(item, dict)
                                                    for url, item in bundled.items()):
            raise InputError(say("err_status_bundle", lang, path=path), path=path)
        lists.update(bundled)
        return
    list_id = document.get("id")
    if not isinstance(list_id, str) or not list_id:
        raise InputError(say("err_status_no_id", lang, path=path), path=path)
    lists[list_id] = document
