"""Malformed requests over loopback, through the real HTTP front and Bolt pipeline
(issue 12, item 6): 400 or 401, never 200 or 500, no traceback, no counted error."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from bot.ops.metrics import ERRORS
from bot.render.blocks.kit import SHOW_TERM
from tests.conftest import Served
from tests.support.fakeslack import TEAM_ID
from tests.support.slackreq import SlackSender, sign


def errors_counted() -> float:
    return ERRORS._value.get()


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("timestamp", ["abc", "", "1e3", "-5", " 12"])
def test_a_timestamp_that_is_not_a_number_is_refused_with_401(
    served: Served, slack: SlackSender, quiet: pytest.LogCaptureFixture, timestamp: str
) -> None:
    before = errors_counted()
    reply = slack.command("lora", headers={"X-Slack-Request-Timestamp": timestamp})
    assert reply.status == 401
    assert errors_counted() == before
    no_traceback(quiet)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not", "application/json"),
        ("[1,2]", "application/json"),
        ("12", "application/json"),
        ("payload=[1]", "application/x-www-form-urlencoded"),
        ("payload=%7Bnot", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_with_400(
    served: Served,
    slack: SlackSender,
    quiet: pytest.LogCaptureFixture,
    body: str,
    content_type: str,
) -> None:
    before = errors_counted()
    unsigned = slack.post(body, content_type, signature="v0=" + "0" * 64)
    assert unsigned.status == 400, unsigned.text
    signed = slack.post(body, content_type)
    assert signed.status == 400, signed.text
    assert errors_counted() == before
    no_traceback(quiet)


def test_a_body_that_is_not_utf8_is_refused_with_400(
    served: Served, slack: SlackSender, quiet: pytest.LogCaptureFixture
) -> None:
    stamp = int(time.time())
    raw = b"token=x&text=\xff\xfe"
    reply = slack.request(
        "POST",
        "/slack/events",
        raw,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(slack.secret, stamp, raw.decode("latin-1")),
        },
    )
    assert reply.status == 400
    no_traceback(quiet)


def payload_of(kind: str, **fields: object) -> dict[str, object]:
    return {
        "type": kind,
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0ASKER001", "username": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0LINGO001",
        "token": "legacy-verification-token",
        "trigger_id": "1.2.trigger",
        **fields,
    }


@pytest.mark.parametrize(
    "payload",
    [
        payload_of("block_actions", actions=[], response_url="http://127.0.0.1:9/r"),
        payload_of("block_actions", actions=[{"action_id": f"{SHOW_TERM}_0"}]),
        payload_of("block_actions", actions="nope"),
        payload_of("view_submission", view={"id": "V1", "callback_id": "lingo_suggest"}),
        payload_of("view_submission", view={"callback_id": "lingo_suggest", "state": 3}),
        payload_of("message_action", callback_id="explain_jargon", message="text"),
    ],
    ids=[
        "no-actions",
        "action-without-value",
        "actions-not-a-list",
        "view-without-type",
        "view-with-bad-state",
        "shortcut-with-a-string-message",
    ],
)
def test_signed_payloads_of_unexpected_shape_get_an_answer_never_a_500(
    served: Served, slack: SlackSender, quiet: pytest.LogCaptureFixture, payload: dict
) -> None:
    reply = slack.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert reply.status in (200, 400, 404), reply.text
    assert "Traceback" not in reply.text
