"""Learning in the reader's language, through signed requests and the fake Slack: a
Korean-locale person's quiz, verdict, deck, clarity form, App Home and review DM read in
Korean; an English person's stay English. Every expected string comes from the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any

import pytest
import time_machine
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.daily.delivery import SlackDelivery
from bot.glossary.model import Glossary
from bot.learning import store
from bot.learning.reviews import ReviewSender, ReviewSweep
from bot.render.blocks.kit import escape
from bot.render.blocks.learning import CLEAR_NO, DECK_ADD, QUIZ_NEXT, AnswerValue
from bot.render.i18n import day_month, message, short_date
from bot.render.i18n.terms import term_name
from bot.runtime import Runtime
from tests.conftest import Served
from tests.learning.support import answer_buttons, right_and_wrong
from tests.support.blockkit import all_text, buttons, check_message, check_view
from tests.support.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

KOREAN = "U0KOREAN01"
ENGLISH = "U0ENGLISH1"
CHOSE_KOREAN = "U0CHOSEKO1"  # an English Slack locale, `/lingo lang ko`
MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # 07:00 in Berlin, the fake's time zone


@pytest.fixture
def runtime(pinned_runtime: Runtime) -> Runtime:
    return pinned_runtime


@pytest.fixture
def slack(served: Served, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    fake_slack.locales.update({KOREAN: "ko-KR", ENGLISH: "en-US", CHOSE_KOREAN: "en-GB"})
    sender = served.sender()
    yield sender
    sender.close()


def reply(fake: FakeSlack, count: int = 1) -> dict[str, Any]:
    params: dict[str, Any] = fake.wait_for("response_url", count)[count - 1].params
    return params


def asked(question: dict[str, Any], glossary: Glossary) -> tuple[AnswerValue, str]:
    """The question's answer value and the prompt line the reader should see, in Korean."""
    value = AnswerValue.decode(answer_buttons(question["blocks"])[0]["value"])
    term = glossary.terms[value.term_id]
    if value.kind == "which-term":
        return value, message("ko", "quiz.which_term")
    return value, message("ko", "quiz.what_means", name=escape(term_name(term, "ko")))


def test_a_korean_reader_s_quiz_and_verdict_read_in_korean(
    slack: SlackSender, fake_slack: FakeSlack, pinned: Glossary
) -> None:
    question = slack.command("quiz", user=KOREAN).json()
    check_message(question)
    value, prompt = asked(question, pinned)
    assert prompt in all_text(question)
    if value.kind == "which-term":  # the four names are the Korean ones
        labels = [b["text"]["text"] for b in answer_buttons(question["blocks"])]
        assert labels == [term_name(pinned.terms[i], "ko") for i in value.option_ids]

    right, wrong = right_and_wrong(question["blocks"])
    slack.click(right["action_id"], right["value"], user=KOREAN)
    verdict = reply(fake_slack)
    check_message(verdict)
    name = escape(term_name(pinned.terms[value.term_id], "ko"))
    text = all_text(verdict)
    assert message("ko", "quiz.right", name=name) in text
    assert message("ko", "quiz.differs") in text
    assert message("en", "quiz.differs") not in text
    labels = {b["action_id"]: b["text"]["text"] for b in buttons(verdict["blocks"])}
    assert labels == {QUIZ_NEXT: message("ko", "quiz.next"), DECK_ADD: message("ko", "learn.add")}

    slack.click(wrong["action_id"], wrong["value"], user=KOREAN)  # a double click
    assert message("ko", "quiz.repeat") in all_text(reply(fake_slack, 2))


def test_an_english_reader_s_quiz_is_unchanged(
    slack: SlackSender, fake_slack: FakeSlack, pinned: Glossary
) -> None:
    question = slack.command("quiz", user=ENGLISH).json()
    value = AnswerValue.decode(answer_buttons(question["blocks"])[0]["value"])
    term = pinned.terms[value.term_id]
    head = "*Which term is this?*" if value.kind == "which-term" else f"*What does {term.name}"
    assert head in all_text(question)
    right, _ = right_and_wrong(question["blocks"])
    slack.click(right["action_id"], right["value"], user=ENGLISH)
    verdict = reply(fake_slack)
    assert f":white_check_mark: *Right!* It is *{escape(term.name)}*." in all_text(verdict)
    assert "*How the others differ*" in all_text(verdict)


