"""The offline console: type what you would type after /lingo and read the same answer as text.

It runs when no Slack credentials are set, so anyone can see the bot work before creating
a Slack app, and it says exactly what to set to connect.
"""

from __future__ import annotations

from typing import TextIO

from bot.answers import answer
from bot.glossary.model import Glossary
from bot.render.text import answer_text
from bot.resolver import Resolver
from bot.settings import WHERE, Settings

CONNECT_HELP = f"""To connect to Slack, create the app from deploy/slack-manifest.yaml, then set:
  export SLACK_BOT_TOKEN=xoxb-…      # {WHERE["SLACK_BOT_TOKEN"]}
  export SLACK_APP_TOKEN=xapp-…      # {WHERE["SLACK_APP_TOKEN"]}
and run `make run` again (Socket Mode: no public URL needed). For HTTP mode instead set
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and run `lingo serve --http`. See README.md."""


def run_offline_console(
    glossary: Glossary, settings: Settings, stdin: TextIO, stdout: TextIO
) -> int:
    """Read queries line by line until EOF or `quit`; print each answer."""
    resolver = Resolver(glossary)
    names = {t.id: t.name for t in glossary.terms.values()}
    interactive = stdin.isatty()
    stdout.write(
        f"LLM Lingo offline console — {len(glossary)} terms from {settings.glossary_dir}\n"
        f"No Slack connection. {CONNECT_HELP}\n\n"
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
        reply = answer(text, resolver, contributing_url=settings.contributing_url)
        stdout.write(answer_text(reply, names) + "\n")
    return 0
