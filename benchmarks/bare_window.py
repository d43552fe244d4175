"""A bare PySide6 window: QApplication, one empty QMainWindow, shown.

The yardstick ``build_installer.py`` bundles beside forumkit-app (the app's bundle may weigh 1.5
times this one's plus the PDF engine) and ``bench_startup.py`` starts beside it (the app must
reach its first window within 4 times this one's start).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare PySide6 window")
    window.resize(800, 600)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
