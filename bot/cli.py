"""The `lingo` command: validate the glossary, ask it questions, run the bot.

Exit status: 0 success; 1 the glossary has problems (validate) or a command failed;
2 bad usage, settings or an unreadable glossary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.errors import GlossaryError, GlossaryInvalid, LingoError, SettingsError, UserError
from bot.glossary import Glossary, load_glossary, validate_glossary
from bot.glossary.model import Term
from bot.lookup.resolver import Resolution
from bot.settings import Settings, load_env_file


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lingo` console script."""
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader left (`lingo ask lora | head -2`): stop quietly, and point stdout at
        # /dev/null so that Python's own flush at exit does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a program stopped by the closed pipe reports


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    load_env_file()  # .env in this folder, under the real environment
    try:
        code: int = args.run(args)
    except GlossaryInvalid as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"lingo: {error}", file=sys.stderr)
        return 2
    except SettingsError as error:
        print(f"lingo: {error}", file=sys.stderr)
        return 2
    except GlossaryError as error:
        print(f"lingo: {error}", file=sys.stderr)
        return 2
    except LingoError as error:
        print(f"lingo: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lingo", description="LLM Lingo: the LLM glossary for your Slack workspace."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the glossary; print PATH:LINE: problems")
    validate.add_argument(
        "glossary_dir",
        nargs="?",
        default=None,
        metavar="GLOSSARY_DIR",
        help="the glossary folder, or one file of it to check in its glossary's context "
        "(default: LINGO_GLOSSARY_DIR or glossary)",
    )
    validate.set_defaults(run=run_validate)

    ask = commands.add_parser(
        "ask",
        help="answer what you would type after /lingo: a term, help, list, search WORDS, ...",
        description="Answer what you would type after /lingo, as the offline console does: "
        "a term to look up, or a command (help, list [category], search WORDS, random, "
        "today). Commands that need Slack say what to run instead. "
        "Exit status 1 when nothing was found.",
    )
    ask.add_argument(
        "query", nargs="+", help="a term or a command; - reads one per line from stdin"
    )
    ask.add_argument(
        "--json",
        action="store_true",
        help="print JSON, one object per line: a lookup's query, status, term and "
        "suggestions; for a command, its query, command and text",
    )
    _lang_option(ask)
    _glossary_option(ask)
    ask.set_defaults(run=run_ask)

    console = commands.add_parser("console", help="an offline console: type what follows /lingo")
    _lang_option(console)
    _glossary_option(console)
    console.set_defaults(run=run_console)

    serve = commands.add_parser(
        "serve", help="run the bot (Socket Mode, or --http); without Slack settings, the console"
    )
    serve.add_argument(
        "--http",
        action="store_true",
        help="serve HTTP (POST /slack/events) on waitress instead of Socket Mode",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=None,
        help="HTTP port (default: PORT, else 3000); in Socket Mode, serves "
        "/healthz, /readyz and /metrics on it",
    )
    serve.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104 - containers listen everywhere
        help="address to listen on (default 0.0.0.0)",
    )
    serve.add_argument(
        "--no-scheduler",
        dest="scheduler",
        action="store_false",
        help="do not run the term-of-the-day scheduler in this process",
    )
    serve.set_defaults(run=run_serve)

    translations = commands.add_parser(
        "translations", help="lingo translations stamp: record the English each translation renders"
    )
    translation_commands = translations.add_subparsers(title="commands", metavar="COMMAND")
    stamp = translation_commands.add_parser(
        "stamp", help="after checking translations, record the English they were made from"
    )
    stamp.add_argument("glossary_dir", nargs="?", default=None, metavar="GLOSSARY_DIR")
    stamp.set_defaults(run=run_stamp)

    _add_daily_commands(commands)
    _add_admin_commands(commands)
    _add_db_commands(commands)
    return parser


def run_stamp(args: argparse.Namespace) -> int:
    from bot.glossary.translations import stamp_translations

    changed = stamp_translations(glossary_dir(args))
    for path in changed:
        print(f"stamped {path}")
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} stamped")
    return 0


