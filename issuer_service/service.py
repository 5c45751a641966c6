"""What the views call: one function per operation, each one database transaction.

A view parses the request, calls one of these with the staff member and the clock, and
returns JSON. Issuing is a single transaction (status indexes, the signed credential, the
audit entry), so a process killed half-way leaves nothing behind.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping, NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from passport import sign
from passport.errors import PassportError, StructureInvalid
from passport.roles.issuing import TEMPLATES, did_document, from_template, issuer_profile, prepare, with_status
from passport.format.documents import paspoort_type
from passport.format.status_list import MESSAGE_PURPOSE, MESSAGE_VALUES, status_entry
from passport.format.vcdm import RANGE_ERROR, check_related_digests
from passport.format.vcdm_shapes import ExpansionChecks
from passport.proofs.cryptosuites import SUITES
from passport.encoding.timeutil import format_datetime

from .auth import GENERAL_TYPE, Staff, TokenCache, load_staff
from .db import Database
from .encoding import compact_json
from .errors import Conflict, Forbidden, NotFound
from .keyring import Keyring
from .models import AuditEntry, IssuedCredential, OrgKey
from .status_request import status_request
from .status import IndexBlocks, ListDocuments, gzip_etag, list_url, set_bit, set_value, utc

ACTIONS = {"revoke": ("revocation", True), "suspend": ("suspension", True), "unsuspend": ("suspension", False)}
MESSAGE_VALUE = {"revoke": MESSAGE_VALUES["revoked"], "suspend": MESSAGE_VALUES["suspended"],
                 "unsuspend": MESSAGE_VALUES["valid"]}
ISSUE_OPTIONS = frozenset({"template", "credentialId", "cryptosuite"})
MAX_ID_LENGTH = 64  # the longest credential id this service stores
MAX_LIST_ID = 2**31 - 1
STATUS_POSITION_NAMES = ("uq_credentials_status_position", "credentials.status_index")  # PostgreSQL, SQLite
INSERT_CREDENTIAL, INSERT_AUDIT = insert(IssuedCredential.__table__), insert(AuditEntry.__table__)


@dataclass
class Issuer:
    """Everything a request needs: settings, database, keys and the status list documents."""

    config: dict[str, Any]
    db: Database
    keyring: Keyring
    lists: ListDocuments
    tokens: TokenCache = field(init=False)
    indexes: IndexBlocks = field(init=False)
    expansion: ExpansionChecks = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = TokenCache(self.config["TOKEN_CACHE_SECONDS"])
        self.indexes = IndexBlocks(self.db, issuer_did=self.keyring.did, purpose=MESSAGE_PURPOSE,
                                   size=self.config["STATUS_LIST_SIZE"], capacity=self.config["STATUS_LIST_CAPACITY"])
        self.expansion = ExpansionChecks(self.config.get("DOCUMENT_LOADER"))  # the strict check, per shape

    @property
    def profile(self) -> str | dict[str, Any]:
        return issuer_profile(self.keyring.did, self.config.get("NAME"), self.config.get("URL"))

    def staff(self, header: str | None, now: datetime) -> Staff:
        """The staff member behind the header: from the token cache, or one small read."""
        return self.tokens.staff(self._read_staff, header, now)

    def _read_staff(self, digest: str):
        with self.db.reading_connection() as connection:
            return load_staff(connection, digest)

    # --- issuing ----------------------------------------------------------------------------
    def _submitted(self, staff: Staff, credential: Any, options: Any) -> Submission:
        """The body to prepare (template merged) and the request's options, once the token may issue it.

        Authorisation comes before any check of the document itself (``prepare``)."""
        if options is None:
            options = {}
        if not isinstance(options, Mapping):
            raise StructureInvalid("options must be a JSON object", path="options")
        unknown = sorted(set(options) - ISSUE_OPTIONS)
        if unknown:
            raise StructureInvalid(f"options: unknown option(s) {unknown}; known: {sorted(ISSUE_OPTIONS)}",
                                   path="options")
        valid_days = None
        if "template" in options:
            credential, valid_days = from_template(options["template"], credential)
        staff.may_issue(credential)
        credential_id = options.get("credentialId")
        if credential_id is not None and (not isinstance(credential_id, str) or len(credential_id) > MAX_ID_LENGTH):
            raise StructureInvalid(f"options.credentialId must be a URL of at most {MAX_ID_LENGTH} characters",
                                   path="options.credentialId")
        cryptosuite = options.get("cryptosuite", self.config["CRYPTOSUITE"])
        if not isinstance(cryptosuite, str) or cryptosuite not in SUITES:
            raise StructureInvalid(f"options.cryptosuite must be one of {sorted(SUITES)}, got {cryptosuite!r}",
                                   path="options.cryptosuite")
        return Submission(credential, valid_days, credential_id, cryptosuite)

    def _prepared(self, staff: Staff, submitted: Submission, now: datetime) -> Submission:
        prepared = prepare(submitted.credential, issuer=self.profile, valid_from=format_datetime(now),
                           valid_days=submitted.valid_days, general=staff.general,
                           credential_id=submitted.credential_id)
        staff.may_issue(prepared)
        if len(prepared["id"]) > MAX_ID_LENGTH:
            raise StructureInvalid(f"id: this service keeps credential ids of at most {MAX_ID_LENGTH} characters; "
                                   "leave id out and it makes a urn:uuid", path="id", vcdmError=RANGE_ERROR)
        return submitted._replace(credential=prepared)

    def prepare(self, staff: Staff, credential: Any, options: Any, now: datetime) -> Submission:
        """Every check issuing makes, without issuing: the credential as it would be signed."""
        return self._prepared(staff, self._submitted(staff, credential, options), now)

    def issue(self, staff: Staff, credential: Any, options: Any, now: datetime) -> dict[str, Any]:
        return self._issue(staff, [self.prepare(staff, credential, options, now)], now, batch=False)[0]

    def issue_prepared(self, staff: Staff, prepared: Submission, now: datetime,
                       claim: Callable[[Any], None]) -> dict[str, Any]:
        """One prepared credential, with ``claim(connection)`` run first in the same write transaction
        (OpenID4VCI: the offer, nonce and access token are used up together with the issuance)."""
        return self._issue(staff, [prepared], now, batch=False, claim=claim)[0]

    def issue_batch(self, staff: Staff, items: Any, options: Any, now: datetime) -> list[dict[str, Any]]:
        """All or nothing: every credential is checked first, then all are issued in one transaction."""
        limit = self.config["MAX_BATCH"]
        if not isinstance(items, list) or not items:
            raise StructureInvalid("credentials must be a non-empty list of credentials", path="credentials")
        if len(items) > limit:
            raise StructureInvalid(f"credentials: at most {limit} in one batch, got {len(items)}", path="credentials")
        submitted = [_at(position, self._submitted, staff, item, options) for position, item in enumerate(items)]
        prepared = [_at(position, self._prepared, staff, item, now) for position, item in enumerate(submitted)]
        ids = [item.credential["id"] for item in prepared]
        if len(set(ids)) != len(ids):
            raise StructureInvalid("credentials: two credentials in the batch have the same id", path="credentials")
        return self._issue(staff, prepared, now, batch=True)

    def _issue(self, staff: Staff, submissions: list[Submission], now: datetime,
               *, batch: bool, claim: Callable[[Any], None] | None = None) -> list[dict[str, Any]]:
        """Take a status index for each (``IndexBlocks``), check and sign them all, then store the
        credentials and their audit entries in one transaction (two inserts each).

        The strict JSON-LD expansion runs on exactly the document signed (the status entry included).
        A failure before the transaction, or a ``claim`` that refuses (it runs before any insert, so
        nothing is committed), gives the indexes back; once a credential insert has been sent they are
        never handed out again (whether it committed may be unknown)."""
        positions = self.indexes.take(len(submissions), now)
        stored = False
        try:
            signed = [_at(number, self._signed, item, position, now) if batch else self._signed(item, position, now)
                      for number, (item, position) in enumerate(zip(submissions, positions))]
            with self.db.writing() as connection:
                if claim is not None:
                    claim(connection)
                stored = True
                for document, (list_id, index) in zip(signed, positions):
                    self._store(connection, staff, document, list_id, index, now)
        except BaseException:
            if not stored:
                self.indexes.give_back(positions)
            raise
        return signed

    def _signed(self, submission: Submission, position: tuple[int, int], now: datetime) -> dict[str, Any]:
        list_id, index = position
        entries = [status_entry(list_url(self.config["BASE_URL"], list_id), index, MESSAGE_PURPOSE)]
        unsigned = with_status(submission.credential, entries)
        loader = self.config.get("DOCUMENT_LOADER")
        self.expansion.check(unsigned)
        check_related_digests(unsigned, loader)
        return sign(unsigned, self.keyring.signer, created=now, cryptosuite=submission.cryptosuite,
                    document_loader=loader)

    def _store(self, connection, staff: Staff, signed: dict[str, Any], list_id: int, index: int,
               now: datetime) -> None:
        """Insert the credential (at its status position) and its audit entry."""
        credential_id = signed["id"]
        kind = paspoort_type(signed) or GENERAL_TYPE
        subject = _subject_id(signed)
        try:
            connection.execute(INSERT_CREDENTIAL, {
                "id": credential_id, "type": kind, "subject_did": subject, "issuer_did": self.keyring.did,
                "issued_at": now, "issued_by": staff.name, "status_list_id": list_id, "status_index": index,
                "revocation_list_id": None, "revocation_index": None, "suspension_list_id": None,
                "suspension_index": None, "revoked": False, "suspended": False,
                "document": compact_json(signed)})
        except IntegrityError as exc:  # the whole transaction is rolled back
            if any(name in str(exc.orig) for name in STATUS_POSITION_NAMES):
                raise  # a status position held twice: a broken invariant, never a client's conflict
            raise Conflict(f"a credential with id {credential_id} was already issued",
                           credentialId=credential_id) from None
        connection.execute(INSERT_AUDIT, {"at": now, "actor": staff.name, "action": "issue",
                                          "credential_id": credential_id, "reason": None,
                                          "details": {"role": staff.role, "type": kind, "subject": subject}})

    # --- status -------------------------------------------------------------------------------
    def change_status(self, staff: Staff, body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """A status change in either request shape (``status_request``), then ``update_status``."""
        staff.require_role("admin")  # 403 before anything is said about the body
        action, reason = status_request(body)
        return self.update_status(staff, body.get("credentialId"), action, reason, now)

    def publish_status_list(self, staff: Staff, list_id: int, now: datetime) -> None:
        """The VC API / Bitstring "publish" step. Lists are served signed at every version, so
        this only checks the caller and that the list exists (and signs its current version)."""
        staff.require_role("admin")
        if not 0 <= list_id <= MAX_LIST_ID:
            raise NotFound(f"there is no status list {list_id}")
        self.lists.forget(list_id)  # read from the database, not from memory
        self.lists.served(self.db, list_id, now)

    def update_status(self, staff: Staff, credential_id: Any, action: Any, reason: Any,
                      now: datetime) -> dict[str, Any]:
        """The staff API's status change: an admin token, within its types and scope."""
        staff.require_role("admin")
        return self.update_status_in_scope(staff, credential_id, action, reason, now)

    def update_status_in_scope(self, staff: Staff, credential_id: Any, action: Any, reason: Any,
                               now: datetime) -> dict[str, Any]:
        """A status change by any staff member whose token covers the credential's type and scope
        (the issuing desk: an examiner suspends what she issued); audited with the staff name."""
        if not isinstance(credential_id, str) or not credential_id:
            raise StructureInvalid("credentialId must be the id of an issued credential", path="credentialId")
        _known_id(credential_id)
        if not isinstance(action, str) or action not in ACTIONS:
            raise StructureInvalid(f"action must be one of {sorted(ACTIONS)}, got {action!r}", path="action")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000 or _CONTROL.search(reason):
            raise StructureInvalid("reason is required: a short text (at most 2000 characters, no control "
                                   "characters) for the audit log", path="reason")
        purpose, value = ACTIONS[action]
        with self.db.transaction() as session:
            row = session.scalars(select(IssuedCredential).where(IssuedCredential.id == credential_id)
                                  .with_for_update(key_share=True)).first()
            if row is None:
                raise NotFound(f"no credential {credential_id} was issued here", credentialId=credential_id)
            staff.may_use(row.type, _stored(row))
            if row.status_list_id is not None:  # one message entry; revocation is final
                touched = row.status_list_id
                if not row.revoked:
                    changed = set_value(session, row.status_list_id, row.status_index, MESSAGE_VALUE[action], now)
                else:
                    changed = False
                row.revoked = row.revoked or purpose == "revocation"
                # one message: revoked (0x2) replaces suspended (0x1), and nothing comes after it
                row.suspended = False if row.revoked else (value if purpose == "suspension" else row.suspended)
            elif purpose == "revocation":  # issued before migration 0004: two one-bit entries
                touched = row.revocation_list_id
                changed = set_bit(session, row.revocation_list_id, row.revocation_index, True, now)
                row.revoked = True
            else:
                touched = row.suspension_list_id
                changed = set_bit(session, row.suspension_list_id, row.suspension_index, value, now)
                row.suspended = value
            session.add(AuditEntry(at=now, actor=staff.name, action=action, credential_id=credential_id,
                                   reason=reason.strip(), details={"role": staff.role, "changed": changed}))
            record = self._record(row)
        self.lists.forget(touched)  # this process serves the new version at once; others within the bound
        return record

    # --- lookups ------------------------------------------------------------------------------
    def lookup(self, staff: Staff, credential_id: str) -> dict[str, Any]:
        _known_id(credential_id)
        with self.db.reading() as session:
            row = session.get(IssuedCredential, credential_id)
            if row is None:
                raise NotFound(f"no credential {credential_id} was issued here", credentialId=credential_id)
            document = _stored(row)
            staff.may_use(row.type, document)
            record = self._record(row)
            record["verifiableCredential"] = document
            record["audit"] = [
                {"at": format_datetime(utc(entry.at)), "actor": entry.actor, "action": entry.action,
                 "reason": entry.reason}
                for entry in session.scalars(select(AuditEntry).where(AuditEntry.credential_id == credential_id)
                                             .order_by(AuditEntry.id))
            ]
            return record

    @staticmethod
    def _record(row: IssuedCredential) -> dict[str, Any]:
        return {"credentialId": row.id, "type": row.type, "subject": row.subject_did,
                "issuedAt": format_datetime(utc(row.issued_at)), "issuedBy": row.issued_by,
                "revoked": row.revoked, "suspended": row.suspended}

    def status_list(self, list_id: int, if_none_match: str | None, now: datetime,
                    *, gzipped: bool = False) -> tuple[int, str, bytes | None]:
        """``(HTTP status, ETag, body)``: 304 without a body when the client's copy is current.

        From memory while the kept version is fresh (``ListDocuments``); ``gzipped``: the gzip form."""
        if not 0 <= list_id <= MAX_LIST_ID:
            raise NotFound(f"there is no status list {list_id}")
        served = self.lists.served(self.db, list_id, now, gzipped=gzipped)
        etag = gzip_etag(served.etag) if gzipped else served.etag
        if if_none_match and _matches(if_none_match, (served.etag, gzip_etag(served.etag))):
            return 304, etag, None
        return 200, etag, served.gzipped if gzipped else served.body

    def did_document(self) -> dict[str, Any]:
        """All keys as Multikey methods of the issuer DID (did:web), or the did:key document."""
        if self.keyring.did.startswith("did:key:"):
            return did_document(self.keyring.did, [self.keyring.active.public_key_multibase])
        with self.db.reading() as session:
            keys = [row.public_key_multibase for row in session.scalars(
                select(OrgKey).where(OrgKey.did == self.keyring.did).order_by(OrgKey.id))]
        if self.keyring.active.public_key_multibase not in keys:
            keys.append(self.keyring.active.public_key_multibase)
        return did_document(self.keyring.did, keys)

    @staticmethod
    def templates() -> list[dict[str, Any]]:
        return [template.summary() for template in TEMPLATES.values()]

    def purge_text(self, now: datetime) -> int:
        """Drop stored copies' personal free text older than the retention period; the count."""
        days = self.config["TEXT_RETENTION_DAYS"]
        if not days:
            return 0
        cutoff = now - timedelta(days=days)
        count = 0
        with self.db.transaction() as session:
            rows = session.scalars(select(IssuedCredential).where(IssuedCredential.issued_at < cutoff,
                                                                  IssuedCredential.text_dropped_at.is_(None)))
            for row in rows:
                document = json.loads(row.document)
                row.document = compact_json(_without_text(document))
                row.text_dropped_at = now
                session.add(AuditEntry(at=now, actor="retention", action="purge-text", credential_id=row.id))
                count += 1
        return count


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Submission(NamedTuple):
    """One credential on its way to be signed, with what the request chose for it."""

    credential: Any
    valid_days: int | None
    credential_id: str | None
    cryptosuite: str


