"""Qt tests run headless: the offscreen platform needs no display server."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
