"""Colours and type sizes for older eyes: white and yellow on black, huge letters.

Every text colour is checked against the background at a contrast ratio of at least 7:1
(WCAG AAA) by a test; meaning never rides on colour alone (words and shapes carry it too).
"""

from __future__ import annotations

Color = tuple[int, int, int]

BG: Color = (0, 0, 0)
PANEL: Color = (28, 28, 36)
FG: Color = (255, 255, 255)
DIM: Color = (205, 205, 205)
ACCENT: Color = (255, 214, 10)
GOOD: Color = (110, 230, 140)
WARN: Color = (255, 150, 130)
TARGET: Color = (255, 214, 10)
TRACK: Color = (110, 110, 120)  # 4.2:1 on black; green 3.2:1 and yellow 3.6:1 on it
EDGE: Color = (150, 150, 160)  # the outline that sets a panel off the black (7.2:1)
PROP: Color = (150, 150, 160)  # chairs, walls and floors in pictograms: there, but quiet

TEXT_COLORS: dict[str, Color] = {"fg": FG, "dim": DIM, "accent": ACCENT, "good": GOOD,
                                 "warn": WARN}
#: Colours a sign (tick, cross, arrow) may take; "bg" is a tick cut out of a filled bar.
SIGN_COLORS: dict[str, Color] = {**TEXT_COLORS, "bg": BG}

#: Capitals at least 7 % of the screen height: on the official 7-inch display (86 mm high) that
#: is 6 mm, about 10 arcmin at 2 m, the letter size a 20/40 reader still reads fluently
#: (Legge & Bigelow 2011, "Does print size matter for reading?", J Vis 11(5):8 — fluent reading
#: needs about twice the acuity limit; 20/40 resolves 5 arcmin letters). Checked by measuring
#: the rendered "H" in tests/test_ui_layout.py.
MIN_CAP = 0.07
#: Capital height over font size for Atkinson Hyperlegible Bold (measured: 34 px caps at 50 px).
CAP_RATIO = 0.68
#: Type sizes as a fraction of the screen height. Everything a person reads, the caption and
#: every label included, is at least ``MIN_BODY`` (capitals of ``MIN_CAP``); "small" is kept
#: as a name only and is no smaller than body.
MIN_BODY = 0.105
SIZES: dict[str, float] = {"small": MIN_BODY, "body": MIN_BODY, "title": 0.115, "big": 0.30,
                           "huge": 0.42}
#: Non-text marks (target lines, tracks, panels) reach 3:1 against what they sit on (WCAG 2.1
#: success criterion 1.4.11, non-text contrast).
MIN_MARK_CONTRAST = 3.0

FONT_BOLD = "fonts/AtkinsonHyperlegible-Bold.ttf"


def luminance(c: Color) -> float:
    """Relative luminance (WCAG 2)."""

    def chan(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = c
    return 0.2126 * chan(r) + 0.7152 * chan(g) + 0.0722 * chan(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
