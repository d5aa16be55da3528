"""Learning through signed requests and the fake Slack: quiz, verdicts counted once, the
deck's buttons, "Was this clear?", learn on/off, forget me, and the admins' stats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.learning import store
from bot.render.blocks.learning import (
    CLARITY_FORM,
    CLARITY_TEXT,
    CLEAR_NO,
    DECK_ADD,
    QUIZ_ME,
    QUIZ_NEXT,
    AnswerValue,
)
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.store.tables import clarity_votes, quiz_answers
from tests.conftest import Served
from tests.learning.support import (
    LEARNING_GLOSSARY,
    answer_buttons,
    learning_glossary,
    right_and_wrong,
)
from tests.support.blockkit import all_text, buttons, check_message, check_view
from tests.support.fakeslack import TEAM_ID, FakeSlack
from tests.support.slackreq import SlackSender

ADMIN = "U0ADMIN001"
ASKER = "U0ASKER001"


@pytest.fixture
def slack_env(slack_env: dict[str, str]) -> dict[str, str]:
    return {
        **slack_env,
        "LINGO_GLOSSARY_DIR": str(LEARNING_GLOSSARY),
        "LINGO_ADMIN_USER_IDS": ADMIN,
    }


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = build_runtime(settings, glossary=learning_glossary())
    yield built
    built.engine.dispose()


def answers_of(served: Served, user: str = ASKER) -> int:
    with served.runtime.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(quiz_answers).where(quiz_answers.c.user_id == user)
            ).scalar_one()
        )


def replies(fake: FakeSlack, count: int) -> list[dict[str, Any]]:
    return [call.params for call in fake.wait_for("response_url", count)]


def test_a_quiz_question_has_four_answers_and_only_the_asker_sees_it(slack: SlackSender) -> None:
    reply = slack.command("quiz")
    assert reply.status == 200
    message = reply.json()
    check_message(message)
    assert message["response_type"] == "ephemeral"
    assert len(answer_buttons(message["blocks"])) == 4


def test_a_right_and_a_wrong_answer_and_a_retried_click_counted_once(
    slack: SlackSender, served: Served, fake_slack: FakeSlack
) -> None:
    question = slack.command("quiz").json()
    right, wrong = right_and_wrong(question["blocks"])
    term = learning_glossary().terms[AnswerValue.decode(right["value"]).term_id]

    slack.click(right["action_id"], right["value"])
    verdict = replies(fake_slack, 1)[0]
    check_message(verdict)
    assert verdict["replace_original"] is True  # the verdict takes the question's place
    assert "Right!" in all_text(verdict)
    assert term.name in all_text(verdict)
    assert "How the others differ" in all_text(verdict)
    assert {b["action_id"] for b in buttons(verdict["blocks"])} == {QUIZ_NEXT, DECK_ADD}

    # A double click on another option of the same question: counted once, the first stands.
    slack.click(wrong["action_id"], wrong["value"])
    again = replies(fake_slack, 2)[1]
    assert "Right!" in all_text(again)
    assert "first answer counts" in all_text(again)
    assert answers_of(served) == 1

    second = slack.command("quiz").json()
    _, wrong = right_and_wrong(second["blocks"])
    slack.click(wrong["action_id"], wrong["value"])
    verdict = replies(fake_slack, 3)[2]
    chosen = learning_glossary().terms[
        AnswerValue.decode(wrong["value"]).option_ids[AnswerValue.decode(wrong["value"]).chosen]
    ]
    assert "Not quite" in all_text(verdict)
    assert f"You chose *{chosen.name}*" in all_text(verdict)
    assert answers_of(served) == 2


def test_next_question_replaces_the_verdict(slack: SlackSender, fake_slack: FakeSlack) -> None:
    slack.click(QUIZ_NEXT, "category:training")
    question = replies(fake_slack, 1)[0]
    check_message(question)
    assert question["replace_original"] is True
    value = AnswerValue.decode(answer_buttons(question["blocks"])[0]["value"])
    assert learning_glossary().terms[value.term_id].category == "training"


def test_quiz_me_on_a_daily_post_asks_about_the_day_s_term(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    slack.click(QUIZ_ME, "term:lora", ephemeral=False)
    question = replies(fake_slack, 1)[0]
    assert question["replace_original"] is False  # the post stays
    assert question["response_type"] == "ephemeral"
    assert AnswerValue.decode(answer_buttons(question["blocks"])[0]["value"]).term_id == "lora"


def test_quiz_me_on_the_app_home_asks_in_a_dm(slack: SlackSender, fake_slack: FakeSlack) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": ASKER, "team_id": TEAM_ID},
        "api_app_id": "A0LINGO001",
        "container": {"type": "view", "view_id": "V0HOME"},
        "trigger_id": "77.1.trigger",
        "team": {"id": TEAM_ID},
        "view": {"id": "V0HOME", "type": "home"},
        "actions": [{"action_id": QUIZ_ME, "value": "", "type": "button", "action_ts": "1.5"}],
    }
    slack.interaction(payload)
    posted = fake_slack.wait_for("chat.postMessage")[0].params
    assert fake_slack.calls_to("conversations.open")[0].params["users"] == ASKER
    assert posted["channel"] == "D0ASKER001"
    assert len(answer_buttons(posted["blocks"])) == 4


def test_every_card_has_quiz_me_add_to_deck_and_was_this_clear(slack: SlackSender) -> None:
    card = slack.command("lora").json()
    check_message(card)
    ids = [b["action_id"] for b in buttons(card["blocks"])]
    assert {QUIZ_ME, DECK_ADD, "clarity_yes", CLEAR_NO} <= set(ids)


def test_add_to_my_deck_needs_learning_on(
    slack: SlackSender, served: Served, fake_slack: FakeSlack
) -> None:
    slack.click(DECK_ADD, "lora")
    assert "/lingo learn on" in all_text(replies(fake_slack, 1)[0])
    assert store.cards(served.runtime.engine, ASKER) == []
    slack.command("learn on 08:30 Europe/Berlin")
    slack.click(DECK_ADD, "lora")
    assert "Added *LoRA" in all_text(replies(fake_slack, 2)[1])
    assert [c.term_id for c in store.cards(served.runtime.engine, ASKER)] == ["lora"]


def test_unclear_opens_a_short_form_and_the_comment_is_kept(
    slack: SlackSender, served: Served, fake_slack: FakeSlack
) -> None:
    slack.click(CLEAR_NO, "lora")
    view = fake_slack.wait_for("views.open")[0].params["view"]
    check_view(view)
    assert view["callback_id"] == CLARITY_FORM
    submission = {
        "type": "view_submission",
        "user": {"id": ASKER, "team_id": TEAM_ID},
        "api_app_id": "A0LINGO001",
        "team": {"id": TEAM_ID},
        "trigger_id": "78.1.trigger",
        "view": {
            "id": "V0FORM",
            "type": "modal",
            "callback_id": CLARITY_FORM,
            "private_metadata": "lora",
            "state": {
                "values": {
                    CLARITY_TEXT: {
                        "value": {"type": "plain_text_input", "value": "What is low-rank?"}
                    }
                }
            },
        },
    }
    assert slack.interaction(submission).status == 200
    with served.runtime.engine.connect() as connection:
        row = connection.execute(select(clarity_votes)).one()
    assert (row.term_id, row.clear, row.comment) == ("lora", False, "What is low-rank?")


def test_learn_on_off_and_forget_me_say_what_they_did(slack: SlackSender, served: Served) -> None:
    on = slack.command("learn on 07:15").json()["text"]
    assert "07:15" in on
    assert "Europe/Berlin" in on
    assert slack.command("learn off").json()["text"].startswith("Learning is off")
    slack.command("learn on")
    slack.command("lora")
    slack.command("quiz")
    forgot = slack.command("forget me").json()["text"]
    assert "1 card of your review deck" in forgot
    assert "your review settings" in forgot
    assert all(n == 0 for n in store.rows_of(served.runtime.engine, ASKER).values())
    assert (
        slack.command("forget me").json()["text"]
        == "There was no learning data of yours to delete."
    )


def test_admin_stats_show_the_confused_pairs_never_who(slack: SlackSender, served: Served) -> None:
    engine = served.runtime.engine
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for n, user in enumerate(("U0PERSON01", "U0PERSON02", "U0PERSON03")):
        store.record_answer(
            engine,
            user,
            question_id=f"q{n}",
            term_id="lora",
            chosen_id="peft",
            correct=False,
            kind="which-term",
            review_day=None,
            now=now,
        )
        store.record_answer(
            engine,
            user,
            question_id=f"r{n}",
            term_id="lora",
            chosen_id="lora",
            correct=True,
            kind="which-term",
            review_day=None,
            now=now,
        )
    store.record_answer(
        engine,
        "U0PERSON01",
        question_id="s",
        term_id="rlhf",
        chosen_id="reward-modeling",
        correct=False,
        kind="what-means",
        review_day=None,
        now=now,
    )
    store.comment(engine, "U0PERSON02", "lora", "Rank of what?", now=now)
    reply = slack.command("stats 7d", user=ADMIN).json()
    check_message(reply)
    text = all_text(reply)
    names = {t.id: t.name for t in learning_glossary().terms.values()}
    assert "3 people answered 7 questions, 43% right" in text
    assert f"3  {names['lora']} → {names['peft']}" in text
    assert f"1  {names['rlhf']} → {names['reward-modeling']}" in text
    assert "Rank of what?" in text
    assert "U0PERSON" not in text
    assert "only" in slack.command("stats", user=ASKER).json()["text"].lower()
