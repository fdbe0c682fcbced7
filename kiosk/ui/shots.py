"""Screenshots of every sample screen, and the comparison with the reviewed references.

``python -m kiosk.ui.shots DIR`` writes every screen at every size into DIR (to look at);
``--check`` compares them with ``tests/golden/`` and writes a diff sheet for each mismatch;
``--pictograms`` also writes every figure at 800x480 (start pose, end pose, mirrored) to look at;
``--update`` copies the mismatching ones over the references — run it only after looking at
the new images (a reference changes only with a person's look; ``git diff --stat`` then lists
what changed for the review).

Tolerance (why it is not zero): pygame, pygame-ce and the freetype/SDL_ttf builds they bundle
rasterise the same font and anti-aliased lines with slightly different edge shades and, now and
then, a glyph one pixel apart. So both images are first reduced 4 times (smoothscale: a 4x4
block average, which absorbs edge shades and 1-2 px shifts); a reduced pixel differs when any
channel is off by more than ``CHANNEL_TOL`` (of 255). That noise is scattered, while a real
change (a word, a colour, a sign, an item moved) is a cluster: a screen fails when any 8x8
block of reduced pixels (32x32 screen pixels) holds more than ``BLOCK_TOL`` differing ones.
Measured (docs/arch-ui.md): pygame 2.6.1 against pygame-ce references at most 8, the smallest
real change tried (one tick turned into a cross, a grey word turned white) at least 16.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "tests" / "golden"
GOLDEN_SIZES = ((800, 480), (1920, 1080))
LAYOUT_SIZES = ((800, 480), (1024, 600), (1280, 720), (1920, 1080))
REDUCE = 4
CHANNEL_TOL = 40
BLOCK = 8
BLOCK_TOL = 12


@dataclass(frozen=True, slots=True)
class Match:
    """How a rendered screen compares with its reference."""

    name: str
    fraction: float  # of reduced pixels that differ
    worst_block: int  # differing reduced pixels in the worst 8x8 block
    ok: bool
    diff_path: Path | None = None


def shot_name(screen: str, size: tuple[int, int]) -> str:
    return f"{screen}-{size[0]}x{size[1]}.png"


def render_all(sizes=GOLDEN_SIZES):
    """Yield ``(file name, surface)`` for every sample screen at every size."""
    import pygame

    from kiosk.ui.paint import Painter
    from kiosk.ui.samples import sample_states
    from kiosk.ui.views import build

    if not pygame.display.get_init():
        pygame.display.init()
    painter = Painter()
    states = sample_states()
    for size in sizes:
        for screen, state in states.items():
            surface = pygame.Surface(size)
            painter.paint(surface, build(state))
            yield shot_name(screen, size), surface


def write_shots(out: Path, sizes=GOLDEN_SIZES) -> list[Path]:
    """Write every sample screen at every size into ``out``; for ``demo --screenshots``."""
    import pygame

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, surface in render_all(sizes):
        pygame.image.save(surface, str(out / name))
        paths.append(out / name)
    return paths


def write_pictograms(out: Path, size: tuple[int, int] = (800, 480)) -> list[Path]:
    """Every person figure on its own screen: start pose, end pose and the mirrored start, the
    size they take on an instruction screen, with the figure's name as the title."""
    import pygame

    from kiosk.ui.paint import Painter
    from kiosk.ui.pictograms import FIGURES
    from kiosk.ui.views import Icon, ScreenView, Text

    if not pygame.display.get_init():
        pygame.display.init()
    out.mkdir(parents=True, exist_ok=True)
    painter, paths = Painter(), []
    for name, pic in FIGURES.items():
        if pic.spine is None and name != "back_lift":
            continue  # a sign, not a figure
        surface = pygame.Surface(size)
        painter.paint(surface, ScreenView(name, (
            Text(name, 0.03, 0.075, "title", "accent", "left", max_w=0.94, lines=1),
            Icon(name, 0.18, 0.55, 0.62), Icon(name, 0.50, 0.55, 0.62, pose=1),
            Icon(name, 0.82, 0.55, 0.62, mirror=True))))
        paths.append(out / f"pictogram-{name}.png")
        pygame.image.save(surface, str(paths[-1]))
    return paths


