"""Load benchmark of `lingo serve --http`: signed /lingo requests over loopback.

    .venv/bin/python -m bench.http_load [--seconds 30] [--connections 32] [--starts 5] [--threads N]
    .venv/bin/python -m bench.http_load --slow-only [--stalled 1000] [--checkout DIR]

1. Starts `lingo serve --http` (waitress, LINGO_WEB_THREADS threads, one process) as a
   subprocess talking to a local fake Slack Web API, and sends it correctly signed
   `/lingo <text>` requests (real terms, typos and misses) on 32 keep-alive connections for
   30 s: throughput, p50/p99 latency, errors (which must be 0).
2. Runs the same load against the same server stack (bot.ops.http, same threads) serving a
   bare WSGI handler that reads the body and answers a constant: the ratio of the two
   throughputs is what the bot's own work costs. And against Bolt alone on that stack: the
   bot's WSGI app (bot.slack.web) around a Bolt App whose only listener acks the same
   pre-serialized answer for `/lingo`, so the ratio splits into Bolt's part and the bot's.
3. Measures start-up: from process start to the first 200 from /healthz with the shipped
   glossary, median of 5.
4. The slow-client run: 1,000 connections that send half a request and stall (half stop
   in the headers, half announce a 100,000-byte body and send one byte) are held open
   while signed /lingo requests and /healthz are timed one at a time (bounded: 200
   requests, 5 s timeout each). ``--checkout DIR`` runs the server of another checkout
   (e.g. the code before a change) for a before/after comparison.

The load generator is wrk with a Lua script of pre-signed requests (signatures are valid
for 5 minutes) when wrk is installed, else a multi-process Python client with keep-alive
connections; the report says which. Results go to stdout and bench/results/http_load.md.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "http_load.md"
SECRET = "0123456789abcdef0123456789abcdef"
PATH = "/slack/events"
# Words that are not in the glossary; a miss is one or two of them.
MISS_WORDS = (
    "dining",
    "gravity",
    "blockchain",
    "kubernetes",
    "sourdough",
    "xyzzy",
    "money",
    "photosynthesis",
    "tax",
    "jazz",
    "harmony",
    "volcano",
    "spreadsheet",
    "espresso",
    "marathon",
    "origami",
    "tariff",
    "glacier",
    "sonnet",
    "mortgage",
    "bicycle",
    "saxophone",
    "tundra",
    "pottery",
    "invoice",
    "lighthouse",
    "zeppelin",
    "quilt",
    "meridian",
    "compost",
    "tapestry",
    "walrus",
    "fjord",
)


# -- the requests -------------------------------------------------------------------------------


def queries(count: int, seed: int = 7) -> list[str]:
    """A mix like real use: 60% names and aliases, 25% typos, 15% misses; few repeats."""
    from bot.glossary import load_glossary

    rng = random.Random(seed)
    labels = [
        label for term in load_glossary(ROOT / "glossary").terms.values() for label in term.labels
    ]
    found = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.60:
            found.append(rng.choice(labels))
        elif roll < 0.85:
            found.append(_typo(rng.choice([lab for lab in labels if len(lab) >= 6]), rng))
        else:
            found.append(" ".join(rng.sample(MISS_WORDS, rng.choice((1, 2)))))
    return found


def _typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swap two letters
    return text[:i] + text[i + 1 :]  # drop one


def signed_command(text: str, number: int, timestamp: int) -> tuple[str, dict[str, str]]:
    """The form body and headers Slack would send for `/lingo text`."""
    body = urlencode(
        {
            "token": "x",
            "team_id": "T0FAKE0001",
            "team_domain": "fake",
            "channel_id": "C0BENCH001",
            "channel_name": "bench",
            "user_id": f"U0BENCH{number % 97:03d}",
            "user_name": "bench",
            "command": "/lingo",
            "text": text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
            "api_app_id": "A0LINGO001",
            "is_enterprise_install": "false",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": f"{number}.{timestamp}.bench",
        }
    )
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }
    return body, headers


def signed_requests(count: int = 20_000) -> list[tuple[str, dict[str, str]]]:
    now = int(time.time())
    return [signed_command(text, i, now) for i, text in enumerate(queries(count))]


# -- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(api_url: str, data: Path) -> dict[str, str]:
    from bot.settings import ENVIRONMENT

    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        LINGO_DATABASE_URL=f"sqlite:///{data / 'lingo.db'}",
        LINGO_LOG_LEVEL="WARNING",
    )
    return env


@contextmanager
def running(
    command: list[str], env: dict[str, str], port: int, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_healthy(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> float:
    """Poll /healthz every 5 ms; return seconds until the first 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before it was healthy")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return time.perf_counter() - started
            connection.close()
        except OSError:
            pass
        time.sleep(0.005)
    raise SystemExit("the server did not become healthy")


