"""Publishing: the JSON API (and, later, the zh/en dashboard) over the store."""

from digimeter.web.app import create_app

__all__ = ["create_app"]
