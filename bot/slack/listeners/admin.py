"""The admin loop in Slack: `/lingo reload` and `/lingo stats` (admins), `/lingo suggest` (anyone).

A suggestion is checked like a glossary file (it is one: the validator runs on its text, in
memory, against the served glossary) and
reaches the admins as a ready-to-commit YAML file; the person who suggested it is thanked
in the modal itself, which needs no channel membership.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.admin.stats import learning_stats, lookup_stats, parse_since
from bot.errors import Problem, ReplyFailed, UserError
from bot.glossary import Glossary, Link, validate_term_text
from bot.glossary.drafts import TermDraft, term_id, term_yaml
from bot.glossary.source import read_source
from bot.lookup.normalize import clean, key
from bot.render.blocks.admin import (
    SUGGEST_ALIASES,
    SUGGEST_CALLBACK,
    SUGGEST_CATEGORY,
    SUGGEST_DEFINITION,
    SUGGEST_LINK,
    SUGGEST_NAME,
    reload_message,
    stats_message,
    suggest_view,
    suggestion_message,
    thanks_view,
)
from bot.render.blocks.answers import SUGGEST_TERM
from bot.render.blocks.answers import notice_message as notice
from bot.render.blocks.kit import Message, fit
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.interaction import (
    clicked_by,
    failure_message,
    interaction,
    report_unexpected,
    to_response_url,
    typed_text,
)
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

log = logging.getLogger(__name__)

MAX_ALIASES = 10
# Work an answer waits for before it says "on its way" and posts to the response_url.
ACK_BUDGET_SECONDS = 2.0
# Lone surrogates; zero-width and joiner characters; bidirectional marks, embeddings,
# overrides and isolates; the word joiner and invisible operators; the byte order mark.
_HIDDEN = re.compile(
    r"[\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]"
)


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route reload, stats and suggest; listen for the suggestion form."""
    router.route("reload", reload_command, admin_only=True)
    router.route("stats", stats_command, admin_only=True)
    router.route("suggest", suggest_command)

    @app.view(SUGGEST_CALLBACK)
    def on_suggestion(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """Check the form; send it to the admins once, however often Slack sends it."""
        user_id = clicked_by(body)
        view = body.get("view")
        state = view.get("state") if isinstance(view, dict) else None
        values = state.get("values") if isinstance(state, dict) else None
        draft, errors = read_suggestion(values if isinstance(values, dict) else {}, deps)
        if errors or draft is None:
            ack(response_action="errors", errors=errors)
            return
        if is_duplicate(context):  # a replayed submission: thank again, post nothing
            ack(response_action="update", view=thanks_view(draft.name))
            return
        try:
            send_to_admins(context.client, deps, suggestion_message(draft, user_id))
        except Exception as error:
            release(context)  # nothing was delivered: sending the form again must try again
            if isinstance(error, SlackClientError):
                log.warning("could not deliver a term suggestion to the admins: %s", error)
            else:
                report_unexpected(error, "delivering a term suggestion")
            ack(
                response_action="errors",
                errors={
                    SUGGEST_NAME: "Sorry, your suggestion could not be delivered. Please try again."
                },
            )
            return
        log.info("term suggestion %r sent to the admins", draft.id)
        ack(response_action="update", view=thanks_view(draft.name))

    @app.action(SUGGEST_TERM)
    @interaction("opening the suggestion form", to_response_url)
    def on_suggest_button(body: dict[str, Any], context: BoltContext) -> None:
        """The button under a miss or "did you mean": the form, the query as its name."""
        actions = body.get("actions") or [{}]
        value = (actions[0] if isinstance(actions[0], dict) else {}).get("value")
        name = clean(typed_text(value))  # the value is the query as the answer escaped it
        open_suggestion_form(context.client, deps, str(body.get("trigger_id") or ""), name)


# -- /lingo reload -----------------------------------------------------------------------------


def reload_command(request: CommandRequest) -> Payload:
    """`/lingo reload`: validate the glossary folder now and serve it if it is valid."""
    deps = request.deps
    reloader = deps.reloader  # the one the watcher uses: its admin notices stay in step
    who = request.user_id or "an admin"
    return answer_soon(
        request, lambda: reload_message(reloader.reload(f"/lingo reload by {who}")), "Reloading…"
    )


# -- /lingo stats ------------------------------------------------------------------------------


def stats_command(request: CommandRequest) -> Payload:
    """`/lingo stats [7d|24h|2w|YYYY-MM-DD]`: lookups, top terms and top misses; quiz
    answers, the pairs most confused, clarity votes and comments (aggregates, never who)."""
    engine = request.deps.database("stats")
    span = request.command.argument.removeprefix("--since").strip() or "7d"
    since = parse_since(span)
    glossary = request.deps.live.current().glossary
    names = {t.id: t.name for t in glossary.terms.values()}
    return answer_soon(
        request,
        lambda: stats_message(
            lookup_stats(engine, since), names, span, learning=learning_stats(engine, since)
        ),
        "Counting…",
    )


# -- /lingo suggest ----------------------------------------------------------------------------


def suggest_command(request: CommandRequest) -> Payload:
    """`/lingo suggest [name]`: a form for a new term; it goes to the glossary admins."""
    open_suggestion_form(request.client, request.deps, request.trigger_id, request.command.argument)
    return {}  # the form is the answer


def open_suggestion_form(client: WebClient, deps: Deps, trigger_id: str, name: str) -> None:
    """Open the suggestion form with ``name`` filled in, if suggestions are switched on."""
    settings = deps.settings
    if not settings.admin_channel and not settings.admin_user_ids:
        elsewhere = (
            f"You can propose a term this way: {settings.contributing_url}"
            if settings.contributing_url
            else "Ask the person who runs LLM Lingo here to add it."
        )
        raise UserError(
            f"Suggestions are not switched on here (no LINGO_ADMIN_CHANNEL). {elsewhere}"
        )
    glossary = deps.live.current().glossary
    client.views_open(trigger_id=trigger_id, view=suggest_view(glossary, name=name))


def read_suggestion(
    state: Mapping[str, Any], deps: Deps
) -> tuple[TermDraft | None, dict[str, str]]:
    """The submitted form as a draft term, or the errors to show on its fields."""

    def value(block: str) -> str:
        entry = _entry(state, block)
        if entry.get("type") == "static_select":
            option = entry.get("selected_option")
            return str(option.get("value") or "") if isinstance(option, dict) else ""
        return " ".join(str(entry.get("value") or "").split())

    errors: dict[str, str] = {}
    for block in (SUGGEST_NAME, SUGGEST_DEFINITION, SUGGEST_ALIASES, SUGGEST_LINK):
        hidden = hidden_character(_raw(state, block))
        if hidden:
            errors[block] = (
                f"Please remove the invisible character {hidden} (it can hide or reorder text)."
            )
    if errors:
        return None, errors
    name = value(SUGGEST_NAME)
    aliases = tuple(
        dict.fromkeys(
            a.strip() for a in re.split(r"[,;\n]", _raw(state, SUGGEST_ALIASES)) if a.strip()
        )
    )
    if len(aliases) > MAX_ALIASES:
        errors[SUGGEST_ALIASES] = f"At most {MAX_ALIASES} other names, please."
    url = value(SUGGEST_LINK)
    links = (Link(_link_title(url), url),) if url else ()
    if url and not url.startswith("https://"):
        errors[SUGGEST_LINK] = "Use an https:// link to a paper or official documentation."
    try:
        term_id(name)
    except UserError:
        errors[SUGGEST_NAME] = "Give the term's name, with letters or digits."
    if errors:
        return None, errors
    draft = TermDraft(
        name=name,
        category=value(SUGGEST_CATEGORY) or None,
        definition=value(SUGGEST_DEFINITION),
        aliases=aliases,
        links=links,
    )
    glossary = deps.live.current().glossary
    errors = _already_known(draft, glossary) or check_draft(draft, glossary)
    return (None, errors) if errors else (draft, {})


def check_draft(draft: TermDraft, glossary: Glossary) -> dict[str, str]:
    """Run the validator on the draft's file, in memory, against the served glossary; errors
    by field. It is the check `lingo validate` makes of a file in a pull request."""
    text = term_yaml(draft)
    path = f"terms/{draft.id}.yaml"
    problems = validate_term_text(text, glossary, path)
    # Where each field starts, from the same text made encodable (a lone surrogate is a problem
    # of its field, found above, not a reason to lose the field's line).
    source, _ = read_source(path, text.encode("utf-8", "replace").decode("utf-8"))
    fields = source.data if source is not None and isinstance(source.data, dict) else {}
    starts = sorted((source.line((name,), key=True), name) for name in fields if source)
    return _errors_by_field(problems, starts)


def _errors_by_field(
    problems: Iterable[Problem], starts: Sequence[tuple[int, str]]
) -> dict[str, str]:
    blocks = {
        "id": SUGGEST_NAME,
        "name": SUGGEST_NAME,
        "definition": SUGGEST_DEFINITION,
        "aliases": SUGGEST_ALIASES,
    }
    blocks |= {"category": SUGGEST_CATEGORY, "links": SUGGEST_LINK}
    errors: dict[str, str] = {}
    for problem in sorted(problems):
        field = next((f for line, f in reversed(starts) if line <= problem.line), "name")
        block = blocks.get(field, SUGGEST_NAME)
        message = re.sub(r"^'(\w+)' ", "This ", problem.message)
        errors.setdefault(block, fit(message[:1].upper() + message[1:], 150))
    return errors


def _already_known(draft: TermDraft, glossary: Glossary) -> dict[str, str]:
    owners = {key(label): term for term in glossary.terms.values() for label in term.labels}
    if key(draft.name) in owners:
        return {SUGGEST_NAME: f"Already in the glossary as “{owners[key(draft.name)].name}”."}
    for alias in draft.aliases:
        if key(alias) in owners:
            return {SUGGEST_ALIASES: f"“{alias}” already names “{owners[key(alias)].name}”."}
    return {}


def send_to_admins(client: WebClient, deps: Deps, message: Message) -> None:
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


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that a reader cannot see or that reorders what they
    see (a lone surrogate, a bidirectional control, a zero-width character), as U+XXXX."""
    match = _HIDDEN.search(text)
    return f"U+{ord(match[0]):04X}" if match else None


def _entry(state: Mapping[str, Any], block: str) -> Mapping[str, Any]:
    """The submitted value of a form block (its action id is "value"); {} if missing."""
    block_state = state.get(block)
    entry = block_state.get("value") if isinstance(block_state, dict) else None
    return entry if isinstance(entry, dict) else {}


def _raw(state: Mapping[str, Any], block: str) -> str:
    return str(_entry(state, block).get("value") or "")


def _link_title(url: str) -> str:
    parts = urlsplit(url)
    return fit((parts.netloc + parts.path).rstrip("/") or url, 150)
