"""Reading input documents: files, directories (recursively), standard input; text, HTML, JSONL.

``iter_articles`` yields one ``Article`` per readable document and one ``InputError`` per bad
one, in input order, so a batch reports each failure with its input and carries on. Sizes are
checked before reading so a huge file never enters memory.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal
from urllib.parse import urlsplit

from . import errors
from .clean import clean_text
from .html import extract_html
from .language import detect_language
from .models import Article, content_hash
from .warc import WarcPage, is_warc_path, iter_warc

if TYPE_CHECKING:
    from .fetch import Fetcher

InputFormat = Literal["auto", "text", "html", "jsonl"]
INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "html", "jsonl")
_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
# A directory may hold publication dates for its text files, which carry no metadata of their own.
SIDECAR = "published.json"
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)


def parse_date(value: str, source: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except (ValueError, TypeError) as exc:
        raise errors.MalformedRecord(
            source, f"published {value!r} is not a YYYY-MM-DD date") from exc


def _check_bytes(data: bytes, source: str) -> None:
    if not data.strip():
        raise errors.EmptyInput(source, "the input is empty")
    head = data[:8192]
    # NUL bytes never occur in text; other control bytes in quantity mean an image or archive.
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls > len(head) * 0.05:
        raise errors.BinaryInput(source, "binary content, not text, HTML or JSONL")


def decode_text(data: bytes, source: str, declared: str | None = None) -> str:
    """Text of ``data``: UTF-8 (with or without BOM), or the charset the page or server declares.

    UTF-8 is tried first even when another charset is declared: a valid UTF-8 byte string is
    almost never meant as anything else, and declarations are often wrong.
    """
    _check_bytes(data, source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
        raise errors.EncodingInput(
            source, f"not valid UTF-8 (byte {exc.start}); convert it, e.g. with iconv -t UTF-8"
        ) from exc


def _declared_charset(data: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


def article_from_text(
    raw: str, doc_id: str, *, title: str | None = None, published: dt.date | None = None,
    url: str | None = None, path: str | None = None,
) -> Article:
    cleaned = clean_text(raw)
    if not cleaned.text.strip():
        raise errors.NoArticleText(doc_id, "no text left after removing page furniture")
    return Article(
        doc_id=doc_id, text=cleaned.text, title=title, published=published, url=url, path=path,
        source_format="text", captions=[c.text for c in cleaned.captions],
        language=detect_language(cleaned.text), raw_hash=content_hash(raw),
    )


def article_from_html(
    raw: str, doc_id: str, *, title: str | None = None, published: dt.date | None = None,
    url: str | None = None, path: str | None = None,
) -> Article:
    content = extract_html(raw)
    if not content.text:
        raise errors.NoArticleText(doc_id, f"no article text in the HTML: {content.failure}")
    # The cleaning stage sees the captions again only so it can mark any that trafilatura kept.
    cleaned = clean_text(content.text, known_captions=content.captions)
    if not cleaned.text.strip():
        raise errors.NoArticleText(doc_id, "no text left after removing page furniture")
    captions = list(dict.fromkeys(content.captions + [c.text for c in cleaned.captions]))
    canonical = canonical_url(url, content.url)
    return Article(
        doc_id=doc_id, text=cleaned.text, title=title or content.title,
        published=published or content.published, url=canonical, path=path,
        source_format="html", captions=captions,
        language=detect_language(cleaned.text, content.language), raw_hash=content_hash(raw),
        author=content.author, site_name=content.site_name,
        fetched_url=url if url and url != canonical else None, extractor=content.extractor,
    )


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def canonical_url(fetched: str | None, declared: str | None) -> str | None:
    """The page's declared canonical URL when it is on the fetched page's own site, else the
    fetched URL. A page cannot claim another site's URL: it would replace that site's article."""
    if not declared or not declared.lower().startswith(("http://", "https://")):
        return fetched
    if fetched is None or _site(declared) == _site(fetched):
        return declared.strip()[:2048]
    return fetched


def article_from_page(body: bytes, url: str, *, media_type: str, charset: str | None,
                      published: dt.date | None = None) -> Article:
    """An article from an HTTP body (fetched or archived), decoded with its declared charset."""
    if media_type == "text/plain":
        return article_from_text(decode_text(body, url, charset), url, published=published,
                                 url=url)
    if media_type and media_type not in ("text/html", "application/xhtml+xml"):
        raise errors.InputError(url, f"content type {media_type!r} is not HTML or text")
    declared = charset or _declared_charset(body)
    return article_from_html(decode_text(body, url, declared), url, published=published, url=url)


def _articles_from_warc(path: Path | str, published: dt.date | None, max_bytes: int,
                        stream: BinaryIO | None = None) -> Iterator[Article | errors.InputError]:
    for page in iter_warc(path, max_bytes, stream=stream):
        if isinstance(page, errors.InputError):
            yield page
        elif page.status != 200:
            yield errors.InputError(page.url, f"archived response has HTTP status {page.status}")
        else:
            yield from _page_article(page, published)


def _page_article(page: WarcPage, published: dt.date | None
                  ) -> Iterator[Article | errors.InputError]:
    try:
        yield article_from_page(page.body, page.url, media_type=page.content_type,
                                charset=page.charset, published=published)
    except errors.InputError as exc:
        yield exc


def _articles_from_jsonl(
    lines: Iterable[bytes], source: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | errors.InputError]:
    """One article per JSONL record, streamed: the size limit applies to each record, so a batch
    file of any length is read in bounded memory."""
    records = 0
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if len(raw) > max_bytes:
            records += 1
            yield errors.TooLargeInput(where, f"record over the {max_bytes:,}-byte limit")
            continue
        if not raw.strip():
            continue
        records += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield errors.EncodingInput(where, f"not valid UTF-8 (byte {exc.start})")
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise errors.MalformedRecord(where, "a JSONL line must be a JSON object")
            doc_id = record.get("id")
            if doc_id is None or not isinstance(doc_id, str | int):
                raise errors.MalformedRecord(where, "the record has no string 'id'")
            body_html, body_text = record.get("html"), record.get("text")
            if not isinstance(body_html, str) and not isinstance(body_text, str):
                raise errors.MalformedRecord(where, "the record has neither 'text' nor 'html'")
            pub = record.get("published")
            date = parse_date(pub, where) if pub else published
            title = record.get("title") if isinstance(record.get("title"), str) else None
            url = record.get("url") if isinstance(record.get("url"), str) else None
            if isinstance(body_html, str):
                yield article_from_html(body_html, str(doc_id), title=title, published=date,
                                        url=url)
            else:
                assert isinstance(body_text, str)
                if not body_text.strip():
                    raise errors.EmptyInput(where, "the record's text is empty")
                yield article_from_text(body_text, str(doc_id), title=title, published=date,
                                        url=url)
        except json.JSONDecodeError as exc:
            yield errors.MalformedRecord(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
        except errors.InputError as exc:
            yield exc
    if records == 0:
        yield errors.EmptyInput(source, "no JSONL records")


def _bounded_lines(stream: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """Lines of ``stream``; a line longer than ``max_bytes`` is cut there and its rest skipped, so
    one huge line never fills memory (the caller sees it as over the limit)."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def _sniff(data: bytes) -> str:
    if _HTML_SNIFF.match(data[:2048]):
        return "html"
    first = data.lstrip()[:1]
    if first == b"{":
        line = data.lstrip().split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(line), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def read_document(
    data: bytes, source: str, input_format: str, published: dt.date | None,
    path: str | None = None,
) -> Iterator[Article | errors.InputError]:
    """Articles in ``data`` (one, or one per JSONL line); errors yielded, never raised."""
    try:
        fmt = input_format
        if fmt == "auto":
            suffix = Path(source).suffix.lower()
            fmt = _EXTENSIONS.get(suffix) or _sniff(data)
        if fmt == "jsonl":
            yield from _articles_from_jsonl(data.splitlines(keepends=True), source, published,
                                            len(data) or 1)
            return
        if fmt == "html":
            raw = decode_text(data, source, _declared_charset(data))
            yield article_from_html(raw, source, published=published, path=path)
        else:
            raw = decode_text(data, source)
            yield article_from_text(raw, source, published=published, path=path)
    except errors.InputError as exc:
        yield exc


