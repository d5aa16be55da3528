"""The offline console from a fresh clone: its lookups reach `lingo stats`, as Slack's do.

Real processes, as an admin trying the bot without Slack runs them: `lingo console` (and
`lingo serve` with no Slack settings) with lookups piped in, then `lingo stats`, all on
the default SQLite database in LINGO_DATA_DIR.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]

LOOKUPS = [
    "quantisaton",  # fuzzy: Quantization
    "xyzzy",  # a miss
    "help",
    "LoRA",
    "list training",
    "Xyzzy?",  # the same miss, folded like the resolver folds it
    "search memory",
    "frobnicator",  # another miss
    "random",
    "stats",  # needs Slack: the console shows the usage, and it is no lookup
    "",
    "xyzzy",
]
# What is counted: the lookups only, never help, list, search, random or the rest.
EXPECTED_MISSES = {"xyzzy": 3, "frobnicator": 1}
EXPECTED_LOOKUPS = 6


def lingo(
    *args: str, data_dir: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """`lingo ARGS` from the checkout, with no Slack or bot settings but LINGO_DATA_DIR."""
    environment = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    environment |= {"LINGO_DATA_DIR": str(data_dir), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def top_misses(stats_output: str) -> dict[str, int]:
    """The "Top misses" of `lingo stats` as {query: count}."""
    section = stats_output.split("Top misses", 1)[1].split("\n", 1)[1]
    found = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\s+(\d+)\s+(.+)", line)
        if match:
            found[match[2]] = int(match[1])
    return found


def lookup_count(stats_output: str) -> int:
    match = re.search(r"^Lookups since .*: (\d+)$", stats_output, re.M)
    assert match, stats_output
    return int(match[1])


def test_console_lookups_show_up_in_lingo_stats(tmp_path: Path) -> None:
    console = lingo("console", data_dir=tmp_path, stdin="\n".join(LOOKUPS) + "\n")
    assert console.returncode == 0, console.stderr
    assert "Lookups are counted anonymously for `lingo stats`." in console.stdout
    assert "No term matches “xyzzy”." in console.stdout
    assert (tmp_path / "lingo.db").is_file()

    stats = lingo("stats", data_dir=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert top_misses(stats.stdout) == EXPECTED_MISSES
    assert lookup_count(stats.stdout) == EXPECTED_LOOKUPS
    assert re.search(r"^\s+1\s+Quantization$", stats.stdout, re.M), stats.stdout
    assert re.search(r"^\s+1\s+LoRA", stats.stdout, re.M), stats.stdout


def test_serve_without_slack_counts_its_lookups_too(tmp_path: Path) -> None:
    """`make run` from a fresh clone is `lingo serve` with no settings: the same console."""
    first = lingo("console", data_dir=tmp_path, stdin="xyzzy\nquit\n")
    assert first.returncode == 0, first.stderr
    served = lingo("serve", data_dir=tmp_path, stdin="xyzzy\nhelp\nquit\nxyzzy\n")
    assert served.returncode == 0, served.stderr
    assert "offline console" in served.stdout
    stats = lingo("stats", data_dir=tmp_path)
    assert top_misses(stats.stdout) == {"xyzzy": 2}  # nothing after `quit` is read
    assert lookup_count(stats.stdout) == 2


def test_the_console_answers_when_the_lookup_log_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    result = lingo(
        "console",
        data_dir=tmp_path / "not-a-folder",
        stdin="quantization\nxyzzy\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Lookups are not counted for `lingo stats`" in result.stdout
    assert "Quantization\n============" in result.stdout
    assert "No term matches “xyzzy”." in result.stdout
    assert "Traceback" not in result.stderr
