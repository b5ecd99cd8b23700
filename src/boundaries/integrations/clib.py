"""Loading a C library through ctypes: its usual soname first, else wherever the system has it."""

from __future__ import annotations

import ctypes


def load_library(name: str, soname: str, package: str) -> ctypes.CDLL:
    """``soname`` (e.g. ``libxcb.so.1``), else ``find_library(name)``; OSError naming the Debian
    ``package`` if neither is there."""
    try:
        return ctypes.CDLL(soname)
    except OSError:
        from ctypes.util import find_library  # imports subprocess (~0.9 MiB): only here

        found = find_library(name)
        if not found:
            raise OSError(f"{soname} not found (Debian: apt install {package})") from None
        return ctypes.CDLL(found)
