"""Free text in the PP3 value stream: word by word against the frozen word model.

A text is split into tokens that partition it exactly: words (runs of letters), numbers (runs
of 1-19 ASCII digits) and gaps (everything else). It is coded as alternating gap and item
symbols, each with adaptive models in two contexts (first position, later):

    gap, item, gap, item, ..., gap, END        or  ..., gap, item = END

* **gap**: one of the common ``GAPS`` (``""``, ``" "``, ``", "`` ...), ``GAP_END`` (the text ends),
  or ``GAP_SPELLED`` followed by its characters from ``PUNCT`` (or escaped code points) and STOP.
* **item**: WORD, NUMBER (digit count, then each digit) or END.
* **word**: if the previous word was seen followed by some word before, one bit says "that same
  word again" (repeated phrases). Otherwise a case class (lower, Capitalised, UPPER, Mixed, in
  three contexts: first word, after a sentence end, elsewhere) and the lower-case word as one or
  more parts (Dutch compounds), each part coded from the recency cache (the last 256 distinct
  words, by rank), the vocabulary (static frequency) or spelled with the letter model. The
  encoder picks the cheapest split; the decoder just follows. A word whose case no class
  reproduces is spelled as it stands (MIXED plus a "raw" bit).

Everything adaptive starts from the same priors on both sides, so encoder and decoder stay in
step. The decoder counts the characters it produces against the document's size limit.
"""
from __future__ import annotations

import math
import re

from ..errors import QRInvalid, QRTooLarge
from .rangecoder import Adaptive, Decoder, Encoder, cumulative
from .tables import (GAP_CODES, GAP_END, GAP_SPELLED, GAPS, PUNCT, PUNCT_CODES, PUNCT_ESCAPE, PUNCT_STOP,
                     UNICODE_SIZE)
from .wordmodel import WordModel

TOKEN = re.compile(r"([^\W\d_]+)|([0-9]{1,19})|((?:(?![0-9])[\W\d_])+)")  # word | number | gap
WORD_TOKEN, NUMBER_TOKEN, GAP_TOKEN = 1, 2, 3
ITEM_WORD, ITEM_NUMBER, ITEM_END = 0, 1, 2
FROM_CACHE, FROM_VOCABULARY, SPELLED = 0, 1, 2  # where a word part comes from
LOWER, CAPITALISED, UPPER, MIXED = 0, 1, 2, 3
CACHE_SIZE = 256
RANK_COUNTS = [max(1, int(4096 / (rank + 1.3))) for rank in range(CACHE_SIZE)]  # cache rank r ~ 1/(r+1.3)
RANK_CUM = cumulative(RANK_COUNTS)
MAX_SEGMENTED = 64  # longer lower-case words are spelled without searching for a split
MAX_PART = 40
DIGIT_CHARS = "0123456789"


def _gap_prior(first: bool) -> list[int]:
    counts = [2] * (GAP_SPELLED + 1)
    if first:
        counts[GAP_CODES[""]], counts[GAP_END], counts[GAP_SPELLED] = 400, 20, 8
        return counts
    counts[GAP_CODES[" "]], counts[GAP_END], counts[GAP_SPELLED] = 600, 90, 10
    for gap, count in ((", ", 40), (". ", 20), (": ", 12), ("-", 12), (".", 16), ("/", 8), ("", 6)):
        counts[GAP_CODES[gap]] = count
    for gap in (" (", ") ", "; ", "'", "://", "), ", ").", ")", " - "):
        counts[GAP_CODES[gap]] = 6
    return counts


