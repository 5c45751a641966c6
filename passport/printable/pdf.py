"""The A4 page of the printable passport (fpdf2): fonts, footer, text helpers and vector QR codes.

QR codes are drawn as filled vector rectangles, one per run of dark modules (runs repeated in
the next rows are merged), so every printer and rasteriser reproduces the modules exactly; an
embedded bitmap would be smoothed by viewers when scaled. DejaVu Sans is used when installed
(Debian: ``fonts-dejavu-core``) so any Dutch text prints; without it the core Helvetica font
is used and text is reduced to Latin-1 (é, ë, ï are in it; dashes and quotes are replaced).
"""
from __future__ import annotations

import os
from typing import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

MARGIN = 15.0
FOOTER_SPACE = 24.0
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts",
             "/Library/Fonts", os.path.expanduser("~/.local/share/fonts"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MONO_FILE = "DejaVuSansMono.ttf"
STYLES = {  # name -> (mono, bold, size pt, grey level)
    "title": (False, True, 20, 0), "name": (False, True, 15, 0), "h1": (False, True, 13, 0),
    "h2": (False, True, 11, 0), "kind": (False, True, 8, 90), "body": (False, False, 9.5, 0),
    "bold": (False, True, 9.5, 0), "detail": (False, False, 8.5, 70), "small": (False, False, 7.5, 70),
    "label": (False, True, 8, 70), "mono": (True, False, 7, 0),
}
_LATIN1 = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2026": "...", "\u2022": "*", "\u2192": "->"})


def find_fonts(dirs: Sequence[str] = FONT_DIRS) -> dict[str, str] | None:
    """Paths of DejaVu Sans (regular, bold, mono), or None when not all are installed."""
    for folder in dirs:
        paths = {style: os.path.join(folder, name) for style, name in {**FONT_FILES, "mono": MONO_FILE}.items()}
        if all(os.path.isfile(path) for path in paths.values()):
            return paths
    return None


class PassportPage(FPDF):
    """An A4 document with the passport footer on every page (``footer_lines`` are set by the caller)."""

    def __init__(self, *, fonts: dict[str, str] | None = None, footer_lines: Sequence[str] = ()) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_SPACE)
        self.footer_lines = list(footer_lines)
        self.unicode = fonts is not None
        if fonts:
            for style in FONT_FILES:
                self.add_font("dejavu", style, fonts[style])
            self.add_font("dejavumono", "", fonts["mono"])
        self.sans, self.mono = ("dejavu", "dejavumono") if fonts else ("helvetica", "courier")
        self.set_creator("Paspoort")

    @property
    def width(self) -> float:
        """The usable width between the margins."""
        return self.w - self.l_margin - self.r_margin

    def clean(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def style(self, name: str) -> None:
        mono, bold, size, grey = STYLES[name]
        self.set_font(self.mono if mono else self.sans, "B" if bold and not mono else "", size)
        self.set_text_color(grey)

    def line_height(self, name: str) -> float:
        return STYLES[name][2] * 0.3528 * 1.3  # points to mm, with leading

    def para(self, value: str, style: str = "body", *, width: float = 0, x: float | None = None,
             align: str = "L", fill: tuple[int, int, int] | None = None) -> None:
        """A wrapped paragraph at ``x`` (default: the left margin); the cursor ends below it."""
        self.style(style)
        self.set_x(self.l_margin if x is None else x)
        if fill:
            self.set_fill_color(*fill)
        self.multi_cell(width, self.line_height(style), self.clean(value), align=align, fill=bool(fill),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=(1, 1.5) if fill else 0)

    def height_of(self, value: str, style: str, width: float) -> float:
        self.style(style)
        return self.multi_cell(width, self.line_height(style), self.clean(value), dry_run=True, output="HEIGHT")

    def facts_height(self, facts: Sequence[tuple[str, str]], width: float, label_width: float) -> float:
        return sum(self.height_of(value, "body", width - label_width) + 0.8 for _, value in facts)

    def facts(self, facts: Sequence[tuple[str, str]], *, x: float, width: float, label_width: float) -> None:
        """A two-column list: bold grey label, wrapped value."""
        for label, value in facts:
            top = self.get_y()
            self.style("label")
            self.set_xy(x, top + 0.4)
            self.cell(label_width, self.line_height("body"), self.clean(label))
            self.para(value, "body", width=width - label_width, x=x + label_width)
            self.set_y(max(self.get_y(), top + self.line_height("body")) + 0.8)

    def rule(self) -> None:
        self.set_draw_color(190)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the footer."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def qr(self, modules: Sequence[Sequence[bool]], x: float, y: float, module_mm: float) -> None:
        """Draw a QR matrix with its top-left module at (x, y); the caller keeps the quiet zone free."""
        self.set_fill_color(0)
        open_runs: dict[tuple[int, int], int] = {}  # (start, end) -> first row
        for row_index, row in enumerate([*modules, []]):
            runs = set(_runs(row))
            for run in [run for run in open_runs if run not in runs]:
                top = open_runs.pop(run)
                self.rect(x + run[0] * module_mm, y + top * module_mm, (run[1] - run[0]) * module_mm,
                          (row_index - top) * module_mm, style="F")
            for run in runs:
                open_runs.setdefault(run, row_index)

    def footer(self) -> None:
        self.set_y(-FOOTER_SPACE + 6)
        self.rule()
        self.set_y(self.get_y() + 1.5)
        for line in self.footer_lines:
            self.para(line.replace("{page}", str(self.page_no())), "small", align="C")


def _runs(row: Sequence[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, dark in enumerate([*row, False]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index))
            start = None
    return runs