def read_file_bytes(data: bytes, source: str, *, input_format: str = "auto",
                    published: dt.date | None = None, max_bytes: int = 10_000_000
                    ) -> Iterator[Article | errors.InputError]:
    """The articles of a whole file's bytes, read exactly as ``iter_articles`` reads that file
    (Spark executors receive files this way); ``source`` names it and decides by extension."""
    if is_warc_path(source):
        yield from _articles_from_warc(source, published, max_bytes, io.BytesIO(data))
        return
    is_jsonl = input_format == "jsonl" or (
        input_format == "auto" and _EXTENSIONS.get(Path(source).suffix.lower()) == "jsonl")
    if is_jsonl:
        yield from _articles_from_jsonl(_bounded_lines(io.BytesIO(data), max_bytes), source,
                                        published, max_bytes)
        return
    if len(data) > max_bytes:
        yield errors.TooLargeInput(source, f"{len(data):,} bytes is over the {max_bytes:,}-byte "
                                   "limit (max_input_bytes)")
        return
    yield from read_document(data, source, input_format, published, path=source)


def _read_limited(stream: BinaryIO, limit: int, source: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise errors.TooLargeInput(
            source, f"larger than the {limit:,}-byte limit (max_input_bytes)")
    return data


def _walk(path: Path) -> Iterator[Path]:
    for child in sorted(path.rglob("*")):
        if (child.is_file() and (child.suffix.lower() in _EXTENSIONS or is_warc_path(child))
                and not any(part.startswith(".") for part in child.relative_to(path).parts)):
            yield child


@lru_cache(maxsize=64)
def _sidecar_dates_cached(directory: Path, mtime: float) -> dict[str, dt.date]:
    return _read_sidecar(directory)


def _sidecar_dates(directory: Path) -> dict[str, dt.date]:
    """Publication dates from ``directory/published.json``, read once per directory and version."""
    try:
        mtime = (directory / SIDECAR).stat().st_mtime
    except OSError:
        return {}
    return _sidecar_dates_cached(directory, mtime)


def _read_sidecar(directory: Path) -> dict[str, dt.date]:
    sidecar = directory / SIDECAR
    if not sidecar.is_file():
        return {}
    try:
        mapping = json.loads(sidecar.read_text(encoding="utf-8"))
        return {name: dt.date.fromisoformat(value) for name, value in mapping.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def iter_articles(
    inputs: Iterable[str], *, input_format: str = "auto", published: dt.date | None = None,
    max_bytes: int = 10_000_000, stdin: BinaryIO | None = None, fetcher: Fetcher | None = None,
) -> Iterator[Article | errors.InputError]:
    """Every document named by ``inputs``: paths, directories, WARC files, ``-`` for standard
    input, and http(s) URLs when a ``fetcher`` is given."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {INPUT_FORMATS}, not {input_format!r}")
    for item in inputs:
        if item.lower().startswith(("http://", "https://")):
            yield from _fetch_article(item, fetcher, published)
            continue
        if item == "-":
            stream = stdin or sys.stdin.buffer
            if input_format == "jsonl":
                yield from _articles_from_jsonl(_bounded_lines(stream, max_bytes), "<stdin>",
                                                published, max_bytes)
                continue
            try:
                data = _read_limited(stream, max_bytes, "<stdin>")
            except errors.InputError as exc:
                yield exc
                continue
            yield from read_document(data, "<stdin>", input_format, published)
            continue
        path = Path(item)
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                yield errors.EmptyInput(item, "the directory holds no .txt, .html or .jsonl files")
            for file in files:
                yield from _read_file(file, input_format, published, max_bytes)
        elif path.exists():
            yield from _read_file(path, input_format, published, max_bytes)
        else:
            yield errors.InputError(item, "no such file or directory")


def _fetch_article(url: str, fetcher: Fetcher | None, published: dt.date | None
                   ) -> Iterator[Article | errors.InputError]:
    if fetcher is None:
        yield errors.InputError(url, "URLs are read by `eventwatch ingest` (this command reads "
                                "files); or save the page and pass the file")
        return
    try:
        response = fetcher.get(url)
        article = article_from_page(response.content, response.final_url,
                                    media_type=response.content_type, charset=response.charset,
                                    published=published)
    except errors.InputError as exc:
        yield exc
        return
    if response.final_url != url and article.fetched_url is None:
        article.fetched_url = url
    yield article


def _read_file(
    path: Path, input_format: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | errors.InputError]:
    source = str(path)
    if is_warc_path(path):
        yield from _articles_from_warc(path, published, max_bytes)
        return
    is_jsonl = input_format == "jsonl" or (
        input_format == "auto" and _EXTENSIONS.get(path.suffix.lower()) == "jsonl")
    if is_jsonl:
        try:
            with path.open("rb") as handle:
                yield from _articles_from_jsonl(_bounded_lines(handle, max_bytes), source,
                                                published, max_bytes)
        except OSError as exc:
            yield errors.InputError(source, f"cannot read: {exc.strerror or exc}")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise errors.TooLargeInput(
                source, f"{size:,} bytes is over the {max_bytes:,}-byte limit (max_input_bytes)"
            )
        with path.open("rb") as handle:
            data = _read_limited(handle, max_bytes, source)
    except errors.InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield errors.InputError(source, f"cannot read: {exc.strerror or exc}")
        return
    date = published or _sidecar_dates(path.parent).get(path.name)
    yield from read_document(data, source, input_format, date, path=source)
