"""Answers as terminal text: for `lingo ask`, the offline console and `lingo daily preview`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import wcwidth

from bot.admin.stats import JUNK_CHARS, OUTCOMES, LearningStats, LookupStats
from bot.glossary.model import Digest, DigestItem, Glossary, Term
from bot.learning.quiz import Question, Verdict
from bot.lookup.answers import Answer, Help, Listing, Lookup, SearchResults, TermOfTheDay
from bot.lookup.commands import COMMANDS
from bot.lookup.hangul import has_hangul
from bot.lookup.ranking import Snippet
from bot.lookup.resolver import Resolution, Suggestion
from bot.render.i18n import long_date, message
from bot.render.i18n.terms import (
    category_name,
    definition,
    digest_text,
    series_count,
    series_title,
    term_name,
    term_view,
)

FALLBACK_WIDTH = 88  # when the output is not a terminal (a pipe, a file)
NBSP = "\u00a0"
_MRKDWN = re.compile(r"(?<!\w)[*_~](?=\S)(.+?)(?<=\S)[*_~](?!\w)")


def terminal_width() -> int:
    """The width of the terminal showing the text now (COLUMNS wins), else 88."""
    return max(20, shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns)


def plain(text: str) -> str:
    """Slack mrkdwn without its markup: *bold* → bold, `code` stays as it is."""
    return _MRKDWN.sub(r"\1", text)


def columns(text: str) -> int:
    """The columns ``text`` takes in a terminal: Hangul and other wide characters take two,
    combining marks and conjoining jamo none, an emoji sequence two (wcwidth)."""
    return wcwidth.width(text)


def fill(
    text: str, width: int, indent: str = "", hanging: str | None = None, *, breaks: bool = False
) -> str:
    """One paragraph filled to ``width`` columns (display width, not characters); broken at
    a hyphen or inside a too-long word only with ``breaks``."""
    return "\n".join(
        wcwidth.wrap(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=indent if hanging is None else hanging,
            break_on_hyphens=breaks,
            break_long_words=breaks,
        )
    )


def _wrap(text: str, indent: str = "  ", hanging: str | None = None) -> str:
    """Paragraphs filled to the terminal's width; never broken at a hyphen or inside a word."""
    width = terminal_width()
    return "\n".join(
        fill(p, width, indent, hanging).replace(NBSP, " ")
        for p in plain(text).split("\n")
        if p.strip()
    )


def paragraphs(text: str) -> str:
    """Plain text, each line a paragraph filled to the terminal's width."""
    return _wrap(text, "")


def _names(names: Iterable[str]) -> str:
    """Names joined for _wrap, each kept whole on one line ("Mixture of Experts")."""
    return ", ".join(plain(n).replace(" ", NBSP) for n in names)


def _rule(name: str) -> str:
    return "=" * min(columns(name), terminal_width())


def names_in(glossary: Glossary, lang: str = "en") -> tuple[dict[str, str], dict[str, str]]:
    """Term and category names by id, in ``lang``: what the functions below show for ids."""
    names = {t.id: term_name(t, lang) for t in glossary.terms.values()}
    categories = {c.id: category_name(c, lang) for c in glossary.categories}
    return names, categories


def term_text(
    term: Term,
    names: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
    *,
    lang: str = "en",
    other_name: bool = False,
) -> str:
    """A term as a person likes to read it in a terminal, in ``lang`` (see the Slack card)."""
    view = term_view(term, lang, other_name=other_name)
    lines = [view.name, _rule(view.name)]
    if view.other_name:
        lines.append(_wrap(message(lang, "card.other_name", name=view.other_name), ""))
    lines.append(_wrap(view.definition, ""))
    if view.details:
        lines += ["", _wrap(view.details, "")]
    if term.examples:
        lines += ["", message(lang, "card.examples") + ":"]
        lines += [_wrap(f"- {e}") for e in term.examples]
    lines.append("")
    if view.aliases:
        lines.append(_wrap(message(lang, "card.also_called", names=_names(view.aliases)), ""))
    category = (categories or {}).get(term.category, term.category)
    lines.append(_wrap(message(lang, "card.category", name=category), ""))
    if term.related:
        shown = [(names or {}).get(r, r) for r in term.related]
        lines.append(_wrap(message(lang, "card.related", names=_names(shown)), ""))
    for link in term.links:
        lines.append(f"{message(lang, 'card.source')}{link.title} <{link.url}>")
    if view.untranslated:
        fields = ", ".join(message(lang, f"field.{f}") for f in view.untranslated)
        lines.append(_wrap(message(lang, "card.untranslated", fields=fields), ""))
    return "\n".join(lines)


