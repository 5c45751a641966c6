"""Bytes and text at the bottom: strict JSON input, the canonical form (JCS), multibase, date values."""
