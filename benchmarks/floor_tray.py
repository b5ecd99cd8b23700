"""The floor: the least a PySide6 tray app can do (an icon with a one-item menu), nothing else.

Boundaries is measured against this in the same run, started the same way. It prints the same
``BOUNDARIES_READY <unix time> <CPU seconds>`` marker right after ``show()`` as the app does with
``BOUNDARIES_BENCH=1``. The icon is a filled pixmap, so no image plugin is loaded; the menu
exists so "first menu open" can be timed for both.
"""

import os
import sys
import time

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#3b7dd8"))
    tray = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("Quit", app.quit)
    tray.setContextMenu(menu)
    tray.setToolTip("floor")
    tray.show()
    print(f"BOUNDARIES_READY {time.time():.6f} {time.process_time():.4f}", flush=True)
    if os.environ.get("BOUNDARIES_BENCH_EXIT") == "ready":
        os._exit(0)  # counting instructions up to the icon, as the app does
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
