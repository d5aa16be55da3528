"""The term of the day in Slack: /lingo subscribe, unsubscribe, subscriptions; related terms.

Subscriptions live in the database; the scheduler re-reads them every minute, in whichever
process it runs, so a change here takes effect without a restart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from sqlalchemy import Engine

from bot.daily.ledger import last_posted
from bot.daily.subscriptions import (
    Subscription,
    active_subscriptions,
    parse_schedule_words,
    subscribe,
    unsubscribe,
)
from bot.errors import UserError
from bot.render.blocks.daily import DAILY_RELATED, related_terms_message
from bot.render.i18n import message
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.interaction import clicked_by, interaction, response_url_of, to_response_url
from bot.slack.listeners.cards import chosen_term
from bot.slack.router import CommandRequest, CommandRouter, Payload


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route the subscription commands; answer the daily post's related-terms button."""
    router.route("subscribe", subscribe_command)
    router.route("unsubscribe", unsubscribe_command)
    router.route("subscriptions", subscriptions_command)

    @app.action(DAILY_RELATED)
    @interaction("showing related terms", to_response_url)
    def related_terms(body: dict[str, Any], context: BoltContext) -> None:
        """Show the clicking person the terms related to the day's term, each with a button."""
        url = response_url_of(body)
        glossary = deps.live.current().glossary
        lang = deps.language(context.client, clicked_by(body))
        message = related_terms_message(chosen_term(body, glossary.terms), glossary, lang)
        if url:
            send_reply(url, message, response_type="ephemeral", replace_original=False)


def _engine(request: CommandRequest) -> Engine:
    return request.deps.database("the term of the day's subscriptions")


def _channel(request: CommandRequest) -> str:
    if not request.channel_id:
        raise UserError("Use this command in the channel that should get the term of the day.")
    return request.channel_id


def _reply(text: str, *, everyone: bool = False) -> Payload:
    """A short answer. Its text is ours (mentions, channel links, validated schedules), so it
    is sent as mrkdwn text without blocks; nothing in it was typed by a person."""
    return {"text": text, "response_type": "in_channel" if everyone else "ephemeral"}


def _when(subscription: Subscription, now: datetime) -> str:
    """'every mon-fri at 09:00 (Europe/Berlin); next: Tue 4 Mar 09:00'"""
    upcoming = subscription.next_run(now).astimezone(subscription.zone)
    language = (
        "" if subscription.lang == "en" else f", in {message(subscription.lang, 'language.name')}"
    )
    return (
        f"{subscription.days} at {subscription.at:%H:%M} ({subscription.timezone}){language}; "
        f"next: {upcoming:%a} {upcoming.day} {upcoming:%b %H:%M}"
    )


def subscribe_command(request: CommandRequest) -> Payload:
    """`/lingo subscribe [HH:MM] [days] [time zone]`: the term of the day in this channel."""
    engine, channel = _engine(request), _channel(request)
    words = parse_schedule_words(request.command.argument)
    now = datetime.now(UTC)
    # Idempotent: a command Slack delivers twice finds the schedule already saved.
    saved, before = subscribe(
        engine,
        channel,
        words,
        settings=request.deps.settings,
        user=request.user_id or None,
        now=now,
    )
    if before is not None and before.same_schedule(saved) and before.lang == saved.lang:
        return _reply(f"This channel already gets the term of the day {_when(saved, now)}.")
    who = f"<@{request.user_id}>" if request.user_id else "Someone"
    verb = "moved" if before is not None else "subscribed"
    text = (
        f"{who} {verb} this channel's term of the day: {_when(saved, now)}. "
        "Stop it with `/lingo unsubscribe`."
    )
    return _reply(text, everyone=True)


def unsubscribe_command(request: CommandRequest) -> Payload:
    """`/lingo unsubscribe`: no more term of the day in this channel."""
    engine, channel = _engine(request), _channel(request)
    stopped = unsubscribe(engine, channel, user=request.user_id or None, now=datetime.now(UTC))
    if not stopped:
        return _reply(
            "This channel does not get the term of the day. `/lingo subscribe` starts it."
        )
    who = f"<@{request.user_id}>" if request.user_id else "Someone"
    return _reply(
        f"{who} stopped the term of the day in this channel. `/lingo subscribe` starts it again.",
        everyone=True,
    )


def subscriptions_command(request: CommandRequest) -> Payload:
    """`/lingo subscriptions`: every channel that gets the term of the day, and when."""
    engine = _engine(request)
    now = datetime.now(UTC)
    found = active_subscriptions(engine)
    if not found:
        return _reply(
            "No channel gets the term of the day yet. "
            "Type `/lingo subscribe` in a channel to start."
        )
    count = "1 channel gets" if len(found) == 1 else f"{len(found)} channels get"
    lines = [f"*{count} the term of the day:*"]
    for subscription in found:
        line = f"• <#{subscription.channel}> {_when(subscription, now)}"
        last = last_posted(engine, subscription.channel)
        if last is not None:
            line += f"; last posted {last.day:%a} {last.day.day} {last.day:%b}"
        lines.append(line)
    return _reply("\n".join(lines))
