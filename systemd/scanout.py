#!/usr/bin/env python3
"""What the display hardware is showing: the framebuffer on each lit CRTC, read back through DRM.

Run as root on the machine itself (systemd/test-arm64.sh --boot runs it in the emulated Pi):

    python3 scanout.py OUT.png        # the first lit CRTC's framebuffer as a PNG, and a summary

It asks the kernel (not the program that drew it) which framebuffer each CRTC scans out
(GETRESOURCES, GETCRTC, GETFB), maps that buffer (MAP_DUMB: works for dumb buffers, which is what
Mesa's software rasteriser and the console use) and writes it as a PNG. So it tells "the kiosk drew
nothing" (black, or the console's framebuffer) from "the screen capture did not see it". Standard
library only (fcntl, mmap, zlib), so it runs on a bare Debian; root because GETFB hands out the
buffer's handle only to the DRM master or CAP_SYS_ADMIN.
"""

from __future__ import annotations

import fcntl
import json
import mmap
import os
import struct
import sys
import zlib


def _iowr(nr: int, size: int) -> int:
    """_IOWR('d', nr, size), as in the kernel's drm.h."""
    return (3 << 30) | (size << 16) | (ord("d") << 8) | nr


# struct drm_mode_card_res: 4 pointers (u64), then 8 u32
CARD_RES = "<QQQQIIIIIIII"
# struct drm_mode_crtc: set_connectors_ptr u64, count_connectors, crtc_id, fb_id, x, y,
# gamma_size, mode_valid u32, then struct drm_mode_modeinfo (68 bytes)
CRTC = "<QIIIIIII68s"
# struct drm_mode_fb_cmd: fb_id, width, height, pitch, bpp, depth, handle
FB_CMD = "<IIIIIII"
# struct drm_mode_map_dumb: handle, pad, offset u64
MAP_DUMB = "<IIQ"
GETRESOURCES = _iowr(0xA0, struct.calcsize(CARD_RES))
GETCRTC = _iowr(0xA1, struct.calcsize(CRTC))
GETFB = _iowr(0xAD, struct.calcsize(FB_CMD))
MAPDUMB = _iowr(0xB3, struct.calcsize(MAP_DUMB))
GEM_CLOSE = (1 << 30) | (8 << 16) | (ord("d") << 8) | 0x09  # _IOW('d', 0x09, drm_gem_close)


def crtc_ids(fd: int) -> list[int]:
    """The CRTCs of the card (asked twice: first how many, then which)."""
    import ctypes

    n = struct.unpack(CARD_RES, fcntl.ioctl(fd, GETRESOURCES,
                                            bytes(struct.calcsize(CARD_RES))))[5]
    ids = (ctypes.c_uint32 * max(n, 1))()
    fcntl.ioctl(fd, GETRESOURCES, struct.pack(CARD_RES, 0, ctypes.addressof(ids), 0, 0,
                                              0, n, 0, 0, 0, 0, 0, 0))
    return list(ids[:n])


def png(width: int, height: int, rgb: bytes) -> bytes:
    raw = b"".join(b"\0" + rgb[y * width * 3:(y + 1) * width * 3] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def read_scanout(card: str) -> tuple[dict, bytes | None]:
    """The first lit CRTC of ``card``: what it shows (as RGB bytes), and how it was found."""
    fd = os.open(card, os.O_RDWR | os.O_CLOEXEC)
    try:
        for crtc_id in crtc_ids(fd):
            got = struct.unpack(CRTC, fcntl.ioctl(fd, GETCRTC, struct.pack(
                CRTC, 0, 0, crtc_id, 0, 0, 0, 0, 0, bytes(68))))
            fb_id, mode_valid = got[3], got[7]
            if not fb_id:
                continue
            _, w, h, pitch, bpp, depth, handle = struct.unpack(FB_CMD, fcntl.ioctl(
                fd, GETFB, struct.pack(FB_CMD, fb_id, 0, 0, 0, 0, 0, 0)))
            info = {"card": card, "crtc": crtc_id, "fb": fb_id, "mode_valid": bool(mode_valid),
                    "width": w, "height": h, "pitch": pitch, "bpp": bpp, "depth": depth}
            if not handle:
                info["error"] = "no buffer handle (not root?)"
                return info, None
            try:
                offset = struct.unpack(MAP_DUMB, fcntl.ioctl(
                    fd, MAPDUMB, struct.pack(MAP_DUMB, handle, 0, 0)))[2]
                with mmap.mmap(fd, pitch * h, mmap.MAP_SHARED, mmap.PROT_READ,
                               offset=offset) as m:
                    pixels = m.read(pitch * h)
            except OSError as e:
                info["error"] = f"cannot map the buffer: {e}"
                return info, None
            finally:
                fcntl.ioctl(fd, GEM_CLOSE, struct.pack("<II", handle, 0))
            if bpp != 32:
                info["error"] = f"{bpp} bits per pixel: only 32 (XRGB8888) is read"
                return info, None
            rgb = bytearray(w * h * 3)
            for y in range(h):
                row = pixels[y * pitch:y * pitch + w * 4]  # little-endian XRGB: B, G, R, X
                line = rgb[y * w * 3:(y + 1) * w * 3]
                line[0::3], line[1::3], line[2::3] = row[2::4], row[1::4], row[0::4]
                rgb[y * w * 3:(y + 1) * w * 3] = line
            lit = sum(1 for i in range(0, len(rgb), 3 * 97) if any(rgb[i:i + 3]))
            info["sampled_non_black_share"] = round(lit / max(1, len(rgb) // (3 * 97)), 3)
            return info, bytes(rgb)
        return {"card": card, "error": "no CRTC is lit"}, None
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: scanout.py OUT.png", file=sys.stderr)
        return 2
    cards = sorted(c for c in os.listdir("/dev/dri") if c.startswith("card"))
    for card in cards:
        info, rgb = read_scanout(f"/dev/dri/{card}")
        if rgb is not None:
            with open(argv[1], "wb") as out:
                out.write(png(info["width"], info["height"], rgb))
            info["png"] = argv[1]
            print(json.dumps(info))
            return 0
        print(json.dumps(info))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
