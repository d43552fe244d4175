"""Recently opened forum files, kept in the app's settings: only the path and the forum's name
and area as the user saw them (nothing else from inside the file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings

from ui.context import RECENT_FILES

MAX_RECENT = 8


@dataclass(frozen=True)
class RecentFile:
    path: Path
    name: str
    area: str
    opened: datetime | None

    @property
    def opened_text(self) -> str:
        if self.opened is None:
            return ""
        # "%-d" is not portable (Windows): build the day number by hand.
        return f"{self.opened.day} {self.opened:%b %Y, %H:%M}"


def _parse_time(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def load(settings: QSettings) -> list[RecentFile]:
    """The remembered files, most recent first."""
    found: list[RecentFile] = []
    count = settings.beginReadArray(RECENT_FILES)
    for index in range(count):
        settings.setArrayIndex(index)
        path = str(settings.value("path", ""))
        if not path:
            continue
        found.append(
            RecentFile(
                Path(path),
                str(settings.value("name", "")),
                str(settings.value("area", "")),
                _parse_time(settings.value("opened", "")),
            )
        )
    settings.endArray()
    return found


def _store(settings: QSettings, files: list[RecentFile]) -> None:
    settings.remove(RECENT_FILES)
    settings.beginWriteArray(RECENT_FILES, len(files))
    for index, item in enumerate(files):
        settings.setArrayIndex(index)
        settings.setValue("path", str(item.path))
        settings.setValue("name", item.name)
        settings.setValue("area", item.area)
        settings.setValue("opened", item.opened.isoformat() if item.opened else "")
    settings.endArray()
    settings.sync()


def remember(settings: QSettings, path: Path, name: str, area: str) -> None:
    """Put ``path`` first in the list, opened now."""
    path = Path(path).resolve()
    files = [item for item in load(settings) if item.path != path]
    files.insert(0, RecentFile(path, name, area, datetime.now().astimezone()))
    _store(settings, files[:MAX_RECENT])


def forget(settings: QSettings, path: Path) -> None:
    path = Path(path).resolve()
    _store(settings, [item for item in load(settings) if item.path != path])
