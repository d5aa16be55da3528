"""The offline console: type what you would type after /lingo and read the same answer as text.

It runs when no Slack credentials are set, so anyone can see the bot work before creating
a Slack app, and it says exactly what to set to connect. Its lookups go to the same
anonymous lookup log as Slack's (LINGO_DATABASE_URL), so `lingo stats` shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.admin.lookup_log import LookupRecorder
from bot.glossary.model import Glossary
from bot.lookup.answers import Lookup, answer_command
from bot.lookup.commands import parse_command
from bot.lookup.resolver import Resolution, Resolver
from bot.render.text import answer_text, names_in
from bot.settings import WHERE, Settings
from bot.store.engine import create_schema, make_engine

CONNECT_HELP = f"""To connect to Slack, create the app from deploy/slack-manifest.yaml, then set:
  export SLACK_BOT_TOKEN=xoxb-…      # {WHERE["SLACK_BOT_TOKEN"]}
  export SLACK_APP_TOKEN=xapp-…      # {WHERE["SLACK_APP_TOKEN"]}
and run `make run` again (Socket Mode: no public URL needed). For HTTP mode instead set
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `lingo serve --http`. See README.md."""

RecordLookup = Callable[[str, Resolution], None]


def run_offline_console(
    glossary: Glossary, settings: Settings, stdin: TextIO, stdout: TextIO, *, lang: str = "en"
) -> int:
    """Read queries line by line until EOF or `quit`; print each answer (in ``lang``); log
    each lookup."""
    resolver = Resolver(glossary)
    names, categories = names_in(glossary, lang)
    interactive = stdin.isatty()
    stdout.write(
        f"LLM Lingo offline console — {len(glossary)} terms from {settings.glossary_dir}\n"
        f"No Slack connection. {CONNECT_HELP}\n\n"
    )
    with lookup_log(settings) as (record, note):
        stdout.write(
            f"{note}\n"
            "Type what you would type after /lingo (e.g. `quantisaton`, `list`, `search memory`); "
            "`quit` to leave.\n"
        )
        while True:
            if interactive:
                stdout.write("\n/lingo ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                break
            text = line.strip()
            if text in {"quit", "exit", r"\q"}:
                break
            if not interactive:
                stdout.write(f"\n/lingo {text}\n")
            command = parse_command(text, resolver.names_a_term)
            reply = answer_command(command, resolver, contributing_url=settings.contributing_url)
            if isinstance(reply, Lookup) and record is not None:
                record(command.argument, reply.resolution)  # as Slack does: the text, no user
            stdout.write(answer_text(reply, names, categories, lang=lang) + "\n")
    return 0


@contextmanager
def lookup_log(settings: Settings) -> Iterator[tuple[RecordLookup | None, str]]:
    """The anonymous lookup log of LINGO_DATABASE_URL, and a line for people saying so.

    What was recorded is written out when the console ends. When the database cannot be
    used, there is no log and the line says why: the console answers all the same.
    """
    engine, problem = _open_database(settings)
    if engine is None:
        yield None, f"Lookups are not counted for `lingo stats`: {problem}"
        return
    recorder = LookupRecorder(engine)
    try:
        yield recorder.record, "Lookups are counted anonymously for `lingo stats`."
    finally:
        recorder.flush()
        recorder.close()
        engine.dispose()


def _open_database(settings: Settings) -> tuple[Engine | None, str]:
    """The database with its tables, or None and why not; a malformed URL stops the start."""
    try:
        engine = make_engine(settings.database_url)
    except OSError as error:  # the folder of the SQLite file cannot be made
        return None, str(error)
    try:
        create_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return None, f"the database (LINGO_DATABASE_URL) said: {reason}"
    return engine, ""
