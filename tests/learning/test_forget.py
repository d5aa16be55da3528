"""`forget me` leaves no row of that person in any learning table, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from bot.learning import store
from bot.learning.reviews import REVIEW_LEDGER, ReviewChoice
from bot.store.engine import make_engine, upgrade_schema
from bot.store.prefs import choose_language
from bot.store.tables import LEARNING_TABLES, metadata

NOW = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


def fill(engine: object, user: str) -> None:
    store.learn_on(engine, user, at=time(9, 0), timezone="Europe/Berlin", now=NOW)  # type: ignore[arg-type]
    store.add_card(engine, user, "lora", "lookup", now=NOW)  # type: ignore[arg-type]
    store.add_card(engine, user, "rlhf", "added", now=NOW)  # type: ignore[arg-type]
    store.record_answer(
        engine,  # type: ignore[arg-type]
        user,
        question_id="lora:which-term:1",
        term_id="lora",
        chosen_id="peft",
        correct=False,
        kind="which-term",
        review_day=date(2025, 3, 4),
        now=NOW,
    )
    store.comment(engine, user, "lora", "unclear", now=NOW)  # type: ignore[arg-type]
    choose_language(engine, user, "ko", NOW)
    REVIEW_LEDGER.claim_day(
        engine,  # type: ignore[arg-type]
        user,
        date(2025, 3, 4),
        now=NOW,
        choose=lambda _c: ReviewChoice(("lora",)),
    )


def test_forget_me_deletes_every_row_of_the_person_and_only_theirs(daily_db_url: str) -> None:
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    fill(engine, "U0FORGET01")
    fill(engine, "U0KEEPME01")
    # Every table with a user_id column is a learning table: none is forgotten by mistake.
    with_users = {t.name for t in metadata.sorted_tables if "user_id" in t.c}
    assert with_users == {t.name for t in LEARNING_TABLES}

    deleted = store.forget(engine, "U0FORGET01")
    assert all(n >= 1 for n in deleted.values()), deleted
    assert set(deleted) == with_users
    assert store.rows_of(engine, "U0FORGET01") == dict.fromkeys(with_users, 0)
    assert store.rows_of(engine, "U0KEEPME01") == {
        "learning_people": 1,
        "learning_cards": 2,
        "quiz_answers": 1,
        "clarity_votes": 1,
        "review_messages": 1,
        "user_prefs": 1,
    }
    with engine.connect() as connection:
        for table in LEARNING_TABLES:
            left = connection.execute(
                select(func.count()).select_from(table).where(table.c.user_id == "U0FORGET01")
            ).scalar_one()
            assert left == 0, table.name
    engine.dispose()
