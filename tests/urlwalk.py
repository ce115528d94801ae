"""Every URL pattern of the site as a path a client can request, parameters filled in.

Tests that must hold for every page and endpoint (the second factor, no-store) walk this
list, so a view added later is covered without anyone remembering to add it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SOME_ID = str(uuid.UUID(int=1))
_CONVERTER_SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x"}
# The admin's two regex routes: its app index and its catch-all.
_REGEX_SAMPLES = {"app_label": "accounts", "url": "x"}
_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Url:
    view_name: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


def _fill_route(route: str, ids: Mapping[str, str]) -> str:
    def sample(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "uuid":
            return ids.get(name, SOME_ID)
        return ids.get(name, _CONVERTER_SAMPLES[converter])

    return _ROUTE_PARAM.sub(sample, route)


def _fill_regex(regex: str, ids: Mapping[str, str]) -> str:
    filled = _REGEX_GROUP.sub(lambda m: ids.get(m.group(1), _REGEX_SAMPLES[m.group(1)]), regex)
    return filled.replace("^", "").replace("$", "").replace("\\", "")


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, ids: Mapping[str, str]
) -> Iterator[Url]:
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = _fill_route(str(pattern), ids)
        elif isinstance(pattern, RegexPattern):
            piece = _fill_regex(pattern.regex.pattern, ids)
        else:
            raise TypeError(f"unknown URL pattern kind {pattern!r}")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + piece, inner, ids)
        elif isinstance(entry, URLPattern):
            path = "/" + prefix + piece
            name = f"{namespace}{entry.name}" if entry.name else path
            yield Url(view_name=name, path=path)


def every_url(ids: Mapping[str, str] | None = None) -> list[Url]:
    """Each pattern once; a pattern this cannot fill so that it resolves fails loudly."""
    urls = list(_walk(get_resolver(), "", "", ids or {}))
    for url in urls:
        resolve(url.path)
    return urls
