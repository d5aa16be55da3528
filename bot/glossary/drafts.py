"""New term files: the template `lingo new-term` writes, and the YAML of a filled-in term.

Both are written by one function so a file from ``/lingo suggest`` looks exactly like one
an admin started with ``lingo new-term`` and filled in. The template fills every field
with ``PLACEHOLDER``, which the validator rejects until an admin has written it.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import UserError
from bot.glossary import PLACEHOLDER, Glossary, Link, Term, shadowed_by_command
from bot.lookup.normalize import key

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/term.schema.json"
MAX_ID_CHARS = 64
_WRAP = 78
_PARENTHESISED = re.compile(r"^(?P<outer>[^()]+?)\s*\([^()]+\)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class TermDraft:
    """What is known about a term before it becomes a file; None means "to fill in"."""

    name: str
    category: str | None = None
    definition: str | None = None
    aliases: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return term_id(self.name)


def term_id(name: str) -> str:
    """The file name (without .yaml) and id of a term: "Mixture of Experts" → mixture-of-experts.

    A parenthesised expansion is left out, as in "RAG (Retrieval-Augmented Generation)" → rag.
    """
    match = _PARENTHESISED.match(name.strip())
    text = match["outer"] if match else name
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    if len(slug) > MAX_ID_CHARS:
        slug = slug[:MAX_ID_CHARS].rsplit("-", 1)[0]
    if not slug:
        raise UserError(f"cannot make a file name from {name!r}: use letters or digits")
    return slug


def term_yaml(draft: TermDraft, categories: tuple[str, ...] = ()) -> str:
    """The text of ``glossary/terms/<id>.yaml`` for ``draft``; unknown parts are placeholders.

    ``categories`` (ids) are listed in a comment when the category is still to be chosen.
    """
    guide = draft.definition is None
    lines = [SCHEMA_COMMENT]
    if guide:
        lines += [
            f'# A new glossary term. Replace every "{PLACEHOLDER}", delete the optional parts',
            "# you do not need, then check it with `lingo validate` (docs/adding-terms.md).",
        ]
    lines += [f"id: {draft.id}", f"name: {_scalar(draft.name)}"]

    lines.append("aliases:")
    if guide:
        lines.append("  # Acronyms, expansions, other spellings and synonyms people would type.")
    for alias in draft.aliases or ((PLACEHOLDER,) if guide else ()):
        lines.append(f"  - {_scalar(alias)}")
    if not draft.aliases and not guide:
        lines[-1] = "aliases: []"

    category = draft.category or PLACEHOLDER
    comment = f"  # one of: {', '.join(categories)}" if categories and not draft.category else ""
    lines.append(f"category: {_scalar(category)}{comment}")

    if guide:
        lines.append("# One to three plain sentences for an engineer who has never heard the word.")
    lines += ["definition: >-", _folded(draft.definition or PLACEHOLDER)]
    if guide:
        lines += [
            "# Optional: a longer explanation shown below the definition. Delete if not needed.",
            "details: >-",
            _folded(PLACEHOLDER),
        ]

    if guide:
        lines += [
            "# Optional: how someone who does not know the word would ask for it, in their",
            '# words ("model makes things up"). They help questions find the term.',
            "asked_as:",
            f"  - {PLACEHOLDER}",
        ]

    if draft.related:
        lines.append("related:")
        lines += [f"  - {_scalar(r)}" for r in draft.related]
    elif guide:
        lines.append(
            "related: []  # ids of other terms worth reading next, e.g. [fine-tuning, lora]"
        )

    links = draft.links or ((Link(PLACEHOLDER, "https://example.com/FILL-ME-IN"),) if guide else ())
    if links:
        lines.append("links:")
        if guide:
            lines.append("  # The paper or official documentation that defines the term.")
        for link in links:
            lines += [f"  - title: {_scalar(link.title)}", f"    url: {_scalar(link.url)}"]
    if guide:
        lines += [
            "# Optional: the card in Korean. Uncomment, translate the English above, then run",
            "# `lingo translations stamp` to record which English it was made from.",
            "# ko:",
            f"#   name: {PLACEHOLDER}",
            "#   aliases: []",
            "#   definition: >-",
            f"#     {PLACEHOLDER}",
            "#   asked_as: []",
        ]
    return "\n".join(lines) + "\n"


def write_new_term(
    glossary_dir: Path, name: str, category: str | None = None, glossary: Glossary | None = None
) -> Path:
    """Write the template for ``name`` under ``glossary_dir/terms``; never overwrite a file.

    Refuse at once a name ``/lingo`` would run as a command; with ``glossary`` (the current
    one, or what loads of it), a name or part of one that already names a term, and a
    ``category`` it does not have.
    """
    name = " ".join(name.split())
    if not name:
        raise UserError('give the term\'s name, e.g. lingo new-term "Mixture of Experts"')
    draft = TermDraft(name=name, category=category)
    terms_dir = glossary_dir / "terms"
    if not terms_dir.is_dir():
        raise UserError(f"no terms/ folder in {glossary_dir}; is that the glossary folder?")
    path = terms_dir / f"{draft.id}.yaml"
    if path.exists():
        raise UserError(f"{path} already exists; edit it instead")
    if shadowed_by_command(name):
        word = name.strip().casefold()
        raise UserError(
            f"{name!r} is a /lingo command word: `/lingo {word}` runs the command, so the "
            "term would never be looked up; name it differently (e.g. with a qualifier)"
        )
    categories: tuple[str, ...] = ()
    if glossary is not None:
        categories = tuple(c.id for c in glossary.categories)
        existing = _existing_term(glossary, name)
        if existing:
            raise UserError(
                f"{name!r} is already in the glossary: it names {existing}; edit that file, "
                "or give the new term a name of its own"
            )
        if category and categories and category not in categories:
            raise UserError(
                f"unknown category {category!r}; use one of: {', '.join(categories)} "
                "(or add it to categories.yaml first)"
            )
    with path.open("x", encoding="utf-8") as file:
        file.write(term_yaml(draft, categories))
    return path


def _existing_term(glossary: Glossary, name: str) -> str | None:
    """The term that already answers to ``name`` or one of its parts ("X (Y)": X, Y)."""
    wanted = {key(label) for label in Term(id="", name=name, category="", definition="").labels}
    for term in glossary.terms.values():
        if any(key(label) in wanted for label in term.labels):
            return f"'{term.name}' ({term.path or term.id})"
    return None


def _scalar(text: str) -> str:
    """A YAML scalar for one line of text: plain when that reads back the same, else quoted."""
    text = _CONTROL.sub("", " ".join(text.split()))
    if text and not text.startswith(("'", '"')):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a double-quoted YAML one


def _folded(text: str) -> str:
    """The body of a ``>-`` block: the text wrapped and indented; it reads back as one line."""
    text = _CONTROL.sub("", " ".join(text.split()))
    return textwrap.fill(
        text,
        _WRAP,
        initial_indent="  ",
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