def _date_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the local date (default: today in the channel's time zone)",
    )


def _lang_option(parser: argparse.ArgumentParser) -> None:
    from bot.render.i18n import CATALOGUES

    parser.add_argument(
        "--lang",
        choices=sorted(CATALOGUES),
        default="en",
        help="the language of the answers (default: en)",
    )


def _glossary_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--glossary",
        metavar="DIR",
        default=None,
        help="the glossary folder (default: LINGO_GLOSSARY_DIR or glossary)",
    )


def glossary_dir(args: argparse.Namespace, settings: Settings | None = None) -> Path:
    """The folder named on the command line, else by the settings."""
    chosen = getattr(args, "glossary", None) or getattr(args, "glossary_dir", None)
    if chosen:
        return Path(chosen)
    return (settings or Settings.from_env()).glossary_dir


def run_validate(args: argparse.Namespace) -> int:
    from bot.glossary.load import glossary_of_file

    directory = glossary_dir(args)
    if directory.is_absolute() and directory.is_relative_to(Path.cwd()):
        directory = directory.relative_to(Path.cwd())
    only: Path | None = None
    if not directory.is_dir() and (directory.suffix or directory.is_file()):
        only, directory = directory, glossary_of_file(directory)  # in its glossary's context
    report = validate_glossary(directory)
    problems, warnings = report.problems, report.warnings
    if only is not None:
        mine = only.resolve()
        problems = [p for p in problems if Path(p.path).resolve() == mine]
        warnings = [w for w in warnings if Path(w.path).resolve() == mine]
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if annotate:
            print(f"::error file={problem.path},line={problem.line}::{_escaped(problem.message)}")
    for warning in warnings:
        print(f"{warning.path}:{warning.line}: warning: {warning.message}")
        if annotate:
            print(f"::warning file={warning.path},line={warning.line}::{_escaped(warning.message)}")
    shown = only or directory
    if problems:
        count = len(problems)
        print(f"{shown}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    if only is not None:
        print(f"{only}: OK, checked with the glossary in {directory} ({report.summary()})")
    else:
        print(f"{directory}: OK, {report.summary()}")
    return 0


def _escaped(message: str) -> str:
    """A message as a GitHub workflow command carries it."""
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    """The JSON form of `lingo ask --json`."""
    term = resolution.term
    return {
        "query": resolution.query,
        "status": resolution.status,
        "term": None
        if term is None
        else {
            "id": term.id,
            "name": term.name,
            "aliases": list(term.aliases),
            "category": term.category,
            "definition": term.definition,
            "related": list(term.related),
            "links": [{"title": link.title, "url": link.url} for link in term.links],
        },
        "suggestions": [
            {"id": s.id, "name": s.name, "score": s.score} for s in resolution.suggestions
        ],
    }


def run_ask(args: argparse.Namespace) -> int:
    from bot.console import Reply, TerminalAnswers

    settings = Settings.from_env()
    glossary = load_glossary(glossary_dir(args, settings))
    answers = TerminalAnswers(
        glossary,
        contributing_url=settings.contributing_url,
        today=lambda: _todays_term(settings, glossary),
        lang=args.lang,
    )

    def show(reply: Reply) -> str:
        if not args.json:
            return reply.text
        if reply.lookup is not None:
            return json.dumps(resolution_json(reply.lookup.resolution), ensure_ascii=False)
        shown = {"query": reply.query.strip(), "command": reply.command.name}
        return json.dumps(shown | {"text": reply.text}, ensure_ascii=False)

    if args.query == ["-"]:
        for line in sys.stdin:
            if line.strip():  # a blank line asks nothing
                print(show(answers.reply(line)) + ("" if args.json else "\n"), flush=True)
        return 0
    reply = answers.reply(" ".join(args.query))
    print(show(reply))
    return 0 if reply.ok else 1


def _todays_term(settings: Settings, glossary: Glossary) -> Term:
    """`today` as `lingo daily preview` shows it: the one rule of bot.daily.post."""
    from bot.daily.post import todays_term
    from bot.store.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        return todays_term(engine, glossary, settings)
    finally:
        engine.dispose()


def run_console(args: argparse.Namespace) -> int:
    from bot.console import run_offline_console

    settings = Settings.from_env()
    glossary: Glossary = load_glossary(glossary_dir(args, settings))
    return run_offline_console(glossary, settings, sys.stdin, sys.stdout, lang=args.lang)


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is between 0 and 65535")
    return port


def run_serve(args: argparse.Namespace) -> int:
    from bot.slack.serve import serve

    settings = Settings.from_env()
    return serve(settings, http=args.http, host=args.host, port=args.port, scheduler=args.scheduler)


# -- the term of the day ------------------------------------------------------------------------


def _add_daily_commands(commands: Any) -> None:
    daily = commands.add_parser("daily", help="the term of the day: preview it, or post it now")
    daily.set_defaults(run=lambda _args: _usage(daily))
    daily_commands = daily.add_subparsers(title="daily commands", metavar="COMMAND")
    preview = daily_commands.add_parser(
        "preview", help="print the post that would go out, as text; posts and claims nothing"
    )
    preview.add_argument(
        "--channel",
        type=_channel_id,
        default=None,
        help="a channel id (default: the first of LINGO_DAILY_CHANNELS)",
    )
    _date_option(preview)
    _glossary_option(preview)
    preview.set_defaults(run=run_daily_preview)
    post = daily_commands.add_parser(
        "post", help="post the term of the day now; a second call for the day posts nothing"
    )
    post.add_argument("--channel", type=_channel_id, required=True, help="the channel id")
    _date_option(post)
    _glossary_option(post)
    post.set_defaults(run=run_daily_post)
    scheduler = commands.add_parser(
        "scheduler", help="run only the term-of-the-day scheduler, in the foreground"
    )
    scheduler.add_argument(
        "--port",
        type=_port,
        default=None,
        help="serve /healthz, /readyz and /metrics on this port for probes "
        "(default: none; PORT is not read, it is the web server's)",
    )
    scheduler.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104 - probes reach a container on its own address
        help="address of --port (default 0.0.0.0)",
    )
    scheduler.set_defaults(run=run_scheduler)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _channel_id(text: str) -> str:
    if not re.fullmatch(r"[CDG][A-Z0-9]{2,}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a channel id like C0123456789")
    return text


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2025-03-03") from None


