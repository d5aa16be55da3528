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

from bot.admin.stats import lookup_stats, parse_since
from bot.errors import GlossaryError, Problem, UserError
from bot.glossary import Glossary, Link, validate_glossary
from bot.glossary.drafts import TermDraft, term_id, term_yaml
from bot.glossary.source import read_source
from bot.lookup.normalize import key
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
from bot.render.blocks.answers import notice_message as notice
from bot.render.blocks.kit import Message, fit
from bot.slack.client import ReplyFailed, send_reply
from bot.slack.command import ephemeral
from bot.slack.context import Deps
from bot.slack.failures import failure_message
from bot.slack.router import CommandRequest, CommandRouter, Payload
from bot.store.storage import UNAVAILABLE

log = logging.getLogger(__name__)

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
                errors={
                    SUGGEST_NAME: "Sorry, your suggestion could not be delivered. Please try again."
                },
            )
            return
        log.info("term suggestion %r sent to the admins", draft.id)
        ack(response_action="update", view=thanks_view(draft.name))


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
    """`/lingo stats [7d|24h|2w|YYYY-MM-DD]`: lookups, top terms and top misses."""
    engine = request.deps.engine
    if engine is None:
        raise UserError(UNAVAILABLE.format(feature="stats"))
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
            return {SUGGEST_NAME: str(error)}
    source, _ = read_source(str(path), text)
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


def _raw(state: Mapping[str, Any], block: str) -> str:
    return str(state.get(block, {}).get("value", {}).get("value") or "")


def _link_title(url: str) -> str:
    parts = urlsplit(url)
    return fit((parts.netloc + parts.path).rstrip("/") or url, 150)
