"""The worker's wallet: an encrypted file holding the holder key, profile and endorsements.

Modules, one job each: ``crypto`` (Argon2id + XChaCha20-Poly1305 sealing), ``store`` (the wallet
file), ``profile`` (setting the profile, stable entry ids), ``inbox`` (import and lookup of
credentials), ``share`` (selective presentations), ``request`` (verifier requests and sending),
``backup`` (backups and recovery codes), ``render`` (readable text). The file formats are
described in SPEC.md section 12 and docs/guides/wallet.md.
"""
from .store import Wallet

__all__ = ["Wallet"]
