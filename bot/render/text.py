"""Answers as terminal text: for `lingo ask`, the offline console and `lingo daily preview`."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from bot.admin.stats import JUNK_CHARS, OUTCOMES, LearningStats, LookupStats
from bot.glossary.model import Digest, DigestItem, Term
from bot.learning.quiz import Question, Verdict
from bot.lookup.answers import Answer, Help, Listing, Lookup, SearchResults, TermOfTheDay
from bot.lookup.ranking import Snippet
from bot.lookup.resolver import Resolution, Suggestion

FALLBACK_WIDTH = 88  # when the output is not a terminal (a pipe, a file)
NBSP = "\u00a0"
_MRKDWN = re.compile(r"(?<!\w)[*_~](?=\S)(.+?)(?<=\S)[*_~](?!\w)")


def terminal_width() -> int:
    """The width of the terminal showing the text now (COLUMNS wins), else 88."""
    return max(20, shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns)


def plain(text: str) -> str:
    """Slack mrkdwn without its markup: *bold* → bold, `code` stays as it is."""
    return _MRKDWN.sub(r"\1", text)


def _wrap(text: str, indent: str = "  ", hanging: str | None = None) -> str:
    """Paragraphs filled to the terminal's width; never broken at a hyphen or inside a word."""
    width = terminal_width()
    return "\n".join(
        textwrap.fill(
            p,
            width,
            initial_indent=indent,
            subsequent_indent=indent if hanging is None else hanging,
            break_on_hyphens=False,
            break_long_words=False,
        ).replace(NBSP, " ")
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
    return "=" * min(len(name), terminal_width())


def term_text(
    term: Term, names: dict[str, str] | None = None, categories: dict[str, str] | None = None
) -> str:
    """A term as a person likes to read it in a terminal."""
    lines = [term.name, _rule(term.name), _wrap(term.definition, "")]
    if term.details:
        lines += ["", _wrap(term.details, "")]
    if term.examples:
        lines += ["", "Examples:"] + [_wrap(f"- {e}") for e in term.examples]
    lines.append("")
    if term.aliases:
        lines.append(_wrap(f"Also called: {_names(term.aliases)}", ""))
    lines.append(f"Category: {(categories or {}).get(term.category, term.category)}")
    if term.related:
        shown = [(names or {}).get(r, r) for r in term.related]
        lines.append(_wrap(f"Related: {_names(shown)}", ""))
    for link in term.links:
        lines.append(f"Source: {link.title} <{link.url}>")
    return "\n".join(lines)


def resolution_text(
    resolution: Resolution,
    names: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
) -> str:
    """A resolution: the term (saying what matched if fuzzy), or the choices."""
    if resolution.term is not None:
        head = ""
        if resolution.status == "fuzzy":
            head = f"(showing {resolution.term.name} for “{resolution.query}”)\n\n"
        return head + term_text(resolution.term, names, categories)
    if resolution.status == "ambiguous":
        choices = _choice_lines(resolution.suggestions)
        return (
            f"“{resolution.query}” could mean several terms. Did you mean:\n{choices}\n\n"
            f"{suggest_line(resolution.query, 'None of these?')}"
        )
    if not resolution.query:
        return "Type a term, for example: quantization"
    lines = [f"No term matches “{resolution.query}”."]
    if resolution.suggestions:
        lines += ["Closest names:", _choice_lines(resolution.suggestions)]
    if resolution.mentioned:
        lines += ["Mentioned in:", _choice_lines(resolution.mentioned)]
    lines += ["", suggest_line(resolution.query, "Is it missing?")]
    return "\n".join(lines)


def suggest_line(query: str, lead: str) -> str:
    """How to suggest the query as a new term, the terminal's form of the Slack button."""
    return f"{lead} Suggest it as a new term: /lingo suggest {' '.join(query.split())}"


def _choice_lines(suggestions: Sequence[Suggestion]) -> str:
    lines = []
    for s in suggestions:
        lines.append(f"  - {s.name}  [{s.id}]")
        lines += _why(s.matched, s.name)
    return "\n".join(lines)


def _why(snippet: Snippet | None, name: str) -> list[str]:
    """What matched, the matching words marked *like this*; nothing if it is the name shown."""
    if snippet is None or not snippet.worth_showing(name):
        return []
    text = "".join(f"*{t}*" if hit else t for t, hit in snippet.pieces(160))
    line = f"{snippet.label}: “{' '.join(text.split())}”"
    width = terminal_width()
    return [textwrap.fill(line, width, initial_indent="      ", subsequent_indent="        ")]


def answer_text(
    answer: Answer, names: dict[str, str] | None = None, categories: dict[str, str] | None = None
) -> str:
    """Any answer as text."""
    if isinstance(answer, Lookup):
        text = resolution_text(answer.resolution, names, categories)
        if answer.resolution.term is None:
            how = answer.contributing_url or "/lingo suggest"
            text += f"\n\nMissing a term? Propose it: {how}"
        return text
    if isinstance(answer, Help):
        lines = [f"LLM Lingo knows {answer.term_count} terms. Type a term, or one of:"]
        lines += [f"  {plain(c).replace('/lingo ', '')}" for c in answer.commands]
        lines += ["", "Examples: " + ", ".join(e.replace("/lingo ", "") for e in answer.examples)]
        return "\n".join(lines).replace("`", "")
    if isinstance(answer, Listing):
        lines = []
        if answer.unknown_category:
            lines += [f"No category “{answer.unknown_category}”. The categories are:", ""]
        for category, terms in answer.categories:
            lines.append(f"{category.name} ({category.id}): {len(terms)} terms")
            if not answer.unknown_category:
                lines.append(_wrap(_names(t.name for t in terms)))
        return "\n".join(lines)
    if isinstance(answer, SearchResults):
        if not answer.hits:
            return f"Nothing in the glossary mentions “{answer.words}”."
        lines = [f"Terms matching “{answer.words}”:"]
        for hit in answer.hits:
            head = f"{_names([hit.term.name])}: {_first_sentence(hit.term.definition)}"
            lines.append(_wrap(head, "  - ", "    "))
            lines += _why(hit.matched, hit.term.name)
        return "\n".join(lines)
    if isinstance(answer, TermOfTheDay):
        return f"{answer.heading}:\n\n{term_text(answer.term, names, categories)}"
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
) -> str:
    """The daily post as text, for `lingo daily preview`: the term's card, then the digest item."""
    names = names or {}
    head = "Term of the day" + (f" · {day:%A} {day.day} {day:%B %Y}" if day else "")
    lines = [head, "", term.name, _rule(term.name), _wrap(term.definition, "")]
    if term.related:
        lines += ["", _wrap("Related: " + _names(names.get(r, r) for r in term.related), "")]
    for link in term.links:
        lines.append(f"Source: {link.title} <{link.url}>")
    if item is not None:
        series = ""
        if digest is not None:
            ids = [i.id for i in digest.items]
            count = f" · {ids.index(item.id) + 1} of {len(ids)}" if item.id in ids else ""
            series = f"{digest.title}{count}"
        lines += ["", "-" * min(terminal_width(), max(len(series), 20))]
        if series:
            lines.append(series)
        lines += [item.title, "", _wrap(item.body, "  "), ""]
        lines.append(f"Source: {item.source.title} <{item.source.url}>")
        if item.terms:
            lines.append(_wrap("Terms: " + _names(names.get(t, t) for t in item.terms), ""))
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


def question_text(question: Question) -> str:
    """A quiz question for the terminal, its options numbered 1–4."""
    if question.kind == "which-term":
        head = f"Which term is this?\n  {question.prompt}"
    else:
        head = f"What does {question.prompt} mean?"
    options = "\n".join(f"  {i + 1}. {o.text}" for i, o in enumerate(question.options))
    return f"{head}\n{options}"


def verdict_text(verdict: Verdict) -> str:
    """Right or wrong, the answer's definition, and how each other option differs."""
    term = verdict.term
    if verdict.correct:
        head = f"Right! It is {term.name}."
    elif verdict.chosen is not None:
        head = f"Not quite. You chose {verdict.chosen.name}; the answer is {term.name}."
    else:
        head = f"Not quite. The answer is {term.name}."
    lines = [head, f"  {term.name}: {' '.join(term.definition.split())}"]
    if verdict.differences:
        lines.append("How the others differ:")
        lines += [f"  - {t.name}: {line}" for t, line in verdict.differences]
    return "\n".join(lines)


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
