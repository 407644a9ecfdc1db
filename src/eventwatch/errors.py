"""Every error eventwatch raises on purpose, each with a code and an actionable message.

Input errors (``InputError`` and subclasses) concern one document: the batch reports them with the
input's name and carries on. Anything else is a bug or a broken installation.
"""

from __future__ import annotations


class EventwatchError(Exception):
    """Base class; ``code`` is stable and appears in messages as ``[E###]``."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class InputError(EventwatchError):
    """A document that cannot be read or has no usable text. ``source`` names the input."""

    code = "E100"
    reason = "unreadable"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class EmptyInput(InputError):
    code = "E101"
    reason = "empty"


class BinaryInput(InputError):
    code = "E102"
    reason = "binary"


class EncodingInput(InputError):
    code = "E103"
    reason = "invalid-utf8"


class TooLargeInput(InputError):
    code = "E104"
    reason = "too-large"


class NoArticleText(InputError):
    code = "E105"
    reason = "no-article-text"


class MalformedRecord(InputError):
    code = "E106"
    reason = "malformed-record"


class UnsafeURL(InputError):
    code = "E107"
    reason = "unsafe-url"


class FetchError(InputError):
    """A URL that could not be fetched; ``reason`` says why (timeout, HTTP status, robots)."""

    code = "E108"
    reason = "fetch-failed"

    def __init__(self, source: str, message: str, *, reason: str | None = None,
                 transient: bool = False) -> None:
        super().__init__(source, message)
        if reason:
            self.reason = reason
        # Transient failures (timeouts, 5xx) are retried on the next poll; others are final.
        self.transient = transient


class FeedError(InputError):
    """An RSS/Atom feed that cannot be parsed or is refused (entity declarations)."""

    code = "E109"
    reason = "invalid-feed"


class ArchiveError(InputError):
    """A WARC file or record that is truncated, corrupt or not a WARC at all."""

    code = "E110"
    reason = "corrupt-archive"


class ConfigError(EventwatchError):
    """A setting has an invalid value or the settings file cannot be parsed."""

    code = "E200"


class StoreError(EventwatchError):
    """The database cannot be opened or its schema is newer than this version understands."""

    code = "E300"


class StoreLocked(StoreError):
    """Another writer held the database lock longer than the busy timeout."""

    code = "E301"


class ModelMissing(EventwatchError):
    """A pinned model or data package is not installed."""

    code = "E400"


class MissingExtra(EventwatchError):
    """An optional dependency group is not installed, e.g. ``pip install 'eventwatch[parquet]'``."""

    code = "E401"
