"""The Hangul rules: syllables into typed letters, initial consonants, one folded key."""

from __future__ import annotations

import unicodedata

import pytest

from bot.lookup.hangul import (
    decompose,
    fold,
    has_hangul,
    initials,
    is_initials_query,
    tokens,
)
from bot.lookup.normalize import key


def test_syllables_decompose_into_the_letters_typed_for_them() -> None:
    assert decompose("양자화") == "ㅇㅑㅇㅈㅏㅎㅗㅏ"
    assert decompose("값") == "ㄱㅏㅂㅅ"  # a double final is two keys
    assert decompose("의") == "ㅇㅡㅣ"
    assert decompose("LoRA") == "LoRA"


def test_a_one_letter_typo_is_one_edit_apart() -> None:
    a, b = decompose("양자화"), decompose("양자회")
    assert len(a) == len(b)
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 1


def test_initials_are_the_first_consonant_of_each_syllable() -> None:
    assert initials("양자화") == "ㅇㅈㅎ"
    assert initials("미세 조정") == "ㅁㅅㅈㅈ"
    assert initials("KV 캐시") == "ㅋㅅ"


@pytest.mark.parametrize("typed", ["ㅇㅈㅎ", unicodedata.normalize("NFKC", "ㅇㅈㅎ")])
def test_consonants_typed_alone_fold_the_same_before_and_after_nfkc(typed: str) -> None:
    assert fold(typed) == "ㅇㅈㅎ"
    assert is_initials_query(fold(typed))


def test_a_query_with_a_vowel_is_not_an_initials_query() -> None:
    assert not is_initials_query(fold("ㅇㅈㅎㅏ"))
    assert not is_initials_query(fold("양자화"))


def test_spacing_does_not_change_the_key() -> None:
    assert fold("미세조정") == fold("미세 조정") == fold(" 미세  조정 ")


def test_latin_words_fold_as_english_and_a_script_change_ends_a_word() -> None:
    assert tokens("LoRA 튜닝") == ("lora", "튜닝")
    assert tokens("RAG란?") == ("rag", "란")
    assert fold("Fine-Tuning") == key("Fine-Tuning") == "finetuning"
    assert fold("LLMs & RAG") == key("LLMs & RAG")


def test_slack_escapes_are_decoded() -> None:
    assert fold("Q&amp;A 데이터") == fold("Q&A 데이터")


def test_hangul_is_recognised_in_any_form() -> None:
    assert has_hangul("LoRA 튜닝")
    assert has_hangul("ㅇㅈㅎ")
    assert not has_hangul("LoRA tuning")
