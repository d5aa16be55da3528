"""The offline console: type what you would type after /lingo and read the same answer as text.

It runs when no Slack credentials are set, so anyone can see the bot work before creating
a Slack app, and it says exactly what to set to connect. Its lookups go to the same
anonymous lookup log as Slack's (LINGO_DATABASE_URL), so `lingo stats` shows them.

``TerminalAnswers`` is the terminal's one dispatch of the ``/lingo`` grammar
(:mod:`bot.lookup.commands`), shared by the console and `lingo ask`: a table from command
word to handler, so a new command is one entry. In a terminal the console edits lines with
readline, keeps a history in LINGO_DATA_DIR, completes commands and term names with Tab,
and ends on `quit`, `exit`, Ctrl-D or Ctrl-C.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from bot.admin.lookup_log import LookupRecorder
from bot.errors import LingoError
from bot.glossary.model import Glossary, Term
from bot.learning.quiz import NotEnoughTerms, Question, judge, make_question
from bot.lookup.answers import EXAMPLES, Help, Lookup, answer_command
from bot.lookup.commands import COMMANDS, IN_SLACK_ONLY, Command, parse_command
from bot.lookup.resolver import Resolution, Resolver
from bot.render.i18n import message
from bot.render.text import answer_text, names_in, paragraphs, question_text, verdict_text
from bot.settings import WHERE, Settings
from bot.store.storage import open_storage

CONNECT_HELP = f"""To connect to Slack, create the app from deploy/slack-manifest.yaml, then put
these lines in .env (read at start) or run them in the shell:
  export SLACK_BOT_TOKEN=xoxb-…      # {WHERE["SLACK_BOT_TOKEN"]}
  export SLACK_APP_TOKEN=xapp-…      # {WHERE["SLACK_APP_TOKEN"]}
and run `make run` again (Socket Mode: no public URL needed). For HTTP mode instead set
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `lingo serve --http`. See README.md."""

PROMPT = "/lingo "
QUIT_WORDS = frozenset({"quit", "exit", r"\q"})
LEAVE = "Leave with `quit`, `exit`, Ctrl-D or Ctrl-C."
HISTORY_FILE = "console_history"
HISTORY_LENGTH = 1000

RecordLookup = Callable[[str, Resolution], None]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the terminal shows for one text; ``lookup`` when it was a lookup (to be counted)."""

    query: str
    command: Command
    text: str
    ok: bool = True
    lookup: Lookup | None = None


Handler = Callable[[str, Command], Reply]


