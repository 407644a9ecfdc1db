"""The JSON API, served by a real uvicorn server on 127.0.0.1 and queried over HTTP."""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

import records
from eventwatch import __version__
from eventwatch.api import create_app
from eventwatch.store import SQLiteStore

PAGE_SIZE_MAX = 50
AF_ATTACK, AF_BOMBING = (e.id for e in records.afghanistan().events)
NG_CLASH = records.nigeria().events[0].id
CI_RIOT, CI_LOOTING = (e.id for e in records.ivory_coast().events)


class Server:
    """uvicorn in a thread, on a socket bound before it starts (no free-port race)."""

    def __init__(self, db: Path) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(str(db), page_size_max=PAGE_SIZE_MAX)
        config = uvicorn.Config(app, log_level="critical", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with SQLiteStore(path) as s:
        for result in records.all_samples():
            s.add_document(result)
    return path


@pytest.fixture
def client(db: Path) -> Iterator[httpx.Client]:
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert_security_headers(response)
    error: dict[str, Any] = body["error"]
    return error


def assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def event_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


# -- success ----------------------------------------------------------------------------------


def test_health(client: httpx.Client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "events": 5,
                               "articles": 3}
    assert_security_headers(response)
    assert response.headers["content-security-policy"] == (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def test_events_default_page(client: httpx.Client) -> None:
    body = client.get("/api/events").json()
    assert body["count"] == 5 and body["limit"] == 50 and body["offset"] == 0
    assert body["next"] is None
    assert [e["id"] for e in body["events"]][:3] == [AF_ATTACK, NG_CLASH, AF_BOMBING]
    expected = {e["id"]: e for r in records.all_samples() for e in records.stored_form(r)}
    for event in body["events"]:
        assert event == expected[event["id"]]


@pytest.mark.parametrize(("query", "expected"), [
    ({"country": "AF"}, {AF_ATTACK, AF_BOMBING}),
    ({"country": "nigeria"}, {NG_CLASH}),
    ({"country": "Côte d'Ivoire"}, {CI_RIOT}),
    ({"admin1": "kabul"}, {AF_BOMBING}),
    ({"actor": "ISIS-K"}, {AF_ATTACK}),
    ({"actor": "west africa"}, {NG_CLASH}),
    ({"type": "Riots"}, {CI_RIOT, CI_LOOTING}),
    ({"type": "Explosions/Remote violence"}, {AF_BOMBING}),
    ({"since": "2024-03-01"}, {AF_ATTACK, NG_CLASH}),
    ({"until": "2024-03-04"}, {AF_BOMBING, NG_CLASH}),
    ({"since": "2024-03-05", "until": "2024-03-05"}, {NG_CLASH}),
    ({"since": "2024-01-15", "country": "AF"}, {AF_ATTACK, AF_BOMBING}),
    ({"country": "AF", "type": "Battles"}, set()),
    ({"country": ""}, {AF_ATTACK, AF_BOMBING, NG_CLASH, CI_RIOT, CI_LOOTING}),  # empty = unset
])
def test_event_filters(client: httpx.Client, query: dict[str, str], expected: set[str]) -> None:
    response = client.get("/api/events", params=query)
    assert set(event_ids(response)) == expected
    assert response.json()["count"] == len(expected)


def test_pagination_follows_next_links(client: httpx.Client) -> None:
    everything = event_ids(client.get("/api/events"))
    seen: list[str] = []
    url: str | None = "/api/events?limit=2"
    pages = 0
    while url is not None:
        body = client.get(url).json()
        assert body["count"] == 5 and body["limit"] == 2
        seen += [e["id"] for e in body["events"]]
        url = body["next"]
        pages += 1
    assert seen == everything and pages == 3
    body = client.get("/api/events", params={"limit": 2}).json()
    assert body["cursor"] and body["next"] == f"/api/events?limit=2&cursor={body['cursor']}"


def test_next_link_keeps_the_filters(client: httpx.Client) -> None:
    body = client.get("/api/events", params={"country": "AF", "limit": 1}).json()
    assert body["count"] == 2
    assert body["next"] == f"/api/events?country=AF&limit=1&cursor={body['cursor']}"
    last = client.get(body["next"]).json()
    assert [e["id"] for e in last["events"]] == [AF_BOMBING]
    assert last["next"] is None


def test_offset_past_the_end_is_an_empty_page(client: httpx.Client) -> None:
    body = client.get("/api/events", params={"offset": 100}).json()
    assert body["events"] == [] and body["count"] == 5 and body["next"] is None


def test_one_event_and_its_article(client: httpx.Client) -> None:
    result = records.afghanistan()
    response = client.get(f"/api/events/{AF_ATTACK}")
    assert response.status_code == 200
    assert response.json() == records.stored_form(result)[0]
    article = client.get(f"/api/articles/{result.article.identity}").json()
    assert article["text"] == records.AF_TEXT
    assert article["events"] == [e.to_dict() for e in result.events]
    assert article["id"] == result.article.identity


def test_openapi_and_docs_stay(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}",
            "/api/health"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"country", "admin1", "actor", "type", "since", "until", "limit", "offset"} <= params
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    csp = docs.headers["content-security-policy"]
    assert csp.startswith("default-src 'self'") and "'sha256-" in csp
    assert "'unsafe-inline'" not in csp.split("style-src")[0]  # scripts allowed by hash only
    inline = re.findall(r"<script>(.*?)</script>", docs.text, flags=re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert docs.headers["x-content-type-options"] == "nosniff"
    # Offline: every asset the page loads is served by this process, and the CSP allows no CDN.
    assert "cdn." not in docs.text and "https://" not in csp
    for asset in re.findall(r'(?:src|href)="(/static/swagger/[^"]+)"', docs.text):
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 100, asset


# -- errors -----------------------------------------------------------------------------------


def test_unknown_event_and_article_are_404(client: httpx.Client) -> None:
    error = assert_envelope(client.get("/api/events/ev_nope"), 404, "not_found")
    assert error["message"] == "no event with id 'ev_nope'"
    assert error["details"] == {"id": "ev_nope"}
    assert_envelope(client.get("/api/articles/abc"), 404, "not_found")


def test_unknown_route_uses_the_envelope(client: httpx.Client) -> None:
    error = assert_envelope(client.get("/api/nothing-here"), 404, "not_found")
    assert "/api/nothing-here" in error["message"]
    assert_envelope(client.get("/nothing/here"), 404, "not_found")


def test_wrong_method_uses_the_envelope(client: httpx.Client) -> None:
    response = client.post("/api/events", json={})
    assert_envelope(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize(("query", "parameter"), [
    ({"since": "notadate"}, "since"),
    ({"until": "2024-02-30"}, "until"),
    ({"since": "20240101"}, "since"),
    ({"since": "2024-05-01", "until": "2024-04-01"}, "since"),
    ({"limit": "0"}, "limit"),
    ({"limit": str(PAGE_SIZE_MAX + 1)}, "limit"),
    ({"limit": "many"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"country": "x" * 201}, "country"),
])
def test_invalid_parameters_are_422(
    client: httpx.Client, query: dict[str, str], parameter: str
) -> None:
    error = assert_envelope(client.get("/api/events", params=query), 422, "invalid_parameter")
    assert parameter in error["message"]
    assert [d["parameter"] for d in error["details"]] == [parameter]
    assert all(set(d) == {"parameter", "location", "message"} for d in error["details"])


def test_an_unreadable_database_is_503_without_paths(db: Path) -> None:
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        error = assert_envelope(http.get("/api/health"), 503, "store_unavailable")
        assert str(db.parent) not in error["message"]


def test_an_unexpected_error_is_500_in_the_envelope(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: SQLiteStore) -> int:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(SQLiteStore, "count_articles", boom)
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        error = assert_envelope(http.get("/api/health"), 500, "internal_error")
        assert "secret" not in error["message"]


# -- concurrency ------------------------------------------------------------------------------


def test_reads_go_on_while_another_connection_writes(client: httpx.Client, db: Path) -> None:
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN EXCLUSIVE")  # would lock readers out without WAL
        writer.execute("DELETE FROM event_actors")
        writer.execute("DELETE FROM events")
        started = time.monotonic()
        assert len(event_ids(client.get("/api/events"))) == 5  # the committed state
        assert client.get(f"/api/events/{AF_ATTACK}").status_code == 200
        assert client.get("/api/health").json()["events"] == 5
        assert time.monotonic() - started < 2  # never waited for the 5 s busy timeout
        writer.execute("COMMIT")
    finally:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
        writer.close()
    assert client.get("/api/health").json()["events"] == 0


def test_documents_ingested_while_serving_appear(client: httpx.Client, db: Path) -> None:
    newer = records.afghanistan(records.AF_TEXT + " The toll later rose to 16.")
    with SQLiteStore(db) as writer:
        assert writer.add_document(newer) == "updated"
    ids = set(event_ids(client.get("/api/events", params={"country": "AF"})))
    assert ids == {e.id for e in newer.events}
