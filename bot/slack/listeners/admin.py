"""The admin loop in Slack: `/lingo reload` and `/lingo stats` (admins), `/lingo suggest` (anyone).

A suggestion is checked like a glossary file (it is one: the validator runs on it) and
reaches the admins as a ready-to-commit YAML file; the person who suggested it is thanked
in the modal itself, which needs no channel membership.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
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

from bot.errors import GlossaryError, Problem, UserError
from bot.glossary import Glossary, Link, validate_glossary
from bot.glossary.source import read_source
from bot.newterm import TermDraft, term_id, term_yaml
from bot.normalize import key
from bot.reload import Reloader, ReloadResult
from bot.render.blocks import MAX_SECTION_TEXT, escape, fit
from bot.slack.client import ReplyFailed, send_reply
from bot.slack.command import ephemeral
from bot.slack.deps import Deps
from bot.slack.failures import failure_message
from bot.slack.router import CommandRequest, CommandRouter, Payload
from bot.stats import LookupStats, lookup_stats, parse_since

log = logging.getLogger(__name__)

SUGGEST_CALLBACK = "lingo_suggest"
# Block ids of the suggestion form; each input's action id is "value".
NAME, DEFINITION, ALIASES, CATEGORY, LINK = "name", "definition", "aliases", "category", "link"
MAX_ALIASES = 10
# Work an answer waits for before it says "on its way" and posts to the response_url.
ACK_BUDGET_SECONDS = 2.0


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route reload, stats and suggest; listen for the suggestion form."""
    router.route("reload", reload_command, admin_only=True)
    router.route("stats", stats_command, admin_only=True)
    router.route("suggest", suggest_command)

    @app.view(SUGGEST_CALLBACK)
    def on_suggestion(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        user_id = str(body.get("user", {}).get("id", ""))
        state = body.get("view", {}).get("state", {}).get("values", {})
        draft, errors = read_suggestion(state, deps)
        if errors or draft is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            send_to_admins(client, deps, suggestion_message(draft, user_id))
        except SlackClientError as error:
            log.warning("could not deliver a term suggestion to the admins: %s", error)
            ack(
                response_action="errors",
                errors={NAME: "Sorry, your suggestion could not be delivered. Please try again."},
            )
            return
        log.info("term suggestion %r sent to the admins", draft.id)
        ack(response_action="update", view=thanks_view(draft.name))


# -- /lingo reload -----------------------------------------------------------------------------


def reload_command(request: CommandRequest) -> Payload:
    """`/lingo reload`: validate the glossary folder now and serve it if it is valid."""
    deps = request.deps
    reloader = Reloader(deps.live, deps.settings.glossary_dir)
    who = request.user_id or "an admin"
    return answer_soon(
        request, lambda: reload_message(reloader.reload(f"/lingo reload by {who}")), "Reloading…"
    )


# -- /lingo stats ------------------------------------------------------------------------------


def stats_command(request: CommandRequest) -> Payload:
    """`/lingo stats [7d|24h|2w|YYYY-MM-DD]`: lookups, top terms and top misses."""
    engine = request.deps.engine
    if engine is None:
        raise UserError("Stats need the database, and this bot runs without one.")
    span = request.command.argument.removeprefix("--since").strip() or "7d"
    since = parse_since(span)
    glossary = request.deps.live.current().glossary
    names = {t.id: t.name for t in glossary.terms.values()}
    return answer_soon(
        request, lambda: stats_message(lookup_stats(engine, since), names, span), "Counting…"
    )


# -- /lingo suggest ----------------------------------------------------------------------------


def suggest_command(request: CommandRequest) -> Payload:
    """`/lingo suggest [name]`: a form for a new term; it goes to the glossary admins."""
    settings = request.deps.settings
    if not settings.admin_channel and not settings.admin_user_ids:
        raise UserError(
            "Suggestions are not switched on here (no LINGO_ADMIN_CHANNEL). "
            f"You can propose a term this way: {settings.contributing_url}"
        )
    glossary = request.deps.live.current().glossary
    request.client.views_open(
        trigger_id=request.trigger_id,
        view=suggest_view(glossary, name=request.command.argument),
    )
    return {}  # the form is the answer


def read_suggestion(
    state: Mapping[str, Any], deps: Deps
) -> tuple[TermDraft | None, dict[str, str]]:
    """The submitted form as a draft term, or the errors to show on its fields."""

    def value(block: str) -> str:
        entry = state.get(block, {}).get("value", {})
        if entry.get("type") == "static_select":
            return str((entry.get("selected_option") or {}).get("value") or "")
        return " ".join(str(entry.get("value") or "").split())

    errors: dict[str, str] = {}
    name = value(NAME)
    aliases = tuple(
        dict.fromkeys(a.strip() for a in re.split(r"[,;\n]", _raw(state, ALIASES)) if a.strip())
    )
    if len(aliases) > MAX_ALIASES:
        errors[ALIASES] = f"At most {MAX_ALIASES} other names, please."
    url = value(LINK)
    links = (Link(_link_title(url), url),) if url else ()
    if url and not url.startswith("https://"):
        errors[LINK] = "Use an https:// link to a paper or official documentation."
    try:
        term_id(name)
    except UserError:
        errors[NAME] = "Give the term's name, with letters or digits."
    if errors:
        return None, errors
    draft = TermDraft(
        name=name,
        category=value(CATEGORY) or None,
        definition=value(DEFINITION),
        aliases=aliases,
        links=links,
    )
    glossary = deps.live.current().glossary
    errors = _already_known(draft, glossary) or check_draft(draft, deps.settings.glossary_dir)
    return (None, errors) if errors else (draft, {})


def check_draft(draft: TermDraft, glossary_dir: Path) -> dict[str, str]:
    """Run the validator on the draft's file beside the real categories; errors by field."""
    text = term_yaml(draft)
    with tempfile.TemporaryDirectory(prefix="lingo-suggest-") as folder:
        root = Path(folder)
        (root / "terms").mkdir()
        categories = glossary_dir / "categories.yaml"
        if categories.is_file():
            shutil.copyfile(categories, root / "categories.yaml")
        path = root / "terms" / f"{draft.id}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            problems = validate_glossary(root).problems
        except GlossaryError as error:
            return {NAME: str(error)}
    source, _ = read_source(str(path), text)
    fields = source.data if source is not None and isinstance(source.data, dict) else {}
    starts = sorted((source.line((name,), key=True), name) for name in fields if source)
    return _errors_by_field(problems, starts)


def _errors_by_field(
    problems: Iterable[Problem], starts: Sequence[tuple[int, str]]
) -> dict[str, str]:
    blocks = {"id": NAME, "name": NAME, "definition": DEFINITION, "aliases": ALIASES}
    blocks |= {"category": CATEGORY, "links": LINK}
    errors: dict[str, str] = {}
    for problem in sorted(problems):
        field = next((f for line, f in reversed(starts) if line <= problem.line), "name")
        block = blocks.get(field, NAME)
        message = re.sub(r"^'(\w+)' ", "This ", problem.message)
        errors.setdefault(block, fit(message[:1].upper() + message[1:], 150))
    return errors


def _already_known(draft: TermDraft, glossary: Glossary) -> dict[str, str]:
    owners = {key(label): term for term in glossary.terms.values() for label in term.labels}
    if key(draft.name) in owners:
        return {NAME: f"Already in the glossary as “{owners[key(draft.name)].name}”."}
    for alias in draft.aliases:
        if key(alias) in owners:
            return {ALIASES: f"“{alias}” already names “{owners[key(alias)].name}”."}
    return {}


def send_to_admins(client: WebClient, deps: Deps, message: Mapping[str, Any]) -> None:
    """Post to the admin channel, or else to each admin directly."""
    settings = deps.settings
    targets = (
        [settings.admin_channel] if settings.admin_channel else sorted(settings.admin_user_ids)
    )
    for target in targets:
        client.chat_postMessage(channel=target, unfurl_links=False, **message)


def answer_soon(request: CommandRequest, work: Callable[[], Payload], waiting: str) -> Payload:
    """Answer with ``work()`` inside the acknowledgement if it is quick; else say ``waiting``
    and post the answer to the response_url when it is ready, so Slack never times out."""
    lock = threading.Lock()
    answered: list[Payload] = []
    acknowledged = False

    def run() -> None:
        try:
            message = work()
        except Exception as error:
            message = failure_message(error, f"/lingo {request.command.name}")
        with lock:
            answered.append(message)
            late = acknowledged
        if late:
            try:
                send_reply(request.response_url, message, response_type="ephemeral")
            except ReplyFailed as error:
                log.warning(
                    "could not post the answer to /lingo %s: %s", request.command.name, error
                )

    worker = threading.Thread(target=run, name=f"lingo-{request.command.name}", daemon=True)
    worker.start()
    worker.join(ACK_BUDGET_SECONDS)
    with lock:
        if answered:
            return ephemeral(answered[0])
        acknowledged = True
    return ephemeral(notice(f"{waiting} I'll post the answer here."))


def _raw(state: Mapping[str, Any], block: str) -> str:
    return str(state.get(block, {}).get("value", {}).get("value") or "")


def _link_title(url: str) -> str:
    parts = urlsplit(url)
    return fit((parts.netloc + parts.path).rstrip("/") or url, 150)


# -- Block Kit for the admin loop --------------------------------------------------------------
# Kept apart so it can move as one piece to the end of bot/render/blocks.py.


def _message(text: str, blocks: Sequence[Block]) -> dict[str, Any]:
    return {"text": fit(text, 3000), "blocks": [block.to_dict() for block in blocks]}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=fit(text, MAX_SECTION_TEXT)))


