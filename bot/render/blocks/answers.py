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
from bot.lookup.commands import COMMANDS
from bot.lookup.hangul import has_hangul
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
from bot.render.i18n import message
from bot.render.i18n.terms import category_description, category_name, term_name

SUGGEST_TERM = "suggest_term"
"""The action of the button that opens ``/lingo suggest`` with the query as the new name."""
MAX_SUGGESTED_NAME = 150  # the suggest form's name field takes at most this much

# -- answers -------------------------------------------------------------------------------


def answer_message(
    answer: Answer, glossary: Glossary, *, contributing_url: str, lang: str = "en"
) -> Message:
    """Any answer of :func:`bot.lookup.answers.answer` as a message, in ``lang``."""
    if isinstance(answer, Lookup):
        return lookup_message(answer, glossary, lang)
    if isinstance(answer, Help):
        return help_message(answer, lang)
    if isinstance(answer, Listing):
        return listing_message(answer, lang)
    if isinstance(answer, SearchResults):
        return search_message(answer, contributing_url=contributing_url, lang=lang)
    if isinstance(answer, TermOfTheDay):
        heading = escape(message(lang, f"heading.{answer.kind}"))
        return term_message(answer.term, glossary, note=f"*{heading}*", lang=lang)
    raise TypeError(f"no Block Kit form for {type(answer).__name__}")


def lookup_message(lookup: Lookup, glossary: Glossary, lang: str = "en") -> Message:
    """A lookup: the card, the "did you mean" choices, or the miss.

    A question asked in Korean gets the Korean name on an English card too."""
    resolution = lookup.resolution
    cut_note = message(lang, "lookup.cut") if lookup.truncated else ""
    if resolution.term is not None:
        note = None
        if resolution.status == "fuzzy":
            name = escape(term_name(resolution.term, lang))
            note = message(
                lang, "lookup.showing", name=name, query=echo(resolution.query), cut=cut_note
            )
        elif cut_note:
            note = message(lang, "lookup.cut_alone")
        return term_message(
            resolution.term,
            glossary,
            note=note,
            lang=lang,
            other_name=has_hangul(resolution.query),
        )
    if resolution.status == "ambiguous":
        return choices_message(resolution, glossary, cut_note, lang)
    return miss_message(resolution, glossary, lookup.contributing_url, cut_note, lang)


def choices_message(
    resolution: Resolution, glossary: Glossary, cut_note: str = "", lang: str = "en"
) -> Message:
    """An ambiguous query or a description: ranked "Did you mean" choices, each with its
    short definition and what matched; then the button to suggest a new term."""
    query = echo(resolution.query)
    blocks: list[Block] = [section_block(message(lang, "choices.head", query=query, cut=cut_note))]
    blocks += _suggestion_blocks(resolution.suggestions, glossary, lang)
    blocks.append(_suggest_new(resolution.query, message(lang, "suggest.none_of_these")))
    names = ", ".join(escape(_suggested_name(s, glossary, lang)) for s in resolution.suggestions)
    return message_of(message(lang, "choices.fallback", query=query, names=names), blocks)


def miss_message(
    resolution: Resolution,
    glossary: Glossary,
    contributing_url: str,
    cut_note: str = "",
    lang: str = "en",
) -> Message:
    """A miss: the closest names, the terms whose entries mention the words, and how to
    suggest the term (a button that opens the form with the query as its name)."""
    query = echo(resolution.query)
    if not query:
        blocks: list[Block] = [section_block(message(lang, "miss.empty"))]
        return message_of(
            message(lang, "miss.empty_fallback"), [*blocks, _propose(contributing_url, lang)]
        )
    blocks = [section_block(message(lang, "miss.head", query=query, cut=cut_note))]
    if resolution.suggestions:
        blocks.append(section_block(message(lang, "miss.closest")))
        blocks += _suggestion_blocks(resolution.suggestions, glossary, lang)
    if resolution.mentioned:
        blocks.append(section_block(message(lang, "miss.mentioned")))
        blocks += _suggestion_blocks(
            resolution.mentioned, glossary, lang, start=len(resolution.suggestions)
        )
    blocks.append(_suggest_new(resolution.query, message(lang, "suggest.missing")))
    blocks.append(_propose(contributing_url, lang))
    text = message(lang, "miss.head", query=query, cut="")
    if resolution.suggestions:
        names = ", ".join(
            escape(_suggested_name(s, glossary, lang)) for s in resolution.suggestions
        )
        text += message(lang, "miss.fallback_closest", names=names)
    if resolution.mentioned:
        names = ", ".join(escape(_suggested_name(s, glossary, lang)) for s in resolution.mentioned)
        text += message(lang, "miss.fallback_mentioned", names=names)
    return message_of(text, blocks)


