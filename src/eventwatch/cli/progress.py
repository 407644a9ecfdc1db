"""A one-line progress display on stderr: counts and rate, redrawn at most a few times a second.

Shown only on a terminal; piped output and ``--quiet`` get the final summary line alone (or
nothing), so logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..errors import InputError
from ..ingest import IngestReport
from .common import FailureReport

_REDRAW_SECONDS = 0.2


class Progress:
    def __init__(self, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._width = 0

    def __call__(self, report: IngestReport) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < _REDRAW_SECONDS:
            return
        self._last = now
        failed = sum(report.failed.values())
        line = (f"  {report.done} done: {report.added} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, {failed} failed | {report.events} events | "
                f"{report.rate:.1f} articles/s")
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


class RunConsole:
    """What a long ingesting command shows: the progress line, one line per failed input (the
    progress line cleared first), and the final summary unless quiet."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.progress = Progress(enabled=False if quiet else None)
        self.failures = FailureReport()
        self.report = IngestReport()

    def on_error(self, error: InputError) -> None:
        self.progress.close()
        self.failures(error)

    def note(self, line: str) -> None:
        if not self.quiet:
            self.progress.close()
            print(line, file=sys.stderr)

    def finish(self, verb: str, db: str) -> int:
        self.progress.close()
        self.note(f"{verb} into {db}: {self.report.summary()}")
        return 1 if self.failures.failed else 0
