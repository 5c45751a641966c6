"""DCQL (OpenID4VP 1.0 section 6) for Paspoort credentials: build a query, read one, match
credentials against it, and check a ``vp_token`` answers it.

Only the credential format ``ldp_vc`` is spoken. A credential query names its types in
``meta.type_values`` as fully expanded IRIs; a credential's types are expanded with the
contexts it names (only those shipped with the package, never fetched; a term they do not
define stays as it is, as the specification allows). ``claims`` paths point into the
credential; for the profile they name the blocks asked for (``["credentialSubject", "skills"]``).

What Paspoort asks (``build_query``): the worker's profile (required when blocks are asked for)
and, per endorsement type, an optional query with ``multiple: true``; ``credential_sets`` says
which are required. Each presentation in the ``vp_token`` holds one credential.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import PassportError, RequestInvalid
from ..protocol_errors import CredentialNotRequested, ResponseInvalid
from ..format.documents import BLOCK_KEYS, PROFILE_TYPE
from ..jsonld.loader import context_document

FORMAT = "ldp_vc"
VC_IRI = "https://www.w3.org/2018/credentials#VerifiableCredential"
PASPOORT_VOCAB = "https://w3id.org/paspoort/vocab#"
PROFILE_QUERY = "persoonlijk_profiel"
QUERY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_CREDENTIAL_QUERIES = 16
MAX_CLAIMS = 32


@dataclass(frozen=True)
class CredentialQuery:
    id: str
    type_values: tuple[tuple[str, ...], ...]
    claims: tuple[tuple[Any, ...], ...]
    multiple: bool

    @property
    def blocks(self) -> list[str]:
        """The profile blocks the claims name (``["credentialSubject", <block>]``)."""
        return [path[1] for path in self.claims if len(path) == 2 and path[0] == "credentialSubject"
                and path[1] in BLOCK_KEYS]

    @property
    def type_names(self) -> list[str]:
        """The Paspoort type names asked for, for people (``AantoonbaarBekwaamCredential``)."""
        return [value.removeprefix(PASPOORT_VOCAB) for values in self.type_values for value in values
                if value.startswith(PASPOORT_VOCAB)]

    def matches(self, credential: Mapping[str, Any]) -> bool:
        types = expanded_types(credential)
        if not any(set(values) <= types for values in self.type_values):
            return False
        return all(_has_path(credential, path) for path in self.claims)


@dataclass(frozen=True)
class Query:
    credentials: tuple[CredentialQuery, ...]
    required: frozenset[str]  # ids that must be answered (every required credential set's only option)
    document: dict[str, Any]

    def find(self, query_id: str) -> CredentialQuery | None:
        return next((item for item in self.credentials if item.id == query_id), None)


def type_iri(name: str) -> str:
    return PASPOORT_VOCAB + name


def query_id_for(type_name: str) -> str:
    """``AantoonbaarBekwaamCredential`` -> ``aantoonbaar_bekwaam``."""
    words = re.findall(r"[A-Z][a-z]*", type_name.removesuffix("Credential"))
    return "_".join(word.lower() for word in words)


def build_query(*, blocks: Iterable[str], types: Iterable[str]) -> dict[str, Any]:
    """The DCQL query for profile ``blocks`` (required) and endorsement ``types`` (each optional)."""
    blocks, types = list(dict.fromkeys(blocks)), [t for t in dict.fromkeys(types) if t != PROFILE_TYPE]
    unknown = [block for block in blocks if block not in BLOCK_KEYS]
    if unknown:
        raise RequestInvalid(f"unknown profile blocks {unknown}; the blocks are {list(BLOCK_KEYS)}")
    credentials: list[dict[str, Any]] = []
    sets: list[dict[str, Any]] = []
    if blocks:
        credentials.append({"id": PROFILE_QUERY, "format": FORMAT,
                            "meta": {"type_values": [[VC_IRI, type_iri(PROFILE_TYPE)]]},
                            "claims": [{"path": ["credentialSubject", block]} for block in blocks]})
        sets.append({"options": [[PROFILE_QUERY]], "required": True})
    for name in types:
        credentials.append({"id": query_id_for(name), "format": FORMAT, "multiple": True,
                            "meta": {"type_values": [[VC_IRI, type_iri(name)]]}})
        sets.append({"options": [[query_id_for(name)]], "required": False})
    if not credentials:
        raise RequestInvalid("the request asks for nothing: name profile blocks or endorsement types")
    return {"credentials": credentials, "credential_sets": sets}


def parse_query(document: Any) -> Query:
    """A DCQL query, checked (``RequestInvalid``): ldp_vc only, ids unique, paths well-formed."""
    if not isinstance(document, dict) or not isinstance(document.get("credentials"), list):
        raise RequestInvalid("dcql_query must be an object with a credentials array")
    items = document["credentials"]
    if not 1 <= len(items) <= MAX_CREDENTIAL_QUERIES:
        raise RequestInvalid(f"dcql_query.credentials must hold 1 to {MAX_CREDENTIAL_QUERIES} queries")
    queries = [_credential_query(item, index) for index, item in enumerate(items)]
    ids = [item.id for item in queries]
    if len(set(ids)) != len(ids):
        raise RequestInvalid("dcql_query.credentials has the same id twice")
    return Query(tuple(queries), _required(document.get("credential_sets"), set(ids)), document)


def _credential_query(item: Any, index: int) -> CredentialQuery:
    where = f"dcql_query.credentials[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not QUERY_ID.match(item["id"]):
        raise RequestInvalid(f"{where}.id must be 1-64 letters, digits, '_' or '-'")
    if item.get("format") != FORMAT:
        raise RequestInvalid(f"{where}.format {str(item.get('format'))[:40]!r} is not supported; only {FORMAT}")
    meta = item.get("meta")
    values = meta.get("type_values") if isinstance(meta, dict) else None
    if not isinstance(values, list) or not values or not all(
            isinstance(inner, list) and inner and all(isinstance(v, str) for v in inner) for inner in values):
        raise RequestInvalid(f"{where}.meta.type_values must be a non-empty array of non-empty string arrays")
    claims = item.get("claims", [])
    if not isinstance(claims, list) or len(claims) > MAX_CLAIMS or ("claims" in item and not claims):
        raise RequestInvalid(f"{where}.claims must be a non-empty array of at most {MAX_CLAIMS} claims queries")
    if "claim_sets" in item:
        raise RequestInvalid(f"{where}.claim_sets is not supported")
    paths = []
    for claim in claims:
        path = claim.get("path") if isinstance(claim, dict) else None
        if not isinstance(path, list) or not path or not all(
                isinstance(step, str) or step is None or (isinstance(step, int) and not isinstance(step, bool)
                                                          and step >= 0) for step in path):
            raise RequestInvalid(f"{where}.claims: each path is a non-empty array of names, indexes or null")
        paths.append(tuple(path))
    multiple = item.get("multiple", False)
    if not isinstance(multiple, bool):
        raise RequestInvalid(f"{where}.multiple must be true or false")
    return CredentialQuery(item["id"], tuple(tuple(inner) for inner in values), tuple(paths), multiple)


def _required(sets: Any, ids: set[str]) -> frozenset[str]:
    if sets is None:
        return frozenset(ids)  # without credential_sets every credential query is asked for
    if not isinstance(sets, list) or not sets:
        raise RequestInvalid("dcql_query.credential_sets must be a non-empty array")
    required: set[str] = set()
    for index, item in enumerate(sets):
        options = item.get("options") if isinstance(item, dict) else None
        if not isinstance(options, list) or not options or not all(
                isinstance(option, list) and option and all(name in ids for name in option) for option in options):
            raise RequestInvalid(f"dcql_query.credential_sets[{index}].options must list credential query ids")
        if item.get("required", True) is True and len(options) == 1:
            required |= set(options[0])
    return frozenset(required)


def expanded_types(credential: Mapping[str, Any]) -> set[str]:
    """The credential's ``type`` values as IRIs, by the shipped contexts it names."""
    types = credential.get("type")
    types = [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)] if isinstance(
        types, list) else []
    terms: dict[str, str] = {}
    contexts = credential.get("@context")
    for url in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(url, str):
            terms.update(_terms(url))
    return {terms.get(name, name) for name in types}


