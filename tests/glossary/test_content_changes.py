"""A content pull request never turns the build red: the proof, on a copy of the shipped glossary.

The copy gets what admins do every week: a complete new term, new aliases for another, a
non-seed term removed (with the references to it). Every content-dependent check then runs
against the copy, and `lingo validate` and `lingo preview` see the change as an admin would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.glossary import load_glossary
from bot.lookup.normalize import key
from tests.conftest import ROOT
from tests.support.glossary_checks import SEED_TERMS, check_any_glossary

NEW_TERM = """\
# yaml-language-server: $schema=../schema/term.schema.json
id: {id}
name: {name}
aliases:
  - {alias}
category: {category}
definition: >-
  A decoding method that keeps the few most likely partial answers at every step
  and extends each of them, instead of committing to one token at a time.
details: >-
  Used where one best answer matters, such as translation; it costs more compute
  per token than sampling.
asked_as:
  - keep several candidate answers while generating
related:
  - {related}
links:
  - title: Sutskever et al. 2014, Sequence to Sequence Learning
    url: https://arxiv.org/abs/1409.3215
"""


@pytest.fixture
def changed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the shipped glossary after an admin's pull request; what changed, by kind."""
    root = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", root)
    glossary = load_glossary(root)
    taken = {key(label) for t in glossary.terms.values() for label in t.labels}
    name = next(
        f"Proof Beam Search {n}" for n in range(100) if key(f"Proof Beam Search {n}") not in taken
    )
    new_id = name.casefold().replace(" ", "-")
    category = glossary.categories[0].id
    (root / "terms" / f"{new_id}.yaml").write_text(
        NEW_TERM.format(
            id=new_id, name=name, alias=f"PBS{new_id[-1]}", category=category, related="token"
        ),
        encoding="utf-8",
    )

    aliased = root / "terms" / "lora.yaml"
    data = yaml.safe_load(aliased.read_text(encoding="utf-8"))
    data["aliases"] = [*data["aliases"][1:], "low rank adapter matrices"]
    aliased.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    referenced = {r for t in glossary.terms.values() for r in t.related} | {
        t for d in glossary.digests.values() for i in d.items for t in i.terms
    }
    candidates = [t for t in glossary.terms if t not in SEED_TERMS]
    removed = min(candidates, key=lambda t: (t in referenced, t))
    (root / "terms" / f"{removed}.yaml").unlink()
    for path in sorted((root / "terms").glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        if removed in entry.get("related", []):  # the admin also drops links to it
            entry["related"] = [r for r in entry["related"] if r != removed]
            path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), "utf-8")
    return root, {"added": new_id, "changed": "lora", "removed": removed}


def test_a_content_change_keeps_every_content_check_green(
    changed: tuple[Path, dict[str, str]],
) -> None:
    root, what = changed
    glossary = check_any_glossary(root)
    assert what["added"] in glossary.terms
    assert what["removed"] not in glossary.terms
    assert "low rank adapter matrices" in glossary.terms["lora"].aliases
    assert all(seed in glossary.terms for seed in SEED_TERMS)


def test_validate_and_preview_see_the_change_as_an_admin_would(
    changed: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, what = changed
    assert main(["validate", str(root)]) == 0
    count = len(list((root / "terms").glob("*.yaml")))
    assert f"OK, {count} terms" in capsys.readouterr().out
    files = [str(root / "terms" / f"{what[k]}.yaml") for k in ("added", "changed")]
    assert main(["preview", "--glossary", str(root), "--base", str(ROOT / "glossary"), *files]) == 0
    shown = capsys.readouterr().out
    assert "### ➕ New term: Proof Beam Search" in shown
    assert "### ✏️ Changed term: LoRA (Low-Rank Adaptation)" in shown
    assert "Changed: aliases" in shown
