"""The one C-library loader the X11 readers share."""

from __future__ import annotations

import sys

import pytest

from boundaries.integrations.clib import load_library

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sonames")


def test_a_library_under_another_soname_is_found_by_its_name() -> None:
    libc = load_library("c", "libc.so.0-not-this-one", "libc6")
    assert libc.getpid() > 0


def test_a_missing_library_names_the_package_to_install() -> None:
    with pytest.raises(OSError, match=r"libnope\.so\.1 not found \(Debian: apt install libnope1\)"):
        load_library("nope-no-such-library", "libnope.so.1", "libnope1")
