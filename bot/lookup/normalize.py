"""How text is folded before it is compared: one set of rules for the index and the query.

The validator uses the same rules to reject two terms whose names or aliases would be
indistinguishable to the resolver, so whatever the resolver treats as equal is unique.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_QUERY_CHARS = 200

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Leading words that turn a term into a question; they never change which term is meant.
_QUESTION_PREFIXES = (
    ("what", "is", "a"),
    ("what", "is", "an"),
    ("what", "is", "the"),
    ("what", "are"),
    ("what", "is"),
    ("what", "s"),
    ("whats",),
    ("define",),
    ("definition", "of"),
    ("explain",),
    ("meaning", "of"),
    ("the",),
    ("a",),
    ("an",),
)
# British spellings folded into American ones; the shortest stem before each is kept.
_SPELLING = {
    "isations": "izations",
    "isation": "ization",
    "ising": "izing",
    "ised": "ized",
    "iser": "izer",
    "ise": "ize",
    "ysing": "yzing",
    "yse": "yze",
    "elling": "eling",
    "elled": "eled",
    "our": "or",
}
_SPELLING_ENDING = re.compile(rf"^(.{{3,}}?)({'|'.join(_SPELLING)})$")
# Endings stripped to reach a stem ("quantized" and "quantization" share "quantiz"); the
# stem keeps at least four letters, so the longest ending that leaves four is taken.
_STEM_ENDING = re.compile(r"^(.{4,}?)(ations|ation|ions|ion|ings|ing|ers|er|ed|es|s)$")


def clean(text: str) -> str:
    """Fold Unicode compatibility forms; trim and cap the length.

    The text is as typed: Slack's HTML escapes are decoded once, at the Slack edge
    (``bot.slack.interaction.typed_text``), never here."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


@lru_cache(maxsize=65536)
def canon_word(word: str) -> str:
    """One folded word: singular, American spelling."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    match = _SPELLING_ENDING.match(word)
    return match[1] + _SPELLING[match[2]] if match else word


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """A rough stem of a canonical word, so different forms of one word meet."""
    match = _STEM_ENDING.match(word)
    return match[1] if match else word


# Texts longer than this (whole messages through the jargon shortcut) are folded each time
# and never cached: the cache holds names, aliases and queries, so it stays small.
MAX_CACHED_CHARS = 256


def words(text: str) -> tuple[str, ...]:
    """The canonical words of ``text``: case, accents, punctuation, plurals and spelling folded."""
    if len(text) > MAX_CACHED_CHARS:
        return _words(text)
    return _cached_words(text)


def _words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("&", " and ")
    return tuple(canon_word(w) for w in _NON_WORD.split(folded) if w)


_cached_words = lru_cache(maxsize=1 << 16)(_words)


def query_words(text: str) -> tuple[str, ...]:
    """Like :func:`words`, with question phrasing ("what is", "define") removed."""
    found = words(text)
    changed = True
    while changed and found:
        changed = False
        for prefix in _QUESTION_PREFIXES:
            if len(found) > len(prefix) and found[: len(prefix)] == prefix:
                found = found[len(prefix) :]
                changed = True
                break
    return found


def key(text: str) -> str:
    """The comparison key of a name or alias: its canonical words with no spaces."""
    return "".join(words(text))


def stem_key(parts: tuple[str, ...]) -> str:
    """The stemmed comparison key of already-canonical words."""
    return "".join(stem_word(w) for w in parts)


# -- tokens for ranking ------------------------------------------------------------------------
#
# Ranking compares words, not whole names, so it folds harder than the name keys above: the
# stem drops derivational endings too ("hallucinate", "hallucination" and "hallucinating" all
# become "hallucin"), and words that say nothing about a topic are dropped. Every ranking
# token comes from :func:`tokens`; a script other than Latin letters gets its tokens there.

# Function words and question framing: they never tell one glossary entry from another.
RANK_STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "doe",
        "does",
        "doing",
        "done",
        "each",
        "else",
        "even",
        "ever",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "like",
        "me",
        "mean",
        "meaning",
        "meant",
        "more",
        "most",
        "much",
        "my",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "please",
        "point",
        "purpose",
        "really",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "this",
        "those",
        "through",
        "thu",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "vs",
        "via",
        "want",
        "was",
        "way",
        "we",
        "were",
        "what",
        "whats",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
        "s",
        "t",
    ]
)
_RANK_ENDING = re.compile(
    r"^(.{3,}?)(izations|ization|izing|izer|ized|izes|ize|ational|ations|ation|ating|ated|ates"
    r"|atives|ative|ators|ator|ate|ities|ity|ively|ive|nesses|ness|ments|ment|ings|ing|ions|ion|ers|er|ed|es|ly|al|s)$"
)
_WORD_IN_TEXT = re.compile(r"\w+")


@lru_cache(maxsize=1 << 17)
def rank_stem(word: str) -> str:
    """The ranking stem of a canonical word: inflectional and derivational endings removed."""
    match = _RANK_ENDING.match(word) if len(word) > 4 else None
    stem = match[1] if match else word
    if len(stem) >= 4 and stem.endswith("e"):
        stem = stem[:-1]  # "make" and "making", "freeze" and "freezing"
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        stem = stem[:-1]  # "embed" and "embedding", "run" and "running"
    return stem


@lru_cache(maxsize=1 << 17)
def tokens(text: str) -> tuple[str, ...]:
    """The ranking tokens of ``text``, in order: folded, stemmed, without stop words."""
    return tuple(rank_stem(w) for w in words(text) if w not in RANK_STOP_WORDS)


@lru_cache(maxsize=1 << 14)
def token_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, token) of each word of ``text`` that yields a ranking token, for bolding.

    Remembered, like ``tokens``: the texts are the entries' phrases, read again for every
    description that ranks their term among its choices."""
    return tuple(
        (match.start(), match.end(), token)
        for match in _WORD_IN_TEXT.finditer(text)
        for token in tokens(match[0])
    )
