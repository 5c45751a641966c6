"""Strict JSON-LD expansion: nothing is silently dropped, nothing is fetched.

Plain JSON-LD drops a property no context defines and keeps an undefined ``type`` as a relative
IRI, which then vanishes from the RDF dataset; a signature over that dataset would not cover it.
Here each of those is an error with its own code, naming the term and where it is:

- a property that does not expand to an IRI: ``JsonLdTermUndefined``;
- a ``type`` value that does not expand to an absolute IRI: ``JsonLdTypeUndefined``;
- an ``id`` (or an IRI value) that stays relative: ``JsonLdRelativeIri``;
- a context that redefines a protected term: ``JsonLdProtectedTerm``;
- an ``@context`` URL that is not shipped: ``JsonLdContextUnknown`` (from ``loader``);
- any other JSON-LD error: ``JsonLdInvalid``.

Processed contexts are kept between calls (in the loader's ``cache``), so expanding the next document with
the same ``@context`` does not process the contexts again; the expansion of each term on a processed
context is kept too (the loader's ``iris``), and PyLD's absolute-IRI test remembers short strings
(decision 0160). Neither changes an answer: both are bounded and keyed by what decides the answer.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping

from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from ..errors import (
    JsonLdInvalid, JsonLdProtectedTerm, JsonLdRelativeIri, JsonLdTermUndefined, JsonLdTypeUndefined,
    PassportError,
)
from .loader import DEFAULT_LOADER, DocumentLoader

MAX_REMEMBERED_IRIS = 50_000  # expansions of a term or IRI on a processed context, per loader
MAX_REMEMBERED_CHARS = 200  # a longer value (an IRI in a document, say) is worked out each time

_pyld_is_absolute_iri = jsonld._is_absolute_iri


@functools.lru_cache(maxsize=8192)
def _absolute(value: str) -> bool:
    return bool(_pyld_is_absolute_iri(value))


def is_absolute_iri(value: Any) -> bool:
    """PyLD's test, remembered for short strings: it runs a regular expression on every IRI of
    every node, tens of thousands of times per rdfc verify. Installed in PyLD for the process."""
    if type(value) is str and len(value) <= MAX_REMEMBERED_CHARS:
        return _absolute(value)
    return bool(_pyld_is_absolute_iri(value))


jsonld._is_absolute_iri = is_absolute_iri  # same answers (as a bool), faster


class StrictProcessor(jsonld.JsonLdProcessor):
    """PyLD's processor, raising where it would drop a term. One instance per operation."""

    def __init__(self, loader: DocumentLoader | None = None) -> None:
        super().__init__(on_property_dropped=self._dropped)
        self.loader = loader or DEFAULT_LOADER
        self._frames: list[tuple[Any, dict[str, Any], str | None]] = []  # (active context, object, property)

    def options(self) -> dict[str, Any]:
        return {"documentLoader": self.loader, "contextResolver": ContextResolver(self.loader.cache, self.loader),
                "base": None, "processingMode": "json-ld-1.1"}

    def _expand_object(self, active_ctx, active_property, expanded_active_property, element, *args, **kwargs):
        self._frames.append((active_ctx, element, active_property))
        try:
            return super()._expand_object(active_ctx, active_property, expanded_active_property, element,
                                          *args, **kwargs)
        finally:
            self._frames.pop()

    def _dropped(self, expanded_property: Any) -> None:
        active_ctx, element, _ = self._frames[-1]
        for key in sorted(element):  # PyLD walks the keys in this order: the first that fails is this one
            if key == "@context":
                continue
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if expanded is None or not (is_absolute_iri(expanded) or jsonld._is_keyword(expanded)):
                where = self.path(key)
                raise JsonLdTermUndefined(f"{where}: the term {key!r} is not defined by the document's @context",
                                          term=key, path=where)
        raise JsonLdTermUndefined(f"{self.path()}: a property is not defined by the document's @context",
                                  path=self.path())

    def path(self, key: str | None = None) -> str:
        names = [prop for _, _, prop in self._frames if prop]
        return ".".join([*names, key] if key else names) or "(document)"

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False, propagate=True,
                         validate_scoped=True, cycles=None):
        """PyLD's, remembered per loader: the same context on the same active context is processed once.

        PyLD caches a processed context only for an active context with a known ``_uuid``; a
        type-scoped context gets a fresh clone (and ``_uuid``) every time, so without this each
        ``OpenBadgeCredential`` or ``DataIntegrityProof`` node processed its context again.
        """
        key = _memo_key(active_ctx, local_ctx, self.loader.owned, override_protected, propagate, validate_scoped)
        if key is None:
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                            validate_scoped, cycles)
        found = self.loader.processed.get(key)
        if found is None:
            result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                              validate_scoped, cycles)
            found = self.loader.processed[key] = (local_ctx, result)  # holding local_ctx keeps its id() unique
        return found[1]

    def _expand_iri(self, active_ctx, value, base=None, vocab=False, local_ctx=None, defined=None):
        """PyLD's, remembered per finished context: a term is looked up once, not once per node.

        A processed context is frozen by PyLD (a ``frozendict``) and named by its ``_uuid``, so the
        same value on it always expands the same way. A context still being built, or a call
        made while processing one (``local_ctx``), is not remembered.
        """
        if (local_ctx is not None or type(active_ctx) is not jsonld.frozendict or type(value) is not str
                or len(value) > MAX_REMEMBERED_CHARS):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        key = (active_ctx["_uuid"], value, base, vocab)
        iris = self.loader.iris
        try:
            return iris[key]
        except KeyError:
            pass
        found = super()._expand_iri(active_ctx, value, base, vocab)
        if len(iris) >= MAX_REMEMBERED_IRIS:
            iris.clear()  # a bound, not a policy: the terms of the shipped contexts fill it again at once
        iris[key] = found
        return found

    def _create_term_definition(self, active_ctx, local_ctx, term, *args, **kwargs):
        try:
            return super()._create_term_definition(active_ctx, local_ctx, term, *args, **kwargs)
        except jsonld.JsonLdError as exc:
            if isinstance(exc.details, dict):
                exc.details.setdefault("term", term)  # the innermost term is the one redefined
            raise


