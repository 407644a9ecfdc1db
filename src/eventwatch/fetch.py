"""Fetching pages and feeds over HTTP, politely and defensively.

A URL in an article or a feed is hostile input. Before every request (the first and each
redirect) the host is resolved and refused when any of its addresses is private, loopback,
link-local, multicast or reserved, unless ``allow_private`` is set: otherwise a feed item could
make eventwatch probe the network it runs in. Redirects are followed by hand so that each hop is
checked, and limited. Bodies are streamed and cut at ``max_bytes``; only HTML, plain text and
feed content types are accepted. robots.txt is honoured per origin (cached for the fetcher's
life) and requests to one host are spaced by ``delay`` seconds.

Known limit: the address is checked at resolution time and the HTTP client resolves again when it
connects, so a DNS server that answers differently within milliseconds (DNS rebinding) is not
defeated; run eventwatch behind an egress firewall where that matters.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from . import errors
from .settings import Settings
from .warc import parse_content_type

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json")
_REDIRECTS = (301, 302, 303, 307, 308)


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class Response:
    """A fetched body with what the caller needs to decode and store it."""

    url: str                    # the URL asked for
    final_url: str              # after redirects
    status: int
    content: bytes
    content_type: str           # media type only, lower case ("text/html")
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304 to a conditional request: ``content`` is empty


def _address_problem(host: str) -> str | None:
    """Why ``host`` must not be fetched, or None. Resolves it (all addresses must be public)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"the host {host!r} does not resolve ({exc})"
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified):
            return (f"the host {host!r} resolves to the non-public address {ip}; pass "
                    "--allow-private to fetch from your own network")
    return None


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise ``UnsafeURL`` unless ``url`` is http(s) with a host that may be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise errors.UnsafeURL(url, f"only http and https URLs are fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise errors.UnsafeURL(url, "the URL has no host")
    if parts.username or parts.password:
        raise errors.UnsafeURL(url, "URLs with credentials are refused")
    if not allow_private:
        problem = _address_problem(parts.hostname)
        if problem:
            raise errors.UnsafeURL(url, problem)


@dataclass
class Fetcher:
    """An HTTP client with the guards above; one per command run (it caches robots.txt)."""

    user_agent: str
    timeout: float = 15.0
    delay: float = 1.0
    max_redirects: int = 5
    max_bytes: int = 10_000_000
    allow_private: bool = False
    _client: httpx.Client = field(init=False, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(
        init=False, default_factory=dict, repr=False)
    _last_request: dict[str, float] = field(init=False, default_factory=dict, repr=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout), follow_redirects=False,
            headers={"User-Agent": self.user_agent}, trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness --------------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            last = self._last_request.get(host)
            now = time.monotonic()
            if last is not None and now - last < self.delay:
                time.sleep(self.delay - (now - last))
            self._last_request[host] = time.monotonic()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                response = self._get(origin + "/robots.txt", {}, accept=None, robots=False)
                if response.status == 200:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(response.content.decode("utf-8", "replace").splitlines())
            except errors.FetchError as exc:
                # RFC 9309: an unreachable robots.txt (5xx) means "assume disallowed".
                if exc.transient:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(["User-agent: *", "Disallow: /"])
            self._robots[origin] = parser
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(self.user_agent, url)

    # -- fetching ----------------------------------------------------------------------------

    def get(self, url: str, *, accept: tuple[str, ...] = PAGE_TYPES, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given).

        Raises ``UnsafeURL`` or ``FetchError`` (with a ``reason`` for the summary) on failure.
        """
        check_url(url, allow_private=self.allow_private)
        if not self.allowed(url):
            raise errors.FetchError(url, "disallowed by the site's robots.txt", reason="robots")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, accept=accept, robots=True)

    def _get(self, url: str, headers: dict[str, str], *, accept: tuple[str, ...] | None,
             robots: bool) -> Response:
        current = url
        for _hop in range(self.max_redirects + 1):
            check_url(current, allow_private=self.allow_private)
            if robots and current != url and not self.allowed(current):
                raise errors.FetchError(url, f"redirected to {current}, which robots.txt "
                                        "disallows", reason="robots")
            self._wait_turn(urlsplit(current).netloc)
            try:
                with self._client.stream("GET", current, headers=headers) as response:
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise errors.FetchError(url, f"HTTP {response.status_code} without "
                                                    "a Location header", reason="http-error")
                        current = urljoin(current, location)
                        continue
                    return self._read(url, current, response, accept)
            except httpx.TimeoutException as exc:
                raise errors.FetchError(url, f"timed out after {self.timeout:g} s "
                                        f"({type(exc).__name__})", reason="timeout",
                                        transient=True) from exc
            except httpx.HTTPError as exc:
                raise errors.FetchError(url, f"request failed: {exc}", reason="network",
                                        transient=True) from exc
        raise errors.FetchError(url, f"more than {self.max_redirects} redirects (a loop?)",
                                reason="too-many-redirects")

    def _read(self, url: str, final: str, response: httpx.Response,
              accept: tuple[str, ...] | None) -> Response:
        status = response.status_code
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if status == 304:
            return Response(url, final, status, b"", "", None, etag, modified, not_modified=True)
        if status != 200:
            raise errors.FetchError(url, f"HTTP {status}", reason=f"http-{status}",
                                    transient=status >= 500 or status == 429)
        media, charset = parse_content_type(response.headers.get("content-type"))
        if accept is not None and media and media not in accept:
            raise errors.FetchError(url, f"content type {media!r} is not one of "
                                    f"{', '.join(accept)}", reason="content-type")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise errors.TooLargeInput(url, f"{int(declared):,} bytes is over the "
                                       f"{self.max_bytes:,}-byte limit (max_input_bytes)")
        chunks: list[bytes] = []
        size = 0
        # The timeout bounds each read; this bounds the whole body against a slow drip.
        deadline = time.monotonic() + 4 * self.timeout
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise errors.FetchError(url, f"body not received within {4 * self.timeout:g} s",
                                        reason="timeout", transient=True)
            size += len(chunk)
            if size > self.max_bytes:
                raise errors.TooLargeInput(url, f"over the {self.max_bytes:,}-byte limit "
                                           "(max_input_bytes)")
            chunks.append(chunk)
        return Response(url, final, status, b"".join(chunks), media, charset, etag, modified)


def fetcher_from_settings(settings: Settings, *, allow_private: bool | None = None) -> Fetcher:
    """A ``Fetcher`` configured by ``settings``; ``allow_private`` overrides the setting."""
    return Fetcher(
        user_agent=settings.user_agent, timeout=settings.fetch_timeout,
        delay=settings.fetch_delay, max_redirects=settings.max_redirects,
        max_bytes=settings.max_input_bytes,
        allow_private=settings.allow_private if allow_private is None else allow_private,
    )
