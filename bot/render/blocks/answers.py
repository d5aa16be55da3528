"""The answers to /lingo: lookups, "did you mean", misses, help, lists, search, the shortcut."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
)

from bot.glossary.model import Category, Glossary, Link, Term
from bot.lookup.answers import Answer, Help, Listing, Lookup, SearchResults, TermOfTheDay
from bot.lookup.ranking import Snippet
from bot.lookup.resolver import Resolution, Suggestion
from bot.render.blocks.card import term_message
from bot.render.blocks.kit import (
    MAX_LISTED_TERMS,
    MAX_MENTIONED_TERMS,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    SHOW_TERM,
    Message,
    button_element,
    context_block,
    echo,
    escape,
    fit,
    header_block,
    link_text,
    message_of,
    section_block,
    short_definition,
    term_line,
)

SUGGEST_TERM = "suggest_term"
"""The action of the button that opens ``/lingo suggest`` with the query as the new name."""
MAX_SUGGESTED_NAME = 150  # the suggest form's name field takes at most this much

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
    """An ambiguous query or a description: ranked "Did you mean" choices, each with its
    short definition and what matched; then the button to suggest a new term."""
    query = echo(resolution.query)
    blocks: list[Block] = [
        section_block(f"“{query}” could mean more than one term.{cut_note} Did you mean:")
    ]
    blocks += _suggestion_blocks(resolution.suggestions, glossary)
    blocks.append(_suggest_new(resolution.query, "None of these?"))
    names = ", ".join(escape(s.name) for s in resolution.suggestions)
    return message_of(f"“{query}” could mean: {names}", blocks)


def miss_message(
    resolution: Resolution, glossary: Glossary, contributing_url: str, cut_note: str = ""
) -> Message:
    """A miss: the closest names, the terms whose entries mention the words, and how to
    suggest the term (a button that opens the form with the query as its name)."""
    query = echo(resolution.query)
    if not query:
        blocks: list[Block] = [
            section_block("Type a term after `/lingo`, for example `/lingo quantization`.")
        ]
        return message_of("Type a term after /lingo.", [*blocks, _propose(contributing_url)])
    blocks = [section_block(f"I don't know “{query}” yet.{cut_note}")]
    if resolution.suggestions:
        blocks.append(section_block(CLOSEST))
        blocks += _suggestion_blocks(resolution.suggestions, glossary)
    if resolution.mentioned:
        blocks.append(section_block(MENTIONED))
        blocks += _suggestion_blocks(
            resolution.mentioned, glossary, start=len(resolution.suggestions)
        )
    blocks.append(_suggest_new(resolution.query, "Is it missing?"))
    blocks.append(_propose(contributing_url))
    text = f"I don't know “{query}” yet."
    if resolution.suggestions:
        text += " Closest: " + ", ".join(escape(s.name) for s in resolution.suggestions) + "."
    if resolution.mentioned:
        text += " Mentioned in: " + ", ".join(escape(s.name) for s in resolution.mentioned) + "."
    return message_of(text, blocks)


CLOSEST = "The closest terms I know:"
MENTIONED = "Mentioned in:"


def propose_mrkdwn(contributing_url: str, label: str = "Propose it") -> str:
    """How to propose a term: the contributing page when one is set (LINGO_CONTRIBUTING_URL),
    else the suggestion form every workspace has."""
    if contributing_url:
        return link_text(Link(label, contributing_url))
    return f"{label} with `/lingo suggest`"


def _propose(contributing_url: str) -> ContextBlock:
    return context_block(
        f"Missing a term? {propose_mrkdwn(contributing_url)}. "
        "`/lingo search &lt;words&gt;` finds terms by what they mean."
    )


def _suggest_new(query: str, lead: str) -> ActionsBlock:
    """A button that opens `/lingo suggest` with ``query`` as the new term's name.

    The value carries the query escaped like any text Slack sends (the listener decodes it
    with :func:`bot.lookup.normalize.clean`), so no raw mention markup is ever in a message.
    """
    name = escape(" ".join(query.split())[:MAX_SUGGESTED_NAME])
    return ActionsBlock(
        elements=[button_element(f"{lead} Suggest it as a new term", SUGGEST_TERM, name)]
    )


def matched_text(snippet: Snippet) -> str:
    """The phrase that matched, escaped, with the matching words in bold."""
    text = "".join(f"*{escape(t)}*" if hit else escape(t) for t, hit in snippet.pieces())
    return " ".join(text.split())


def _why(snippet: Snippet | None, name: str) -> str:
    """What matched, as a line under a choice; nothing when it is the name shown."""
    if snippet is None or not snippet.worth_showing(name):
        return ""
    return f"\n_{snippet.label}:_ “{matched_text(snippet)}”"


def _suggestion_blocks(
    suggestions: Sequence[Suggestion], glossary: Glossary, start: int = 0
) -> list[Block]:
    """Each suggested term with its first sentence, what matched, and a button to show it."""

    def line(suggestion: Suggestion, number: int) -> Block:
        term = glossary.terms.get(suggestion.id)
        text = f"*{escape(suggestion.name)}*"
        if term is not None:
            text += f" — {short_definition(term)}"
        text += _why(suggestion.matched, suggestion.name)
        button = button_element(suggestion.name, f"{SHOW_TERM}_{number}", suggestion.id)
        return section_block(fit(text, MAX_SECTION_TEXT), accessory=button)

    return [line(s, start + i) for i, s in enumerate(suggestions)]


def help_message(usage: Help) -> Message:
    """Usage with examples."""
    commands = "\n".join(f"• {escape(c)}" for c in usage.commands)
    examples = "\n".join(f"• `{escape(e)}`" for e in usage.examples)
    blocks: list[Block] = [
        header_block("LLM Lingo"),
        section_block(
            f"I explain the vocabulary of large language models: {usage.term_count} terms. "
            "Type `/lingo` and a term; typos, plurals and British spellings are fine. "
            "Answers are visible only to you until you share them."
        ),
        section_block(f"*Commands*\n{commands}"),
        section_block(f"*Examples*\n{examples}"),
        context_block(
            "On any message: *⋯ More actions → Explain LLM jargon* lists the terms it uses."
        ),
    ]
    return message_of(f"LLM Lingo knows {usage.term_count} terms. Try /lingo quantization", blocks)


def listing_message(listing: Listing) -> Message:
    """Browse: every category with its terms, or one category with its terms as buttons."""
    if listing.unknown_category is not None or len(listing.categories) != 1:
        blocks: list[Block] = []
        if listing.unknown_category is not None:
            blocks.append(
                section_block(
                    f"There is no category “{echo(listing.unknown_category)}”. The categories are:"
                )
            )
        else:
            blocks.append(header_block("The glossary by category"))
        room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
        for category, terms in listing.categories[:room]:
            blocks.append(section_block(category_text(category, terms)))
        blocks.append(
            context_block(
                "`/lingo list &lt;category&gt;` shows one category, `/lingo &lt;term&gt;` a term."
            )
        )
        count = sum(len(terms) for _, terms in listing.categories)
        return message_of(
            f"The glossary: {count} terms in {len(listing.categories)} categories", blocks
        )

    category, terms = listing.categories[0]
    blocks = [header_block(category.name)]
    if category.description:
        blocks.append(context_block(escape(category.description)))
    blocks += [term_line(term, "Show", i) for i, term in enumerate(terms[:MAX_LISTED_TERMS])]
    rest = terms[MAX_LISTED_TERMS:]
    if rest:
        names = ", ".join(escape(t.name) for t in rest)
        blocks.append(section_block(f"And {len(rest)} more: {names}"))
    if not terms:
        blocks.append(section_block("No terms in this category yet."))
    return message_of(f"{escape(category.name)}: {len(terms)} terms", blocks)


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
    """Ranked search matches, each with what matched (its words in bold) and a button that
    shows the term; or what to try instead."""
    words = escape(results.words)
    if not results.hits:
        blocks: list[Block] = [
            section_block(f"Nothing in the glossary mentions “{words}”."),
            context_block(
                "Try other words, `/lingo list` to browse, or "
                f"{propose_mrkdwn(contributing_url, 'propose a term')}."
            ),
        ]
        return message_of(f"Nothing in the glossary mentions “{words}”.", blocks)
    blocks = [section_block(f"Terms matching “{words}”:")]
    for number, hit in enumerate(results.hits[:MAX_LISTED_TERMS]):
        text = f"*{escape(hit.term.name)}* — {short_definition(hit.term)}{_why(hit.matched, hit.term.name)}"
        button = button_element("Show", f"{SHOW_TERM}_{number}", hit.term.id)
        blocks.append(section_block(fit(text, MAX_SECTION_TEXT), accessory=button))
    names = ", ".join(escape(h.term.name) for h in results.hits)
    return message_of(f"Terms matching “{words}”: {names}", blocks)


# -- the message shortcut, errors ---------------------------------------------------------------


def mentions_message(terms: Sequence[Term]) -> Message:
    """The glossary terms a message mentions, each with its short definition and a button."""
    if not terms:
        text = "I found no glossary terms in that message."
        hint = "Try `/lingo search` with a word from it, or `/lingo list` to browse."
        return message_of(text, [section_block(text), context_block(hint)])
    count = f"{len(terms)} term{'s' if len(terms) != 1 else ''}"
    blocks: list[Block] = [section_block(f"*LLM jargon in that message* ({count})")]
    blocks += [term_line(term, "More", i) for i, term in enumerate(terms[:MAX_MENTIONED_TERMS])]
    rest = terms[MAX_MENTIONED_TERMS:]
    if rest:
        blocks.append(
            section_block(f"And {len(rest)} more: " + ", ".join(escape(t.name) for t in rest))
        )
    names = ", ".join(escape(t.name) for t in terms)
    return message_of(f"LLM jargon in that message: {names}", blocks)


def notice_message(text: str) -> Message:
    """A short message for a known reason a request did not proceed (a UserError)."""
    return message_of(escape(text), [section_block(escape(text))])


def apology_message(error_id: str) -> Message:
    """What a person sees after an unexpected error: a short apology and the error id."""
    text = (
        f"Sorry, something went wrong on my side. If it keeps happening, tell whoever runs "
        f"LLM Lingo and give them the error id `{escape(error_id)}`."
    )
    return message_of(text, [section_block(text)])
