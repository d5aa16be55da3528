"""A lookup never waits on the database: the language choice and whether the person is
learning are remembered, and a lookup is claimed against retries in this process only.
Things with effects others see (a share, a subscription) still claim in the database.
Real Bolt pipeline over loopback, real SQLite; statements counted with SQLAlchemy events."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from bot.learning import store
from bot.runtime import Runtime
from bot.store.tables import request_claims
from tests.conftest import Served
from tests.support.slackreq import SlackSender

ASKER = "U0ASKER001"


class Statements:
    """The SQL statements run on ``engine`` by request threads (not the lookup recorder's)."""

    def __init__(self, engine: Engine) -> None:
        self.seen: list[str] = []
        self._engine = engine
        event.listen(engine, "before_cursor_execute", self._note)

    def _note(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread().name != "lingo-lookup-recorder":
            self.seen.append(statement)

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._note)


@pytest.fixture
def statements(runtime: Runtime) -> Iterator[Statements]:
    counted = Statements(runtime.engine)
    yield counted
    counted.close()


def claims_in_database(runtime: Runtime) -> int:
    with runtime.engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(request_claims)).scalar_one()
        )


def test_lookups_after_the_first_run_no_statement(
    slack: SlackSender, served: Served, statements: Statements
) -> None:
    assert slack.command("lora").status == 200  # remembers the person's choice and learning
    statements.seen.clear()
    for text in ("quantization", "rlfh", "when the model makes stuff up", "zzqx"):
        assert slack.command(text).status == 200
    assert statements.seen == []
    assert claims_in_database(served.runtime) == 0


def test_a_share_still_claims_in_the_database(slack: SlackSender, served: Served) -> None:
    assert slack.click("share_term", "lora", action_ts="1700000001.000001").status == 200
    assert claims_in_database(served.runtime) == 1


def test_learning_on_is_seen_by_the_next_lookup_at_once(slack: SlackSender, served: Served) -> None:
    engine = served.runtime.engine
    slack.command("lora")  # remembered: not learning
    slack.command("learn on 08:30 Europe/Berlin")
    slack.command("quantization")
    assert [card.term_id for card in store.cards(engine, ASKER)] == ["quantization"]
    slack.command("learn off")
    slack.command("rlhf")
    assert [card.term_id for card in store.cards(engine, ASKER)] == ["quantization"]
