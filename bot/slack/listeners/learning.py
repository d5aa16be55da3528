"""Learning in Slack: /lingo quiz, learn, forget me; quiz, deck and "Was this clear?" buttons.

Everything a person sees here is theirs alone: quiz questions and verdicts are ephemeral
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
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.interaction import interaction, to_response_url
from bot.slack.listeners.cards import chosen_term
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

logger = logging.getLogger(__name__)

LEARNING = "quizzes and the review deck"

QUIZ_ANSWER_ACTION = re.compile(rf"^{QUIZ_ANSWER}_\d+_\d+$")
LEARN_USAGE = "`/lingo learn on [HH:MM] [time zone]`, `/lingo learn off`"
TABLE_WORDS = {
    "quiz_answers": ("quiz answer", "quiz answers"),
    "learning_cards": ("card of your review deck", "cards of your review deck"),
    "learning_people": ("your review settings", "your review settings"),
    "clarity_votes": ("“Was this clear?” vote", "“Was this clear?” votes"),
    "review_messages": ("record of a review DM", "records of review DMs"),
    "user_prefs": ("language preference", "language preferences"),
}


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
        message = quiz_message(
            new_question(glossary, term_id=term_id, category=category), category=category
        )
        if url:
            replace = _action(body).get("action_id") == QUIZ_NEXT
            send_reply(url, message, response_type="ephemeral", replace_original=replace)
        else:  # the App Home has no response_url: the question goes to the person's DM
            channel = client.conversations_open(users=_user(body))["channel"]["id"]
            client.chat_postMessage(channel=channel, **message)

    @app.action(QUIZ_ANSWER_ACTION)
    @interaction("judging an answer", to_response_url)
    def answer(body: dict[str, Any], context: BoltContext) -> None:
        """Judge the answer, count it once, reply with the verdict."""
        url = str(body.get("response_url") or "")
        message = answer_message(deps, _user(body), str(_action(body).get("value") or ""))
        if url:
            review = AnswerValue.decode(str(_action(body).get("value"))).review_day
            # A quiz's verdict replaces the question; a review's comes below the DM, whose
            # other questions stay.
            send_reply(url, message, response_type="ephemeral", replace_original=review is None)

    @app.action(DECK_ADD)
    @interaction("adding to the deck", to_response_url)
    def add_to_deck(body: dict[str, Any], context: BoltContext) -> None:
        """Put the card's term in the person's review deck."""
        term = chosen_term(body, deps.live.current().glossary.terms)
        engine, user = deps.database(LEARNING), _user(body)
        person = store.get_person(engine, user)
        if person is None or not person.active:
            raise UserError(
                f"Your review deck is off. `/lingo learn on` starts a daily review; then "
                f"*Add to my deck* puts {term.name} in it."
            )
        added = store.add_card(engine, user, term.id, "added", now=datetime.now(UTC))
        when = person.next_review_at(datetime.now(UTC)).astimezone(person.zone)
        text = (
            f"Added *{term.name}* to your deck: first review {when:%a} {when.day} {when:%b} "
            f"at {when:%H:%M}."
            if added
            else f"*{term.name}* is already in your deck."
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
        store.vote(deps.database(LEARNING), _user(body), term.id, clear, now=datetime.now(UTC))
        if not clear and body.get("trigger_id"):
            client.views_open(trigger_id=str(body["trigger_id"]), view=clarity_view(term))
            return
        reply = to_response_url(body)
        if reply is not None:
            reply(notice_message(f"Thanks! Glad {term.name} was clear."))

    @app.view(CLARITY_FORM)
    def clarity_comment(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        view = body.get("view") or {}
        term_id = str(view.get("private_metadata") or "")
        values = (view.get("state") or {}).get("values") or {}
        text = str(((values.get(CLARITY_TEXT) or {}).get("value") or {}).get("value") or "")
        if term_id in deps.live.current().glossary.terms and text.strip():
            store.comment(
                deps.database(LEARNING), _user(body), term_id, text, now=datetime.now(UTC)
            )


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    first: dict[str, Any] = actions[0]
    return first


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _scope(scope: str) -> tuple[str | None, str | None]:
    kind, _, value = scope.partition(":")
    if kind == "term" and value:
        return value, None
    if kind == "category" and value:
        return None, value
    return None, None


def new_question(
    glossary: Glossary, *, term_id: str | None = None, category: str | None = None
) -> Question:
    """A fresh question; UserError when the glossary cannot make one."""
    try:
        return make_question(glossary, random.Random(), term_id=term_id, category=category)  # noqa: S311
    except NotEnoughTerms as error:
        raise UserError(f"No quiz here: {error}.") from None


def answer_message(deps: Deps, user: str, raw: str) -> Message:
    """The verdict on one answer button; the answer is stored (and acted on) only the first time."""
    try:
        value = AnswerValue.decode(raw)
    except ValueError:
        raise UserError(
            "That answer cannot be read; try `/lingo quiz` for a new question."
        ) from None
    glossary = deps.live.current().glossary
    question = value.question()
    try:
        verdict = judge(question, value.chosen, glossary)
    except NotEnoughTerms:
        raise UserError("That term is no longer in the glossary. Try `/lingo quiz`.") from None
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
        verdict = judge(question, first_index, glossary)
    person = store.get_person(engine, user)
    scope = f"category:{value.category}" if value.category else ""
    return verdict_message(
        verdict,
        first=stored.first,
        next_due=stored.next_due,
        zone=person.zone if person is not None else None,
        scope=scope,
        next_button=value.review_day is None,
    )


# -- commands ------------------------------------------------------------------------------------


def _engine(request: CommandRequest) -> Engine:
    return request.deps.database(LEARNING)


def quiz_command(request: CommandRequest) -> Payload:
    """`/lingo quiz [category]`: one question, only for you."""
    glossary = request.deps.live.current().glossary
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
            raise UserError(f"There is no category “{wanted[:60]}”. Categories: {names}.")
        category = found.id
    return ephemeral(quiz_message(new_question(glossary, category=category), category=category))


def learn_command(request: CommandRequest) -> Payload:
    """`/lingo learn on [HH:MM] [time zone]` | `off`: the daily review DM of your deck."""
    engine, user = _engine(request), request.user_id
    word, _, rest = request.command.argument.strip().partition(" ")
    now = datetime.now(UTC)
    if word.casefold() == "off":
        stopped = store.learn_off(engine, user, now=now)
        request.deps.learners.put(user, False)
        if not stopped:
            return _reply("Learning is not on. `/lingo learn on` starts a daily review.")
        return _reply(
            "Learning is off: no more review DMs. Your deck is kept; `/lingo learn on` resumes "
            "it and `/lingo forget me` deletes it."
        )
    if word.casefold() != "on":
        person = store.get_person(engine, user)
        state = "on" if person is not None and person.active else "off"
        return _reply(f"Learning is {state}. Usage: {LEARN_USAGE}.")
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
    return _reply(
        f"Learning is on. Each day at *{person.at:%H:%M}* ({person.timezone}) I send you one DM "
        f"with up to 5 reviews, when any are due: the terms you look up, get wrong in a quiz or "
        f"add with *Add to my deck*. First possible review: {upcoming:%a} {upcoming.day} "
        f"{upcoming:%b %H:%M}. Only you see your deck. `/lingo learn off` stops it; "
        "`/lingo forget me` deletes your learning data."
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
    if request.command.argument.strip().casefold() != "me":
        raise UserError(
            "`/lingo forget me` deletes all your learning data (deck, answers, votes, settings)."
        )
    deleted = store.forget(_engine(request), request.user_id)
    request.deps.learners.put(request.user_id, False)
    parts = []
    for table, count in deleted.items():
        if count:
            one, many = TABLE_WORDS.get(table, (table, table))
            parts.append(
                one if table == "learning_people" else f"{count} {one if count == 1 else many}"
            )
    if not parts:
        return _reply("There was no learning data of yours to delete.")
    return _reply(
        "Deleted " + ", ".join(parts) + ". Nothing of yours is left in the learning data; "
        "the lookup log never knew who you are."
    )


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


def progress_blocks(deps: Deps, user_id: str) -> list[Block]:
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
    )
