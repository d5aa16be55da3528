"""One term's YAML text checked in memory against a glossary (the suggestion form's check)."""

from __future__ import annotations

from bot.glossary import Glossary, validate_term_text

GOOD = """\
id: beam-search
name: Beam Search
aliases: [beam decoding]
category: basics
definition: A decoding method that keeps the few most likely partial answers at every step.
related: [token]
"""


def test_a_valid_term_has_no_problems(glossary: Glossary) -> None:
    assert validate_term_text(GOOD, glossary, "terms/beam-search.yaml") == []


def test_the_term_is_checked_against_the_glossary_it_joins(glossary: Glossary) -> None:
    text = GOOD.replace("[beam decoding]", "[LoRA, stats]").replace("basics", "cooking")
    text = text.replace("[token]", "[tokn]")
    found = [
        f"{p.line}: {p.message}"
        for p in validate_term_text(text, glossary, "terms/beam-search.yaml")
    ]
    assert found[0].startswith("3: 'LoRA' collides with 'LoRA' of term 'lora' (")
    assert "the same collision" not in found[0], "the new text brought it: reported once"
    assert found[1].startswith("3: 'stats' is a /lingo command word")
    assert found[2].startswith("4: unknown category 'cooking'; use one of: basics,")
    assert found[3] == "6: related term 'tokn' does not exist (did you mean 'token'?)"
    assert len(found) == 4


def test_the_id_must_match_the_file_it_would_be(glossary: Glossary) -> None:
    problems = validate_term_text(GOOD, glossary, "terms/beams.yaml")
    assert [p.message for p in problems] == [
        "id 'beam-search' does not match the file name (expected 'beams')"
    ]


def test_a_term_may_replace_its_namesake(glossary: Glossary) -> None:
    lora = glossary.terms["lora"]
    text = (
        f"id: lora\nname: {lora.name}\naliases: [LoRA]\ncategory: training\n"
        f"definition: {lora.definition}\n"
    )
    assert validate_term_text(text, glossary, "terms/lora.yaml") == []