def _matches(if_none_match: str, etags: tuple[str, ...]) -> bool:
    """``If-None-Match`` names one of ``etags`` (weak comparison: ``W/`` is ignored) or is ``*``."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or any(tag in etags for tag in tags)


def _subject_id(credential: Mapping[str, Any]) -> str:
    """The first subject's id (a general credential may have several subjects, or none with an id)."""
    subjects = credential["credentialSubject"]
    first = subjects[0] if isinstance(subjects, list) else subjects
    value = first.get("id") if isinstance(first, Mapping) else None
    return value[:255] if isinstance(value, str) else ""


def _at(position: int, step, *args):
    """One batch item's step; its problem names the item (``credentials[3]: ...``, ``index``)."""
    try:
        return step(*args)
    except (PassportError, Forbidden) as exc:
        exc.message = f"credentials[{position}]: {exc.message}"
        exc.details["index"] = position
        raise


def _stored(row: IssuedCredential) -> dict[str, Any]:
    return json.loads(row.document)


def _known_id(credential_id: str) -> None:
    """Ids this service issues are short printable URIs; anything else cannot be one of them."""
    if len(credential_id) > 64 or _CONTROL.search(credential_id) or "\n" in credential_id:
        raise NotFound("no credential with that id was issued here")


_KEEP = frozenset({"@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialStatus", "proof"})


def _without_text(document: dict[str, Any]) -> dict[str, Any]:
    """The record kept after retention: ids, types, dates and status, not the subject's details."""
    kept = {key: value for key, value in document.items() if key in _KEEP}
    subjects = document.get("credentialSubject", {})
    kept["credentialSubject"] = [{"id": item.get("id")} for item in subjects if isinstance(item, Mapping)] \
        if isinstance(subjects, list) else {"id": subjects.get("id")}
    return kept

