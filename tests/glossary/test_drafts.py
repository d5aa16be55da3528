"""`lingo new-term`: a correctly named file that the validator rejects until it is filled in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.errors import UserError
from bot.glossary import PLACEHOLDER, Link, load_glossary, validate_glossary
from bot.glossary.drafts import SCHEMA_COMMENT, TermDraft, term_id, term_yaml, write_new_term
from tests.conftest import PINNED_GLOSSARY

SHIPPED = PINNED_GLOSSARY  # behaviour tests: the pinned copy, never the growing one


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    """A copy of the shipped glossary to add terms to."""
    root = tmp_path / "glossary"
    shutil.copytree(SHIPPED, root)
    return root


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mixture of Experts", "mixture-of-experts"),
        ("  Mixture   of  Experts ", "mixture-of-experts"),
        ("MoE (Mixture of Experts)", "moe"),
        ("Chain-of-Thought Prompting", "chain-of-thought-prompting"),
        ("Top-p / Nucleus Sampling", "top-p-nucleus-sampling"),
        ("Régularisation", "regularisation"),
        ("GPT-4o", "gpt-4o"),
    ],
)
def test_the_file_name_is_derived_from_the_name(name: str, expected: str) -> None:
    assert term_id(name) == expected


def test_a_name_without_letters_is_refused() -> None:
    with pytest.raises(UserError, match="letters or digits"):
        term_id("∑ ∞")


def test_new_term_writes_every_field_to_fill(glossary_dir: Path) -> None:
    path = write_new_term(glossary_dir, "Mixture of Experts", glossary=load_glossary(glossary_dir))
    assert path == glossary_dir / "terms" / "mixture-of-experts.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == SCHEMA_COMMENT
    data = yaml.safe_load(text)
    assert data["id"] == "mixture-of-experts"
    assert data["name"] == "Mixture of Experts"
    assert data["aliases"] == [PLACEHOLDER]
    assert data["category"] == PLACEHOLDER
    assert data["definition"] == PLACEHOLDER
    assert data["details"] == PLACEHOLDER
    assert data["related"] == []
    assert data["links"][0]["title"] == PLACEHOLDER
    assert "one of: basics, prompting" in text  # the categories to choose from


def test_the_validator_rejects_the_new_file_until_it_is_filled_in(glossary_dir: Path) -> None:
    path = write_new_term(glossary_dir, "Mixture of Experts")
    report = validate_glossary(glossary_dir)
    assert not report.ok
    mine = [p for p in report.problems if Path(p.path).name == path.name]
    assert mine
    assert len(mine) == len(report.problems)
    messages = " ".join(p.message for p in mine)
    assert "'definition' is a placeholder" in messages
    assert "'aliases' entry is a placeholder" in messages
    assert all(p.line > 1 for p in mine)  # each problem points at its own line

    filled = (
        path.read_text()
        .replace(f"category: {PLACEHOLDER}", "category: training")
        .replace(f"  - {PLACEHOLDER}", "  - MoE")
        .replace(
            f"definition: >-\n  {PLACEHOLDER}",
            "definition: >-\n  A model whose layers hold many expert sub-networks, of which a "
            "router picks a few for each token, so only part of the weights runs per token.",
        )
        .replace(f"details: >-\n  {PLACEHOLDER}\n", "")
        .replace(
            f"title: {PLACEHOLDER}",
            "title: Shazeer et al. 2017, Outrageously Large Neural Networks",
        )
        .replace("https://example.com/FILL-ME-IN", "https://arxiv.org/abs/1701.06538")
    )
    path.write_text(filled)
    report = validate_glossary(glossary_dir)
    assert report.problems == []
    assert report.glossary is not None
    assert report.glossary.term("mixture-of-experts") is not None


def test_new_term_never_overwrites(glossary_dir: Path) -> None:
    path = write_new_term(glossary_dir, "Mixture of Experts")
    path.write_text("my work\n")
    with pytest.raises(UserError, match="already exists"):
        write_new_term(glossary_dir, "mixture of experts")
    assert path.read_text() == "my work\n"


def test_new_term_refuses_a_name_the_glossary_already_has(glossary_dir: Path) -> None:
    with pytest.raises(UserError, match="already in the glossary"):
        write_new_term(glossary_dir, "Low-Rank Adaptation", glossary=load_glossary(glossary_dir))


def test_new_term_takes_a_category(glossary_dir: Path) -> None:
    glossary = load_glossary(glossary_dir)
    path = write_new_term(glossary_dir, "Mixture of Experts", "efficiency", glossary)
    assert yaml.safe_load(path.read_text())["category"] == "efficiency"
    with pytest.raises(UserError, match="unknown category 'cooking'"):
        write_new_term(glossary_dir, "Beam Search", "cooking", glossary)


def test_a_filled_draft_reads_back_exactly() -> None:
    """Text from a person (suggest-a-term) survives quoting: colons, quotes, #, yes, @."""
    draft = TermDraft(
        name='Say "yes": a term',
        category="basics",
        definition="A definition with # a hash, a colon: here, *bold* and `code` " * 4,
        aliases=("yes", "@mention", "- dash", "null", "42"),
        links=(Link("Paper: the one", "https://arxiv.org/abs/1701.06538"),),
    )
    data = yaml.safe_load(term_yaml(draft))
    assert data["name"] == draft.name
    assert data["aliases"] == list(draft.aliases)
    assert data["definition"] == " ".join(draft.definition.split())
    assert data["links"] == [{"title": "Paper: the one", "url": "https://arxiv.org/abs/1701.06538"}]
    assert PLACEHOLDER not in term_yaml(draft)


