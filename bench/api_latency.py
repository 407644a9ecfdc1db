"""Desk API latency with many events: ``python bench/api_latency.py [--events N] [--requests R]``.

Loads N synthetic events (default 100,000; five per synthetic article, spans exact, spread over
20 countries, 3 years, 12 catalogue actors and every event type) into a fresh SQLite store through
``SQLiteStore.add_document``, starts ``eventwatch serve`` on it as a separate process, and times
R sequential requests per endpoint with a real HTTP client (httpx, keep-alive). Prints p50, p95
and max per endpoint in milliseconds, and the server's CPU time per request (from /proc), which
other jobs on a shared machine disturb less than wall-clock latency does, plus the load average.
The issue's target is p95 < 100 ms.

The server keeps answers under the database's change counter (store/desk_cache.py), so a
second pass moves the counter on before every request, as an ingest between any two requests
would: its p95 and CPU columns are the answers computed afresh each time.

The synthetic articles are generated sentences, not news text. ``--db PATH`` keeps the database
for another run (it is reused when it exists).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from eventwatch.models import (
    Article,
    Count,
    DateInfo,
    DocumentResult,
    Event,
    Location,
    Participant,
    Span,
    content_hash,
)
from eventwatch.store import SQLiteStore

PER_ARTICLE = 5
# (code, country, admin1 names, lat range, lon range)
COUNTRIES = [
    ("AF", "Afghanistan", ["Kabul", "Herat", "Kandahar", "Nangarhar"], (31, 37), (62, 71)),
    ("NG", "Nigeria", ["Borno", "Zamfara", "Kaduna", "Yobe"], (6, 13), (4, 14)),
    ("ML", "Mali", ["Mopti", "Gao", "Timbuktu"], (13, 18), (-5, 1)),
    ("BF", "Burkina Faso", ["Est", "Sahel", "Nord"], (11, 15), (-4, 2)),
    ("SO", "Somalia", ["Banaadir", "Hiiraan", "Lower Shabelle"], (0, 8), (42, 49)),
    ("SY", "Syria", ["Aleppo", "Idlib", "Deir ez-Zor"], (33, 37), (36, 41)),
    ("IQ", "Iraq", ["Kirkuk", "Nineveh", "Anbar"], (30, 36), (40, 46)),
    ("YE", "Yemen", ["Marib", "Taiz", "Hodeidah"], (13, 17), (43, 48)),
    ("PK", "Pakistan", ["Khyber Pakhtunkhwa", "Balochistan"], (25, 35), (62, 73)),
    ("CD", "DR Congo", ["Nord-Kivu", "Ituri"], (-3, 3), (27, 30)),
    ("MZ", "Mozambique", ["Cabo Delgado"], (-14, -10), (38, 41)),
    ("CO", "Colombia", ["Arauca", "Cauca"], (2, 7), (-77, -70)),
    ("IN", "India", ["Manipur", "Chhattisgarh"], (18, 25), (80, 95)),
    ("PH", "Philippines", ["Maguindanao", "Sulu"], (5, 8), (120, 125)),
    ("KE", "Kenya", ["Kisumu", "Nairobi", "Mandera"], (-4, 4), (34, 41)),
    ("NE", "Niger", ["Tillaberi", "Diffa"], (13, 17), (1, 13)),
    ("CM", "Cameroon", ["Far North", "Northwest"], (4, 12), (9, 15)),
    ("SD", "Sudan", ["Khartoum", "North Darfur"], (12, 16), (23, 33)),
    ("MM", "Myanmar", ["Sagaing", "Rakhine"], (17, 26), (92, 98)),
    ("UA", "Ukraine", ["Donetsk", "Kharkiv"], (47, 50), (35, 39)),
]
ACTORS = ["Islamic State Khorasan Province", "Islamic State West Africa Province", "al-Shabaab",
          "Jama'at Nusrat al-Islam wal-Muslimin", "Tehrik-i-Taliban Pakistan", "Houthis",
          "Allied Democratic Forces", "National Liberation Army (ELN)", "Islamic State",
          "Ahlu Sunnah Wal Jamaa", "Boko Haram", "Abu Sayyaf"]
TYPES = [("Battles", "Armed clash", None),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Bombing/Explosion"),
         ("Explosions/Remote violence", "Air/drone strike", "Bombing/Explosion"),
         ("Violence against civilians", "Attack", "Armed Assault"),
         ("Violence against civilians", "Abduction/forced disappearance",
          "Hostage Taking (Kidnapping)"),
         ("Riots", "Violent demonstration", None), ("Protests", "Peaceful protest", None)]
WORDS = ["market", "convoy", "checkpoint", "village", "mosque", "school", "bridge", "camp"]


class TextBuilder:
    """Appends text and returns exact spans, so every ``text[start:end] == span.text``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, piece: str) -> Span:
        span = Span(self.size, self.size + len(piece), piece)
        self.parts.append(piece)
        self.size += len(piece)
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def synthetic_document(n: int, rng: random.Random) -> DocumentResult:
    builder = TextBuilder()
    specs = []
    for _ in range(PER_ARTICLE):
        code, country, admins, lats, lons = rng.choice(COUNTRIES)
        admin1 = rng.choice(admins)
        town = f"{admin1} town {rng.randrange(40)}"
        etype, sub, attack = rng.choice(TYPES)
        actor = rng.choice(ACTORS) if rng.random() < 0.8 else None
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        toll = None if rng.random() < 0.3 else int(rng.expovariate(0.15))
        start = builder.size
        perp = builder.add(actor or "Unidentified gunmen")
        builder.add(f" struck a {rng.choice(WORDS)} in ")
        place = builder.add(town)
        builder.add(", ")
        region = builder.add(admin1)
        builder.add(", on ")
        when = builder.add(day.isoformat())
        killed = builder.add(f", killing {toll} people" if toll is not None else
                             ", and the toll is not known")
        builder.add(". ")
        sentence = Span(start, builder.size - 1, "")
        lat = round(rng.uniform(*lats), 4)
        lon = round(rng.uniform(*lons), 4)
        specs.append((code, country, admin1, etype, sub, attack, actor, day, toll, perp, place,
                      region, when, killed if toll is not None else None, sentence, lat, lon))
    text = builder.text
    article = Article(doc_id=f"synthetic-{n}", text=text, title=f"Synthetic report {n}",
                      published=dt.date(2026, 1, 1), url=f"https://bench.invalid/{n}",
                      raw_hash=content_hash(text))
    events = []
    for i, (code, country, admin1, etype, sub, attack, actor, day, toll, perp, place, region,
            when, killed, sentence, lat, lon) in enumerate(specs):
        evidence = Span(sentence.start, sentence.end, text[sentence.start:sentence.end])
        events.append(Event(
            id="ev_" + content_hash(f"{article.identity}\n{i}")[:20], doc_id=article.doc_id,
            event_type=etype, sub_event_type=sub, attack_type=attack,  # type: ignore[arg-type]
            date=DateInfo(day, day, "day", when.text, span=when),
            location=Location(place.text, place.text, country, code, admin1, None, lat, lon,
                              None, "point", place),
            perpetrators=[Participant(perp, "organization", actor, "stated")],
            victims=[], targets=[], weapons=[],
            fatalities=Count(toll, toll, toll, killed) if toll is not None else Count(),
            injured=Count(), evidence=[evidence], confidence=0.7, trigger="struck",
        ))
        del region
    return DocumentResult(article, events)


