"""Reading one YAML file into plain values, and finding the line of any part of it.

PyYAML keeps the last of two equal keys without a word; this reader reports them. Lines
are 1-based, as editors and GitHub annotations count them. Line numbers are worked out
only when a problem needs one, so a large valid glossary loads fast.

The work is bounded whatever the file holds: a file over ``MAX_FILE_BYTES`` is not parsed,
and the token stream is read before anything is built, so a file with anchors or aliases
(``&a`` / ``*a``, never needed in a glossary, and the way to a "billion laughs" file) or
with more than ``MAX_SCALARS`` values is refused before any alias is expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.errors import Problem

Path = tuple[str | int, ...]

MAX_FILE_BYTES = 256 * 1024
"""A glossary file's size limit: the largest shipped file (a digest) is about 32 KB."""
MAX_SCALARS = 10_000
"""A glossary file's limit on values (keys, texts, list entries): a term has about 100."""
TABS = "tabs are not allowed for indentation in YAML; use spaces"

# libyaml's parser when PyYAML was built with it (ten times faster), else the pure-Python one.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """A safe loader that notes keys repeated within one mapping."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[int, str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + 1
            if key in seen:
                self.repeated.append((line, key, seen[key]))
            else:
                seen[key] = line
        constructed: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return constructed


@dataclass
class SourceFile:
    """The parsed content of one file; ``line()`` says where a part of it stands."""

    path: str
    text: str
    data: Any
    _value_lines: dict[Path, int] | None = field(default=None, repr=False)
    _key_lines: dict[Path, int] = field(default_factory=dict, repr=False)

    def line(self, path: Path, *, key: bool = False) -> int:
        """The line of the value at ``path`` (or of its key), else of its nearest parent."""
        if self._value_lines is None:
            self._value_lines = {}
            node = yaml.compose(self.text, Loader=_BASE_LOADER)
            if node is not None:
                _walk(node, (), self._value_lines, self._key_lines)
        probe = tuple(path)
        while probe:
            if key and probe in self._key_lines:
                return self._key_lines[probe]
            if probe in self._value_lines:
                return self._value_lines[probe]
            probe = probe[:-1]
        return self._value_lines.get((), 1)


def read_source(path: str, text: str) -> tuple[SourceFile | None, list[Problem]]:
    """Parse ``text``; return the file (None if unusable) and the problems found."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # text from a form, not a file: a lone surrogate
        line = text.count("\n", 0, error.start) + 1
        return None, [Problem(path, line, "has a character that is not valid Unicode; retype it")]
    if size > MAX_FILE_BYTES:
        message = (
            f"the file is {size:,} bytes; a glossary file may be at most "
            f"{MAX_FILE_BYTES // 1024} KB (split it, or shorten it)"
        )
        return None, [Problem(path, 1, message)]
    tabs = [
        Problem(path, number, TABS)
        for number, line in enumerate(text.splitlines(), 1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    refused = _refused_tokens(path, text) if _worth_scanning(text) else []
    if refused:
        return None, [*tabs, *refused]
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and "end of stream" in (error.problem or ""):
            mark = error.context_mark  # where the unclosed string or bracket began
        line = mark.line + 1 if mark else 1
        if any(t.line == line for t in tabs) or (tabs and "\\t" in (error.problem or "")):
            return None, tabs  # the tab is the reason: say that, not PyYAML's words for it
        reason = error.problem or "is not valid YAML"
        context = f" {error.context}" if error.context else ""
        return None, [*tabs, Problem(path, line, f"YAML syntax error: {reason}{context}")]
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks all parse errors
        return None, [Problem(path, 1, f"YAML syntax error: {error}")]
    finally:
        loader.dispose()
    if data is None:
        return None, [Problem(path, 1, "the file is empty")]
    problems = [
        Problem(path, line, f"duplicate key '{key}' (first on line {first})")
        for line, key, first in loader.repeated
    ]
    return SourceFile(path, text, data), problems


# Where an anchor (&a) or an alias (*a) could begin: after an indicator or a space. Plain
# text matches too ("*bold*"), which only costs a scan; most files match neither.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:-])[&*][^\s,\[\]{}]", re.MULTILINE)


def _worth_scanning(text: str) -> bool:
    """False when the text can hold neither an anchor or alias nor more than MAX_SCALARS
    values (each line or comma starts at most two), so the token scan would find nothing."""
    most_values = 2 * (text.count("\n") + text.count(",")) + 2
    return most_values > MAX_SCALARS or _MAYBE_ANCHOR.search(text) is not None


def _refused_tokens(path: str, text: str) -> list[Problem]:
    """Anchors, aliases or too many values, found in the token stream (nothing is built).

    Scanning stops at the first syntax error; parsing then reports it with its line.
    """
    scanner = _BASE_LOADER(text)
    scalars = 0
    try:
        while scanner.check_token():
            token = scanner.get_token()  # type: ignore[no-untyped-call]
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                message = (
                    "YAML anchors and aliases (&name, *name) are not allowed in glossary "
                    "files; write the text out in full"
                )
                return [Problem(path, token.start_mark.line + 1, message)]
            if isinstance(token, yaml.ScalarToken):
                scalars += 1
                if scalars > MAX_SCALARS:
                    message = (
                        f"the file has more than {MAX_SCALARS:,} values; a glossary file "
                        "may have at most that many (split it)"
                    )
                    return [Problem(path, token.start_mark.line + 1, message)]
    except yaml.YAMLError:
        return []
    finally:
        scanner.dispose()
    return []


def _walk(node: yaml.Node, path: Path, values: dict[Path, int], keys: dict[Path, int]) -> None:
    values.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            if child not in keys:  # the first of repeated keys is the one kept in lines
                keys[child] = key_node.start_mark.line + 1
                _walk(value_node, child, values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), values, keys)