def test_the_template_shows_the_optional_asked_as_and_korean_fields(glossary_dir: Path) -> None:
    path = write_new_term(glossary_dir, "Mixture of Experts")
    text = path.read_text()
    assert yaml.safe_load(text)["asked_as"] == [PLACEHOLDER]
    korean = "\n".join(
        line[2:]
        for line in text.splitlines()
        if line.startswith("# ") and (line.startswith(("# ko:", "#   ")))
    )
    assert yaml.safe_load(korean) == {
        "ko": {"name": PLACEHOLDER, "aliases": [], "definition": PLACEHOLDER, "asked_as": []}
    }
    assert "lingo translations stamp" in text


@pytest.mark.parametrize("name", ["stats", "  Reload ", "LIST"])
def test_new_term_refuses_a_command_word(glossary_dir: Path, name: str) -> None:
    before = sorted((glossary_dir / "terms").iterdir())
    with pytest.raises(UserError, match="is a /lingo command word"):
        write_new_term(glossary_dir, name, glossary=load_glossary(glossary_dir))
    assert sorted((glossary_dir / "terms").iterdir()) == before, "no file is written"


def test_new_term_allows_a_word_lingo_would_look_up(glossary_dir: Path) -> None:
    path = write_new_term(glossary_dir, "Reloads", glossary=load_glossary(glossary_dir))
    assert path.name == "reloads.yaml"


def test_new_term_names_the_term_a_part_of_the_name_collides_with(glossary_dir: Path) -> None:
    with pytest.raises(UserError, match=r"it names 'LoRA \(Low-Rank Adaptation\)' \(.*lora.yaml\)"):
        write_new_term(glossary_dir, "QLoRA (LoRA)", glossary=load_glossary(glossary_dir))


def test_new_term_lists_the_categories_of_an_unknown_one(glossary_dir: Path) -> None:
    glossary = load_glossary(glossary_dir)
    listed = ", ".join(c.id for c in glossary.categories)
    with pytest.raises(UserError, match=f"unknown category 'cooking'; use one of: {listed}"):
        write_new_term(glossary_dir, "Beam Search", "cooking", glossary)
    assert not (glossary_dir / "terms" / "beam-search.yaml").exists()
