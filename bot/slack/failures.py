"""What a person sees when a listener does not succeed: the two kinds of error.

A ``UserError`` is a known reason; its message is shown as written. Anything else is a bug:
it is logged with its traceback under a short error id, counted in ``lingo_errors``, and
the person sees an apology with the same id, so a report can be matched to the log line.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.errors import UserError
from bot.ops.metrics import ERRORS
from bot.render.blocks.answers import apology_message, notice_message
from bot.render.blocks.kit import Message

logger = logging.getLogger("bot.slack")

Reply = Callable[[Message], None]


def report_unexpected(error: BaseException, what: str) -> str:
    """Log ``error`` with its traceback under a new error id; count it; return the id."""
    error_id = secrets.token_hex(4)
    ERRORS.inc()
    logger.error("error %s while %s: %r", error_id, what, error, exc_info=error)
    return error_id


def failure_message(error: Exception, what: str) -> Message:
    """The message for a failed request: the UserError's text, or an apology with an error id."""
    if isinstance(error, UserError):
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
        if not isinstance(error, UserError) and on_bug is not None:
            on_bug()
        if reply is None:
            return
        try:
            reply(message)
        except Exception as reply_error:
            report_unexpected(reply_error, f"telling the user about a failure ({what})")
