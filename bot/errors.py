"""The errors LLM Lingo raises on purpose.

There are two kinds of error. A ``LingoError`` is a known reason a command did not
proceed; its message is written for a person and is shown as it is. Anything else is a
bug: the Slack layer logs it with its traceback under an error id and the user sees a
short apology with that id; the CLI prints a one-line message and exits 1.

    LingoError                  base class; str(error) is the message to show
    ├── SettingsError           a missing or malformed setting; names the variable
    ├── GlossaryError           the glossary cannot be read at all (no such folder, ...)
    │   └── GlossaryInvalid     one or more Problems, each with a file and a line
    ├── UserError               the user asked for something that cannot be done
    └── DeliveryFailed          Slack did not take a daily post (``maybe_sent``: it may have)

Two more are raised on purpose but are states for the code, not messages for a person;
they are logged where they are caught, never shown as written:

    ReplyFailed                 Slack refused a response_url post (expired URL, bad blocks)
    LostClaim                   another process took a daily post's day over; do not post

The Slack layer shows every ``LingoError`` as written (``bot.slack.interaction``).
"""

from __future__ import annotations

from dataclasses import dataclass


class LingoError(Exception):
    """A known reason the command did not proceed; the message is shown as written."""


class SettingsError(LingoError):
    """A setting is missing or malformed."""


class GlossaryError(LingoError):
    """The glossary cannot be used."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the glossary, at a file and a 1-based line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class GlossaryInvalid(GlossaryError):  # noqa: N818 - reads better than GlossaryInvalidError
    """The glossary has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        super().__init__(f"the glossary has {count} problem{'s' if count != 1 else ''}{first}")


class UserError(LingoError):
    """The user asked for something that cannot be done; tell them why."""


class DeliveryFailed(LingoError):  # noqa: N818 - reads as what happened, like ReplyFailed
    """Slack did not take the post. ``maybe_sent``: it may have arrived all the same."""

    def __init__(self, message: str, *, maybe_sent: bool) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class ReplyFailed(Exception):  # noqa: N818 - "ReplyFailed" reads as what happened
    """Slack refused a response_url post (expired URL, invalid blocks, ...)."""


class LostClaim(Exception):  # noqa: N818 - a state, not an error of the caller
    """Another process took the day over; this one must not post."""
