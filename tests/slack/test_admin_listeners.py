"""The admin loop through the real Bolt pipeline: /lingo reload, stats and suggest.

Signed requests go over loopback HTTP to the served app; tests/support/fakeslack.py records what
the bot sends to Slack (views.open, chat.postMessage).
"""

from __future__ import annotations

import html
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.glossary import load_glossary, validate_glossary
from bot.lookup.commands import Command
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.listeners import admin
from bot.slack.listeners.admin import SUGGEST_CALLBACK
from bot.slack.router import CommandRequest
from tests.conftest import PINNED_GLOSSARY, Served
from tests.support.blockkit import check_message
from tests.support.fakeslack import TEAM_ID, FakeSlack
from tests.support.slackreq import SlackSender

ADMIN = "U0ADMIN001"
ADMIN_CHANNEL = "C0ADMINS01"
ASKER = "U0ASKER001"


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    root = tmp_path / "glossary"
    shutil.copytree(PINNED_GLOSSARY, root)
    return root


@pytest.fixture
def slack_env(slack_env: dict[str, str], glossary_dir: Path) -> dict[str, str]:
    return {
        **slack_env,
        "LINGO_GLOSSARY_DIR": str(glossary_dir),
        "LINGO_ADMIN_USER_IDS": ADMIN,
        "LINGO_ADMIN_CHANNEL": ADMIN_CHANNEL,
    }


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = build_runtime(settings)  # the glossary copy that the tests change
    yield built
    built.engine.dispose()


def answer_text(reply: Any) -> str:
    body = reply.json()
    return body["text"] + "\n" + str(body.get("blocks"))


def submit_suggestion(slack: SlackSender, user: str = ASKER, **fields: str | None) -> Any:
    values = {
        "name": {"value": {"type": "plain_text_input", "value": fields.get("name")}},
        "definition": {"value": {"type": "plain_text_input", "value": fields.get("definition")}},
        "aliases": {"value": {"type": "plain_text_input", "value": fields.get("aliases")}},
        "category": {
            "value": {
                "type": "static_select",
                "selected_option": {
                    "value": fields.get("category", "training"),
                    "text": {"type": "plain_text", "text": "Training"},
                },
            }
        },
        "link": {"value": {"type": "url_text_input", "value": fields.get("link")}},
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0LINGO001",
        "token": "legacy-verification-token",
        "trigger_id": "9.9.trigger",
        "view": {
            "id": "V0SUGGEST1",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": SUGGEST_CALLBACK,
            "private_metadata": "",
            "hash": "1700000000.abc",
            "state": {"values": values},
        },
    }
    return slack.interaction(payload)


MOE = {
    "name": "Mixture of Experts",
    "definition": "A model whose layers hold many expert sub-networks & a router that picks a "
    "few of them for each token, so only part of the weights runs per token.",
    "aliases": "MoE, sparse experts",
    "link": "https://arxiv.org/abs/1701.06538",
}


# -- /lingo reload -----------------------------------------------------------------------------


def test_only_admins_may_reload_or_see_stats(slack: SlackSender) -> None:
    for command in ("reload", "stats"):
        reply = slack.command(command, user=ASKER)
        assert reply.status == 200
        assert "Only glossary admins" in reply.json()["text"]


def test_reload_applies_a_valid_change(
    slack: SlackSender, served: Served, glossary_dir: Path
) -> None:
    assert "unchanged" in answer_text(slack.command("reload", user=ADMIN))
    path = glossary_dir / "terms" / "quantization.yaml"
    path.write_text(path.read_text().replace("aliases:\n", "aliases:\n  - weight compression\n"))
    reply = slack.command("reload", user=ADMIN)
    check_message(reply.json())
    assert "Reloaded the glossary: 46 terms (1 changed)" in reply.json()["text"]
    resolved = served.runtime.live.current().resolver.resolve("weight compression")
    assert resolved.term is not None
    assert resolved.term.id == "quantization"


def test_reload_keeps_serving_when_the_change_is_invalid(
    slack: SlackSender, served: Served, glossary_dir: Path
) -> None:
    before = served.runtime.live.current()
    (glossary_dir / "terms" / "quantization.yaml").write_text("id: quantization\nname: [broken\n")
    reply = slack.command("reload", user=ADMIN)
    check_message(reply.json())
    text = answer_text(reply)
    assert "was not applied; still serving the previous one (46 terms)" in text
    assert re.search(r"terms/quantization\.yaml:\d+: YAML syntax error", text)
    assert served.runtime.live.current() is before


# -- /lingo stats ------------------------------------------------------------------------------


def test_stats_show_what_people_missed(slack: SlackSender, served: Served) -> None:
    served.runtime.recorder.start()
    try:
        for query in ("lora", "LoRA", "mixture of experts", "Mixture of Experts", "beam search"):
            assert slack.command(query).status == 200
    finally:
        served.runtime.recorder.stop()  # writes what was recorded
    reply = slack.command("stats 7d", user=ADMIN)
    check_message(reply.json())
    text = answer_text(reply)
    assert "*5* lookups since" in text
    assert "2  LoRA (Low-Rank Adaptation)" in text
    assert "2  mixture of expert" in text
    assert "1  beam search" in text


