"""Answers as Slack Block Kit, built with ``slack_sdk.models``: the only place Block Kit is made.

Every function returns a finished payload: a message is ``{"text": ..., "blocks": [...]}``
(``text`` is the fallback for notifications and screen readers), a view is a ``View`` as a
dict. Blocks are turned into dicts with ``to_dict()``, which runs slack_sdk's validation,
so a block Slack would refuse fails here, in our tests, rather than in a workspace.

Two rules hold for any content, however long the glossary or the user's text:
- Slack's limits: at most 50 blocks in a message (100 in a view), 3000 characters of
  section text, 150 of header text, 75 of button text; longer text is cut with "…".
- Text is data: ``&``, ``<`` and ``>`` in user text and glossary text are escaped, so
  nothing we echo can mention a channel or a person, or forge a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UrlInputElement,
)
from slack_sdk.models.views import View

from bot.glossary.drafts import TermDraft, term_yaml
from bot.glossary.model import Category, Digest, DigestItem, Glossary, Link, Term
from bot.lookup.answers import Answer, Help, Listing, Lookup, SearchResults, TermOfTheDay
from bot.lookup.resolver import Resolution, Suggestion

if TYPE_CHECKING:
    from bot.admin.stats import LookupStats
    from bot.glossary.reload import ReloadResult

Message = dict[str, Any]

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK_TEXT = 3000
# How much of a person's text we echo back, and how many terms one message lists.
MAX_ECHO = 100
MAX_LISTED_TERMS = 40
MAX_MENTIONED_TERMS = 40

# Action ids of our buttons. A message may not repeat an action id, so buttons that show a
# term are numbered: show_term_0, show_term_1, ...; their value is the term id.
SHOW_TERM = "show_term"
SHARE_TERM = "share_term"

_HALF_ENTITY = re.compile(r"&[a-z]{0,4}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


# -- text ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup: & < >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…", never in the middle of an escape."""
    if len(text) <= limit:
        return text
    cut = _HALF_ENTITY.sub("", text[: limit - 1]).rstrip()
    return cut + "…"


def echo(text: str, limit: int = MAX_ECHO) -> str:
    """A person's text, quoted back safely: one line, cut, escaped."""
    return escape(fit(" ".join(text.split()), limit))


def short_definition(term: Term, limit: int = 300) -> str:
    """The first sentence of a term's definition, escaped; for lists."""
    definition = " ".join(term.definition.split())
    match = _SENTENCE_END.search(definition)
    first = definition[: match.start()] if match else definition
    return fit(escape(first), limit)


def _link(link: Link) -> str:
    url = link.url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")
    return f"<{url.replace('&', '&amp;')}|{escape(link.title).replace('|', '¦')}>"


def _mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=fit(text, limit))


def _section(text: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=_mrkdwn(text), accessory=accessory)


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=fit(" ".join(text.split()), MAX_HEADER_TEXT)))


def _context(*texts: str) -> ContextBlock:
    return ContextBlock(
        elements=[_mrkdwn(t, MAX_CONTEXT_TEXT) for t in texts[:MAX_CONTEXT_ELEMENTS]]
    )


# A fuzzy match's note and a miss's first line hold the person's text, so unlike the rest of
# an answer (see "reuse" below) they are made for each answer. slack_sdk checks a block's
# shape each time it turns one into a dict, which costs more than resolving the query; these
# two shapes never change, so they are written as the dicts slack_sdk makes from
# _context(text) and _section(text) (tests/test_slack_blocks.py checks that they are equal),
# with the text cut to Slack's limit as _mrkdwn cuts it.


def _context_dict(text: str) -> dict[str, Any]:
    """``_context(text).to_dict()``: a context block of one mrkdwn text."""
    return {
        "elements": [{"text": fit(text, MAX_CONTEXT_TEXT), "type": "mrkdwn"}],
        "type": "context",
    }


def _section_dict(text: str) -> dict[str, Any]:
    """``_section(text).to_dict()``: a section block of one mrkdwn text, no accessory."""
    return {"text": {"text": fit(text, MAX_SECTION_TEXT), "type": "mrkdwn"}, "type": "section"}


