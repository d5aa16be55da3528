"""Glossary bombs: time and peak memory of `validate_glossary` on hostile files, before and
after the loader's limits (issue 12, item 2), beside the shipped glossary as a baseline.

Run: .venv/bin/python -m bench.glossary_limits [--before COMMIT] [--runs N]

"Before" is the validator of COMMIT (default 20267f0, the last one without the limits),
exported from git into a temporary folder; "after" is this checkout's. Each measurement runs
in a fresh process with its address space capped (--cap-mb, default 2048), so the old
validator fails with MemoryError instead of taking the machine; a run that does not end
within --timeout seconds is reported as such. Medians over --runs; peak memory is the
child's own maximum resident set size (interpreter and imports included, about 60 MB).

Cases:
- shipped:    the shipped glossary/ (a baseline: the limits must cost nothing here)
- alias-bomb: the review's 600-byte term file, 9 levels × 9 alias references
- aliases-100k: a 400 KB term file of 100,000 references to one integer anchor (the
  review used 1 MB; over the size limit it would be refused before the scan)
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini-glossary"


def alias_bomb(levels: int = 9, fanout: int = 9) -> str:
    lines = ["id: bomb", "name: Bomb", "category: basics"]
    lines.append(f"a0: &a0 [{', '.join(['lol'] * fanout)}]")
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fanout)}]")
    lines.append(f"definition: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def many_aliases(count: int = 100_000) -> str:
    return (
        "id: bomb\nname: Bomb\ncategory: basics\nx: &n 1\nexamples: ["
        + ", ".join(["*n"] * count)
        + "]\n"
    )


def build_cases(scratch: Path) -> dict[str, Path]:
    cases = {"shipped": ROOT / "glossary"}
    for name, text in (("alias-bomb", alias_bomb()), ("aliases-100k", many_aliases())):
        folder = scratch / name
        shutil.copytree(MINI, folder)
        (folder / "terms" / "bomb.yaml").write_text(text, encoding="utf-8")
        cases[name] = folder
    return cases


def export_code(commit: str, target: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "--", "bot"],
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def child(folder: str) -> None:
    """In the measured process: validate ``folder`` once; print seconds, outcome and peak."""
    import bot
    from bot.glossary import validate_glossary

    print(f"code: {Path(bot.__file__).parent}", file=sys.stderr)

    started = time.perf_counter()
    try:
        report = validate_glossary(folder)
        outcome = f"{len(report.problems)} problem(s)"
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "outcome": outcome, "peak_mb": peak_mb}))


def measure(code: Path, folder: Path, cap_mb: int, timeout: float) -> dict[str, Any]:
    cap = cap_mb * 1024 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", f"import bench.glossary_limits as b; b.child({str(folder)!r})"],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=code,
            env={"PYTHONPATH": f"{code}:{ROOT}", "PATH": "/usr/bin:/bin"},
            preexec_fn=limit,  # the cap must apply before the child starts
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "outcome": f"did not end in {timeout:.0f} s", "peak_mb": None}
    wall = time.perf_counter() - started
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        result = {"seconds": wall, "outcome": f"crashed: {last[:80]}", "peak_mb": None}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.glossary_limits")
    parser.add_argument("--before", default="20267f0", help="the commit measured as 'before'")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    print(f"Machine: {cpu_model()}, Python {platform.python_version()}")
    print(f"Before: {args.before}; after: this checkout. Medians of {args.runs} runs.\n")
    print("| case | file | version | time | peak RSS | outcome |")
    print("|---|---:|---|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="lingo-bench-") as scratch:
        base = Path(scratch)
        cases = build_cases(base / "cases")
        old = export_code(args.before, base / "before")
        shutil.copytree(ROOT / "bench", old / "bench")
        versions = {"before": old, "after": ROOT}
        for name, folder in cases.items():
            bomb = folder / "terms" / "bomb.yaml"
            size = f"{bomb.stat().st_size:,} B" if bomb.exists() else "139 files"
            for version, code in versions.items():
                runs = [measure(code, folder, args.cap_mb, args.timeout) for _ in range(args.runs)]
                seconds = statistics.median(r["seconds"] for r in runs)
                peaks = [r["peak_mb"] for r in runs if r["peak_mb"] is not None]
                peak = f"{statistics.median(peaks):,.0f} MB" if peaks else "unknown"
                print(
                    f"| {name} | {size} | {version} | {seconds:.3f} s | {peak} | "
                    f"{runs[0]['outcome']} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
