"""Recording which English a translation was made from (`lingo translations stamp`).

A translation carries ``translated_from``: the stamp of the English text it renders. When the
English changes, the stamp no longer matches and ``lingo validate`` warns that the
translation may be stale. Stamping is done by a person who has checked the translation, so
this module only writes the stamp; it never decides that a translation is right.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bot.glossary.model import stamp
from bot.glossary.source import read_source

_FIELD = "translated_from"


def stamp_translations(directory: str | os.PathLike[str]) -> list[Path]:
    """Write the current English stamp into every translation under ``directory``.

    Returns the files that changed. Files that do not parse are left alone (``lingo
    validate`` reports them).
    """
    root = Path(directory)
    changed = []
    files = sorted((root / "terms").glob("*.yaml")) + sorted((root / "digests").glob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = stamp_text(str(path), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def stamp_text(shown: str, text: str) -> str:
    """``text`` of one term or digest file with every translation stamped."""
    source, _ = read_source(shown, text)
    if source is None or not isinstance(source.data, dict):
        return text
    data: dict[str, Any] = source.data
    targets: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(data.get("ko"), dict) and isinstance(data.get("definition"), str):
        targets.append((("ko",), stamp(data["definition"])))
    items = data.get("items")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if (
            isinstance(item, dict)
            and isinstance(item.get("ko"), dict)
            and isinstance(item.get("body"), str)
        ):
            targets.append((("items", index, "ko"), stamp(item["body"])))
    lines = text.splitlines(keepends=True)
    # Work from the bottom up so earlier line numbers stay valid while inserting.
    edits: list[tuple[int, str, bool]] = []
    for path, value in targets:
        block = _dig(data, path)
        if block.get(_FIELD) == value:
            continue
        if _FIELD in block:
            line = source.line((*path, _FIELD), key=True)
            edits.append((line - 1, _replace_value(lines[line - 1], value), True))
        else:
            first_child = next(iter(block))
            child_line = source.line((*path, first_child), key=True)
            indent = lines[child_line - 1][
                : len(lines[child_line - 1]) - len(lines[child_line - 1].lstrip())
            ]
            indent = indent.replace("- ", "  ")
            key_line = source.line(path, key=True)
            edits.append((key_line, f'{indent}{_FIELD}: "{value}"\n', False))
    for index, new_line, replace in sorted(edits, key=lambda e: e[0], reverse=True):
        if replace:
            lines[index] = new_line
        else:
            lines.insert(index, new_line)
    return "".join(lines)


def _dig(data: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
    for part in path:
        data = data[part]
    result: dict[str, Any] = data
    return result


def _replace_value(line: str, value: str) -> str:
    head, _, _ = line.partition(":")
    return f'{head}: "{value}"\n'