def _button(text: str, action_id: str, value: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=fit(" ".join(text.split()), MAX_BUTTON_TEXT)),
        action_id=action_id,
        value=value,
        style="primary" if primary else None,
    )


def _show_buttons(terms: Iterable[tuple[str, str]], start: int = 0) -> list[ButtonElement]:
    """Buttons that show a term, from (label, term id) pairs, numbered from ``start``."""
    return [
        _button(label, f"{SHOW_TERM}_{start + i}", term_id)
        for i, (label, term_id) in enumerate(terms)
    ][:MAX_ACTIONS_ELEMENTS]


def _term_line(term: Term, label: str, number: int) -> SectionBlock:
    """A term's name and first sentence, with a button that shows its card."""
    button = _button(label, f"{SHOW_TERM}_{number}", term.id)
    return _section(f"*{escape(term.name)}* — {short_definition(term)}", accessory=button)


def _message(text: str, blocks: Sequence[Block | dict[str, Any]]) -> Message:
    """A message payload: validated blocks, at most 50, and fallback text.

    ``blocks`` may hold blocks already validated and stored as dicts (see :func:`_reused`).
    """
    kept = list(blocks)
    if len(kept) > MAX_MESSAGE_BLOCKS:
        kept = [*kept[: MAX_MESSAGE_BLOCKS - 1], _context("…more than fits in one message.")]
    return {
        "text": fit(text, MAX_FALLBACK_TEXT),
        "blocks": [block if isinstance(block, dict) else block.to_dict() for block in kept],
    }


# -- reuse: blocks that depend only on the glossary are validated and serialized once ----------

# Reused block dicts by key; each entry keeps the object its key's id() came from, so an id
# reused after that object is gone is never mistaken for it. Entries are read-only.
_REUSED: dict[tuple[Any, ...], tuple[object, Any]] = {}
# The JSON of each reused block dict, by id(dict), with the dict itself for the same reason.
_BLOCK_JSON: dict[int, tuple[dict[str, Any], str]] = {}
_MAX_REUSED = 8192


