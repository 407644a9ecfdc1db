"""Main text and metadata from an HTML page.

Cascade, each step only engaging if the previous one under-delivered:

1. trafilatura (comments excluded) on the page with its photo captions lifted out first, because
   captions name places but are not reports of incidents and trafilatura would inline them;
2. a baseline that keeps the ``<p>`` elements of ``<article>`` (or of the whole body) after
   removing navigation, headers, footers, forms and asides;
3. nothing: the page is reported as having no article text, with both reasons.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

_MIN_TEXT_CHARS = 40
_FURNITURE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside",
                   "template", "svg", "iframe", "button")
_CAPTION_XPATH = ("//figcaption | "
                  "//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]")
_DATE_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date",
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(slots=True)
class HtmlContent:
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    author: str | None = None
    captions: list[str] = field(default_factory=list)
    extractor: str = "trafilatura"
    failure: str | None = None


def _first_iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    match = _ISO_DATE.search(value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if values and str(values[0]).strip():
                return str(values[0]).strip()
    return None


def _published(tree: lxml.html.HtmlElement) -> dt.date | None:
    """Publication date from explicit page metadata only; never guessed from the body text."""
    date = _first_iso_date(_meta(tree, *_DATE_META))
    if date:
        return date
    for value in tree.xpath("//time/@datetime"):
        date = _first_iso_date(str(value))
        if date:
            return date
    return None


def _text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _baseline_text(tree: lxml.html.HtmlElement) -> str:
    scope = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body") or [tree]
    paragraphs = [_text_of(p) for p in scope[0].iter("p", "h1", "h2", "h3", "li", "blockquote")]
    return "\n\n".join(p for p in paragraphs if len(p) > 1)


def extract_html(html: str) -> HtmlContent:
    """Article text, metadata and captions of ``html``; ``failure`` says why text is empty."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return HtmlContent(text="", failure=f"not parseable as HTML ({exc})")

    title = _meta(tree, "og:title", "twitter:title")
    if not title:
        titles = tree.xpath("//title")
        title = _text_of(titles[0]) if titles else None
    url = None
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    if canonical:
        url = str(canonical[0]).strip() or None
    url = url or _meta(tree, "og:url")
    published = _published(tree)
    language = tree.get("lang") or None

    captions: list[str] = []
    for node in tree.xpath(_CAPTION_XPATH):
        caption = _text_of(node)
        if caption and caption not in captions:
            captions.append(caption)
        node.drop_tree()
    # Collected first: dropping nodes while iterating the tree skips their siblings.
    for node in list(tree.iter(*_FURNITURE_TAGS)):
        if node.getparent() is not None:
            node.drop_tree()
    cleaned = lxml.html.tostring(tree, encoding="unicode")

    failure = None
    text = ""
    site_name = _meta(tree, "og:site_name")
    author = _meta(tree, "author", "article:author", "dc.creator")
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            cleaned,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises a variety of parser errors on hostile pages
        doc = None
        failure = f"trafilatura failed ({type(exc).__name__})"
    # bare_extraction returns a Document unless asked for a dict; anything else is a failure.
    text_found = getattr(doc, "text", None) or ""
    if doc is not None and len(text_found.strip()) >= _MIN_TEXT_CHARS:
        text = text_found
        title = title or getattr(doc, "title", None)
        published = published or _first_iso_date(getattr(doc, "date", None))
        site_name = site_name or getattr(doc, "sitename", None)
        language = language or getattr(doc, "language", None)
        author = author or getattr(doc, "author", None)
        extractor = "trafilatura"
    else:
        failure = failure or "trafilatura found no main text"
        text = _baseline_text(tree)
        extractor = "baseline"
        if len(text.strip()) < _MIN_TEXT_CHARS:
            text = ""
            failure += "; baseline found no paragraphs"
    return HtmlContent(
        text=text,
        title=title,
        published=published,
        url=url,
        site_name=site_name,
        language=language,
        author=author[:300] if author else None,
        captions=captions,
        extractor=extractor,
        failure=failure if not text else None,
    )
