"""Osteo Kiosk: a hands-free home exercise coach for people with osteoporosis."""

__version__ = "0.1.0"
