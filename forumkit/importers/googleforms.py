"""Google Forms: ``Timestamp`` first, then one column per question headed by its title.

Checkbox answers are the ticked options' labels joined with ", " in the responses sheet and
with ";" in the form's own csv download (labels may themselves contain ", ", so known labels
are matched first). The download's timestamps read ``2023/11/13 4:20:37 pm CET``. ``Email
address`` appears when the form collects emails and becomes the respondent reference. There is
no response id: a row is identified by its timestamp and a fingerprint of its answers.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, SourceFormat, first_row_keys
from forumkit.surveys.model import Survey


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    keys = first_row_keys(rows)
    return bool(keys) and keys[0] == "timestamp"


FORMAT = SourceFormat(
    name="googleforms",
    title="Google Forms",
    header_rows=1,
    separators=(", ", ";"),
    detect=_detect,
    roles={"timestamp": "finished", "emailaddress": "email", "score": "ignore"},
)
