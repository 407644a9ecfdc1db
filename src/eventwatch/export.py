"""Export stored events, or merged events (one per incident), as CSV (ACLED column names),
JSONL, GeoJSON or Parquet.

Every format streams from ``Store.iter_events``, so memory stays bounded however many events are
exported, and writes to a temporary file beside the target that replaces it only when complete:
a failed export never leaves a truncated file behind.

Flat columns (``CSV_COLUMNS``, shared by CSV, GeoJSON properties and Parquet) take ACLED's names
where a field has an ACLED equivalent. Codes that ACLED and UCDP define:

- ``time_precision`` (ACLED): 1 the day is known, 2 the week, 3 only the month or year (also used
  when the date is unknown, including a day or month whose year is unknown).
- ``geo_precision`` (ACLED): 1 a named town or point, 2 part of a region (admin2), 3 a region or
  country coded to its centre (admin1, country); empty when the place is unknown.
- ``where_prec`` (UCDP GED): 1 exact location (our ``point``), 3 second-order administrative
  division (``admin2``), 4 first-order division (``admin1``), 6 only the country (``country``);
  empty when unknown. UCDP's 2 (within 25 km), 5 (linear feature) and 7 (waters/airspace) are
  never produced.

Unknown numbers are empty (CSV) or null (GeoJSON, Parquet), never 0: "fatalities" is empty when
the text gives no figure. "perpetrator_deaths" (not an ACLED column) holds the attackers' dead
the text counts apart; they are not in "fatalities" (docs/event-record.md).

Spreadsheet formula injection: article text, actor names and document ids end up in cells, and a
spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@`` (or tab or carriage return)
as a formula. ``csv_row`` therefore prefixes such text cells with a single quote ``'``, which
spreadsheets show as text (OWASP "CSV Injection"). Numeric columns are never prefixed, so
negative coordinates stay numbers. JSONL, GeoJSON and Parquet keep values unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from .errors import MissingExtra
from .registry import get, register
from .store.base import EventFilter, Store

CSV_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "date_precision", "event_type",
    "sub_event_type", "attack_type", "actor1", "assoc_actor_1", "attribution", "victims",
    "targets", "weapons", "country", "iso", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "where_prec", "fatalities", "fatalities_low", "fatalities_high",
    "injured", "perpetrator_deaths", "notes", "source", "source_url", "doc_id", "confidence",
)
# Columns holding numbers: written as numbers, never formula-guarded.
NUMERIC_COLUMNS = frozenset({
    "year", "time_precision", "latitude", "longitude", "geo_precision", "where_prec",
    "fatalities", "fatalities_low", "fatalities_high", "injured", "perpetrator_deaths",
    "confidence", "source_count",
})
# Merged events (``export --merged``, docs/merging.md): the same columns for the reconciled
# values, ``source`` listing every outlet (ACLED's "source" is the outlets, ';'-separated),
# ``source_url`` the article the evidence comes from, plus the number of reports and every
# report's locator (URL, else path, else article id), oldest first.
MERGED_COLUMNS: tuple[str, ...] = (*CSV_COLUMNS, "source_count", "sources")
FORMATS = ("csv", "jsonl", "geojson", "parquet")

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}
_GEO_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 3}
_WHERE_PREC = {"point": 1, "admin2": 3, "admin1": 4, "country": 6}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PARQUET_BATCH = 1000

Exporter = Callable[[Iterable[dict[str, Any]], str], int]
Columns = Callable[[dict[str, Any]], dict[str, Any]]


def _joined(items: list[dict[str, Any]], sep: str = "; ") -> str | None:
    texts = [item["text"] for item in items if item.get("text")]
    return sep.join(texts) if texts else None


def _actor(perpetrator: dict[str, Any]) -> str:
    return str(perpetrator.get("name") or perpetrator["text"])


def event_columns(event: dict[str, Any]) -> dict[str, Any]:
    """The flat, typed columns of one stored event (``CSV_COLUMNS`` order; None when unknown)."""
    date, loc = event["date"], event["location"]
    start = dt.date.fromisoformat(date["start"]) if date.get("start") else None
    perps = event["perpetrators"]
    source = event.get("source") or {}
    geo = loc.get("precision", "unknown")
    return {
        "event_id_cnty": event["id"],
        "event_date": start,
        "year": start.year if start else None,
        # A day or week without a known year is no more precise than an unknown date.
        "time_precision": _TIME_PRECISION.get(date["precision"], 3) if start else 3,
        "date_precision": date["precision"],
        "event_type": event["event_type"],
        "sub_event_type": event["sub_event_type"],
        "attack_type": event["attack_type"],
        "actor1": _actor(perps[0]) if perps else None,
        "assoc_actor_1": "; ".join(_actor(p) for p in perps[1:]) or None,
        "attribution": perps[0].get("attribution") if perps else None,
        "victims": _joined(event["victims"]),
        "targets": _joined(event["targets"]),
        "weapons": _joined(event["weapons"]),
        "country": loc["country"],
        "iso": loc["country_code"],
        "admin1": loc["admin1"],
        "admin2": loc["admin2"],
        "location": loc["name"],
        "latitude": loc["lat"],
        "longitude": loc["lon"],
        "geo_precision": _GEO_PRECISION.get(geo),
        "where_prec": _WHERE_PREC.get(geo),
        "fatalities": event["fatalities"]["best"],
        "fatalities_low": event["fatalities"]["low"],
        "fatalities_high": event["fatalities"]["high"],
        "injured": event["injured"]["best"],
        # Records stored before the field existed have none: unknown, like any missing count.
        "perpetrator_deaths": (event.get("perpetrator_deaths") or {}).get("best"),
        "notes": _joined(event["evidence"], " "),
        "source": source.get("title") or source.get("url") or source.get("path"),
        "source_url": source.get("url"),
        "doc_id": event["doc_id"],
        "confidence": event["confidence"],
    }


def _outlet(source: dict[str, Any]) -> str:
    url = source.get("url")
    if url:
        host: str = urlsplit(str(url)).hostname or str(url)
        return host.removeprefix("www.")
    return str(source.get("title") or source.get("path") or source["article_id"])


def merged_columns(event: dict[str, Any]) -> dict[str, Any]:
    """The flat columns of a merged event (``MERGED_COLUMNS`` order; None when unknown)."""
    cols = event_columns(event)
    sources = event["sources"]
    cols["source"] = "; ".join(dict.fromkeys(_outlet(s) for s in sources)) or None
    cols["source_url"] = next((s["url"] for s in sources
                               if s["event"]["doc_id"] == event["doc_id"] and s.get("url")), None)
    cols["source_count"] = len(sources)
    cols["sources"] = "; ".join(str(s.get("url") or s.get("path") or s["article_id"])
                                for s in sources) or None
    return cols


def guard_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would evaluate as a formula (see the module docstring)."""
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START[:4]):
        return "'" + text
    return text


