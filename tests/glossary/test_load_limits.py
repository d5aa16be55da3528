"""The loader bounds its work and never leaks what it should not read (issue 12, items 2, 4, 9).

Alias bombs and oversized files are refused before anything is expanded; a symbolic link out
of the glossary folder is refused unread; a file with only ``id:`` lists each missing field
once; a file with many problems gets them all, in line order, in one run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.glossary import validate_glossary
from bot.glossary.load import MAX_TERM_FILES
from bot.glossary.source import MAX_FILE_BYTES, MAX_SCALARS, TABS
from tests.conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini-glossary"


def alias_bomb(levels: int = 9, fanout: int = 9) -> str:
    """The 600-byte file of the security review: ``levels`` × ``fanout`` alias references."""
    lines = ["id: bomb", "name: Bomb", "category: basics"]
    lines.append(f"a0: &a0 [{', '.join(['lol'] * fanout)}]")
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fanout)}]")
    lines.append(f"definition: *a{levels - 1}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    root = tmp_path / "glossary"
    shutil.copytree(MINI, root)
    return root


def messages(root: Path) -> list[str]:
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in validate_glossary(root).problems]


def test_an_alias_bomb_is_refused_before_it_expands(glossary: Path) -> None:
    (glossary / "terms" / "bomb.yaml").write_text(alias_bomb())
    assert len(alias_bomb()) < 600
    assert messages(glossary) == [
        "bomb.yaml:4: YAML anchors and aliases (&name, *name) are not allowed in glossary "
        "files; write the text out in full"
    ]


def test_even_a_harmless_alias_is_refused(glossary: Path) -> None:
    term = glossary / "terms" / "token.yaml"
    term.write_text(term.read_text() + "examples:\n  - &ex one example\n  - *ex\n")
    assert messages(glossary) == [
        "token.yaml:7: YAML anchors and aliases (&name, *name) are not allowed in glossary "
        "files; write the text out in full"
    ]


def test_a_file_over_the_size_limit_is_not_parsed(glossary: Path) -> None:
    big = "id: big\nname: Big\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    (glossary / "terms" / "big.yaml").write_text(big)
    size = len(big.encode())
    assert messages(glossary) == [
        f"big.yaml:1: the file is {size:,} bytes; a glossary file may be at most "
        f"{MAX_FILE_BYTES // 1024} KB (split it, or shorten it)"
    ]


def test_a_file_with_too_many_values_is_refused_with_one_problem(glossary: Path) -> None:
    flood = "id: flood\nname: Flood\nexamples: [" + ",".join(["1"] * (MAX_SCALARS + 10)) + "]\n"
    assert len(flood.encode()) < MAX_FILE_BYTES
    (glossary / "terms" / "flood.yaml").write_text(flood)
    found = messages(glossary)
    assert len(found) == 1
    assert f"more than {MAX_SCALARS:,} values" in found[0]


def test_a_link_out_of_the_folder_is_refused_unread(glossary: Path, tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:*:19000:0:99999:7:::\nid: token\n")
    (glossary / "terms" / "shadow.yaml").symlink_to(secret)
    report = validate_glossary(glossary)
    assert [p.message for p in report.problems] == [
        "is a symbolic link to a file outside the glossary folder; glossary files must be "
        "inside it (replace the link with the file)"
    ]
    assert report.problems[0].path.endswith("terms/shadow.yaml")
    assert not any("19000" in str(p) or str(secret) in str(p) for p in report.problems)


def test_categories_linked_to_a_file_that_is_not_yaml_is_refused_unread(
    glossary: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:*:19000:0:99999:7:::\n")
    (glossary / "categories.yaml").unlink()
    (glossary / "categories.yaml").symlink_to(secret)
    problems = validate_glossary(glossary).problems
    assert problems[0].path.endswith("categories.yaml")
    assert "symbolic link to a file outside the glossary folder" in problems[0].message
    assert not any("19000" in str(p) for p in problems)


def test_a_link_inside_the_folder_is_followed(glossary: Path) -> None:
    """A Kubernetes ConfigMap links each file to a versioned folder beside it."""
    versioned = glossary / "..2025_01_01"
    versioned.mkdir()
    (glossary / "terms" / "token.yaml").rename(versioned / "token.yaml")
    (glossary / "terms" / "token.yaml").symlink_to(versioned / "token.yaml")
    report = validate_glossary(glossary)
    assert report.ok, report.problems
    assert report.glossary is not None
    assert "token" in report.glossary.terms


def test_a_file_with_only_an_id_lists_each_missing_field_once(glossary: Path) -> None:
    (glossary / "terms" / "bare.yaml").write_text("id:\n")
    assert messages(glossary) == [
        "bare.yaml:1: 'id' must be text, not nothing",
        "bare.yaml:1: missing required field 'category'",
        "bare.yaml:1: missing required field 'definition'",
        "bare.yaml:1: missing required field 'name'",
    ]


FIVE_PROBLEMS = """\
id: five
name: Five
aliases: [Token]
category: vibes
definition: FILL ME IN
colour: red
related: [tokn]
"""


def test_five_problems_in_one_file_come_in_one_run_in_line_order(glossary: Path) -> None:
    (glossary / "terms" / "five.yaml").write_text(FIVE_PROBLEMS)
    found = [m for m in messages(glossary) if m.startswith("five.yaml")]
    assert [m.split(": ", 1)[0] for m in found] == [f"five.yaml:{n}" for n in (3, 4, 5, 6, 7)]
    assert "collides with 'Token' of term 'token'" in found[0]
    assert "unknown category 'vibes'" in found[1]
    assert "'definition' is a placeholder" in found[2]
    assert "unknown field 'colour'" in found[3]
    assert "related term 'tokn' does not exist (did you mean 'token'?)" in found[4]


def test_a_tab_in_indentation_says_so(glossary: Path) -> None:
    term = glossary / "terms" / "token.yaml"
    term.write_text(term.read_text() + "aliases:\n\t- tokens\n")
    assert messages(glossary) == [f"token.yaml:7: {TABS}"]


def test_without_git_a_collision_is_reported_in_both_files_as_one_problem(glossary: Path) -> None:
    (glossary / "terms" / "tokens.yaml").write_text(
        "id: tokens\nname: Tokens Again\naliases: [token]\ncategory: basics\n"
        "definition: A second file that names the token again, by mistake.\n"
    )
    found = messages(glossary)
    assert len(found) == 2
    assert found[0].startswith("token.yaml:2: 'Token' collides with 'token' of term 'tokens'")
    assert found[1].startswith("tokens.yaml:3: 'token' collides with 'Token' of term 'token'")
    assert all("the same collision is reported in" in m for m in found)


def test_with_git_a_collision_is_reported_once_in_the_file_that_brought_it(
    glossary: Path,
) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.test"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.test"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "glossary"]):
        subprocess.run(["git", *args], cwd=glossary, env=env, check=True)
    (glossary / "terms" / "tokens.yaml").write_text(
        "id: tokens\nname: Tokens Again\naliases: [token]\ncategory: basics\n"
        "definition: A second file that names the token again, by mistake.\n"
    )
    assert messages(glossary) == [
        "tokens.yaml:3: 'token' collides with 'Token' of term 'token' "
        f"({glossary / 'terms' / 'token.yaml'}:2); names and aliases must be unique"
    ]


def test_more_term_files_than_the_limit_are_refused_unread(glossary: Path) -> None:
    terms = glossary / "terms"
    have = len(list(terms.glob("*.yaml")))
    for number in range(MAX_TERM_FILES - have + 1):
        (terms / f"t{number}.yaml").touch()
    found = messages(glossary)
    assert found == [
        f"terms:1: {MAX_TERM_FILES + 1:,} files in terms/; a glossary may have at most {MAX_TERM_FILES:,} terms"
    ]
