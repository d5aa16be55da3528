"""Resolver quality on the held-out query sets: top-1 accuracy and confident-wrong rate.

Run: .venv/bin/python -m bench.quality [QUERIES.yaml ...]

Definitions (per query):
- in-glossary query: correct at top-1 when the first term offered is the expected one —
  the answer (exact/fuzzy), or the first "did you mean" choice (ambiguous). A miss is
  never correct, even when its first suggestion is right.
- out-of-glossary query (expect: null): correct when the bot does not answer confidently.
- confident-wrong: an exact/fuzzy answer that is not the expected term (or any confident
  answer to an out-of-glossary query).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.glossary import load_glossary
from bot.lookup.resolver import Resolution, Resolver

ROOT = Path(__file__).resolve().parent.parent
# queries.yaml: the rules were developed against it. queries-holdout.yaml: written
# independently, later used to check three general rules. queries-final.yaml: written
# independently and measured once, untuned (see docs/benchmarks.md).
QUERY_SETS = tuple(
    ROOT / "tests" / "data" / name
    for name in ("queries.yaml", "queries-holdout.yaml", "queries-final.yaml")
)


@dataclass
class Quality:
    """Counts over one query set."""

    queries: int = 0
    in_glossary: int = 0
    top1: int = 0
    confident_right: int = 0
    confident_wrong: int = 0
    failures: list[tuple[str, str | None, str, str]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.queries if self.queries else 0.0

    @property
    def confident_wrong_rate(self) -> float:
        return self.confident_wrong / self.queries if self.queries else 0.0


def first_offered(resolution: Resolution) -> str | None:
    if resolution.term is not None:
        return resolution.term.id
    if resolution.status == "ambiguous" and resolution.suggestions:
        return resolution.suggestions[0].id
    return None


def evaluate(resolver: Resolver, queries: list[dict[str, Any]]) -> Quality:
    quality = Quality()
    for entry in queries:
        query, expected = str(entry["query"]), entry["expect"]
        resolution = resolver.resolve(query)
        quality.queries += 1
        confident_id = resolution.term.id if resolution.confident and resolution.term else None
        if expected is None:
            good = confident_id is None
        else:
            quality.in_glossary += 1
            good = first_offered(resolution) == expected
            quality.confident_right += confident_id == expected
        quality.confident_wrong += confident_id is not None and confident_id != expected
        quality.top1 += good
        if not good:
            shown = confident_id or ",".join(s.id for s in resolution.suggestions) or "-"
            quality.failures.append((query, expected, resolution.status, shown))
    return quality


def load_queries(path: Path) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def main(argv: list[str]) -> int:
    resolver = Resolver(load_glossary(ROOT / "glossary"))
    paths = [Path(a) for a in argv] or [p for p in QUERY_SETS if p.exists()]
    print("| query set | queries | not in glossary | top-1 | confident-wrong |")
    print("|---|---:|---:|---:|---:|")
    reports = []
    for path in paths:
        quality = evaluate(resolver, load_queries(path))
        reports.append((path, quality))
        print(
            f"| {path.name} | {quality.queries} | {quality.queries - quality.in_glossary} | "
            f"{quality.top1_rate:.1%} | {quality.confident_wrong_rate:.1%} |"
        )
    for path, quality in reports:
        if quality.failures:
            print(f"\nNot right in {path.name}:")
            for query, expected, status, shown in quality.failures:
                print(f"- {query!r}: expected {expected}, got {status} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
