"""Boundaries: a tray app that protects a remote engineer's working boundaries."""

__version__ = "0.1.0"
