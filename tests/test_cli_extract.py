"""``eventwatch extract``: inputs of every kind, bad inputs reported, the batch carrying on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult

REPORT = ("KANDAHAR CITY -- Gunmen on motorbikes shot dead four teachers outside a school in "
          "Kandahar province on Tuesday, provincial police said. No group has claimed the "
          "attack.\n")
HTML = """<!doctype html><html lang="en"><head><title>Four teachers shot | Example News</title>
<meta property="article:published_time" content="2025-02-12T09:00:00Z">
<link rel="canonical" href="https://news.example.test/teachers"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Four teachers shot dead outside school</h1>
<figure><img src="a.jpg"><figcaption>Police officers stand guard at a checkpoint in Kabul.
</figcaption></figure>
<p>KANDAHAR CITY -- Gunmen on motorbikes shot dead four teachers outside a school in Kandahar
province on Tuesday, provincial police said.</p>
<p>No group has claimed the attack. Schools in the district closed for the rest of the week,
a local education official said, adding that parents were afraid.</p></article>
<footer>Copyright 2025 Example News</footer></body></html>"""


def _docs(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_text_file_one_line_per_document(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = cli("extract", str(path), "--published", "2025-02-12")
    assert result.code == 0, result.err
    (doc,) = _docs(result.out)
    assert doc["doc_id"] == str(path) and doc["published"] == "2025-02-12"
    (event,) = doc["events"]  # type: ignore[misc]
    assert event["fatalities"]["best"] == 4
    assert event["date"]["start"] == "2025-02-11"
    assert event["location"]["admin1"] == "Kandahar"


def test_html_metadata_and_caption_kept_apart(cli: Callable[..., CliResult],
                                              tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    result = cli("extract", str(path), "--with-text")
    assert result.code == 0, result.err
    (doc,) = _docs(result.out)
    assert doc["published"] == "2025-02-12"
    assert "Four teachers" in str(doc["title"])
    assert "checkpoint in Kabul" not in str(doc["text"])
    assert "Home" not in str(doc["text"]) and "Copyright" not in str(doc["text"])
    (event,) = doc["events"]  # type: ignore[misc]
    assert event["location"]["admin1"] == "Kandahar"  # not Kabul from the caption


def test_jsonl_from_stdin(cli: Callable[..., CliResult]) -> None:
    lines = [
        {"id": "a1", "text": REPORT, "published": "2025-02-12", "title": "Teachers shot"},
        {"id": "a2", "html": HTML, "url": "https://news.example.test/teachers"},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    result = cli("extract", "-", "--input-format", "jsonl", stdin=data)
    assert result.code == 0, result.err
    docs = _docs(result.out)
    assert [d["doc_id"] for d in docs] == ["a1", "a2"]
    assert docs[0]["title"] == "Teachers shot"
    assert all(len(d["events"]) == 1 for d in docs)  # type: ignore[arg-type]


def test_directory_recursive_and_table(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "two.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")  # not an article extension: skipped
    result = cli("extract", str(tmp_path), "--output-format", "table", "--published",
                 "2025-02-12")
    assert result.code == 0, result.err
    assert "2 event(s)" in result.out and "Kandahar" in result.out


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    bad = tmp_path / "bad"
    bad.mkdir()
    files = {
        "empty": bad / "empty.txt",
        "binary": bad / "image.txt",
        "invalid-utf8": bad / "latin.txt",
        "too-large": bad / "huge.txt",
        "no-article-text": bad / "menu.html",
        "malformed-record": bad / "lines.jsonl",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    files["invalid-utf8"].write_bytes(b"Gunmen killed three in Kandahar." + b"\xff\xfe\xe9")
    with files["too-large"].open("wb") as handle:  # 50 MB, written sparsely enough to be quick
        handle.write(b"word " * (50 * 1024 * 1024 // 5))
    files["no-article-text"].write_text("<html><body><nav><a href='/'>Home</a></nav>"
                                        "<footer>(c) 2025</footer></body></html>")
    files["malformed-record"].write_text(
        json.dumps({"id": "ok", "text": REPORT}) + "\n{not json\n" + json.dumps({"x": 1}) + "\n")
    return files


def test_bad_inputs_each_reported_and_batch_continues(cli: Callable[..., CliResult],
                                                      tmp_path: Path) -> None:
    files = _bad_inputs(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    args = [str(p) for p in files.values()] + [str(good)]
    result = cli("extract", *args)
    assert result.code == 1
    docs = _docs(result.out)
    # The good file and the good JSONL line still came out.
    assert {str(good), "ok"} <= {d["doc_id"] for d in docs}
    errors = [line for line in result.err.splitlines() if line.startswith("eventwatch: error:")]
    assert len(errors) == 7  # six files, the JSONL one with two bad lines
    for reason, path in files.items():
        assert any(str(path) in line for line in errors), (reason, result.err)
    assert any("lines.jsonl:2" in line and "not valid JSON" in line for line in errors)
    assert any("lines.jsonl:3" in line and "'id'" in line for line in errors)
    assert any("not valid UTF-8" in line for line in errors)
    assert any("limit" in line and "huge.txt" in line for line in errors)
    assert "7 input(s) failed" in result.err


def test_usage_errors_exit_2(cli: Callable[..., CliResult]) -> None:
    assert cli("extract", "--published", "last tuesday").code == 2
    assert cli("extract", "--input-format", "pdf").code == 2
    assert cli("no-such-command").code == 2


def test_missing_path_exit_1(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("extract", str(tmp_path / "nope.txt"))
    assert result.code == 1 and "no such file" in result.err


@pytest.mark.parametrize("command", ["extract", "ingest", "events", "export", "serve"])
def test_help_on_every_command(cli: Callable[..., CliResult], command: str) -> None:
    result = cli(command, "--help")
    assert result.code == 0 and "usage: eventwatch " + command in result.out


def test_console_script_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    exe = Path(sys.executable).with_name("eventwatch")
    proc = subprocess.run([str(exe), "extract", str(path), str(tmp_path / "missing.txt")],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "EVENTWATCH_WORKERS": "2"})
    assert proc.returncode == 1
    assert len(_docs(proc.stdout)) == 1
    assert "missing.txt" in proc.stderr


def test_jsonl_batches_stream_past_the_size_limit(cli: Callable[..., CliResult], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWATCH_MAX_INPUT_BYTES", "2000")
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": REPORT, "published": "2025-02-12"})
             for i in range(6)]  # each record fits, the file (about 2.4 kB) does not
    lines.insert(3, json.dumps({"id": "big", "text": "word " * 1000}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("extract", str(path))
    assert result.code == 1
    assert [d["doc_id"] for d in _docs(result.out)] == [f"r{i}" for i in range(6)]
    assert "batch.jsonl:4" in result.err and "limit" in result.err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = cli("extract", str(empty))
    assert result.code == 1 and "no JSONL records" in result.err
