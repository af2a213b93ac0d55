"""The store: one SQLite file by default, PostgreSQL through a URL."""

from digimeter.store.engine import DEFAULT_URL, open_store, resolve_url

__all__ = ["DEFAULT_URL", "open_store", "resolve_url"]
