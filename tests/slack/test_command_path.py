"""/lingo through Bolt's own command listener: escapes decoded once, ids validated by shape,
one retry guard (issues 8 and 12, item 8). Signed requests over loopback."""

from __future__ import annotations

from typing import Any

from bot.render.blocks.kit import is_channel_id, is_user_id
from tests.conftest import Served
from tests.support.blockkit import all_text
from tests.support.slackreq import SlackSender


def answer_of(reply: Any) -> dict[str, Any]:
    assert reply.status == 200, reply.text
    return reply.json()


def test_a_typed_entity_is_echoed_as_typed_not_decoded_twice(slack: SlackSender) -> None:
    # Slack sends "&lt;" typed by a person as "&amp;lt;". Decoded once it is "&lt;" again;
    # decoded twice (the old bug) it became "<". Echoed escaped, "&lt;" reads "&amp;lt;".
    text = all_text(answer_of(slack.command("zzqx &lt;tag&gt;")))
    assert "&amp;lt;tag&amp;gt;" in text, text
    assert "&lt;tag&gt;" not in text.replace("&amp;lt;tag&amp;gt;", "")


def test_a_typed_angle_bracket_stays_one_character(slack: SlackSender) -> None:
    text = all_text(answer_of(slack.command("zzqx <tag>")))
    assert "&lt;tag&gt;" in text
    assert "&amp;lt;" not in text


def test_slack_escapes_are_decoded_at_the_edge(slack: SlackSender) -> None:
    # Typed "<RAG>" arrives as "&lt;RAG&gt;" and finds the term.
    assert answer_of(slack.command("<RAG>"))["blocks"][0]["text"]["text"].startswith("RAG")


def test_a_repeated_command_answers_again(slack: SlackSender) -> None:
    first = answer_of(slack.command("lora", trigger_id="7.7.trigger"))
    again = answer_of(
        slack.command("lora", trigger_id="7.7.trigger", headers={"X-Slack-Retry-Num": "1"})
    )
    assert first["blocks"] == again["blocks"]


def test_ids_have_their_shapes() -> None:
    assert is_user_id("U0ASKER001")
    assert is_user_id("W0ENTERPRISE")
    assert not is_user_id("U1> <!channel")
    assert not is_user_id("C0GENERAL1")
    assert is_channel_id("C0GENERAL1")
    assert is_channel_id("G0PRIVATE1")
    assert is_channel_id("D0DM00001")
    assert not is_channel_id("C1> <!here>")
    assert not is_channel_id("U0ASKER001")


def test_subscribe_with_a_crafted_user_id_mentions_nobody(
    served: Served, slack: SlackSender
) -> None:
    text = answer_of(slack.command("subscribe 09:00", user="U1> <!channel"))["text"]
    assert "<!channel" not in text
    assert "<@U1" not in text
    assert text.startswith("Someone subscribed this channel")
    listed = answer_of(slack.command("subscriptions"))["text"]
    assert "<#C0GENERAL1>" in listed


def test_subscribe_with_a_crafted_channel_id_stores_nothing(
    served: Served, slack: SlackSender
) -> None:
    text = answer_of(slack.command("subscribe 09:00", channel="C1> <!here>"))["text"]
    assert "<!here" not in text
    assert "Use this command in the channel" in text
    listed = answer_of(slack.command("subscriptions"))["text"]
    assert "No channel gets the term of the day yet" in listed
    stopped = answer_of(slack.command("unsubscribe", user="U1> <!channel"))["text"]
    assert "<!channel" not in stopped
