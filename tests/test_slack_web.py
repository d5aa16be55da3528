"""The HTTP adapter: /lingo goes straight to its command, which checks Slack's signature."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from bot.slack.web import parse_form
from tests.support.slackreq import SlackSender

FORM = "application/x-www-form-urlencoded"


def test_a_word_bolts_form_parser_mistakes_for_a_payload_is_looked_up(slack: SlackSender):
    """Bolt reads any form body containing "payload" as an interactivity payload."""
    answer = slack.command("payload").json()
    assert answer["response_type"] == "ephemeral"
    assert "payload" in answer["text"]


def test_a_command_without_slacks_headers_is_refused(slack: SlackSender):
    body = urlencode({"command": "/lingo", "text": "lora", "user_id": "U0ASKER001"})
    reply = slack.request("POST", "/slack/events", body.encode(), {"Content-Type": FORM})
    assert reply.status == 401
    assert "LoRA" not in reply.text


def test_other_forms_still_go_through_bolt(slack: SlackSender):
    assert slack.post("ssl_check=1&token=x", FORM).status == 200
    assert slack.post(urlencode({"command": "/other", "text": "lora"}), FORM).status == 404


@pytest.mark.parametrize(
    "body",
    [
        urlencode({"command": "/lingo", "text": "50% & <more> + é", "response_url": "a?x=1&y=2"}),
        "",
        "a",
        "a=",
        "=b",
        "&&",
        "a=1&a=2",
        "%41%2=+&x=%&%zz=%e9",
    ],
)
def test_a_form_is_parsed_as_urllib_parses_it(body: str) -> None:
    assert parse_form(body) == dict(parse_qsl(body, keep_blank_values=True))
