"""Reading one YAML file into plain values while remembering the line of every key and value.

PyYAML keeps the last of two equal keys without a word; this reader reports them. Lines
are 1-based, as editors and GitHub annotations count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.errors import Problem

Path = tuple[str | int, ...]


@dataclass
class SourceFile:
    """The parsed content of one file and where each part of it stands."""

    path: str
    data: Any
    value_lines: dict[Path, int] = field(default_factory=dict)
    key_lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path, *, key: bool = False) -> int:
        """The line of the value at ``path`` (or of its key), else of its nearest parent."""
        lines = self.key_lines if key else self.value_lines
        probe = tuple(path)
        while probe:
            if probe in lines:
                return lines[probe]
            if probe in self.value_lines:
                return self.value_lines[probe]
            probe = probe[:-1]
        return self.value_lines.get((), 1)


def read_source(path: str, text: str) -> tuple[SourceFile | None, list[Problem]]:
    """Parse ``text``; return the file (None if unusable) and the problems found."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and "end of stream" in (error.problem or ""):
            mark = error.context_mark  # where the unclosed string or bracket began
        line = mark.line + 1 if mark else 1
        reason = error.problem or "is not valid YAML"
        context = f" {error.context}" if error.context else ""
        return None, [Problem(path, line, f"YAML syntax error: {reason}{context}")]
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks all parse errors
        return None, [Problem(path, 1, f"YAML syntax error: {error}")]
    if node is None:
        return None, [Problem(path, 1, "the file is empty")]
    source = SourceFile(path, None)
    problems: list[Problem] = []
    _walk(node, (), source, problems)
    try:
        source.data = yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        return None, [Problem(path, mark.line + 1 if mark else 1, f"YAML error: {error.problem}")]
    return source, problems


def _walk(node: yaml.Node, path: Path, source: SourceFile, problems: list[Problem]) -> None:
    source.value_lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(source.path, line, f"duplicate key '{key}' (first on line {seen[key]})")
                )
                continue
            seen[key] = line
            source.key_lines[(*path, key)] = line
            _walk(value_node, (*path, key), source, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), source, problems)
