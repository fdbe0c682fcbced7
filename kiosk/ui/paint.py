"""The painter: the only code that draws. It places a ``ScreenView`` on a pygame surface.

Text is fitted, not clipped: it wraps onto its allowed lines and shrinks, but never below the
minimum body size (``theme.MIN_BODY``: capitals 7 % of the screen height); what still does not
fit is marked ``overflow`` so the layout tests catch it. ``Placed.rect`` is the *ink* of what
was drawn (the pixels, not the font's line box), so the tests can tell real overlaps from
touching line boxes.

Fast enough for 30 fps on a Pi at 1080p because nothing is rendered twice: text lines, fit
results and pictograms are cached (text by a pixel budget, so a long run cannot grow memory).
Works on pygame 2.1 (Debian 12), current pygame and pygame-ce: only long-standing calls.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pygame

from kiosk.paths import assets_dir
from kiosk.ui import theme
from kiosk.ui.pictograms import FALLBACK, FIGURES
from kiosk.ui.views import Bar, Box, Icon, Item, Ring, ScreenView, Text

FLOOR = {"small": theme.MIN_BODY, "body": theme.MIN_BODY, "title": theme.MIN_BODY,
         "big": 0.12, "huge": 0.12}
TEXT_CACHE_PX = 2_000_000  # ~8 MB of rendered lines: several 1080p screens' worth
ICON_CACHE_PX = 1_500_000  # ~6 MB of pictograms: a 1080p figure is 0.3 M pixels
FIT_CACHE = 1024
SUPERSAMPLE = 2  # pictograms are drawn at twice the size and scaled down: smooth edges


@dataclass(frozen=True, slots=True)
class Placed:
    """Where an item landed, for layout tests: its rectangle and whether its text fitted."""

    item: Item
    rect: pygame.Rect
    overflow: bool = False
    px: int = 0


class PixelCache:
    """Least recently used surfaces, bounded by their total pixels (so memory stays flat)."""

    def __init__(self, budget_px: int):
        self.budget_px = budget_px
        self.px = 0
        self._items: OrderedDict[tuple, tuple[pygame.Surface, Any]] = OrderedDict()

    def get(self, key: tuple) -> tuple[pygame.Surface, Any] | None:
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
        return hit

    def put(self, key: tuple, img: pygame.Surface, extra: Any = None
            ) -> tuple[pygame.Surface, Any]:
        entry = self._items[key] = (img, extra)
        self.px += img.get_width() * img.get_height()
        while self.px > self.budget_px and len(self._items) > 1:
            _, (old, _extra) = self._items.popitem(last=False)
            self.px -= old.get_width() * old.get_height()
        return entry


class Painter:
    """Draws views; caches fonts, fitted text, rendered lines and pictograms."""

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[int, pygame.font.Font] = {}
        self._font_path = assets_dir() / theme.FONT_BOLD
        self._fits: dict[tuple, tuple[int, tuple[str, ...], bool]] = {}
        self.lines = PixelCache(TEXT_CACHE_PX)
        self.icons = PixelCache(ICON_CACHE_PX)

    def font(self, px: int) -> pygame.font.Font:
        f = self._fonts.get(px)
        if f is None:
            path = str(self._font_path) if self._font_path.exists() else None
            f = self._fonts[px] = pygame.font.Font(path, px)
        return f

    def paint(self, surface: pygame.Surface, view: ScreenView) -> list[Placed]:
        surface.fill(theme.BG)
        w, h = surface.get_size()
        return [self._draw(surface, item, w, h) for item in view.items]

    def repaint(self, surface: pygame.Surface, view: ScreenView,
                regions: list[pygame.Rect]) -> None:
        """Paint ``view`` inside ``regions`` only: each is cleared and every item reaching
        into it drawn again in order, so the pixels there match a full ``paint``."""
        w, h = surface.get_size()
        reach = [(item, self.extent(item, w, h)) for item in view.items]
        try:
            for region in regions:
                surface.set_clip(region)
                surface.fill(theme.BG, region)
                for item, rect in reach:
                    if rect.colliderect(region):
                        self._draw(surface, item, w, h)
        finally:
            surface.set_clip(None)

    def extent(self, item: Item, w: int, h: int) -> pygame.Rect:
        """Every pixel drawing ``item`` may touch (halos, target bands and line ends included),
        found without drawing: what a partial repaint must clear and redraw."""
        if isinstance(item, Text):
            return self._text_extent(item, w, h)
        if isinstance(item, Icon):
            px = max(8, round(item.size * h))
            return pygame.Rect(0, 0, px, px).move(round(item.cx * w) - px // 2,
                                                  round(item.cy * h) - px // 2)
        if isinstance(item, Ring):
            radius = round(item.r * h)
            return pygame.Rect(round(item.cx * w) - radius, round(item.cy * h) - radius,
                               2 * radius, 2 * radius).inflate(4, 4)
        if isinstance(item, Box):
            return pygame.Rect(round(item.x * w), round(item.y * h), round(item.w * w),
                               round(item.h * h))
        rect = pygame.Rect(round(item.x * w), round(item.y * h), max(2, round(item.w * w)),
                           max(2, round(item.h * h)))
        thick = max(3, h // 160)
        return rect.inflate(4 * thick + 12, 4 * thick + 12)  # halo, band and marker reach

    def _text_extent(self, t: Text, w: int, h: int) -> pygame.Rect:
        if not t.text:
            return pygame.Rect(round(t.x * w), round(t.y * h), 0, 0)
        px, lines, _ = self.fit(t, w, h)
        font = self.font(px)
        rects = line_rects(t, w, h, font.get_linesize(), [font.size(ln) for ln in lines])
        return rects[0].unionall(rects[1:]).inflate(4, 4)  # a glyph's overhang past its advance

    # -- items ------------------------------------------------------------------------------
    def _draw(self, s: pygame.Surface, item: Item, w: int, h: int) -> Placed:
        if isinstance(item, Text):
            return self._text(s, item, w, h)
        if isinstance(item, Box):
            rect = pygame.Rect(round(item.x * w), round(item.y * h), round(item.w * w),
                               round(item.h * h))
            radius = max(0, h // 60)
            if item.outline:  # the outline as a filled shape with the box filled inside it:
                # pygame 2.6.1 leaves out the straight edges of a rounded outline (width=)
                # when a repainted region cuts its corners; filled shapes clip alike everywhere
                edge = max(3, h // 120)
                pygame.draw.rect(s, item.outline, rect, border_radius=radius)
                rect_in = rect.inflate(-2 * edge, -2 * edge)
                pygame.draw.rect(s, item.color, rect_in, border_radius=max(0, radius - edge))
            else:
                pygame.draw.rect(s, item.color, rect, border_radius=radius)
            return Placed(item, rect)
        if isinstance(item, Bar):
            return Placed(item, self._bar(s, item, w, h))
        if isinstance(item, Ring):
            return Placed(item, self._ring(s, item, w, h))
        return Placed(item, self._icon(s, item, w, h))

    def _bar(self, s: pygame.Surface, b: Bar, w: int, h: int) -> pygame.Rect:
        rect = pygame.Rect(round(b.x * w), round(b.y * h), max(2, round(b.w * w)),
                           max(2, round(b.h * h)))
        across = rect.w >= rect.h  # a horizontal bar fills left to right, a vertical one up
        if b.track:
            pygame.draw.rect(s, theme.TRACK, rect)
        frac = max(0.0, min(1.0, b.fraction))
        if across:
            fill = pygame.Rect(rect.x, rect.y, round(rect.w * frac), rect.h)
        else:
            fill_h = round(rect.h * frac)
            fill = pygame.Rect(rect.x, rect.bottom - fill_h, rect.w, fill_h)
        thick = max(3, h // 160)
        if not b.track:  # a mark on whatever is behind it: a dark halo keeps it 3:1 or more
            pygame.draw.rect(s, theme.BG, rect.inflate(2 * max(2, thick // 2),
                                                       2 * max(2, thick // 2)))
        if b.hollow:
            pygame.draw.rect(s, b.color, fill, width=thick)
        else:
            pygame.draw.rect(s, b.color, fill)
        if b.zone is not None:  # the target band: an outline reaching past the bar's edges
            lo, hi = (max(0.0, min(1.0, z)) for z in b.zone)
            if across:
                zone = pygame.Rect(rect.x + round(rect.w * lo), rect.y - 2 * thick,
                                   round(rect.w * (hi - lo)), rect.h + 4 * thick)
            else:
                zone = pygame.Rect(rect.x - 2 * thick, rect.bottom - round(rect.h * hi),
                                   rect.w + 4 * thick, round(rect.h * (hi - lo)))
            pygame.draw.rect(s, theme.BG, zone.inflate(4, 4), width=thick + 4)  # halo
            pygame.draw.rect(s, theme.TARGET, zone, width=thick)
        if b.marker is not None:
            m = max(0.0, min(1.0, b.marker))
            if across:
                x = rect.x + round(rect.w * m)
                pygame.draw.line(s, theme.BG, (x, rect.y - thick - 2), (x, rect.bottom + thick + 2),
                                 thick + 4)
                pygame.draw.line(s, theme.TARGET, (x, rect.y - thick), (x, rect.bottom + thick),
                                 thick)
            else:
                y = rect.bottom - round(rect.h * m)
                pygame.draw.line(s, theme.BG, (rect.x - thick - 2, y), (rect.right + thick + 2, y),
                                 thick + 4)
                pygame.draw.line(s, theme.TARGET, (rect.x - thick, y), (rect.right + thick, y),
                                 thick)
        return rect

    def _ring(self, s: pygame.Surface, r: Ring, w: int, h: int) -> pygame.Rect:
        """A track circle and the done part as one filled band with round ends (no seams)."""
        radius = round(r.r * h)
        cx, cy = round(r.cx * w), round(r.cy * h)
        rect = pygame.Rect(cx - radius, cy - radius, 2 * radius, 2 * radius)
        thick = max(6, radius // 6)
        pygame.draw.circle(s, theme.TRACK, (cx, cy), radius, thick)
        frac = max(0.0, min(1.0, r.fraction))
        if frac >= 1.0:
            pygame.draw.circle(s, r.color, (cx, cy), radius, thick)
        elif frac > 0:
            steps = max(2, int(120 * frac))
            angles = [2 * math.pi * frac * i / steps for i in range(steps + 1)]
            inner = radius - thick + 0.5

            def at(a: float, rad: float) -> tuple[float, float]:
                return cx + rad * math.sin(a), cy - rad * math.cos(a)

            outer_pts = [at(a, radius - 0.5) for a in angles]
            inner_pts = [at(a, inner) for a in reversed(angles)]
            pygame.draw.polygon(s, r.color, outer_pts + inner_pts)
            pygame.draw.aalines(s, r.color, False, outer_pts)
            pygame.draw.aalines(s, r.color, False, inner_pts)
            mid = radius - thick / 2
            for a in (0.0, angles[-1]):
                x, y = at(a, mid)
                pygame.draw.circle(s, r.color, (round(x), round(y)), thick // 2)
        return rect

    def _icon(self, s: pygame.Surface, icon: Icon, w: int, h: int) -> pygame.Rect:
        px = max(8, round(icon.size * h))
        key = (icon.name, px, icon.color, icon.mirror, icon.pose)
        hit = self.icons.get(key) or self.icons.put(
            key, render_pictogram(icon.name, px, theme.SIGN_COLORS[icon.color], icon.mirror,
                                  icon.pose))
        img = hit[0]
        rect = img.get_rect(center=(round(icon.cx * w), round(icon.cy * h)))
        s.blit(img, rect)
        return rect

    # -- text -------------------------------------------------------------------------------
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

    def fit(self, t: Text, w: int, h: int) -> tuple[int, tuple[str, ...], bool]:
        """Pixel size and lines for a text item, shrinking to fit; overflow if it cannot."""
        key = (t.text, t.size, t.max_w, t.lines, w, h)
        hit = self._fits.get(key)
        if hit is not None:
            return hit
        width = round(t.max_w * w)
        px = math.ceil(theme.SIZES[t.size] * h)
        floor = math.ceil(FLOOR[t.size] * h)
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
        if len(self._fits) >= FIT_CACHE:
            self._fits.clear()
        out = self._fits[key] = (px, tuple(lines), not fits)
        return out

    def _line(self, text: str, px: int, color: theme.Color) -> tuple[pygame.Surface, Any]:
        """A rendered line and its ink rectangle, from the cache when it was drawn before."""
        key = (text, px, color)
        hit = self.lines.get(key)
        if hit is None:
            img = self.font(px).render(text, True, color)
            hit = self.lines.put(key, img, img.get_bounding_rect())
        return hit

    def _text(self, s: pygame.Surface, t: Text, w: int, h: int) -> Placed:
        if not t.text:
            return Placed(t, pygame.Rect(round(t.x * w), round(t.y * h), 0, 0))
        px, lines, overflow = self.fit(t, w, h)
        color = theme.TEXT_COLORS[t.color]
        drawn_lines = [self._line(ln, px, color) for ln in lines]
        rects = line_rects(t, w, h, self.font(px).get_linesize(),
                           [img.get_size() for img, _ in drawn_lines])
        ink: pygame.Rect | None = None
        for (img, bounds), r in zip(drawn_lines, rects, strict=True):
            s.blit(img, r)
            drawn = bounds.move(r.topleft)
            ink = drawn if ink is None else ink.union(drawn)
        assert ink is not None
        return Placed(t, ink, overflow, px)


def line_rects(t: Text, w: int, h: int, line_h: int,
               sizes: list[tuple[int, int]]) -> list[pygame.Rect]:
    """Where each line of a text item goes: stacked ``line_h`` apart around its centre line,
    placed by its anchor."""
    top = round(t.y * h - line_h * len(sizes) / 2)
    x = round(t.x * w)
    rects = []
    for i, size in enumerate(sizes):
        r = pygame.Rect((0, 0), size)
        r.top = top + i * line_h
        if t.anchor == "left":
            r.left = x
        elif t.anchor == "right":
            r.right = x
        else:
            r.centerx = x
        rects.append(r)
    return rects


def render_pictogram(name: str, px: int, color: theme.Color, mirror: bool = False,
                     pose: int = 0) -> pygame.Surface:
    """A pictogram as a transparent ``px`` square: drawn large, then smoothly scaled down;
    ``mirror`` flips it left to right, ``pose`` picks the start or end pose."""
    pic = FIGURES.get(name) or FIGURES[FALLBACK]
    size = px * SUPERSAMPLE
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    colors = {"body": color, "prop": theme.PROP, "accent": theme.ACCENT}
    widths = {"body": pic.width, "prop": pic.width * 0.55, "accent": pic.width * 0.8}
    for shape, role, data in pic.pose(pose):
        c = colors[role]
        lw = max(2, round(widths[role] * size))
        if shape in ("disc", "ring"):
            (x, y), rad = data
            centre = (round(x * size), round(y * size))
            pygame.draw.circle(surf, c, centre, round(rad * size), 0 if shape == "disc" else lw)
            continue
        pts = [(round(x * size), round(y * size)) for x, y in data]
        if shape == "poly":
            pygame.draw.polygon(surf, c, pts)
            continue
        pygame.draw.lines(surf, c, shape == "loop", pts, lw)
        for p in pts:  # round joints and ends
            pygame.draw.circle(surf, c, p, lw // 2)
    img = pygame.transform.smoothscale(surf, (px, px))
    return pygame.transform.flip(img, True, False) if mirror else img
