"""``check_expansion`` remembered per document shape: the same answer, without PyLD on a repeat.

The strict JSON-LD expansion of a document depends on its keys, its non-string values and the
strings JSON-LD reads as IRIs, terms or keywords (``@context``, ``id``, ``type``, values of
``@id``/``@vocab`` terms...). A string that expansion turns into a plain literal
(``{"@value": s}``) cannot change the outcome: PyLD decides that it is a literal from the active
context and the property alone, before it looks at the string, and nothing after looks inside
it (``check_iris`` skips value objects). A string expanded as an IRI that is not a term (an
``@id``, or the value of an ``@id``-typed term; never ``type`` or an ``@vocab`` term) matters
only through its *IRI class* (``iri_class``): whether it looks like a keyword, the prefix before
its first colon (a term of the context or a scheme), whether ``//`` follows, whether it holds
white space, whether it is an absolute IRI. Two strings of one class expand to IRIs that are both
absolute (or blank nodes), or both not.

``ExpansionChecks.check`` walks a document into its *skeleton* (structure, keys, non-string values;
each string replaced by a marker) and its strings in walk order. A document that expanded
strictly is remembered by its skeleton, the set ``L`` of string positions PyLD took as literals,
the set ``I`` it took as non-term IRIs, the classes of the strings in ``I`` and the strings at
every other position. A later document with the same skeleton, the same classes in ``I`` and the
same strings elsewhere outside ``L`` expands the same way, so it passes without PyLD. Anything else (a new
shape, another type, another IRI, any failure) runs ``check_expansion`` itself: errors are
never remembered and always come from the real check.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Mapping

from ..jsonld import DocumentLoader
from ..jsonld.strict import StrictProcessor, check_iris
from .vcdm import check_expansion

MAX_SHAPES = 256  # skeletons remembered (then the memory starts empty)
MAX_PER_SHAPE = 256  # accepted string tuples per skeleton and literal set


class ExpansionChecks:
    """``check_expansion`` for one document loader, remembering successes per shape (thread-safe)."""

    def __init__(self, loader: DocumentLoader | None = None) -> None:
        self.loader = loader
        self._shapes: dict[tuple[Any, ...], list[tuple[Roles, set[tuple[Any, ...]]]]] = {}
        self._lock = threading.Lock()
        self.hits = 0

    def check(self, document: Mapping[str, Any]) -> None:
        """Raise as ``check_expansion(document, loader)`` would; return when it would pass."""
        skeleton, strings = shape(document)
        for roles, accepted in self._shapes.get(skeleton, ()):
            if _key(strings, roles) in accepted:
                self.hits += 1
                return
        roles = self._learn(document)
        if roles is None:
            check_expansion(document, self.loader)  # the real error (or, should learning fail oddly, a pass)
            return
        with self._lock:
            if len(self._shapes) >= MAX_SHAPES:
                self._shapes.clear()
            entries = self._shapes.setdefault(skeleton, [])
            for known, accepted in entries:
                if known == roles:
                    if len(accepted) >= MAX_PER_SHAPE:
                        accepted.clear()
                    accepted.add(_key(strings, roles))
                    return
            entries.append((roles, {_key(strings, roles)}))

    def _learn(self, document: Mapping[str, Any]) -> Roles | None:
        """The positions read as literals and as non-term IRIs, from one strict expansion of the
        document with its strings marked; None when that expansion fails."""
        marked = _marked(dict(document), iter(range(1 << 62)))
        processor = _LiteralRecorder(self.loader)
        try:
            check_iris(processor.expand(marked, processor.options()))  # as ``expand`` does
        except Exception:  # noqa: BLE001 - the real check says what is wrong
            return None
        literals = frozenset(processor.literals - processor.other)
        iris = frozenset(processor.iris - processor.other - processor.literals)
        return literals, iris


def shape(document: Any) -> tuple[tuple[Any, ...], list[str]]:
    """``(skeleton, strings)``: the JSON as nested tuples with each string replaced by a marker
    (numbers, booleans and null kept with their type), and those strings in walk order."""
    strings: list[str] = []

    def walk(node: Any) -> Any:
        kind = type(node)  # the exact types first: isinstance with an ABC is slow
        if kind is str or (kind is not dict and kind is not list and isinstance(node, str)):
            strings.append(node)
            return _STRING
        if kind is dict or (kind is not list and isinstance(node, Mapping)):
            return (_OBJECT, *[(key, walk(value)) for key, value in node.items()])
        if kind is list or isinstance(node, list):
            return (_ARRAY, *[walk(item) for item in node])
        return (kind.__name__, node)  # 1, 1.0 and True differ here

    return walk(document), strings


_STRING, _OBJECT, _ARRAY = ("s",), ("o",), ("a",)  # markers no JSON value becomes


Roles = tuple[frozenset[int], frozenset[int]]  # (literal positions, non-term IRI positions)
_WHITE = re.compile(r"\s")
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")  # PyLD's _is_absolute_iri


def iri_class(value: str) -> tuple[Any, ...]:
    """What PyLD's IRI expansion (not as a term, no base) and ``check_iris`` look at in ``value``."""
    if value.startswith("@"):
        return ("keyword", value)
    colon = value.find(":")
    prefix, suffix = (value[:colon], value[colon + 1:]) if colon > 0 else (None, value)
    return ("iri", prefix, suffix.startswith("//"), _WHITE.search(value) is not None,
            _ABSOLUTE.match(value) is not None)


def _key(strings: list[str], roles: Roles) -> tuple[Any, ...]:
    literals, iris = roles
    return tuple(iri_class(value) if position in iris else value
                 for position, value in enumerate(strings) if position not in literals)


class _Marked(str):
    """A string value with its position in walk order (``shape``'s order)."""

    position: int

    def __new__(cls, value: str, position: int) -> "_Marked":
        marked = super().__new__(cls, value)
        marked.position = position
        return marked

    def __deepcopy__(self, _memo) -> "_Marked":
        return self


def _marked(node: Any, counter) -> Any:
    if isinstance(node, str):
        return _Marked(node, next(counter))
    if isinstance(node, Mapping):
        return {key: _marked(value, counter) for key, value in node.items()}
    if isinstance(node, list):
        return [_marked(item, counter) for item in node]
    return node


class _LiteralRecorder(StrictProcessor):
    """The strict processor, noting each marked string it expands into a plain literal, each it
    expands as a non-term IRI, and each it reads any other way."""

    def __init__(self, loader: DocumentLoader | None) -> None:
        super().__init__(loader)
        self.literals: set[int] = set()
        self.iris: set[int] = set()
        self.other: set[int] = set()

    def _expand_iri(self, active_ctx, value, base=None, vocab=False, local_ctx=None, defined=None):
        if isinstance(value, _Marked):
            (self.iris if not vocab and local_ctx is None and base is None else self.other).add(value.position)
        return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)

    def _expand_value(self, active_ctx, active_property, value, options):
        result = super()._expand_value(active_ctx, active_property, value, options)
        if isinstance(value, _Marked) and isinstance(result, dict) and result.get("@value") is value \
                and "@id" not in result:
            self.literals.add(value.position)
        return result
