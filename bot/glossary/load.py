"""Loading and validating the glossary folder: every problem at once, each with file and line."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
from rapidfuzz import process

from bot.errors import GlossaryError, GlossaryInvalid, Problem
from bot.glossary.history import change_times
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
from bot.lookup.commands import parse_command
from bot.lookup.hangul import fold
from bot.lookup.korean import korean_labels

# Marks text an admin still has to write; `lingo new-term` fills new files with it.
PLACEHOLDER = "FILL ME IN"
_PLACEHOLDER_PATTERN = re.compile(
    r"\b(fill[\s_-]*me[\s_-]*in|todo|tbd|fixme|lorem ipsum|xxx)\b|^\W*$|^\s*(\.\.\.|…)\s*$",
    re.IGNORECASE,
)


MAX_TERM_FILES = 20_000
"""A glossary's limit on term files (the shipped one has about 140; bench/resolver.py
measures 10,000)."""
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def shadowed_by_command(label: str) -> bool:
    """True if ``/lingo <label>`` runs a command instead of looking the term up.

    The one rule for names and aliases, in the validator and in the suggestion form: it asks
    the command parser itself, so "stats" is refused and "Reloads" (a lookup) is allowed.
    """
    return parse_command(label, lambda _text: True).name != "lookup"


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
    real_root = root.resolve()

    def read(path: Path) -> SourceFile | None:
        shown = f"{shown_root}/{path.relative_to(root)}"
        if not _at_home(path, real_root):
            # Never read it: its lines would come back in messages (an /etc/shadow link).
            message = (
                "is a symbolic link to a file outside the glossary folder; glossary files "
                "must be inside it (replace the link with the file)"
            )
            problems.append(Problem(shown, 1, message))
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    shown,
                    1,
                    f"cannot read the file: not UTF-8 text ({error.reason} at byte {error.start})",
                )
            )
            return None
        except OSError as error:
            problems.append(Problem(shown, 1, f"cannot read the file: {error.strerror or error}"))
            return None
        digest_hash.update(shown.encode() + b"\0" + text.encode("utf-8", "surrogatepass") + b"\0")
        source, found = read_source(shown, text)
        problems.extend(found)
        return source

    categories = _load_categories(root / "categories.yaml", read, problems)
    category_ids = {c.id for c in categories}

    entries = sorted(
        (p for p in terms_dir.iterdir() if not p.name.startswith(".")), key=lambda p: p.name
    )
    if len(entries) > MAX_TERM_FILES:
        message = f"{len(entries):,} files in terms/; a glossary may have at most {MAX_TERM_FILES:,} terms"
        return Report(None, [Problem(f"{shown_root}/terms", 1, message)])
    terms: list[Term] = []
    known: list[Term] = []  # every term file's names and related ids, valid or not
    sources: dict[str, SourceFile] = {}
    for path in entries:
        if path.suffix in {".yml", ".json"} or (path.is_file() and path.suffix != ".yaml"):
            shown = f"{shown_root}/{path.relative_to(root)}"
            problems.append(Problem(shown, 1, "term files must be named <id>.yaml"))
            continue
        if not path.is_file():
            continue
        source = read(path)
        if source is None:
            continue
        term, seen = _load_term(source, path.stem, category_ids, problems, warnings)
        if term is not None:
            terms.append(term)
        if seen is not None and seen.id not in sources:
            known.append(seen)
            sources[seen.id] = source
    if not terms and not problems:
        problems.append(Problem(f"{shown_root}/terms", 1, "the glossary has no terms"))

    term_files = {p.stem for p in entries if p.suffix == ".yaml"}
    _check_across_terms(
        known, sources, term_files, lambda paths: change_times(root, paths), problems
    )

    digests: list[Digest] = []
    digests_dir = root / "digests"
    if digests_dir.is_dir():
        for path in sorted(digests_dir.glob("*.yaml")):
            source = read(path)
            if source is not None:
                digest = _load_digest(source, path.stem, term_files, problems, warnings)
                if digest is not None:
                    digests.append(digest)

    glossary = Glossary(
        terms={t.id: t for t in sorted(terms, key=lambda t: t.name.casefold())},
        categories=tuple(categories),
        digests={d.id: d for d in digests},
        fingerprint=digest_hash.hexdigest()[:16],
    )
    return Report(glossary, sorted(set(problems)), sorted(warnings))


def glossary_of_file(path: Path) -> Path:
    """The glossary folder that a term, digest or categories file belongs to."""
    if not path.is_file():
        raise GlossaryError(f"no such file: {path}")
    parent = path.parent
    if path.suffix == ".yaml" and parent.name in ("terms", "digests"):
        return parent.parent
    if path.name == "categories.yaml":
        return parent
    raise GlossaryError(
        f"{path} is not a glossary file (terms/<id>.yaml, digests/<id>.yaml or categories.yaml)"
    )


def _at_home(path: Path, real_root: Path) -> bool:
    """True if the file really is in the glossary: inside the folder, or inside where its
    terms/ or digests/ folder really is. A deployment may link those folders (Kubernetes
    mounts one ConfigMap per folder), and categories.yaml to a YAML file; a file in them
    may not point anywhere else (a term file linked to /etc/shadow is never read)."""
    real = path.resolve()
    if real.is_relative_to(real_root):
        return True
    if path.parent.name in ("terms", "digests"):
        return real.is_relative_to(path.parent.resolve())
    return path.is_symlink() and real.suffix == ".yaml"


def validate_term_text(text: str, glossary: Glossary, path: str) -> list[Problem]:
    """Every problem of one term file's ``text``, checked in memory against ``glossary``.

    ``path`` names the file it would be (``terms/<id>.yaml``: the id must match it). The
    term is checked as if it were added to (or replaced its namesake in) the glossary:
    categories, related ids, collisions and command words, as ``validate_glossary`` does.
    """
    problems: list[Problem] = []
    source, found = read_source(path, text)
    problems.extend(found)
    if source is None:
        return sorted(set(problems))
    stem = Path(path).stem
    category_ids = {c.id for c in glossary.categories}
    _, seen = _load_term(source, stem, category_ids, problems, [])
    if seen is not None:
        others = [t for t in glossary.terms.values() if t.id != stem]
        _check_across_terms(
            [*others, seen],
            {stem: source},
            {*glossary.terms, stem},
            lambda paths: {p: math.inf if p == path else 0.0 for p in paths},  # the new text did
            problems,
        )
    return sorted({p for p in problems if p.path == path})


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
    found: dict[Problem, None] = {}  # one "missing field" per field, whatever the schema says
    for error in sorted(validator.iter_errors(source.data), key=lambda e: list(map(str, e.path))):
        clean = False
        path = tuple(error.absolute_path)
        if path not in skip:
            found.update(dict.fromkeys(_explain(source, error, path)))
    problems.extend(found)
    return clean


def _explain(
    source: SourceFile, error: jsonschema.ValidationError, path: tuple[Any, ...]
) -> Iterable[Problem]:
    where = _clip(".".join(str(p) for p in path)) or "the file"
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
                source.path,
                source.line((*path, name), key=True),
                f"unknown field '{_clip(str(name))}'{tip}",
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
        yield Problem(
            source.path, line, f"'{where}' is '{_clip(value)}'; it must be one of: {choices}"
        )
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
    else:  # never error.message: it quotes the whole value, however long
        yield Problem(source.path, line, f"'{where}' does not fit the schema ({error.validator})")


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
            message = f"category '{_clip(entry['id'])}' is listed twice"
            problems.append(Problem(source.path, line, message))
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
    message = f"id '{_clip(source.data['id'])}' does not match the file name (expected '{stem}')"
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
    for key_name in ("aliases", "examples", "asked_as"):
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
) -> tuple[Term | None, Term | None]:
    """The term if the file is valid, and what is known of it for the checks across terms.

    The checks of single fields run even when the file breaks the schema elsewhere, so
    one run of the validator reports every problem of the file.
    """
    placeholders = _placeholder_problems(source)
    problems.extend(placeholders.values())
    conforms = _schema_problems(source, "term.schema.json", problems, frozenset(placeholders))
    data = source.data if isinstance(source.data, dict) else {}
    ok = conforms and not placeholders
    term_id = data.get("id")
    if isinstance(term_id, str) and _SLUG.match(term_id):
        ok = _id_matches_file(source, stem, problems) and ok
    category = data.get("category")
    if isinstance(category, str) and category_ids and category not in category_ids:
        if (("category",)) not in placeholders:
            problems.append(
                Problem(
                    source.path,
                    source.line(("category",)),
                    f"unknown category '{_clip(category)}'; use one of: {', '.join(sorted(category_ids))}",
                )
            )
        ok = False
    related = _strings(data.get("related"))
    if isinstance(term_id, str) and term_id in related:
        line = source.line(("related",))
        problems.append(Problem(source.path, line, "a term cannot be related to itself"))
        ok = False
    name = data.get("name")
    seen = Term(
        id=stem,
        name=name if isinstance(name, str) else "",
        category="",
        definition="",
        aliases=_strings(data.get("aliases")),
        related=related,
        path=source.path,
    )
    if not ok:
        return None, seen
    term = Term(
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
    return term, term


def _strings(value: object) -> tuple[str, ...]:
    """The text entries of a list field (what is usable of it when the file is broken)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return ()
    return tuple(value)