def build(db: Path, events: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    with SQLiteStore(db) as store:
        for n in range(events // PER_ARTICLE):
            store.add_document(synthetic_document(n, rng))
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(http: httpx.Client, pid: int, url: str, requests: int,
          writer: sqlite3.Connection | None) -> tuple[float, float, float, float]:
    """p50, p95 and max ms of ``requests`` GETs of ``url``, and the server's CPU ms/request;
    with ``writer``, the database's change counter moves on before each request (untimed)."""
    times = []
    cpu_before = cpu_seconds(pid)  # the writer is another process: not counted
    for _ in range(requests):
        if writer is not None:
            writer.execute("UPDATE desk_state SET generation = generation + 1")
        started = time.perf_counter()
        response = http.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code} {response.text}")
    cpu = (cpu_seconds(pid) - cpu_before) * 1000 / requests
    return statistics.median(times), percentile(times, 0.95), max(times), cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100, help="per endpoint")
    parser.add_argument("--db", help="database file to build or reuse (default: temporary)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "bench.db"
    if not db.exists():
        seconds = build(db, args.events)
        print(f"loaded {args.events} events in {seconds:.0f} s "
              f"({db.stat().st_size / 1e6:.0f} MB + WAL)", file=sys.stderr)
    port = free_port()
    env = dict(os.environ)
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from eventwatch.cli import main; sys.exit(main())",
         "serve", "--db", str(db), "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    total = http.get("/api/health").json()["events"]
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            page = http.get("/api/events", params={"limit": 1}).json()
            event_id = page["events"][0]["id"]
            deep = http.get("/api/events", params={"limit": 100})
            depth = max(0, min(50, total // 100 - 1))
            for _ in range(depth):  # a cursor up to 5,000 events deep
                deep = http.get(deep.json()["next"])
            actor_id = http.get("/api/actors").json()["actors"][0]["id"]
            place_id = http.get(f"/events/{event_id}.json").json()["place_id"]
            endpoints = {
                "/api/events (first page, 100)": "/api/events",
                "/api/events?country=NG": "/api/events?country=NG",
                "/api/events type+min_fatalities, -fatalities":
                    "/api/events?type=Battles&min_fatalities=10&sort=-fatalities",
                "/api/events?q=convoy checkpoint": "/api/events?q=convoy%20checkpoint",
                "/api/events?bbox (Sahel)": "/api/events?bbox=-5,10,15,20",
                "/api/events?since&until (a month)":
                    "/api/events?since=2024-03-01&until=2024-03-31",
                f"/api/events cursor {depth * 100} deep": deep.request.url.raw_path.decode(),
                "/api/events/{id}": f"/api/events/{event_id}",
                "/api/stats (month)": "/api/stats",
                "/api/stats?country=AF&interval=week": "/api/stats?country=AF&interval=week",
                "/api/actors": "/api/actors",
                "/api/actors/{id}": f"/api/actors/{actor_id}",
                "/api/places/{id}": f"/api/places/{place_id}",
                "/ (dashboard page)": "/",
                "/events/{id} (event page)": f"/events/{event_id}",
            }
            print(f"{total} events; {args.requests} sequential requests per endpoint; "
                  f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
            print("| endpoint | p50 ms | p95 ms | max ms | server CPU ms/request "
                  "| after a write: p95 ms | server CPU ms/request |")
            print("|---|---|---|---|---|---|---|")
            worst = 0.0
            # Another connection writes between requests in the second pass (module docstring).
            writer = sqlite3.connect(db, isolation_level=None)
            for name, url in endpoints.items():
                http.get(url)  # warm-up: first query plans, page cache
                kept = timed(http, server.pid, url, args.requests, None)
                fresh = timed(http, server.pid, url, args.requests, writer)
                worst = max(worst, kept[1], fresh[1])
                print(f"| {name} | {kept[0]:.1f} | {kept[1]:.1f} | {kept[2]:.1f} | "
                      f"{kept[3]:.1f} | {fresh[1]:.1f} | {fresh[3]:.1f} |")
            writer.close()
            print(f"\nworst p95: {worst:.1f} ms (target < 100 ms); load average after: "
                  f"{os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait(10)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
