"""Learning in Slack: /lingo quiz, learn, forget me; quiz, deck and "Was this clear?" buttons.

Every answer is in the person's language (their `/lingo lang` choice, else their Slack
locale: ``Deps.language``), as the /lingo answers are. Everything a person sees here is theirs alone: quiz questions and verdicts are ephemeral
(or in the person's DM with the bot), and nothing per person is ever posted in a channel.
The data lives in bot.learning.store; the review DMs are sent by the scheduler service
(bot.learning.reviews).
"""

from __future__ import annotations

import logging
import random
import re
from datetime import UTC, datetime, time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.blocks import Block
from sqlalchemy import Engine

from bot.daily.subscriptions import parse_local_time, parse_timezone
from bot.errors import UserError
from bot.glossary.model import Glossary
from bot.learning import store
from bot.learning.quiz import NotEnoughTerms, Question, judge, make_question
from bot.learning.reviews import MAX_REVIEWS
from bot.lookup.answers import Lookup
from bot.render.blocks.answers import notice_message
from bot.render.blocks.kit import Message
from bot.render.blocks.learning import (
    CLARITY_FORM,
    CLARITY_TEXT,
    CLEAR_NO,
    CLEAR_YES,
    DECK_ADD,
    QUIZ_ANSWER,
    QUIZ_ME,
    QUIZ_NEXT,
    AnswerValue,
    clarity_view,
    home_learning_blocks,
    quiz_message,
    verdict_message,
)
from bot.render.i18n import CATALOGUES, message, short_date
from bot.render.i18n.terms import term_name
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.interaction import clicked_by, interaction, to_response_url
from bot.slack.listeners.cards import chosen_term
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

logger = logging.getLogger(__name__)

LEARNING = "quizzes and the review deck"

