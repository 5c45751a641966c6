"""Paspoort: the Persoonlijk Profiel Paspoort library (placeholder until verification lands)."""
from .errors import PassportError
from .keys import Ed25519Key

__all__ = ["Ed25519Key", "PassportError"]