def run_daily_preview(args: argparse.Namespace) -> int:
    from bot.daily.post import local_today, preview
    from bot.render.text import daily_post_text
    from bot.store.engine import make_engine

    settings = Settings.from_env()
    glossary = load_glossary(glossary_dir(args, settings))
    engine = make_engine(settings.database_url)
    channel = args.channel or (settings.daily_channels[0] if settings.daily_channels else None)
    day = args.date or local_today(engine, settings, channel, datetime.now(UTC))
    post, entry = preview(engine, glossary, channel, day)
    engine.dispose()
    if post is None:
        print("The glossary has no term that may be the term of the day (all are daily: false).")
        return 1
    where = f"{channel} on {day}" if channel else f"{day} (no channel given: the default)"
    if entry is not None and entry.status == "posted":
        print(f"Already posted for {where} (message {entry.message_ts}); this is what went out:")
    else:
        print(f"Preview for {where}; nothing is posted or claimed.")
    names = {t.id: t.name for t in glossary.terms.values()}
    print()
    print(daily_post_text(post.term, post.item, post.digest, names, day=day))
    return 0


def run_daily_post(args: argparse.Namespace) -> int:
    from bot.daily.delivery import SlackDelivery
    from bot.daily.post import DailyPoster, local_today
    from bot.store.engine import make_engine, upgrade_schema

    settings = Settings.from_env()
    glossary = load_glossary(glossary_dir(args, settings))
    delivery = SlackDelivery.from_settings(settings)
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
        day = args.date or local_today(engine, settings, args.channel, datetime.now(UTC))
        outcome = DailyPoster(engine, lambda: glossary, delivery).post(
            args.channel, day, retry_now=True
        )
    finally:
        engine.dispose()
    print(outcome.message)
    return 0 if outcome.delivered else 1