def bot_command(port: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-scheduler",
        *extra,
    ]


def bolt_command(port: int, body_file: Path) -> list[str]:
    bolt = ["--bolt-server", str(port), "--bare-body", str(body_file)]
    return [sys.executable, "-m", "bench.http_load", *bolt]


def bare_command(port: int, body_file: Path | None) -> list[str]:
    command = [sys.executable, "-m", "bench.http_load", "--bare-server", str(port)]
    return command + (["--bare-body", str(body_file)] if body_file else [])


def typical_answer(requests: list[tuple[str, dict[str, str]]]) -> bytes:
    """The answer of median size among those the benchmark's requests get, as sent."""
    from urllib.parse import parse_qs

    from bot.glossary import load_glossary
    from bot.lookup.answers import answer
    from bot.lookup.resolver import Resolver
    from bot.render.blocks.answers import answer_message

    glossary = load_glossary(ROOT / "glossary")
    resolver = Resolver(glossary)
    bodies = []
    for body, _ in requests:
        text = parse_qs(body)["text"][0]
        message = answer_message(
            answer(text, resolver, contributing_url="https://example.test/"),
            glossary,
            contributing_url="https://example.test/",
        )
        message["response_type"] = "ephemeral"
        bodies.append(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())
    return sorted(bodies, key=len)[len(bodies) // 2]


def serve_bare(port: int, body_file: str | None) -> None:
    """The comparison: the same HTTP front (bot.ops.http) serving a handler that does no work.

    It reads the request and answers a constant: a tiny JSON object, or (``body_file``) a
    pre-serialized answer of the same size as the bot's, so that only the bot's work differs.
    """
    from bot.ops.http import HttpServer
    from bot.settings import Settings

    body = Path(body_file).read_bytes() if body_file else b'{"text":"ok"}'

    def bare(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"].read(length)
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    server = HttpServer(bare, "127.0.0.1", port, Settings.from_env(dict(os.environ)).web_threads)
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    server.serve_forever()


def serve_bolt_alone(port: int, body_file: str) -> None:
    """Bolt's share: the bot's WSGI app and signature check, a `/lingo` listener that acks a
    constant answer of the bot's median size, and nothing of the bot's own work."""
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from bot.ops.http import HttpServer
    from bot.settings import Settings
    from bot.slack.web import make_wsgi_app

    settings = Settings.from_env(dict(os.environ))
    answer = json.loads(Path(body_file).read_bytes())
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client,
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.command("/lingo")
    def lingo(ack: Ack) -> None:
        ack(answer)

    wsgi = make_wsgi_app(app, lambda: (True, "ok"))
    server = HttpServer(wsgi, "127.0.0.1", port, settings.web_threads)
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    server.serve_forever()


def check_answers(port: int, requests: list[tuple[str, dict[str, str]]]) -> None:
    """Before timing: the bot really answers (a card, choices or a miss), in the ack."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for body, headers in requests[:20]:
        connection.request("POST", PATH, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.status != 200 or not json.loads(data).get("blocks"):
            raise SystemExit(f"not an answer: {response.status} {data[:200]!r}")
    connection.close()


# -- load generators ----------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


WRK_SCRIPT = """
local requests = {}
local count = 0
local next_index = 0
function init(args)
  local file = io.open(args[1], "r")
  for line in file:lines() do
    local entry = json_decode(line)
    count = count + 1
    requests[count] = wrk.format("POST", "%(path)s", entry.headers, entry.body)
  end
  file:close()
  next_index = math.random(count)
end
function request()
  next_index = next_index %% count + 1
  return requests[next_index]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"requests\\":%%d,\\"seconds\\":%%f,\\"errors\\":%%d,\\"p50\\":%%d,\\"p90\\":%%d," ..
    "\\"p99\\":%%d,\\"max\\":%%d}\\n",
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""
# wrk's Lua has no JSON decoder: each line of the requests file is a tiny Lua table instead.
LUA_DECODER = """
function json_decode(line)
  return load("return " .. line)()
end
"""


def _lua_string(text: str) -> str:
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.=%&:/+"
    return '"' + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in text.encode()) + '"'


def run_wrk(
    port: int, requests: list[tuple[str, dict[str, str]]], connections: int, seconds: int
) -> Load:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "requests.lua"
        data.write_text(
            "".join(
                "{body="
                + _lua_string(body)
                + ", headers={"
                + ", ".join(f"[{_lua_string(k)}]={_lua_string(v)}" for k, v in headers.items())
                + "}}\n"
                for body, headers in requests
            )
        )
        script = Path(tmp) / "lingo.lua"
        script.write_text(LUA_DECODER + WRK_SCRIPT % {"path": PATH})
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "1",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{PATH}",
                "--",
                str(data),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    match = re.search(r"RESULT (\{.*\})", result.stdout)
    if not match:
        raise SystemExit("wrk gave no result:\n" + result.stdout + result.stderr)
    raw = json.loads(match[1])
    return Load(
        raw["requests"],
        raw["seconds"],
        raw["errors"],
        raw["p50"] / 1000,
        raw["p90"] / 1000,
        raw["p99"] / 1000,
        raw["max"] / 1000,
    )


def _python_worker(
    port: int,
    requests: list[tuple[str, dict[str, str]]],
    connections: int,
    seconds: float,
    queue: Any,
) -> None:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def connection_loop(offset: int) -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        index = offset
        while time.perf_counter() < deadline:
            body, headers = requests[index % len(requests)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("POST", PATH, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=connection_loop, args=(i * 37,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors))


def run_python(
    port: int, requests: list[tuple[str, dict[str, str]]], connections: int, seconds: int
) -> Load:
    processes = 4
    queue: Any = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=_python_worker, args=(port, requests, connections // processes, seconds, queue)
        )
        for _ in range(processes)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for found, _ in results for x in found)
    errors = sum(e for _, e in results)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return Load(len(latencies), elapsed, errors, pct(50), pct(90), pct(99), latencies[-1] * 1000)


# -- the report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = cpu_model()
    import slack_bolt

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "waitress": version("waitress"),
        "slack_bolt": slack_bolt.version.__version__,
    }


