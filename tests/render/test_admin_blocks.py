"""Block Kit of the admin loop: every message and view of /lingo reload, stats and suggest
is one Slack accepts, within its limits, with the user's and the glossary's text escaped.

Validated like the answers in tests/render/test_blocks.py (tests/support/blockkit.py), for
the shipped glossary and for content at its limits, full of text that looks like markup.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import pytest

from bot.admin.stats import LookupStats
from bot.errors import Problem
from bot.glossary.drafts import TermDraft, term_yaml
from bot.glossary.model import Category, Glossary, Link, Term
from bot.glossary.reload import ReloadResult
from bot.render.blocks.admin import (
    SUGGEST_CALLBACK,
    reload_message,
    stats_message,
    suggest_view,
    suggestion_message,
    thanks_view,
)
from bot.render.blocks.answers import notice_message
from bot.render.blocks.kit import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.slack.notify import rejected_notice
from tests.support.blockkit import all_text, check_message, check_view, mrkdwn_texts

HOSTILE = "<!channel> <!here> <@U0VICTIM1> <#C0SECRET1> <https://evil.test|click> & more"
ASKER = "U0ASKER001"
SINCE = datetime(2025, 3, 1, 12, 30)


def _crowded_glossary() -> Glossary:
    """More categories than a select menu holds, with long names that look like markup."""
    categories = tuple(
        Category(f"cat-{i}", (f"Category {i} " + HOSTILE * 3)[:120]) for i in range(130)
    )
    term = Term(id="t", name="T", category="cat-0", definition="A term. " * 10)
    return Glossary(terms={"t": term}, categories=categories)


def _code_blocks_are_closed(message: dict[str, Any]) -> None:
    for text in mrkdwn_texts(message["blocks"]):
        assert text.count("```") % 2 == 0, f"an unclosed code block in {text[:80]!r}"


# -- /lingo suggest ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "Mixture of Experts", HOSTILE * 5, "x" * 10_000])
def test_the_suggestion_form_is_a_valid_modal(shipped_glossary: Glossary, name: str) -> None:
    for glossary in (shipped_glossary, _crowded_glossary()):
        view = suggest_view(glossary, name=name)
        check_view(view)
        assert view["type"] == "modal"
        assert view["callback_id"] == SUGGEST_CALLBACK
        assert [b["block_id"] for b in view["blocks"]] == [
            "name",
            "definition",
            "aliases",
            "category",
            "link",
        ]
        select = view["blocks"][3]["element"]
        assert 0 < len(select["options"]) <= 100
        assert select["options"][0]["value"] == glossary.categories[0].id
        initial = view["blocks"][0]["element"].get("initial_value", "")
        assert len(initial) <= 150
        assert " ".join(name.split()).startswith(initial.removesuffix("…"))
        assert initial.endswith("…") == (len(name) > 150)


def test_the_suggestion_form_without_categories_has_no_category_field() -> None:
    term = Term(id="t", name="T", category="basics", definition="A term. " * 10)
    view = suggest_view(Glossary(terms={"t": term}))
    check_view(view)
    assert "category" not in [b["block_id"] for b in view["blocks"]]


@pytest.mark.parametrize("name", ["Mixture of Experts", HOSTILE, "n" * 150])
def test_the_thanks_are_a_valid_modal_that_never_echoes_markup(name: str) -> None:
    view = thanks_view(name)
    check_view(view)
    text = "\n".join(mrkdwn_texts(view["blocks"]))
    assert "<!channel>" not in text
    assert html.unescape(text).count(name[:100]) == 1


def _draft(name: str, *, huge: bool = False) -> TermDraft:
    """A suggestion as the form lets it through; ``huge`` at the form's maximum lengths."""
    definition = (HOSTILE + " A router sends each token to a few experts. ") * 20
    return TermDraft(
        name=name,
        category="training",
        definition=definition[: 700 if huge else 120],
        aliases=tuple(f"alias {i} " + "&<>" * 20 for i in range(10 if huge else 2)),
        links=(Link("arxiv.org/abs/1701.06538", "https://arxiv.org/abs/1701.06538?a=1&b=<2>"),),
    )


@pytest.mark.parametrize("huge", [False, True])
@pytest.mark.parametrize("name", ["Mixture of Experts", "MoE <!channel> & friends"])
def test_a_suggestion_reaches_the_admins_as_a_valid_message_with_the_whole_file(
    name: str, huge: bool
) -> None:
    draft = _draft(name, huge=huge)
    message = suggestion_message(draft, ASKER)
    check_message(message, allow_mentions=(f"@{ASKER}",))
    _code_blocks_are_closed(message)
    assert message["blocks"][0]["text"]["text"].startswith(f":bulb: <@{ASKER}> suggests")
    assert f"glossary/terms/{draft.id}.yaml" in message["text"]
    # The admins copy the file from the code blocks: all of it is there, unescaped by Slack.
    code = "\n".join(t.strip("`") for t in mrkdwn_texts(message["blocks"][1:]))
    assert html.unescape(code) == term_yaml(draft).rstrip("\n")


