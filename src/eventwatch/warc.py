"""Web archives: HTML pages out of WARC and WARC.gz files (Common Crawl News and the like).

Reading uses fastwarc, response records only. Each record's block is read whole and checked
against its declared length, because a truncated archive otherwise ends with a silently empty
record; the HTTP message inside is parsed here so that the charset it declares is honoured and
chunked or compressed payloads are decoded under the size limit. A corrupt or truncated archive
yields the pages before the damage and one ``ArchiveError`` naming the file and the offset.

``write_warc`` writes response records the same way a crawler does; tests and benchmarks use it
to build archives.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import errors

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_MAX_HTTP_HEADER = 64 * 1024


def is_warc_path(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


@dataclass(slots=True)
class WarcPage:
    """One HTTP response from an archive, decoded down to the body bytes."""

    url: str
    record_id: str
    offset: int
    crawled: dt.date | None
    status: int
    content_type: str
    charset: str | None
    body: bytes


def _parse_http(block: bytes, where: str, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    head_end = block.find(b"\r\n\r\n")
    sep = 4
    if head_end < 0:
        head_end, sep = block.find(b"\n\n"), 2
    if head_end < 0 or head_end > _MAX_HTTP_HEADER:
        raise errors.ArchiveError(where, "the record holds no complete HTTP header")
    lines = block[:head_end].decode("latin-1").splitlines()
    status_line = lines[0].split() if lines else []
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/") or \
            not status_line[1].isdigit():
        raise errors.ArchiveError(where, f"not an HTTP response: {lines[0][:60]!r}" if lines
                                  else "empty HTTP header")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = block[head_end + sep:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body, where)
    encoding = headers.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        body = _inflate(body, encoding, where, max_bytes)
    elif encoding not in ("", "identity"):
        raise errors.ArchiveError(where, f"unsupported content encoding {encoding!r}")
    return int(status_line[1]), headers, body


def _dechunk(body: bytes, where: str) -> bytes:
    out = io.BytesIO()
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            raise errors.ArchiveError(where, "truncated chunked body")
        try:
            size = int(body[pos:line_end].split(b";")[0], 16)
        except ValueError as exc:
            raise errors.ArchiveError(where, "invalid chunked body") from exc
        if size == 0:
            return out.getvalue()
        out.write(body[line_end + 2:line_end + 2 + size])
        pos = line_end + 2 + size + 2


def _inflate(body: bytes, encoding: str, where: str, max_bytes: int) -> bytes:
    # A small compressed body can expand enormously: decompress in steps under the limit.
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise errors.ArchiveError(where, f"corrupt {encoding} payload ({exc})") from exc
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise errors.TooLargeInput(where, f"decompresses to over {max_bytes:,} bytes")
    return data


def parse_content_type(content_type: str | None) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` -> ``("text/html", "UTF-8")``; media type lower-cased."""
    media, _, params = (content_type or "").partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def iter_warc(path: str | Path, max_bytes: int = 10_000_000, *,
              stream: BinaryIO | None = None) -> Iterator[WarcPage | errors.InputError]:
    """Every HTTP response in the archive at ``path`` (or in ``stream``, named ``path``, as Spark
    hands over a file's bytes); errors are yielded, never raised."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    source = str(path)
    count = 0
    offset = 0
    try:
        with (open(path, "rb") if stream is None else contextlib.nullcontext(stream)) as handle:
            records = ArchiveIterator(handle, record_types=WarcRecordType.response,
                                      parse_http=False)
            for record in records:
                offset = record.stream_pos
                where = f"{source}@{offset}"
                count += 1
                length = record.content_length
                url = record.headers.get("WARC-Target-URI") or where
                if length > max_bytes + _MAX_HTTP_HEADER:
                    yield errors.TooLargeInput(url, f"record of {length:,} bytes is over the "
                                               f"{max_bytes:,}-byte limit (max_input_bytes)")
                    continue
                block = record.reader.read(length)
                if len(block) < length:
                    yield errors.ArchiveError(source, f"truncated at record {count} (offset "
                                              f"{offset}): {len(block):,} of {length:,} bytes")
                    return
                try:
                    status, headers, body = _parse_http(block, url, max_bytes)
                except errors.InputError as exc:
                    yield exc
                    continue
                media, charset = parse_content_type(headers.get("content-type"))
                yield WarcPage(url=url, record_id=record.record_id or where, offset=offset,
                               crawled=_warc_date(record.headers.get("WARC-Date")),
                               status=status, content_type=media, charset=charset, body=body)
    except OSError as exc:
        where = "at the start" if count == 0 else f"after record {count} (offset {offset})"
        yield errors.ArchiveError(source, f"corrupt or truncated WARC {where}: {exc}")
        return
    if count == 0:
        yield errors.ArchiveError(source, "no WARC response records (is it a WARC file?)")


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def response_record(url: str, body: bytes, *, content_type: str = "text/html; charset=utf-8",
                    status: int = 200, date: dt.datetime | None = None,
                    record_id: str | None = None) -> bytes:
    """One WARC/1.1 response record (uncompressed) holding an HTTP response with ``body``."""
    http = (f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
    when = (date or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rid = record_id or str(uuid.uuid4())
    header = (
        "WARC/1.1\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\nWARC-Date: {when}\r\n"
        f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def write_warc(path: str | Path, records: Iterable[bytes]) -> int:
    """Write records to ``path``, gzipped per record when it ends in ``.gz``; returns the count."""
    count = 0
    compress = str(path).endswith(".gz")
    with open(path, "wb") as out:
        for record in records:
            out.write(gzip.compress(record, compresslevel=6, mtime=0) if compress else record)
            count += 1
    return count