@functools.lru_cache(maxsize=64)
def _terms(url: str) -> dict[str, str]:
    """A shipped context's top-level terms and their IRIs (cached: contexts never change)."""
    try:
        context = context_document(url).get("@context", {})
    except PassportError:
        return {}
    found = {}
    for name, value in context.items() if isinstance(context, dict) else ():
        target = value if isinstance(value, str) else value.get("@id") if isinstance(value, dict) else None
        if isinstance(target, str) and ":" in target:
            found[name] = target
    return found


def _has_path(value: Any, path: tuple[Any, ...]) -> bool:
    """Whether a claims path pointer selects something (null: every element of an array)."""
    if not path:
        return True
    step, rest = path[0], path[1:]
    if step is None:
        return isinstance(value, list) and all(_has_path(item, rest) for item in value)
    if isinstance(step, int):
        return isinstance(value, list) and step < len(value) and _has_path(value[step], rest)
    return isinstance(value, dict) and step in value and _has_path(value[step], rest)


def answered(query: Query, vp_token: Any) -> list[tuple[CredentialQuery, dict[str, Any]]]:
    """Every ``(credential query, presentation)`` of a ``vp_token``, checked against the query:
    only ids it asked for, one presentation unless ``multiple``, one credential per presentation
    that matches its query, every required query answered. Raises ``ResponseInvalid`` or
    ``CredentialNotRequested``."""
    if not isinstance(vp_token, dict) or not vp_token:
        raise ResponseInvalid("vp_token must be a non-empty JSON object keyed by credential query id")
    found: list[tuple[CredentialQuery, dict[str, Any]]] = []
    for query_id, presentations in vp_token.items():
        asked = query.find(query_id)
        if asked is None:
            raise CredentialNotRequested(f"vp_token answers {query_id[:64]!r}, which the request did not ask for",
                                         query=query_id[:64])
        if not isinstance(presentations, list) or not presentations:
            raise ResponseInvalid(f"vp_token.{query_id} must be a non-empty array of presentations")
        if len(presentations) > 1 and not asked.multiple:
            raise ResponseInvalid(f"vp_token.{query_id} holds {len(presentations)} presentations; one was asked for")
        for presentation in presentations:
            credentials = presentation.get("verifiableCredential") if isinstance(presentation, dict) else None
            credentials = [credentials] if isinstance(credentials, dict) else credentials
            if not isinstance(credentials, list) or len(credentials) != 1 or not isinstance(credentials[0], dict):
                raise ResponseInvalid(f"each presentation in vp_token.{query_id} must be an object holding one "
                                      "credential")
            if not asked.matches(credentials[0]):
                raise CredentialNotRequested(f"a credential in vp_token.{query_id} is not what that query asks for "
                                             "(type or claims)", query=query_id)
            found.append((asked, presentation))
    missing = sorted(query.required - set(vp_token))
    if missing:
        raise ResponseInvalid(f"vp_token does not answer the required credential queries {missing}", missing=missing)
    return found
