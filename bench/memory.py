"""Memory of long texts: 300 distinct 40,000-character /lingo lookups and 300 "Explain LLM
jargon" shortcuts on 40,000-character messages, through the real Bolt pipeline in process
(signed requests, ``app.dispatch``), against a local fake Slack Web API.

    .venv/bin/python -m bench.memory [--texts 300] [--chars 40000]

Reports the resident set size (VmRSS) before and after, and its growth; the target is at
most 50 MB (issue 12: no cache keyed by whole messages). Run with ``PYTHONPATH=<checkout>``
to measure another checkout's code with the same script.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import json
import random
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

SECRET = "0123456789abcdef0123456789abcdef"
WORDS = [
    "the",
    "model",
    "uses",
    "lora",
    "and",
    "quantization",
    "with",
    "a",
    "transformer",
    "so",
    "every",
    "token",
    "embedding",
    "flows",
    "through",
    "attention",
    "while",
    "we",
    "tune",
    "prompts",
    "and",
    "retrieval",
    "for",
    "rag",
    "pipelines",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc/self/status")


def long_text(number: int, chars: int) -> str:
    rng = random.Random(number)
    parts, size = [f"msg{number}"], 0
    while size < chars:
        word = rng.choice(WORDS) if rng.random() < 0.7 else f"w{rng.randrange(10**6)}"
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:chars]


def signed(body: str, content_type: str) -> dict[str, list[str]]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "content-type": [content_type],
        "x-slack-request-timestamp": [stamp],
        "x-slack-signature": ["v0=" + digest.hexdigest()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--chars", type=int, default=40_000)
    args = parser.parse_args(argv)

    from slack_bolt import BoltRequest

    from bot.runtime import build_runtime
    from bot.settings import Settings
    from bot.slack.app import build_app
    from tests.support.fakeslack import FakeSlack

    with FakeSlack() as fake, tempfile.TemporaryDirectory() as data:
        settings = Settings.from_env(
            {
                "SLACK_BOT_TOKEN": "xoxb-bench",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.api_url,
                "LINGO_DATABASE_URL": f"sqlite:///{Path(data) / 'lingo.db'}",
                "LINGO_LOG_LEVEL": "WARNING",
            }
        )
        runtime = build_runtime(settings)
        app = build_app(runtime.deps, client=runtime.client)

        def dispatch(body: str, content_type: str) -> int:
            request = BoltRequest(body=body, headers=signed(body, content_type))
            return app.dispatch(request).status

        def lookup(number: int) -> int:
            form = {
                "command": "/lingo",
                "text": long_text(number, args.chars),
                "user_id": "U0BENCH001",
                "channel_id": "C0BENCH001",
                "team_id": "T0FAKE0001",
                "trigger_id": f"{number}.1.bench",
                "response_url": fake.response_url(),
            }
            return dispatch(urlencode(form), "application/x-www-form-urlencoded")

        def shortcut(number: int) -> int:
            payload = {
                "type": "message_action",
                "callback_id": "explain_jargon",
                "trigger_id": f"{number}.2.bench",
                "response_url": fake.response_url(),
                "team": {"id": "T0FAKE0001"},
                "user": {"id": "U0BENCH001"},
                "channel": {"id": "C0BENCH001"},
                "message": {"type": "message", "text": long_text(10**6 + number, args.chars)},
            }
            body = urlencode({"payload": json.dumps(payload)})
            return dispatch(body, "application/x-www-form-urlencoded")

        for number in range(5):  # warm-up: imports, first renders
            lookup(-1 - number)
            shortcut(-1 - number)
        gc.collect()
        before = rss_mb()
        statuses = [lookup(n) for n in range(args.texts)]
        statuses += [shortcut(n) for n in range(args.texts)]
        gc.collect()
        after = rss_mb()
        runtime.engine.dispose()
    failed = sum(1 for status in statuses if status != 200)
    growth = after - before
    print(
        f"{args.texts} lookups + {args.texts} shortcuts of {args.chars:,} characters: "
        f"RSS {before:.1f} MB → {after:.1f} MB, growth **{growth:.1f} MB** "
        f"(target ≤ 50 MB: {'met' if growth <= 50 else 'MISSED'}); non-200 answers: {failed}"
    )
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
