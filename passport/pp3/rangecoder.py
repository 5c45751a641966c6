"""The range coder of the PP3 value stream, and the small adaptive models coded with it.

A symbol is coded as an interval ``[cum, cum + freq)`` of a frequency ``total`` (at most
2**24). The state is ``low`` and ``range``, with ``range`` kept in ``[2**32, 2**40)``: after each
symbol ``range = (range // total) * freq``, and while it is below 2**32 both are shifted left by
one byte (one output byte). The encoder keeps ``low`` as an exact Python integer, so carries need
no special handling. Finishing writes the shortest byte string whose value lies in the final
interval, minus up to four trailing zero bytes, which the decoder supplies itself.

The decoder mirrors it: ``target(total)`` names the frequency slot of the next symbol, the
caller finds the symbol whose interval holds it and calls ``consume(cum, freq)``. Reading more
than four bytes past the end of the data is a damaged stream (``QRInvalid``), so a hostile
stream cannot make the decoder run on zeros for ever.
"""
from __future__ import annotations

import math
from bisect import bisect_right

from ..errors import QRInvalid

TOP = 1 << 32
START_RANGE = 1 << 40
HEAD_BYTES = 5  # the decoder starts with five bytes of code
MAX_TOTAL = 1 << 24


class Encoder:
    """Collects symbols; ``finish()`` returns the coded bytes."""

    __slots__ = ("low", "range", "shifts")

    def __init__(self) -> None:
        self.low = 0
        self.range = START_RANGE
        self.shifts = 0

    def encode(self, cum: int, freq: int, total: int) -> None:
        step = self.range // total
        self.low += step * cum
        self.range = step * freq
        while self.range < TOP:
            self.range <<= 8
            self.low <<= 8
            self.shifts += 1

    def uniform(self, value: int, count: int) -> None:
        """``value`` out of ``count`` equally likely ones (``count`` at most 2**24)."""
        self.encode(value, 1, count)

    def bits(self, value: int, width: int) -> None:
        """An unsigned integer of ``width`` bits, most significant 24-bit chunk first."""
        while width > 0:
            step = min(width, 24)
            width -= step
            self.encode((value >> width) & ((1 << step) - 1), 1, 1 << step)

    def finish(self) -> bytes:
        size = self.shifts + HEAD_BYTES
        low, high = self.low, self.low + self.range - 1
        for k in range(4, -1, -1):  # range >= 2**32: a multiple of 256**4 always lies in [low, high]
            value = (high >> (8 * k)) << (8 * k)
            if value >= low:
                break
        out = value.to_bytes(size, "big")
        return out[:size - min(4, len(out) - len(out.rstrip(b"\0")))]


class Decoder:
    """Reads symbols back from the bytes an ``Encoder`` wrote."""

    __slots__ = ("data", "pos", "range", "code", "step")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = HEAD_BYTES
        self.range = START_RANGE
        self.code = int.from_bytes(data[:HEAD_BYTES].ljust(HEAD_BYTES, b"\0"), "big")
        self.step = 1

    def target(self, total: int) -> int:
        self.step = self.range // total
        value = self.code // self.step
        return value if value < total else total - 1

    def consume(self, cum: int, freq: int) -> None:
        self.code -= self.step * cum
        self.range = self.step * freq
        while self.range < TOP:
            self.range <<= 8
            if self.pos < len(self.data):
                self.code = (self.code << 8) | self.data[self.pos]
            elif self.pos >= len(self.data) + 4:
                raise QRInvalid("QR text is damaged: its value stream is cut short")
            else:
                self.code <<= 8
            self.pos += 1

    def uniform(self, count: int) -> int:
        value = self.target(count)
        self.consume(value, 1)
        return value

    def bits(self, width: int) -> int:
        value = 0
        while width > 0:
            step = min(width, 24)
            width -= step
            value = (value << step) | self.uniform(1 << step)
        return value

    def table(self, cum: list[int]) -> int:
        """The symbol of a static model given as cumulative counts (``cum[-1]`` is the total)."""
        index = bisect_right(cum, self.target(cum[-1])) - 1
        self.consume(cum[index], cum[index + 1] - cum[index])
        return index

    def finished(self) -> bool:
        """Whether every byte of the data has been read (the four implied zero bytes aside)."""
        return self.pos >= len(self.data)


def cumulative(counts: list[int]) -> list[int]:
    out = [0]
    for count in counts:
        out.append(out[-1] + count)
    return out


class Adaptive:
    """A small adaptive model: prior counts, ``increment`` added to a symbol each time it is
    coded, all counts halved (at least 1) when the total passes ``limit``."""

    __slots__ = ("counts", "total", "increment", "limit")

    def __init__(self, prior: list[int], increment: int = 24, limit: int = 1 << 16) -> None:
        self.counts = list(prior)
        self.total = sum(self.counts)
        self.increment = increment
        self.limit = limit

    def cost(self, symbol: int) -> float:
        """Bits to code ``symbol`` now (the encoder's choices use it)."""
        return math.log2(self.total / self.counts[symbol])

    def _update(self, symbol: int) -> None:
        self.counts[symbol] += self.increment
        self.total += self.increment
        if self.total > self.limit:
            self.counts = [max(1, count >> 1) for count in self.counts]
            self.total = sum(self.counts)

    def encode(self, encoder: Encoder, symbol: int) -> None:
        encoder.encode(sum(self.counts[:symbol]), self.counts[symbol], self.total)
        self._update(symbol)

    def decode(self, decoder: Decoder) -> int:
        slot = decoder.target(self.total)
        cum = 0
        for symbol, count in enumerate(self.counts):
            if slot < cum + count:
                break
            cum += count
        decoder.consume(cum, count)
        self._update(symbol)
        return symbol
