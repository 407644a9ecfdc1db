"""Feeds: parsing, hostile feeds, and ``eventwatch watch`` against a real local server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwatch import errors
from eventwatch.feeds import parse_feed
from webserver import LocalServer, Route, serve

STORIES = {
    "/news/1": ("Market attack", "A bomb hidden in a cart exploded at a vegetable market in "
                "Jalalabad on Monday, killing five people and wounding eleven, the provincial "
                "health director said. Traders said the market had reopened only last month."),
    "/news/2": ("Convoy ambushed", "Insurgents ambushed an army convoy near Maiduguri on "
                "Tuesday and killed seven soldiers, two military sources said. The convoy was "
                "carrying food to a camp for displaced families."),
    "/news/3": ("Teachers kidnapped", "Gunmen kidnapped three teachers from a school in Kaduna "
                "state on Wednesday, police said. Officers were searching the forest where the "
                "kidnappers were last seen."),
    "/news/4": ("Rally in the capital", "Thousands of people marched peacefully through the "
                "capital on Thursday to demand higher wages for nurses. Organisers said the "
                "march ended without incident."),
}


def page(title: str, text: str) -> bytes:
    return (f"<html><head><title>{title}</title><meta property='article:published_time' "
            f"content='2025-05-09T07:00:00Z'></head><body><nav>Home | World</nav><article>"
            f"<h1>{title}</h1><p>{text}</p></article><footer>Contact us</footer></body>"
            "</html>").encode()


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{STORIES[p][0]}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        "<pubDate>Fri, 09 May 2025 07:00:00 GMT</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test desk</title>'
            f"<link>{base}/</link><description>stories</description>{items}</channel></rss>"
            ).encode()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    yield from serve()


def test_rss_and_atom_items_are_read() -> None:
    feed = parse_feed(rss("https://site.example", ["/news/1", "/news/2"]), "feed.xml")
    assert feed.title == "Test desk"
    assert [i.link for i in feed.items] == ["https://site.example/news/1",
                                            "https://site.example/news/2"]
    assert feed.items[0].published is not None and feed.items[0].published.isoformat() == \
        "2025-05-09"
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b"<title>Atom desk</title><id>urn:x</id><updated>2025-05-09T00:00:00Z</updated>"
            b"<entry><title>One</title><id>urn:entry:1</id><link href='https://a.example/1'/>"
            b"<updated>2025-05-08T10:00:00Z</updated></entry>"
            b"<entry><title>Bad link</title><id>urn:entry:2</id><link href='javascript:x'/>"
            b"<updated>2025-05-08T10:00:00Z</updated></entry></feed>")
    parsed = parse_feed(atom, "atom.xml")
    assert [(i.key, i.link) for i in parsed.items] == [("urn:entry:1", "https://a.example/1")]


def test_hostile_and_broken_feeds_are_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b"<rss version='2.0'><channel><title>&lol3;</title></channel></rss>")
    with pytest.raises(errors.FeedError, match="entit"):
        parse_feed(bomb, "bomb.xml")
    with pytest.raises(errors.FeedError, match="not a valid RSS or Atom feed"):
        parse_feed(b"<html><body><p>this is a web page</p>", "page.html")
    with pytest.raises(errors.FeedError, match="empty"):
        parse_feed(b"  \n", "blank.xml")


def _stored(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute(
            "SELECT url FROM articles WHERE superseded_by IS NULL ORDER BY url")]
    finally:
        conn.close()


def test_watch_fetches_new_items_once_and_polls_conditionally(
        cli, server: LocalServer, tmp_path: Path) -> None:
    for path, (title, text) in STORIES.items():
        server.routes[path] = Route(page(title, text))
    server.routes["/feed.xml"] = Route(rss(server.base, ["/news/1", "/news/2", "/news/3"]),
                                       content_type="application/rss+xml", etag='"v1"')
    db = tmp_path / "watch.db"
    args = ("watch", server.url("/feed.xml"), "--once", "--db", str(db), "--allow-private",
            "--delay", "0", "--workers", "1")
    first = cli(*args)
    assert first.code == 0, first.err
    assert "3 ingested" in first.err and "3 new" in first.err
    assert _stored(db) == [server.url(p) for p in ("/news/1", "/news/2", "/news/3")]

    second = cli(*args)  # unchanged feed: a 304, no page fetched again
    assert "not-modified" in second.err and server.conditional["/feed.xml"] == 1
    assert all(server.hits[p] == 1 for p in ("/news/1", "/news/2", "/news/3"))

    server.routes["/feed.xml"] = Route(rss(server.base, ["/news/4", "/news/1", "/news/2"]),
                                       content_type="application/rss+xml", etag='"v2"')
    third = cli(*args)
    assert "1 ingested" in third.err and "1 new" in third.err
    assert server.hits["/news/4"] == 1 and server.hits["/news/1"] == 1
    assert len(_stored(db)) == 4


def test_failed_items_are_retried_only_when_the_failure_may_pass(
        cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/news/1"] = Route(page(*STORIES["/news/1"]))
    server.routes["/news/2"] = Route(b"busy", status=503)
    # /news/3 is not routed: 404, a final failure
    server.routes["/feed.xml"] = Route(rss(server.base, ["/news/1", "/news/2", "/news/3"]),
                                       content_type="application/rss+xml")
    db = tmp_path / "retry.db"
    args = ("watch", server.url("/feed.xml"), "--polls", "2", "--interval", "0.01s",
            "--db", str(db), "--allow-private", "--delay", "0", "--workers", "1")
    result = cli(*args)
    assert result.code == 1
    assert "http-503" in result.err and "http-404" in result.err
    assert server.hits["/news/1"] == 1  # stored: never again
    assert server.hits["/news/2"] == 2  # transient: tried at each poll
    assert server.hits["/news/3"] == 1  # final: not retried


def test_a_feed_file_and_a_broken_feed_in_one_run(cli, server: LocalServer,
                                                  tmp_path: Path) -> None:
    server.routes["/news/2"] = Route(page(*STORIES["/news/2"]))
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(server.base, ["/news/2"]))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<rss><channel><item><title>unclosed")
    db = tmp_path / "file.db"
    result = cli("watch", str(broken), str(feed), "--once", "--db", str(db), "--allow-private",
                 "--delay", "0", "--workers", "1")
    assert result.code == 1
    assert str(broken) in result.err and "invalid-feed" in result.err
    assert _stored(db) == [server.url("/news/2")]


def test_feeds_on_private_addresses_are_refused_by_default(cli, server: LocalServer,
                                                           tmp_path: Path) -> None:
    server.routes["/feed.xml"] = Route(rss(server.base, ["/news/1"]),
                                       content_type="application/rss+xml")
    result = cli("watch", server.url("/feed.xml"), "--once", "--db", str(tmp_path / "p.db"))
    assert result.code == 1 and "unsafe-url" in result.err
    assert server.hits["/feed.xml"] == 0
