"""Which ranking for descriptions: our BM25F (bot/lookup/ranking.py) against the bm25s library.

Run in an environment that also has bm25s (it is not a dependency of LLM Lingo):

    python -m venv /tmp/bm25 && /tmp/bm25/bin/pip install bm25s pyyaml rapidfuzz \\
        jsonschema fastjsonschema
    PYTHONPATH=. /tmp/bm25/bin/python -m bench.ranking

Both rank the same documents built from the same tokens (bot.lookup.normalize.tokens):
bm25s has no field weights, so each field's tokens are repeated by the field's weight (the
usual way to weight fields with a one-field BM25); ours weights fields natively and also
indexes adjacent pairs. Quality is the ranking alone (the first-ranked term, and the right
term among the first three) on our own development set and the name-and-typo set of
tests/data/queries/ — never on the held-out descriptions. Start-up is import plus index
build, each in a fresh process (median of RUNS); memory is the process's RSS growth from
before the import to after the build; install size is what pip puts on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "tests" / "data" / "glossary-2026-12"
QUALITY_SETS = ("dev-descriptions.yaml", "names.yaml")
RUNS = 3


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _glossary_dir(size: int, folder: str) -> Path:
    if size == 0:
        return GLOSSARY
    from bench.resolver import write_glossary

    root = Path(folder) / "glossary"
    write_glossary(root, size, random.Random(7))
    return root


def measure(impl: str, size: int) -> dict[str, Any]:
    """One fresh process: import, build, and (for the real glossary) quality and latency."""
    with tempfile.TemporaryDirectory() as folder:
        from bot.glossary import load_glossary

        glossary = load_glossary(_glossary_dir(size, folder))
        from bot.lookup.normalize import tokens

        terms = list(glossary.terms.values())
        if impl != "ours":  # the fields and weights bm25s is given come from our module
            from bot.lookup.ranking import FIELD_WEIGHTS, term_fields
        before = _rss_kib()
        started = time.perf_counter()
        if impl == "ours":
            from bot.lookup.ranking import TermIndex

            imported = time.perf_counter()
            index = TermIndex(terms)

            def rank(words: list[str]) -> list[str]:
                return [r.term_id for r in index.rank([(w,) for w in words], 3)]

        else:
            import bm25s

            imported = time.perf_counter()
            corpus = []
            for term in terms:
                doc: list[str] = []
                for field, text in term_fields(term):
                    doc += list(tokens(text)) * round(FIELD_WEIGHTS[field])
                corpus.append(doc)
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index(corpus, show_progress=False)
            ids = [t.id for t in terms]

            def rank(words: list[str]) -> list[str]:
                scores = retriever.get_scores(words)
                best = sorted(range(len(ids)), key=lambda i: -scores[i])[:3]
                return [ids[i] for i in best if scores[i] > 0]

        built = time.perf_counter()
        memory = _rss_kib() - before
        result: dict[str, Any] = {
            "impl": impl,
            "terms": len(terms),
            "import_ms": (imported - started) * 1000,
            "build_ms": (built - imported) * 1000,
            "memory_mib": memory / 1024,
        }
        queries = [f"how does {t.name.lower()} work" for t in terms[:300]]
        if size == 0:
            import yaml

            first = top3 = total = 0
            for name in QUALITY_SETS:
                path = ROOT / "tests" / "data" / "queries" / name
                for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
                    if entry["expect"] is None:
                        continue
                    found = rank(list(tokens(str(entry["query"]))))
                    total += 1
                    first += bool(found) and found[0] == entry["expect"]
                    top3 += entry["expect"] in found
                    queries.append(str(entry["query"]))
                result[f"{name}_first"] = first / total
                result[f"{name}_top3"] = top3 / total
                first = top3 = total = 0
        latencies = []
        for query in queries * 3:
            words = list(tokens(query))
            started_ns = time.perf_counter_ns()
            rank(words)
            latencies.append((time.perf_counter_ns() - started_ns) / 1000)
        latencies.sort()
        result["p50_us"] = latencies[len(latencies) // 2]
        result["p99_us"] = latencies[int(len(latencies) * 0.99)]
    return result


def install_size_mib(packages: list[str]) -> float:
    """Bytes pip installed for these top-level packages (with their bundled libraries)."""
    import importlib.util

    total = 0
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        for place in (folder, folder.with_name(folder.name + ".libs")):
            total += sum(f.stat().st_size for f in place.rglob("*") if f.is_file())
    return total / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--measure", nargs=2, metavar=("IMPL", "SIZE"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], int(args.measure[1]))))
        return 0
    try:
        import bm25s  # noqa: F401
    except ImportError:
        print("bm25s is not installed here; see the module docstring for how to run this.")
        return 1
    rows: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for _ in range(RUNS):
        for impl in ("ours", "bm25s"):
            for size in (0, 10_000):
                out = subprocess.run(
                    [sys.executable, "-m", "bench.ranking", "--measure", impl, str(size)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rows.setdefault((impl, size), []).append(json.loads(out.stdout))
    print(f"Machine: {os.cpu_count()} cores, {cpu_model()}, Python {sys.version.split()[0]}\n")
    print(
        "| ranking | terms | import | index build | memory | rank p50 | rank p99 "
        "| dev: first | dev: top 3 | names: first | names: top 3 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (impl, size), runs in rows.items():

        def med(key: str, runs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        quality = "| – | – | – | – |"
        if size == 0:
            quality = (
                f"| {med('dev-descriptions.yaml_first'):.1%} | {med('dev-descriptions.yaml_top3'):.1%} "
                f"| {med('names.yaml_first'):.1%} | {med('names.yaml_top3'):.1%} |"
            )
        print(
            f"| {impl} | {runs[0]['terms']:,} | {med('import_ms'):.0f} ms | {med('build_ms'):.0f} ms "
            f"| {med('memory_mib'):.1f} MiB | {med('p50_us'):.0f} µs | {med('p99_us'):.0f} µs "
            + quality
        )
    print(
        f"\nInstall size: bm25s with numpy {install_size_mib(['bm25s', 'numpy']):.1f} MiB; "
        "ours 0 MiB (pure Python, part of bot/lookup)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
