from __future__ import annotations

from pathlib import Path

import pytest

from eventwatch.errors import ConfigError
from eventwatch.settings import SETTING_NAMES, load_settings

DOCS = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_precedence_file_then_environment_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('port = 9001\nworkers = 3\ndb = "from-file.db"\n', encoding="utf-8")
    env = {"EVENTWATCH_CONFIG": str(config), "EVENTWATCH_PORT": "9002"}
    settings = load_settings({"db": "from-flag.db", "workers": None}, env=env)
    assert settings.port == 9002  # environment over file
    assert settings.workers == 3  # file over default; a None flag changes nothing
    assert settings.db == "from-flag.db"  # flag over everything


def test_bad_values_name_the_setting_and_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="EVENTWATCH_PORT"):
        load_settings(env={"EVENTWATCH_PORT": "eighty"})
    config = tmp_path / "c.toml"
    config.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(env={"EVENTWATCH_CONFIG": str(config)})
    config.write_text("port = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read settings file"):
        load_settings(env={"EVENTWATCH_CONFIG": str(config)})


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in SETTING_NAMES:
        assert f"`{name}`" in text and f"EVENTWATCH_{name.upper()}" in text, name