# -- the slow-client run -------------------------------------------------------------------------

PARTIAL_HEADERS = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
PARTIAL_BODY = (
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
)


@dataclass
class Timed:
    """Requests sent one at a time: how many, how many failed, latency percentiles (ms)."""

    sent: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float


def timed_one_at_a_time(
    port: int, requests: list[tuple[str, dict[str, str]]] | None, count: int
) -> Timed:
    """``count`` requests on fresh connections (signed /lingo, or GET /healthz with None);
    stops early after 5 failures in a row (a starved server would take 5 s for each)."""
    latencies, errors, in_a_row = [], 0, 0
    for number in range(count):
        if in_a_row >= 5:
            break
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if requests is None:
                connection.request("GET", "/healthz")
            else:
                body, headers = requests[number % len(requests)]
                connection.request("POST", PATH, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            failed = response.status != 200
        except OSError:
            failed = True
        errors += failed
        in_a_row = in_a_row + 1 if failed else 0
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return Timed(
        len(latencies),
        errors,
        statistics.median(latencies),
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        latencies[-1],
    )


def slow_clients(
    port: int, requests: list[tuple[str, dict[str, str]]], stalled: int, count: int
) -> dict[str, Timed]:
    """Time /lingo and /healthz alone, then with ``stalled`` half-sent requests held open."""
    results = {
        "lingo alone": timed_one_at_a_time(port, requests, count),
        "healthz alone": timed_one_at_a_time(port, None, count),
    }
    held: list[socket.socket] = []
    try:
        for number in range(stalled):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.sendall(PARTIAL_HEADERS if number % 2 else PARTIAL_BODY)
                held.append(connection)
            except OSError:
                break
        results[f"lingo, {len(held)} stalled"] = timed_one_at_a_time(port, requests, count)
        results[f"healthz, {len(held)} stalled"] = timed_one_at_a_time(port, None, count)
    finally:
        for connection in held:
            connection.close()
    return results


def slow_report(results: dict[str, Timed], server: str) -> str:
    lines = [
        f"## Slow clients: {server}",
        "",
        "Requests one at a time on fresh connections (5 s timeout), alone and while "
        "half-sent requests are held open (half stop in the headers, half after 1 byte of a "
        "100,000-byte body).",
        "",
        "| | requests | errors | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {t.sent} | {t.errors} | {t.p50_ms:.1f} | {t.p99_ms:.1f} | {t.max_ms:.1f} |"
            for name, t in results.items()
        ),
        "",
    ]
    return "\n".join(lines)


