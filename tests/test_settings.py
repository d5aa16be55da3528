"""Settings: read once, checked early, and every bad value names its variable."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from bot.daily.days import expand_days
from bot.errors import SettingsError
from bot.settings import ENVIRONMENT, Settings
from bot.store.engine import make_engine, sqlalchemy_url

ROOT = Path(__file__).parent.parent
SECRET = "0123456789abcdef0123456789abcdef"


def test_defaults_need_nothing() -> None:
    settings = Settings.from_env({})
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert settings.daily_time == time(9, 0)
    assert settings.daily_days == "mon-fri"
    assert settings.database_url == "sqlite:///data/lingo.db"
    assert (settings.glossary_dir / "terms").is_dir()
    assert not settings.has_slack_credentials


def test_values_are_parsed() -> None:
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "PORT": "8080",
            "LINGO_DAILY_CHANNELS": "C01, C02",
            "LINGO_DAILY_TIME": "7:30",
            "LINGO_DAILY_DAYS": "MON,WED-FRI",
            "LINGO_TIMEZONE": "Europe/Berlin",
            "LINGO_ADMIN_USER_IDS": "U1A,U2B",
            "LINGO_DATA_DIR": "/tmp/lingo-data",
        }
    )
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.port == 8080
    assert settings.daily_channels == ("C01", "C02")
    assert settings.daily_time == time(7, 30)
    assert expand_days(settings.daily_days) == ("mon", "wed", "thu", "fri")
    assert settings.admin_user_ids == {"U1A", "U2B"}
    assert settings.database_url == "sqlite:////tmp/lingo-data/lingo.db"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SLACK_BOT_TOKEN", "xapp-1", "SLACK_BOT_TOKEN must start with xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-1", "SLACK_APP_TOKEN must start with xapp-"),
        ("SLACK_SIGNING_SECRET", "nope", "SLACK_SIGNING_SECRET must be the 32 hexadecimal"),
        ("SLACK_API_URL", "slack.com", "SLACK_API_URL must be an http(s):// URL"),
        ("PORT", "eighty", "PORT 'eighty' is not a whole number"),
        ("PORT", "70000", "PORT must be between 1 and 65535"),
        ("LINGO_DAILY_TIME", "9am", "LINGO_DAILY_TIME '9am' is not a time like 09:00"),
        ("LINGO_DAILY_DAYS", "weekdays", "LINGO_DAILY_DAYS must be days like mon-fri"),
        (
            "LINGO_TIMEZONE",
            "Mars/Olympus",
            "LINGO_TIMEZONE 'Mars/Olympus' is not an IANA time zone",
        ),
        ("LINGO_DAILY_CHANNELS", "#general", "LINGO_DAILY_CHANNELS '#general' is not a channel id"),
        ("LINGO_ADMIN_USER_IDS", "@ana", "LINGO_ADMIN_USER_IDS '@ana' is not a user id"),
        ("LINGO_LOG_FORMAT", "xml", "LINGO_LOG_FORMAT must be text or json"),
        ("LINGO_DATABASE_URL", "lingo.db", "LINGO_DATABASE_URL must be a URL"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env({name: value})


def test_token_errors_say_where_to_get_the_value() -> None:
    with pytest.raises(SettingsError, match=r"api\.slack\.com/apps .*OAuth & Permissions"):
        Settings.from_env({"SLACK_BOT_TOKEN": "nope"})


def test_missing_slack_credentials_print_the_exports() -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(SettingsError) as caught:
        settings.require_slack(http=False)
    assert "export SLACK_APP_TOKEN=" in str(caught.value)
    assert "connections:write" in str(caught.value)
    with pytest.raises(SettingsError, match="export SLACK_SIGNING_SECRET="):
        settings.require_slack(http=True)


def test_libpq_urls_work_as_written() -> None:
    assert sqlalchemy_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert sqlalchemy_url("postgresql://u:p@h:5433/db") == "postgresql+psycopg://u:p@h:5433/db"
    assert sqlalchemy_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(SettingsError, match="unsupported database 'mysql'"):
        make_engine("mysql://u@h/db")


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/deep/er/lingo.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (tmp_path / "deep" / "er").is_dir()


def test_readme_and_env_example_document_every_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in ENVIRONMENT:
        assert f"`{name}`" in readme, f"README.md does not document {name}"
        assert re.search(rf"^#?\s*{name}=", example, re.MULTILINE), f".env.example lacks {name}"
