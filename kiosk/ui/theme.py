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
TRACK: Color = (90, 90, 100)
PROP: Color = (150, 150, 160)  # chairs, walls and floors in pictograms: there, but quiet

TEXT_COLORS: dict[str, Color] = {"fg": FG, "dim": DIM, "accent": ACCENT, "good": GOOD,
                                 "warn": WARN}
#: Colours a sign (tick, cross, arrow) may take; "bg" is a tick cut out of a filled bar.
SIGN_COLORS: dict[str, Color] = {**TEXT_COLORS, "bg": BG}

#: Type sizes as a fraction of the screen height. Body text is at least 6 % (readable at 2 m
#: on a 7-inch screen); nothing a person must read is smaller.
SIZES: dict[str, float] = {"small": 0.065, "body": 0.075, "title": 0.10, "big": 0.30,
                           "huge": 0.42}
MIN_BODY = 0.06

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
