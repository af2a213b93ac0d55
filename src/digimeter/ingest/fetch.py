"""Download one URL with httpx: http(s) only, streamed, with a size cap and a timeout."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx

from digimeter.errors import DocumentError, TooLargeError
from digimeter.ingest.textnorm import format_size

USER_AGENT = "digimeter/0.1 (+document ingest)"
_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Download:
    data: bytes
    content_type: str | None
    url: str
    """The final URL after redirects."""


def download(url: str, *, max_bytes: int, timeout: float) -> Download:
    """The body of ``url``; DocumentError on a bad scheme, HTTP error or network failure.

    The Content-Length header is checked first, then the streamed body is counted: reading
    stops and TooLargeError is raised as soon as it passes ``max_bytes``.
    """
    check_http_url(url)
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=_MAX_REDIRECTS,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
        ) as client, client.stream("GET", url) as response:
            check_http_url(str(response.url), where=url)
            if response.status_code >= 400:
                raise DocumentError(
                    f"HTTP {response.status_code} {response.reason_phrase}".strip(), where=url
                )
            _check_declared_length(response, max_bytes, url)
            data = _read_capped(response, max_bytes, url)
            return Download(data, response.headers.get("content-type"), str(response.url))
    except httpx.TooManyRedirects:
        raise DocumentError(f"too many redirects (more than {_MAX_REDIRECTS})",
                            where=url) from None
    except httpx.TimeoutException:
        raise DocumentError(f"timed out after {timeout:g} s", where=url) from None
    except httpx.HTTPError as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise DocumentError(f"download failed: {reason}", where=url) from None


def check_http_url(url: str, *, where: str | None = None) -> None:
    """Refuse anything but an absolute http:// or https:// URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise DocumentError("only http:// and https:// URLs can be fetched", where=where or url)


def url_file_name(url: str) -> str:
    """The last path segment of ``url`` (percent-decoded), or the host when the path is empty."""
    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return segment or parts.hostname or url


def _check_declared_length(response: httpx.Response, max_bytes: int, url: str) -> None:
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise TooLargeError(
            f"response is {format_size(int(declared))} (Content-Length), above the limit of "
            f"{format_size(max_bytes)}",
            where=url,
        )


def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLargeError(
                f"response is larger than the limit of {format_size(max_bytes)}", where=url
            )
        chunks.append(chunk)
    return b"".join(chunks)