def _code_sections(text: str) -> list[SectionBlock]:
    """Preformatted text in as many sections as it takes, cut only between lines."""
    room = MAX_SECTION_TEXT - 8
    chunks: list[str] = []
    for line in escape(text).splitlines():
        if chunks and len(chunks[-1]) + len(line) + 1 <= room:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line[:room])
    return [_section(f"```{chunk}```") for chunk in chunks]


def notice(text: str) -> dict[str, Any]:
    """A one-section message of our own words (no user text in it)."""
    return _message(text, [_section(text)])


def reload_message(result: ReloadResult) -> dict[str, Any]:
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
            blocks.append(
                ContextBlock(
                    elements=[MarkdownTextObject(text=fit(escape("; ".join(details)), 2000))]
                )
            )
        return _message(result.summary(), blocks)
    listing = "\n".join(str(p) for p in result.problems[:40])
    if len(result.problems) > 40:
        listing += f"\n… and {len(result.problems) - 40} more (`lingo validate` lists them all)"
    blocks = [_section(f":warning: {summary}"), *_code_sections(listing)[:20]]
    return _message(result.summary(), blocks)


def stats_message(stats: LookupStats, names: Mapping[str, str], span: str) -> dict[str, Any]:
    """What `/lingo stats` answers: lookups by outcome, top terms, top misses."""
    by = stats.by_outcome
    total = (
        f"*{stats.total}* lookups since {stats.since:%Y-%m-%d %H:%M} UTC ({escape(span)}): "
        f"{by.get('exact', 0)} exact, {by.get('fuzzy', 0)} fuzzy, "
        f"{by.get('ambiguous', 0)} ambiguous, {by.get('miss', 0)} missed"
    )
    terms = "\n".join(
        f"{n:>4}  {escape(names.get(term_id, term_id))}" for term_id, n in stats.top_terms
    )
    misses = "\n".join(f"{n:>4}  {escape(query)}" for query, n in stats.top_misses)
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="What people look up")),
        _section(total),
        _section("*Top terms*\n" + (f"```{terms}```" if terms else "_none yet_")),
        _section(
            "*Top misses* (looked for, not in the glossary)\n"
            + (f"```{misses}```" if misses else "_none_")
        ),
    ]
    if misses:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text='Add one with `lingo new-term "Name"` and a pull request '
                        "(docs/adding-terms.md)."
                    )
                ]
            )
        )
    return _message(f"{stats.total} lookups since {stats.since:%Y-%m-%d}", blocks)


