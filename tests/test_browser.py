"""The desk in a real browser: Debian's chromium driven by playwright over a real server.

The database is built by the real pipeline from the seed article, the fixture articles and a
hostile article written here (``<script>`` and ``onerror=`` payloads in its title and text).
Screenshots of the main pages go to tests/artifacts/browser/ (gitignored).

Chromium comes from Debian (``make browser``), never from ``playwright install``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from eventwatch.cli import main as cli_main
from test_api import Server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "isis-k-afghanistan.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "browser"
OUTLINES = ROOT / "src" / "eventwatch" / "web" / "static" / "vendor" / "countries.json"
CHROMIUM = "/usr/bin/chromium"
# Flags for this machine's closed network: no background connections that would be refused.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

HOSTILE_TITLE = "<script>window.__pwned = 'title'</script>Gunmen kill seven in Maiduguri"
HOSTILE_TEXT = (
    "MAIDUGURI, Nov 12 -- Gunmen killed seven traders at a market in Maiduguri on Monday, "
    "police said. <script>window.__pwned = 'text'</script> Witnesses said the attackers "
    "arrived on motorcycles. <img src=x onerror=\"window.__pwned = 'img'\"> A police "
    "spokesman said <b onmouseover=alert(1)>nobody</b> had claimed the attack.\n\n"
    "This is a fictional article written for eventwatch's browser tests."
)


@pytest.fixture(scope="session")
def desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEED.exists():
        pytest.fail(f"the seed article is missing at {SEED}; ../shared must sit beside the repo")
    folder = tmp_path_factory.mktemp("desk")
    db = folder / "desk.db"
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "hostile-1", "title": HOSTILE_TITLE,
                                   "text": HOSTILE_TEXT, "published": "2024-11-12"}) + "\n",
                       encoding="utf-8")
    assert cli_main(["ingest", str(SEED), "--published", "2024-11-10", "--db", str(db)]) == 0
    assert cli_main(["ingest", str(FIXTURES), "--db", str(db)]) == 0
    assert cli_main(["ingest", str(hostile), "--input-format", "jsonl", "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="session")
def server(desk_db: Path) -> Iterator[Server]:
    with Server(desk_db) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    if not OUTLINES.exists():
        pytest.fail(f"{OUTLINES} is missing: run `make install` (npm ci + build_web_assets)")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield opened
    context.close()
    assert errors == [], errors  # no script error on any page a test visited
    assert dialogs == [], dialogs  # and nothing opened an alert


def ready(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']", timeout=15_000)


def api(server: Server, path: str, **params: Any) -> Any:
    response = httpx.get(server.url + path, params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_filter_then_open_an_event_with_its_fatality_evidence_highlighted(
    page: Page, server: Server
) -> None:
    ready(page, server.url + "/")
    total = api(server, "/api/stats")["totals"]["events"]
    assert page.locator("#summary").inner_text().startswith(f"{total} events")
    assert page.locator("path.country").count() > 150  # outlines drawn offline
    shot(page, "dashboard")

    page.fill("input[name=country]", "AF")
    page.fill("input[name=min_fatalities]", "1")
    with page.expect_navigation():
        page.click("#apply")
    page.wait_for_selector("body[data-ready='true']")
    query = parse_qs(urlparse(page.url).query)
    assert query["country"] == ["AF"] and query["min_fatalities"] == ["1"]  # shareable URL
    expected = api(server, "/api/events", country="AF", min_fatalities=1)
    assert expected["count"] >= 1
    rows = page.locator("#event-table tbody tr")
    assert rows.count() == expected["count"]
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == [
        e["id"] for e in expected["events"]]
    for i in range(rows.count()):
        assert "Afghanistan" in rows.nth(i).inner_text()
    assert page.locator("#map .event-marker, #map .cluster").count() >= 1
    assert page.input_value("input[name=country]") == "AF"  # the form shows the URL's filters
    shot(page, "dashboard-filtered")

    event = expected["events"][0]
    with page.expect_navigation():
        rows.first.locator("a").click()
    page.wait_for_selector("body[data-ready='true']")
    assert urlparse(page.url).path == f"/events/{event['id']}"
    span = event["fatalities"]["span"]
    marks = page.locator(".article mark.hl-fatalities")
    assert marks.count() >= 1
    assert "".join(marks.all_inner_texts()) == span["text"]
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    value = page.locator("#values tr.field-fatalities td").first.inner_text()
    assert value.startswith(str(event["fatalities"]["best"]))
    shot(page, "event")


def test_every_page_has_a_json_twin(page: Page, server: Server) -> None:
    event = api(server, "/api/events", limit=1, sort="-fatalities")["events"][0]
    twin = api(server, f"/events/{event['id']}.json")
    assert twin["event"] == event
    marks = {m["field"] for m in twin["sources"][0]["marks"]}
    assert "fatalities" in marks and "evidence" in marks
    pages = ["/", "/actors", f"/events/{event['id']}"]
    if twin["actors"] and twin["actors"][0]["id"]:
        pages.append(f"/actors/{twin['actors'][0]['id']}")
    if twin["place_id"]:
        pages.append(f"/places/{twin['place_id']}")
    for path in pages:
        page.goto(server.url + path)
        href = page.get_attribute("link[rel=alternate]", "href")
        assert href is not None
        response = httpx.get(server.url + href, timeout=10)
        assert response.status_code == 200 and response.headers["content-type"] == (
            "application/json"), path


def test_actor_and_place_pages(page: Page, server: Server) -> None:
    iskp = api(server, "/api/actors", name="khorasan")["actors"][0]
    ready(page, server.url + f"/actors/{iskp['id']}")
    assert page.locator("h1").inner_text() == iskp["name"]
    assert "ISKP" in page.locator("main").inner_text()  # catalogue aliases
    drawn = page.locator("#activity rect.bar").evaluate_all(
        "bars => bars.reduce((n, b) => n + Number(b.dataset.events), 0)")
    assert drawn == iskp["events"]  # the events-over-time chart
    rows = page.locator("table.events tbody tr")
    assert rows.count() == iskp["events"]
    shot(page, "actor")
    with page.expect_navigation():
        page.locator("section.panel ul li a[href^='/places/']").first.click()
    page.wait_for_selector("body[data-ready='true']")
    place_id = urlparse(page.url).path.rsplit("/", 1)[1]
    place = api(server, f"/api/places/{place_id}")
    assert page.locator("h1").inner_text().startswith(place["name"])
    assert page.locator("table.events tbody tr").count() == place["totals"]["events"]
    shot(page, "place")
    page.goto(server.url + "/actors")
    assert page.locator("#actors tbody tr").count() == api(server, "/api/actors")["count"]
    shot(page, "actors")


def test_timeline_and_csv_follow_the_filters(page: Page, server: Server) -> None:
    ready(page, server.url + "/?type=Violence+against+civilians")
    stats = api(server, "/api/stats", type="Violence against civilians")
    bars = page.locator("#timeline rect.bar")
    assert bars.count() >= len(stats["series"])  # gaps between months are filled with zeros
    drawn = sum(int(bars.nth(i).get_attribute("data-events") or 0) for i in range(bars.count()))
    assert drawn == sum(s["events"] for s in stats["series"])
    href = page.get_attribute("#csv", "href")
    assert href is not None and "format=csv" in href and "type=Violence" in href
    csv_text = httpx.get(server.url + href, timeout=10).text
    assert len(csv_text.strip().splitlines()) - 1 == stats["totals"]["events"]
    busiest = max(stats["series"], key=lambda s: s["events"])
    with page.expect_navigation():
        page.locator(f"#timeline rect.bar[data-period='{busiest['period']}']").click()
    page.wait_for_selector("body[data-ready='true']")
    query = parse_qs(urlparse(page.url).query)
    assert query["since"][0].startswith(busiest["period"][:7])  # a click filters to the period
    assert page.locator("#event-table tbody tr[data-id]").count() == busiest["events"]


def test_clusters_split_as_the_map_zooms_in(page: Page, server: Server) -> None:
    ready(page, server.url + "/?country=AF")
    located = [f for f in api(server, "/api/events", country="AF", format="geojson")["features"]
               if f["geometry"]]
    assert len(located) >= 2

    def drawn() -> tuple[int, int]:
        counts = page.locator("#map .cluster").evaluate_all(
            "nodes => nodes.map(n => Number(n.dataset.count))")
        return page.locator("#map .event-marker").count(), sum(counts)

    for _ in range(4):
        page.click("#map .zoom-out")
    singles, clustered = drawn()
    assert singles + clustered == len(located) and clustered == len(located)  # all in one
    page.click("#map .zoom-fit")
    singles_fit, clustered_fit = drawn()
    assert singles_fit + clustered_fit == len(located) and singles_fit > singles
    radii = page.locator("#map .event-marker").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.fatalities, n.getBBox().width])")
    by_toll = sorted((int(t), w) for t, w in radii if t)
    assert by_toll == sorted(by_toll, key=lambda tw: tw[1])  # bigger toll, bigger marker
    shot(page, "map-zoomed")


def test_hostile_article_text_is_shown_never_run(page: Page, server: Server) -> None:
    found = api(server, "/api/events", q="motorcycles market")
    assert found["count"] >= 1
    event_id = found["events"][0]["id"]
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text
            else None)

    def pwned() -> Any:
        return page.evaluate("() => window.__pwned")

    ready(page, server.url + f"/events/{event_id}")
    article = page.locator(".article").inner_text()
    assert "<script>window.__pwned = 'text'</script>" in article  # shown as text
    assert "onerror=" in article
    assert page.locator("h3").first.inner_text().startswith("<script>")  # the title, as text
    assert page.locator("main script, main img, main b").count() == 0
    assert pwned() is None
    page.hover(".article")
    shot(page, "hostile-event")
    ready(page, server.url + "/?q=motorcycles+market")
    assert page.locator("#event-table tbody tr[data-id]").count() == found["count"]
    assert pwned() is None
    # Even markup that reached the page could not run: the CSP forbids inline script.
    page.evaluate("""() => { const d = document.createElement('div');
        d.innerHTML = '<img src=x onerror="window.__pwned = 1">';
        document.body.append(d); }""")
    page.wait_for_timeout(300)
    assert pwned() is None
    assert violations, "the CSP should have reported the blocked inline handler"
