"""Settings: read once from the environment at start, checked early, then frozen.

Every variable the bot reads is listed in ``ENVIRONMENT``; the README, ``.env.example``
and the deployment files are checked against it by the tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import SettingsError

APPS_PAGE = "https://api.slack.com/apps"
WHERE = {
    "SLACK_BOT_TOKEN": f"{APPS_PAGE} → your app → OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "SLACK_SIGNING_SECRET": f"{APPS_PAGE} → your app → Basic Information → App Credentials → Signing Secret",
    "SLACK_APP_TOKEN": (
        f"{APPS_PAGE} → your app → Basic Information → App-Level Tokens → "
        "Generate Token with the connections:write scope (xapp-…)"
    ),
}

# Every environment variable the bot reads, with a one-line meaning.
ENVIRONMENT: dict[str, str] = {
    "SLACK_BOT_TOKEN": "bot token (xoxb-…); needed to connect to Slack",
    "SLACK_SIGNING_SECRET": "signing secret; needed for `lingo serve --http`",
    "SLACK_APP_TOKEN": "app-level token (xapp-…); turns on Socket Mode",
    "SLACK_API_URL": "base URL of the Slack Web API (default https://slack.com/api/)",
    "PORT": "HTTP port for `lingo serve --http` (default 3000)",
    "LINGO_GLOSSARY_DIR": "the glossary folder (default: the shipped glossary/)",
    "LINGO_DATABASE_URL": "SQLAlchemy or libpq URL (default: SQLite file in LINGO_DATA_DIR)",
    "LINGO_DATA_DIR": "folder for the default SQLite database (default ./data)",
    "LINGO_DAILY_CHANNELS": "comma-separated channel ids that get the term of the day",
    "LINGO_DAILY_TIME": "local time of the daily post, HH:MM (default 09:00)",
    "LINGO_DAILY_DAYS": "days of the daily post, cron style (default mon-fri)",
    "LINGO_TIMEZONE": "IANA time zone of the daily post (default UTC)",
    "LINGO_CONTRIBUTING_URL": "where people learn how to propose a term",
    "LINGO_ADMIN_USER_IDS": "comma-separated Slack user ids allowed to reload and see stats",
    "LINGO_ADMIN_CHANNEL": "channel id for suggestions and glossary errors",
    "LINGO_RELOAD_SECONDS": "how often to look for glossary changes (default 5)",
    "LINGO_WEB_THREADS": "threads of the HTTP server (default 8)",
    "LINGO_LOG_FORMAT": "text or json (default text)",
    "LINGO_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (default INFO)",
}

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_CONTRIBUTING_URL = "https://github.com/llm-lingo/llm-lingo/blob/main/docs/adding-terms.md"
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?"
    r"(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$"
)
_ID = re.compile(r"^[A-Z0-9]{2,}$")


def default_glossary_dir() -> Path:
    """The glossary shipped beside the package (a checkout), else ./glossary."""
    shipped = Path(__file__).resolve().parent.parent / "glossary"
    return shipped if (shipped / "terms").is_dir() else Path("glossary")


@dataclass(frozen=True)
class Settings:
    """Everything configurable, parsed and checked."""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    port: int = 3000
    glossary_dir: Path = field(default_factory=default_glossary_dir)
    data_dir: Path = Path("data")
    database_url: str = "sqlite:///data/lingo.db"
    daily_channels: tuple[str, ...] = ()
    daily_time: time = time(9, 0)
    daily_days: str = "mon-fri"
    timezone: str = "UTC"
    contributing_url: str = DEFAULT_CONTRIBUTING_URL
    admin_user_ids: frozenset[str] = frozenset()
    admin_channel: str | None = None
    reload_seconds: float = 5.0
    web_threads: int = 8
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every variable; raise SettingsError naming the first bad one."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        bot_token = get("SLACK_BOT_TOKEN")
        if bot_token and not bot_token.startswith("xoxb-"):
            raise _bad("SLACK_BOT_TOKEN", "must start with xoxb- (the Bot User OAuth Token)")
        app_token = get("SLACK_APP_TOKEN")
        if app_token and not app_token.startswith("xapp-"):
            raise _bad("SLACK_APP_TOKEN", "must start with xapp- (an app-level token)")
        secret = get("SLACK_SIGNING_SECRET")
        if secret and not re.fullmatch(r"[0-9a-f]{32}", secret):
            raise _bad("SLACK_SIGNING_SECRET", "must be the 32 hexadecimal characters Slack shows")
        api_url = get("SLACK_API_URL") or DEFAULT_API_URL
        if not re.match(r"^https?://[^\s/]+", api_url):
            raise _bad("SLACK_API_URL", "must be an http(s):// URL such as https://slack.com/api/")
        if not api_url.endswith("/"):
            api_url += "/"

        data_dir = Path(get("LINGO_DATA_DIR") or "data")
        database_url = get("LINGO_DATABASE_URL") or f"sqlite:///{data_dir / 'lingo.db'}"
        if not re.match(r"^[a-z][a-z0-9+]*://", database_url):
            raise _bad(
                "LINGO_DATABASE_URL",
                "must be a URL like sqlite:///data/lingo.db or "
                "postgresql://user:password@host/dbname",
            )

        channels = tuple(
            c.strip() for c in (get("LINGO_DAILY_CHANNELS") or "").split(",") if c.strip()
        )
        for channel in channels:
            if not _ID.match(channel):
                raise _bad(
                    "LINGO_DAILY_CHANNELS", f"'{channel}' is not a channel id like C0123456789"
                )
        admins = frozenset(
            u.strip() for u in (get("LINGO_ADMIN_USER_IDS") or "").split(",") if u.strip()
        )
        for user in admins:
            if not _ID.match(user):
                raise _bad("LINGO_ADMIN_USER_IDS", f"'{user}' is not a user id like U0123456789")
        admin_channel = get("LINGO_ADMIN_CHANNEL")
        if admin_channel and not _ID.match(admin_channel):
            raise _bad(
                "LINGO_ADMIN_CHANNEL", f"'{admin_channel}' is not a channel id like C0123456789"
            )

        days = (get("LINGO_DAILY_DAYS") or "mon-fri").lower()
        if not _DAYS.match(days):
            raise _bad("LINGO_DAILY_DAYS", "must be days like mon-fri or mon,wed,fri")
        timezone = get("LINGO_TIMEZONE") or "UTC"
        check_timezone(timezone, "LINGO_TIMEZONE")
        log_format = (get("LINGO_LOG_FORMAT") or "text").lower()
        if log_format not in ("text", "json"):
            raise _bad("LINGO_LOG_FORMAT", "must be text or json")
        log_level = (get("LINGO_LOG_LEVEL") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise _bad("LINGO_LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")
        glossary_dir = get("LINGO_GLOSSARY_DIR")

        return cls(
            slack_bot_token=bot_token,
            slack_signing_secret=secret,
            slack_app_token=app_token,
            slack_api_url=api_url,
            port=_int(get("PORT"), "PORT", 3000, 1, 65535),
            glossary_dir=Path(glossary_dir) if glossary_dir else default_glossary_dir(),
            data_dir=data_dir,
            database_url=database_url,
            daily_channels=channels,
            daily_time=parse_time(get("LINGO_DAILY_TIME") or "09:00", "LINGO_DAILY_TIME"),
            daily_days=days,
            timezone=timezone,
            contributing_url=get("LINGO_CONTRIBUTING_URL") or DEFAULT_CONTRIBUTING_URL,
            admin_user_ids=admins,
            admin_channel=admin_channel,
            reload_seconds=float(
                _int(get("LINGO_RELOAD_SECONDS"), "LINGO_RELOAD_SECONDS", 5, 1, 3600)
            ),
            web_threads=_int(get("LINGO_WEB_THREADS"), "LINGO_WEB_THREADS", 8, 1, 256),
            log_format="json" if log_format == "json" else "text",
            log_level=log_level,
        )

    @property
    def has_slack_credentials(self) -> bool:
        return bool(self.slack_bot_token or self.slack_app_token or self.slack_signing_secret)

    def require_slack(self, *, http: bool) -> None:
        """Stop with the exact variables to set when Slack credentials are missing."""
        needed = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET" if http else "SLACK_APP_TOKEN"]
        values = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
            "SLACK_APP_TOKEN": self.slack_app_token,
        }
        missing = [name for name in needed if not values[name]]
        if missing:
            lines = [f"  export {name}=…   # {WHERE[name]}" for name in missing]
            mode = "HTTP mode" if http else "Socket Mode"
            raise SettingsError(f"{mode} needs {', '.join(missing)}:\n" + "\n".join(lines))


ENV_FILE = Path(".env")


def load_env_file(path: Path = ENV_FILE) -> Path | None:
    """Read ``path`` (.env in the current folder) into the environment, if it exists.

    A variable already set in the real environment wins over the file, so
    ``SLACK_BOT_TOKEN= lingo serve`` still means "no token". Returns the file read, if any.
    """
    if not path.is_file():
        return None
    from dotenv import load_dotenv

    load_dotenv(path, override=False)
    return path


def parse_time(value: str, name: str) -> time:
    """Parse HH:MM (24-hour)."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise _bad(name, f"'{value}' is not a time like 09:00 (24-hour HH:MM)")
    return time(int(match[1]), int(match[2]))


def check_timezone(value: str, name: str) -> ZoneInfo:
    """An IANA time zone such as Europe/Berlin."""
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _bad(name, f"'{value}' is not an IANA time zone like Europe/Berlin or UTC") from None


def expand_days(days: str) -> tuple[str, ...]:
    """mon-fri → ('mon', 'tue', 'wed', 'thu', 'fri')."""
    found: list[str] = []
    for part in days.split(","):
        first, _, last = part.partition("-")
        start = _DAY_NAMES.index(first)
        end = _DAY_NAMES.index(last or first)
        span = range(start, end + 1) if end >= start else [*range(start, 7), *range(end + 1)]
        found += [_DAY_NAMES[i] for i in span if _DAY_NAMES[i] not in found]
    return tuple(found)


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _bad(name, f"'{value}' is not a whole number") from None
    if not low <= number <= high:
        raise _bad(name, f"must be between {low} and {high}")
    return number


def _bad(name: str, reason: str) -> SettingsError:
    where = f" Get it at {WHERE[name]}." if name in WHERE else ""
    return SettingsError(f"{name} {reason}.{where}")