def _reused(owner: object, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """``build()``'s result for (``owner``, ``key``), built once while ``owner`` is in use."""
    full_key = (id(owner), *key)
    found = _REUSED.get(full_key)
    if found is not None and found[0] is owner:
        return found[1]
    if len(_REUSED) >= _MAX_REUSED:
        _REUSED.clear()
        _BLOCK_JSON.clear()
    value = build()
    for block in value["blocks"] if isinstance(value, dict) and "blocks" in value else [value]:
        if isinstance(block, dict):
            _BLOCK_JSON[id(block)] = (block, _dumps(block))
    _REUSED[full_key] = (owner, value)
    return value


# One encoder for every answer: json.dumps with options builds a new one per call.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def message_json(message: Message) -> str:
    """``message`` as the compact JSON Slack receives; reused blocks are serialized once."""
    blocks = message.get("blocks")
    if not blocks:
        return _dumps(message)
    parts = []
    for block in blocks:
        known = _BLOCK_JSON.get(id(block))
        parts.append(known[1] if known is not None and known[0] is block else _dumps(block))
    rest = _dumps({k: v for k, v in message.items() if k != "blocks"})
    return (rest[:-1] + "," if rest != "{}" else "{") + '"blocks":[' + ",".join(parts) + "]}"


# -- the term card -----------------------------------------------------------------------------


def term_blocks(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
) -> list[Block]:
    """A term as blocks: name, definition, details, examples, aliases, category, related, sources.

    ``note`` is a line above the card, already mrkdwn-safe (e.g. what a fuzzy query
    matched). With ``buttons``, related terms are buttons that show that term and, with
    ``share``, a button shares the card in the channel; without, related terms are text
    (for shared cards, the App Home and anywhere a click could not replace the card).
    """
    blocks: list[Block] = []
    if note:
        blocks.append(_context(note))
    blocks.append(_header(term.name))
    blocks.append(_section(escape(term.definition)))
    if term.details:
        blocks.append(_section(escape(term.details)))
    if term.examples:
        lines = "\n".join(f"• {escape(e)}" for e in term.examples)
        blocks.append(_section(f"*Examples*\n{lines}"))

    facts = []
    if term.aliases:
        facts.append("Also called: " + ", ".join(escape(a) for a in term.aliases))
    category = glossary.category(term.category)
    facts.append(f"Category: {escape(category.name if category else term.category)}")
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related and not buttons:
        facts.append("Related: " + ", ".join(escape(r.name) for r in related))
    blocks.append(_context(" · ".join(facts)))
    if term.links:
        blocks.append(_context(_links_text(term.links)))

    if buttons and related:
        blocks.append(_context("Related terms:"))
        blocks.append(ActionsBlock(elements=_show_buttons((r.short_name, r.id) for r in related)))
    if buttons and share:
        blocks.append(
            ActionsBlock(elements=[_button("Share in channel", SHARE_TERM, term.id, primary=True)])
        )
    return blocks


def _links_text(links: Sequence[Link]) -> str:
    """Source links; whole links are dropped (never cut in half) to stay within the limit."""
    label = "Source: " if len(links) == 1 else "Sources: "
    text = label
    for i, link in enumerate(links):
        part = ("" if i == 0 else " · ") + _link(link)
        if len(text) + len(part) > MAX_CONTEXT_TEXT - 20:
            return text + f" · and {len(links) - i} more"
        text += part
    return text


def term_fallback(term: Term) -> str:
    """The fallback text of a card: name and definition."""
    return f"{escape(term.name)}: {escape(' '.join(term.definition.split()))}"


def term_message(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
) -> Message:
    """A term card as a message; see :func:`term_blocks`.

    The card's blocks are built and validated once per glossary and term, then reused:
    a lookup is the most frequent answer, and validation is most of its cost.
    """
    card: Message = _reused(
        glossary,
        ("card", term.id, buttons, share),
        lambda: _message(
            term_fallback(term), term_blocks(term, glossary, buttons=buttons, share=share)
        ),
    )
    if not note:
        return {"text": card["text"], "blocks": list(card["blocks"])}
    return {"text": card["text"], "blocks": [_context_dict(note), *card["blocks"]]}


def shared_term_message(term: Term, glossary: Glossary, user_id: str) -> Message:
    """The card posted for everyone by "Share in channel", saying who shared it."""
    who = f"<@{user_id}>" if _USER_ID.match(user_id) else "someone"
    note = f"Shared by {who} with /lingo"
    blocks = term_blocks(term, glossary, note=note, buttons=False)
    return _message(f"{term_fallback(term)} (shared by {who})", blocks)


# -- answers -------------------------------------------------------------------------------


def answer_message(answer: Answer, glossary: Glossary, *, contributing_url: str) -> Message:
    """Any answer of :func:`bot.lookup.answers.answer` as a message."""
    if isinstance(answer, Lookup):
        return lookup_message(answer, glossary)
    if isinstance(answer, Help):
        return help_message(answer)
    if isinstance(answer, Listing):
        return listing_message(answer)
    if isinstance(answer, SearchResults):
        return search_message(answer, contributing_url=contributing_url)
    if isinstance(answer, TermOfTheDay):
        return term_message(answer.term, glossary, note=f"*{escape(answer.heading)}*")
    raise TypeError(f"no Block Kit form for {type(answer).__name__}")


def lookup_message(lookup: Lookup, glossary: Glossary) -> Message:
    """A lookup: the card, the "did you mean" choices, or the miss."""
    resolution = lookup.resolution
    cut_note = " (your text was long, so I read only its beginning)" if lookup.truncated else ""
    if resolution.term is not None:
        note = None
        if resolution.status == "fuzzy":
            note = (
                f"Showing *{escape(resolution.term.name)}* for “{echo(resolution.query)}”{cut_note}"
            )
        elif cut_note:
            note = "Your text was long, so I read only its beginning."
        return term_message(resolution.term, glossary, note=note)
    if resolution.status == "ambiguous":
        return choices_message(resolution, glossary, cut_note)
    return miss_message(resolution, glossary, lookup.contributing_url, cut_note)


def choices_message(resolution: Resolution, glossary: Glossary, cut_note: str = "") -> Message:
    """An ambiguous query: "Did you mean" buttons, each with its short definition."""
    query = echo(resolution.query)
    blocks: list[Block | dict[str, Any]] = [
        _section_dict(f"“{query}” could mean more than one term.{cut_note} Did you mean:")
    ]
    blocks += _suggestion_blocks(resolution.suggestions, glossary)
    names = ", ".join(escape(s.name) for s in resolution.suggestions)
    return _message(f"“{query}” could mean: {names}", blocks)


def miss_message(
    resolution: Resolution, glossary: Glossary, contributing_url: str, cut_note: str = ""
) -> Message:
    """A miss: a friendly answer, the closest terms if any, and how to propose the term."""
    query = echo(resolution.query)
    if query:
        blocks: list[Block | dict[str, Any]] = [
            _section_dict(f"I don't know “{query}” yet.{cut_note}")
        ]
    else:
        blocks = [_section_dict("Type a term after `/lingo`, for example `/lingo quantization`.")]
    if resolution.suggestions:
        blocks.append(_reused(glossary, ("closest",), lambda: _section(CLOSEST).to_dict()))
        blocks += _suggestion_blocks(resolution.suggestions, glossary)
    blocks.append(
        _reused(glossary, ("propose", contributing_url), lambda: _propose(contributing_url))
    )
    text = f"I don't know “{query}” yet."
    if resolution.suggestions:
        text += " Closest: " + ", ".join(escape(s.name) for s in resolution.suggestions)
    return _message(text, blocks)


CLOSEST = "The closest terms I know:"


def propose_mrkdwn(contributing_url: str, label: str = "Propose it") -> str:
    """How to propose a term: the contributing page when one is set (LINGO_CONTRIBUTING_URL),
    else the suggestion form every workspace has."""
    if contributing_url:
        return _link(Link(label, contributing_url))
    return f"{label} with `/lingo suggest`"


def _propose(contributing_url: str) -> dict[str, Any]:
    return _context(
        f"Missing a term? {propose_mrkdwn(contributing_url)}. "
        "`/lingo search &lt;words&gt;` finds terms by what they mean."
    ).to_dict()


def _suggestion_blocks(
    suggestions: Sequence[Suggestion], glossary: Glossary
) -> list[dict[str, Any]]:
    """Each suggested term with its first sentence and a button that shows it."""

    def line(suggestion: Suggestion, number: int) -> dict[str, Any]:
        term = glossary.terms.get(suggestion.id)
        text = f"*{escape(suggestion.name)}*"
        if term is not None:
            text += f" — {short_definition(term)}"
        button = _button(suggestion.name, f"{SHOW_TERM}_{number}", suggestion.id)
        return _section(text, accessory=button).to_dict()

    return [
        _reused(glossary, ("choice", s.id, s.name, i), partial(line, s, i))
        for i, s in enumerate(suggestions)
    ]


def help_message(usage: Help) -> Message:
    """Usage with examples."""
    commands = "\n".join(f"• {escape(c)}" for c in usage.commands)
    examples = "\n".join(f"• `{escape(e)}`" for e in usage.examples)
    blocks: list[Block] = [
        _header("LLM Lingo"),
        _section(
            f"I explain the vocabulary of large language models: {usage.term_count} terms. "
            "Type `/lingo` and a term; typos, plurals and British spellings are fine. "
            "Answers are visible only to you until you share them."
        ),
        _section(f"*Commands*\n{commands}"),
        _section(f"*Examples*\n{examples}"),
        _context("On any message: *⋯ More actions → Explain LLM jargon* lists the terms it uses."),
    ]
    return _message(f"LLM Lingo knows {usage.term_count} terms. Try /lingo quantization", blocks)


def listing_message(listing: Listing) -> Message:
    """Browse: every category with its terms, or one category with its terms as buttons."""
    if listing.unknown_category is not None or len(listing.categories) != 1:
        blocks: list[Block] = []
        if listing.unknown_category is not None:
            blocks.append(
                _section(
                    f"There is no category “{echo(listing.unknown_category)}”. The categories are:"
                )
            )
        else:
            blocks.append(_header("The glossary by category"))
        room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
        for category, terms in listing.categories[:room]:
            blocks.append(_section(category_text(category, terms)))
        blocks.append(
            _context(
                "`/lingo list &lt;category&gt;` shows one category, `/lingo &lt;term&gt;` a term."
            )
        )
        count = sum(len(terms) for _, terms in listing.categories)
        return _message(
            f"The glossary: {count} terms in {len(listing.categories)} categories", blocks
        )

    category, terms = listing.categories[0]
    blocks = [_header(category.name)]
    if category.description:
        blocks.append(_context(escape(category.description)))
    blocks += [_term_line(term, "Show", i) for i, term in enumerate(terms[:MAX_LISTED_TERMS])]
    rest = terms[MAX_LISTED_TERMS:]
    if rest:
        names = ", ".join(escape(t.name) for t in rest)
        blocks.append(_section(f"And {len(rest)} more: {names}"))
    if not terms:
        blocks.append(_section("No terms in this category yet."))
    return _message(f"{escape(category.name)}: {len(terms)} terms", blocks)


def category_text(category: Category, terms: Sequence[Term]) -> str:
    """One category as a line of names, cut to fit a section with a note of what is left."""
    head = f"*{escape(category.name)}* ({len(terms)})"
    if category.description:
        head += f" — {escape(category.description)}"
    names = [escape(t.name) for t in terms]
    text = head + "\n" + " · ".join(names)
    if len(text) <= MAX_SECTION_TEXT:
        return text
    shown: list[str] = []
    budget = MAX_SECTION_TEXT - len(head) - 60
    for name in names:
        if sum(len(n) + 3 for n in shown) + len(name) > budget:
            break
        shown.append(name)
    more = f" · …and {len(names) - len(shown)} more (`/lingo list {escape(category.id)}`)"
    return head + "\n" + " · ".join(shown) + more


def search_message(results: SearchResults, *, contributing_url: str) -> Message:
    """Ranked search matches, each with a button that shows the term; or what to try instead."""
    words = escape(results.words)
    if not results.hits:
        blocks: list[Block] = [
            _section(f"Nothing in the glossary mentions “{words}”."),
            _context(
                "Try other words, `/lingo list` to browse, or "
                f"{propose_mrkdwn(contributing_url, 'propose a term')}."
            ),
        ]
        return _message(f"Nothing in the glossary mentions “{words}”.", blocks)
    blocks = [_section(f"Terms matching “{words}”:")]
    hits = results.hits[:MAX_LISTED_TERMS]
    blocks += [_term_line(hit.term, "Show", i) for i, hit in enumerate(hits)]
    names = ", ".join(escape(h.term.name) for h in results.hits)
    return _message(f"Terms matching “{words}”: {names}", blocks)


# -- the message shortcut, errors ---------------------------------------------------------------


def mentions_message(terms: Sequence[Term]) -> Message:
    """The glossary terms a message mentions, each with its short definition and a button."""
    if not terms:
        text = "I found no glossary terms in that message."
        hint = "Try `/lingo search` with a word from it, or `/lingo list` to browse."
        return _message(text, [_section(text), _context(hint)])
    count = f"{len(terms)} term{'s' if len(terms) != 1 else ''}"
    blocks: list[Block] = [_section(f"*LLM jargon in that message* ({count})")]
    blocks += [_term_line(term, "More", i) for i, term in enumerate(terms[:MAX_MENTIONED_TERMS])]
    rest = terms[MAX_MENTIONED_TERMS:]
    if rest:
        blocks.append(_section(f"And {len(rest)} more: " + ", ".join(escape(t.name) for t in rest)))
    names = ", ".join(escape(t.name) for t in terms)
    return _message(f"LLM jargon in that message: {names}", blocks)


def notice_message(text: str) -> Message:
    """A short message for a known reason a request did not proceed (a UserError)."""
    return _message(escape(text), [_section(escape(text))])


def apology_message(error_id: str) -> Message:
    """What a person sees after an unexpected error: a short apology and the error id."""
    text = (
        f"Sorry, something went wrong on my side. If it keeps happening, tell whoever runs "
        f"LLM Lingo and give them the error id `{escape(error_id)}`."
    )
    return _message(text, [_section(text)])


# -- the App Home ------------------------------------------------------------------------------


def home_view(glossary: Glossary, today: Term | None, *, contributing_url: str) -> dict[str, Any]:
    """The App Home tab: what the bot does, how to use it, today's term, terms by category."""
    blocks: list[Block] = [
        _header("LLM Lingo"),
        _section(
            "I explain the words people use about large language models, in plain language: "
            f"{len(glossary)} terms, from *attention* to *quantization*."
        ),
        _section(
            "*How to use me*\n"
            "• `/lingo quantization`: a term's card, visible only to you; typos are fine\n"
            "• `/lingo search memory`: terms whose definitions mention the words\n"
            "• `/lingo list`, `/lingo list training`: browse by category\n"
            "• `/lingo random`, `/lingo today`: something new to learn\n"
            "• On any message, *⋯ More actions → Explain LLM jargon*: the terms it uses\n"
            "• *Share in channel* under a card shows it to everyone"
        ),
        DividerBlock(),
    ]
    if today is not None:
        blocks += term_blocks(today, glossary, note="*Term of the day*", buttons=False)
        blocks.append(DividerBlock())
    blocks.append(_header("Terms by category"))
    groups = [(c, glossary.in_category(c.id)) for c in glossary.categories]
    room = MAX_VIEW_BLOCKS - len(blocks) - 1
    for category, terms in [g for g in groups if g[1]][:room]:
        blocks.append(_section(category_text(category, terms)))
    blocks.append(_context(f"Missing a term? {propose_mrkdwn(contributing_url)}."))
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS]).to_dict()


