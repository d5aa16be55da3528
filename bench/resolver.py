"""Resolver benchmark: YAML load, index build, resolve latency and memory at 30, 1,000 and
10,000 synthetic terms (3 aliases each), against difflib.get_close_matches in the same run.

Run: .venv/bin/python -m bench.resolver            (all sizes, each in a fresh process)
     .venv/bin/python -m bench.resolver --size 1000 (one size, JSON on stdout)

The machine is shared and noisy: every number is a median or a percentile over many runs,
and the baseline is measured in the same process, so read the ratio.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import cpu_model
from bot.glossary import load_glossary
from bot.lookup.normalize import key
from bot.lookup.resolver import Resolver

SIZES = (30, 1_000, 10_000)
SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"] + ["tra", "ster", "quin", "plo"]
COMMANDS = {
    "help",
    "list",
    "search",
    "random",
    "today",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "suggest",
    "stats",
    "reload",
    "share",
    "lookup",
}


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def phrase(rng: random.Random) -> str:
    return " ".join(word(rng) for _ in range(rng.randint(1, 3)))


def write_glossary(root: Path, size: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """A valid glossary of ``size`` terms with 3 aliases each; returns (id, labels)."""
    (root / "terms").mkdir(parents=True)
    (root / "categories.yaml").write_text("- id: basics\n  name: Basics\n")
    seen: set[str] = set()
    terms = []
    while len(terms) < size:
        labels = []
        while len(labels) < 4:
            candidate = phrase(rng)
            folded = key(candidate)
            if folded in seen or folded in COMMANDS or len(folded) < 5 or "todo" in candidate:
                continue
            seen.add(folded)
            labels.append(candidate.title() if not labels else candidate)
        term_id = "-".join(key(w) for w in labels[0].split())
        if (root / "terms" / f"{term_id}.yaml").exists():
            continue
        aliases = "".join(f"  - {a}\n" for a in labels[1:])
        (root / "terms" / f"{term_id}.yaml").write_text(
            f"id: {term_id}\nname: {labels[0]}\naliases:\n{aliases}category: basics\n"
            f"definition: A synthetic term used to measure how fast lookups are.\n"
        )
        terms.append((term_id, labels))
    return terms


def typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    i = rng.randrange(1, len(chars) - 1)
    kind = rng.choice(("swap", "drop", "change"))
    if kind == "swap":
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind == "drop":
        del chars[i]
    else:
        chars[i] = rng.choice("aeiourstln")
    return "".join(chars)


def query_stream(terms: list[tuple[str, list[str]]], rng: random.Random, count: int) -> list[str]:
    """A realistic mix: exact names and aliases in other casings, typos, partials, misses."""
    queries = []
    for _ in range(count):
        _, labels = rng.choice(terms)
        label = rng.choice(labels)
        roll = rng.random()
        if roll < 0.40:
            queries.append(
                rng.choice((label, label.upper(), label.replace(" ", "-"), f"  {label} "))
            )
        elif roll < 0.70 and len(label) >= 6:
            queries.append(typo(label, rng))
        elif roll < 0.80 and " " in label:
            queries.append(rng.choice(label.split()))
        elif roll < 0.90:
            queries.append(f"what is {label.lower()}?")
        else:
            queries.append(phrase(rng))
    return queries


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(size: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "glossary"
        terms = write_glossary(root, size, rng)
        gc.collect()
        before = rss_kib()
        resolver = Resolver(load_glossary(root))
        memory = rss_kib() - before
        loads, builds = [], []
        for _ in range(3 if size >= 10_000 else 7):
            started = time.perf_counter()
            glossary = load_glossary(root)
            loaded = time.perf_counter()
            resolver = Resolver(glossary)
            built = time.perf_counter()
            loads.append(loaded - started)
            builds.append(built - loaded)

    queries = query_stream(terms, rng, 20_000)
    for q in queries[:500]:  # warm caches as a running bot would have them
        resolver.resolve(q)
    latencies = []
    for q in queries:
        started = time.perf_counter_ns()
        resolver.resolve(q)
        latencies.append((time.perf_counter_ns() - started) / 1000)

    keys = [key(label) for _, labels in terms for label in labels]
    baseline_queries = queries[: 300 if size <= 1_000 else 100]
    base = []
    for q in baseline_queries:
        started = time.perf_counter_ns()
        difflib.get_close_matches(key(q), keys, n=3, cutoff=0.75)
        base.append((time.perf_counter_ns() - started) / 1000)
    ours_same = []
    for q in baseline_queries:
        started = time.perf_counter_ns()
        resolver.resolve(q)
        ours_same.append((time.perf_counter_ns() - started) / 1000)

    return {
        "terms": size,
        "labels": len(keys),
        "load_s": statistics.median(loads),
        "load_build_s": statistics.median(a + b for a, b in zip(loads, builds, strict=True)),
        "build_s": statistics.median(builds),
        "memory_mib": memory / 1024,
        "p50_us": percentile(latencies, 0.50),
        "p99_us": percentile(latencies, 0.99),
        "difflib_p50_us": percentile(base, 0.50),
        "difflib_p99_us": percentile(base, 0.99),
        "ours_p50_same_queries_us": percentile(ours_same, 0.50),
        "speedup_p50": percentile(base, 0.50) / percentile(ours_same, 0.50),
    }


def korean_cost(rounds: int = 7) -> dict[str, Any]:
    """What Korean labels cost on the shipped glossary, in the same process: index build
    with and without the Korean translations (the baseline), and resolve latency of the
    English and Korean query sets."""
    from dataclasses import replace

    from bench.quality import KOREAN_SETS, QUERY_SETS, load_queries
    from bot.glossary.model import Glossary

    glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
    english_only = Glossary(
        terms={i: replace(t, translations={}) for i, t in glossary.terms.items()},
        categories=glossary.categories,
        digests=glossary.digests,
    )

    def build(g: Glossary) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            Resolver(g)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    def latencies(resolver: Resolver, queries: list[str]) -> list[float]:
        found = []
        for _ in range(3):
            for query in queries:
                started = time.perf_counter()
                resolver.resolve(query)
                found.append((time.perf_counter() - started) * 1e6)
        return found

    resolver = Resolver(glossary)
    english = [str(q["query"]) for p in QUERY_SETS if p.exists() for q in load_queries(p)]
    korean = [str(q["query"]) for p in KOREAN_SETS if p.exists() for q in load_queries(p)]
    english_us, korean_us = latencies(resolver, english), latencies(resolver, korean)
    with_ko, without_ko = build(glossary), build(english_only)
    return {
        "build_ms": with_ko * 1000,
        "build_english_only_ms": without_ko * 1000,
        "build_ratio": with_ko / without_ko,
        "english_p50_us": percentile(english_us, 0.50),
        "english_p99_us": percentile(english_us, 0.99),
        "korean_p50_us": percentile(korean_us, 0.50),
        "korean_p99_us": percentile(korean_us, 0.99),
        "english_queries": len(english),
        "korean_queries": len(korean),
    }


def korean_table(k: dict[str, Any]) -> str:
    """The Korean cost as a Markdown table."""
    return "\n".join(
        [
            "Korean labels, on the shipped glossary (same process; medians of index builds):",
            "",
            "| index build with Korean | English only | ratio | English queries p50 / p99 "
            "| Korean queries p50 / p99 |",
            "|---:|---:|---:|---:|---:|",
            f"| {k['build_ms']:.1f} ms | {k['build_english_only_ms']:.1f} ms | "
            f"{k['build_ratio']:.2f}× | {k['english_p50_us']:.0f} / {k['english_p99_us']:.0f} µs "
            f"({k['english_queries']}) | {k['korean_p50_us']:.0f} / {k['korean_p99_us']:.0f} µs "
            f"({k['korean_queries']}) |",
        ]
    )


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, "
        f"{platform.system()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, help="measure one size and print JSON")
    parser.add_argument("--korean", action="store_true", help="only the Korean labels' cost")
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure(args.size)))
        return 0
    if args.korean:
        print(korean_table(korean_cost()))
        return 0
    rows = []
    for size in SIZES:
        out = subprocess.run(
            [sys.executable, "-m", "bench.resolver", "--size", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout))
    lines = [
        f"Machine: {machine()}",
        "",
        "| terms | labels | YAML load + validate | index build | load + build | memory | resolve p50 "
        "| resolve p99 | difflib p50 | difflib p99 | speed-up (p50) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['terms']:,} | {r['labels']:,} | {r['load_s'] * 1000:.0f} ms | "
            f"{r['build_s'] * 1000:.0f} ms | {r['load_build_s'] * 1000:.0f} ms | "
            f"{r['memory_mib']:.1f} MiB | {r['p50_us']:.0f} µs | "
            f"{r['p99_us']:.0f} µs | {r['difflib_p50_us']:,.0f} µs | {r['difflib_p99_us']:,.0f} µs | "
            f"{r['speedup_p50']:,.0f}× |"
        )
    report = "\n".join(lines) + "\n\n" + korean_table(korean_cost())
    print(report)
    out_dir = Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "resolver.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
