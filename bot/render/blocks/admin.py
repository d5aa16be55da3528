"""The admin loop: /lingo reload and /lingo stats replies, the suggest form and the suggestion post."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UrlInputElement,
)
from slack_sdk.models.views import View

from bot.glossary.drafts import TermDraft, term_yaml
from bot.glossary.model import Glossary

if TYPE_CHECKING:
    from bot.admin.stats import LearningStats, LookupStats
    from bot.glossary.reload import ReloadResult

from bot.render.blocks.kit import (
    MAX_SECTION_TEXT,
    Message,
    code_block,
    context_block,
    echo,
    escape,
    fit,
    header_block,
    is_user_id,
    message_of,
    section_block,
)
from bot.render.blocks.learning import learning_stats_blocks

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
    """Preformatted text in as many code-block sections as it takes, cut between lines."""
    chunks: list[str] = []
    for line in text.splitlines():
        if chunks and len(code_block(f"{chunks[-1]}\n{line}")) <= MAX_SECTION_TEXT:
            chunks[-1] += "\n" + line
        else:
            chunks.append(_fit_code(line, MAX_SECTION_TEXT))
    return [section_block(code_block(chunk)) for chunk in chunks]


def _fit_code(line: str, room: int) -> str:
    """``line`` cut so that its code block takes at most ``room`` characters."""
    while len(code_block(line)) > room:
        line = fit(line, max(1, len(line) - (len(code_block(line)) - room)))
    return line


def _code_lines(lines: Sequence[str], room: int) -> str:
    """Lines as one code block of at most ``room`` characters: whole lines, then how many
    more did not fit."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        more = f"… and {len(lines) - i} more"
        rest = [line] if i == len(lines) - 1 else [line, more]
        if len(code_block("\n".join([*kept, *rest]))) > room:
            kept.append(more)
            break
        kept.append(line)
    return code_block("\n".join(kept))


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
        blocks: list[Block] = [section_block(f":white_check_mark: {summary}")]
        if details:
            blocks.append(context_block(escape("; ".join(details))))
        return message_of(result.summary(), blocks)
    shown = result.problems[:MAX_RELOAD_PROBLEMS]
    listing = "\n".join(str(p) for p in shown)
    if len(result.problems) > len(shown):
        listing += (
            f"\n… and {len(result.problems) - len(shown)} more (`lingo validate` lists them all)"
        )
    blocks = [
        section_block(f":warning: {summary}"),
        *_code_sections(listing)[:MAX_RELOAD_PROBLEM_SECTIONS],
    ]
    return message_of(result.summary(), blocks)


def stats_message(
    stats: LookupStats,
    names: Mapping[str, str],
    span: str,
    *,
    learning: LearningStats | None = None,
) -> Message:
    """What `/lingo stats` answers: lookups by outcome, top terms, top misses, and with
    ``learning`` the quiz answers, confused pairs and clarity feedback."""
    by = stats.by_outcome
    total = (
        f"*{stats.total}* lookups since {stats.since:%Y-%m-%d %H:%M} UTC ({echo(span)}): "
        f"{by.get('exact', 0)} exact, {by.get('fuzzy', 0)} fuzzy, "
        f"{by.get('ambiguous', 0)} ambiguous, {by.get('miss', 0)} missed"
    )
    terms = [f"{n:>4}  {names.get(term_id, term_id)}" for term_id, n in stats.top_terms]
    misses = [f"{n:>4}  {query}" for query, n in stats.top_misses]
    terms_head = "*Top terms*\n"
    misses_head = "*Top misses* (looked for, not in the glossary)\n"
    blocks: list[Block] = [
        header_block("What people look up"),
        section_block(total),
        section_block(
            terms_head
            + (_code_lines(terms, MAX_SECTION_TEXT - len(terms_head)) if terms else "_none yet_")
        ),
        section_block(
            misses_head
            + (_code_lines(misses, MAX_SECTION_TEXT - len(misses_head)) if misses else "_none_")
        ),
    ]
    if misses:
        blocks.append(
            context_block(
                'Add one with `lingo new-term "Name"` and a pull request (docs/adding-terms.md).'
            )
        )
    if learning is not None:
        blocks += learning_stats_blocks(learning, names)
    return message_of(f"{stats.total} lookups since {stats.since:%Y-%m-%d}", blocks)


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
            section_block(
                f"Your suggestion *{escape(fit(name, 150))}* is with the glossary admins. "
                "Once they add it, `/lingo` will know it."
            )
        ],
    ).to_dict()


def suggestion_message(draft: TermDraft, user_id: str) -> Message:
    """For the admins: who suggested what, and the file to commit."""
    path = f"glossary/terms/{draft.id}.yaml"
    who = f"<@{user_id}>" if is_user_id(user_id) else "Someone"
    head = (
        f":bulb: {who} suggests a new term: *{escape(draft.name)}*. "
        f"To add it, save this as `{path}` and open a pull request:"
    )
    blocks: list[Block] = [section_block(head), *_code_sections(term_yaml(draft))]
    return message_of(f"Term suggestion: {escape(draft.name)} ({path})", blocks)
