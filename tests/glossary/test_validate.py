"""The validator: every rule has a broken fixture, reported as PATH:LINE: message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from bot.errors import GlossaryError, GlossaryInvalid
from bot.glossary import load_glossary, validate_glossary

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini-glossary"
ROOT = Path(__file__).resolve().parents[2]


def glossary_with(tmp_path: Path, *fixtures: str) -> Path:
    """A copy of the mini glossary with broken fixtures added (digest-* go to digests/)."""
    target = tmp_path / "glossary"
    shutil.copytree(MINI, target)
    for name in fixtures:
        folder = "digests" if name.startswith("digest-") else "terms"
        shutil.copy(DATA / "broken" / f"{name}.yaml", target / folder / f"{name}.yaml")
    return target


def problems_of(directory: Path) -> list[str]:
    report = validate_glossary(directory)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in report.problems]


def test_mini_glossary_is_valid() -> None:
    report = validate_glossary(MINI)
    assert report.ok, report.problems
    assert report.summary() == "4 terms in 2 categories, 1 digest(s) with 2 items"


def test_shipped_glossary_is_valid() -> None:
    report = validate_glossary(ROOT / "glossary")
    assert report.ok, "\n".join(map(str, report.problems))


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("syntax", "syntax.yaml:4: YAML syntax error: found unexpected end of stream"),
        ("duplicate-key", "duplicate-key.yaml:5: duplicate key 'definition' (first on line 4)"),
        ("missing-field", "missing-field.yaml:1: missing required field 'definition'"),
        ("unknown-field", "unknown-field.yaml:5: unknown field 'alias' (did you mean 'aliases'?)"),
        ("mistyped-field", "mistyped-field.yaml:3: 'aliases' must be a list, not text"),
        ("id-mismatch", "id-mismatch.yaml:1: id 'something-else' does not match the file name"),
        (
            "collision",
            "collision.yaml:4: 'Low–Rank   ADAPTATION' collides with 'Low-Rank Adaptation'",
        ),
        (
            "related-missing",
            "related-missing.yaml:6: related term 'tokenn' does not exist (did you mean 'token'?)",
        ),
        ("placeholder", "placeholder.yaml:4: 'definition' is a placeholder; write it"),
        ("empty-definition", "empty-definition.yaml:4: 'definition' is empty"),
        ("placeholder-all", "placeholder-all.yaml:3: 'category' is a placeholder; write it"),
        ("placeholder-all", "placeholder-all.yaml:7: the link is a placeholder"),
        ("too-long", "too-long.yaml:4: 'definition' is 799 characters; at most 700 fit in Slack"),
        ("command-word", "command-word.yaml:4: 'Search' is a /lingo command word"),
        ("unknown-category", "unknown-category.yaml:3: unknown category 'vibes'"),
        ("bad-url", "bad-url.yaml:7: 'links.0.url' must be an https:// address"),
        ("digest-unknown-term", "digest-unknown-term.yaml:15: term 'no-such-term' does not exist"),
        ("digest-unknown-term", "digest-unknown-term.yaml:16: item id 'only' is used twice"),
    ],
)
def test_each_rule_points_at_file_and_line(tmp_path: Path, fixture: str, expected: str) -> None:
    found = problems_of(glossary_with(tmp_path, fixture))
    assert any(line.startswith(expected) for line in found), found


def test_collision_is_reported_in_both_files(tmp_path: Path) -> None:
    found = problems_of(glossary_with(tmp_path, "collision"))
    assert any(line.startswith("lora.yaml:3: 'Low-Rank Adaptation' collides") for line in found)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    fixtures = ("syntax", "duplicate-key", "missing-field", "related-missing", "command-word")
    found = problems_of(glossary_with(tmp_path, *fixtures))
    assert {line.split(":")[0] for line in found} == {f"{name}.yaml" for name in fixtures}


def test_plural_and_british_aliases_are_flagged_as_redundant(tmp_path: Path) -> None:
    directory = glossary_with(tmp_path)
    term = directory / "terms" / "token.yaml"
    term.write_text(term.read_text() + "aliases:\n  - tokens\n")
    assert problems_of(directory) == [
        "token.yaml:7: alias 'tokens' is redundant: lookups already treat it as 'Token' "
        "(case, hyphens, plurals and British spellings fold)"
    ]


@pytest.mark.parametrize("alias", ["' LIST '", "stats", "Today", "SUBSCRIPTIONS"])
def test_a_name_that_lingo_would_run_as_a_command_is_refused(tmp_path: Path, alias: str) -> None:
    directory = glossary_with(tmp_path)
    term = directory / "terms" / "token.yaml"
    term.write_text(term.read_text() + f"aliases:\n  - {alias}\n")
    assert any("is a /lingo command word" in line for line in problems_of(directory))


@pytest.mark.parametrize("alias", ["Reloads", "L-I-S-T", "random sampling", "help desk", "share"])
def test_a_name_that_lingo_would_look_up_is_allowed(tmp_path: Path, alias: str) -> None:
    directory = glossary_with(tmp_path)
    term = directory / "terms" / "token.yaml"
    term.write_text(term.read_text() + f"aliases:\n  - {alias}\n")
    assert problems_of(directory) == []


def test_wrong_extension_is_reported(tmp_path: Path) -> None:
    directory = glossary_with(tmp_path)
    shutil.copy(directory / "terms" / "token.yaml", directory / "terms" / "tokens.yml")
    assert "tokens.yml:1: term files must be named <id>.yaml" in problems_of(directory)


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    with pytest.raises(GlossaryInvalid) as caught:
        load_glossary(glossary_with(tmp_path, "syntax", "placeholder"))
    assert len(caught.value.problems) == 2
    assert "2 problems" in str(caught.value)


def test_missing_folder_is_a_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="glossary folder not found"):
        validate_glossary(tmp_path / "nowhere")
    with pytest.raises(GlossaryError, match="no terms/ folder"):
        validate_glossary(tmp_path)


def test_empty_glossary_is_invalid(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    assert [p.message for p in validate_glossary(tmp_path).problems] == [
        "the glossary has no terms"
    ]


def test_published_schemas_match_the_packaged_ones() -> None:
    for name in ("term.schema.json", "digest.schema.json", "categories.schema.json"):
        published = (ROOT / "glossary" / "schema" / name).read_text()
        packaged = (ROOT / "bot" / "glossary" / "schema" / name).read_text()
        assert published == packaged, f"glossary/schema/{name} differs from bot/glossary/schema/"


def test_categories_are_defined_only_in_categories_yaml() -> None:
    """An admin adds a category by editing one file; the schema does not repeat the list."""
    schema = json.loads((ROOT / "glossary" / "schema" / "term.schema.json").read_text())
    assert "enum" not in schema["properties"]["category"]
    categories = yaml.safe_load((ROOT / "glossary" / "categories.yaml").read_text())
    assert len({c["id"] for c in categories}) == len(categories)


def test_every_shipped_file_points_editors_at_the_schema() -> None:
    for path in (ROOT / "glossary" / "terms").glob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/term.schema.json", path


def test_list_limits_are_explained(tmp_path: Path) -> None:
    directory = glossary_with(tmp_path)
    term = directory / "terms" / "token.yaml"
    related = "".join(f"  - related-{n}\n" for n in range(9))
    term.write_text(term.read_text() + f"related:\n{related}")
    assert "token.yaml:7: 'related' must have at most 8 entries" in problems_of(directory)