def _csv_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if name in NUMERIC_COLUMNS:
        return str(value)
    return guard_formula(str(value))


def csv_row(event: dict[str, Any], columns: Columns = event_columns) -> list[str]:
    """One CSV row (``CSV_COLUMNS`` order) of a stored event; text cells formula-guarded."""
    return [_csv_cell(name, value) for name, value in columns(event).items()]


def _json_columns(event: dict[str, Any], columns: Columns = event_columns) -> dict[str, Any]:
    cols = columns(event)
    if cols["event_date"] is not None:
        cols["event_date"] = cols["event_date"].isoformat()
    return cols


@contextlib.contextmanager
def _atomic_open(out_path: str, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """A temporary file beside ``out_path`` that replaces it only if the block succeeds.

    Missing parent directories are created.
    """
    target = Path(out_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its files are private (0600), while an export should get the usual
    # permissions (umask), as a plain open() gives. "x" still refuses an existing file.
    tmp = target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"
    try:
        with open(tmp, mode.replace("w", "x"), **kwargs) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@register("exporters", "eventwatch.export.csv.v1")
def write_csv(events: Iterable[dict[str, Any]], out_path: str, *, merged: bool = False) -> int:
    """CSV with a header of ``CSV_COLUMNS`` (``MERGED_COLUMNS`` for merged events), UTF-8 without
    BOM; returns the number of rows."""
    import csv

    header, columns = _layout(merged)
    count = 0
    with _atomic_open(out_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for event in events:
            writer.writerow(csv_row(event, columns))
            count += 1
    return count


@register("exporters", "eventwatch.export.jsonl.v1")
def write_jsonl(events: Iterable[dict[str, Any]], out_path: str, *, merged: bool = False) -> int:
    """One stored event (``Event.to_dict()`` plus ``source``; a merged event with its ``sources``
    and ``merge`` record) per line."""
    count = 0
    with _atomic_open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        for event in events:
            fh.write(json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n")
            count += 1
    return count


def _geometry(cols: dict[str, Any]) -> dict[str, Any] | None:
    lat, lon = cols["latitude"], cols["longitude"]
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}  # RFC 7946: longitude first


@register("exporters", "eventwatch.export.geojson.v1")
def write_geojson(events: Iterable[dict[str, Any]], out_path: str, *,
                  merged: bool = False) -> int:
    """A GeoJSON FeatureCollection (RFC 7946), written one feature at a time.

    Each feature has a Point geometry when latitude and longitude are known, else a null
    geometry, and the flat export columns as properties (``id`` is the event id).
    """
    _, columns = _layout(merged)
    count = 0
    with _atomic_open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for event in events:
            cols = _json_columns(event, columns)
            feature = {"type": "Feature", "id": event["id"], "geometry": _geometry(cols),
                       "properties": cols}
            fh.write((",\n" if count else "") +
                     json.dumps(feature, ensure_ascii=False, allow_nan=False))
            count += 1
        fh.write("\n]}\n")
    return count


def parquet_schema(merged: bool = False) -> Any:
    """The Arrow schema of the Parquet export: ``CSV_COLUMNS`` (``MERGED_COLUMNS``) typed, plus
    ``record`` (JSON)."""
    pa = _pyarrow()
    types = {
        "event_date": pa.date32(), "year": pa.int32(), "time_precision": pa.int8(),
        "geo_precision": pa.int8(), "where_prec": pa.int8(), "latitude": pa.float64(),
        "longitude": pa.float64(), "fatalities": pa.int64(), "fatalities_low": pa.int64(),
        "fatalities_high": pa.int64(), "injured": pa.int64(), "perpetrator_deaths": pa.int64(),
        "confidence": pa.float64(), "source_count": pa.int32(),
    }
    header, _ = _layout(merged)
    fields = [pa.field(name, types.get(name, pa.string())) for name in header]
    fields.append(pa.field("record", pa.string()))
    return pa.schema(fields)


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:
        raise MissingExtra(
            "the parquet export needs pyarrow: pip install 'eventwatch[parquet]'"
        ) from exc
    return pyarrow


@register("exporters", "eventwatch.export.parquet.v1")
def write_parquet(events: Iterable[dict[str, Any]], out_path: str, *,
                  merged: bool = False) -> int:
    """Parquet written in row groups of 1000 events with ``ParquetWriter``."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema(merged)
    _, columns = _layout(merged)
    count = 0
    batch: list[dict[str, Any]] = []
    with _atomic_open(out_path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
        for event in events:
            row = columns(event)
            row["record"] = json.dumps(event, ensure_ascii=False, allow_nan=False)
            batch.append(row)
            if len(batch) >= _PARQUET_BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch.clear()
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def exporter(fmt: str) -> Exporter:
    """The exporter registered for ``fmt``: a built-in format or a plugin's full name."""
    name = f"eventwatch.export.{fmt}.v1" if fmt in FORMATS else fmt
    try:
        func: Exporter = get("exporters", name)
    except KeyError as exc:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}") from exc
    return func


def _layout(merged: bool) -> tuple[tuple[str, ...], Columns]:
    return (MERGED_COLUMNS, merged_columns) if merged else (CSV_COLUMNS, event_columns)


def export_merged(store: Store, fmt: str, out_path: str) -> int:
    """Write every merged event (one per incident, docs/merging.md) to ``out_path`` in a built-in
    format; returns the count. Plugin formats know per-article events only."""
    from .store.merged import MergedEvents
    from .store.sqlite import SQLiteStore

    if fmt not in FORMATS:
        raise ValueError(f"merged events export as {', '.join(FORMATS)}, not {fmt!r}")
    if not isinstance(store, SQLiteStore):
        raise ValueError("merged events are kept by the SQLite store only")
    write: Callable[..., int] = exporter(fmt)
    return write(MergedEvents(store).iter_all(), out_path, merged=True)


def export_events(store: Store, fmt: str, out_path: str, f: EventFilter | None = None) -> int:
    """Write the events matching ``f`` (all events when None) to ``out_path``; returns the count."""
    write = exporter(fmt)
    return write(store.iter_events(f if f is not None else EventFilter(limit=None)), out_path)