def test_stats_refuse_a_bad_span(slack: SlackSender) -> None:
    assert "time span like 7d" in slack.command("stats last tuesday", user=ADMIN).json()["text"]


# -- /lingo suggest ----------------------------------------------------------------------------


def test_suggest_opens_the_form_with_the_name_filled_in(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    reply = slack.command("suggest Mixture of Experts", trigger_id="42.1.trigger")
    assert reply.status == 200
    opened = fake_slack.wait_for("views.open")[0].params
    assert opened["trigger_id"] == "42.1.trigger"
    view = opened["view"] if isinstance(opened["view"], dict) else yaml.safe_load(opened["view"])
    assert view["callback_id"] == SUGGEST_CALLBACK
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert set(blocks) == {"name", "definition", "aliases", "category", "link"}
    assert blocks["name"]["element"]["initial_value"] == "Mixture of Experts"
    assert blocks["aliases"]["optional"] is True


def test_a_suggestion_reaches_the_admins_as_a_file_ready_to_commit(
    slack: SlackSender, fake_slack: FakeSlack, glossary_dir: Path
) -> None:
    reply = submit_suggestion(slack, **MOE)
    assert reply.status == 200
    body = reply.json()
    assert body["response_action"] == "update"
    assert "Mixture of Experts" in str(body["view"])  # thanked in the modal

    posted = fake_slack.wait_for("chat.postMessage")[0].params
    assert posted["channel"] == ADMIN_CHANNEL
    blocks = (
        posted["blocks"] if isinstance(posted["blocks"], list) else yaml.safe_load(posted["blocks"])
    )
    check_message({"text": posted["text"], "blocks": blocks}, allow_mentions=(f"@{ASKER}",))
    texts = [b["text"]["text"] for b in blocks]
    assert f"<@{ASKER}> suggests a new term: *Mixture of Experts*" in texts[0]
    assert "`glossary/terms/mixture-of-experts.yaml`" in texts[0]
    file_text = "".join(re.findall(r"```(.*?)```", "\n".join(texts[1:]), re.S))
    file_text = html.unescape(file_text)

    # Committed as it is, the file passes the validator and answers lookups.
    (glossary_dir / "terms" / "mixture-of-experts.yaml").write_text(file_text + "\n")
    report = validate_glossary(glossary_dir)
    assert report.problems == []
    term = load_glossary(glossary_dir).term("mixture-of-experts")
    assert term is not None
    assert term.aliases == ("MoE", "sparse experts")
    assert term.definition == MOE["definition"]
    assert term.links[0].url == MOE["link"]


@pytest.mark.parametrize(
    ("fields", "block", "message"),
    [
        ({"name": "LoRA"}, "name", "Already in the glossary"),
        ({"aliases": "MoE, QLoRA"}, "aliases", "already names"),
        ({"definition": "TODO: write this later, promise"}, "definition", "placeholder"),
        ({"definition": "too short"}, "definition", "too short"),
        ({"name": "help"}, "name", "command word"),
        ({"name": "stats"}, "name", "command word"),
        (
            {"definition": "A router sends each token to \ud800 a few experts."},
            "definition",
            "U+D800",
        ),
        ({"link": "http://arxiv.org/abs/1"}, "link", "https://"),
        ({"name": "!!!"}, "name", "letters or digits"),
    ],
)
def test_a_wrong_suggestion_is_explained_in_the_form(
    slack: SlackSender,
    fake_slack: FakeSlack,
    fields: dict[str, str],
    block: str,
    message: str,
) -> None:
    reply = submit_suggestion(slack, **{**MOE, **fields})
    body = reply.json()
    assert body["response_action"] == "errors"
    assert message in body["errors"][block]
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_name_that_lingo_would_look_up_is_a_fine_suggestion(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    """The form and `lingo validate` share one command-word rule: "Reloads" is a lookup."""
    body = submit_suggestion(slack, **{**MOE, "name": "Reloads", "aliases": ""}).json()
    assert body["response_action"] == "update", body
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_suggestion_slack_refuses_to_deliver_says_so(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    body = submit_suggestion(slack, **MOE).json()
    assert body["response_action"] == "errors"
    assert "could not be delivered" in body["errors"]["name"]


def test_slow_work_is_answered_through_the_response_url(
    fake_slack: FakeSlack, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload or a count that takes longer than Slack waits is posted when it is done."""
    monkeypatch.setattr(admin, "ACK_BUDGET_SECONDS", 0.05)
    request = CommandRequest(
        command=Command("stats"),
        user_id=ADMIN,
        channel_id="C0GENERAL1",
        team_id=TEAM_ID,
        trigger_id="1.1.trigger",
        response_url=fake_slack.response_url("slow"),
        client=runtime.client,
        deps=runtime.deps,
    )

    def slow() -> dict[str, Any]:
        time.sleep(0.3)
        return admin.notice("Counted.")

    first = admin.answer_soon(request, slow, "Counting…")
    assert first["text"] == "Counting… I'll post the answer here."
    posted = fake_slack.wait_for("response_url")[0].params
    assert posted["text"] == "Counted."
    assert posted["response_type"] == "ephemeral"
