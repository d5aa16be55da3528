"""A person's language choice (`/lingo lang`), stored on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.engine import make_engine, upgrade_schema
from bot.store.prefs import choose_language, chosen_language

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_choice_is_stored_changed_and_forgotten(daily_db_url: str) -> None:
    engine = make_engine(daily_db_url)
    try:
        upgrade_schema(engine)
        assert chosen_language(engine, "U0KOREAN01") is None
        choose_language(engine, "U0KOREAN01", "ko", NOW)
        assert chosen_language(engine, "U0KOREAN01") == "ko"
        choose_language(engine, "U0KOREAN01", "en", NOW)
        assert chosen_language(engine, "U0KOREAN01") == "en"
        choose_language(engine, "U0KOREAN01", None, NOW)
        assert chosen_language(engine, "U0KOREAN01") is None
    finally:
        engine.dispose()