QUIZ_ANSWER_ACTION = re.compile(rf"^{QUIZ_ANSWER}_\d+_\d+$")


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route quiz, learn and forget; listen to the quiz, deck and clarity buttons and the form."""
    router.route("quiz", quiz_command)
    router.route("learn", learn_command)
    router.route("forget", forget_command)

    @app.action(QUIZ_ME)
    @app.action(QUIZ_NEXT)
    @interaction("asking a question", to_response_url)
    def ask(body: dict[str, Any], context: BoltContext) -> None:
        """A new question: ephemeral where the button is, or in a DM from the App Home."""
        client = context.client
        url = str(body.get("response_url") or "")
        glossary = deps.live.current().glossary
        scope = str(_action(body).get("value") or "")
        term_id, category = _scope(scope)
        lang = deps.language(client, clicked_by(body))
        question = new_question(glossary, lang, term_id=term_id, category=category)
        reply = quiz_message(question, category=category, lang=lang)
        if url:
            replace = _action(body).get("action_id") == QUIZ_NEXT
            send_reply(url, reply, response_type="ephemeral", replace_original=replace)
        else:  # the App Home has no response_url: the question goes to the person's DM
            channel = client.conversations_open(users=clicked_by(body))["channel"]["id"]
            client.chat_postMessage(channel=channel, **reply)

    @app.action(QUIZ_ANSWER_ACTION)
    @interaction("judging an answer", to_response_url)
    def answer(body: dict[str, Any], context: BoltContext) -> None:
        """Judge the answer, count it once, reply with the verdict."""
        url = str(body.get("response_url") or "")
        user = clicked_by(body)
        lang = deps.language(context.client, user)
        verdict = answer_message(deps, user, str(_action(body).get("value") or ""), lang)
        if url:
            review = AnswerValue.decode(str(_action(body).get("value"))).review_day
            # A quiz's verdict replaces the question; a review's comes below the DM, whose
            # other questions stay.
            send_reply(url, verdict, response_type="ephemeral", replace_original=review is None)

    @app.action(DECK_ADD)
    @interaction("adding to the deck", to_response_url)
    def add_to_deck(body: dict[str, Any], context: BoltContext) -> None:
        """Put the card's term in the person's review deck."""
        term = chosen_term(body, deps.live.current().glossary.terms)
        engine, user = deps.database(LEARNING), clicked_by(body)
        lang = deps.language(context.client, user)
        name = term_name(term, lang)
        person = store.get_person(engine, user)
        if person is None or not person.active:
            raise UserError(message(lang, "deck.off", name=name))
        added = store.add_card(engine, user, term.id, "added", now=datetime.now(UTC))
        when = person.next_review_at(datetime.now(UTC)).astimezone(person.zone)
        day = short_date(lang, when, year=False)
        text = (
            message(lang, "deck.added", name=name, day=day, time=f"{when:%H:%M}")
            if added
            else message(lang, "deck.already", name=name)
        )
        reply = to_response_url(body)
        if reply is not None:
            reply(notice_message(text))

    @app.action(CLEAR_YES)
    @app.action(CLEAR_NO)
    @interaction("counting a vote", to_response_url)
    def clarity(body: dict[str, Any], context: BoltContext) -> None:
        """Count the vote; a "no" opens the short form asking what was unclear."""
        client = context.client
        term = chosen_term(body, deps.live.current().glossary.terms)
        clear = _action(body).get("action_id") == CLEAR_YES
        user = clicked_by(body)
        store.vote(deps.database(LEARNING), user, term.id, clear, now=datetime.now(UTC))
        lang = deps.language(client, user)
        if not clear and body.get("trigger_id"):
            view = clarity_view(term, lang)
            client.views_open(trigger_id=str(body["trigger_id"]), view=view)
            return
        reply = to_response_url(body)
        if reply is not None:
            reply(notice_message(message(lang, "clarity.thanks", name=term_name(term, lang))))

    @app.view(CLARITY_FORM)
    def clarity_comment(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        view = body.get("view") or {}
        term_id = str(view.get("private_metadata") or "")
        values = (view.get("state") or {}).get("values") or {}
        text = str(((values.get(CLARITY_TEXT) or {}).get("value") or {}).get("value") or "")
        if term_id in deps.live.current().glossary.terms and text.strip():
            store.comment(
                deps.database(LEARNING), clicked_by(body), term_id, text, now=datetime.now(UTC)
            )


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    first: dict[str, Any] = actions[0]
    return first


def _scope(scope: str) -> tuple[str | None, str | None]:
    kind, _, value = scope.partition(":")
    if kind == "term" and value:
        return value, None
    if kind == "category" and value:
        return None, value
    return None, None


def new_question(
    glossary: Glossary,
    lang: str = "en",
    *,
    term_id: str | None = None,
    category: str | None = None,
) -> Question:
    """A fresh question in ``lang``; UserError when the glossary cannot make one."""
    rng = random.Random()  # noqa: S311 - not for secrets
    try:
        return make_question(glossary, rng, term_id=term_id, category=category, lang=lang)
    except NotEnoughTerms as error:
        raise UserError(message(lang, "quiz.no_quiz", reason=error)) from None


def answer_message(deps: Deps, user: str, raw: str, lang: str = "en") -> Message:
    """The verdict on one answer button, in ``lang``; the answer is stored (and acted on)
    only the first time."""
    try:
        value = AnswerValue.decode(raw)
    except ValueError:
        raise UserError(message(lang, "quiz.unreadable")) from None
    glossary = deps.live.current().glossary
    question = value.question()
    try:
        verdict = judge(question, value.chosen, glossary, lang)
    except NotEnoughTerms:
        raise UserError(message(lang, "quiz.gone")) from None
    chosen_id = (
        value.option_ids[value.chosen] if 0 <= value.chosen < len(value.option_ids) else None
    )
    engine = deps.database(LEARNING)
    stored = store.record_answer(
        engine,
        user,
        question_id=value.question_id,
        term_id=value.term_id,
        chosen_id=chosen_id,
        correct=verdict.correct,
        kind=value.kind,
        review_day=value.review_day,
        now=datetime.now(UTC),
    )
    if not stored.first and stored.chosen_id != chosen_id:
        first_index = (
            value.option_ids.index(stored.chosen_id) if stored.chosen_id in value.option_ids else -1
        )
        verdict = judge(question, first_index, glossary, lang)
    person = store.get_person(engine, user)
    scope = f"category:{value.category}" if value.category else ""
    return verdict_message(
        verdict,
        first=stored.first,
        next_due=stored.next_due,
        zone=person.zone if person is not None else None,
        scope=scope,
        next_button=value.review_day is None,
        lang=lang,
    )


# -- commands ------------------------------------------------------------------------------------


def _engine(request: CommandRequest) -> Engine:
    return request.deps.database(LEARNING)


def _lang(request: CommandRequest) -> str:
    return request.deps.language(request.client, request.user_id)


def quiz_command(request: CommandRequest) -> Payload:
    """`/lingo quiz [category]`: one question, only for you."""
    glossary = request.deps.live.current().glossary
    lang = _lang(request)
    category = None
    wanted = request.command.argument.strip()
    if wanted:
        folded = wanted.casefold()
        found = next(
            (c for c in glossary.categories if folded in (c.id.casefold(), c.name.casefold())),
            None,
        )
        if found is None:
            names = ", ".join(f"`{c.id}`" for c in glossary.categories)
            raise UserError(message(lang, "quiz.no_category", name=wanted[:60], names=names))
        category = found.id
    question = new_question(glossary, lang, category=category)
    return ephemeral(quiz_message(question, category=category, lang=lang))


def learn_command(request: CommandRequest) -> Payload:
    """`/lingo learn on [HH:MM] [time zone]` | `off`: the daily review DM of your deck."""
    engine, user, lang = _engine(request), request.user_id, _lang(request)
    word, _, rest = request.command.argument.strip().partition(" ")
    now = datetime.now(UTC)
    if word.casefold() == "off":
        stopped = store.learn_off(engine, user, now=now)
        request.deps.learners.put(user, False)
        if not stopped:
            return _reply(message(lang, "learn.not_on"))
        return _reply(message(lang, "learn.now_off"))
    if word.casefold() != "on":
        person = store.get_person(engine, user)
        state = "on" if person is not None and person.active else "off"
        return _reply(message(lang, f"learn.state_{state}", usage=message(lang, "learn.usage")))
    at: time | None = None
    zone: str | None = None
    for part in rest.split():
        if part[:1].isdigit():
            at = parse_local_time(part)
        else:
            zone = parse_timezone(part)
    before = store.get_person(engine, user)
    zone = zone or (before.timezone if before is not None else None) or _slack_zone(request)
    person = store.learn_on(engine, user, at=at, timezone=zone, now=now)
    request.deps.learners.put(user, True)
    upcoming = person.next_review_at(now).astimezone(person.zone)
    first = f"{short_date(lang, upcoming, year=False)} {upcoming:%H:%M}"
    return _reply(
        message(
            lang,
            "learn.now_on",
            time=f"{person.at:%H:%M}",
            zone=person.timezone,
            count=MAX_REVIEWS,
            first=first,
        )
    )


def _slack_zone(request: CommandRequest) -> str:
    """The person's time zone as Slack has it, else LINGO_TIMEZONE."""
    try:
        found = request.client.users_info(user=request.user_id)["user"].get("tz")
        if found:
            return parse_timezone(str(found))
    except Exception:
        logger.info("no time zone from users.info; using LINGO_TIMEZONE", exc_info=True)
    return request.deps.settings.timezone