# -- the term of the day (bot.daily) -------------------------------------------------------------

# The button under the daily post's card; its value is the term id. Handled by
# bot.slack.listeners.daily, which answers only the person who clicked.
DAILY_RELATED = "daily_related"


def daily_post_blocks(
    term: Term,
    glossary: Glossary,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    *,
    day: date | None = None,
) -> list[Block]:
    """The daily post: the term's card with a button to its related terms, then the digest item."""
    heading = "*Term of the day*" + (f" · {day:%A} {day.day} {day:%B %Y}" if day else "")
    blocks: list[Block] = [
        _context(f":books: {heading}"),
        _header(term.name),
        _section(escape(term.definition)),
    ]
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related:
        blocks.append(_context("Related: " + " · ".join(escape(r.name) for r in related)))
    if term.links:
        blocks.append(_context(_links_text(term.links)))
    if related:
        blocks.append(
            ActionsBlock(elements=[_button("Look up related terms", DAILY_RELATED, term.id)])
        )
    if item is not None:
        blocks.append(DividerBlock())
        series = ""
        if digest is not None:
            ids = [i.id for i in digest.items]
            count = f" · {ids.index(item.id) + 1} of {len(ids)}" if item.id in ids else ""
            series = f":mag: _{escape(digest.title)}_{count}\n"
        blocks.append(_section(f"{series}*{escape(item.title)}*\n{escape(item.body)}"))
        notes = [f"Source: {_link(item.source)}"]
        touched = [glossary.terms[t] for t in item.terms if t in glossary.terms]
        if touched:
            notes.append("Terms: " + ", ".join(escape(t.name) for t in touched))
        blocks.append(_context(" · ".join(notes)))
    return blocks


