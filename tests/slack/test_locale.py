"""Answers in the reader's language: the Slack locale (users.info, cached), `/lingo lang`,
and the channel's language for the daily post. Real Bolt pipeline, fake Slack on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.daily.post import channel_language
from bot.daily.subscriptions import get_subscription
from bot.render.i18n import message as catalogue
from bot.runtime import Runtime
from bot.slack.locale import ReaderLanguages
from bot.store.engine import make_engine, upgrade_schema
from bot.store.remembered import SHARED_SECONDS
from tests.conftest import Served
from tests.support.blockkit import all_text, check_message
from tests.support.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

KOREAN_USER = "U0KOREAN01"
ENGLISH_USER = "U0ENGLISH1"


@pytest.fixture
def ask(
    pinned_runtime: Runtime, serve_app: Callable[[Runtime], Served], fake_slack: FakeSlack
) -> Iterator[Callable[..., dict]]:
    fake_slack.locales.update({KOREAN_USER: "ko-KR", ENGLISH_USER: "en-GB"})
    served = serve_app(pinned_runtime)
    sender: SlackSender = served.sender()

    def send(text: str, user: str) -> dict:
        reply = sender.command(text, user=user)
        assert reply.status == 200
        message = reply.json()
        if message.get("blocks"):
            check_message(message)
        return message

    yield send
    sender.close()


def header(message: dict) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b["type"] == "header")


def test_a_korean_locale_gets_the_korean_card_with_the_english_name(ask) -> None:
    message = ask("양자화", KOREAN_USER)
    assert header(message) == "양자화(퀀타이제이션)"
    text = all_text(message)
    assert "영어: Quantization" in text
    assert "학습된 모델의 가중치" in text
    assert "채널에 공유" in text
    assert message["response_type"] == "ephemeral"


def test_an_english_locale_gets_the_english_card_with_the_korean_name(ask) -> None:
    message = ask("양자화", ENGLISH_USER)
    assert header(message) == "Quantization"
    assert "Korean: 양자화(퀀타이제이션)" in all_text(message)


def test_a_field_without_a_translation_falls_back_to_english_with_a_note(ask, pinned) -> None:
    term = next(t for t in pinned.terms.values() if t.details and not t.translations["ko"].details)
    text = all_text(ask(term.id.replace("-", " "), KOREAN_USER))
    assert " ".join(term.details.split())[:40] in " ".join(text.split())
    assert "아직 번역이 없어 영어로 보여 드립니다: 자세한 설명" in text


def test_the_locale_is_asked_once_and_cached(ask, fake_slack: FakeSlack) -> None:
    ask("양자화", KOREAN_USER)
    ask("환각", KOREAN_USER)
    ask("help", KOREAN_USER)
    calls = [c for c in fake_slack.calls_to("users.info") if c.params.get("user") == KOREAN_USER]
    assert len(calls) == 1
    assert calls[0].params.get("include_locale") in ("true", "1", True)


def test_lang_overrides_the_locale_and_auto_returns_to_it(ask) -> None:
    assert "From now on I answer you in English" in all_text(ask("lang en", KOREAN_USER))
    assert header(ask("양자화", KOREAN_USER)) == "Quantization"
    assert "I answer you in English (your choice)" in all_text(ask("lang", KOREAN_USER))
    auto = catalogue("ko", "lang.auto", language=catalogue("ko", "language.name"))
    assert auto in all_text(ask("lang auto", KOREAN_USER))
    assert header(ask("양자화", KOREAN_USER)) == "양자화(퀀타이제이션)"
    assert "이제부터 한국어로 답합니다" in all_text(ask("lang ko", ENGLISH_USER))
    assert header(ask("quantization", ENGLISH_USER)) == "양자화(퀀타이제이션)"


def test_an_unknown_language_is_explained(ask) -> None:
    assert "`en`" in all_text(ask("lang fr", ENGLISH_USER))


def test_help_and_misses_are_in_the_readers_language(ask) -> None:
    assert "명령어" in all_text(ask("help", KOREAN_USER))
    miss = catalogue("ko", "miss.head", query="블록체인 합의 알고리즘", cut="")
    assert miss in all_text(ask("블록체인 합의 알고리즘", KOREAN_USER))
    assert "I don't know" in all_text(ask("blockchain consensus", ENGLISH_USER))


def test_initial_consonants_are_offered_in_korean(ask) -> None:
    message = ask("ㅇㅈㅎ", KOREAN_USER)
    text = all_text(message)
    assert catalogue("ko", "choices.head", query="ㅇㅈㅎ", cut="") in text
    assert "양자화(퀀타이제이션)" in text


def test_a_subscription_remembers_its_language(ask, pinned_runtime: Runtime) -> None:
    reply = ask("subscribe 09:00 mon-fri Asia/Seoul lang=ko", KOREAN_USER)
    assert "in 한국어" in reply["text"]
    saved = get_subscription(pinned_runtime.engine, "C0GENERAL1")
    assert saved is not None
    assert saved.lang == "ko"
    assert channel_language(pinned_runtime.engine, "C0GENERAL1") == "ko"
    assert "`lang=ko`" in ask("subscribe lang=fr", KOREAN_USER)["text"]


def test_the_locale_cache_is_bounded_and_expires(fake_slack: FakeSlack, settings) -> None:
    from bot.slack.client import make_web_client

    client = make_web_client(settings)
    now = [0.0]
    readers = ReaderLanguages(None, max_people=2, max_age=60, clock=lambda: now[0])
    fake_slack.locales.update({"U0A0000001": "ko-KR", "U0B0000001": "en-US"})
    assert readers.of(client, "U0A0000001") == "ko"
    assert readers.of(client, "U0B0000001") == "en"
    assert readers.of(client, "U0C0000001") == "en"  # pushes out the oldest (U0A...)
    readers.of(client, "U0A0000001")
    assert len(fake_slack.calls_to("users.info")) == 4
    now[0] = 61.0
    readers.of(client, "U0C0000001")
    assert len(fake_slack.calls_to("users.info")) == 5


def test_slack_failing_means_english_and_nothing_cached(fake_slack: FakeSlack, settings) -> None:
    from bot.slack.client import make_web_client

    client = make_web_client(settings)
    readers = ReaderLanguages(None)
    fake_slack.locales["U0A0000001"] = "ko-KR"
    fake_slack.fail_next("users.info", error="user_not_found")
    assert readers.of(client, "U0A0000001") == "en"
    assert readers.of(client, "U0A0000001") == "ko"


def test_the_daily_post_date_is_written_the_korean_way() -> None:
    from bot.render.i18n import long_date

    assert long_date("ko", date(2026, 12, 1)) == "2026년 12월 1일 화요일"


def test_a_korean_search_shows_why_each_term_matched_in_korean(ask) -> None:
    text = all_text(ask("search 양자화", KOREAN_USER))
    assert catalogue("ko", "search.head", words="양자화") in text
    assert f"_{catalogue('ko', 'match.name')}:_" in text
    assert "*양자화*" in text


def test_the_jargon_shortcut_finds_korean_names_with_particles(
    pinned_runtime: Runtime, serve_app: Callable[[Runtime], Served], fake_slack: FakeSlack
) -> None:
    fake_slack.locales.update({KOREAN_USER: "ko-KR"})
    sender = serve_app(pinned_runtime).sender()
    assert (
        sender.shortcut("양자화를 쓰면 되고 LoRA로 튜닝하면 돼요", user=KOREAN_USER).status == 200
    )
    reply = fake_slack.wait_for("response_url")[0].params
    check_message(reply)
    text = all_text(reply)
    assert "양자화(퀀타이제이션)" in text
    assert "LoRA" in text
    sender.close()


def test_a_choice_made_on_another_replica_is_seen_within_a_minute(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lingo.db'}")
    upgrade_schema(engine)
    now = [0.0]
    here = ReaderLanguages(engine, clock=lambda: now[0])
    there = ReaderLanguages(engine, clock=lambda: now[0])
    assert here.chosen("U0A0000001") is None  # remembered
    there.choose(engine, "U0A0000001", "ko", datetime.now(UTC))
    assert there.chosen("U0A0000001") == "ko"  # at once where it was made
    assert here.chosen("U0A0000001") is None
    now[0] = SHARED_SECONDS
    assert here.chosen("U0A0000001") == "ko"
    engine.dispose()