@pytest.mark.parametrize("user", ["", "<!channel>", "U0ASKER001>", "C0CHANNEL1"])
def test_a_suggestion_from_an_odd_user_id_mentions_nobody(user: str) -> None:
    message = suggestion_message(_draft("Mixture of Experts"), user)
    check_message(message)
    assert message["blocks"][0]["text"]["text"].startswith(":bulb: Someone suggests")


# -- /lingo reload -----------------------------------------------------------------------------


def _problems(count: int) -> tuple[Problem, ...]:
    return tuple(
        Problem(f"glossary/terms/t{i:04d}.yaml", i + 1, f"unknown category '{HOSTILE}' " * (i % 9))
        for i in range(count)
    )


@pytest.mark.parametrize("outcome", ["applied", "unchanged"])
def test_a_reload_that_was_applied_is_a_valid_message(
    shipped_glossary: Glossary, outcome: str
) -> None:
    ids = tuple(f"term-{i:04d}" for i in range(600))
    for changes in ({}, {"added": ids[:2], "changed": ids[2:3]}, {"added": ids, "removed": ids}):
        result = ReloadResult(outcome, shipped_glossary, **changes)  # type: ignore[arg-type]
        message = reload_message(result)
        check_message(message)
        assert message["text"] == result.summary()
        assert message["blocks"][0]["text"]["text"] == f":white_check_mark: {result.summary()}"


@pytest.mark.parametrize("count", [1, 39, 40, 41, 1000])
def test_a_rejected_reload_lists_its_problems_in_a_valid_message(
    shipped_glossary: Glossary, count: int
) -> None:
    problems = _problems(count)
    message = reload_message(ReloadResult("rejected", shipped_glossary, problems))
    check_message(message)
    _code_blocks_are_closed(message)
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    text = html.unescape(all_text(message))
    assert str(problems[0]) in text
    if count > 40:
        assert f"… and {count - 40} more (`lingo validate` lists them all)" in text
    else:
        assert str(problems[-1]) in text
    assert "<!channel>" not in all_text(message)


def test_the_admins_notice_of_a_rejected_glossary_never_notifies_anyone(
    shipped_glossary: Glossary,
) -> None:
    text = rejected_notice(ReloadResult("rejected", shipped_glossary, _problems(30)))
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
    assert "… and 10 more" in text
    assert text.count("```") == 2


# -- /lingo stats --------------------------------------------------------------------------------


def test_stats_are_a_valid_message(shipped_glossary: Glossary) -> None:
    names = {t.id: t.name for t in shipped_glossary.terms.values()}
    stats = LookupStats(
        since=SINCE,
        total=9,
        by_outcome={"exact": 4, "fuzzy": 1, "miss": 4},
        top_terms=(("quantization", 4), ("left-the-glossary", 1)),
        top_misses=(("mixture of experts", 3), (HOSTILE, 1)),
    )
    message = stats_message(stats, names, "7d")
    check_message(message)
    _code_blocks_are_closed(message)
    text = all_text(message)
    assert message["text"] == "9 lookups since 2025-03-01"
    assert "*9* lookups since 2025-03-01 12:30 UTC (7d): 4 exact, 1 fuzzy, 0 ambiguous" in text
    assert "   4  Quantization" in text
    assert "   1  left-the-glossary" in text  # a term that is gone shows its id
    assert "   3  mixture of experts" in text
    assert "<!channel>" not in text
    assert 'lingo new-term "Name"' in text


def test_stats_with_nothing_yet_are_a_valid_message() -> None:
    message = stats_message(LookupStats(since=SINCE, total=0), {}, HOSTILE)
    check_message(message)
    text = all_text(message)
    assert "_none yet_" in text
    assert "_none_" in text


def test_stats_with_more_than_fits_keep_whole_lines_and_say_how_many_more() -> None:
    queries = tuple((f"{i:03d} " + "q" * 196, 1000 - i) for i in range(100))
    stats = LookupStats(since=SINCE, total=10**6, top_terms=queries, top_misses=queries)
    message = stats_message(stats, {}, "30d")
    check_message(message)
    _code_blocks_are_closed(message)
    for block in message["blocks"][2:4]:
        text = block["text"]["text"]
        assert len(text) <= MAX_SECTION_TEXT
        shown = [line for line in text.strip("`").splitlines() if line.strip().endswith("q")]
        assert shown
        assert f"… and {100 - len(shown)} more" in text


# -- the waiting notice ----------------------------------------------------------------------------


@pytest.mark.parametrize("waiting", ["Reloading…", "Counting…"])
def test_the_waiting_notice_is_a_valid_message(waiting: str) -> None:
    check_message(notice_message(f"{waiting} I'll post the answer here."))
