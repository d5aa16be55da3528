"""The typo and abbreviation indexes find what a full scan would find."""

from __future__ import annotations

import itertools

import pytest
from rapidfuzz.distance import OSA

from bot.glossary.model import Glossary
from bot.lookup.resolver import (
    Resolver,
    _AbbreviationIndex,
    _bucketed_by,
    _NearIndex,
    _searches,
    allowed_typos,
)


def single_edits(word: str) -> set[str]:
    """Every spelling one edit away: a letter changed, dropped, added, or two swapped."""
    found = set()
    for i in range(len(word) + 1):
        found.add(word[:i] + "e" + word[i:])
        if i < len(word):
            found.add(word[:i] + word[i + 1 :])
            found.add(word[:i] + "x" + word[i + 1 :])
        if i < len(word) - 1:
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return found - {word}


def close(a: str, b: str, distance: int) -> bool:
    """The typo rule: within the allowance of the longer word, or one swap in a four-letter
    word."""
    if distance <= allowed_typos(max(len(a), len(b))):
        return True
    return distance == 1 and len(a) == len(b) == 4 and sorted(a) == sorted(b)


def full_scan(strings: list[str], text: str) -> list[tuple[str, int]]:
    limit = max(allowed_typos(len(text) + 1), 1)
    found = []
    for choice in strings:
        distance = OSA.distance(text, choice)
        if distance <= limit and close(text, choice, distance):
            found.append((choice, distance))
    return sorted(found, key=lambda item: (item[1], item[0]))


@pytest.fixture(scope="module")
def label_words(glossary: Glossary) -> list[str]:
    return sorted(Resolver(glossary)._labels_by_word)


def test_every_single_edit_of_a_word_finds_what_a_full_scan_finds(label_words: list[str]) -> None:
    index = _NearIndex(label_words)
    queries = {q for w in label_words for q in single_edits(w)}
    assert len(queries) > 1000
    for query in sorted(queries):
        assert list(index.near(query)) == full_scan(label_words, query), query


def test_every_search_asks_for_ends_its_strings_are_bucketed_by() -> None:
    # The ways the resolver searches: plain or one edit more, capped at any number of edits.
    for length in range(1, 60):
        for extra, within in itertools.product((0, 1), (None, *range(12))):
            for other, edits, kinds in _searches(length, extra, within):
                assert edits or not kinds
                assert set(kinds) <= set(_bucketed_by(other)), (length, extra, within, other)


def test_a_four_letter_swap_in_the_middle_is_found() -> None:
    index = _NearIndex(["gguf", "lora", "rope", "lorem"])
    assert ("lora", 1) in index.near("lroa")
    assert ("gguf", 2) in index.near("gufg", extra=1)


def in_order(short: str, word: str) -> bool:
    """The abbreviation rule, written out: the same first letter, the rest in order after it."""
    rest = iter(word[1:])
    return word[0] == short[0] and all(letter in rest for letter in short[1:])


def test_abbreviations_are_the_words_a_scan_would_find_in_sorted_order(
    label_words: list[str],
) -> None:
    long_words = [w for w in label_words if len(w) >= 5]
    index = _AbbreviationIndex(long_words)
    shorts = {
        w[0] + "".join(w[i] for i in picks)
        for w in long_words
        for picks in ((1, 3), (2,), (1, 2, 4))
        if max(picks) < len(w)
    } | {"zq", "xyz", "attn"}
    assert len(shorts) > 300
    for short in sorted(shorts):
        expected = tuple(w for w in sorted(long_words) if in_order(short, w))[:8]
        assert index.spelled_by(short, 8) == expected, short
