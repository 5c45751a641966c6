"""The preset zlib dictionary of QR text version PP2 (SPEC.md section 9). FROZEN.

The 9,173 bytes are the file ``pp2-dictionary.bin`` beside this module (in the repository and in
the installed package), so another implementation can take the file as it is. PP2 texts decode
only with exactly these bytes: never edit them; a new dictionary is a new version. Made once by
``tools/build_qr_dictionary.py`` (how, and from what, is written there). The SHA-256 is
checked when the module loads: a damaged file stops the QR codec instead of misreading codes.
"""
from __future__ import annotations

import hashlib
from importlib import resources

FILE = "pp2-dictionary.bin"
DICTIONARY_SHA256 = "3bc95faeee914b909aba78c556488996eba64ad2e45a58680174f25fbf534bae"

DICTIONARY = resources.files(__package__).joinpath(FILE).read_bytes()
if hashlib.sha256(DICTIONARY).hexdigest() != DICTIONARY_SHA256:
    raise RuntimeError(f"passport/qr/{FILE} is damaged: its SHA-256 is not {DICTIONARY_SHA256}; reinstall passport")
