"""``python -m forumkit`` runs the command line."""

from forumkit.cli import run

run()
