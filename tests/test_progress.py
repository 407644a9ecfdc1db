"""The progress line: drawn on a terminal, silent otherwise."""

from __future__ import annotations

import io

from eventwatch.cli.progress import Progress
from eventwatch.ingest import IngestReport


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_counts_on_a_terminal_and_clears_its_line() -> None:
    stream = Terminal()
    report = IngestReport(added=3, unchanged=2, events=7)
    report.failed["timeout"] += 1
    progress = Progress(stream=stream)
    progress(report)
    drawn = stream.getvalue()
    assert drawn.startswith("\r") and "6 done: 3 new" in drawn and "2 unchanged" in drawn
    assert "1 failed" in drawn and "7 events" in drawn and "articles/s" in drawn
    progress.close()
    assert stream.getvalue().endswith("\r") and stream.getvalue().count("\r") == 3


def test_progress_is_silent_when_not_a_terminal_or_quiet() -> None:
    piped = io.StringIO()
    Progress(stream=piped)(IngestReport(added=1))
    quiet = Terminal()
    Progress(stream=quiet, enabled=False)(IngestReport(added=1))
    assert piped.getvalue() == "" and quiet.getvalue() == ""


def test_the_summary_names_every_outcome() -> None:
    report = IngestReport(added=4, updated=1, unchanged=2, not_english=1, events=9)
    report.failed.update({"timeout": 2, "corrupt-archive": 1})
    assert report.summary() == (
        "4 ingested, 1 updated, 2 unchanged, 3 failed (1 corrupt-archive, 2 timeout); "
        "1 not in English (stored without extraction); 9 event(s) stored")