def daily_post_message(
    term: Term,
    glossary: Glossary,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    *,
    day: date | None = None,
) -> Message:
    """The daily post as a message; the fallback text is the term and its first sentence."""
    blocks = daily_post_blocks(term, glossary, item, digest, day=day)
    return _message(f"Term of the day: {escape(term.name)}. {short_definition(term)}", blocks)


def related_terms_message(term: Term, glossary: Glossary) -> Message:
    """The answer to "Look up related terms": each related term with a button to its card."""
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if not related:
        return notice_message(f"{term.name} has no related terms in the glossary.")
    blocks: list[Block] = [_section(f"*Terms related to {escape(term.name)}*")]
    blocks += [_term_line(other, "Show", i) for i, other in enumerate(related[:MAX_LISTED_TERMS])]
    names = ", ".join(escape(r.name) for r in related)
    return _message(f"Terms related to {escape(term.name)}: {names}", blocks)


# -- the admin loop: /lingo reload, /lingo stats, /lingo suggest (bot.slack.listeners.admin) -----

# The suggestion form: its callback id, and the block id of each input (each input's action
# id is "value"). bot.slack.listeners.admin reads the submitted form by these ids.
SUGGEST_CALLBACK = "lingo_suggest"
SUGGEST_NAME = "name"
SUGGEST_DEFINITION = "definition"
SUGGEST_ALIASES = "aliases"
SUGGEST_CATEGORY = "category"
SUGGEST_LINK = "link"
# Slack's limit on the options of a select menu, and on the text of one.
MAX_SELECT_OPTIONS = 100
MAX_OPTION_TEXT = 75
# How much of a rejected glossary's problems `/lingo reload` lists in Slack.
MAX_RELOAD_PROBLEMS = 40
MAX_RELOAD_PROBLEM_SECTIONS = 20


