"""Terminal wrapping by display width: wcwidth.wrap against a small hand-written wrapper
(textwrap with ``len`` replaced by a ``unicodedata.east_asian_width`` count), and against
stdlib textwrap (character count, the old behaviour) as the baseline, on our own card text.

Correctness: the width each candidate gives to Hangul syllables, conjoining jamo (NFD
Hangul, as the resolver folds it), emoji with ZWJ and variation selectors, and whether any
wrapped line of the Korean glossary texts overflows the width (measured with wcwidth, the
reference, and checked by hand on the cases below).
Speed: wrapping every Korean and English definition and details of the pinned glossary at
width 60; medians of 15 runs in the same process; read the ratios.

Run: .venv/bin/python -m bench.wrap_width
"""

from __future__ import annotations

import statistics
import textwrap
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import wcwidth

from bot.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
PINNED = ROOT / "tests" / "data" / "glossary-2026-12"
WIDTH = 60
RUNS = 15

CASES = {
    "Hangul syllables 양자화": ("양자화", 6),
    "NFD Hangul (conjoining jamo)": (unicodedata.normalize("NFD", "양자화"), 6),
    "emoji 👍": ("👍", 2),
    "ZWJ emoji 👩‍💻": ("👩\u200d💻", 2),
    "VS16 emoji ❤️": ("❤\ufe0f", 2),
    "combining accent é (e + U+0301)": ("e\u0301", 1),
    "fullwidth ＡＢ": ("ＡＢ", 4),
    "ASCII LoRA": ("LoRA", 4),
}


def eaw_width(text: str) -> int:
    """The hand-written candidate: wide/fullwidth 2, combining and jamo vowels/finals 0."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff":
            continue  # conjoining jamo after the leading consonant
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


class EawWrapper(textwrap.TextWrapper):
    """textwrap with display width: the stdlib's chunk loop, ``len`` replaced by eaw_width."""

    def _wrap_chunks(self, chunks: list[str]) -> list[str]:
        lines: list[str] = []
        chunks.reverse()
        while chunks:
            current: list[str] = []
            used = 0
            indent = self.subsequent_indent if lines else self.initial_indent
            room = self.width - eaw_width(indent)
            if self.drop_whitespace and chunks[-1].strip() == "" and lines:
                del chunks[-1]
            while chunks:
                size = eaw_width(chunks[-1])
                if used + size <= room:
                    current.append(chunks.pop())
                    used += size
                else:
                    break
            if chunks and eaw_width(chunks[-1]) > room and not current:
                current.append(chunks.pop())  # a word longer than the line stays whole
            if self.drop_whitespace and current and current[-1].strip() == "":
                current.pop()
            if current:
                lines.append(indent + "".join(current))
        return lines


def eaw_wrap(text: str, width: int) -> list[str]:
    return EawWrapper(width, break_long_words=False, break_on_hyphens=False).wrap(text)


def wcwidth_wrap(text: str, width: int) -> list[str]:
    return wcwidth.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def stdlib_wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def texts(lang: str) -> list[str]:
    glossary = load_glossary(PINNED)
    found = []
    for term in glossary.terms.values():
        text = term.translations.get(lang) if lang != "en" else None
        parts = (text.definition, text.details) if text else (term.definition, term.details)
        found += [" ".join(p.split()) for p in parts if p]
    return found


def median_ms(wrap: Callable[[str, int], list[str]], corpus: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for text in corpus:
            wrap(text, WIDTH)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    candidates: dict[str, Callable[[str, int], list[str]]] = {
        "stdlib textwrap (len)": stdlib_wrap,
        "east_asian_width wrapper": eaw_wrap,
        "wcwidth.wrap": wcwidth_wrap,
    }
    print(f"wcwidth {wcwidth.__version__} (C extension: {wcwidth.HAS_C_EXTENSION})\n")
    print(f"{'case':36} {'want':>4} {'len':>4} {'eaw':>4} {'wcwidth':>7}")
    for label, (text, want) in CASES.items():
        print(f"{label:36} {want:>4} {len(text):>4} {eaw_width(text):>4} {wcwidth.width(text):>7}")
    for lang in ("ko", "en"):
        corpus = texts(lang)
        lines = sum(len(stdlib_wrap(t, WIDTH)) for t in corpus)
        print(f"\n{lang}: {len(corpus)} texts, {lines} lines at width {WIDTH}")
        base = median_ms(stdlib_wrap, corpus)
        for name, wrap in candidates.items():
            wrapped = [line for text in corpus for line in wrap(text, WIDTH)]
            over = sum(1 for line in wrapped if wcwidth.width(line) > WIDTH)
            ms = median_ms(wrap, corpus)
            print(
                f"  {name:26} {ms:7.2f} ms (x{ms / base:4.1f})  "
                f"lines {len(wrapped):4}  over width {over}"
            )


if __name__ == "__main__":
    main()
