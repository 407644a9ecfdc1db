"""Following RSS/Atom feeds: poll, fetch the pages of new items, ingest them.

A feed is polled with a conditional GET (the ETag and Last-Modified of the previous answer), so
an unchanged feed costs one 304. An item (by guid, else link) whose page is stored is never
fetched again; one that failed transiently (timeout, 5xx) is retried on later polls up to
``MAX_ATTEMPTS`` times; one that failed for good (404, robots.txt, not HTML) is not retried.
A feed may also be a local file, re-read at every poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .feeds import FeedItem, parse_feed
from .fetch import FEED_TYPES, Fetcher, is_url
from .ingest import IngestReport, ingest_articles
from .models import Article, DocumentResult
from .settings import Settings
from .sources import article_from_page
from .store.base import AddOutcome
from .store.sqlite import SQLiteStore

_FEED_ACCEPT = (*FEED_TYPES, "text/html", "text/plain")


@dataclass
class PollOutcome:
    feed: str
    status: str          # "ok", "not-modified" or the failure reason
    items: int = 0       # items the feed lists
    new: int = 0         # items fetched this time


def _read_feed(ref: str, store: SQLiteStore, fetcher: Fetcher
               ) -> tuple[bytes | None, str | None, str | None]:
    """The feed document (None when unchanged since the last poll) and its validators."""
    if not is_url(ref):
        path = Path(ref)
        try:
            if path.stat().st_size > fetcher.max_bytes:
                raise errors.TooLargeInput(ref, f"over the {fetcher.max_bytes:,}-byte limit")
            return path.read_bytes(), None, None
        except OSError as exc:
            raise errors.InputError(ref, f"cannot read: {exc.strerror or exc}") from exc
    state = store.feed_state(ref)
    response = fetcher.get(ref, accept=_FEED_ACCEPT, etag=state.etag if state else None,
                           last_modified=state.last_modified if state else None)
    if response.not_modified:
        return None, response.etag or (state.etag if state else None), (
            response.last_modified or (state.last_modified if state else None))
    return response.content, response.etag, response.last_modified


def _item_articles(items: Sequence[FeedItem], fetcher: Fetcher
                   ) -> Iterator[Article | errors.InputError]:
    for item in items:
        try:
            response = fetcher.get(item.link)
            article = article_from_page(response.content, response.final_url,
                                        media_type=response.content_type,
                                        charset=response.charset, published=item.published)
        except errors.InputError as exc:
            exc.source = item.link
            yield exc
            continue
        article.doc_id = item.link
        if article.title is None:
            article.title = item.title
        yield article


def poll_feed(ref: str, store: SQLiteStore, fetcher: Fetcher, settings: Settings,
              report: IngestReport, on_error: Callable[[errors.InputError], None],
              progress: Callable[[IngestReport], None] | None = None) -> PollOutcome:
    """One poll of one feed; failures are counted in ``report`` and passed to ``on_error``."""
    try:
        data, etag, modified = _read_feed(ref, store, fetcher)
        if data is None:
            store.save_feed_state(ref, title=None, etag=etag, last_modified=modified,
                                  status="not-modified")
            return PollOutcome(ref, "not-modified")
        feed = parse_feed(data, ref)
    except errors.InputError as exc:
        report.failed[exc.reason] += 1
        on_error(exc)
        if store.feed_state(ref) is not None or not is_url(ref):
            store.save_feed_state(ref, title=None, etag=None, last_modified=None,
                                  status=exc.reason)
        return PollOutcome(ref, exc.reason)
    # Validators are saved only after the items are handled: a run killed in between polls the
    # full feed again instead of getting a 304 and missing the unfinished items.
    store.save_feed_state(ref, title=feed.title, etag=None, last_modified=None, status="polling")
    skip = store.items_to_skip(ref, (item.key for item in feed.items))
    new = [item for item in feed.items if item.key not in skip]
    by_link = {item.link: item for item in new}

    def stored(result: DocumentResult, outcome: AddOutcome) -> None:
        item = by_link.get(result.article.doc_id)
        if item is not None:
            store.record_item(ref, item.key, item.link, status="stored",
                              article_id=result.article.identity)

    def failed(error: errors.InputError) -> None:
        item = by_link.get(error.source)
        if item is not None:
            transient = isinstance(error, errors.FetchError) and error.transient
            store.record_item(ref, item.key, item.link,
                              status=f"retry:{error.reason}" if transient else error.reason)
        on_error(error)

    ingest_articles(_item_articles(new, fetcher), store, settings, report=report,
                    on_error=failed, on_stored=stored, progress=progress)
    store.save_feed_state(ref, title=feed.title, etag=etag, last_modified=modified, status="ok")
    return PollOutcome(ref, "ok", items=len(feed.items), new=len(new))


def watch(feeds: Sequence[str], store: SQLiteStore, fetcher: Fetcher, settings: Settings, *,
          report: IngestReport, on_error: Callable[[errors.InputError], None],
          on_poll: Callable[[PollOutcome], None] | None = None,
          progress: Callable[[IngestReport], None] | None = None,
          polls: int | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll every feed, then wait ``settings.watch_interval`` seconds; ``polls`` rounds, or
    forever when None."""
    done = 0
    while polls is None or done < polls:
        started = time.monotonic()
        for ref in feeds:
            outcome = poll_feed(ref, store, fetcher, settings, report, on_error, progress)
            if on_poll:
                on_poll(outcome)
        done += 1
        if polls is not None and done >= polls:
            return
        sleep(max(0.0, settings.watch_interval - (time.monotonic() - started)))
