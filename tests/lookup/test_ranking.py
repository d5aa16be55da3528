"""bot/lookup/ranking.py on its own: impact-ordered pruning (a word found in more entries
than the limit scores only the entries it weighs most in; coverage still counts every
entry; below the limit ranking is exact), pairs of words side by side, and snippets marking
whole words."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.glossary import load_glossary
from bot.glossary.model import Term
from bot.lookup.normalize import tokens
from bot.lookup.ranking import MAX_PAIR_POSTINGS, MAX_POSTINGS, Snippet, TermIndex

DATA = Path(__file__).resolve().parents[1] / "data"
ASKED = DATA / "asked-glossary"
GRADED = DATA / "glossary-2026-12"
DESCRIPTIONS = DATA / "queries" / "descriptions.yaml"


def test_a_common_word_scores_only_the_entries_it_weighs_most_in() -> None:
    terms = list(load_glossary(ASKED).terms.values())
    query = [tokens("model")]
    exact = TermIndex(terms).rank(query, limit=len(terms))
    assert len(exact) > 2, "the fixture needs a word many entries use"
    pruned = TermIndex(terms, max_postings=2).rank(query, limit=len(terms))
    assert [r.term_id for r in pruned] == [r.term_id for r in exact[:2]]
    assert [r.coverage for r in pruned] == [r.coverage for r in exact[:2]]


def test_below_the_limit_ranking_is_exact() -> None:
    terms = list(load_glossary(ASKED).terms.values())
    assert len(terms) < MAX_PAIR_POSTINGS < MAX_POSTINGS
    query = [tokens("model"), tokens("weights")]
    exact = TermIndex(terms, max_postings=len(terms), max_pair_postings=len(terms))
    assert TermIndex(terms).rank(query) == exact.rank(query)


def test_pruning_keeps_the_first_choices_on_the_graded_glossary() -> None:
    terms = list(load_glossary(GRADED).terms.values())
    assert len(terms) > MAX_POSTINGS, "the check is only worth something above the limit"
    pruned = TermIndex(terms)
    exact = TermIndex(terms, max_postings=len(terms), max_pair_postings=len(terms))
    queries = [str(entry["query"]) for entry in yaml.safe_load(DESCRIPTIONS.read_text())]
    for query in queries:
        groups = [(token,) for token in tokens(query)]
        first = [r.term_id for r in pruned.rank(groups, limit=5)]
        assert first == [r.term_id for r in exact.rank(groups, limit=5)], query


def test_words_side_by_side_lift_an_entry_unless_most_entries_have_them_so() -> None:
    def term(index: int, definition: str) -> Term:
        return Term(id=f"t{index}", name=f"Name{index}", category="c", definition=definition)

    # Entries of the same words and length: "stock phrase" is side by side in all but the
    # first, "rounding weights" only in the second.
    terms = [
        term(0, "phrase then stock. Weights then rounding."),
        term(1, "stock phrase then. Rounding weights then."),
        *(term(i, "stock phrase then. Weights then rounding.") for i in range(2, 9)),
    ]
    index = TermIndex(terms)
    rounding = index.rank([tokens("rounding"), tokens("weights")], limit=len(terms))
    assert rounding[0].term_id == "t1"
    assert rounding[0].score > rounding[1].score
    stock = {r.term_id: r.score for r in index.rank([tokens("stock"), tokens("phrase")])}
    assert stock["t0"] == stock["t2"]  # a stock phrase lifts no entry over another


def test_a_match_inside_a_word_is_marked_as_the_whole_word() -> None:
    snippet = Snippet("asked_as", "가중치를 적은 비트로 저장하기", ((0, 3), (8, 10)))
    assert [piece for piece, hit in snippet.pieces() if hit] == ["가중치를", "비트로"]
    english = Snippet("definition", "rounds the weights, then stores them", ((11, 18),))
    assert [piece for piece, hit in english.pieces() if hit] == ["weights"]
