"""A one-line progress display on stderr: counts and rate, redrawn at most a few times a second.

Shown only on a terminal; piped output and ``--quiet`` get the final summary line alone (or
nothing), so logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..ingest import IngestReport

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
