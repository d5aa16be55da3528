"""The Hangul rules of lookup, in one place: folding, letters (jamo) and initial consonants.

A Hangul syllable is arithmetic on U+AC00: ``(initial * 21 + vowel) * 28 + final``. Typos
are made one key at a time on a Korean (두벌식) keyboard, so syllables are decomposed into
the letters a person types: "화" is ㅎ ㅗ ㅏ, "값" is ㄱ ㅏ ㅂ ㅅ. Comparing those strings
with an edit distance makes "양자회" one letter away from "양자화".

Korean does not mark words the way English spacing does ("미세조정" and "미세 조정" are one
term), so a folded key drops spaces; Latin words inside a Korean query ("LoRA 튜닝") are
folded exactly as English ones are (``bot.lookup.normalize.words``), so a mixed label and a
mixed query meet.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from bot.lookup.normalize import words

_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# Letters typed with two keys, as they are typed.
_KEYSTROKES = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ",
    "ㄵ": "ㄴㅈ",
    "ㄶ": "ㄴㅎ",
    "ㄺ": "ㄹㄱ",
    "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ",
    "ㅀ": "ㄹㅎ",
    "ㅄ": "ㅂㅅ",
}
# NFKC turns the letters people type alone (compatibility jamo, ㄱ U+3131) into conjoining
# jamo (ᄀ U+1100); these map them back, so "ㅇㅈㅎ" reads the same before and after.
_CONJOINING = {
    **{chr(0x1100 + i): c for i, c in enumerate(INITIALS)},
    **{chr(0x1161 + i): c for i, c in enumerate(_VOWELS)},
    **{chr(0x11A8 + i): c for i, c in enumerate(_FINALS[1:])},
}
_TO_COMPATIBILITY = str.maketrans(_CONJOINING)
_HANGUL = "\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff"
_HANGUL_RUN = re.compile(f"([{_HANGUL}]+)")
_HAS_HANGUL = re.compile(f"[{_HANGUL}]")
_ONLY_INITIALS = re.compile(f"^[{INITIALS}]+$")


def compatible(text: str) -> str:
    """``text`` with letters typed alone in the form people typed them: NFKC (which
    ``normalize.clean`` applies) turns ㅇ into a conjoining ᄋ that shows oddly when echoed."""
    return text.translate(_TO_COMPATIBILITY)


def is_syllable(char: str) -> bool:
    return _SYLLABLE_FIRST <= ord(char) <= _SYLLABLE_LAST


def has_hangul(text: str) -> bool:
    """True if ``text`` has any Hangul: syllables or letters typed alone."""
    return _HAS_HANGUL.search(text) is not None


@lru_cache(maxsize=1 << 16)
def decompose(text: str) -> str:
    """Hangul syllables as the letters typed for them ("화" → "ㅗㅏ" after "ㅎ"); the rest as is."""
    out = []
    for char in text.translate(_TO_COMPATIBILITY):
        if not is_syllable(char):
            out.append(_KEYSTROKES.get(char, char))
            continue
        index = ord(char) - _SYLLABLE_FIRST
        initial, rest = divmod(index, 21 * 28)
        vowel, final = divmod(rest, 28)
        out.append(INITIALS[initial])
        out.append(_KEYSTROKES.get(_VOWELS[vowel], _VOWELS[vowel]))
        out.append(_KEYSTROKES.get(_FINALS[final], _FINALS[final]))
    return "".join(out)


def initials(text: str) -> str:
    """The initial consonant of each Hangul syllable ("양자화" → "ㅇㅈㅎ"); other characters go."""
    return "".join(
        INITIALS[(ord(c) - _SYLLABLE_FIRST) // (21 * 28)] for c in text if is_syllable(c)
    )


def is_initials_query(key: str) -> bool:
    """True for a folded query typed as initial consonants only ("ㅇㅈㅎ")."""
    return _ONLY_INITIALS.match(key) is not None


@lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """The words of mixed text: Hangul runs as typed, Latin words folded as English.

    A change of script ends a word, so "RAG란" is "rag" and "란"; spaces and punctuation
    end words too. Letters typed alone (ㅇㅈㅎ) are kept in their compatibility form.
    """
    text = unicodedata.normalize("NFKC", html.unescape(text)).translate(_TO_COMPATIBILITY)
    found: list[str] = []
    for piece in _HANGUL_RUN.split(text):
        if not piece:
            continue
        if has_hangul(piece):
            found.append(piece)
        else:
            found.extend(words(piece))
    return tuple(found)


def fold(text: str) -> str:
    """The comparison key of Korean (or mixed) text: its words with no spaces.

    For text without Hangul it equals ``bot.lookup.normalize.key``, so English and
    Korean labels share one key space and the validator can compare them.
    """
    return "".join(tokens(text))
