"""The printable passport: an A4 PDF whose QR codes carry the signed documents themselves.

``layout`` (what goes on the pages: the rules, profile parts, cards and QR codes), ``text``
(the words, Dutch and English) and ``pdf`` (the fpdf2 page: fonts, footer, vector QR codes).

    printed = export_pdf(profile, endorsements, lang="en", path="ria.pdf", now=now)
"""
from __future__ import annotations

from .layout import Printed, PrintedCode, export_pdf, fit_qr, module_size, profile_parts
from .pdf import PassportPage, find_fonts

__all__ = ["PassportPage", "Printed", "PrintedCode", "export_pdf", "find_fonts", "fit_qr", "module_size",
           "profile_parts"]
