"""Tracking: every target against its observations — achieved, on track, off track."""

from digimeter.progress.assess import FORMS, OUTPUT, assess
from digimeter.progress.methods import (
    DEFAULT_METHOD,
    GOOD_STATUSES,
    STATUSES,
    Method,
    get_method,
    load_methods,
)

__all__ = ["DEFAULT_METHOD", "FORMS", "GOOD_STATUSES", "OUTPUT", "STATUSES", "Method", "assess",
           "get_method", "load_methods"]
