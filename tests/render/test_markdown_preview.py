"""`lingo preview`: how changed terms and digest items will read in Slack, in Markdown."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import UserError
from bot.render.markdown import mrkdwn_to_markdown, preview_markdown
from tests.conftest import PINNED_GLOSSARY

SHIPPED = PINNED_GLOSSARY  # behaviour tests: the pinned copy, never the growing one


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    shutil.copytree(SHIPPED, root)
    return root


@pytest.fixture
def head_dir(tmp_path: Path) -> Path:
    root = tmp_path / "head"
    shutil.copytree(SHIPPED, root)
    return root


@pytest.mark.parametrize(
    ("mrkdwn", "markdown"),
    [
        ("*bold* and _italic_", "**bold** and _italic_"),
        ("~gone~", "~~gone~~"),
        ("<https://arxiv.org/abs/1|the paper>", "[the paper](https://arxiv.org/abs/1)"),
        ("see <https://arxiv.org/abs/1>", "see <https://arxiv.org/abs/1>"),
        ("`*not bold*` but *bold*", "`*not bold*` but **bold**"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_mrkdwn_becomes_github_markdown(mrkdwn: str, markdown: str) -> None:
    assert mrkdwn_to_markdown(mrkdwn) == markdown


def test_a_new_term_is_shown_as_its_card(base_dir: Path, head_dir: Path) -> None:
    path = head_dir / "terms" / "mixture-of-experts.yaml"
    path.write_text(
        "id: mixture-of-experts\n"
        "name: Mixture of Experts\n"
        "aliases: [MoE]\n"
        "category: efficiency\n"
        "definition: A model whose layers hold many *expert* sub-networks;"
        " a router picks a few per token.\n"
        "related: [lora]\n"
        "links:\n"
        "  - title: Shazeer et al. 2017\n"
        "    url: https://arxiv.org/abs/1701.06538\n"
    )
    text = preview_markdown(head_dir, [path], base_dir=base_dir)
    assert "### ➕ New term: Mixture of Experts" in text
    assert "> **Mixture of Experts**" in text
    assert "many **expert** sub-networks" in text
    assert "**Also called:** MoE" in text
    assert "**Category:** Efficiency and inference" in text
    assert "**Related:** `LoRA (Low-Rank Adaptation)`" in text
    assert "[Shazeer et al. 2017](https://arxiv.org/abs/1701.06538)" in text


def test_a_changed_term_names_the_changed_fields(base_dir: Path, head_dir: Path) -> None:
    path = head_dir / "terms" / "quantization.yaml"
    path.write_text(path.read_text().replace("aliases:\n", "aliases:\n  - weight compression\n"))
    text = preview_markdown(head_dir, [path], base_dir=base_dir)
    assert "### ✏️ Changed term: Quantization" in text
    assert "Changed: aliases" in text
    assert "weight compression" in text


def test_a_broken_file_lists_its_problems(head_dir: Path) -> None:
    path = head_dir / "terms" / "quantization.yaml"
    path.write_text(path.read_text().replace("category: efficiency", "category: cooking"))
    text = preview_markdown(head_dir, [path])
    assert "has problems" in text
    assert "unknown category 'cooking'" in text


def test_only_added_or_changed_digest_items_are_shown(base_dir: Path, head_dir: Path) -> None:
    path = head_dir / "digests" / "multi-token-prediction.yaml"
    original = path.read_text()
    path.write_text(
        original.replace("From one next token to n future tokens", "From one token to n")
    )
    text = preview_markdown(head_dir, [path], base_dir=base_dir)
    assert "1 of 13 items added or changed" in text
    assert "#### ✏️ Changed item `next-token-vs-n-tokens`" in text
    assert "**From one token to n**" in text
    assert "shared-trunk-independent-heads" not in text


def test_removed_files_and_other_files(base_dir: Path, head_dir: Path) -> None:
    gone = head_dir / "terms" / "pruning.yaml"
    gone.unlink()
    text = preview_markdown(head_dir, [gone, head_dir / "categories.yaml"], base_dir=base_dir)
    assert "Removed term: `pruning`" in text
    assert preview_markdown(head_dir, [head_dir / "categories.yaml"]).endswith(
        "No term or digest files changed.\n"
    )


NEW_TERM = (
    "id: beam-search\nname: Beam Search\ncategory: basics\n"
    "definition: A decoding method that keeps the few most likely partial answers at each step.\n"
)


def test_with_no_files_every_change_since_the_base_is_shown(base_dir: Path, head_dir: Path) -> None:
    (head_dir / "terms" / "beam-search.yaml").write_text(NEW_TERM)  # untracked, new
    lora = head_dir / "terms" / "lora.yaml"
    lora.write_text(lora.read_text().replace("  - LoRA\n", "  - LoRA\n  - LoRA weights\n", 1))
    (head_dir / "terms" / "pruning.yaml").unlink()
    text = preview_markdown(head_dir, [], base_dir=base_dir)
    assert "### ➕ New term: Beam Search" in text
    assert "### ✏️ Changed term: LoRA (Low-Rank Adaptation)\n\nChanged: aliases" in text
    assert "### 🗑️ Removed term: `pruning`" in text
    assert text.count("### ") == 3


def test_a_path_that_does_not_exist_is_an_error(base_dir: Path, head_dir: Path) -> None:
    with pytest.raises(UserError, match="no such file in the glossary"):
        preview_markdown(head_dir, [head_dir / "terms" / "nothing.yaml"], base_dir=base_dir)
    with pytest.raises(UserError, match="give --base to preview a removal"):
        preview_markdown(head_dir, [head_dir / "terms" / "nothing.yaml"])


@pytest.mark.parametrize("name", ["README.md", "schema/term.schema.json", "terms/lora.yml"])
def test_a_file_that_is_not_a_glossary_file_is_an_error(head_dir: Path, name: str) -> None:
    path = head_dir / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("x: 1\n")
    with pytest.raises(UserError, match="not a file of the glossary"):
        preview_markdown(head_dir, [path])


def test_an_unknown_base_is_an_error(head_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--glossary", str(head_dir), "--base", "no-such-thing"]) == 1
    assert (
        "--base no-such-thing: neither a glossary folder nor a git commit"
        in capsys.readouterr().err
    )


def test_with_no_arguments_changed_and_untracked_files_are_shown_against_head(
    head_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.test"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.test"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "glossary"]):
        subprocess.run(["git", *args], cwd=head_dir, env=env, check=True)
    (head_dir / "terms" / "beam-search.yaml").write_text(NEW_TERM)
    lora = head_dir / "terms" / "lora.yaml"
    lora.write_text(lora.read_text().replace("  - LoRA\n", "  - LoRA\n  - LoRA weights\n", 1))
    assert main(["preview", "--glossary", str(head_dir)]) == 0
    shown = capsys.readouterr().out
    assert "### ➕ New term: Beam Search" in shown
    assert "### ✏️ Changed term: LoRA (Low-Rank Adaptation)" in shown
