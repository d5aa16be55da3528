"""`lingo preview`: changed terms and digest items as they will read in Slack, in Markdown.

A pull request's glossary job writes this to the GitHub job summary, so a reviewer who
never opens a YAML file sees each new or changed entry the way people in Slack will.
Slack mrkdwn (``*bold*``, ``~strike~``, ``<url|text>``) is turned into GitHub Markdown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path

from bot.errors import GlossaryError, Problem, UserError
from bot.glossary import Digest, DigestItem, Glossary, Term, validate_glossary

_CODE = re.compile(r"(`[^`]*`)")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>\s]+)>")
_TERM_FIELDS = [f.name for f in fields(Term) if f.name not in ("id", "path")]


def mrkdwn_to_markdown(text: str) -> str:
    """Slack mrkdwn as GitHub Markdown; code spans are left as they are."""
    parts = _CODE.split(text)
    for index in range(0, len(parts), 2):  # even parts are outside code spans
        part = _LINK.sub(r"[\2](\1)", parts[index])
        part = _BARE_LINK.sub(r"<\1>", part)
        part = _BOLD.sub(r"**\1**", part)
        parts[index] = _STRIKE.sub(r"~~\1~~", part)
    return "".join(parts)


def preview_markdown(
    glossary_dir: Path, files: Sequence[str | os.PathLike[str]], base_dir: Path | None = None
) -> str:
    """Markdown for every term and digest file in ``files`` (paths of a change).

    With ``base_dir`` (the glossary before the change), a term says which fields changed,
    a digest shows only its added or changed items, and a file that exists only there is a
    removed one; with no ``files``, every file that differs from ``base_dir`` is shown.
    A path that exists in neither, or that is not a file of the glossary, is a UserError.
    """
    if base_dir is not None and not (base_dir / "terms").is_dir():
        raise UserError(f"--base {base_dir}: not a glossary folder (no terms/ in it)")
    report = validate_glossary(glossary_dir)
    glossary = report.glossary or Glossary(terms={})
    base = _base_glossary(base_dir)
    terms_by_file = {_same(t.path): t for t in glossary.terms.values()}
    paths = [Path(f) for f in dict.fromkeys(str(f) for f in files)]
    if not paths and base_dir is not None:
        paths = differing_files(glossary_dir, base_dir)
    sections: list[str] = []
    for path in paths:
        kind = glossary_file_kind(glossary_dir, path)
        problems = [p for p in report.problems if _same(p.path) == _same(path)]
        if kind == "categories":
            continue
        if not path.exists():
            before = base_dir / kind / path.name if base_dir is not None else None
            if before is None or not before.exists():
                where = (
                    f" or in {base_dir}"
                    if base_dir is not None
                    else " (give --base to preview a removal)"
                )
                raise UserError(f"{path}: no such file in the glossary{where}")
            what = "term" if kind == "terms" else "digest"
            sections.append(f"### 🗑️ Removed {what}: `{path.stem}`\n\n`{path}` is deleted.")
        elif problems:
            sections.append(_problems_section(path, problems))
        elif kind == "terms":
            term = terms_by_file.get(_same(path))
            if term is not None:
                sections.append(_term_section(term, glossary, base, path))
        else:
            digest = glossary.digests.get(path.stem)
            if digest is not None:
                sections.append(_digest_section(digest, glossary, base, path))
    head = "## Glossary preview\n\nHow each added or changed entry will read in Slack."
    if not sections:
        return f"{head}\n\nNo term or digest files changed.\n"
    return head + "\n\n" + "\n\n---\n\n".join(sections) + "\n"


def glossary_file_kind(glossary_dir: Path, path: Path) -> str:
    """ "terms", "digests" or "categories" for a file of the glossary; else a UserError."""
    root = glossary_dir.resolve()
    where = path.parent.resolve()
    if path.name == "categories.yaml" and where == root:
        return "categories"
    if path.suffix == ".yaml" and where.parent == root and where.name in ("terms", "digests"):
        return where.name
    raise UserError(
        f"{path}: not a file of the glossary in {glossary_dir} (a glossary file is "
        "terms/<id>.yaml, digests/<id>.yaml or categories.yaml)"
    )


def differing_files(glossary_dir: Path, base_dir: Path) -> list[Path]:
    """Term and digest files of ``glossary_dir`` that are new or differ from ``base_dir``,
    then those only in ``base_dir`` (removed), as paths in ``glossary_dir``."""
    found: list[Path] = []
    for kind in ("terms", "digests"):
        now = {p.name: p for p in sorted((glossary_dir / kind).glob("*.yaml"))}
        before = {p.name: p for p in sorted((base_dir / kind).glob("*.yaml"))}
        for name, path in now.items():
            if name not in before or before[name].read_bytes() != path.read_bytes():
                found.append(path)
        found += [glossary_dir / kind / name for name in before if name not in now]
    return found


def term_card_markdown(term: Term, glossary: Glossary) -> str:
    """One term's Slack card as a Markdown block quote."""
    lines = [f"**{term.name}**", "", mrkdwn_to_markdown(term.definition)]
    if term.details:
        lines += ["", mrkdwn_to_markdown(term.details)]
    for example in term.examples:
        lines += ["", f"• _{mrkdwn_to_markdown(example)}_"]
    facts = []
    if term.aliases:
        facts.append("**Also called:** " + ", ".join(term.aliases))
    category = glossary.category(term.category)
    facts.append(f"**Category:** {category.name if category else term.category}")
    if term.related:
        names = [_term_name(glossary, r) for r in term.related]
        facts.append("**Related:** " + " ".join(f"`{n}`" for n in names))
    if term.links:
        facts.append("**Sources:** " + " · ".join(f"[{x.title}]({x.url})" for x in term.links))
    if not term.daily:
        facts.append("_Not in the term-of-the-day rotation._")
    lines += ["", *_with_breaks(facts)]
    return _quote(lines)


