"""The painter: the only code that draws. It places a ``ScreenView`` on a pygame surface.

Text is fitted, not clipped: it wraps onto its allowed lines and shrinks, but never below the
minimum body size (6 % of the screen height); what still does not fit is marked ``overflow`` so
the layout tests catch it. Works on pygame 2.1 (Debian 12), current pygame and pygame-ce.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from kiosk.paths import assets_dir
from kiosk.ui import theme
from kiosk.ui.views import Bar, Box, Item, Ring, ScreenView, Text

FLOOR = {"small": theme.MIN_BODY, "body": theme.MIN_BODY, "title": theme.MIN_BODY,
         "big": 0.12, "huge": 0.12}


@dataclass(frozen=True, slots=True)
class Placed:
    """Where an item landed, for layout tests: its rectangle and whether its text fitted."""

    item: Item
    rect: pygame.Rect
    overflow: bool = False
    px: int = 0


class Painter:
    """Draws views; caches fonts by pixel size."""

    def __init__(self):
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[int, pygame.font.Font] = {}
        self._font_path = assets_dir() / theme.FONT_BOLD

    def font(self, px: int) -> pygame.font.Font:
        f = self._fonts.get(px)
        if f is None:
            path = str(self._font_path) if self._font_path.exists() else None
            f = self._fonts[px] = pygame.font.Font(path, px)
        return f

    def paint(self, surface: pygame.Surface, view: ScreenView) -> list[Placed]:
        surface.fill(theme.BG)
        return [self._draw(surface, item) for item in view.items]

    # -- items ------------------------------------------------------------------------------
    def _draw(self, s: pygame.Surface, item: Item) -> Placed:
        w, h = s.get_size()
        if isinstance(item, Box):
            rect = pygame.Rect(round(item.x * w), round(item.y * h), round(item.w * w),
                               round(item.h * h))
            pygame.draw.rect(s, item.color, rect, border_radius=max(0, h // 60))
            if item.outline:
                pygame.draw.rect(s, item.outline, rect, width=max(3, h // 120),
                                 border_radius=max(0, h // 60))
            return Placed(item, rect)
        if isinstance(item, Bar):
            return Placed(item, self._bar(s, item, w, h))
        if isinstance(item, Ring):
            return Placed(item, self._ring(s, item, w, h))
        return self._text(s, item, w, h)

    def _bar(self, s: pygame.Surface, b: Bar, w: int, h: int) -> pygame.Rect:
        rect = pygame.Rect(round(b.x * w), round(b.y * h), max(2, round(b.w * w)),
                           max(2, round(b.h * h)))
        pygame.draw.rect(s, theme.TRACK, rect)
        frac = max(0.0, min(1.0, b.fraction))
        if rect.w >= rect.h:  # horizontal
            fill = pygame.Rect(rect.x, rect.y, round(rect.w * frac), rect.h)
        else:
            fill_h = round(rect.h * frac)
            fill = pygame.Rect(rect.x, rect.bottom - fill_h, rect.w, fill_h)
        pygame.draw.rect(s, b.color, fill)
        if b.marker is not None:
            m = max(0.0, min(1.0, b.marker))
            thick = max(3, h // 160)
            if rect.w >= rect.h:
                x = rect.x + round(rect.w * m)
                pygame.draw.line(s, theme.TARGET, (x, rect.y - thick), (x, rect.bottom + thick),
                                 thick)
            else:
                y = rect.bottom - round(rect.h * m)
                pygame.draw.line(s, theme.TARGET, (rect.x - thick, y), (rect.right + thick, y),
                                 thick)
        return rect

    def _ring(self, s: pygame.Surface, r: Ring, w: int, h: int) -> pygame.Rect:
        radius = round(r.r * h)
        cx, cy = round(r.cx * w), round(r.cy * h)
        rect = pygame.Rect(cx - radius, cy - radius, 2 * radius, 2 * radius)
        thick = max(6, radius // 7)
        pygame.draw.circle(s, theme.TRACK, (cx, cy), radius, thick)
        frac = max(0.0, min(1.0, r.fraction))
        if frac > 0:
            # an arc made of short segments: draw.arc leaves gaps when thick on older pygame
            steps = max(2, int(90 * frac))
            pts = [(cx + (radius - thick / 2) * math.sin(2 * math.pi * frac * i / steps),
                    cy - (radius - thick / 2) * math.cos(2 * math.pi * frac * i / steps))
                   for i in range(steps + 1)]
            pygame.draw.lines(s, r.color, False, pts, thick)
        return rect

    def _wrap(self, font: pygame.font.Font, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        return lines

    def fit(self, t: Text, w: int, h: int) -> tuple[int, list[str], bool]:
        """Pixel size and lines for a text item, shrinking to fit; overflow if it cannot."""
        width = round(t.max_w * w)
        px = round(theme.SIZES[t.size] * h)
        floor = round(FLOOR[t.size] * h)
        while True:
            font = self.font(px)
            lines = self._wrap(font, t.text, width)
            fits = len(lines) <= t.lines and all(font.size(ln)[0] <= width for ln in lines)
            if fits or px <= floor:
                break
            px = max(floor, int(px * 0.92))
        if not fits:
            lines = lines[: t.lines]
            while lines and font.size(lines[-1] + "…")[0] > width and len(lines[-1]) > 1:
                lines[-1] = lines[-1][:-1]
            lines[-1] = lines[-1] + "…"
        return px, lines, not fits

    def _text(self, s: pygame.Surface, t: Text, w: int, h: int) -> Placed:
        if not t.text:
            return Placed(t, pygame.Rect(round(t.x * w), round(t.y * h), 0, 0))
        px, lines, overflow = self.fit(t, w, h)
        font = self.font(px)
        color = theme.TEXT_COLORS[t.color]
        line_h = font.get_linesize()
        top = round(t.y * h - line_h * len(lines) / 2)
        rects = []
        for i, ln in enumerate(lines):
            img = font.render(ln, True, color)
            r = img.get_rect()
            r.top = top + i * line_h
            x = round(t.x * w)
            if t.anchor == "left":
                r.left = x
            elif t.anchor == "right":
                r.right = x
            else:
                r.centerx = x
            s.blit(img, r)
            rects.append(r)
        rect = rects[0].unionall(rects[1:]) if len(rects) > 1 else rects[0]
        return Placed(t, rect, overflow, px)