def test_a_korean_reader_s_deck_in_korean(
    slack: SlackSender, served: Served, fake_slack: FakeSlack, pinned: Glossary
) -> None:
    name = term_name(pinned.terms["quantization"], "ko")
    with time_machine.travel(MONDAY, tick=False):
        slack.click(DECK_ADD, "quantization", user=KOREAN)
        assert message("ko", "deck.off", name=name) in all_text(reply(fake_slack))

        on = slack.command("learn on 09:00", user=KOREAN).json()["text"]
        first = f"{short_date('ko', date(2026, 11, 30), year=False)} 09:00"
        assert on == message(
            "ko", "learn.now_on", time="09:00", zone="Europe/Berlin", count=5, first=first
        )
        slack.click(DECK_ADD, "quantization", user=KOREAN)
        added = all_text(reply(fake_slack, 2))
        day = short_date("ko", date(2026, 11, 30), year=False)
        assert message("ko", "deck.added", name=name, day=day, time="09:00") in added
        assert "11월 30일(월)" in day

        off = slack.command("learn off", user=KOREAN).json()["text"]
        assert off == message("ko", "learn.now_off")
        gone = slack.command("forget me", user=KOREAN).json()["text"]
        assert gone.startswith(message("ko", "forget.done", parts="").split(":")[0])
        assert message("ko", "forget.learning_cards_one") in gone
    assert store.cards(served.runtime.engine, KOREAN) == []


def test_a_korean_reader_s_clarity_form_and_thanks_in_korean(
    slack: SlackSender, fake_slack: FakeSlack, pinned: Glossary
) -> None:
    card = slack.command("lora", user=KOREAN).json()
    labels = [b["text"]["text"] for b in buttons(card["blocks"])]
    yes = f"{message('ko', 'clarity.question')} {message('ko', 'clarity.yes')}"
    assert {yes, message("ko", "clarity.no"), message("ko", "learn.quiz_me")} <= set(labels)

    slack.click(CLEAR_NO, "lora", user=KOREAN)
    view = fake_slack.wait_for("views.open")[0].params["view"]
    check_view(view)
    assert view["title"]["text"] == message("ko", "clarity.title")
    assert view["submit"]["text"] == message("ko", "clarity.send")
    assert view["close"]["text"] == message("ko", "clarity.skip")
    [field] = view["blocks"]
    name = term_name(pinned.terms["lora"], "ko")
    assert field["label"]["text"] == message("ko", "clarity.label", name=name)
    assert field["hint"]["text"] == message("ko", "clarity.hint")


def test_a_korean_reader_s_app_home_learning_section(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    slack.home_opened(user=KOREAN)
    view = fake_slack.wait_for("views.publish")[0].params["view"]
    check_view(view)
    text = all_text(view)
    assert message("ko", "home.learning_header") in text
    assert message("ko", "home.learning_off") in text
    assert message("en", "home.learning_header") not in text


def sweep_for(runtime: Runtime, fake: FakeSlack, glossary: Glossary) -> ReviewSweep:
    """The review sweep as the runtime wires it: each DM in the person's language."""
    assert runtime.deps.readers is not None
    delivery = SlackDelivery(
        "xoxb-test", fake.api_url, interval=FixedValueRetryIntervalCalculator(0.01)
    )
    language = partial(runtime.deps.readers.of, runtime.client)
    sender = ReviewSender(runtime.engine, lambda: glossary, delivery, language=language)
    return ReviewSweep(runtime.engine, sender)


def test_review_dms_in_each_person_s_language_with_no_extra_users_info(
    slack: SlackSender, served: Served, fake_slack: FakeSlack, pinned: Glossary
) -> None:
    engine = served.runtime.engine
    slack.command("lang ko", user=CHOSE_KOREAN)
    for user in (KOREAN, ENGLISH, CHOSE_KOREAN):
        slack.command("quantization", user=user)  # answered in their language: locale cached
        store.learn_on(engine, user, at=time(9, 0), timezone="Europe/Berlin", now=MONDAY)
        store.add_card(engine, user, "quantization", "added", now=MONDAY)
    looked_up = len(fake_slack.calls_to("users.info"))
    with time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), tick=False):
        outcomes = sweep_for(served.runtime, fake_slack, pinned).sweep()
    assert sorted(o.status for o in outcomes) == ["sent"] * 3
    assert len(fake_slack.calls_to("users.info")) == looked_up  # the cached locales served
    dms = {c.params["channel"]: c.params for c in fake_slack.calls_to("chat.postMessage")}
    tuesday = date(2026, 12, 1)
    for user, lang in ((KOREAN, "ko"), (CHOSE_KOREAN, "ko"), (ENGLISH, "en")):
        dm = dms["D" + user[1:]]
        check_message(dm)
        text = all_text(dm)
        assert message(lang, "review.header", day=day_month(lang, tuesday)) in text
        assert message(lang, "review.footer") in text
        assert dm["text"] == message(
            lang, "review.fallback", count=message(lang, "review.count_one")
        )
    assert "Your review · Tuesday 1 December" in all_text(dms["D" + ENGLISH[1:]])
