"""Evidence pack → Make an evidence pack…: a step-by-step wizard over ``forumkit.packs``.

Steps: what the pack covers (survey, key messages, inspection areas, title and contact) → the
quotes that will go in (only consented and reviewed ones, as the core decides; the chair unticks
any to leave out; a quote can be opened in the Quotes page to fix) → the forum's statement → the
password (five generated words shown once, or the chair's own with a strength meter) → where to
save it, with a preview of its first pages (progress, Cancel) → what to send and how.
``wizard.py`` holds the steps together; each step is its own page module.
"""