def resolution_text(
    resolution: Resolution,
    names: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
    *,
    lang: str = "en",
) -> str:
    """A resolution: the term (saying what matched if fuzzy), or the choices."""
    names = names or {}
    if resolution.term is not None:
        head = ""
        if resolution.status == "fuzzy":
            name = names.get(resolution.term.id, resolution.term.name)
            head = message(lang, "text.showing", name=name, query=resolution.query) + "\n\n"
        card = term_text(
            resolution.term,
            names,
            categories,
            lang=lang,
            other_name=has_hangul(resolution.query),
        )
        return head + card
    if resolution.status == "ambiguous":
        return (
            message(lang, "text.several", query=resolution.query)
            + "\n"
            + _choice_lines(resolution.suggestions, names, lang)
            + "\n\n"
            + suggest_line(resolution.query, message(lang, "suggest.none_of_these"))
        )
    if not resolution.query:
        return message(lang, "text.empty")
    lines = [message(lang, "text.no_match", query=resolution.query)]
    if resolution.suggestions:
        lines += [
            message(lang, "text.closest_names"),
            _choice_lines(resolution.suggestions, names, lang),
        ]
    if resolution.mentioned:
        lines += [message(lang, "miss.mentioned"), _choice_lines(resolution.mentioned, names, lang)]
    lines += ["", suggest_line(resolution.query, message(lang, "suggest.missing"))]
    return "\n".join(lines)


def suggest_line(query: str, label: str) -> str:
    """How to suggest the query as a new term, the terminal's form of the Slack button."""
    return f"{label}: /lingo suggest {' '.join(query.split())}"


def _choice_lines(
    suggestions: Sequence[Suggestion], names: Mapping[str, str], lang: str = "en"
) -> str:
    lines = []
    for s in suggestions:
        name = names.get(s.id, s.name)
        lines.append(f"  - {name}  [{s.id}]")
        lines += _why(s.matched, name, lang)
    return "\n".join(lines)


def _why(snippet: Snippet | None, name: str, lang: str = "en") -> list[str]:
    """What matched, the matching words marked *like this*; nothing if it is the name shown."""
    if snippet is None or not snippet.worth_showing(name):
        return []
    text = "".join(f"*{t}*" if hit else t for t, hit in snippet.pieces(160))
    line = f"{message(lang, f'match.{snippet.field}')}: “{' '.join(text.split())}”"
    return [fill(line, terminal_width(), "      ", "        ", breaks=True)]


def answer_text(
    answer: Answer,
    names: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
    *,
    lang: str = "en",
) -> str:
    """Any answer as text."""
    names = names or {}
    if isinstance(answer, Lookup):
        text = resolution_text(answer.resolution, names, categories, lang=lang)
        if answer.resolution.term is None:
            how = answer.contributing_url or "/lingo suggest"
            text += "\n\n" + message(lang, "text.propose", url=how)
        return text
    if isinstance(answer, Help):
        words = {line: word for word, line in COMMANDS.items()}
        lines = [message(lang, "text.help_intro", count=answer.term_count)]
        for line in answer.commands:
            shown = message(lang, f"command.{words[line]}") if line in words else line
            lines.append(f"  {plain(shown).replace('/lingo ', '')}")
        examples = ", ".join(e.replace("/lingo ", "") for e in answer.examples)
        lines += ["", message(lang, "text.examples", examples=examples)]
        return "\n".join(lines).replace("`", "")
    if isinstance(answer, Listing):
        lines = []
        if answer.unknown_category:
            lines += [message(lang, "text.no_category", name=answer.unknown_category), ""]
        for category, terms in answer.categories:
            name = category_name(category, lang)
            lines.append(
                message(lang, "text.category_line", name=name, id=category.id, count=len(terms))
            )
            if not answer.unknown_category:
                lines.append(_wrap(_names(names.get(t.id, t.name) for t in terms)))
        return "\n".join(lines)
    if isinstance(answer, SearchResults):
        if not answer.hits:
            return message(lang, "search.none", words=answer.words)
        lines = [message(lang, "search.head", words=answer.words)]
        for hit in answer.hits:
            head = (
                f"{_names([names.get(hit.term.id, hit.term.name)])}: "
                f"{_first_sentence(definition(hit.term, lang))}"
            )
            lines.append(_wrap(head, "  - ", "    "))
            lines += _why(hit.matched, names.get(hit.term.id, hit.term.name), lang)
        return "\n".join(lines)
    if isinstance(answer, TermOfTheDay):
        heading = message(lang, f"heading.{answer.kind}")
        return f"{heading}:\n\n{term_text(answer.term, names, categories, lang=lang)}"
    raise TypeError(f"no text form for {type(answer).__name__}")


def _first_sentence(text: str) -> str:
    text = plain(text)
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()] if match else text


# -- the term of the day (bot.daily) -------------------------------------------------------------