CLOSEST = message("en", "miss.closest")
MENTIONED = message("en", "miss.mentioned")


def propose_mrkdwn(contributing_url: str, label: str = "", lang: str = "en") -> str:
    """How to propose a term: the contributing page when one is set (LINGO_CONTRIBUTING_URL),
    else the suggestion form every workspace has."""
    label = label or message(lang, "miss.propose_link")
    if contributing_url:
        return link_text(Link(label, contributing_url))
    return message(lang, "propose.suggest", label=label)


def _propose(contributing_url: str, lang: str = "en") -> ContextBlock:
    return context_block(
        message(lang, "miss.propose", link=propose_mrkdwn(contributing_url, lang=lang))
    )


def _suggest_new(query: str, label: str) -> ActionsBlock:
    """A button that opens `/lingo suggest` with ``query`` as the new term's name.

    The value carries the query escaped like any text Slack sends (the listener decodes it
    with :func:`bot.lookup.normalize.clean`), so no raw mention markup is ever in a message.
    """
    name = escape(" ".join(query.split())[:MAX_SUGGESTED_NAME])
    return ActionsBlock(elements=[button_element(label, SUGGEST_TERM, name)])


def matched_text(snippet: Snippet) -> str:
    """The phrase that matched, escaped, with the matching words in bold."""
    text = "".join(f"*{escape(t)}*" if hit else escape(t) for t, hit in snippet.pieces())
    return " ".join(text.split())


def _why(snippet: Snippet | None, name: str, lang: str = "en") -> str:
    """What matched, as a line under a choice; nothing when it is the name shown."""
    if snippet is None or not snippet.worth_showing(name):
        return ""
    return f"\n_{message(lang, f'match.{snippet.field}')}:_ “{matched_text(snippet)}”"


def _suggested_name(suggestion: Suggestion, glossary: Glossary, lang: str) -> str:
    term = glossary.terms.get(suggestion.id)
    return term_name(term, lang) if term is not None else suggestion.name


def _suggestion_blocks(
    suggestions: Sequence[Suggestion], glossary: Glossary, lang: str = "en", start: int = 0
) -> list[Block]:
    """Each suggested term with its first sentence, what matched, and a button to show it."""

    def line(suggestion: Suggestion, number: int) -> Block:
        term = glossary.terms.get(suggestion.id)
        name = _suggested_name(suggestion, glossary, lang)
        text = f"*{escape(name)}*"
        if term is not None:
            text += f" — {short_definition(term, lang=lang)}"
        text += _why(suggestion.matched, name, lang)
        button = button_element(name, f"{SHOW_TERM}_{number}", suggestion.id)
        return section_block(fit(text, MAX_SECTION_TEXT), accessory=button)

    return [line(s, start + i) for i, s in enumerate(suggestions)]


_COMMAND_OF_LINE = {line: word for word, line in COMMANDS.items()}


def help_message(usage: Help, lang: str = "en") -> Message:
    """Usage with examples."""
    lines = [
        message(lang, f"command.{_COMMAND_OF_LINE[c]}") if c in _COMMAND_OF_LINE else c
        for c in usage.commands
    ]
    commands = "\n".join(f"• {escape(c)}" for c in lines)
    examples = "\n".join(f"• `{escape(e)}`" for e in usage.examples)
    blocks: list[Block] = [
        header_block("LLM Lingo"),
        section_block(message(lang, "help.intro", count=usage.term_count)),
        section_block(f"*{message(lang, 'help.commands')}*\n{commands}"),
        section_block(f"*{message(lang, 'help.examples')}*\n{examples}"),
        context_block(message(lang, "help.shortcut")),
    ]
    return message_of(message(lang, "help.fallback", count=usage.term_count), blocks)