def report(
    bot: Load,
    bare: dict[str, Load],
    answer_bytes: int,
    starts: list[float],
    tool: str,
    connections: int,
    threads: int,
    load_before: float,
) -> str:
    start = statistics.median(starts)
    info = machine()
    ratios = {name: bot.throughput / load.throughput for name, load in bare.items()}
    bolt_share = bare["bolt"].throughput / bare["sized"].throughput

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def row(name: str, load: Load) -> str:
        return (
            f"| {name} | {load.throughput:,.0f} | {load.p50_ms:.1f} | {load.p90_ms:.1f} | "
            f"{load.p99_ms:.1f} | {load.max_ms:.1f} | {load.errors} |"
        )

    lines = [
        "## HTTP load: `lingo serve --http`",
        "",
        f"Signed `/lingo <text>` requests (60% names and aliases, 25% typos, 15% misses; "
        f"{connections} keep-alive connections, {bot.seconds:.0f} s each run, loopback). Load "
        f"generator: {tool}. Server: waitress {info['waitress']} (bot.ops.http), {threads} "
        f"threads, slack_bolt {info['slack_bolt']} through its WSGI adapter and "
        "app.command; the answer is in the acknowledgement, and the lookup log records every "
        "lookup, as in production. The bare handlers run on the same server stack, read the "
        "request and answer a constant: a pre-serialized answer of the median size of the "
        f"bot's ({answer_bytes:,} bytes), or 13 bytes. *Bolt alone* is the bot's WSGI app and "
        "Bolt (signature check, routing, ack) with one `/lingo` listener that acks that same "
        "answer: what any Bolt app costs before it does any work of its own.",
        "",
        "| | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("bot (`/lingo`)", bot),
        row(f"bare handler, {answer_bytes:,}-byte answer", bare["sized"]),
        row("bare handler, 13-byte answer", bare["tiny"]),
        row(f"Bolt alone, acking the {answer_bytes:,}-byte answer", bare["bolt"]),
        "",
        f"- Throughput ratio bot / bare handler with a same-size answer: **{ratios['sized']:.2f}**"
        f" (accepted ≥ 0.35: {verdict(ratios['sized'] >= 0.35)})",
        f"- Throughput ratio bot / bare handler with a 13-byte answer: **{ratios['tiny']:.2f}**",
        f"- Bolt alone / bare handler with a same-size answer: **{bolt_share:.2f}**, p99 "
        f"**{bare['bolt'].p99_ms:.1f} ms**: the most any Bolt app can reach on this stack; the "
        f"bot reaches {ratios['bolt']:.2f} of Bolt alone's throughput",
        f"- p99 latency: **{bot.p99_ms:.1f} ms** (target ≤ 50 ms: {verdict(bot.p99_ms <= 50)})",
        f"- Errors: **{bot.errors}** (target 0: {verdict(bot.errors == 0)})",
        f"- Start-up, process start to the first 200 from /healthz with the shipped glossary: "
        f"**{start:.2f} s**, median of {len(starts)} ({', '.join(f'{s:.2f}' for s in starts)})"
        f" (target ≤ 1.5 s: {verdict(start <= 1.5)})",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, {info['os']}; "
        f"load average before the run: {load_before:.2f} (other work on the machine "
        "lowers every number, the ratios less so).",
        "",
    ]
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--stalled", type=int, default=1000, help="slow clients held open")
    parser.add_argument("--threads", type=int, help="LINGO_WEB_THREADS of both servers")
    parser.add_argument("--slow-only", action="store_true", help="only the slow-client run")
    parser.add_argument("--checkout", type=Path, help="serve the bot of this checkout")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--bolt-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--bare-body", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.bare_server:
        serve_bare(args.bare_server, args.bare_body)
        return 0
    if args.bolt_server:
        serve_bolt_alone(args.bolt_server, args.bare_body)
        return 0

    from bot.settings import Settings
    from tests.support.fakeslack import FakeSlack

    use_wrk = shutil.which("wrk") is not None and not args.python_client
    tool = (
        "wrk (1 thread, Lua script of pre-signed requests)"
        if use_wrk
        else ("Python client (4 processes, http.client keep-alive)")
    )
    load = run_wrk if use_wrk else run_python
    threads = args.threads or Settings.from_env({}).web_threads
    load_before = os.getloadavg()[0]
    requests = signed_requests()
    checkout = (args.checkout or ROOT).resolve()
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as data:
        env = server_env(fake.api_url, Path(data))
        env["LINGO_WEB_THREADS"] = str(threads)
        if checkout != ROOT:
            env["PYTHONPATH"] = str(checkout)
        port = free_port()
        with running(bot_command(port), env, port, cwd=checkout):
            slow = slow_clients(port, requests, args.stalled, 200)
        slow_text = slow_report(slow, f"`lingo serve --http` of {checkout.name}")
        if args.slow_only:
            print(slow_text)
            return 0
        starts = []
        for _ in range(args.starts):
            port = free_port()
            process = subprocess.Popen(
                bot_command(port),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                starts.append(wait_healthy(port, process))
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(20)
        port = free_port()
        with running(bot_command(port), env, port):
            check_answers(port, requests)
            load(port, requests[:50], args.connections, 2)  # warm-up
            bot = load(port, requests, args.connections, args.seconds)
        answer_file = Path(data) / "answer.json"
        answer_file.write_bytes(typical_answer(requests))
        baselines = (
            ("sized", lambda port: bare_command(port, answer_file)),
            ("tiny", lambda port: bare_command(port, None)),
            ("bolt", lambda port: bolt_command(port, answer_file)),
        )
        bare = {}
        for name, command in baselines:
            port = free_port()
            with running(command(port), env, port):
                if name == "bolt":
                    check_answers(port, requests)  # signed requests are answered, through Bolt
                load(port, requests[:50], args.connections, 2)
                bare[name] = load(port, requests, args.connections, args.seconds)
        answer_bytes = len(answer_file.read_bytes())
    text = report(bot, bare, answer_bytes, starts, tool, args.connections, threads, load_before)
    text += "\n" + slow_text
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    return 0 if bot.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