def digest_item_markdown(digest: Digest, item: DigestItem, glossary: Glossary) -> str:
    """One digest item as it is posted beside the term of the day, as a block quote."""
    number = digest.items.index(item) + 1
    lines = [
        f"**{digest.title}** ({number} of {len(digest.items)})",
        "",
        f"**{item.title}**",
        "",
        mrkdwn_to_markdown(item.body),
        "",
        f"Source: [{item.source.title}]({item.source.url})",
    ]
    if item.terms:
        lines.append("Terms: " + " ".join(f"`{_term_name(glossary, t)}`" for t in item.terms))
    return _quote(_with_breaks(lines))


def _term_section(term: Term, glossary: Glossary, base: Glossary | None, path: Path) -> str:
    before = base.term(term.id) if base else None
    if base is None:
        title = f"### {term.name}"
    elif before is None:
        title = f"### ➕ New term: {term.name}"
    else:
        changed = [f for f in _TERM_FIELDS if getattr(before, f) != getattr(term, f)]
        if not changed:
            return f"### {term.name}\n\n`{path}`: no change people will see."
        title = f"### ✏️ Changed term: {term.name}\n\nChanged: {', '.join(changed)}"
    return f"{title}\n\n`{path}`\n\n{term_card_markdown(term, glossary)}"


def _digest_section(digest: Digest, glossary: Glossary, base: Glossary | None, path: Path) -> str:
    before = base.digests.get(digest.id) if base else None
    old = {i.id: i for i in before.items} if before else {}
    shown = [i for i in digest.items if old.get(i.id) != i]
    title = f"### Digest: {digest.title}\n\n`{path}`"
    if not shown:
        return f"{title}: no added or changed items."
    count = f"{len(shown)} of {len(digest.items)} items added or changed:" if base else ""
    parts = [title, count] if count else [title]
    for item in shown:
        label = (
            "Item" if base is None else "➕ New item" if item.id not in old else "✏️ Changed item"
        )
        parts.append(f"#### {label} `{item.id}`\n\n{digest_item_markdown(digest, item, glossary)}")
    return "\n\n".join(parts)


def _problems_section(path: Path, problems: Iterable[Problem]) -> str:
    listed = "\n".join(f"- line {p.line}: {p.message}" for p in sorted(problems))
    return (
        f"### ⚠️ `{path}` has problems\n\n"
        f"It will not be served until they are fixed (`lingo validate` shows them too):\n\n{listed}"
    )


def _base_glossary(base_dir: Path | None) -> Glossary | None:
    if base_dir is None:
        return None
    try:
        return validate_glossary(base_dir).glossary or Glossary(terms={})
    except GlossaryError:
        return Glossary(terms={})  # no glossary before this change: everything is new


def _term_name(glossary: Glossary, term_id: str) -> str:
    term = glossary.term(term_id)
    return term.name if term else term_id


def _same(path: str | os.PathLike[str]) -> Path:
    return Path(path).resolve()


def _with_breaks(lines: list[str]) -> list[str]:
    """Consecutive lines kept apart in Markdown (a trailing backslash is a line break)."""
    return [
        line + "\\" if line and index + 1 < len(lines) and lines[index + 1] else line
        for index, line in enumerate(lines)
    ]


def _quote(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        out += [f"> {part}".rstrip() for part in line.split("\n")]
    return "\n".join(out)
