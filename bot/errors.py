"""The errors LLM Lingo raises on purpose.

There are two kinds of error. A ``LingoError`` is a known reason a command did not
proceed; its message is written for a person and is shown as it is. Anything else is a
bug: the Slack layer logs it with its traceback under an error id and the user sees a
short apology with that id; the CLI prints a one-line message and exits 1.

    LingoError                  base class; str(error) is the message to show
    ├── SettingsError           a missing or malformed setting; names the variable
    ├── GlossaryError           the glossary cannot be read at all (no such folder, ...)
    │   └── GlossaryInvalid     one or more Problems, each with a file and a line
    └── UserError               the user asked for something that cannot be done
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