class TextState:
    """What both sides learn while coding the texts of one document."""

    def __init__(self, model: WordModel, limit: int) -> None:
        self.model = model
        self.gap = [Adaptive(_gap_prior(True)), Adaptive(_gap_prior(False))]
        self.item = [Adaptive([60, 6, 10]), Adaptive([60, 10, 20])]
        self.case = [Adaptive([40, 40, 3, 2]), Adaptive([8, 60, 2, 1]), Adaptive([120, 20, 4, 2])]
        self.part_source = [Adaptive([20, 60, 12]), Adaptive([20, 40, 30])]  # first part, later parts
        self.more_parts = [Adaptive([60, 6]), Adaptive([30, 20])]  # after a looked-up part, after a spelled one
        self.digit_count = Adaptive([4, 6, 4, 8, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        self.digit = Adaptive([4] * 10)
        self.punct = Adaptive([4] * (PUNCT_ESCAPE + 1))
        self.follower_hit = Adaptive([8, 24])  # 0 = the word that followed last time, 1 = another
        self.cache: list[str] = []  # most recent first
        self.follower: dict[str, str] = {}
        self.chars = 0  # characters produced so far (decoder), against limit
        self.limit = limit

    def produced(self, count: int) -> None:
        self.chars += count
        if self.chars > self.limit:
            raise QRTooLarge(f"QR text decodes to more than {self.limit} bytes", limit=self.limit)

    def touch(self, word: str) -> None:
        """Move ``word`` to the front of the recency cache."""
        if word in self.cache:
            self.cache.remove(word)
        self.cache.insert(0, word)
        if len(self.cache) > CACHE_SIZE:
            self.cache.pop()


def _case_of(word: str) -> tuple[int | None, str]:
    """(case class, lower-case form), or (None, word) when no class gives ``word`` back."""
    lower = word.lower()
    if word == lower:
        return LOWER, lower
    if len(lower) == len(word):
        if lower[0].upper() != lower[0] and word == lower[0].upper() + lower[1:]:
            return CAPITALISED, lower
        if word == lower.upper():
            return UPPER, lower
        if all(a == b or a == b.upper() for a, b in zip(word, lower)):
            return MIXED, lower
    return None, word


def _case_context(gap: str, first: bool) -> int:
    if first:
        return 0
    stripped = gap.rstrip(" ")
    return 1 if stripped and stripped[-1] in ".!?" and gap.endswith(" ") else 2


# --- encoding ------------------------------------------------------------------------------------
def _split(state: TextState, lower: str) -> list[tuple[str, int]]:
    """The cheapest split of a lower-case word into parts (cache, vocabulary or spelled)."""
    model = state.model
    size = len(lower)
    best = [math.inf] * (size + 1)
    back: list[tuple[int, int]] = [(0, 0)] * (size + 1)
    best[0] = 0.0
    source_cost = [[state.part_source[later].cost(s) for s in range(3)] for later in (0, 1)]
    cache_rank = {word: rank for rank, word in enumerate(state.cache)}
    rank_total = RANK_CUM[len(state.cache)]
    for start in range(size):
        if best[start] == math.inf:
            continue
        costs = source_cost[start > 0]
        base = best[start] + (3.0 if start else 0.0)  # about the cost of a "more parts" symbol
        spelled, previous = 0.0, model.stop  # spelling lower[start:end], grown one letter at a time
        for end in range(start + 1, min(size, start + MAX_PART) + 1):
            part = lower[start:end]
            code = model.letter_codes.get(lower[end - 1])
            if code is None:
                spelled += model.letter_cost[previous][model.escape] + 21  # ~log2(UNICODE_SIZE)
                previous = model.stop
            else:
                spelled += model.letter_cost[previous][code]
                previous = code
            if (rank := cache_rank.get(part)) is not None:  # ties: cache, then vocabulary, then spelled
                cost = base + costs[FROM_CACHE] + math.log2(rank_total / RANK_COUNTS[rank])
                if cost < best[end]:
                    best[end], back[end] = cost, (start, FROM_CACHE)
            if (index := model.index.get(part)) is not None:
                cost = base + costs[FROM_VOCABULARY] + model.cost(index)
                if cost < best[end]:
                    best[end], back[end] = cost, (start, FROM_VOCABULARY)
            cost = base + costs[SPELLED] + spelled + model.letter_cost[previous][model.stop]
            if cost < best[end]:
                best[end], back[end] = cost, (start, SPELLED)
    parts = []
    end = size
    while end > 0:
        start, source = back[end]
        parts.append((lower[start:end], source))
        end = start
    return parts[::-1]


def _encode_spelled(encoder: Encoder, model: WordModel, part: str) -> None:
    previous = model.stop
    for char in part:
        code = model.letter_codes.get(char)
        cum = model.letter_cum[previous]
        if code is None:
            encoder.encode(cum[model.escape], cum[model.escape + 1] - cum[model.escape], cum[-1])
            encoder.uniform(ord(char), UNICODE_SIZE)
            previous = model.stop
        else:
            encoder.encode(cum[code], cum[code + 1] - cum[code], cum[-1])
            previous = code
    cum = model.letter_cum[previous]
    encoder.encode(cum[model.stop], cum[model.stop + 1] - cum[model.stop], cum[-1])


def _encode_word(encoder: Encoder, state: TextState, word: str, context: int) -> None:
    model = state.model
    case, lower = _case_of(word)
    if case is None:  # no case class reproduces it: spelled as it stands
        state.case[context].encode(encoder, MIXED)
        encoder.uniform(1, 2)
        parts = [(word, SPELLED)]
    else:
        state.case[context].encode(encoder, case)
        if case == MIXED:
            encoder.uniform(0, 2)
        if lower in state.cache:
            parts = [(lower, FROM_CACHE)]
        elif lower in model.index:
            parts = [(lower, FROM_VOCABULARY)]
        elif len(lower) > MAX_SEGMENTED:
            parts = [(lower, SPELLED)]
        else:
            parts = _split(state, lower)
    previous_source = None
    for number, (part, source) in enumerate(parts):
        if number:
            state.more_parts[previous_source == SPELLED].encode(encoder, 1)
        state.part_source[number > 0].encode(encoder, source)
        if source == FROM_CACHE:
            rank = state.cache.index(part)
            encoder.encode(RANK_CUM[rank], RANK_COUNTS[rank], RANK_CUM[len(state.cache)])
        elif source == FROM_VOCABULARY:
            index = model.index[part]
            encoder.encode(model.cum[index], model.counts[index], model.total)
        else:
            _encode_spelled(encoder, model, part)
        state.touch(part)
        previous_source = source
    state.more_parts[previous_source == SPELLED].encode(encoder, 0)
    if case is None:
        return
    if len(parts) > 1:
        state.touch(lower)
    if case == MIXED:
        for original, lowered in zip(word, lower):
            encoder.uniform(0 if original == lowered else 1, 2)


def _encode_gap(encoder: Encoder, state: TextState, gap: str, context: int) -> None:
    code = GAP_CODES.get(gap)
    if code is not None:
        state.gap[context].encode(encoder, code)
        return
    state.gap[context].encode(encoder, GAP_SPELLED)
    for char in gap:
        code = PUNCT_CODES.get(char)
        if code is None:
            state.punct.encode(encoder, PUNCT_ESCAPE)
            encoder.uniform(ord(char), UNICODE_SIZE)
        else:
            state.punct.encode(encoder, code)
    state.punct.encode(encoder, PUNCT_STOP)


def encode_text(encoder: Encoder, state: TextState, text: str) -> None:
    tokens = [(match.lastindex, match.group()) for match in TOKEN.finditer(text)]
    at, context, first, previous = 0, 0, True, None
    while True:
        gap = ""
        if at < len(tokens) and tokens[at][0] == GAP_TOKEN:
            gap = tokens[at][1]
            at += 1
        if at >= len(tokens) and gap == "":
            state.gap[context].encode(encoder, GAP_END)
            return
        _encode_gap(encoder, state, gap, context)
        if at >= len(tokens):
            state.item[context].encode(encoder, ITEM_END)
            return
        kind, token = tokens[at]
        at += 1
        if kind == NUMBER_TOKEN:
            state.item[context].encode(encoder, ITEM_NUMBER)
            state.digit_count.encode(encoder, len(token) - 1)
            for char in token:
                state.digit.encode(encoder, ord(char) - 48)
            previous = None
        else:
            state.item[context].encode(encoder, ITEM_WORD)
            guess = state.follower.get(previous) if previous is not None else None
            if guess is not None:
                state.follower_hit.encode(encoder, 0 if token == guess else 1)
            if guess is not None and token == guess:
                state.touch(_case_of(token)[1])
            else:
                _encode_word(encoder, state, token, _case_context(gap, first))
            if previous is not None:
                state.follower[previous] = token
            previous = token
        first, context = False, 1


# --- decoding ------------------------------------------------------------------------------------
def _decode_spelled(decoder: Decoder, state: TextState) -> str:
    model = state.model
    previous = model.stop
    out = []
    while True:
        code = decoder.table(model.letter_cum[previous])
        if code == model.stop:
            return "".join(out)
        if code == model.escape:
            out.append(_decode_char(decoder))
            previous = model.stop
        else:
            out.append(model.letters[code])
            previous = code
        state.produced(1)


def _decode_char(decoder: Decoder) -> str:
    point = decoder.uniform(UNICODE_SIZE)
    if 0xD800 <= point <= 0xDFFF:
        raise QRInvalid("QR text is damaged: it holds a lone surrogate")
    return chr(point)


def _decode_word(decoder: Decoder, state: TextState, context: int) -> str:
    model = state.model
    case = state.case[context].decode(decoder)
    raw = case == MIXED and bool(decoder.uniform(2))
    parts: list[str] = []
    previous_source = None
    while not parts or state.more_parts[previous_source == SPELLED].decode(decoder):
        source = state.part_source[bool(parts)].decode(decoder)
        if source == FROM_CACHE:
            if not state.cache:
                raise QRInvalid("QR text is damaged: it refers to an empty word cache")
            part = state.cache[decoder.table(RANK_CUM[:len(state.cache) + 1])]
        elif source == FROM_VOCABULARY:
            part = model.words[decoder.table(model.cum)]
        else:
            part = _decode_spelled(decoder, state)
            if not part:
                raise QRInvalid("QR text is damaged: it holds an empty word")
        state.touch(part)
        parts.append(part)
        previous_source = source
        state.produced(len(part))
    lower = "".join(parts)
    if raw:
        return lower
    if len(parts) > 1:
        state.touch(lower)
    if case == LOWER:
        return lower
    if case == CAPITALISED:
        return lower[0].upper() + lower[1:]
    if case == UPPER:
        return lower.upper()
    return "".join(char.upper() if decoder.uniform(2) else char for char in lower)


def _decode_gap(decoder: Decoder, state: TextState, code: int) -> str:
    if code != GAP_SPELLED:
        return GAPS[code]
    chars = []
    while (code := state.punct.decode(decoder)) != PUNCT_STOP:
        chars.append(_decode_char(decoder) if code == PUNCT_ESCAPE else PUNCT[code])
        state.produced(1)
    if not chars:
        raise QRInvalid("QR text is damaged: it holds an empty spelled gap")
    return "".join(chars)


def decode_text(decoder: Decoder, state: TextState) -> str:
    out: list[str] = []
    context, first, previous = 0, True, None
    while (code := state.gap[context].decode(decoder)) != GAP_END:
        gap = _decode_gap(decoder, state, code)
        out.append(gap)
        item = state.item[context].decode(decoder)
        if item == ITEM_END:
            break
        if item == ITEM_NUMBER:
            count = state.digit_count.decode(decoder) + 1
            out.append("".join(DIGIT_CHARS[state.digit.decode(decoder)] for _ in range(count)))
            previous = None
        else:
            guess = state.follower.get(previous) if previous is not None else None
            if guess is not None and state.follower_hit.decode(decoder) == 0:
                word = guess
                state.touch(_case_of(word)[1])
                state.produced(len(word))
            else:
                word = _decode_word(decoder, state, _case_context(gap, first))
            if previous is not None:
                state.follower[previous] = word
            out.append(word)
            previous = word
        first, context = False, 1
        state.produced(1)
    return "".join(out)
