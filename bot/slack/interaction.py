"""The opening every listener shares, and what a person sees when one does not succeed.

Every listener does the same four things around its own work: acknowledge Slack at once,
do nothing again for a request already handled (a Slack retry, a replay: see
``bot.slack.retries``), tell the person about a failure, and release the request's claim
after an unexpected failure so that a retry can try again. ``interaction`` is that opening,
written once; a listener module hands it only the work.

Two kinds of failure (``bot.errors``): a ``LingoError`` is a known reason, shown as written.
Anything else is a bug: it is logged with its traceback under a short error id, counted in
``lingo_errors``, and the person sees an apology with the same id, so a report can be
matched to the log line.

Slack sends the text people type with ``&``, ``<`` and ``>`` escaped as HTML entities;
``typed_text`` decodes them, once, where the text enters the bot. The core works on the
text as typed and never decodes again.
"""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.errors import LingoError
from bot.ops.metrics import ERRORS
from bot.render.blocks.answers import apology_message, notice_message
from bot.render.blocks.kit import Message
from bot.slack.client import send_reply
from bot.slack.retries import is_duplicate, release

logger = logging.getLogger("bot.slack")

Reply = Callable[[Message], None]
Body = dict[str, Any]
Work = Callable[[Body, BoltContext], None]
"""A listener's own work: the request body and the Bolt context (client, ids, logger)."""
ReplyTo = Callable[[Body], Reply | None]
"""How to tell the person who sent ``body`` about a failure (None: there is no way)."""


def clicked_by(body: Body) -> str:
    """The id of the person who clicked a button or sent a form ("" if Slack sent none)."""
    user = body.get("user")
    return str(user.get("id", "")) if isinstance(user, dict) else ""


def typed_text(escaped: object) -> str:
    """The text a person typed, from Slack's escaped form (``&amp;lt;`` → ``&lt;``)."""
    return html.unescape(str(escaped or ""))


def report_unexpected(error: BaseException, what: str) -> str:
    """Log ``error`` with its traceback under a new error id; count it; return the id."""
    error_id = secrets.token_hex(4)
    ERRORS.inc()
    logger.error("error %s while %s: %r", error_id, what, error, exc_info=error)
    return error_id


def failure_message(error: Exception, what: str) -> Message:
    """The message for a failed request: a LingoError's text, or an apology with an error id."""
    if isinstance(error, LingoError):
        return notice_message(str(error))
    return apology_message(report_unexpected(error, what))


@contextmanager
def replying_on_failure(
    what: str, reply: Reply | None, on_bug: Callable[[], Any] | None = None
) -> Iterator[None]:
    """Run the block; on failure tell the person through ``reply`` (if there is a way to).

    ``on_bug`` runs after an unexpected error, e.g. to let a retry of the request try again.
    A failure of the reply itself is logged too: nothing fails silently.
    """
    try:
        yield
    except Exception as error:
        message = failure_message(error, what)
        if not isinstance(error, LingoError) and on_bug is not None:
            on_bug()
        if reply is None:
            return
        try:
            reply(message)
        except Exception as reply_error:
            report_unexpected(reply_error, f"telling the user about a failure ({what})")


def response_url_of(body: Body) -> str:
    """The interaction's response_url ("" if Slack sent none)."""
    return str(body.get("response_url") or "")


def to_response_url(body: Body) -> Reply | None:
    """Tell only the person who acted, as a new message, without touching the original."""
    url = response_url_of(body)
    if not url:
        return None
    return lambda message: send_reply(
        url, message, response_type="ephemeral", replace_original=False
    )


def nobody(body: Body) -> None:
    """For events with no one to answer (the App Home): a failure is logged only."""
    return


def interaction(what: str, reply_to: ReplyTo) -> Callable[[Work], Callable[..., None]]:
    """Make ``work`` a Bolt listener: ack at once, skip a repeated request, reply on failure
    through ``reply_to(body)``, and release the request's claim after an unexpected one."""

    def wrap(work: Work) -> Callable[..., None]:
        def listener(ack: Ack, body: Body, context: BoltContext) -> None:
            ack()
            if is_duplicate(context):
                return
            with replying_on_failure(what, reply_to(body), lambda: release(context)):
                work(body, context)

        listener.__name__ = listener.__qualname__ = work.__name__
        listener.__doc__ = work.__doc__
        return listener

    return wrap
