"""/lingo end to end: signed requests over loopback HTTP, through the real Bolt pipeline.

Each answer must come back inside the acknowledgement (the HTTP response to Slack), visible
only to the person who asked, and must be a message Slack accepts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.glossary.model import Category, Glossary, Term
from bot.lookup.resolver import Resolution
from bot.ops.metrics import REGISTRY
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.app import LISTENERS
from bot.slack.listeners import cards, home, jargon, lookup
from tests.conftest import CONTRIBUTING_URL, Served, with_deps
from tests.support import extra_listeners
from tests.support.blockkit import all_text, buttons, check_message
from tests.support.slackreq import Reply, SlackSender


def answer_of(reply: Reply) -> dict:
    """The message in the acknowledgement, checked the way Slack would check it."""
    assert reply.status == 200
    message = reply.json()
    assert message["response_type"] == "ephemeral", "answers are visible only to the asker"
    check_message(message)
    return message


def shown(reply: Reply) -> str:
    return all_text(answer_of(reply))


def test_a_term_comes_back_in_the_acknowledgement_as_a_card(slack: SlackSender, served: Served):
    message = answer_of(slack.command("quantization"))
    blocks = message["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Quantization"}}
    text = all_text(message)
    assert "fewer bits" in text, "the definition"
    assert "Also called: quantize" in text
    assert "Category: Efficiency and inference" in text
    assert "<https://arxiv.org/abs/2208.07339|" in text, "source links"
    labels = [b["text"]["text"] for b in buttons(blocks)]
    assert labels[:2] == ["Pruning", "LoRA"], "related terms as buttons"
    assert "Share in channel" in labels
    assert labels[-1] == "👎 No", "was this clear?"
    assert served.fake.calls_to("response_url") == [], "one round trip: nothing sent later"


def test_a_fuzzy_match_says_what_it_matched(slack: SlackSender):
    message = answer_of(slack.command("quantisaton"))
    assert message["blocks"][0]["elements"][0]["text"] == "Showing *Quantization* for “quantisaton”"


def test_an_ambiguous_query_offers_did_you_mean_buttons(slack: SlackSender):
    message = answer_of(slack.command("tuning"))
    assert "could mean more than one term" in all_text(message)
    choices = [b for b in buttons(message["blocks"]) if b["action_id"] != "suggest_term"]
    assert len(choices) >= 2
    assert all(re.fullmatch(r"show_term_\d+", b["action_id"]) for b in choices)


def test_a_miss_is_friendly_suggests_and_says_how_to_propose(slack: SlackSender):
    text = shown(slack.command("fine dining"))
    assert "I don't know “fine dining” yet." in text
    assert "The closest terms I know:" in text
    assert f"<{CONTRIBUTING_URL}|Propose it>" in text


def test_a_miss_without_suggestions_still_says_how_to_propose(slack: SlackSender):
    text = shown(slack.command("xylophone"))
    assert "I don't know “xylophone” yet." in text
    assert "closest" not in text
    assert CONTRIBUTING_URL in text


MY_LISTENERS = (lookup, cards, jargon, home)


@pytest.mark.parametrize("text", ["", "help", "  HELP  "])
def test_help_lists_the_commands_with_examples(slack: SlackSender, text: str, glossary):
    shown_text = shown(slack.command(text))
    assert f"{len(glossary)} terms" in shown_text
    for usage in (
        "/lingo list [category]",
        "/lingo search &lt;words&gt;",
        "/lingo random",
        "/lingo today",
        "/lingo quantization",
    ):
        assert usage in shown_text


def test_help_lists_only_the_commands_someone_answers(
    runtime: Runtime, serve_app: Callable[..., Served]
):
    slack = serve_app(runtime, listeners=MY_LISTENERS).sender()
    text = shown(slack.command("help"))
    assert "/lingo search" in text
    assert "/lingo subscribe" not in text
    slack.close()


def test_list_shows_every_category(slack: SlackSender, glossary: Glossary):
    text = shown(slack.command("list"))
    for category in glossary.categories:
        if glossary.in_category(category.id):
            assert category.name in text


def test_list_of_one_category_shows_its_terms_with_buttons(slack: SlackSender, glossary):
    message = answer_of(slack.command("list training"))
    names = {t.name for t in glossary.in_category("training")}
    assert message["blocks"][0]["text"]["text"] == "Training and fine-tuning"
    assert {b["value"] for b in buttons(message["blocks"])} == {
        t.id for t in glossary.in_category("training")
    }
    assert all(name in all_text(message) for name in names)


def test_list_of_an_unknown_category_names_the_real_ones(slack: SlackSender):
    text = shown(slack.command("list cooking"))
    assert "There is no category “cooking”" in text
    assert "Efficiency and inference" in text


def test_search_ranks_matches_with_buttons(slack: SlackSender):
    message = answer_of(slack.command("search memory"))
    assert "Terms matching “memory”" in all_text(message)
    assert "kv-cache" in {b["value"] for b in buttons(message["blocks"])}


def test_an_empty_search_result_says_so_and_what_to_try(slack: SlackSender):
    text = shown(slack.command("search zzzqqqxxx"))
    assert "Nothing in the glossary mentions “zzzqqqxxx”." in text
    assert "/lingo list" in text


def test_random_shows_a_term(slack: SlackSender, glossary: Glossary):
    message = answer_of(slack.command("random"))
    assert "A random term" in all_text(message)
    names = {t.name for t in glossary.terms.values()}
    assert message["blocks"][1]["text"]["text"] in names


def test_today_uses_the_daily_choice_when_there_is_one(
    runtime: Runtime, serve_app: Callable[[Runtime], Served], glossary: Glossary
):
    slack = serve_app(runtime).sender()
    daily_names = {t.name for t in glossary.terms.values() if t.daily}
    assert answer_of(slack.command("today"))["blocks"][1]["text"]["text"] in daily_names
    slack.close()
    asked_for: list[str | None] = []

    def today(channel: str | None) -> Term:
        asked_for.append(channel)
        return glossary.terms["lora"]

    slack = serve_app(with_deps(runtime, today=today)).sender()
    message = answer_of(slack.command("today"))
    assert "Term of the day" in all_text(message)
    assert message["blocks"][1]["text"]["text"] == "LoRA (Low-Rank Adaptation)"
    assert asked_for, "today's term is asked for"
    assert asked_for[0], "with the channel of the command"
    slack.close()


def _glossary_with(*names: str) -> Glossary:
    terms = {
        name.lower().replace(" ", "-"): Term(
            id=name.lower().replace(" ", "-"),
            name=name,
            category="basics",
            definition=f"{name} is a term used only by this test, to check the grammar.",
        )
        for name in names
    }
    return Glossary(terms=terms, categories=(Category("basics", "Basics"),))


def test_command_words_never_hide_a_term(
    settings: Settings, serve_app: Callable[[Runtime], Served]
):
    runtime = build_runtime(settings, glossary=_glossary_with("Random Forest", "Search Engine"))
    slack = serve_app(runtime).sender()
    assert answer_of(slack.command("random forest"))["blocks"][0]["text"]["text"] == "Random Forest"
    assert answer_of(slack.command("search engine"))["blocks"][0]["text"]["text"] == "Search Engine"
    assert "A random term" in shown(slack.command("random")), "the bare word is still a command"
    slack.close()
    runtime.engine.dispose()


@pytest.mark.parametrize(
    "hostile",
    ["<!channel>", "<!here> what is rag", "<@U0VICTIM1> & <#C0SECRET1>", "<https://evil.test|x>"],
)
def test_hostile_text_is_echoed_as_text_never_as_a_mention(slack: SlackSender, hostile: str):
    reply = slack.command(hostile)
    text = shown(reply)  # check_message already refuses any <!…>, <@…>, <#…> we did not build
    for sequence in ("<!channel>", "<!here>", "<@U0VICTIM1>", "<#C0SECRET1>", "evil.test|x>"):
        assert sequence not in reply.text
        assert sequence not in text


def test_huge_text_is_cut_with_a_note(slack: SlackSender):
    reply = slack.command("quantization " + "blah " * 2_000)
    message = answer_of(reply)
    assert len(reply.body) < 40_000
    assert "your text was long" in all_text(message).lower()


def test_lookups_are_counted_timed_and_recorded_once(
    runtime: Runtime, serve_app: Callable[[Runtime], Served]
):
    recorded: list[tuple[str, Resolution]] = []
    served = serve_app(
        with_deps(runtime, record_lookup=lambda query, res: recorded.append((query, res)))
    )
    before = REGISTRY.get_sample_value("lingo_lookups_total", {"outcome": "fuzzy"}) or 0
    timed = REGISTRY.get_sample_value("lingo_answer_seconds_count") or 0
    slack = served.sender()
    slack.command("quantisaton", trigger_id="42.1.retried")
    retry = slack.command(
        "quantisaton",
        trigger_id="42.1.retried",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"},
    )
    assert answer_of(retry)["blocks"][1]["text"]["text"] == "Quantization", "a retry is answered"
    assert [(q, r.status, r.term.id if r.term else None) for q, r in recorded] == [
        ("quantisaton", "fuzzy", "quantization")
    ], "but recorded once"
    assert REGISTRY.get_sample_value("lingo_lookups_total", {"outcome": "fuzzy"}) == before + 2
    assert REGISTRY.get_sample_value("lingo_answer_seconds_count") == timed + 2
    slack.close()


def test_a_failing_lookup_log_never_fails_the_answer(
    runtime: Runtime, serve_app: Callable[[Runtime], Served], caplog
):
    def broken(query: str, resolution: Resolution) -> None:
        raise OSError("disk full")

    served = serve_app(with_deps(runtime, record_lookup=broken))
    slack = served.sender()
    assert answer_of(slack.command("lora"))["blocks"][0]["text"]["text"].startswith("LoRA")
    assert "recording the lookup failed" in caplog.text
    slack.close()


def test_an_unexpected_error_gets_an_apology_with_the_logged_error_id(
    runtime: Runtime, serve_app: Callable[[Runtime], Served], caplog: pytest.LogCaptureFixture
):
    def broken_today(channel: str | None) -> Term:
        raise RuntimeError("the daily ledger is on fire")

    served = serve_app(with_deps(runtime, today=broken_today))
    errors = REGISTRY.get_sample_value("lingo_errors_total") or 0
    slack = served.sender()
    with caplog.at_level(logging.ERROR):
        text = shown(slack.command("today"))
    error_id = re.search(r"error id `([0-9a-f]{8})`", text)
    assert error_id, text
    assert "Sorry" in text
    assert "on fire" not in text, "no internals shown to the user"
    logged = [r for r in caplog.records if error_id[1] in r.getMessage()]
    assert logged, "the same id is in the log"
    assert logged[0].exc_info, "with the traceback"
    assert REGISTRY.get_sample_value("lingo_errors_total") == errors + 1
    slack.close()


def test_listener_modules_add_commands_and_admin_only_is_enforced(
    runtime: Runtime, serve_app: Callable[..., Served]
):
    admins = replace(runtime.settings, admin_user_ids=frozenset({"U0ADMIN001"}))
    slack = serve_app(
        with_deps(runtime, settings=admins), listeners=(*LISTENERS, extra_listeners)
    ).sender()
    refused = shown(slack.command("reload", user="U0SOMEONE1"))
    assert "Only glossary admins can use `/lingo reload`" in refused
    assert answer_of(slack.command("reload", user="U0ADMIN001"))["text"] == "Reloaded the glossary."
    assert "error id" in shown(slack.command("stats")), "a bug in a handler is an apology"
    assert "/lingo reload" in shown(slack.command("help")), "help lists the added commands"
    slack.close()


def test_an_empty_glossary_says_so(settings: Settings, serve_app: Callable[[Runtime], Served]):
    runtime = build_runtime(settings, glossary=Glossary(terms={}))
    slack = serve_app(runtime).sender()
    assert "The glossary is empty" in shown(slack.command("random"))
    slack.close()
    runtime.engine.dispose()
