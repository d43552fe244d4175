"""The forumkit desktop app (PySide6): a thin layer of widgets and Qt models over the core.

It holds no business rules; everything it does is a call into :mod:`forumkit`.
"""
