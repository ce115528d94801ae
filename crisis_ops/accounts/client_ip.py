"""The address a request really came from, as the trusted proxies report it.

Each proxy in front of us appends the address it was connected from to
``X-Forwarded-For``, so with ``PROXY_COUNT`` proxies the client is the
``PROXY_COUNT``-th entry from the right; anything further left was written by the
client and is never believed. Without a proxy the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if hops and len(forwarded) >= hops:
        return _address(forwarded[-hops]) or _address(remote)
    return _address(remote)