def _clip(text: str, most: int = 60) -> str:
    """A value from a file, as a message quotes it: one line, at most ``most`` characters."""
    text = str(text)
    line = text if "\n" not in text and "\r" not in text else " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


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
    terms: list[Term],
    sources: Mapping[str, SourceFile],
    term_files: set[str],
    change_times: Callable[[set[str]], Mapping[str, float]],
    problems: list[Problem],
) -> None:
    """Names and aliases unique after folding; related ids exist; no command words.

    ``sources`` has the file of every term checked here; terms without one (the served
    glossary, when one suggested term is checked against it) only lend their names.
    """
    owners: dict[str, tuple[Term, str]] = {}
    collisions: list[tuple[Term, str, Term, str]] = []
    for term in terms:
        source = sources.get(term.id)
        if source is None:
            for label in (*term.labels, *korean_labels(term)):
                if label:
                    owners.setdefault(fold(label), (term, label))
            continue
        own: dict[str, str] = {}
        for label in (*term.labels, *korean_labels(term)):
            if not label:
                continue  # a missing name: the schema check said so
            folded = fold(label)  # for English labels, the same as key(label)
            if not folded:
                line = _label_line(term, source, label)
                problems.append(
                    Problem(term.path, line, f"'{_clip(label)}' has no letters or digits")
                )
                continue
            if shadowed_by_command(label):
                problems.append(
                    Problem(
                        term.path,
                        _label_line(term, source, label),
                        f"'{_clip(label)}' is a /lingo command word; `/lingo {label.strip().casefold()}` "
                        "runs the command, so it would never be looked up",
                    )
                )
            if folded in own and label in term.aliases and own[folded] != label:
                problems.append(
                    Problem(
                        term.path,
                        _label_line(term, source, label),
                        f"alias '{_clip(label)}' is redundant: lookups already treat it as "
                        f"'{_clip(own[folded])}' (case, hyphens, plurals and British spellings fold)",
                    )
                )
            own.setdefault(folded, label)
            other = owners.get(folded)
            if other and other[0].id != term.id:
                collisions.append((other[0], other[1], term, label))
            else:
                owners.setdefault(folded, (term, label))
        for index, related in enumerate(term.related):
            if related not in term_files:
                near = process.extractOne(related, sorted(term_files), score_cutoff=80)
                tip = f" (did you mean '{near[0]}'?)" if near else ""
                line = source.line(("related", index))
                problems.append(
                    Problem(term.path, line, f"related term '{_clip(related)}' does not exist{tip}")
                )
    if collisions:
        paths = {t.path for first, _, second, _ in collisions for t in (first, second)}
        _report_collisions(collisions, sources, change_times(paths), problems)


