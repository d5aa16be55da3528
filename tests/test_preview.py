"""`lingo preview`: how changed terms and digest items will read in Slack, in Markdown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
