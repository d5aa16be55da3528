"""The `lingo` command as a person runs it: a real process, real output, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini-glossary"


def lingo(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LINGO_"))}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )


def test_validate_shipped_glossary_is_clean() -> None:
    result = lingo("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("glossary: OK, ")


def test_validate_reports_problems_with_annotations(tmp_path: Path) -> None:
    broken = tmp_path / "g"
    (broken / "terms").mkdir(parents=True)
    (broken / "terms" / "x.yaml").write_text("id: y\nname: X\ncategory: basics\n")
    result = lingo("validate", str(broken), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{broken}/terms/x.yaml:1: missing required field 'definition'" in lines
    assert (
        f"::error file={broken}/terms/x.yaml,line=1::missing required field 'definition'" in lines
    )
    assert "problem" in result.stderr


def test_validate_missing_folder_exits_2_without_traceback(tmp_path: Path) -> None:
    result = lingo("validate", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"lingo: glossary folder not found: {tmp_path / 'nope'}"


def test_ask_prints_a_readable_card() -> None:
    result = lingo("ask", "quantisaton")
    assert result.returncode == 0
    assert "(showing Quantization for “quantisaton”)" in result.stdout
    assert "Quantization\n============" in result.stdout
    assert "Also called:" in result.stdout
    assert "Source:" in result.stdout


def test_ask_json_has_the_documented_shape() -> None:
    result = lingo("ask", "--json", "LoRA")
    answer = json.loads(result.stdout)
    assert answer["status"] == "exact"
    assert set(answer) == {"query", "status", "term", "suggestions"}
    assert set(answer["term"]) == {
        "id",
        "name",
        "aliases",
        "category",
        "definition",
        "related",
        "links",
    }
    assert answer["term"]["id"] == "lora"
    assert answer["suggestions"][0]["id"] == "lora"


def test_ask_json_stream_answers_each_line_in_order() -> None:
    result = lingo("ask", "--json", "-", stdin="rag\nfine dining\nspeculative\n\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == ["rag", "fine dining", "speculative"]  # blank: none
    assert [a["status"] for a in answers] == ["exact", "miss", "ambiguous"]
    assert answers[1]["term"] is None
    assert answers[1]["suggestions"]


def test_ask_a_miss_lists_choices_and_exits_1() -> None:
    result = lingo("ask", "--glossary", str(MINI), "tokn", "bucket")
    assert result.returncode == 1
    assert "No term matches “tokn bucket”" in result.stdout


def test_ask_with_broken_glossary_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "a.yaml").write_text("id: [\n")
    result = lingo("ask", "--glossary", str(tmp_path), "x")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("lingo: the glossary has 1 problem")


@pytest.mark.parametrize("text", ["list", "search memory", "random forest", "help", "lora"])
def test_console_answers_like_slack(text: str, tmp_path: Path) -> None:
    env = {"LINGO_DATA_DIR": str(tmp_path)}  # its lookup log; not the checkout's data/
    result = lingo("console", "--glossary", str(MINI), stdin=f"{text}\n", env=env)
    assert result.returncode == 0
    assert "SLACK_BOT_TOKEN" in result.stdout  # says exactly what to set
    out = result.stdout.split(f"/lingo {text}\n", 1)[1]
    expected = {
        "list": "LLM basics (basics): 2 terms",
        "search memory": "Nothing in the glossary mentions “memory”.",
        "random forest": "Random Forest\n=============",
        "help": "LLM Lingo knows 4 terms",
        "lora": "LoRA (Low-Rank Adaptation)\n",
    }[text]
    assert expected in out


# -- the terminal as good as Slack (issue 14) ---------------------------------------------------


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("help", "Type a term, or one of:"),
        ("list basics", "Random Forest"),
        ("search adaptation", "LoRA (Low-Rank Adaptation)"),
        ("stats", "Here: run `lingo stats`."),
        ("suggest", "lingo new-term"),
        ("search", "`search` needs words"),
    ],
)
def test_ask_takes_the_words_of_slash_lingo(words: str, shown: str) -> None:
    result = lingo("ask", *words.split(), "--glossary", str(MINI))
    assert shown in " ".join(result.stdout.split()), result.stdout  # as wrapped
    assert "No term matches" not in result.stdout


def test_ask_json_says_which_command_answered() -> None:
    result = lingo("ask", "--json", "-", "--glossary", str(MINI), stdin="help\n\n\nlora\n")
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["command"], first["query"]) == ("help", "help")
    assert second["status"] == "exact"


@pytest.mark.parametrize(
    "command", [["ask", "lora"], ["serve"], ["ask", "-"]], ids=["ask", "serve", "stream"]
)
def test_a_closed_pipe_ends_quietly(command: list[str], tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LINGO_"))}
    environment["LINGO_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command, "--glossary", str(MINI)]
        if command[0] == "ask"
        else [sys.executable, "-m", "bot", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=environment,
    )
    assert process.stdin
    assert process.stdout
    assert process.stderr
    process.stdin.write(b"lora\n" * 2000)
    process.stdin.close()
    process.stdout.readline()  # as `head -1` reads one line, then leaves
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) in (0, 141)
    assert "Traceback" not in err
    assert "BrokenPipe" not in err


def test_dotenv_is_read_and_the_real_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "export LINGO_GLOSSARY_DIR=/nowhere\nLINGO_TIMEZONE='Europe/Berlin'\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LINGO_"))}
    env |= {"LINGO_GLOSSARY_DIR": str(MINI), "PYTHONPATH": str(ROOT)}
    script = "from bot.cli import main; main(['validate']);"
    script += "import os; print(os.environ['LINGO_TIMEZONE'])"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert f"{MINI}: OK" in result.stdout or "mini-glossary: OK" in result.stdout, result
    assert result.stdout.splitlines()[-1] == "Europe/Berlin"


def test_stats_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "x.db"
    result = lingo("stats", env={"LINGO_DATABASE_URL": f"sqlite:///{missing}"})
    assert result.returncode == 1
    assert result.stderr == (
        f"lingo: no lookup log at {missing} (LINGO_DATABASE_URL): nothing has been looked "
        "up yet; the bot and the offline console create it\n"
    )
    assert not (tmp_path / "no").exists()


def test_the_scheduler_names_the_missing_token_before_starting_anything() -> None:
    result = lingo("scheduler", env={"LINGO_GLOSSARY_DIR": str(MINI)})
    assert result.returncode == 2
    assert result.stderr.startswith("lingo: The daily post needs SLACK_BOT_TOKEN")
    assert "started" not in result.stderr


def test_no_network_is_one_clear_line(tmp_path: Path) -> None:
    """Fake tokens and a Slack API that refuses connections (a closed loopback port)."""
    result = lingo(
        "serve",
        env={
            "SLACK_BOT_TOKEN": "xoxb-1-fake",
            "SLACK_APP_TOKEN": "xapp-1-fake",
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
            "LINGO_DATA_DIR": str(tmp_path),
            "LINGO_GLOSSARY_DIR": str(MINI),
        },
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "lingo: Cannot reach the Slack API at http://127.0.0.1:9/api/ (SLACK_API_URL): "
        "<urlopen error [Errno 111] Connection refused>"
    ]
