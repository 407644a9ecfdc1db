"""Generated news pages for tests and benchmarks: varied, realistic in shape, invented in content.

Each page reports an invented incident (or none: market news, a sports result) in a real place,
wrapped in the furniture real sites have (navigation, cookie banner, photo with caption, related
links, comments, footer) in one of several layouts. Deterministic for a given seed, so a
benchmark or a test is reproducible. All wording is the project's own.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from collections.abc import Iterator
from dataclasses import dataclass

_PLACES = [  # (town, province, country)
    ("Jalalabad", "Nangarhar", "Afghanistan"), ("Kunduz", "Kunduz", "Afghanistan"),
    ("Herat", "Herat", "Afghanistan"), ("Maiduguri", "Borno", "Nigeria"),
    ("Mogadishu", "Banaadir", "Somalia"),
    ("Goma", "North Kivu", "Democratic Republic of the Congo"),
    ("Peshawar", "Khyber Pakhtunkhwa", "Pakistan"), ("Quetta", "Balochistan", "Pakistan"),
    ("Mopti", "Mopti", "Mali"), ("Kidal", "Kidal", "Mali"), ("Djibo", "Sahel", "Burkina Faso"),
    ("Tillaberi", "Tillaberi", "Niger"), ("Marib", "Marib", "Yemen"), ("Idlib", "Idlib", "Syria"),
    ("Mosul", "Nineveh", "Iraq"), ("Bunia", "Ituri", "Democratic Republic of the Congo"),
    ("Pemba", "Cabo Delgado", "Mozambique"), ("Kandahar", "Kandahar", "Afghanistan"),
]
_GROUPS = ["Islamic State", "al-Shabaab", "Boko Haram", "the Taliban", "Tehrik-i-Taliban Pakistan",
           "the Allied Democratic Forces", "the M23 rebels", "Houthi forces"]
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_INCIDENTS = [
    ("bombing", "A {device} exploded {where} on {day}, killing {killed} people and wounding "
                "{injured}, {official} said."),
    ("bombing", "At least {killed} people were killed when a suicide bomber blew himself up "
                "{where} on {day}, according to {official}."),
    ("attack", "Gunmen attacked {target} {where} on {day}, killing {killed} and injuring "
               "{injured}, {official} said."),
    ("attack", "{group_cap} fighters stormed {target} {where} on {day}. {official_cap} said "
               "{killed} people died in the assault."),
    ("kidnapping", "Armed men abducted {killed} aid workers {where} on {day}, {official} said; "
                   "no group has said it was behind the kidnapping."),
    ("clash", "Soldiers clashed with {group} {where} on {day}; {official} said {killed} "
              "militants and two soldiers were killed."),
]
_NOISE = [
    "Traders in {town} said the price of flour had risen for the third week in a row.",
    "The local football club won its first match of the season on {day}.",
    "Officials in {province} announced a new schedule for the vaccination campaign.",
    "Heavy rain closed the main road to {town} for several hours, residents said.",
]
_FOLLOW = [
    "{group_cap} said in a statement that its fighters carried out the attack.",
    "No group immediately claimed responsibility.",
    "Security forces sealed off the area and began a search operation.",
    "The wounded were taken to the main hospital in {town}, where doctors said several were in "
    "a critical condition.",
    "Residents said they heard gunfire for more than an hour.",
    "It was the second such incident in {province} this month.",
]
_DEVICES = ["roadside bomb", "car bomb", "bomb hidden in a motorcycle", "explosive device"]
_TARGETS = ["a police checkpoint", "a village", "a market", "an army base", "a bus station",
            "a mosque", "a school"]
_OFFICIALS = ["a police spokesman", "the provincial governor", "local officials",
              "a hospital official", "the interior ministry"]


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    url: str
    html: str
    published: dt.date
    kind: str            # incident kind, or "none"
    place: tuple[str, str, str]


def _paragraphs(rng: random.Random, published: dt.date) -> tuple[str, str, list[str]]:
    town, province, country = rng.choice(_PLACES)
    group = rng.choice(_GROUPS)
    day_offset = rng.randint(1, 5)
    day = _WEEKDAYS[(published - dt.timedelta(days=day_offset)).weekday()]
    fill = {
        "town": town, "province": province, "country": country, "group": group,
        "group_cap": group[0].upper() + group[1:], "day": day,
        "where": rng.choice([f"in {town}", f"near {town} in {province} province",
                             f"in {town}, {country}", f"in the {province} region of {country}"]),
        "killed": rng.choice([str(rng.randint(2, 40)), rng.choice(_WORDS[2:])]),
        "injured": rng.choice([str(rng.randint(1, 60)), "dozens", "several others"]),
        "device": rng.choice(_DEVICES), "target": rng.choice(_TARGETS),
        "official": rng.choice(_OFFICIALS),
    }
    fill["official_cap"] = fill["official"][0].upper() + fill["official"][1:]
    if rng.random() < 0.15:
        body = [s.format(**fill) for s in rng.sample(_NOISE, 3)]
        return "none", f"Weekly round-up from {town}", body
    kind, template = rng.choice(_INCIDENTS)
    body = [template.format(**fill)]
    body += [s.format(**fill) for s in rng.sample(_FOLLOW, rng.randint(2, 4))]
    body.append(rng.choice(_NOISE).format(**fill))
    title = f"{fill['killed'].capitalize()} killed in {town} {kind}" if kind != "kidnapping" \
        else f"Aid workers seized near {town}"
    return kind, title, body


def _page(rng: random.Random, index: int, site: str, published: dt.date) -> GeneratedPage:
    kind, title, body = _paragraphs(rng, published)
    town = next((p for p in _PLACES if p[0] in " ".join(body)), _PLACES[0])
    esc = html.escape
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in body)
    nav = "".join(f'<li><a href="/{s}">{s.title()}</a></li>'
                  for s in ("world", "politics", "business", "sport", "opinion"))
    related = "".join(f'<li><a href="/news/{index + k}">Related story {k}</a></li>'
                      for k in range(1, rng.randint(3, 7)))
    comments = "".join(f'<div class="comment"><p>Reader {k} wrote: this is terrible news.</p>'
                       "</div>" for k in range(rng.randint(0, 4)))
    figure = (f'<figure><img src="/img/{index}.jpg" alt=""><figcaption>A street in '
              f"{esc(town[0])}. (File photo)</figcaption></figure>" if rng.random() < 0.6 else "")
    layout = rng.randrange(3)
    if layout == 0:
        article = (f'<article><h1>{esc(title)}</h1><p class="byline">By Staff Reporter</p>'
                   f"{figure}{paras}</article>")
    elif layout == 1:
        article = (f'<main><div class="story"><h1>{esc(title)}</h1>{paras}{figure}'
                   "</div></main>")
    else:
        article = f'<div id="content"><h2>{esc(title)}</h2>{figure}<div>{paras}</div></div>'
    url = f"https://{site}/news/{published:%Y/%m}/{index}-{kind}"
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | '
        f'{site}</title><link rel="canonical" href="{url}">'
        f'<meta property="article:published_time" content="{published.isoformat()}T08:00:00Z">'
        f'<meta property="og:site_name" content="{site}"></head><body>'
        f'<header><div class="logo">{site}</div><nav><ul>{nav}</ul></nav></header>'
        '<div class="cookie-banner"><p>We use cookies to improve your experience. '
        "Accept all?</p><button>OK</button></div>"
        f'{article}<aside><h3>Most read</h3><ul>{related}</ul></aside>'
        f'<section class="comments"><h3>Comments</h3>{comments}</section>'
        f"<footer><p>Copyright {published.year} {site}. All rights reserved.</p>"
        '<p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>'
        "</body></html>"
    )
    return GeneratedPage(url=url, html=page, published=published, kind=kind, place=town)


def generate_pages(count: int, *, seed: int = 7, start: dt.date = dt.date(2025, 3, 1)
                   ) -> Iterator[GeneratedPage]:
    """``count`` pages from a few invented sites, one to three a day from ``start``."""
    rng = random.Random(seed)
    sites = ["dailyreport.example", "frontier-news.example", "the-courier.example",
             "sahel-monitor.example", "eastern-post.example"]
    for index in range(count):
        published = start + dt.timedelta(days=index // 3)
        yield _page(rng, index, rng.choice(sites), published)
