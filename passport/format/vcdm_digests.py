"""The integrity of a credential's related resources (VCDM 2.0 section 5.3), as far as it can be checked.

``check_related_digests``: every ``relatedResource`` whose ``id`` is a resource we hold (a
shipped JSON-LD context, or an extra context file the loader was given) must carry digests that
match that resource's bytes: each ``digestSRI`` and each ``digestMultibase`` given. A resource
we do not hold is never fetched, so its digests are checked for form only
(``vcdm_values.check_related_resources``); SPEC.md section 13 says so.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..jsonld import digests
from ..jsonld.loader import DocumentLoader
from .vcdm_values import as_list, is_object, malformed

_PARSERS = {"digestSRI": digests.parse_sri, "digestMultibase": digests.parse_multibase}


def check_related_digests(credential: Mapping[str, Any], loader: DocumentLoader | None = None) -> None:
    """Raise ``STRUCTURE_INVALID`` (VCDM ``MALFORMED_VALUE_ERROR``) naming the first digest that does
    not match a resource we hold. Run after ``check_credential`` (which checks the form)."""
    value = credential.get("relatedResource")
    if value is None:
        return
    for position, item in enumerate(as_list(value)):
        path = "relatedResource" if not isinstance(value, list) else f"relatedResource[{position}]"
        if not is_object(item) or not isinstance(item.get("id"), str):
            continue  # the form is check_credential's
        url = item["id"]
        if not digests.held(url, loader):
            continue
        for name, parse in _PARSERS.items():
            if name not in item:
                continue
            try:
                digest = parse(item[name])
            except (TypeError, ValueError, AttributeError) as exc:
                raise malformed(f"{path}.{name}", f"cannot be read as a digest: {exc}") from None
            if not digests.matches(url, digest, loader):
                raise malformed(f"{path}.{name}", f"does not match the {digest.algorithm} digest of {url} "
                                f"(the resource this program holds for that URL)", url=url)
