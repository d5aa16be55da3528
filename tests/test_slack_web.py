"""The HTTP adapter hands Bolt exactly the request Bolt would have built from the raw body."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode

import pytest
from slack_bolt import BoltRequest

from bot.slack.web import bolt_request, parse_form

FORM = "application/x-www-form-urlencoded"
COMMAND = urlencode(
    {
        "token": "x",
        "team_id": "T0FAKE0001",
        "enterprise_id": "",
        "channel_id": "C0FAKE0001",
        "user_id": "U0FAKE0001",
        "command": "/lingo",
        "text": "what is a mixture-of-experts? 50% & more <!channel> + é",
        "response_url": "https://hooks.slack.test/commands/T0/1/abc?x=1&y=2",
        "trigger_id": "1.2.abc",
        "is_enterprise_install": "false",
    }
)
BODIES = [
    (COMMAND, FORM),
    (COMMAND, FORM + "; charset=utf-8"),
    ("ssl_check=1&token=x", FORM),
    (
        "payload="
        + urlencode({"p": json.dumps({"type": "block_actions", "team": {"id": "T1"}})})[2:],
        FORM,
    ),
    (json.dumps({"type": "url_verification", "challenge": "abc"}), "application/json"),
    (
        json.dumps(
            {"type": "event_callback", "team_id": "T1", "event": {"type": "app_home_opened"}}
        ),
        FORM,
    ),
    ("", FORM),
    ("a&&b=%zz&c=%e9&d=%C3%A9+x&e==&f=%2B+%26&a=again&+%20=1", FORM),
]


@pytest.mark.parametrize(("body", "content_type"), BODIES)
def test_the_request_is_the_one_bolt_builds(body: str, content_type: str) -> None:
    headers: dict[str, str | Sequence[str]] = {
        "content-type": [content_type],
        "x-slack-signature": ["v0=abc"],
        "x-slack-request-timestamp": ["1700000000"],
    }
    ours = bolt_request(body, None, headers)
    bolts = BoltRequest(body=body, query=None, headers=headers)
    assert type(ours) is BoltRequest
    assert vars(ours) == vars(bolts)
    assert ours.raw_body == body, "the signature is checked against the body as sent"
    assert ours.mode == "http"


@pytest.mark.parametrize("body", [COMMAND, "", "a", "a=", "=b", "&&", "a=1&a=2", "%41%2=+&x=%"])
def test_a_form_is_parsed_as_urllib_parses_it(body: str) -> None:
    assert parse_form(body) == dict(parse_qsl(body, keep_blank_values=True))
