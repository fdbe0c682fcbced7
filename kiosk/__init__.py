"""Osteo Kiosk: a hands-free home exercise coach for people with osteoporosis."""

import os

__version__ = "0.1.0"

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
