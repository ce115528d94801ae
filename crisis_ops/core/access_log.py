"""gunicorn's access log without what may be personal (``crisis_ops/gunicorn.py`` names it)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from crisis_ops.core.redact import redact_query, redact_url


class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no types
    """gunicorn's logger, with what may be personal blanked from the request line, the
    query string and the Referer before the access log is written."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        method, protocol = environ.get("REQUEST_METHOD", "-"), environ.get("SERVER_PROTOCOL")
        atoms["r"] = f"{method} {redact_url(environ.get('RAW_URI', ''))} {protocol}"
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_url(environ.get("HTTP_REFERER", "-"))
        if "{referer}i" in atoms:
            atoms["{referer}i"] = redact_url(atoms["{referer}i"])
        return atoms
