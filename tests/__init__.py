"""forumkit's tests; ``python -m tests`` runs the whole check (ruff, mypy, pytest)."""