def diff(actual, expected) -> tuple[float, int, object]:
    """Fraction of reduced pixels that differ, the most in any block, and a mask of them."""
    import pygame

    if actual.get_size() != expected.get_size():
        return 1.0, BLOCK * BLOCK, None
    w, h = actual.get_size()
    small = (max(1, w // REDUCE), max(1, h // REDUCE))
    a, b = (pygame.transform.smoothscale(s, small) for s in (actual, expected))
    to_bytes = getattr(pygame.image, "tobytes", None) or pygame.image.tostring  # 2.1 has no tobytes
    ab, bb = to_bytes(a, "RGB"), to_bytes(b, "RGB")
    tol = CHANNEL_TOL
    mask = pygame.Surface(small)
    mask.set_colorkey((0, 0, 0))
    blocks: dict[tuple[int, int], int] = {}
    bad = 0
    for i in range(0, len(ab), 3):
        if abs(ab[i] - bb[i]) > tol or abs(ab[i + 1] - bb[i + 1]) > tol \
                or abs(ab[i + 2] - bb[i + 2]) > tol:
            x, y = (i // 3) % small[0], (i // 3) // small[0]
            mask.set_at((x, y), (255, 0, 255))
            key = (x // BLOCK, y // BLOCK)
            blocks[key] = blocks.get(key, 0) + 1
            bad += 1
    return bad / (small[0] * small[1]), max(blocks.values(), default=0), mask


def diff_sheet(expected, actual, mask, path: Path) -> Path:
    """Reference | new | differences (magenta), side by side, for the reviewer."""
    import pygame

    w, h = actual.get_size()
    sheet = pygame.Surface((w * 3, h))
    sheet.blit(expected, (0, 0))
    sheet.blit(actual, (w, 0))
    sheet.blit(actual, (2 * w, 0))
    sheet.fill((90, 90, 90), pygame.Rect(2 * w, 0, w, h), special_flags=pygame.BLEND_MULT)
    if mask is not None:
        sheet.blit(pygame.transform.scale(mask, (w, h)), (2 * w, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(sheet, str(path))
    return path


def compare(name: str, actual, golden_dir: Path = GOLDEN_DIR, diff_dir: Path | None = None
            ) -> Match:
    """Compare a rendered screen with ``golden_dir/name``; write a diff sheet if it fails."""
    import pygame

    ref = golden_dir / name
    if not ref.exists():
        return Match(name, 1.0, BLOCK * BLOCK, False)
    expected = pygame.image.load(str(ref))
    fraction, worst, mask = diff(actual, expected)
    ok = worst <= BLOCK_TOL
    path = None
    if not ok and diff_dir is not None:
        path = diff_sheet(expected, actual, mask, diff_dir / name.replace(".png", "-diff.png"))
    return Match(name, fraction, worst, ok, path)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    ap = argparse.ArgumentParser(prog="python -m kiosk.ui.shots", description=__doc__.split(
        "\n\n")[0])
    ap.add_argument("out", type=Path, help="folder for the new screenshots and diff sheets")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare with tests/golden")
    mode.add_argument("--update", action="store_true",
                      help="replace the references that differ (after looking at them!)")
    ap.add_argument("--all-sizes", action="store_true", help="also 1024x600 and 1280x720")
    ap.add_argument("--pictograms", action="store_true",
                    help="also every figure at 800x480: start, end and mirrored")
    args = ap.parse_args(argv)
    import pygame

    if args.pictograms:
        write_pictograms(args.out)

    args.out.mkdir(parents=True, exist_ok=True)
    sizes = LAYOUT_SIZES if args.all_sizes else GOLDEN_SIZES
    failed = 0
    for name, surface in render_all(sizes):
        path = args.out / name
        pygame.image.save(surface, str(path))
        if not (args.check or args.update) or surface.get_size() not in GOLDEN_SIZES:
            continue
        m = compare(name, surface, diff_dir=args.out / "diff")
        if m.ok:
            continue
        failed += 1
        if args.update:
            GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, GOLDEN_DIR / name)
            print(f"updated {GOLDEN_DIR / name} (worst block {m.worst_block}): look at it")
        else:
            print(f"DIFFERS {name}: worst block {m.worst_block} > {BLOCK_TOL}"
                  f"; see {m.diff_path or 'no reference yet'}")
    print(f"wrote screenshots to {args.out}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