def run_scheduler(args: argparse.Namespace) -> int:
    """The scheduler alone (and the glossary watcher), until SIGTERM or Ctrl-C.

    With ``--port``, /healthz, /readyz and /metrics are served for probes, from before the
    scheduler starts until after it has stopped.
    """
    import logging
    import signal
    import threading

    from bot.daily.delivery import SlackDelivery
    from bot.ops.logging import configure_logging
    from bot.ops.server import OpsServer, start_ops_server
    from bot.runtime import build_runtime

    settings = Settings.from_env()
    SlackDelivery.from_settings(settings)  # no token: say so before anything starts
    configure_logging(settings)
    runtime = build_runtime(settings)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    ops: OpsServer | None = None
    try:
        if args.port is not None:
            ops = start_ops_server(runtime.readiness, args.host, args.port)
        stop = runtime.start(scheduler=True)
        logging.getLogger("bot.daily").info("scheduler running; stop with SIGTERM or Ctrl-C")
        try:
            stopping.wait()
        finally:
            stop()
    finally:
        if ops is not None:
            ops.stop()
        runtime.engine.dispose()
    return 0


# -- the admin loop: new terms, previews, stats --------------------------------------------------


def _add_admin_commands(commands: Any) -> None:
    new_term = commands.add_parser(
        "new-term", help="start glossary/terms/<id>.yaml for a term, with every field to fill"
    )
    new_term.add_argument(
        "name", nargs="+", help='the term as people write it: "Mixture of Experts"'
    )
    new_term.add_argument("--category", default=None, help="its category id (see categories.yaml)")
    _glossary_option(new_term)
    new_term.set_defaults(run=run_new_term)

    preview = commands.add_parser(
        "preview", help="print Markdown: changed terms and digest items as they will read in Slack"
    )
    preview.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="changed glossary files (default: every term or digest file changed or "
        "untracked since the base)",
    )
    preview.add_argument(
        "--base",
        metavar="DIR_OR_COMMIT",
        default=None,
        help="the glossary before the change, as a folder or a git commit (default with no "
        "files: HEAD): show only what is new or changed",
    )
    _glossary_option(preview)
    preview.set_defaults(run=run_preview)

    stats = commands.add_parser(
        "stats",
        help="what people looked up and did not find; quiz answers, confused pairs, clarity votes",
    )
    stats.add_argument(
        "--since", default="7d", help="a span like 7d, 24h, 2w or a date 2025-03-01 (default 7d)"
    )
    stats.add_argument("--limit", type=int, default=10, help="how many top terms and misses")
    stats.set_defaults(run=run_stats)


def run_new_term(args: argparse.Namespace) -> int:
    from bot.glossary.drafts import write_new_term

    directory = glossary_dir(args)
    try:
        # Still broken from an earlier edit? Its valid terms and categories are checked all
        # the same, and the file is written.
        glossary: Glossary | None = validate_glossary(directory).glossary
    except GlossaryError:
        glossary = None
    path = write_new_term(directory, " ".join(args.name), args.category, glossary)
    print(f"Wrote {path}: replace every FILL ME IN, then run `lingo validate {path}`.")
    return 0