def _memo_key(active_ctx: Any, local_ctx: Any, owned: set[int], *flags: bool) -> tuple[Any, ...] | None:
    """How a processed context is remembered; None: not at all (a document's own inline context)."""
    uuid = active_ctx.get("_uuid") if isinstance(active_ctx, Mapping) else None
    if not isinstance(uuid, str):
        return None
    if isinstance(local_ctx, str):
        local: Any = local_ctx
    elif isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        local = tuple(local_ctx)  # a document's list of context URLs: the same for every document
    elif id(local_ctx) in owned:
        local = ("scoped", id(local_ctx))  # a scoped context inside a served context, never changed
    else:
        return None
    return (uuid, local, *flags)


def expand(document: Any, loader: DocumentLoader | None = None) -> list[Any]:
    """The document in expanded form, or the first problem as a ``JsonLdInvalid`` subclass."""
    processor = StrictProcessor(loader)
    try:
        expanded = processor.expand(document, processor.options())
    except jsonld.JsonLdError as exc:
        raise translate(exc) from exc
    check_iris(expanded)
    return expanded


def to_rdf(document: Any, loader: DocumentLoader | None = None) -> dict[str, Any]:
    """The RDF dataset of the document (PyLD's form), after the strict expansion.

    PyLD's ``to_rdf`` from its second half: the expanded form is made once, by ``expand``.
    """
    expanded = expand(document, loader)
    processor = StrictProcessor(loader)
    options = {**processor.options(), "produceGeneralizedRdf": False}
    issuer = IdentifierIssuer("_:b")
    try:
        node_map: dict[str, Any] = {"@default": {}}
        processor._create_node_map(expanded, node_map, "@default", issuer)
        return {name: processor._graph_to_rdf(graph, issuer, options)
                for name, graph in sorted(node_map.items())
                if name == "@default" or is_absolute_iri(name)}
    except jsonld.JsonLdError as exc:
        raise translate(exc) from exc


def translate(exc: BaseException) -> PassportError:
    """A PyLD error as ours: our own error when one is its cause (the loader's refusal)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, PassportError):
            return cause
        cause = cause.__cause__ or cause.__context__
    cause = exc
    while cause is not None:  # the innermost JSON-LD error says what is wrong
        if isinstance(cause, jsonld.JsonLdError) and getattr(cause, "code", None):
            break
        cause = cause.__cause__
    error = cause if isinstance(cause, jsonld.JsonLdError) else exc
    code = getattr(error, "code", None) or "invalid JSON-LD"
    details = error.details if isinstance(getattr(error, "details", None), dict) else {}
    if code == "protected term redefinition":
        term = details.get("term", "?")
        return JsonLdProtectedTerm(f"the @context redefines the protected term {term!r}", term=term)
    return JsonLdInvalid(f"not valid JSON-LD: {code}: {error.args[0] if error.args else error}", jsonldCode=code)


def check_iris(expanded: Any, path: str = "") -> None:
    """Every ``@type`` an absolute IRI, every ``@id`` absolute or a blank node."""
    if isinstance(expanded, list):
        for item in expanded:
            check_iris(item, path)
        return
    if not isinstance(expanded, dict):
        return
    if "@value" in expanded:
        return  # a literal: its @type is a datatype IRI from a context, checked by PyLD
    for type_ in expanded.get("@type", []):
        if not is_absolute_iri(type_):
            raise JsonLdTypeUndefined(f"{path or '(document)'}: the type {type_!r} is not defined by the "
                                      "document's @context", type=type_, path=path or "(document)")
    node_id = expanded.get("@id")
    if isinstance(node_id, str) and not (node_id.startswith("_:") or is_absolute_iri(node_id)):
        raise JsonLdRelativeIri(f"{path or '(document)'}: {node_id!r} is a relative IRI; an id must be an "
                                "absolute IRI (a URL, a URN or a DID)", value=node_id, path=path or "(document)")
    for key, value in expanded.items():
        if key not in ("@type", "@id"):
            check_iris(value, f"{path} > {key}" if path else key)