def daily_post_text(
    term: Term,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    names: dict[str, str] | None = None,
    *,
    day: date | None = None,
    lang: str = "en",
) -> str:
    """The daily post as text, for `lingo daily preview`: the term's card, then the digest item."""
    names = names or {}
    view = term_view(term, lang)
    head = message(lang, "daily.heading") + (f" · {long_date(lang, day)}" if day else "")
    lines = [head, "", view.name, _rule(view.name)]
    if view.other_name:
        lines.append(_wrap(message(lang, "card.other_name", name=view.other_name), ""))
    lines.append(_wrap(view.definition, ""))
    if term.related:
        related = _names(names.get(r, r) for r in term.related)
        lines += ["", _wrap(message(lang, "card.related", names=related), "")]
    for link in term.links:
        lines.append(f"{message(lang, 'card.source')}{link.title} <{link.url}>")
    if item is not None:
        title, body, _ = digest_text(item, lang)
        series = ""
        if digest is not None:
            count = series_count(digest, item, lang)
            series = f"{series_title(digest, lang)}{count}"
        lines += ["", "-" * min(terminal_width(), max(columns(series), 20))]
        if series:
            lines.append(series)
        lines += [title, "", _wrap(body, "  "), ""]
        lines.append(f"{message(lang, 'card.source')}{item.source.title} <{item.source.url}>")
        if item.terms:
            touched = _names(names.get(t, t) for t in item.terms)
            lines.append(_wrap(message(lang, "daily.terms", names=touched), ""))
    return "\n".join(lines)


def stats_text(stats: LookupStats, names: Mapping[str, str], limit: int = 10) -> str:
    """The counts as terminal text, for `lingo stats`."""
    lines = [f"Lookups since {stats.since:%Y-%m-%d %H:%M} UTC: {stats.total}"]
    if stats.total:
        lines.append("  " + " · ".join(f"{o} {stats.by_outcome.get(o, 0)}" for o in OUTCOMES))
    lines += ["", "Top terms:"]
    lines += [f"  {n:>5}  {names.get(term_id, term_id)}" for term_id, n in stats.top_terms[:limit]]
    if not stats.top_terms:
        lines.append("  (none yet)")
    lines += ["", "Top misses (looked for, not in the glossary):"]
    lines += [f"  {n:>5}  {query}" for query, n in stats.top_misses[:limit]]
    if not stats.top_misses:
        lines.append("  (none)")
    if stats.other_misses:
        lines.append(
            f"  {stats.other_misses:>5}  other (no letters, or over {JUNK_CHARS} characters)"
        )
    return "\n".join(lines)


# -- learning: the console quiz and the admins' learning stats ---------------------------------


def question_text(question: Question, lang: str = "en") -> str:
    """A quiz question for the terminal, its options numbered 1–4 (made in ``lang``)."""
    if question.kind == "which-term":
        head = f"{_terminal(message(lang, 'quiz.which_term'))}\n  {question.prompt}"
    else:
        head = _terminal(message(lang, "quiz.what_means", name=question.prompt))
    options = "\n".join(f"  {i + 1}. {o.text}" for i, o in enumerate(question.options))
    return f"{head}\n{options}"


def verdict_text(verdict: Verdict, lang: str = "en") -> str:
    """Right or wrong, the answer's definition, and how each other option differs."""
    term = verdict.term
    name = term_name(term, lang)
    if verdict.correct:
        head = message(lang, "quiz.right", name=name)
    elif verdict.chosen is not None:
        head = message(lang, "quiz.wrong", chosen=term_name(verdict.chosen, lang), name=name)
    else:
        head = message(lang, "quiz.wrong_none", name=name)
    lines = [_terminal(head), f"  {name}: {' '.join(definition(term, lang).split())}"]
    if verdict.differences:
        lines.append(_terminal(message(lang, "quiz.differs")) + ":")
        lines += [f"  - {term_name(t, lang)}: {line}" for t, line in verdict.differences]
    return "\n".join(lines)


def _terminal(mrkdwn: str) -> str:
    """A catalogue string for the terminal: no markup, no Slack emoji codes."""
    return plain(_EMOJI_CODE.sub("", mrkdwn))


_EMOJI_CODE = re.compile(r":[a-z0-9_+-]+:\s*")


def learning_stats_lines(
    stats: LearningStats, names: Mapping[str, str]
) -> list[tuple[str, list[str]]]:
    """The learning stats as titled groups of lines (Slack and terminal share them)."""

    def name(term_id: str) -> str:
        return names.get(term_id, term_id)

    rate = f"{round(100 * stats.right / stats.answers)}% right" if stats.answers else "no answers"
    people = "1 person" if stats.people == 1 else f"{stats.people} people"
    return [
        (
            f"Quiz answers: {people} answered {stats.answers} questions, {rate}",
            [
                f"{n:>5}  {name(t)}: {round(100 * r / n)}% right, {p} {'person' if p == 1 else 'people'}"
                for t, n, r, p in stats.per_term
            ],
        ),
        (
            "Most confused (asked → chosen instead)",
            [f"{n:>5}  {name(a)} → {name(c)}" for a, c, n in stats.confused],
        ),
        (
            "Was this clear? (yes / no)",
            [f"{y:>5} / {no:<3} {name(t)}" for t, y, no in stats.clarity],
        ),
        ("What was unclear", [f"  {name(t)}: “{c}”" for t, c in stats.comments]),
    ]


def learning_stats_text(stats: LearningStats, names: Mapping[str, str]) -> str:
    out = []
    for title, lines in learning_stats_lines(stats, names):
        out += ["", f"{title}:"] + (lines or ["  (none yet)"])
    return "\n".join(out)
