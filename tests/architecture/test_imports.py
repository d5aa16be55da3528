"""The floor plan holds: no import cycles inside bot/, and the core knows nothing of Slack."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"

# The Slack-free core: what the CLI, the console, the Slack app and the daily post all call.
CORE = ("bot.glossary", "bot.lookup", "bot.render.text", "bot.render.markdown", "bot.admin")
SLACK = ("slack_bolt", "slack_sdk", "bot.slack", "bot.render.blocks")


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> Iterator[str]:
    """Modules imported when ``path`` is imported: module level, outside ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        yield from _imports_in(node, module_name(path))


def _imports_in(node: ast.stmt, here: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module:
        base = node.module
        if node.level:
            package = here.rsplit(".", node.level)[0]
            base = f"{package}.{node.module}"
        yield base
        for alias in node.names:  # `from bot.daily import post` imports bot.daily.post
            yield f"{base}.{alias.name}"
    elif isinstance(node, ast.If) and not _is_type_checking(node.test):
        for child in node.body + node.orelse:
            yield from _imports_in(child, here)
    elif isinstance(node, ast.Try):
        for child in node.body + node.orelse + node.finalbody:
            yield from _imports_in(child, here)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in BOT.rglob("*.py")}
    return {
        name: {m for m in runtime_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_the_graph_is_read_from_the_real_package() -> None:
    graph = import_graph()
    assert "bot.runtime" in graph
    assert "bot.slack.app" in graph["bot.runtime"] or any(
        m.startswith("bot.slack") for m in graph["bot.runtime"]
    )


def test_no_module_inside_bot_is_part_of_an_import_cycle() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


@pytest.mark.parametrize("core", CORE)
def test_the_core_imports_nothing_from_slack(core: str) -> None:
    offenders = []
    for path in BOT.rglob("*.py"):
        name = module_name(path)
        if name != core and not name.startswith(core + "."):
            continue
        for imported in runtime_imports(path):
            if imported.startswith(SLACK):
                offenders.append(f"{name} imports {imported}")
    assert not offenders, "\n".join(offenders)
