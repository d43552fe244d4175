"""Merging in the app (File menu): a volunteer copy for a laptop, merging a volunteer's file
with a summary of what it did, and the conflicts a merge kept for the chair to settle.

The core (``forumkit.merge``) does the work; these dialogs ask, run it through
``ui.operations.merging`` (the slow key derivations in workers) and show what happened.
"""
