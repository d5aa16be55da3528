"""Block Kit rendering: every term of the real glossary and every answer, within Slack's limits.

A card that Slack refuses is a card nobody sees, so each payload is validated by slack_sdk
and by our own limit checks (tests/support/blockkit.py), for the shipped glossary and for
a synthetic one at the schema's maximum lengths, full of text that looks like markup.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.glossary.model import Category, Glossary, Link, Term
from bot.lookup.answers import EXAMPLES, Help, Listing, Lookup, SearchResults, TermOfTheDay, answer
from bot.lookup.commands import COMMANDS
from bot.lookup.resolver import Resolution, Resolver, SearchHit, Suggestion
from bot.render.blocks.answers import (
    answer_message,
    apology_message,
    mentions_message,
    notice_message,
)
from bot.render.blocks.card import shared_term_message, term_message
from bot.render.blocks.home import home_view
from bot.render.blocks.kit import MAX_LISTED_TERMS, MAX_MESSAGE_BLOCKS, escape, fit
from tests.support.blockkit import all_text, buttons, check_message, check_view

URL = "https://example.test/contributing?a=1&b=2"
HOSTILE = "<!channel> <!here> <@U0VICTIM1> <#C0SECRET1> <https://evil.test|click> & more"


def test_every_term_of_the_shipped_glossary_renders_as_a_valid_card(shipped_glossary: Glossary):
    for term in shipped_glossary.terms.values():
        card = term_message(term, shipped_glossary)
        check_message(card)
        assert card["blocks"][0]["text"]["text"] == term.name
        assert "Share in channel" in [b["text"]["text"] for b in buttons(card["blocks"])]
        check_message(term_message(term, shipped_glossary, buttons=False))
        shared = shared_term_message(term, shipped_glossary, "U0SHARER01")
        check_message(shared, allow_mentions=("@U0SHARER01",))
        assert not buttons(shared["blocks"]), "a card shown to everyone has no buttons to click"


def test_every_answer_type_renders_valid_for_the_shipped_glossary(shipped_glossary: Glossary):
    resolver = Resolver(shipped_glossary)
    queries = [
        "",
        "help",
        "list",
        "list training",
        "list efficiency",
        "list nonsense",
        "search memory",
        "search zzzzqqq",
        "random",
        "today",
        "quantization",
        "quantisaton",
        "lora",
        "fine dining",
        "attention heads",
        "xyzzy",
        HOSTILE,
        "&" * 300,
        "a" * 10_000,
    ]
    for query in queries:
        reply = answer(query, resolver, contributing_url=URL)
        check_message(answer_message(reply, shipped_glossary, contributing_url=URL))
    for category in shipped_glossary.categories:
        reply = answer(f"list {category.id}", resolver, contributing_url=URL)
        check_message(answer_message(reply, shipped_glossary, contributing_url=URL))
    check_view(home_view(shipped_glossary, None, contributing_url=URL))
    for term in shipped_glossary.terms.values():
        check_view(home_view(shipped_glossary, term, contributing_url=URL))
        check_message(mentions_message(resolver.mentions(term.definition)))


def _worst_glossary(count: int = 300, categories: int = 120) -> Glossary:
    """Terms at the schema's maximum lengths, with markup-looking text everywhere."""
    cats = tuple(
        Category(f"cat-{i}", f"Category {i} {HOSTILE}"[:80], "Description " + HOSTILE * 3)
        for i in range(categories)
    )
    terms = {}
    for i in range(count):
        term_id = f"term-{i:03d}"
        terms[term_id] = Term(
            id=term_id,
            name=(f"Term {i} " + HOSTILE * 5)[:150],
            category="cat-0" if i < count - categories else f"cat-{i % categories}",
            definition=((HOSTILE + " ") * 9)[:700],
            aliases=tuple(f"alias {i} {j} " + "&" * 60 for j in range(30)),
            details=((HOSTILE + " ") * 26)[:2000],
            examples=tuple((HOSTILE + " ") * 3 + "e" * 40 for _ in range(5)),
            related=tuple(f"term-{(i + k) % count:03d}" for k in range(1, 9)),
            links=tuple(
                Link(("Title & <b> " * 15)[:150], "https://example.test/" + "p<>|&" * 90)
                for _ in range(5)
            ),
        )
    return Glossary(terms=terms, categories=cats)


