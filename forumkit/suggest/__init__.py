"""Suggestions: which codes fit a parent's quote, so tagging hundreds of quotes goes quickly.

Pure Python (no database, no Qt, no numerical library), so it runs anywhere forumkit runs and
can be retrained on demand in a worker thread. The public API the quotes store, the command line
and the app use:

- ``CodeProfile(key, label, description, keywords)`` and ``TaggedExample(text, codes)``: the
  plain data handed in; ``Suggestion(key, score, because)``: what comes back, best first
- ``keyword_suggestions(codes, text)``: codes whose keywords are in the quote (no tagging needed)
- ``Suggester.train(codes, examples)`` then ``suggester.suggest(text, limit=None)``: every code
  ranked by a classifier learned from the forum's tagged quotes, with the codes' scope notes and
  keywords as prior
- ``key_message_keywords()``: forumkit's keywords for the seven key messages, by code key
- ``SuggestionError``: the codes cannot be suggested from (none, a blank or repeated key)
"""

from __future__ import annotations

from forumkit.suggest.classifier import Suggester
from forumkit.suggest.keywords import key_message_keywords, keyword_suggestions
from forumkit.suggest.model import CodeProfile, Suggestion, SuggestionError, TaggedExample

__all__ = [
    "CodeProfile",
    "Suggester",
    "Suggestion",
    "SuggestionError",
    "TaggedExample",
    "key_message_keywords",
    "keyword_suggestions",
]