def _code_sections(text: str) -> list[SectionBlock]:
    """Preformatted text (escaped here) in as many sections as it takes, cut between lines."""
    room = MAX_SECTION_TEXT - 8  # the ``` on either side
    chunks: list[str] = []
    for line in escape(text).splitlines():
        if chunks and len(chunks[-1]) + len(line) + 1 <= room:
            chunks[-1] += "\n" + line
        else:
            chunks.append(fit(line, room))
    return [_section(f"```{chunk}```") for chunk in chunks]


def _code_lines(lines: Sequence[str], room: int) -> str:
    """Lines (already escaped) as one code block of at most ``room`` characters: whole lines,
    then how many more did not fit."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        more = f"… and {len(lines) - i} more"
        rest = [line] if i == len(lines) - 1 else [line, more]
        if len("\n".join([*kept, *rest])) + 6 > room:
            kept.append(more)
            break
        kept.append(line)
    return "```" + "\n".join(kept) + "```"


def reload_message(result: ReloadResult) -> Message:
    """What `/lingo reload` answers: the outcome, and every problem if it was rejected."""
    summary = escape(result.summary())
    if result.outcome != "rejected":
        details = [
            f"{what}: {', '.join(ids)}"
            for what, ids in (
                ("Added", result.added),
                ("Changed", result.changed),
                ("Removed", result.removed),
            )
            if ids
        ]
        blocks: list[Block] = [_section(f":white_check_mark: {summary}")]
        if details:
            blocks.append(_context(escape("; ".join(details))))
        return _message(result.summary(), blocks)
    shown = result.problems[:MAX_RELOAD_PROBLEMS]
    listing = "\n".join(str(p) for p in shown)
    if len(result.problems) > len(shown):
        listing += (
            f"\n… and {len(result.problems) - len(shown)} more (`lingo validate` lists them all)"
        )
    blocks = [
        _section(f":warning: {summary}"),
        *_code_sections(listing)[:MAX_RELOAD_PROBLEM_SECTIONS],
    ]
    return _message(result.summary(), blocks)


def stats_message(stats: LookupStats, names: Mapping[str, str], span: str) -> Message:
    """What `/lingo stats` answers: lookups by outcome, top terms, top misses."""
    by = stats.by_outcome
    total = (
        f"*{stats.total}* lookups since {stats.since:%Y-%m-%d %H:%M} UTC ({echo(span)}): "
        f"{by.get('exact', 0)} exact, {by.get('fuzzy', 0)} fuzzy, "
        f"{by.get('ambiguous', 0)} ambiguous, {by.get('miss', 0)} missed"
    )
    terms = [f"{n:>4}  {escape(names.get(term_id, term_id))}" for term_id, n in stats.top_terms]
    misses = [f"{n:>4}  {escape(query)}" for query, n in stats.top_misses]
    terms_head = "*Top terms*\n"
    misses_head = "*Top misses* (looked for, not in the glossary)\n"
    blocks: list[Block] = [
        _header("What people look up"),
        _section(total),
        _section(
            terms_head
            + (_code_lines(terms, MAX_SECTION_TEXT - len(terms_head)) if terms else "_none yet_")
        ),
        _section(
            misses_head
            + (_code_lines(misses, MAX_SECTION_TEXT - len(misses_head)) if misses else "_none_")
        ),
    ]
    if misses:
        blocks.append(
            _context(
                'Add one with `lingo new-term "Name"` and a pull request (docs/adding-terms.md).'
            )
        )
    return _message(f"{stats.total} lookups since {stats.since:%Y-%m-%d}", blocks)


def suggest_view(glossary: Glossary, name: str = "") -> dict[str, Any]:
    """The suggestion form: name, definition, other names, category, a source link."""
    options = [
        Option(value=c.id, text=PlainTextObject(text=fit(c.name, MAX_OPTION_TEXT)))
        for c in glossary.categories[:MAX_SELECT_OPTIONS]
    ]

    def text_input(**extra: Any) -> PlainTextInputElement:
        return PlainTextInputElement(action_id="value", **extra)

    blocks: list[Block] = [
        InputBlock(
            block_id=SUGGEST_NAME,
            label="Term",
            hint="As people write it, e.g. Mixture of Experts",
            element=text_input(
                max_length=150, initial_value=fit(" ".join(name.split()), 150) or None
            ),
        ),
        InputBlock(
            block_id=SUGGEST_DEFINITION,
            label="What it means",
            hint="One to three plain sentences, in your own words, for an engineer new to it.",
            element=text_input(multiline=True, min_length=20, max_length=700),
        ),
        InputBlock(
            block_id=SUGGEST_ALIASES,
            label="Other names",
            hint="Acronyms, expansions, other spellings, separated by commas: MoE, sparse experts",
            optional=True,
            element=text_input(max_length=500),
        ),
    ]
    if options:
        blocks.append(
            InputBlock(
                block_id=SUGGEST_CATEGORY,
                label="Category",
                element=StaticSelectElement(
                    action_id="value", options=options, initial_option=options[0]
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=SUGGEST_LINK,
            label="Source",
            hint="A paper or the official documentation that defines it.",
            optional=True,
            element=UrlInputElement(action_id="value"),
        )
    )
    return View(
        type="modal",
        callback_id=SUGGEST_CALLBACK,
        title=PlainTextObject(text="Suggest a term"),
        submit=PlainTextObject(text="Send to admins"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
    ).to_dict()


def thanks_view(name: str) -> dict[str, Any]:
    """The form, once sent: thanks, and what happens next."""
    return View(
        type="modal",
        title=PlainTextObject(text="Thank you!"),
        close=PlainTextObject(text="Done"),
        blocks=[
            _section(
                f"Your suggestion *{escape(fit(name, 150))}* is with the glossary admins. "
                "Once they add it, `/lingo` will know it."
            )
        ],
    ).to_dict()


def suggestion_message(draft: TermDraft, user_id: str) -> Message:
    """For the admins: who suggested what, and the file to commit."""
    path = f"glossary/terms/{draft.id}.yaml"
    who = f"<@{user_id}>" if re.fullmatch(r"[UW][A-Z0-9]+", user_id) else "Someone"
    head = (
        f":bulb: {who} suggests a new term: *{escape(draft.name)}*. "
        f"To add it, save this as `{path}` and open a pull request:"
    )
    blocks: list[Block] = [_section(head), *_code_sections(term_yaml(draft))]
    return _message(f"Term suggestion: {escape(draft.name)} ({path})", blocks)
