"""What may be personal in a URL, blanked for a log line (no Django here: gunicorn's access
logger imports it before any settings exist). See ``crisis_ops/core/privacy.py``."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

# Parameters that, anywhere on the site, could only carry a survivor's identity.
PERSONAL_QUERY_PARAMETERS = frozenset(
    {"iin", "phone", "search", "full_name", "birth_date", "address", "safe_contact"}
)
# Blanked in logs too: free-text searches (a partner's name is not personal, but the log
# cannot tell which search it was).
_REDACTED_IN_LOGS = PERSONAL_QUERY_PARAMETERS | {"q"}
# A value made of digits and the separators of a phone number or an IIN.
_NUMBER_LIKE = re.compile(r"^[\d\s()+.-]*\d[\d\s()+.-]*$")
_MIN_DIGITS = 7
REDACTED = "*"


def _looks_personal(key: str, value: str) -> bool:
    if key.lower() in _REDACTED_IN_LOGS:
        return bool(value)
    return bool(_NUMBER_LIKE.match(value)) and len(re.sub(r"\D", "", value)) >= _MIN_DIGITS


def redact_query(query: str) -> str:
    """The query string with every value that may be personal replaced by ``*``."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(
        f"{quote(key, safe='')}={REDACTED if _looks_personal(key, value) else quote(value)}"
        for key, value in pairs
    )


def redact_url(url: str) -> str:
    """A URL, or a path with its query, with ``redact_query`` applied to its query."""
    if "?" not in url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=redact_query(parts.query)))
