"""Status change requests in two shapes: this service's own (``action``) and the W3C VC API's.

The view passes the body here; ``Issuer.update_status`` then changes the bit. Only the request
is parsed here: which status entries a credential carries is ``status``'s business.
"""
from __future__ import annotations

from typing import Any, Mapping

from passport.errors import StructureInvalid

VC_API_STATUS = {("revocation", True): "revoke", ("suspension", True): "suspend", ("suspension", False): "unsuspend"}
VC_API_REASON = "status change through the VC API (no reason given)"


def status_request(body: Mapping[str, Any]) -> tuple[Any, Any]:
    """``(action, reason)`` of a status change request, in this service's shape or the VC API's.

    - ``{"credentialId", "action": "revoke"|"suspend"|"unsuspend", "reason"}``;
    - VC API: ``{"credentialId", "credentialStatus": {"type": "BitstringStatusListEntry",
      "statusPurpose": "revocation"|"suspension"} (or a list of one), "status": true|false}``;
      ``status`` defaults to true, ``reason`` to a fixed text. A revocation cannot be undone.
    """
    if "action" in body and "credentialStatus" in body:
        raise StructureInvalid("give either action or credentialStatus, not both", path="credentialStatus")
    if "credentialStatus" not in body:
        if "action" not in body:
            raise StructureInvalid("the request body needs action (revoke, suspend, unsuspend) or credentialStatus "
                                   "(VC API: [{type, statusPurpose}] with status true or false)", path="action")
        return body["action"], body.get("reason")
    entries = body["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    if len(entries) != 1 or not isinstance(entries[0], Mapping):
        raise StructureInvalid("credentialStatus must be one object {type, statusPurpose} (or a list of one)",
                               path="credentialStatus")
    entry = entries[0]
    if entry.get("type") != "BitstringStatusListEntry":
        raise StructureInvalid(f"credentialStatus.type must be BitstringStatusListEntry, got {entry.get('type')!r}",
                               path="credentialStatus.type")
    purpose, value = entry.get("statusPurpose"), body.get("status", True)
    if not isinstance(value, bool):
        raise StructureInvalid(f"status must be true or false, got {value!r}", path="status")
    if purpose not in ("revocation", "suspension"):
        raise StructureInvalid(f"credentialStatus.statusPurpose must be revocation or suspension, got {purpose!r}",
                               path="credentialStatus.statusPurpose")
    if (purpose, value) not in VC_API_STATUS:
        raise StructureInvalid("a revocation cannot be undone: status false is only for suspension", path="status")
    return VC_API_STATUS[(purpose, value)], body.get("reason", VC_API_REASON)
