"""Loading and validating the glossary folder: every problem at once, each with file and line."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
from rapidfuzz import process

from bot.errors import GlossaryError, GlossaryInvalid, Problem
from bot.glossary.model import (
    Category,
    CategoryText,
    Digest,
    DigestItem,
    DigestText,
    Glossary,
    Link,
    Term,
    TermText,
    stamp,
)
from bot.glossary.source import SourceFile, read_source
from bot.lookup.commands import COMMAND_WORDS
from bot.lookup.hangul import fold
from bot.lookup.korean import korean_labels

# Marks text an admin still has to write; `lingo new-term` fills new files with it.
PLACEHOLDER = "FILL ME IN"
_PLACEHOLDER_PATTERN = re.compile(
    r"\b(fill[\s_-]*me[\s_-]*in|todo|tbd|fixme|lorem ipsum|xxx)\b|^\W*$|^\s*(\.\.\.|…)\s*$",
    re.IGNORECASE,
)


@dataclass
class Report:
    """The outcome of validating a glossary folder."""

    glossary: Glossary | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Things a reviewer should see that do not stop the glossary: stale translations."""

    @property
    def ok(self) -> bool:
        return self.glossary is not None and not self.problems

    def summary(self) -> str:
        if self.glossary is None:
            return f"{len(self.problems)} problem(s)"
        g = self.glossary
        items = sum(len(d.items) for d in g.digests.values())
        return (
            f"{len(g.terms)} terms in {len(g.categories)} categories, "
            f"{len(g.digests)} digest(s) with {items} items"
        )


def load_glossary(directory: str | os.PathLike[str]) -> Glossary:
    """Load and validate the glossary in ``directory``; raise if anything is wrong."""
    report = validate_glossary(directory)
    if report.problems or report.glossary is None:
        raise GlossaryInvalid(report.problems)
    return report.glossary


