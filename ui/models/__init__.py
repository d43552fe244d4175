"""Qt item models over core queries (no SQL here: the core reads the forum file)."""
