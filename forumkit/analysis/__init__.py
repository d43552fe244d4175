"""Analysis: counts, scores, cross-tabs and year on year, with small-cell suppression.

(Public face: filled in below as the package grows.)
"""

from __future__ import annotations

from forumkit.analysis.grid import GridDisplays, protect_counts, protect_grid
from forumkit.analysis.protection import Display

__all__ = ["Display", "GridDisplays", "protect_counts", "protect_grid"]
