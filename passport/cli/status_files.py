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

MAX_BUNDLE_BYTES = 64 * 1024 * 1024  # as the verifier service's offline bundle
MAX_FOLDER_FILES = 1000


def flatten(values: Iterable[Any]) -> list[str]:
    """``--status A B --status C`` (append + nargs) as one list of paths."""
    out: list[str] = []
    for value in values:
        out.extend(value if isinstance(value, list) else [value])
    return out


def load_status_lists(paths: Iterable[str]) -> dict[str, Any]:
    """Every status list named by ``paths``, keyed by URL (a later file wins for the same URL)."""
    lists: dict[str, Any] = {}
    for path in paths:
        if os.path.isdir(path):
            names = sorted(name for name in os.listdir(path) if name.endswith(".json"))
            if not names:
                raise InputError(f"--status {path}: the folder has no .json files", path=path)
            if len(names) > MAX_FOLDER_FILES:
                raise InputError(f"--status {path}: the folder has {len(names)} .json files; "
                                 f"at most {MAX_FOLDER_FILES} are read", path=path)
            for name in names:
                _add(lists, os.path.join(path, name))
        else:
            _add(lists, path)
    return lists


def _add(lists: dict[str, Any], path: str) -> None:
    try:
        document = jsonio.load_file(path, max_bytes=MAX_BUNDLE_BYTES)
    except OSError as exc:
        raise InputError(f"--status {path}: cannot read it: {exc.strerror}", path=path) from None
    except InputError as exc:
        raise InputError(f"--status {path}: {exc.message}", path=path) from None
    if not isinstance(document, dict):
        raise InputError(f"--status {path}: a status list or bundle is a JSON object", path=path)
    if "statusLists" in document and "type" not in document:
        bundled = document["statusLists"]
        if not isinstance(bundled, dict) or not all(isinstance(url, str) and isinstance(item, dict)
                                                    for url, item in bundled.items()):
            raise InputError(f"--status {path}: the bundle's statusLists must map URLs to status list "
                             "credentials", path=path)
        lists.update(bundled)
        return
    list_id = document.get("id")
    if not isinstance(list_id, str) or not list_id:
        raise InputError(f"--status {path}: the file has no id, so it is neither a status list credential "
                         "nor an offline bundle", path=path)
    lists[list_id] = document