class TerminalAnswers:
    """The ``/lingo`` words answered as terminal text: for the console and `lingo ask`.

    ``handlers`` maps each command word to what answers it; the words that need Slack
    explain themselves and name what to run instead (``IN_SLACK_ONLY``).
    """

    def __init__(
        self,
        glossary: Glossary,
        *,
        contributing_url: str,
        today: Callable[[], Term] | None = None,
        console: bool = False,
        lang: str = "en",
    ) -> None:
        self.resolver = Resolver(glossary)
        self._contributing_url = contributing_url
        self._today = today
        self._console = console
        self._lang = lang
        self._names, self._categories = names_in(glossary, lang)
        self.handlers: dict[str, Handler] = {
            "help": self._help,
            "list": self._from_glossary,
            "search": self._from_glossary,
            "random": self._from_glossary,
            "today": self._from_glossary,
            "lookup": self._from_glossary,
            "quiz": self._quiz,
            **dict.fromkeys(IN_SLACK_ONLY, self._in_slack_only),
        }
        self._asked: Question | None = None  # the quiz question the next 1–4 answers
        self._rng = random.Random()  # noqa: S311 - questions, not secrets

    def reply(self, text: str) -> Reply:
        """Answer ``text`` as Slack would answer it after /lingo; known errors as written."""
        asked, self._asked = self._asked, None
        if asked is not None and text.strip() in {str(i + 1) for i in range(len(asked.options))}:
            return self._judge(text, asked)
        command = parse_command(text, self.resolver.names_a_term)
        handler = self.handlers.get(command.name, self._help)
        try:
            return handler(text, command)
        except LingoError as error:
            return Reply(text, command, paragraphs(str(error)), ok=False)

    def completions(self) -> list[str]:
        """What Tab completes: command words, then every term's name and aliases."""
        words = [w for w in self.handlers if w != "lookup"]
        if self._console:
            words += ["quit", "exit"]
        words += [f"list {c}" for c in self._categories]
        for term in self.resolver.glossary.terms.values():
            words += [term.name, *term.aliases]
        return list(dict.fromkeys(words))

    def _from_glossary(self, text: str, command: Command) -> Reply:
        answer = answer_command(
            command, self.resolver, contributing_url=self._contributing_url, today=self._today
        )
        shown = answer_text(answer, self._names, self._categories, lang=self._lang)
        if isinstance(answer, Lookup):
            return Reply(text, command, shown, answer.resolution.status != "miss", answer)
        return Reply(text, command, shown)

    def _help(self, text: str, command: Command) -> Reply:
        here = tuple(
            usage
            for word, usage in COMMANDS.items()
            if word in self.handlers and word not in IN_SLACK_ONLY
        )
        shown = answer_text(Help(here, EXAMPLES, len(self.resolver.glossary)), lang=self._lang)
        slack_only = ", ".join(w for w in IN_SLACK_ONLY if w in self.handlers)
        more = f"In Slack only (type one to see what to run here): {slack_only}."
        if self._console:
            more += f"\n{LEAVE}"
        return Reply(text, command, f"{shown}\n\n{paragraphs(more)}")

    def _quiz(self, text: str, command: Command) -> Reply:
        """`quiz [category]`: a question; the next line, 1–4, answers it (nothing is stored)."""
        glossary = self.resolver.glossary
        wanted = command.argument.strip().casefold()
        category = next(
            (c.id for c in glossary.categories if wanted in (c.id.casefold(), c.name.casefold())),
            None,
        )
        if wanted and category is None:
            names = ", ".join(c.id for c in glossary.categories)
            found = message(self._lang, "quiz.no_category", name=wanted, names=names)
            return Reply(text, command, found, ok=False)
        try:
            question = make_question(glossary, self._rng, category=category, lang=self._lang)
        except NotEnoughTerms as error:
            return Reply(text, command, message(self._lang, "quiz.no_quiz", reason=error), ok=False)
        self._asked = question
        how = message(
            self._lang, "console.quiz_answer" if self._console else "console.quiz_elsewhere"
        )
        return Reply(text, command, f"{question_text(question, self._lang)}\n{how}")

    def _judge(self, text: str, question: Question) -> Reply:
        verdict = judge(question, int(text.strip()) - 1, self.resolver.glossary, self._lang)
        again = message(self._lang, "console.quiz_again")
        return Reply(text, Command("quiz", text), f"{verdict_text(verdict, self._lang)}\n{again}")

    def _in_slack_only(self, text: str, command: Command) -> Reply:
        return Reply(text, command, paragraphs(IN_SLACK_ONLY[command.name]), ok=False)


