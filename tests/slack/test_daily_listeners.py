"""/lingo subscribe, unsubscribe, subscriptions and the related-terms button, end to end.

Signed requests over loopback HTTP through the real Bolt pipeline (tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.daily.delivery import SlackDelivery
from bot.daily.post import DailyPoster, TodaysTerm, todays_term
from bot.daily.subscriptions import get_subscription
from bot.render.blocks.daily import DAILY_RELATED, daily_post_message
from bot.runtime import Runtime
from tests.conftest import Served
from tests.support.blockkit import all_text, buttons, check_message
from tests.support.slackreq import Reply, SlackSender

CHANNEL = "C0GENERAL1"  # where SlackSender.command types by default


def said(reply: Reply, *, to_everyone: bool = False) -> str:
    assert reply.status == 200
    message = reply.json()
    assert message["response_type"] == ("in_channel" if to_everyone else "ephemeral")
    text: str = message["text"]
    return text


def test_subscribe_with_a_time_days_and_zone(slack: SlackSender, served: Served) -> None:
    text = said(
        slack.command("subscribe 09:30 mon,wed,fri europe/berlin", user="U0ALICE01"),
        to_everyone=True,
    )
    assert text.startswith(
        "<@U0ALICE01> subscribed this channel's term of the day: mon,wed,fri at 09:30"
    )
    assert "(Europe/Berlin)" in text
    assert "`/lingo unsubscribe`" in text
    saved = get_subscription(served.runtime.engine, CHANNEL)
    assert saved is not None
    assert (saved.at, saved.days, saved.timezone, saved.active) == (
        time(9, 30),
        "mon,wed,fri",
        "Europe/Berlin",
        True,
    )
    assert saved.created_by == "U0ALICE01"


def test_subscribe_defaults_then_changes_only_what_is_given(
    slack: SlackSender, served: Served
) -> None:
    said(slack.command("subscribe"), to_everyone=True)
    first = get_subscription(served.runtime.engine, CHANNEL)
    assert first is not None
    assert (first.at, first.days, first.timezone) == (time(9, 0), "mon-fri", "UTC")  # the settings
    assert "already gets the term of the day" in said(slack.command("subscribe"))
    text = said(slack.command("subscribe 14:15 weekdays"), to_everyone=True)
    assert "moved this channel's term of the day: mon-fri at 14:15 (UTC)" in text
    moved = get_subscription(served.runtime.engine, CHANNEL)
    assert moved is not None
    assert moved.changed_at is not None
    assert first.changed_at is not None
    assert moved.changed_at > first.changed_at


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("subscribe 25:00", "“25:00” is not a time. Use 24-hour HH:MM"),
        ("subscribe Europe/Berlinn", "Did you mean `Europe/Berlin`?"),
        ("subscribe lunchtime", "“lunchtime” is not a time, days or a time zone I know"),
        ("subscribe mon-fri sat", "Give the days once"),
        ("subscribe 9:00 10:00", "Give one time, not two"),
        ("subscribe UTC Europe/Paris", "a time zone was already given"),
    ],
)
def test_subscribe_explains_what_it_does_not_understand(
    words: str, expected: str, slack: SlackSender, served: Served
) -> None:
    reply = slack.command(words)
    assert expected in all_text(reply.json())
    assert reply.json()["response_type"] == "ephemeral"
    assert get_subscription(served.runtime.engine, CHANNEL) is None


def test_subscriptions_lists_every_channel_and_unsubscribe_stops_one(slack: SlackSender) -> None:
    assert "No channel gets the term of the day yet" in said(slack.command("subscriptions"))
    said(slack.command("subscribe 08:00 daily Asia/Tokyo"), to_everyone=True)
    said(slack.command("subscribe 17:00", channel="C0RANDOM01"), to_everyone=True)
    listing = said(slack.command("subscriptions"))
    assert listing.startswith("*2 channels get the term of the day:*")
    assert "• <#C0GENERAL1> mon-sun at 08:00 (Asia/Tokyo); next:" in listing
    assert "• <#C0RANDOM01> mon-fri at 17:00 (UTC); next:" in listing
    text = said(slack.command("unsubscribe", user="U0BOB0001"), to_everyone=True)
    assert (
        text
        == "<@U0BOB0001> stopped the term of the day in this channel. `/lingo subscribe` starts it again."
    )
    assert "does not get the term of the day" in said(slack.command("unsubscribe"))
    assert "*1 channel gets the term of the day:*" in said(slack.command("subscriptions"))


def test_help_lists_the_subscription_commands(slack: SlackSender) -> None:
    text = all_text(slack.command("help").json())
    assert "/lingo subscribe [HH:MM] [mon-fri] [time zone]" in text
    assert "/lingo subscriptions" in text


def test_the_daily_post_is_a_message_slack_accepts(runtime: Runtime) -> None:
    glossary = runtime.live.current().glossary
    digest = glossary.digests["multi-token-prediction"]
    for term in glossary.terms.values():
        for item in digest.items[:2]:
            message = daily_post_message(term, glossary, item, digest, day=date(2025, 3, 3))
            check_message(message)
    message = daily_post_message(
        glossary.terms["lora"], glossary, digest.items[0], digest, day=date(2025, 3, 3)
    )
    text = all_text(message)
    assert "Term of the day* · Monday 3 March 2025" in text
    assert "LoRA (Low-Rank Adaptation)" in text
    assert "Related: PEFT" in text
    assert "· 1 of 13" in text
    assert "<https://arxiv.org/abs/2404.19737|Gloeckle et al. 2024" in text
    assert [b["action_id"] for b in buttons(message["blocks"])] == ["quiz_me", DAILY_RELATED]


def test_the_related_terms_button_answers_only_the_person_who_clicked(
    slack: SlackSender, served: Served
) -> None:
    reply = slack.click(DAILY_RELATED, "lora", ephemeral=False)
    assert reply.status == 200
    sent = served.fake.wait_for("response_url")[0].params
    assert sent["response_type"] == "ephemeral"
    assert sent["replace_original"] is False  # the daily post stays as it is for everyone
    check_message(sent)
    text = all_text(sent)
    assert "Terms related to LoRA (Low-Rank Adaptation)" in text
    assert "PEFT" in text
    assert all(b["action_id"].startswith("show_term_") for b in buttons(sent["blocks"]))


def test_today_is_the_term_posted_today(runtime: Runtime, fake_slack: object) -> None:
    glossary = runtime.live.current().glossary
    settings = runtime.settings
    now = datetime.now(UTC)
    before = todays_term(runtime.engine, glossary, settings, CHANNEL, now=now)
    delivery = SlackDelivery("xoxb-test", settings.slack_api_url)
    outcome = DailyPoster(runtime.engine, lambda: glossary, delivery).post(CHANNEL, now.date())
    assert outcome.term_id == before.id  # what /lingo today showed is what went out
    assert isinstance(runtime.deps.today, TodaysTerm)
    assert runtime.deps.today(CHANNEL).id == outcome.term_id
    assert runtime.deps.today().daily  # without a channel: the default, any daily term
    # The default changes from day to day and is the same all day long.
    days = {
        todays_term(None, glossary, settings, now=datetime(2025, 3, d, 12, tzinfo=UTC)).id
        for d in range(1, 8)
    }
    assert len(days) == 7
