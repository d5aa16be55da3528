"""Which term and digest item each channel gets: every term once before any repeats."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.daily.delivery import SlackDelivery
from bot.daily.post import DailyPoster
from bot.daily.rotation import (
    RotationState,
    advance,
    daily_term_ids,
    file_order,
    peek_content,
    term_order,
)
from bot.glossary import Glossary, Term, load_glossary
from bot.store.engine import make_engine, upgrade_schema
from tests.conftest import HistorySlack
from tests.support.clock import QUICK

START = date(2025, 3, 3)


def term(term_id: str, *, daily: bool = True) -> Term:
    return Term(
        term_id, term_id.title(), "basics", f"What {term_id} means, in a sentence.", daily=daily
    )


def rotate(ids: list[str], days: int, channel: str = "C0ONE", state: RotationState | None = None):
    state = state or RotationState()
    picks = []
    for _ in range(days):
        pick, state = advance(state, ids, term_order(channel))
        picks.append(pick)
    return picks, state


def test_every_term_appears_once_before_any_repeats() -> None:
    ids = [f"term-{n}" for n in range(12)]
    picks, state = rotate(ids, 36)
    for cycle in range(3):
        assert sorted(picks[cycle * 12 : cycle * 12 + 12]) == sorted(ids)
    assert state.cycle == 2


def test_no_term_twice_in_a_row_across_cycles() -> None:
    for channel in ("C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"):
        picks, _ = rotate(["a", "b", "c"], 60, channel)
        assert all(x != y for x, y in itertools.pairwise(picks)), channel


def test_two_channels_follow_different_orders_and_cycles_reshuffle() -> None:
    ids = [f"term-{n}" for n in range(10)]
    first, _ = rotate(ids, 20, "C0FIRST")
    second, _ = rotate(ids, 20, "C0SECOND")
    assert first[:10] != second[:10]
    assert first[:10] != first[10:]


def test_terms_added_midway_join_the_cycle_and_removed_terms_are_skipped() -> None:
    ids = ["a", "b", "c", "d", "e"]
    picks, state = rotate(ids, 2)
    removed = next(i for i in ids if i not in picks)
    current = [i for i in ids if i != removed] + ["f", "g"]
    more, state = rotate(current, 4, state=state)
    assert removed not in more
    assert sorted(picks + more) == sorted(current)  # the cycle: each once, new ones included
    assert state.cycle == 0
    after, _ = rotate(current, 1, state=state)
    assert after[0] in current  # and then a new cycle starts


def test_adding_a_term_does_not_reorder_the_others() -> None:
    order = term_order("C0ONE")
    before = sorted(["a", "b", "c", "d"], key=lambda i: order(0, i))
    after = sorted(["a", "b", "c", "d", "new"], key=lambda i: order(0, i))
    assert [i for i in after if i != "new"] == before


def test_digest_items_follow_the_file_and_start_over() -> None:
    items = ["one", "two", "three"]
    state = RotationState()
    picks = []
    for _ in range(7):
        pick, state = advance(state, items, file_order(items))
        picks.append(pick)
    assert picks == ["one", "two", "three", "one", "two", "three", "one"]


def test_terms_marked_daily_false_stay_out() -> None:
    glossary = Glossary(terms={"a": term("a"), "b": term("b", daily=False)})
    assert daily_term_ids(glossary) == ["a"]
    assert advance(RotationState(), [], term_order("C"))[0] is None


def test_posting_day_after_day_rotates_terms_and_digest_independently(
    daily_db_url: str, daily_slack: HistorySlack, daily_glossary_dir: Path
) -> None:
    """Through the real path (ledger, rotation tables, fake Slack), with the glossary changing."""
    glossary = load_glossary(daily_glossary_dir)
    current = {"glossary": glossary}
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    poster = DailyPoster(
        engine,
        lambda: current["glossary"],
        SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK),
        clock=lambda: now,
    )
    daily_ids = daily_term_ids(glossary)
    assert len(daily_ids) == 5
    assert "secret-sauce" not in daily_ids

    def post_days(first: int, count: int) -> list[str]:
        found = []
        for offset in range(first, first + count):
            outcome = poster.post("C0ROTATE1", START + timedelta(days=offset))
            assert outcome.status == "posted", outcome.message
            assert outcome.term_id is not None
            found.append(outcome.term_id)
        return found

    first = post_days(0, 2)
    # Midway: one term not yet shown is removed, a new one is added.
    removed = next(i for i in daily_ids if i not in first)
    terms = {k: v for k, v in glossary.terms.items() if k != removed}
    terms["perplexity"] = term("perplexity")
    current["glossary"] = replace(glossary, terms=terms)
    rest = post_days(2, 3)
    cycle = first + rest
    assert removed not in cycle
    assert sorted(cycle) == sorted([*(i for i in daily_ids if i != removed), "perplexity"])
    again = post_days(5, 5)
    assert sorted(again) == sorted(cycle)  # the next cycle: each once again
    assert again[0] != cycle[-1]

    # The digest went on in file order, one item a day, regardless of the terms.
    positions = []
    for message in daily_slack.posted("C0ROTATE1"):
        text = " ".join(b.get("text", {}).get("text", "") for b in message["blocks"])
        found = re.search(r"· (\d) of 3", text)
        assert found is not None
        positions.append(int(found[1]))
    assert positions == [1, 2, 3, 1, 2, 3, 1, 2, 3, 1]
    assert len(daily_slack.posted()) == 10
    engine.dispose()


def test_preview_peeks_without_moving_the_rotation(
    tmp_path: Path, daily_glossary_dir: Path
) -> None:
    glossary = load_glossary(daily_glossary_dir)
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    before = peek_content(engine, "C0PEEK", glossary)  # no tables yet: a fresh clone
    assert before.term_id in daily_term_ids(glossary)
    assert before.digest_item_id == "first-idea"
    assert peek_content(engine, "C0PEEK", glossary) == before


@pytest.mark.parametrize("channel", ["C0AAA", "C0BBB"])
def test_peek_matches_what_is_then_posted(
    channel: str, tmp_path: Path, daily_slack: HistorySlack, daily_glossary_dir: Path
) -> None:
    glossary = load_glossary(daily_glossary_dir)
    engine = make_engine(f"sqlite:///{tmp_path / 'daily.db'}")
    upgrade_schema(engine)
    poster = DailyPoster(
        engine, lambda: glossary, SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    )
    for offset in range(3):
        expected = peek_content(engine, channel, glossary)
        outcome = poster.post(channel, START + timedelta(days=offset))
        assert outcome.term_id == expected.term_id
