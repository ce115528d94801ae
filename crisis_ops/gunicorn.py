"""gunicorn settings (``gunicorn -c python:crisis_ops.gunicorn``): proxy trust as Django's.

gunicorn by default believes ``X-Forwarded-Proto`` from 127.0.0.1 and would mark a
plain-HTTP request as HTTPS even where Django was told there is no TLS proxy. Here both
follow ``BEHIND_TLS_PROXY``: with it, the proxy's header is believed from the proxy's
addresses (``FORWARDED_ALLOW_IPS``; by default any, as the port is published on the
loopback only); without it, from nobody.

The access log blanks whatever in a query string or a Referer may be a survivor's name,
IIN or phone (``crisis_ops/core/access_log.py``): the pages never put one there, and an
old bookmark or client that does is refused, but its request line is logged first.
"""

import os

from crisis_ops.env import env_bool, env_int

# The server must be the last to close an idle kept-alive connection. With gunicorn's 2 s
# default, a client (or a proxy holding connections to it) that reuses a connection just as
# gunicorn closes it gets a reset instead of an answer: a dropped request, seen as 9 of
# bench-load's errors. 75 s is longer than nginx's 60 s upstream keepalive_timeout and any
# pause between a caseworker's clicks that a client keeps a connection for. Threaded
# workers (gthread) park idle connections in their poller, not in a thread; sync workers
# never keep a connection alive, so this changes nothing for them.
keepalive = env_int("GUNICORN_KEEPALIVE", 75)

logger_class = "crisis_ops.core.access_log.AccessLogger"
secure_scheme_headers: dict[str, str]
if env_bool("BEHIND_TLS_PROXY", False):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
