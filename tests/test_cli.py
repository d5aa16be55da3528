"""The `lingo` command as a person runs it: a real process, real output, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MINI = Path(__file__).parent / "data" / "mini-glossary"


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
    assert result.stdout.startswith("glossary: OK, 46 terms")


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
    assert [a["status"] for a in answers] == ["exact", "miss", "ambiguous", "miss"]
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
