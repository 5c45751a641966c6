"""What ``check``/``verify`` accept as ``trust=`` and ``status=``, turned into one shape each.

``trust=``: a ``TrustStore``, a ``TrustRegistry``, a signed ``TrustRegistryCredential`` (a dict,
verified here against ``trust_signers=``), or a list of these; or any object with a ``decide``
method. ``status=``: a ``StatusSource``, a mapping from ``statusListCredential`` URL to the
status list credential, a list of status list credentials (keyed by their ``id``), or a loader
``load(url) -> dict``. Anything else is API misuse: an ``InputError`` that says what to pass,
never an ``AttributeError`` deep inside a check.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Iterable

from ..crypto.did import Resolver
from ..errors import InputError
from .status_check import StatusSource
from ..format.trust import TrustRegistry, TrustStore

TRUST_FORMS = ("a TrustStore, a TrustRegistry, a signed TrustRegistryCredential (a dict, with trust_signers=) "
               "or a list of these")
STATUS_FORMS = ("a StatusSource, a dict from statusListCredential URL to the status list credential, "
                "a list of status list credentials, or a loader function load(url) -> dict")


def trust_of(trust: Any, *, trust_signers: Any, now: datetime, resolver: Resolver | None) -> Any:
    """``trust`` as something with ``decide`` (or None); signed registries verified at ``now``."""
    signers = _signers(trust_signers)
    if trust is None:
        if signers is not None:
            raise InputError("trust_signers= was given without trust=: pass the signed trust registry as trust=")
        return None
    if isinstance(trust, (TrustStore, TrustRegistry)):
        return trust
    if isinstance(trust, Mapping):
        return TrustStore([_registry(trust, signers, now, resolver)])
    if isinstance(trust, (list, tuple)):
        registries = []
        for position, item in enumerate(trust):
            if isinstance(item, TrustRegistry):
                registries.append(item)
            elif isinstance(item, Mapping):
                registries.append(_registry(item, signers, now, resolver))
            else:
                raise InputError(f"trust=[...] item {position} is a {type(item).__name__}; "
                                 "each item must be a TrustRegistry or a signed TrustRegistryCredential (a dict)")
        return TrustStore(registries)
    if callable(getattr(trust, "decide", None)):
        return trust
    raise InputError(f"trust= got a {type(trust).__name__}; pass {TRUST_FORMS}")


def status_of(status: Any, *, resolver: Resolver | None) -> StatusSource:
    """``status`` as a ``StatusSource`` (a new, empty one for None)."""
    if isinstance(status, StatusSource):
        return status
    if status is None or isinstance(status, Mapping) or callable(status):
        if isinstance(status, Mapping) and not all(isinstance(url, str) for url in status):
            raise InputError(f"status= as a dict is keyed by statusListCredential URL (strings); pass {STATUS_FORMS}")
        return StatusSource(status, resolver=resolver)
    if isinstance(status, (list, tuple)):
        lists: dict[str, Any] = {}
        for position, document in enumerate(status):
            url = document.get("id") if isinstance(document, Mapping) else None
            if not isinstance(url, str):
                raise InputError(f"status=[...] item {position} is not a status list credential with an id "
                                 f"(a dict); pass {STATUS_FORMS}")
            lists[url] = document
        return StatusSource(lists, resolver=resolver)
    raise InputError(f"status= got a {type(status).__name__}; pass {STATUS_FORMS}")


def _registry(document: Mapping[str, Any], signers: frozenset[str] | None, now: datetime,
              resolver: Resolver | None) -> TrustRegistry:
    if signers is None:
        raise InputError("trust= is a signed trust registry credential: pass trust_signers= as well (the DIDs "
                         "of the registry operators you trust), or pass a TrustRegistry you verified already")
    return TrustRegistry.from_credential(document, trusted_signers=signers, now=now, resolver=resolver)


def _signers(trust_signers: Any) -> frozenset[str] | None:
    if trust_signers is None:
        return None
    values: Iterable[Any] = [trust_signers] if isinstance(trust_signers, str) else trust_signers
    try:
        signers = frozenset(values)
    except TypeError:
        raise InputError(f"trust_signers= got a {type(trust_signers).__name__}; pass a DID or a set of DIDs") from None
    if not signers or not all(isinstance(did, str) and did.startswith("did:") for did in signers):
        raise InputError("trust_signers= must be a DID (did:...) or a non-empty set of DIDs")
    return signers