def test_content_at_the_schema_limits_stays_within_slack_limits():
    glossary = _worst_glossary()
    term = glossary.terms["term-000"]
    assert len(term.definition) <= 700
    assert len(term.details or "") <= 2000
    card = term_message(term, glossary, note="Term of the day")
    check_message(card)
    assert card["blocks"][1]["text"]["text"] == term.name, "a 150-character name fits a header"
    resolver = Resolver(glossary)
    terms = list(glossary.terms.values())
    answers = [
        Lookup(Resolution("q" * 300, "fuzzy", term, matched="x"), URL, truncated=True),
        Lookup(
            Resolution(
                HOSTILE,
                "ambiguous",
                suggestions=tuple(Suggestion(t.id, t.name, 50.0) for t in terms[:5]),
            ),
            URL,
        ),
        Lookup(
            Resolution(
                HOSTILE,
                "miss",
                suggestions=tuple(Suggestion(t.id, t.name, 50.0) for t in terms[:3]),
            ),
            URL,
        ),
        Lookup(Resolution(HOSTILE, "miss"), URL),
        Help(tuple(COMMANDS.values()), EXAMPLES, len(glossary)),
        Listing(tuple((c, tuple(glossary.in_category(c.id))) for c in glossary.categories)),
        Listing(((glossary.categories[0], tuple(glossary.in_category("cat-0"))),)),
        Listing(tuple((c, ()) for c in glossary.categories), unknown_category=HOSTILE),
        SearchResults(HOSTILE, tuple(SearchHit(t, 99.0) for t in terms[:10])),
        SearchResults(HOSTILE, ()),
        TermOfTheDay(term, HOSTILE),
    ]
    for reply in answers:
        check_message(answer_message(reply, glossary, contributing_url=URL))
    check_message(mentions_message(terms))
    check_message(shared_term_message(term, glossary, "<!channel>"))
    check_view(home_view(glossary, term, contributing_url=URL))
    assert resolver.mentions(HOSTILE) is not None


def test_a_long_category_is_listed_in_one_message_with_what_did_not_fit():
    glossary = _worst_glossary()
    terms = tuple(glossary.in_category("cat-0"))
    message = answer_message(
        Listing(((glossary.categories[0], terms),)), glossary, contributing_url=URL
    )
    check_message(message)
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert f"And {len(terms) - MAX_LISTED_TERMS} more" in all_text(message)


def test_echoed_text_can_never_notify_or_link():
    glossary = _worst_glossary(count=12, categories=2)
    miss = Lookup(Resolution(HOSTILE, "miss"), URL)
    message = answer_message(miss, glossary, contributing_url=URL)
    text = all_text(message)
    assert "<!channel>" not in text
    assert "<@U0VICTIM1>" not in text
    assert "&lt;!channel&gt;" in text
    assert "&amp; more" in text
    check_message(message)


def test_cards_follow_a_new_glossary(shipped_glossary: Glossary):
    glossary = _worst_glossary(count=12, categories=2)
    term = glossary.terms["term-001"]
    first = term_message(term, glossary)
    changed = Glossary(
        terms={**glossary.terms, term.id: replace(term, definition="A new definition, reloaded.")},
        categories=glossary.categories,
    )
    second = term_message(changed.terms[term.id], changed)
    assert first["blocks"][1] != second["blocks"][1]
    assert second["blocks"][1]["text"]["text"] == "A new definition, reloaded."


def test_cutting_never_leaves_half_an_escape():
    cut = fit(escape("a" * 10 + "&" * 10), 14)
    assert cut.endswith("…")
    assert "&am…" not in cut
    assert not cut[:-1].endswith("&")


def test_failures_read_as_sentences_with_the_error_id():
    check_message(notice_message("Only glossary admins can use `/lingo reload`."))
    apology = apology_message("3f9a1c2b")
    check_message(apology)
    assert "3f9a1c2b" in apology["text"]
    assert "Sorry" in apology["text"]


@pytest.mark.parametrize("user", ["U0SHARER01", "W0ENTERPR1"])
def test_a_shared_card_says_who_shared_it(shipped_glossary: Glossary, user: str):
    term = next(iter(shipped_glossary.terms.values()))
    message = shared_term_message(term, shipped_glossary, user)
    assert f"Shared by <@{user}>" in all_text(message)


def test_without_a_contributing_url_a_miss_points_to_the_suggestion_form(glossary: Glossary):
    from bot.render.text import answer_text
    from bot.settings import Settings

    assert Settings.from_env({}).contributing_url == ""
    resolver = Resolver(glossary)
    for query in ("xyzzy", "search zzzzqqq"):
        reply = answer(query, resolver, contributing_url="")
        message = answer_message(reply, glossary, contributing_url="")
        check_message(message)
        shown = all_text(message)
        assert "`/lingo suggest`" in shown, shown
        assert "http" not in shown
    assert "Propose it: /lingo suggest" in answer_text(
        answer("xyzzy", resolver, contributing_url="")
    )
    import json

    home = json.dumps(home_view(glossary, None, contributing_url=""))
    assert "Propose it with `/lingo suggest`" in home
    assert "github.com" not in home