def forget_command(request: CommandRequest) -> Payload:
    """`/lingo forget me`: delete every piece of your learning data, and say what went."""
    lang = _lang(request)  # before the choice of language is deleted with the rest
    if request.command.argument.strip().casefold() != "me":
        raise UserError(message(lang, "forget.usage"))
    deleted = store.forget(_engine(request), request.user_id)
    request.deps.learners.put(request.user_id, False)
    parts = []
    for table, count in deleted.items():
        if count:
            key = f"forget.{table}_{'one' if count == 1 else 'many'}"
            parts.append(message(lang, key, count=count) if key in CATALOGUES[lang] else table)
    if not parts:
        return _reply(message(lang, "forget.nothing"))
    return _reply(message(lang, "forget.done", parts=", ".join(parts)))


def _reply(text: str) -> Payload:
    """A short answer only the person sees; its text is ours, sent as mrkdwn."""
    return {"text": text, "response_type": "ephemeral"}


# -- hooks for the other listeners ---------------------------------------------------------------


def note_lookup(deps: Deps, user_id: str, lookup: Lookup) -> None:
    """A term found by someone learning joins their deck; nothing is kept for anyone else.

    Whether the person is learning is remembered (``Deps.learners``), so the lookups of
    everyone else never touch the database. Never fails the lookup.
    """
    term = lookup.resolution.term
    engine = deps.engine
    if term is None or not user_id or not lookup.resolution.confident or engine is None:
        return
    try:
        if deps.learners.get(user_id, lambda user: store.is_learning(engine, user)):
            store.add_card(engine, user_id, term.id, "lookup", now=datetime.now(UTC))
    except Exception:
        logger.exception("adding a looked-up term to the deck failed; the answer was sent")


def progress_blocks(deps: Deps, user_id: str, lang: str = "en") -> list[Block]:
    """The App Home's "Your learning": this person's own progress, for their eyes only."""
    if deps.engine is None:
        return []
    now = datetime.now(UTC)
    progress = store.progress(deps.engine, user_id, now=now, zone=deps.settings.timezone)
    person = progress.person
    return home_learning_blocks(
        learning=progress.learning,
        learned=progress.learned,
        streak=progress.streak,
        answered=progress.answered,
        right=progress.right,
        reviewing=None if person is None or not person.active else person.reviewing,
        next_review=progress.next_review,
        zone=person.zone if person is not None else UTC,
        lang=lang,
    )