def listing_message(listing: Listing, lang: str = "en") -> Message:
    """Browse: every category with its terms, or one category with its terms as buttons."""
    if listing.unknown_category is not None or len(listing.categories) != 1:
        blocks: list[Block] = []
        if listing.unknown_category is not None:
            blocks.append(
                section_block(message(lang, "listing.unknown", name=echo(listing.unknown_category)))
            )
        else:
            blocks.append(header_block(message(lang, "listing.header")))
        room = MAX_MESSAGE_BLOCKS - len(blocks) - 1
        for category, terms in listing.categories[:room]:
            blocks.append(section_block(category_text(category, terms, lang)))
        blocks.append(context_block(message(lang, "listing.hint")))
        count = sum(len(terms) for _, terms in listing.categories)
        text = message(lang, "listing.fallback", count=count, categories=len(listing.categories))
        return message_of(text, blocks)

    category, terms = listing.categories[0]
    blocks = [header_block(category_name(category, lang))]
    description = category_description(category, lang)
    if description:
        blocks.append(context_block(escape(description)))
    show = message(lang, "button.show")
    blocks += [
        term_line(term, show, i, lang=lang) for i, term in enumerate(terms[:MAX_LISTED_TERMS])
    ]
    rest = terms[MAX_LISTED_TERMS:]
    if rest:
        names = ", ".join(escape(term_name(t, lang)) for t in rest)
        blocks.append(section_block(message(lang, "listing.more", count=len(rest), names=names)))
    if not terms:
        blocks.append(section_block(message(lang, "listing.empty")))
    name = escape(category_name(category, lang))
    return message_of(
        message(lang, "listing.category_fallback", name=name, count=len(terms)), blocks
    )


def category_text(category: Category, terms: Sequence[Term], lang: str = "en") -> str:
    """One category as a line of names, cut to fit a section with a note of what is left."""
    head = f"*{escape(category_name(category, lang))}* ({len(terms)})"
    description = category_description(category, lang)
    if description:
        head += f" — {escape(description)}"
    names = [escape(term_name(t, lang)) for t in terms]
    text = head + "\n" + " · ".join(names)
    if len(text) <= MAX_SECTION_TEXT:
        return text
    shown: list[str] = []
    budget = MAX_SECTION_TEXT - len(head) - 60
    for name in names:
        if sum(len(n) + 3 for n in shown) + len(name) > budget:
            break
        shown.append(name)
    more = message(
        lang, "listing.more_in_category", count=len(names) - len(shown), id=escape(category.id)
    )
    return head + "\n" + " · ".join(shown) + more


def search_message(results: SearchResults, *, contributing_url: str, lang: str = "en") -> Message:
    """Ranked search matches, each with what matched (its words in bold) and a button that
    shows the term; or what to try instead."""
    words = escape(results.words)
    if not results.hits:
        link = propose_mrkdwn(contributing_url, message(lang, "search.propose_link"), lang)
        blocks: list[Block] = [
            section_block(message(lang, "search.none", words=words)),
            context_block(message(lang, "search.none_hint", link=link)),
        ]
        return message_of(message(lang, "search.none", words=words), blocks)
    blocks = [section_block(message(lang, "search.head", words=words))]
    show = message(lang, "button.show")
    for number, hit in enumerate(results.hits[:MAX_LISTED_TERMS]):
        name = term_name(hit.term, lang)
        text = (
            f"*{escape(name)}* — {short_definition(hit.term, lang=lang)}"
            f"{_why(hit.matched, name, lang)}"
        )
        button = button_element(show, f"{SHOW_TERM}_{number}", hit.term.id)
        blocks.append(section_block(fit(text, MAX_SECTION_TEXT), accessory=button))
    names = ", ".join(escape(term_name(h.term, lang)) for h in results.hits)
    return message_of(message(lang, "search.fallback", words=words, names=names), blocks)


# -- the message shortcut, errors ---------------------------------------------------------------


def mentions_message(terms: Sequence[Term], lang: str = "en") -> Message:
    """The glossary terms a message mentions, each with its short definition and a button."""
    if not terms:
        text = message(lang, "mentions.none")
        hint = message(lang, "mentions.none_hint")
        return message_of(text, [section_block(text), context_block(hint)])
    count = (
        message(lang, "mentions.count_one")
        if len(terms) == 1
        else message(lang, "mentions.count_many", count=len(terms))
    )
    blocks: list[Block] = [section_block(message(lang, "mentions.head", count=count))]
    more = message(lang, "button.more")
    blocks += [
        term_line(term, more, i, lang=lang) for i, term in enumerate(terms[:MAX_MENTIONED_TERMS])
    ]
    rest = terms[MAX_MENTIONED_TERMS:]
    if rest:
        names = ", ".join(escape(term_name(t, lang)) for t in rest)
        blocks.append(section_block(message(lang, "listing.more", count=len(rest), names=names)))
    names = ", ".join(escape(term_name(t, lang)) for t in terms)
    return message_of(message(lang, "mentions.fallback", names=names), blocks)


def notice_message(text: str) -> Message:
    """A short message for a known reason a request did not proceed (a UserError)."""
    return message_of(escape(text), [section_block(escape(text))])


def apology_message(error_id: str, lang: str = "en") -> Message:
    """What a person sees after an unexpected error: a short apology and the error id."""
    text = message(lang, "apology", error_id=escape(error_id))
    return message_of(text, [section_block(text)])
