"""Opening the screen: full screen on the Pi (kmsdrm), a window on a desktop, or off-screen.

Written for pygame 2.1 (Debian 12) as well as current pygame and pygame-ce: only long-standing
calls are used here.
"""

from __future__ import annotations

import os

import pygame

DEFAULT_WINDOW = (1280, 720)


def no_display() -> bool:
    """True where SDL has nothing to draw on: no X11/Wayland session and no DRM device."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return os.environ["SDL_VIDEODRIVER"] in ("dummy", "offscreen")
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return False
    return not any(os.access(f"/dev/dri/card{i}", os.W_OK) for i in range(4))


def use_offscreen() -> None:
    """Select SDL's dummy video and audio drivers (headless machines, tests, CI)."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def open_display(*, fullscreen: bool, size: tuple[int, int] = (0, 0),
                 caption: str = "Osteo Kiosk") -> pygame.Surface:
    """Initialise pygame's display and return the surface to paint on."""
    global _sleep_allowed
    give_back_freed_memory()
    pygame.display.init()
    presenter = framebuffer_presenter(pygame.display.get_driver())
    if presenter and "SDL_FRAMEBUFFER_ACCELERATION" not in os.environ:
        os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = presenter
    else:
        presenter = None  # a setting from outside is kept as it is
    pygame.font.init()
    _sleep_allowed = None  # a new display: tell SDL again on the next frame
    pygame.display.set_caption(caption)
    if fullscreen:
        info = pygame.display.Info()
        w, h = size if all(size) else (info.current_w, info.current_h)
        if w <= 0 or h <= 0:
            w, h = DEFAULT_WINDOW
        surface = _set_mode((w, h), pygame.FULLSCREEN, presenter)
        pygame.mouse.set_visible(False)  # no pointer on a kiosk
    else:
        surface = _set_mode(size if all(size) else DEFAULT_WINDOW, 0, presenter)
    return surface


def _set_mode(size: tuple[int, int], flags: int, presenter: str | None) -> pygame.Surface:
    """set_mode; if the presenter chosen here is missing from this SDL, SDL's own choice."""
    try:
        return pygame.display.set_mode(size, flags)
    except pygame.error:
        if not presenter:
            raise
        del os.environ["SDL_FRAMEBUFFER_ACCELERATION"]
        return pygame.display.set_mode(size, flags)


def framebuffer_presenter(driver: str) -> str | None:
    """How SDL 2 should present the surface pygame draws on, for this video driver (the value
    of its ``SDL_FRAMEBUFFER_ACCELERATION`` hint), or None to leave SDL's choice.

    - KMSDRM (the Pi without a desktop) has no window framebuffer of its own: SDL presents the
      surface as a texture through the first accelerated renderer it lists, which is desktop
      OpenGL ("opengl"). Through KMSDRM's EGL surface that left the scanned-out buffer black:
      measured on arm64 Debian Bookworm under qemu-system-aarch64 (virtio-gpu, Mesa 22.3
      llvmpipe and softpipe, pygame-ce 2.5.8 with SDL 2.32.10), a screen filled red read back
      all black with "opengl" and all red with "opengles2", as did the kiosk's home screen
      (docs/pi.md, systemd/test-arm64.sh --boot). OpenGL ES 2 is also the Pi's own API (v3d).
    - X11 has a window framebuffer of its own (shared-memory images); otherwise SDL 2 presents
      through an OpenGL texture, which without a GPU loads Mesa's llvmpipe: measured under Xvfb
      at 1080p, 165 MB resident instead of 57 (docs/idle.md).
    """
    name = driver.lower()
    if name == "kmsdrm":
        return "opengles2"
    if name == "x11":
        return "0"
    return None


#: glibc's ``M_MMAP_THRESHOLD`` (``mallopt`` parameter -3) and the value it starts with.
M_MMAP_THRESHOLD, MMAP_THRESHOLD_B = -3, 128 * 1024


def give_back_freed_memory() -> None:
    """Keep large blocks (surfaces: a 1080p pictogram drawn at twice its size is 4.6 MB, a
    rendered line of big digits 1 MB) in memory maps of their own, which go back to the
    system when freed. By default glibc raises this threshold each time such a block is
    freed, and later ones then come from a heap that never shrinks: measured after a demo
    session at 1080p, 91 MB resident instead of 80 (docs/idle.md). Elsewhere, nothing."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_B)
    except (OSError, AttributeError):  # not glibc: its allocator is its own business
        pass


_sleep_allowed: bool | None = None


def allow_sleep(allowed: bool) -> None:
    """Let the display blank when idle; keep it awake during a session.

    Called every frame with the view's wish; SDL is only told when the wish changes.
    """
    global _sleep_allowed
    if allowed == _sleep_allowed:
        return
    try:
        pygame.display.set_allow_screensaver(allowed)
        _sleep_allowed = allowed
    except (AttributeError, pygame.error):  # no display yet, or a very old pygame
        pass


KEY_NAMES = {"left": "left", "right": "right", "space": "space", "p": "p", "s": "s",
             "q": "q", "escape": "escape"}


#: Events saying the window's pixels were lost (uncovered, restored) and must be shown again.
EXPOSED = {getattr(pygame, name) for name in ("VIDEOEXPOSE", "WINDOWEXPOSED", "WINDOWRESTORED",
                                              "WINDOWSHOWN") if hasattr(pygame, name)}


def poll_keys() -> tuple[list[str], bool]:
    """Key names pressed since the last call, and whether the window was closed."""
    names, closed, _ = poll_events()
    return names, closed


def poll_events() -> tuple[list[str], bool, bool]:
    """Key names pressed since the last call, whether the window was closed, and whether it
    must be shown again whole (a frame is only presented when it changes)."""
    names, closed, exposed = [], False, False
    for ev in pygame.event.get():
        if ev.type == pygame.QUIT:
            closed = True
        elif ev.type == pygame.KEYDOWN:
            name = pygame.key.name(ev.key)
            if name in KEY_NAMES:
                names.append(KEY_NAMES[name])
        elif ev.type in EXPOSED:
            exposed = True
    return names, closed, exposed


class Canvas:
    """What the app paints on, and how it reaches the screen: turned by a half turn for a
    screen mounted upside down (KMS leaves rotation to each program), or straight through.

    Only 0 and 180: the screens are laid out for landscape, and a quarter turn would make them
    portrait (the config refuses 90 and 270 too).
    """

    def __init__(self, screen: pygame.Surface, rotate: int = 0):
        if rotate not in (0, 180):
            raise ValueError(f"rotate must be 0 or 180 (mount the screen in landscape): {rotate}")
        self.screen = screen
        self.rotate = rotate
        self.surface = screen if not rotate else pygame.Surface(screen.get_size())

    def present(self, regions: list[pygame.Rect] | None = None) -> None:
        """Show the painted frame, or only ``regions`` of it (turned with the picture)."""
        if regions is None:
            if self.rotate:
                self.screen.blit(pygame.transform.flip(self.surface, True, True), (0, 0))
            pygame.display.flip()
            return
        if self.rotate:
            w, h = self.surface.get_size()
            turned = []
            for r in regions:
                at = pygame.Rect(w - r.right, h - r.bottom, r.w, r.h)
                self.screen.blit(pygame.transform.flip(self.surface.subsurface(r), True, True),
                                 at)
                turned.append(at)
            regions = turned
        pygame.display.update(regions)
