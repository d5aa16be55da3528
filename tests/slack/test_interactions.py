"""Buttons, the message shortcut, the App Home, retries and request signatures, end to end.

What the bot sends back is read from the fake Slack Web API: posts to the interaction's
response_url, and Web API calls such as views.publish.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine

from bot.glossary.model import Glossary
from bot.runtime import Runtime
from tests.conftest import SIGNING_SECRET, Served, with_deps
from tests.support.blockkit import all_text, buttons, check_message, check_view
from tests.support.fakeslack import Call, FakeSlack
from tests.support.slackreq import SlackSender, sign


def replies(fake: FakeSlack, count: int = 1) -> list[Call]:
    """The response_url posts, once ``count`` of them arrived."""
    return fake.wait_for("response_url", count)


def test_a_related_term_button_replaces_the_card_in_place(slack: SlackSender, served: Served):
    card = slack.command("quantization").json()
    lora = next(b for b in buttons(card["blocks"]) if b["value"] == "lora")
    reply = slack.click(lora["action_id"], lora["value"])
    assert reply.status == 200
    [sent] = replies(served.fake)
    assert sent.params["replace_original"] is True
    assert sent.params["response_type"] == "ephemeral"
    assert sent.params["blocks"][0]["text"]["text"] == "LoRA (Low-Rank Adaptation)"
    check_message(sent.params)


def test_did_you_mean_shows_the_chosen_term(slack: SlackSender, served: Served):
    choices = buttons(slack.command("tuning").json()["blocks"])
    slack.click(choices[1]["action_id"], choices[1]["value"])
    [sent] = replies(served.fake)
    assert sent.params["blocks"][0]["text"]["text"] == choices[1]["text"]["text"]
    assert sent.params["replace_original"] is True


def test_a_button_under_a_public_message_answers_privately_and_leaves_it(
    slack: SlackSender, served: Served
):
    slack.click("show_term_0", "lora", ephemeral=False)
    [sent] = replies(served.fake)
    assert sent.params["replace_original"] is False, "a message everyone sees stays as it is"
    assert sent.params["response_type"] == "ephemeral"


def test_share_posts_the_card_for_everyone_with_who_shared_it(slack: SlackSender, served: Served):
    reply = slack.click("share_term", "kv-cache", user="U0SHARER01")
    assert reply.status == 200
    shared, deleted = replies(served.fake, 2)
    assert shared.params["response_type"] == "in_channel"
    assert shared.params["replace_original"] is False
    assert "Shared by <@U0SHARER01>" in all_text(shared.params)
    assert shared.params["blocks"][1]["text"]["text"] == "KV Cache"
    assert not buttons(shared.params["blocks"]), "no buttons that would change it for everyone"
    check_message(shared.params, allow_mentions=("@U0SHARER01",))
    assert deleted.params == {"delete_original": True}, "the private card goes away"


def test_a_retried_share_is_posted_once(slack: SlackSender, served: Served):
    first = slack.click("share_term", "lora", action_ts="1700000001.000001")
    retry = slack.click(
        "share_term",
        "lora",
        action_ts="1700000001.000001",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    # Listeners run before the response (process_before_response): all work is done by now.
    posts = [c for c in served.fake.calls_to("response_url") if "blocks" in c.params]
    assert len(posts) == 1


def test_a_share_that_slack_refuses_gets_an_apology(slack: SlackSender, served: Served):
    served.fake.fail_next("response_url", status=404)
    slack.click("share_term", "lora")
    refused, apology = replies(served.fake, 2)
    assert refused.params["response_type"] == "in_channel"
    assert "error id" in apology.params["text"]
    assert apology.params["response_type"] == "ephemeral"


def test_a_term_removed_since_the_card_was_shown_is_explained(slack: SlackSender, served: Served):
    slack.click("show_term_0", "no-such-term")
    [sent] = replies(served.fake)
    assert "no longer in the glossary" in sent.params["text"]
    assert sent.params["replace_original"] is False, "the card stays"


def test_the_shortcut_lists_the_jargon_of_a_message(slack: SlackSender, served: Served):
    text = "After fine-tuning with LoRA we used quantisation &amp; a bigger KV cache."
    assert slack.shortcut(text).status == 200
    [sent] = replies(served.fake)
    assert sent.params["response_type"] == "ephemeral"
    shown = all_text(sent.params)
    for name in ("LoRA (Low-Rank Adaptation)", "Quantization", "KV Cache", "Fine-Tuning"):
        assert name in shown
    assert "A memory buffer" in shown, "each with its short definition"
    check_message(sent.params)


def test_the_shortcut_on_a_message_without_jargon_says_so(slack: SlackSender, served: Served):
    slack.shortcut("Lunch at noon? <@U0FRIEND01> <!here>")
    [sent] = replies(served.fake)
    assert "I found no glossary terms in that message." in sent.params["text"]


def test_the_shortcut_handles_a_huge_message(slack: SlackSender, served: Served):
    slack.shortcut("tokens and embeddings " * 2_000)
    [sent] = replies(served.fake)
    check_message(sent.params)
    assert "Token" in all_text(sent.params)


def test_opening_the_app_home_publishes_it(slack: SlackSender, served: Served, glossary):
    assert slack.home_opened(user="U0VISITOR1").status == 200
    [call] = served.fake.wait_for("views.publish")
    assert call.params["user_id"] == "U0VISITOR1"
    view = (
        json.loads(call.params["view"])
        if isinstance(call.params["view"], str)
        else call.params["view"]
    )
    check_view(view)
    text = "\n".join(b["text"]["text"] for b in view["blocks"] if isinstance(b.get("text"), dict))
    assert "How to use me" in text
    assert "Term of the day" in all_text(view)
    for category in glossary.categories:
        if glossary.in_category(category.id):
            assert category.name in text


def test_a_retried_home_event_publishes_once(slack: SlackSender, served: Served):
    slack.home_opened(event_id="Ev0RETRIED1")
    slack.home_opened(event_id="Ev0RETRIED1", headers={"X-Slack-Retry-Num": "1"})
    # Listeners run before the response (process_before_response): all work is done by now.
    assert len(served.fake.calls_to("views.publish")) == 1


def test_a_failed_home_publish_is_logged_and_a_retry_tries_again(
    slack: SlackSender, served: Served, caplog: pytest.LogCaptureFixture
):
    served.fake.fail_next("views.publish", error="invalid_blocks")
    assert slack.home_opened(event_id="Ev0FAILING1").status == 200
    assert "publishing the App Home" in caplog.text
    slack.home_opened(event_id="Ev0FAILING1", headers={"X-Slack-Retry-Num": "1"})
    assert len(served.fake.wait_for("views.publish", 2)) == 2


def test_the_home_tab_shows_the_daily_choice(runtime: Runtime, serve_app, glossary):
    served = serve_app(with_deps(runtime, today=lambda channel: glossary.terms["attention"]))
    slack = served.sender()
    slack.home_opened()
    [call] = served.fake.wait_for("views.publish")
    assert "Attention" in [
        b["text"]["text"] for b in call.params["view"]["blocks"] if b["type"] == "header"
    ]
    slack.close()


def test_a_forged_signature_is_refused(slack: SlackSender, served: Served):
    body = "command=%2Flingo&text=lora&user_id=U0ASKER001"
    now = int(time.time())
    forged = slack.post(
        body, "application/x-www-form-urlencoded", signature=sign("0" * 32, now, body)
    )
    assert forged.status == 401
    tampered = slack.post(
        body + "x",
        "application/x-www-form-urlencoded",
        timestamp=now,
        signature=sign(SIGNING_SECRET, now, body),
    )
    assert tampered.status == 401
    assert slack.post(body, "application/x-www-form-urlencoded", signature="v0=").status == 401
    assert "LoRA" not in forged.text + tampered.text


def test_a_stale_request_is_refused_even_when_correctly_signed(slack: SlackSender):
    six_minutes_ago = int(time.time()) - 6 * 60
    assert slack.command("lora", timestamp=six_minutes_ago).status == 401
    four_minutes_ago = int(time.time()) - 4 * 60
    assert slack.command("lora", timestamp=four_minutes_ago).status == 200


def test_a_forged_click_does_nothing(slack: SlackSender, served: Served):
    assert slack.click("share_term", "lora", signature="v0=" + "0" * 64).status == 401
    # Refused before any listener runs: nothing can arrive after the 401.
    assert served.fake.calls_to("response_url") == []


def test_operations_endpoints(slack: SlackSender):
    assert slack.get("/healthz").status == 200
    ready = slack.get("/readyz")
    assert ready.status == 200
    assert "46 terms" in ready.text or "terms" in ready.text
    slack.command("lora")
    metrics = slack.get("/metrics")
    assert metrics.status == 200
    assert 'lingo_lookups_total{outcome="exact"}' in metrics.text
    assert "lingo_answer_seconds_bucket" in metrics.text
    assert slack.get("/nowhere").status == 404
    assert slack.get("/slack/events").status == 405


def test_readiness_fails_when_the_database_is_gone(
    runtime: Runtime, serve_app: Callable[[Runtime], Served], tmp_path
):
    runtime.engine.dispose()
    gone = create_engine(f"sqlite:///{tmp_path}/no/such/folder/lingo.db")
    slack = serve_app(dataclasses.replace(runtime, engine=gone)).sender()
    not_ready = slack.get("/readyz")
    assert not_ready.status == 503
    assert "database" in not_ready.text
    slack.close()


def test_an_oversized_body_is_refused_unread(slack: SlackSender):
    claimed = {"Content-Length": str(2 << 20)}
    reply = slack.post("text=a", "application/x-www-form-urlencoded", headers=claimed)
    assert reply.status == 413


def test_the_glossary_is_what_the_served_app_answers_from(served: Served, glossary: Glossary):
    assert served.runtime.live.current().glossary is glossary


def test_slack_can_verify_the_request_url(slack: SlackSender):
    challenge = slack.post(
        json.dumps({"type": "url_verification", "token": "t", "challenge": "c0ffee"}),
        "application/json",
    )
    assert challenge.status == 200
    assert "c0ffee" in challenge.text
    assert slack.post("ssl_check=1&token=t", "application/x-www-form-urlencoded").status == 200
