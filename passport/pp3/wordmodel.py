"""The frozen data of PP3: the word-frequency model and the structural preset dictionary.

``data/words.txt.gz`` (gzip of UTF-8 lines ``"<count> <word>"``, most frequent first) is a
static model of general Dutch and English: 20,000 Dutch and 5,000 English lower-case words from
wordfreq 3.1.1, with counts summing to at most 2**24. The word at line ``i`` (from 0) is symbol
``i``, coded with probability ``count / total``. From the same list an order-1 letter model is
derived for words spelled out: for every letter (and "start of word") the counts of the next
letter, "end of word" (STOP) or "a character outside the list" (ESCAPE), each plus one.

``data/struct.bin`` is the preset dictionary of the structure stream's DEFLATE.

Both are normative and pinned by SHA-256; a file that does not match is refused (the
installation is broken), since a changed model would decode every QR text differently.
"""
from __future__ import annotations

import gzip
import hashlib
import math
from functools import lru_cache
from importlib import resources

from .rangecoder import MAX_TOTAL, cumulative

WORDS_FILE, WORDS_SHA256 = "words.txt.gz", "bea2dc501376e3ae9207cd08b66e866cdbf54d04889feb75ab0c1559fdab0dc7"
STRUCTURE_FILE, STRUCTURE_SHA256 = "struct.bin", "becdba6fa1b4d19952d83347d7176a60ef423212bd969b2d53f3d977ff4bb90a"


class WordModel:
    """The vocabulary with its static frequencies, and the letter model for spelled words."""

    def __init__(self, lines: bytes) -> None:
        self.words: list[str] = []
        self.counts: list[int] = []
        for line in lines.decode("utf-8").splitlines():
            count, word = line.split(" ")
            self.words.append(word)
            self.counts.append(int(count))
        self.cum = cumulative(self.counts)
        self.total = self.cum[-1]
        if self.total > MAX_TOTAL:
            raise RuntimeError("the PP3 word model's counts exceed 2**24")
        self.index = {word: i for i, word in enumerate(self.words)}
        self.letters = sorted({char for word in self.words for char in word})
        self.letter_codes = {char: i for i, char in enumerate(self.letters)}
        size = len(self.letters) + 2
        self.stop, self.escape = size - 2, size - 1  # STOP is also the "start of word" context
        counts = [[1] * size for _ in range(size)]
        for word in self.words:
            previous = self.stop
            for char in word:
                code = self.letter_codes[char]
                counts[previous][code] += 1
                previous = code
            counts[previous][self.stop] += 1
        self.letter_cum = [cumulative(row) for row in counts]  # letter_cum[previous] -> cumulative counts
        self.letter_cost = [[math.log2(sum(row) / count) for count in row] for row in counts]

    def cost(self, index: int) -> float:
        """Bits to code vocabulary word ``index``."""
        return math.log2(self.total / self.counts[index])


def _read(name: str, sha256: str) -> bytes:
    blob = resources.files(__package__).joinpath("data").joinpath(name).read_bytes()
    if hashlib.sha256(blob).hexdigest() != sha256:
        raise RuntimeError(f"passport/pp3/data/{name} is not the frozen PP3 file (SHA-256 {sha256})")
    return blob


@lru_cache(maxsize=1)
def word_model() -> WordModel:
    """The frozen word model, read and checked once (about 20 ms)."""
    return WordModel(gzip.decompress(_read(WORDS_FILE, WORDS_SHA256)))


@lru_cache(maxsize=1)
def structure_dictionary() -> bytes:
    return _read(STRUCTURE_FILE, STRUCTURE_SHA256)
