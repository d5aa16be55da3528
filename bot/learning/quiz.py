"""Quiz questions from the glossary: plain values, no Slack, no storage.

Two kinds of question:

- ``which-term``: the definition is shown with the term's own words masked, and four term
  names are offered ("which term is this?").
- ``what-means``: a term's name is shown, and four short definitions are offered.

Distractors must be plausible, so they are drawn nearest first: terms the answer is related
to (and those related to it), then terms of the same category, then the rest of the
glossary. Two options are never trivially different: a distractor whose name or first
sentence folds to the answer's is skipped.

Questions are asked in the reader's language (``lang``): Korean names and definitions where
the term has them, English where it does not (``Question.untranslated`` names those fields,
so the question can say so as a card does).

A question is identified by ``question_id``, made from what was asked and a nonce, so an
answer to it can be recorded once however often it is clicked (a retry, a double click).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.glossary.model import Glossary, Term
from bot.lookup.normalize import key
from bot.render.i18n.terms import ENGLISH, definition, term_name

Kind = Literal["which-term", "what-means"]
KINDS: tuple[Kind, ...] = ("which-term", "what-means")
OPTIONS = 4
MASK = "▁▁▁"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


class NotEnoughTerms(ValueError):  # noqa: N818 - reads as the reason it is
    """The glossary (or the chosen category) has fewer terms than a question needs."""


@dataclass(frozen=True)
class Option:
    """One answer to choose: a term, shown by its name or by its first sentence."""

    term_id: str
    text: str


@dataclass(frozen=True)
class Question:
    """One quiz question; ``options[answer]`` is the right one."""

    question_id: str
    kind: Kind
    term_id: str
    prompt: str
    options: tuple[Option, ...]
    answer: int
    untranslated: tuple[str, ...] = ()  # fields shown in English to a reader of another language

    @property
    def right(self) -> Option:
        return self.options[self.answer]


@dataclass(frozen=True)
class Verdict:
    """What an answer was worth, and how each wrong option differs from the right one."""

    correct: bool
    term: Term
    chosen: Term | None
    differences: tuple[tuple[Term, str], ...]


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, whitespace folded."""
    flat = " ".join(text.split())
    match = _SENTENCE_END.search(flat)
    return flat[: match.start()] if match else flat


def masked_definition(term: Term, lang: str = ENGLISH) -> str:
    """The definition (in ``lang``) with the term's names, their parts and aliases hidden.

    Longer labels are masked first, so "Low-Rank Adaptation" goes before "LoRA"; matching
    ignores case, and a word that starts with a label ("tokenizer" for Token) is masked
    whole, since it would give the answer away (in Korean, so is a name with its particle:
    "양자화는"). A translated definition hides the English labels too ("LoRA").
    """
    text = " ".join(definition(term, lang).split())
    translated = term.translations.get(lang)
    named = (*term.labels, *(translated.labels if translated else ()))
    labels = sorted({label for label in named if len(label) >= 2}, key=len, reverse=True)
    for label in labels:
        pattern = re.compile(r"(?<![\w-])" + re.escape(label) + r"[\w-]*", flags=re.IGNORECASE)
        text = pattern.sub(MASK, text)
    return text


def distractor_pool(glossary: Glossary, term: Term) -> list[Term]:
    """Every other term, nearest first: related both ways, same category, then the rest."""
    terms = glossary.terms
    related = [terms[r] for r in term.related if r in terms]
    related += [t for t in terms.values() if term.id in t.related and t not in related]
    same = [t for t in glossary.in_category(term.category) if t not in related]
    rest = [t for t in terms.values() if t.category != term.category and t not in related]
    return [t for t in (*related, *same, *rest) if t.id != term.id]


def make_question(
    glossary: Glossary,
    rng: random.Random,
    *,
    term_id: str | None = None,
    category: str | None = None,
    kind: Kind | None = None,
    lang: str = ENGLISH,
) -> Question:
    """A question about ``term_id`` (else a term drawn at random, from ``category`` if given),
    in ``lang``.

    Raises NotEnoughTerms when fewer than four distinct options can be offered.
    """
    candidates = (
        glossary.in_category(category) if category is not None else list(glossary.terms.values())
    )
    if term_id is not None:
        found = glossary.terms.get(term_id)
        if found is None:
            raise NotEnoughTerms(f"no term '{term_id}' in the glossary")
        term = found
    else:
        if not candidates:
            raise NotEnoughTerms("there are no terms to ask about")
        term = rng.choice(candidates)
    chosen_kind: Kind = kind if kind is not None else rng.choice(KINDS)
    distractors = _distractors(glossary, term, rng, chosen_kind)
    if len(distractors) < OPTIONS - 1:
        raise NotEnoughTerms("a question needs at least four different terms")
    picked = [term, *distractors]
    rng.shuffle(picked)
    if chosen_kind == "which-term":
        prompt = masked_definition(term, lang)
        options = tuple(Option(t.id, term_name(t, lang)) for t in picked)
        shown = (("definition", (term,)), ("name", picked))
    else:
        prompt = term_name(term, lang)
        options = tuple(Option(t.id, first_sentence(definition(t, lang))) for t in picked)
        shown = (("name", (term,)), ("definition", picked))
    untranslated = tuple(
        field
        for field, terms in sorted(shown, key=lambda f: f[0] != "name")
        if lang != ENGLISH and any(lang not in t.translations for t in terms)
    )
    nonce = f"{rng.getrandbits(48):012x}"
    return Question(
        question_id=f"{term.id}:{chosen_kind}:{nonce}",
        kind=chosen_kind,
        term_id=term.id,
        prompt=prompt,
        options=options,
        answer=picked.index(term),
        untranslated=untranslated,
    )


def _distractors(glossary: Glossary, term: Term, rng: random.Random, kind: Kind) -> list[Term]:
    """Three plausible wrong options: from the nearest group first, shuffled within groups."""
    pool = distractor_pool(glossary, term)
    near = pool[: max(6, OPTIONS * 2)]
    rng.shuffle(near)
    ordered = near + pool[len(near) :]
    seen_names = {key(term.name)}
    seen_texts = {key(first_sentence(term.definition))}
    found: list[Term] = []
    for candidate in ordered:
        name, text = key(candidate.name), key(first_sentence(candidate.definition))
        if name in seen_names or (kind == "what-means" and text in seen_texts):
            continue  # trivially different from an option already offered
        seen_names.add(name)
        seen_texts.add(text)
        found.append(candidate)
        if len(found) == OPTIONS - 1:
            break
    return found


def judge(
    question: Question, chosen_index: int, glossary: Glossary, lang: str = ENGLISH
) -> Verdict:
    """The verdict on choosing ``options[chosen_index]``; terms gone from the glossary are
    skipped; how the others differ is said in ``lang``."""
    term = glossary.terms.get(question.term_id)
    if term is None:
        raise NotEnoughTerms(f"the term '{question.term_id}' is no longer in the glossary")
    chosen_id = (
        question.options[chosen_index].term_id
        if 0 <= chosen_index < len(question.options)
        else None
    )
    chosen = glossary.terms.get(chosen_id) if chosen_id else None
    differences = tuple(
        (other, first_sentence(definition(other, lang)))
        for other in _option_terms(question.options, glossary)
        if other.id != term.id
    )
    return Verdict(correct=chosen_id == term.id, term=term, chosen=chosen, differences=differences)


def _option_terms(options: Sequence[Option], glossary: Glossary) -> list[Term]:
    return [glossary.terms[o.term_id] for o in options if o.term_id in glossary.terms]