def suggest_view(glossary: Glossary, name: str = "") -> dict[str, Any]:
    """The suggestion form: name, definition, other names, category, a source link."""
    options = [
        Option(value=c.id, text=PlainTextObject(text=fit(c.name, 75)))
        for c in glossary.categories[:100]
    ]

    def text_input(**extra: Any) -> PlainTextInputElement:
        return PlainTextInputElement(action_id="value", **extra)

    blocks: list[Block] = [
        InputBlock(
            block_id=NAME,
            label="Term",
            hint="As people write it, e.g. Mixture of Experts",
            element=text_input(
                max_length=150, initial_value=fit(" ".join(name.split()), 150) or None
            ),
        ),
        InputBlock(
            block_id=DEFINITION,
            label="What it means",
            hint="One to three plain sentences, in your own words, for an engineer new to it.",
            element=text_input(multiline=True, min_length=20, max_length=700),
        ),
        InputBlock(
            block_id=ALIASES,
            label="Other names",
            hint="Acronyms, expansions, other spellings, separated by commas: MoE, sparse experts",
            optional=True,
            element=text_input(max_length=500),
        ),
    ]
    if options:
        blocks.append(
            InputBlock(
                block_id=CATEGORY,
                label="Category",
                element=StaticSelectElement(
                    action_id="value", options=options, initial_option=options[0]
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=LINK,
            label="Source",
            hint="A paper or the official documentation that defines it.",
            optional=True,
            element=UrlInputElement(action_id="value"),
        )
    )
    view = View(
        type="modal",
        callback_id=SUGGEST_CALLBACK,
        title=PlainTextObject(text="Suggest a term"),
        submit=PlainTextObject(text="Send to admins"),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
    )
    result: dict[str, Any] = view.to_dict()
    return result


def thanks_view(name: str) -> dict[str, Any]:
    """The form, once sent: thanks, and what happens next."""
    view = View(
        type="modal",
        title=PlainTextObject(text="Thank you!"),
        close=PlainTextObject(text="Done"),
        blocks=[
            _section(
                f"Your suggestion *{escape(fit(name, 150))}* is with the glossary admins. "
                "Once they add it, `/lingo` will know it."
            )
        ],
    )
    result: dict[str, Any] = view.to_dict()
    return result


def suggestion_message(draft: TermDraft, user_id: str) -> dict[str, Any]:
    """For the admins: who suggested what, and the file to commit."""
    path = f"glossary/terms/{draft.id}.yaml"
    who = f"<@{user_id}>" if re.fullmatch(r"[UW][A-Z0-9]+", user_id) else "Someone"
    head = (
        f":bulb: {who} suggests a new term: *{escape(draft.name)}*. "
        f"To add it, save this as `{path}` and open a pull request:"
    )
    blocks: list[Block] = [_section(head), *_code_sections(term_yaml(draft))]
    return _message(f"Term suggestion: {draft.name} ({path})", blocks)