def _report_collisions(
    collisions: list[tuple[Term, str, Term, str]],
    sources: Mapping[str, SourceFile],
    changed: Mapping[str, float],
    problems: list[Problem],
) -> None:
    """Each colliding pair once: in the file that introduced it when git can tell (the one
    changed last, or not committed yet), else in both files, marked as one problem."""
    for first, first_label, second, label in collisions:
        first_line = _label_line(first, sources.get(first.id), first_label)
        line = _label_line(second, sources.get(second.id), label)
        ends = {
            first.path: (first_line, first_label, second, label, line),
            second.path: (line, label, first, first_label, first_line),
        }
        a, b = changed.get(first.path), changed.get(second.path)
        newer = [] if a is None or b is None or a == b else [first.path if a > b else second.path]
        for path in newer or list(ends):
            at, mine, other, theirs, other_line = ends[path]
            where = f"{other.path}:{other_line}" if other.id in sources else other.path
            both = "" if newer else f"; the same collision is reported in {other.path}"
            problems.append(
                Problem(
                    path,
                    at,
                    f"'{_clip(mine)}' collides with '{_clip(theirs)}' of term '{other.id}' "
                    f"({where}); names and aliases must be unique{both}",
                )
            )


def _label_line(term: Term, source: SourceFile | None, label: str) -> int:
    """The line of one of a term's names or aliases (derived names point at the name)."""
    if source is None:
        return 1
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
        titles={"ko": data["ko"]["title"]} if data.get("ko") else {},
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