def run_preview(args: argparse.Namespace) -> int:
    import tempfile

    from bot.glossary.history import export_folder
    from bot.render.markdown import preview_markdown

    directory = glossary_dir(args)
    files: list[str] = list(args.files)
    with tempfile.TemporaryDirectory(prefix="lingo-base-") as scratch:
        base: Path | None = None
        if args.base and Path(args.base).is_dir():
            base = Path(args.base)
        elif args.base or not files:  # no files: all changed or untracked since HEAD
            ref = args.base or "HEAD"
            base = export_folder(directory, ref, Path(scratch))
            if base is None:
                what = f"--base {ref}" if args.base else "with no files, the base (HEAD)"
                raise UserError(
                    f"{what}: neither a glossary folder nor a git commit of {directory}'s repository"
                )
        print(preview_markdown(directory, files, base_dir=base), end="")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from bot.admin.stats import learning_stats, lookup_stats, parse_since
    from bot.render.text import learning_stats_text, stats_text
    from bot.store.engine import make_engine
    from bot.store.tables import lookup_counts, quiz_answers

    settings = Settings.from_env()
    since = parse_since(args.since)
    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        raise LingoError(
            f"no lookup log at {missing} (LINGO_DATABASE_URL): nothing has been looked up "
            "yet; the bot and the offline console create it"
        )
    try:
        names = {t.id: t.name for t in load_glossary(settings.glossary_dir).terms.values()}
    except GlossaryError:
        names = {}  # show term ids
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(lookup_counts.name):
                raise LingoError(
                    "the database of LINGO_DATABASE_URL has no lookup log yet: "
                    "nothing has been looked up"
                )
            learns = inspect(connection).has_table(quiz_answers.name)
        stats = lookup_stats(engine, since, limit=args.limit)
        learning = learning_stats(engine, since, limit=args.limit) if learns else None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise LingoError(f"cannot read the lookup log (LINGO_DATABASE_URL): {reason}") from None
    finally:
        engine.dispose()
    print(stats_text(stats, names, args.limit))
    if learning is not None:
        print(learning_stats_text(learning, names))
    return 0


def _missing_sqlite_file(url: str) -> str | None:
    """The path of the SQLite file ``url`` names, if that file does not exist."""
    from sqlalchemy.engine import make_url

    from bot.store.engine import sqlalchemy_url

    parsed = make_url(sqlalchemy_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if Path(parsed.database).is_file() else parsed.database


# -- the database: migrations ------------------------------------------------------------------


def _add_db_commands(commands: Any) -> None:
    db = commands.add_parser("db", help="the database schema: see or apply its migrations")
    db.set_defaults(run=lambda _args: _usage(db))
    db_commands = db.add_subparsers(metavar="COMMAND")
    upgrade = db_commands.add_parser(
        "upgrade", help="apply the migrations LINGO_DATABASE_URL lacks (every start does too)"
    )
    upgrade.set_defaults(run=run_db_upgrade)
    current = db_commands.add_parser("current", help="the migration LINGO_DATABASE_URL is at")
    current.set_defaults(run=run_db_current)


def run_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.engine import current_revision, make_engine, upgrade_schema
    from bot.store.storage import one_line

    engine = make_engine(Settings.from_env().database_url)
    try:
        before = current_revision(engine)
        upgrade_schema(engine)
        after = current_revision(engine)
    except SQLAlchemyError as error:
        raise LingoError(
            f"cannot upgrade the database (LINGO_DATABASE_URL): {one_line(error)}"
        ) from None
    finally:
        engine.dispose()
    if before == after:
        print(f"The database is at {after}, the newest migration: nothing to do.")
    else:
        print(f"The database went from {before or 'no migration'} to {after}.")
    return 0


def run_db_current(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.engine import current_revision, make_engine
    from bot.store.migrations import head_revision
    from bot.store.storage import one_line

    engine = make_engine(Settings.from_env().database_url)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        raise LingoError(
            f"cannot read the database (LINGO_DATABASE_URL): {one_line(error)}"
        ) from None
    finally:
        engine.dispose()
    head = head_revision()
    if current == head:
        print(f"{current} (the newest migration)")
    elif current is None:
        print(
            f"no migration yet (the newest is {head}): a new database, or one made before "
            "migrations; `lingo db upgrade` (or the next start) brings it up to date in place"
        )
    else:
        print(f"{current} (the newest is {head}): `lingo db upgrade` or the next start applies it")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
