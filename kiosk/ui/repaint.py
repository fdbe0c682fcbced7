"""Paint only what changed: a view is compared with the one on screen, item by item.

Views are frozen dataclasses that carry only what is shown (the clock to the minute, countdowns
in whole seconds), so an unchanged screen is an equal view and costs no drawing and no present.
When items changed, the regions they covered before and cover now are repainted (cleared, and
every item reaching into them drawn again in order), which gives the same pixels as a full
paint; past ``FULL_SHARE`` of the screen, or when the items kept changed their order, a full
paint is simpler and no slower.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.ui.paint import Painter
from kiosk.ui.views import Item, ScreenView

#: Above this share of the screen's pixels a full repaint and present replace the regions:
#: merging and clipping many large regions saves nothing over painting it all once.
FULL_SHARE = 0.5

Extent = Callable[[Item, int, int], pygame.Rect]


def changed_regions(old: ScreenView, new: ScreenView, extent: Extent,
                    size: tuple[int, int]) -> list[pygame.Rect] | None:
    """The screen regions to repaint to turn ``old`` into ``new``, merged where they overlap;
    ``None`` when only a full repaint is right (or no dearer)."""
    w, h = size
    if len(set(old.items)) < len(old.items) or len(set(new.items)) < len(new.items):
        return None  # the same item twice: counting which copy went is not worth it
    before, after = set(old.items), set(new.items)
    if [i for i in old.items if i in after] != [i for i in new.items if i in before]:
        return None  # items kept but drawn in another order: overlaps would change
    rects = [extent(i, w, h) for i in old.items if i not in after]
    rects += [extent(i, w, h) for i in new.items if i not in before]
    merged = merge([r.clip(pygame.Rect(0, 0, w, h)) for r in rects if r.w and r.h])
    if sum(r.w * r.h for r in merged) > FULL_SHARE * w * h:
        return None
    return merged


def merge(rects: list[pygame.Rect]) -> list[pygame.Rect]:
    """Overlapping rectangles joined into their union, until none overlap."""
    out: list[pygame.Rect] = []
    for r in rects:
        r = r.copy()
        joined = True
        while joined:
            joined = False
            for k, other in enumerate(out):
                if r.colliderect(other):
                    r.union_ip(out.pop(k))
                    joined = True
                    break
        if r.w and r.h:
            out.append(r)
    return out


class Repainter:
    """Keeps what is on a surface and brings it up to date with the next view."""

    def __init__(self, painter: Painter):
        self.painter = painter
        self.view: ScreenView | None = None
        self.size: tuple[int, int] = (0, 0)

    def forget(self) -> None:
        """The surface was drawn on by someone else: the next paint is a full one."""
        self.view = None

    def paint(self, surface: pygame.Surface, view: ScreenView) -> list[pygame.Rect] | None:
        """Bring ``surface`` to ``view``: ``[]`` when nothing changed, the regions repainted,
        or ``None`` after a full paint."""
        size = surface.get_size()
        old, self.view = self.view, view
        if old is not None and size == self.size and view == old:
            return []
        regions = None
        if old is not None and size == self.size:
            regions = changed_regions(old, view, self.painter.extent, size)
        self.size = size
        if regions is None:
            self.painter.paint(surface, view)
            return None
        self.painter.repaint(surface, view, regions)
        return regions
