"""The HTTP client's guards, against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventwatch import errors
from eventwatch.fetch import FEED_TYPES, Fetcher, check_url
from eventwatch.sources import article_from_page
from webserver import LocalServer, Route, serve

PAGE = (
    "<html><head><title>Checkpoint attack</title></head><body><article>"
    "<h1>Checkpoint attack near Kunduz</h1>"
    "<p>Gunmen attacked a police checkpoint near Kunduz city on Tuesday, killing three officers "
    "and wounding two, a provincial spokesman said.</p>"
    "<p>The spokesman said the attackers fled towards the river before reinforcements arrived, "
    "and a search of nearby villages was under way.</p></article></body></html>"
)


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    yield from serve()


def fetcher(**kwargs: object) -> Fetcher:
    options: dict[str, object] = {"user_agent": "eventwatch-test", "delay": 0.0,
                                  "allow_private": True, "timeout": 2.0}
    options.update(kwargs)
    return Fetcher(**options)  # type: ignore[arg-type]


def test_loopback_hosts_are_refused_unless_allowed(server: LocalServer) -> None:
    server.routes["/a"] = Route(PAGE.encode())
    with fetcher(allow_private=False) as client, pytest.raises(errors.UnsafeURL) as info:
        client.get(server.url("/a"))
    assert "127.0.0.1" in str(info.value) and "--allow-private" in str(info.value)
    assert server.hits["/a"] == 0  # refused before any request
    with fetcher() as client:
        assert client.get(server.url("/a")).content == PAGE.encode()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x",
                                 "http://user:secret@example.org/", "http://10.1.2.3/",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/"])
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(errors.UnsafeURL):
        check_url(url, allow_private=False)


def test_redirects_are_followed_and_loops_stopped(server: LocalServer) -> None:
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route(PAGE.encode())
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    with fetcher(max_redirects=3) as client:
        response = client.get(server.url("/old"))
        assert response.final_url == server.url("/new")
        with pytest.raises(errors.FetchError) as info:
            client.get(server.url("/loop"))
    assert info.value.reason == "too-many-redirects"
    assert server.hits["/loop"] == 4  # the first request and three redirects, then it stops


def test_a_slow_server_times_out(server: LocalServer) -> None:
    server.routes["/slow"] = Route(PAGE.encode(), delay=3.0)
    with fetcher(timeout=0.5) as client, pytest.raises(errors.FetchError) as info:
        client.get(server.url("/slow"))
    assert info.value.reason == "timeout" and info.value.transient


def test_bodies_over_the_limit_are_refused(server: LocalServer) -> None:
    server.routes["/declared"] = Route(b"<p>" + b"y" * 300_000 + b"</p>")
    server.routes["/streamed"] = Route(stream_bytes=50_000_000)
    with fetcher(max_bytes=200_000) as client:
        for path in ("/declared", "/streamed"):
            with pytest.raises(errors.TooLargeInput) as info:
                client.get(server.url(path))
            assert "200,000-byte limit" in str(info.value)


def test_content_types_and_statuses(server: LocalServer) -> None:
    server.routes["/image"] = Route(b"\x89PNG\r\n", content_type="image/png")
    server.routes["/gone"] = Route(b"gone", status=410)
    server.routes["/broken"] = Route(b"oops", status=503)
    with fetcher() as client:
        with pytest.raises(errors.FetchError) as image:
            client.get(server.url("/image"))
        with pytest.raises(errors.FetchError) as gone:
            client.get(server.url("/gone"))
        with pytest.raises(errors.FetchError) as broken:
            client.get(server.url("/broken"))
    assert image.value.reason == "content-type"
    assert (gone.value.reason, gone.value.transient) == ("http-410", False)
    assert (broken.value.reason, broken.value.transient) == ("http-503", True)
    assert "application/rss+xml" in FEED_TYPES


def test_robots_txt_is_honoured(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n",
                                         content_type="text/plain")
    server.routes["/private/a"] = Route(PAGE.encode())
    server.routes["/public/a"] = Route(PAGE.encode())
    with fetcher() as client:
        with pytest.raises(errors.FetchError) as info:
            client.get(server.url("/private/a"))
        client.get(server.url("/public/a"))
        client.get(server.url("/public/a"))
    assert info.value.reason == "robots" and server.hits["/private/a"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per origin


def test_the_declared_charset_is_honoured(server: LocalServer) -> None:
    body = PAGE.replace("Kunduz city", "Kunduz café district").encode("cp1252")
    server.routes["/latin"] = Route(body, content_type="text/html; charset=windows-1252")
    with fetcher() as client:
        response = client.get(server.url("/latin"))
    article = article_from_page(response.content, response.final_url,
                                media_type=response.content_type, charset=response.charset)
    assert "Kunduz café district" in article.text
    assert article.url == server.url("/latin") and article.title == "Checkpoint attack"