def run_offline_console(
    glossary: Glossary, settings: Settings, stdin: TextIO, stdout: TextIO, *, lang: str = "en"
) -> int:
    """Read texts until EOF, `quit`, `exit` or Ctrl-C; print each answer (in ``lang``); log
    each lookup."""
    from bot.daily.post import TodaysTerm
    from bot.glossary.live import LiveGlossary

    interactive = stdin.isatty()
    stdout.write(
        f"LLM Lingo offline console — {len(glossary)} terms from {settings.glossary_dir}\n"
        f"No Slack connection. {CONNECT_HELP}\n\n"
    )
    with lookup_log(settings) as (record, note, engine):
        today = TodaysTerm(engine, LiveGlossary(glossary), settings)
        answers = TerminalAnswers(
            glossary,
            contributing_url=settings.contributing_url,
            today=today,
            console=True,
            lang=lang,
        )
        editing = interactive and stdin is sys.stdin and stdout is sys.stdout
        stdout.write(
            f"{note}\n"
            "Type what you would type after /lingo: a term (`quantisaton`), `list`, "
            "`search memory`, `today`, `quiz`, `help`.\n"
            + (
                "Tab completes commands and term names; ↑ and ↓ recall earlier lines.\n"
                if editing
                else ""
            )
            + f"{LEAVE}\n"
        )
        with line_reader(settings, answers.completions(), stdin, stdout, editing) as read:
            while True:
                try:
                    text = read()
                except (EOFError, KeyboardInterrupt):
                    if interactive:
                        stdout.write("\n")  # the shell's prompt starts on a line of its own
                    break
                if text in QUIT_WORDS:
                    break
                if not text:
                    continue
                if not interactive:
                    stdout.write(f"\n{PROMPT}{text}\n")
                reply = answers.reply(text)
                if reply.lookup is not None and record is not None:
                    # as Slack does: the text, no user
                    record(reply.command.argument, reply.lookup.resolution)
                stdout.write(reply.text + "\n")
                stdout.flush()
    return 0


@contextmanager
def line_reader(
    settings: Settings, completions: list[str], stdin: TextIO, stdout: TextIO, editing: bool
) -> Iterator[Callable[[], str]]:
    """A function reading the next text (EOFError at the end).

    With ``editing``, it is readline's ``input``: line editing, Tab completion of
    ``completions``, and the history of earlier sessions, saved on the way out.
    """
    if not editing:

        def read_plain() -> str:
            stdout.flush()
            line = stdin.readline()
            if not line:
                raise EOFError
            return line.strip()

        yield read_plain
        return

    import readline

    history = settings.data_dir / HISTORY_FILE
    with suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(HISTORY_LENGTH)
    readline.set_completer(_completer(completions))
    readline.set_completer_delims("")  # complete the whole line: term names have spaces
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    try:
        yield lambda: input(PROMPT).strip()
    finally:
        _save_history(readline.write_history_file, history)


def _completer(candidates: list[str]) -> Callable[[str, int], str | None]:
    """readline's completer: the candidates that start with the line typed so far, any case."""
    found: list[str] = []

    def complete(text: str, state: int) -> str | None:
        if state == 0:
            typed = text.casefold()
            found[:] = [c for c in candidates if c.casefold().startswith(typed)]
        return found[state] if state < len(found) else None

    return complete


def _save_history(write: Callable[[Path], None], history: Path) -> None:
    """Keep the lines for the next session; a data folder that cannot be written loses them."""
    with suppress(OSError):
        history.parent.mkdir(parents=True, exist_ok=True)
        write(history)


@contextmanager
def lookup_log(settings: Settings) -> Iterator[tuple[RecordLookup | None, str, Engine | None]]:
    """The anonymous lookup log of LINGO_DATABASE_URL, a line for people saying so, its engine.

    What was recorded is written out when the console ends. When the database cannot be
    used, there is no log and the line says why: the console answers all the same.
    """
    engine, problem = _open_database(settings)
    if engine is None:
        yield None, f"Lookups are not counted for `lingo stats`: {problem}", None
        return
    recorder = LookupRecorder(engine)
    try:
        yield recorder.record, "Lookups are counted anonymously for `lingo stats`.", engine
    finally:
        recorder.flush()
        recorder.close()
        engine.dispose()


def _open_database(settings: Settings) -> tuple[Engine | None, str]:
    """The database with its tables, or None and why not; a malformed URL stops the start."""
    storage = open_storage(settings.database_url)
    return storage.usable_engine, storage.problem or ""
