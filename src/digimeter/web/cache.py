"""Work done once per state of the store, not once per request.

Tracking every target is the costly part of a page, and rendering a page or a large JSON list
the next; their inputs change only when something is written. A cheap fingerprint of the store
(the highest id of each table that only ever grows: a correction adds a curation event, a
re-import adds a release; and the size of the small uncertainty table, which grows under an
existing index run) keys both caches, so a write anywhere makes the next request recompute.
Documents' addresses set in place (``set_addresses``, done when loading) are not part of it.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from http.cookies import SimpleCookie

import pandas as pd
from sqlalchemy import Engine, func, select
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digimeter.progress import get_method
from digimeter.progress.store import track
from digimeter.store.schema import (
    curation_events,
    documents,
    index_runs,
    index_uncertainty,
    observations,
    records,
    releases,
    targets,
)
from digimeter.web.auth import COOKIE, holder

_lock = threading.Lock()
_GROWING = (documents, records, curation_events, releases, observations, targets, index_runs)
_FINGERPRINT = select(*(select(func.max(t.c.id)).scalar_subquery() for t in _GROWING),
                      select(func.count()).select_from(index_uncertainty).scalar_subquery())


def fingerprint(engine: Engine) -> tuple:
    """The store's state in one round trip: a primary-key look-up per growing table, whatever
    its size, and a count of the small uncertainty table."""
    with engine.connect() as conn:
        return tuple(conn.execute(_FINGERPRINT).one())


def assessments(engine: Engine, cache: dict, method: str = "open-sdg",
                region: str | None = None) -> pd.DataFrame:
    """All targets' assessments (then filtered to ``region``), cached per store state."""
    key = (method, fingerprint(engine))
    with _lock:
        result = cache.get(key)
        if result is None:
            cache.clear()
            result = cache[key] = track(engine, get_method(method), record=False)
    if region and not result.empty:
        return result[result["region_code"] == region].reset_index(drop=True)
    return result


SESSION_PAGES = ("/records/", "/login", "/logout")  # pages that differ for who is signed in


class ResponseCache:
    """Whole GET responses, per store state, path, query and language: the same for every
    reader, since no page but the curation pages depends on who reads it.

    A request with a token or session (and every request when reading is closed) has its
    token checked first; the curation pages are always built for their reader. Least recently
    used entries go first once ``max_bytes`` is held; a response larger than ``max_entry`` is
    not kept. While one request builds a response, the same requests wait for it rather than
    each building it again (a burst on a cold page renders it once).
    """

    def __init__(self, app: ASGIApp, max_bytes: int = 64 * 2**20,
                 max_entry: int = 2 * 2**20) -> None:
        self.app = app
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.entries: OrderedDict[tuple, tuple[Message, bytes]] = OrderedDict()
        self.held = 0
        self.lock = threading.Lock()
        self.pending: dict[tuple, asyncio.Future] = {}

    def _key(self, scope: Scope) -> tuple | None:
        app = scope["app"]
        if scope["type"] != "http" or scope["method"] != "GET" \
                or scope["path"].startswith("/static/"):
            return None
        headers = dict(scope["headers"])
        cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        if b"authorization" in headers or COOKIE in cookies or not app.state.read_open:
            if scope["path"].startswith(SESSION_PAGES):
                return None
            who = holder(Request(scope))
            if who is None or not who.may("viewer"):
                return None  # the app itself answers 401 or 403
        lang = cookies["lang"].value if "lang" in cookies else ""
        return (fingerprint(app.state.engine), scope["path"], scope["query_string"], lang)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        hit = self._get(key)
        if hit is None and key in self.pending:
            await asyncio.shield(self.pending[key])
            hit = self._get(key)
        if hit:
            await send(hit[0])
            await send({"type": "http.response.body", "body": hit[1]})
            return
        done = self.pending[key] = asyncio.get_running_loop().create_future()
        try:
            await self.app(scope, receive, self._keeping(key, send))
        finally:
            del self.pending[key]
            done.set_result(None)

    def _get(self, key: tuple) -> tuple[Message, bytes] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit:
                self.entries.move_to_end(key)
            return hit

    def _keeping(self, key: tuple, send: Send) -> Send:
        start: list[Message] = []
        body: list[bytes] = []
        size = 0

        async def sending(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.append(message)
            elif message["type"] == "http.response.body" and start:
                size += len(message.get("body", b""))
                body.append(message.get("body", b""))
                if not message.get("more_body") and start[0]["status"] == 200 \
                        and size <= self.max_entry:
                    self._put(key, start[0], b"".join(body))
            await send(message)

        return sending

    def _put(self, key: tuple, start: Message, body: bytes) -> None:
        with self.lock:
            stale = [k for k in self.entries if k[0] != key[0]]
            for k in stale:
                self.held -= len(self.entries.pop(k)[1])
            self.entries[key] = (start, body)
            self.held += len(body)
            while self.held > self.max_bytes:
                self.held -= len(self.entries.popitem(last=False)[1][1])
