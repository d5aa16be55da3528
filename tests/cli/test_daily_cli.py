"""`lingo daily preview`, `lingo daily post` and `lingo scheduler`, as an operator runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.daily.subscriptions import Subscription, save_subscription
from bot.store.engine import make_engine, upgrade_schema
from bot.store.tables import daily_posts

if TYPE_CHECKING:
    from tests.conftest import HistorySlack

CHANNEL = "C0CLI0001"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, daily_slack: HistorySlack, daily_glossary_dir: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": daily_slack.api_url,
        "LINGO_GLOSSARY_DIR": str(daily_glossary_dir),
        "LINGO_DATABASE_URL": f"sqlite:///{tmp_path / 'lingo.db'}",
        "LINGO_TIMEZONE": "Europe/Berlin",
    }


@pytest.fixture
def lingo(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `lingo ARGS...` in this process; return (exit status, stdout, stderr)."""
    for name in ("LINGO_DAILY_CHANNELS", "LINGO_DAILY_TIME", "LINGO_DAILY_DAYS", "LINGO_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ledger_rows(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(daily_posts)).scalar_one()
            )
    finally:
        engine.dispose()


def test_preview_prints_the_post_and_touches_nothing(lingo, env, daily_slack: HistorySlack) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = lingo("daily", "preview", "--channel", CHANNEL, "--date", "2025-03-03")
    assert code == 0
    assert out.startswith(f"Preview for {CHANNEL} on 2025-03-03; nothing is posted or claimed.")
    assert "Term of the day · Monday 3 March 2025" in out
    assert "Multi-token prediction, one idea a day · 1 of 3" in out
    assert "First: predict n tokens" in out
    assert "Source: Gloeckle et al. 2024, §2 <https://arxiv.org/abs/2404.19737>" in out
    assert "Secret Sauce" not in out
    assert daily_slack.calls == []
    again = lingo("daily", "preview", "--channel", CHANNEL, "--date", "2025-03-03")[1]
    assert again == out  # nothing moved
    code, out, _ = lingo("daily", "preview")
    assert code == 0
    assert "(no channel given: the default)" in out


def test_post_goes_out_once_and_a_second_call_says_so(
    lingo, env, daily_slack: HistorySlack
) -> None:  # type: ignore[no-untyped-def]
    preview = lingo("daily", "preview", "--channel", CHANNEL, "--date", "2025-03-03")[1]
    code, out, _ = lingo("daily", "post", "--channel", CHANNEL, "--date", "2025-03-03")
    assert code == 0
    assert out.startswith(f"Posted the term of the day for {CHANNEL} on 2025-03-03: ")
    term_name = preview.splitlines()[4]  # the preview's card title is what went out
    assert f": {term_name} (message " in out
    code, out, _ = lingo("daily", "post", "--channel", CHANNEL, "--date", "2025-03-03")
    assert code == 0
    assert out.startswith(
        f"Nothing posted: {CHANNEL} already got its term of the day for 2025-03-03"
    )
    assert len(daily_slack.calls_to("chat.postMessage")) == 1
    code, out, _ = lingo("daily", "preview", "--channel", CHANNEL, "--date", "2025-03-03")
    assert out.startswith(f"Already posted for {CHANNEL} on 2025-03-03 (message ")
    assert term_name in out


def test_post_says_what_is_missing(lingo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    code, _, err = lingo("daily", "post", "--channel", CHANNEL)
    assert code == 2
    assert "export SLACK_BOT_TOKEN=xoxb-" in err
    with pytest.raises(SystemExit) as exited:
        lingo("daily", "post", "--channel", "general")
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        lingo("daily", "preview", "--date", "3 March")


def test_post_reports_a_failure_and_keeps_the_day(lingo, daily_slack: HistorySlack) -> None:  # type: ignore[no-untyped-def]
    daily_slack.fail_next("chat.postMessage", error="channel_not_found")
    code, out, _ = lingo("daily", "post", "--channel", CHANNEL, "--date", "2025-03-03")
    assert code == 1
    assert "channel_not_found" in out
    code, out, _ = lingo("daily", "post", "--channel", CHANNEL, "--date", "2025-03-03")
    assert code == 0  # an operator's retry goes out at once, without waiting for the back-off
    assert out.startswith("Posted")


def test_racing_lingo_daily_post_commands_post_once(
    env: dict[str, str], daily_slack: HistorySlack
) -> None:
    """Four `lingo daily post` processes for the same channel and date, started together."""
    engine = make_engine(env["LINGO_DATABASE_URL"])
    upgrade_schema(engine)
    engine.dispose()
    child_env = {**os.environ, **env}
    command = [
        sys.executable,
        "-m",
        "bot",
        "daily",
        "post",
        "--channel",
        CHANNEL,
        "--date",
        "2025-03-03",
    ]
    children = [
        subprocess.Popen(command, env=child_env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [child.communicate(timeout=60)[0] for child in children]
    assert [child.returncode for child in children].count(0) >= 1
    assert sum(out.startswith("Posted") for out in outputs) == 1
    assert all(out.startswith(("Posted", "Nothing posted")) for out in outputs), outputs
    assert len(daily_slack.calls_to("chat.postMessage")) == 1
    assert ledger_rows(env["LINGO_DATABASE_URL"]) == 1


def test_lingo_scheduler_catches_up_and_stops_cleanly(
    env: dict[str, str], daily_slack: HistorySlack
) -> None:
    """`lingo scheduler` in the foreground: posts the day that is due, exits 0 on SIGTERM."""
    engine = make_engine(env["LINGO_DATABASE_URL"])
    upgrade_schema(engine)
    long_ago = datetime(2025, 1, 1, tzinfo=UTC)
    subscription = Subscription(CHANNEL, time(0, 0), "mon-sun", "UTC")
    save_subscription(engine, subscription, user=None, now=long_ago)
    engine.dispose()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "scheduler"],
        env={**os.environ, **env, "LINGO_LOG_LEVEL": "INFO"},
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        daily_slack.wait_for("chat.postMessage", 1, timeout=30)
    finally:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "daily scheduler started" in err
    assert "daily scheduler stopped" in err
    assert "Traceback" not in err
    assert len(daily_slack.posted(CHANNEL)) == 1