def validate_glossary(directory: str | os.PathLike[str]) -> Report:
    """Check every file under ``directory``; return the glossary (if usable) and all problems.

    Raises GlossaryError only when the folder itself cannot be read.
    """
    root = Path(directory)
    if not root.is_dir():
        raise GlossaryError(f"glossary folder not found: {root}")
    terms_dir = root / "terms"
    if not terms_dir.is_dir():
        raise GlossaryError(f"no terms/ folder in {root} (expected {terms_dir})")
    problems: list[Problem] = []
    warnings: list[Problem] = []
    digest_hash = hashlib.sha256()
    shown_root = _shown(root)

    def read(path: Path) -> SourceFile | None:
        shown = f"{shown_root}/{path.relative_to(root)}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(shown, 1, f"cannot read the file: {error}"))
            return None
        digest_hash.update(shown.encode() + b"\0" + text.encode() + b"\0")
        source, found = read_source(shown, text)
        problems.extend(found)
        return source

    categories = _load_categories(root / "categories.yaml", read, problems)
    category_ids = {c.id for c in categories}

    terms: list[Term] = []
    sources: dict[str, SourceFile] = {}
    for path in sorted(terms_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        if path.suffix in {".yml", ".json"} or (path.is_file() and path.suffix != ".yaml"):
            shown = f"{shown_root}/{path.relative_to(root)}"
            problems.append(Problem(shown, 1, "term files must be named <id>.yaml"))
            continue
        if not path.is_file():
            continue
        source = read(path)
        if source is None:
            continue
        term = _load_term(source, path.stem, category_ids, problems, warnings)
        if term is not None:
            terms.append(term)
            sources[term.id] = source
    if not terms and not problems:
        problems.append(Problem(f"{shown_root}/terms", 1, "the glossary has no terms"))

    _check_across_terms(terms, sources, problems)

    digests: list[Digest] = []
    digests_dir = root / "digests"
    if digests_dir.is_dir():
        known = {t.id for t in terms}
        for path in sorted(digests_dir.glob("*.yaml")):
            source = read(path)
            if source is not None:
                digest = _load_digest(source, path.stem, known, problems, warnings)
                if digest is not None:
                    digests.append(digest)

    glossary = Glossary(
        terms={t.id: t for t in sorted(terms, key=lambda t: t.name.casefold())},
        categories=tuple(categories),
        digests={d.id: d for d in digests},
        fingerprint=digest_hash.hexdigest()[:16],
    )
    return Report(glossary, problems, sorted(warnings))


def _shown(path: Path) -> str:
    """A path as people see it: relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("bot.glossary") / "schema" / name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _checked_schema(name: str) -> dict[str, Any]:
    schema = _schema(name)
    if name == "term.schema.json":
        # The category is checked against categories.yaml instead of the editors' enum.
        schema["properties"]["category"].pop("enum", None)
    return schema


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator that explains every error of one of the packaged schemas."""
    return jsonschema.Draft202012Validator(_checked_schema(name))


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python code by fastjsonschema: a quick yes for valid files."""
    return fastjsonschema.compile(_checked_schema(name))


def _conforms(name: str, data: Any) -> bool:
    try:
        _fast_check(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _schema_problems(
    source: SourceFile,
    schema_name: str,
    problems: list[Problem],
    skip: frozenset[tuple[Any, ...]] = frozenset(),
) -> bool:
    """Check ``source`` against a packaged JSON Schema; add one Problem per error; True if none.

    Errors at a path in ``skip`` (already reported better) are passed over, but still count.
    """
    if _conforms(schema_name, source.data):
        return True
    validator = _validator(schema_name)
    clean = True
    for error in sorted(validator.iter_errors(source.data), key=lambda e: list(map(str, e.path))):
        clean = False
        path = tuple(error.absolute_path)
        if path not in skip:
            problems.extend(_explain(source, error, path))
    return clean


def _explain(
    source: SourceFile, error: jsonschema.ValidationError, path: tuple[Any, ...]
) -> Iterable[Problem]:
    where = ".".join(str(p) for p in path) or "the file"
    value: Any = error.instance
    bound: Any = error.validator_value
    if error.validator == "required":
        missing = [m for m in bound if m not in (value or {})]
        for name in missing:
            yield Problem(source.path, source.line(path), f"missing required field '{name}'")
        return
    if error.validator == "additionalProperties" and isinstance(value, dict):
        schema: Any = error.schema
        allowed = list(schema.get("properties", {}))
        for name in value:
            if name in allowed:
                continue
            hint = process.extractOne(str(name), allowed, score_cutoff=70)
            tip = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
            yield Problem(
                source.path, source.line((*path, name), key=True), f"unknown field '{name}'{tip}"
            )
        return
    line = source.line(path)
    if error.validator == "type":
        expected = bound
        got = type(value).__name__ if value is not None else "nothing"
        got = {"str": "text", "list": "a list", "dict": "a mapping", "NoneType": "nothing"}.get(
            got, got
        )
        yield Problem(source.path, line, f"'{where}' must be {_a(expected)}, not {got}")
    elif error.validator == "maxLength":
        yield Problem(
            source.path,
            line,
            f"'{where}' is {len(value)} characters; at most {bound} fit in Slack",
        )
    elif error.validator == "minLength":
        if not str(value).strip():
            yield Problem(source.path, line, f"'{where}' is empty")
        else:
            yield Problem(
                source.path,
                line,
                f"'{where}' is too short (at least {bound} characters)",
            )
    elif error.validator == "enum":
        choices = ", ".join(map(str, bound))
        yield Problem(source.path, line, f"'{where}' is '{value}'; it must be one of: {choices}")
    elif error.validator == "pattern" and where.endswith("url"):
        yield Problem(source.path, line, f"'{where}' must be an https:// address")
    elif error.validator == "pattern":
        yield Problem(
            source.path, line, f"'{where}' must be a lowercase slug like 'low-rank-adaptation'"
        )
    elif error.validator == "uniqueItems":
        yield Problem(source.path, line, f"'{where}' lists the same entry twice")
    elif error.validator in {"maxItems", "minItems"}:
        most_or_least = "at most" if error.validator == "maxItems" else "at least"
        yield Problem(source.path, line, f"'{where}' must have {most_or_least} {bound} entries")
    else:
        yield Problem(source.path, line, f"'{where}': {error.message}")


def _a(expected: object) -> str:
    names = {
        "string": "text",
        "array": "a list",
        "object": "a mapping",
        "boolean": "true or false",
        "integer": "a whole number",
    }
    if isinstance(expected, list):
        return " or ".join(names.get(str(e), str(e)) for e in expected)
    return names.get(str(expected), str(expected))


def _load_categories(path: Path, read: Any, problems: list[Problem]) -> list[Category]:
    if not path.is_file():
        return [Category("general", "General")]
    source = read(path)
    if source is None or not _schema_problems(source, "categories.schema.json", problems):
        return []
    seen: set[str] = set()
    categories = []
    for index, entry in enumerate(source.data):
        if entry["id"] in seen:
            line = source.line((index, "id"))
            problems.append(Problem(source.path, line, f"category '{entry['id']}' is listed twice"))
        seen.add(entry["id"])
        ko = entry.get("ko")
        translations = {"ko": CategoryText(ko["name"], ko.get("description", ""))} if ko else {}
        categories.append(
            Category(entry["id"], entry["name"], entry.get("description", ""), translations)
        )
    return categories


def _id_matches_file(source: SourceFile, stem: str, problems: list[Problem]) -> bool:
    """The id must equal the file name: ids never change, and the file is found by its id."""
    if source.data["id"] == stem:
        return True
    message = f"id '{source.data['id']}' does not match the file name (expected '{stem}')"
    problems.append(Problem(source.path, source.line(("id",)), message))
    return False


def _placeholder_problems(source: SourceFile) -> dict[tuple[Any, ...], Problem]:
    """Text an admin still has to write (FILL ME IN, TODO, ...), keyed by where it stands."""
    data = source.data if isinstance(source.data, dict) else {}
    found: dict[tuple[Any, ...], Problem] = {}

    def check(path: tuple[Any, ...], text: object, what: str) -> None:
        if isinstance(text, str) and _PLACEHOLDER_PATTERN.search(text):
            verdict = "is empty" if not text.strip() else "is a placeholder; write it"
            found[path] = Problem(source.path, source.line(path), f"{what} {verdict}")

    for name in ("name", "category", "definition", "details"):
        check((name,), data.get(name), f"'{name}'")
    for key_name in ("aliases", "examples"):
        values = data.get(key_name)
        for index, value in enumerate(values if isinstance(values, list) else []):
            check((key_name, index), value, f"'{key_name}' entry")
    links = data.get("links")
    for index, link in enumerate(links if isinstance(links, list) else []):
        if isinstance(link, dict):
            check((*("links", index), "title"), link.get("title"), "the link title")
            url = link.get("url")
            if isinstance(url, str) and ("example.com" in url or _PLACEHOLDER_PATTERN.search(url)):
                path = ("links", index, "url")
                found[path] = Problem(source.path, source.line(path), "the link is a placeholder")
    return found


def _load_term(
    source: SourceFile,
    stem: str,
    category_ids: set[str],
    problems: list[Problem],
    warnings: list[Problem],
) -> Term | None:
    placeholders = _placeholder_problems(source)
    problems.extend(placeholders.values())
    if not _schema_problems(source, "term.schema.json", problems, frozenset(placeholders)):
        return None
    data = source.data
    ok = not placeholders
    ok = _id_matches_file(source, stem, problems) and ok
    if category_ids and data["category"] not in category_ids:
        problems.append(
            Problem(
                source.path,
                source.line(("category",)),
                f"unknown category '{data['category']}'; use one of: {', '.join(sorted(category_ids))}",
            )
        )
        ok = False
    if data["id"] in data.get("related", []):
        line = source.line(("related",))
        problems.append(Problem(source.path, line, "a term cannot be related to itself"))
        ok = False
    if not ok:
        return None
    return Term(
        id=data["id"],
        name=data["name"],
        category=data["category"],
        definition=data["definition"].strip(),
        aliases=tuple(data.get("aliases", ())),
        details=(data.get("details") or "").strip() or None,
        examples=tuple(data.get("examples", ())),
        asked_as=tuple(data.get("asked_as", ())),
        related=tuple(data.get("related", ())),
        links=tuple(Link(x["title"], x["url"]) for x in data.get("links", ())),
        daily=data.get("daily", True),
        translations=_term_translations(source, warnings),
        path=source.path,
    )


def _term_translations(source: SourceFile, warnings: list[Problem]) -> dict[str, TermText]:
    """The term's translations; a warning for each that was made from other English."""
    data = source.data
    ko = data.get("ko")
    if not ko:
        return {}
    _check_stamp(source, ("ko",), ko.get("translated_from"), data["definition"], warnings)
    return {
        "ko": TermText(
            name=ko["name"],
            definition=ko["definition"].strip(),
            aliases=tuple(ko.get("aliases", ())),
            details=(ko.get("details") or "").strip() or None,
            asked_as=tuple(ko.get("asked_as", ())),
            translated_from=ko.get("translated_from"),
        )
    }


def _check_stamp(
    source: SourceFile,
    path: tuple[Any, ...],
    recorded: str | None,
    english: str,
    warnings: list[Problem],
) -> None:
    where = ".".join(map(str, path))
    if recorded is None:
        line = source.line(path, key=True)
        message = (
            f"'{where}' has no translated_from stamp; after checking the translation against "
            "the English, run `lingo translations stamp` to record it"
        )
        warnings.append(Problem(source.path, line, message))
    elif recorded != stamp(english):
        line = source.line((*path, "translated_from"))
        message = (
            f"'{where}' may be stale: the English changed since it was translated; update it, "
            "then run `lingo translations stamp`"
        )
        warnings.append(Problem(source.path, line, message))


def _check_across_terms(
    terms: list[Term], sources: dict[str, SourceFile], problems: list[Problem]
) -> None:
    """Names and aliases unique after folding; related ids exist; no command words."""
    ids = {t.id for t in terms}
    owners: dict[str, tuple[Term, str]] = {}
    for term in terms:
        source = sources[term.id]
        own: dict[str, str] = {}
        for label in (*term.labels, *korean_labels(term)):
            folded = fold(label)  # for English labels, the same as key(label)
            if not folded:
                line = _label_line(term, source, label)
                problems.append(Problem(term.path, line, f"'{label}' has no letters or digits"))
                continue
            if folded in COMMAND_WORDS:
                problems.append(
                    Problem(
                        term.path,
                        _label_line(term, source, label),
                        f"'{label}' is a /lingo command word; it would never be looked up",
                    )
                )
            if folded in own and label in term.aliases and own[folded] != label:
                problems.append(
                    Problem(
                        term.path,
                        _label_line(term, source, label),
                        f"alias '{label}' is redundant: lookups already treat it as "
                        f"'{own[folded]}' (case, hyphens, plurals and British spellings fold)",
                    )
                )
            own.setdefault(folded, label)
            other = owners.get(folded)
            if other and other[0].id != term.id:
                first, first_label = other
                first_line = _label_line(first, sources[first.id], first_label)
                line = _label_line(term, source, label)
                problems.append(
                    Problem(
                        term.path,
                        line,
                        f"'{label}' collides with '{first_label}' of term '{first.id}' "
                        f"({first.path}:{first_line}); names and aliases must be unique",
                    )
                )
                problems.append(
                    Problem(
                        first.path,
                        first_line,
                        f"'{first_label}' collides with '{label}' of term '{term.id}' "
                        f"({term.path}:{line}); names and aliases must be unique",
                    )
                )
            else:
                owners.setdefault(folded, (term, label))
        for index, related in enumerate(term.related):
            if related not in ids:
                near = process.extractOne(related, list(ids), score_cutoff=80)
                tip = f" (did you mean '{near[0]}'?)" if near else ""
                line = source.line(("related", index))
                problems.append(
                    Problem(term.path, line, f"related term '{related}' does not exist{tip}")
                )


def _label_line(term: Term, source: SourceFile, label: str) -> int:
    """The line of one of a term's names or aliases (derived names point at the name)."""
    if label in term.aliases:
        return source.line(("aliases", term.aliases.index(label)))
    korean = term.translations.get("ko")
    if korean is not None and label not in term.labels:
        if label in korean.aliases:
            return source.line(("ko", "aliases", korean.aliases.index(label)))
        return source.line(("ko", "name"))
    return source.line(("name",))


def _load_digest(
    source: SourceFile,
    stem: str,
    known_terms: set[str],
    problems: list[Problem],
    warnings: list[Problem],
) -> Digest | None:
    if not _schema_problems(source, "digest.schema.json", problems):
        return None
    data = source.data
    ok = _id_matches_file(source, stem, problems)
    seen: set[str] = set()
    for index, item in enumerate(data["items"]):
        if item["id"] in seen:
            line = source.line(("items", index, "id"))
            problems.append(Problem(source.path, line, f"item id '{item['id']}' is used twice"))
            ok = False
        seen.add(item["id"])
        if _PLACEHOLDER_PATTERN.search(item["body"]) or _PLACEHOLDER_PATTERN.search(item["title"]):
            line = source.line(("items", index, "body"))
            problems.append(Problem(source.path, line, "item text is a placeholder; write it"))
            ok = False
        for t_index, term_id in enumerate(item["terms"]):
            if term_id not in known_terms:
                line = source.line(("items", index, "terms", t_index))
                problems.append(Problem(source.path, line, f"term '{term_id}' does not exist"))
                ok = False
    if not ok:
        return None
    for index, item in enumerate(data["items"]):
        if item.get("ko"):
            path = ("items", index, "ko")
            _check_stamp(source, path, item["ko"].get("translated_from"), item["body"], warnings)
    return Digest(
        id=data["id"],
        title=data["title"],
        description=data.get("description", ""),
        source=Link(data["source"]["title"], data["source"]["url"]),
        items=tuple(
            DigestItem(
                id=i["id"],
                title=i["title"],
                body=i["body"].strip(),
                source=Link(i["source"]["title"], i["source"]["url"]),
                terms=tuple(i["terms"]),
                translations=(
                    {
                        "ko": DigestText(
                            i["ko"]["title"],
                            i["ko"]["body"].strip(),
                            i["ko"].get("translated_from"),
                        )
                    }
                    if i.get("ko")
                    else {}
                ),
            )
            for i in data["items"]
        ),
    )
