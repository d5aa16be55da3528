"""The resolver: what people really type, and never confidently wrong."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary, load_glossary
from bot.lookup.resolver import Resolver, allowed_typos
from tests.conftest import PINNED_GLOSSARY


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(PINNED_GLOSSARY)


@pytest.fixture(scope="module")
def resolver(glossary: Glossary) -> Resolver:
    return Resolver(glossary)


def test_every_name_and_alias_answers_exactly(glossary: Glossary, resolver: Resolver) -> None:
    for term in glossary.terms.values():
        for label in term.labels:
            resolution = resolver.resolve(label)
            assert resolution.status == "exact", label
            assert resolution.term is not None, label
            assert resolution.term.id == term.id, label


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("quantization", "quantization"),
        ("Context-Length", "context-length"),
        ("context length", "context-length"),
        ("contextlength", "context-length"),
        ("  LoRA  ", "lora"),
        ("low-rank adaptation", "lora"),
        ("retrieval augmented generation", "retrieval-augmented-generation"),
        ("RAG", "retrieval-augmented-generation"),
        ("transformers", "transformer"),
        ("embeddings", "embedding"),
        ("quantisation", "quantization"),
        ("tokenisation", "tokenization"),
        ("What is LoRA?", "lora"),
        ("what's RAG", "retrieval-augmented-generation"),
        ("context window", "context-length"),
        ("vector store", "vector-database"),
        ("fine-tune", "fine-tuning"),
        ("SFT", "supervised-fine-tuning"),
        ("PEFT", "peft"),
        ("ICL", "in-context-learning"),
        ("KB", "knowledge-base"),
        ("MTP", "multi-token-prediction"),
        ("pass@k", "pass-at-k"),
        ("KV&amp;cache".replace("&amp;", " "), "kv-cache"),
    ],
)
def test_exact_answers(resolver: Resolver, query: str, term_id: str) -> None:
    resolution = resolver.resolve(query)
    assert resolution.status == "exact", resolution
    assert resolution.term is not None
    assert resolution.term.id == term_id


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("quantisaton", "quantization"),
        ("lorra", "lora"),
        ("halucination", "hallucination"),
        ("rlfh", "rlhf"),
        ("pfet", "peft"),
        ("context lenght", "context-length"),
        ("speculativ decoding", "speculative-decoding"),
        ("few-shot learners", "few-shot-learning"),
        ("quantized", "quantization"),
        ("self speculative", "self-speculative-decoding"),
    ],
)
def test_fuzzy_answers_say_what_they_matched(resolver: Resolver, query: str, term_id: str) -> None:
    resolution = resolver.resolve(query)
    assert resolution.status == "fuzzy", resolution
    assert resolution.term is not None
    assert resolution.term.id == term_id
    assert resolution.matched


@pytest.mark.parametrize(
    "query",
    [
        "transfer money",
        "fine dining",
        "vector graphics",
        "reward points",
        "attention span",
        "induction cooktop",
        "pruning roses",
        "knowledge management",
        "injection",
        "mixture of experts",
        "GPT-4",
    ],
)
def test_sharing_a_word_is_not_an_answer(resolver: Resolver, query: str) -> None:
    resolution = resolver.resolve(query)
    assert not resolution.confident, resolution
    assert resolution.term is None


def test_a_trap_still_gets_the_word_it_shares_as_a_suggestion(resolver: Resolver) -> None:
    resolution = resolver.resolve("transfer money")
    assert resolution.status == "miss"
    assert resolution.suggestions[0].id == "transfer-learning"


def test_an_ambiguous_query_offers_ranked_choices(resolver: Resolver) -> None:
    resolution = resolver.resolve("speculative")
    assert resolution.status == "ambiguous"
    # The names that contain the word come first; terms that only mention it follow.
    assert {s.id for s in resolution.suggestions[:2]} == {
        "speculative-decoding",
        "self-speculative-decoding",
    }
    assert 2 <= len(resolver.resolve("tuning").suggestions) <= 5


def test_typed_brackets_and_empty_text(resolver: Resolver) -> None:
    # The core gets text as typed; Slack's escapes are decoded once at the edge
    # (tests/slack/test_command_path.py).
    assert resolver.resolve("<RAG>").term is not None
    assert resolver.resolve("   ").status == "miss"
    assert resolver.resolve("<!channel>").status == "miss"
    huge = resolver.resolve("lora " * 5000)
    assert len(huge.query) <= 200


def test_short_words_must_be_spelled_right() -> None:
    assert [allowed_typos(n) for n in (3, 4, 5, 9, 10, 15)] == [0, 0, 1, 1, 2, 3]


def test_search_ranks_names_and_definitions(resolver: Resolver) -> None:
    hits = [h.term.id for h in resolver.search("memory")]
    assert "quantization" in hits
    assert "peft" in hits
    assert resolver.search("lora")[0].term.id == "lora"
    assert resolver.search("zzzz qqqq") == []


def test_mentions_finds_terms_in_a_message(resolver: Resolver) -> None:
    text = "We could try LoRA with 4-bit quantisation, or just RAG over the KB. Fine dining later."
    found = [t.id for t in resolver.mentions(text)]
    assert found[:4] == ["lora", "quantization", "retrieval-augmented-generation", "knowledge-base"]
    assert "fine-tuning" not in found


def test_names_a_term(resolver: Resolver) -> None:
    assert resolver.names_a_term("Low Rank Adaptation")
    assert not resolver.names_a_term("random")


# The terms of the two "LLM Lingo" tables and the multi-token-prediction vocabulary, as
# the tables write them.
TABLE_TERMS = {
    "Foundation Model": "foundation-model",
    "Transformer": "transformer",
    "Prompting": "prompting",
    "Context-Length": "context-length",
    "Few-Shot Learning": "few-shot-learning",
    "Zero-Shot Learning": "zero-shot-learning",
    "RAG (Retrieval-Augmented Generation)": "retrieval-augmented-generation",
    "Knowledge Base (KB)": "knowledge-base",
    "Vector Database": "vector-database",
    "Fine-Tuning": "fine-tuning",
    "Instruction Tuning": "instruction-tuning",
    "Hallucination": "hallucination",
    "In-Context Learning": "in-context-learning",
    "SFT (Supervised Fine-Tuning)": "supervised-fine-tuning",
    "Contrastive Learning": "contrastive-learning",
    "Transfer Learning": "transfer-learning",
    "Reward Modeling": "reward-modeling",
    "Reinforcement Learning": "reinforcement-learning",
    "RLHF": "rlhf",
    "PEFT (Parameter-Efficient Fine-Tuning)": "peft",
    "Quantization": "quantization",
    "Pruning": "pruning",
    "LoRA (Low-Rank Adaptation)": "lora",
    "Freeze Tuning": "freeze-tuning",
    "Multi-Token Prediction": "multi-token-prediction",
    "Next-Token Prediction": "next-token-prediction",
    "Self-Speculative Decoding": "self-speculative-decoding",
    "Speculative Decoding": "speculative-decoding",
    "Induction Heads": "induction-heads",
    "Byte-Level Tokenization": "byte-level-tokenization",
    "HumanEval": "humaneval",
    "MBPP": "mbpp",
    "Sample Efficiency": "sample-efficiency",
    "Cross-Entropy Loss": "cross-entropy-loss",
    "ICL": "in-context-learning",
    "MTP": "multi-token-prediction",
}


@pytest.mark.parametrize(("name", "term_id"), TABLE_TERMS.items())
def test_every_table_term_answers_exactly_by_its_name(
    resolver: Resolver, name: str, term_id: str
) -> None:
    resolution = resolver.resolve(name)
    assert resolution.status == "exact"
    assert resolution.term is not None
    assert resolution.term.id == term_id
