"""Live reload: a valid change is served within the poll interval, an invalid one never is."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.glossary import load_glossary
from bot.glossary.live import LiveGlossary
from bot.glossary.reload import GlossaryWatcher, Reloader, folder_fingerprint
from bot.ops.metrics import REGISTRY, track_glossary_size
from bot.settings import Settings
from bot.slack.notify import AdminNotifier
from tests.support.fakeslack import FakeSlack

ADMINS = frozenset({"U0ADMIN001", "U0ADMIN002"})
ADMIN_CHANNEL = "C0ADMINS01"

CATEGORIES = """\
- id: basics
  name: LLM basics
- id: training
  name: Training and fine-tuning
"""
TOKEN = """\
id: token
name: Token
category: basics
definition: The unit of text a model reads and writes, often a piece of a word.
"""
FINE_TUNING = """\
id: fine-tuning
name: Fine-Tuning
aliases:
  - fine-tune
category: training
definition: Training a pretrained model a little more on your own examples for your task.
"""
LORA = """\
id: lora
name: LoRA (Low-Rank Adaptation)
category: training
definition: Fine-tuning that learns two small low-rank matrices per weight and freezes the rest.
related:
  - fine-tuning
"""
BROKEN_LORA = """\
id: lora
name: LoRA
category: training
definition: Fine-tuning that learns two small low-rank matrices per weight and freezes the rest.
related:
  - does-not-exist
"""


def write_glossary(root: Path) -> Path:
    (root / "terms").mkdir(parents=True)
    (root / "categories.yaml").write_text(CATEGORIES)
    (root / "terms" / "token.yaml").write_text(TOKEN)
    (root / "terms" / "fine-tuning.yaml").write_text(FINE_TUNING)
    return root


def settings_for(root: Path, interval: float) -> Settings:
    return Settings(
        glossary_dir=root,
        reload_seconds=interval,
        admin_user_ids=ADMINS,
        admin_channel=ADMIN_CHANNEL,
    )


def wait_until(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until ``condition`` held; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout}s")
        time.sleep(0.02)
    return time.monotonic() - start


def reloads(outcome: str) -> float:
    return REGISTRY.get_sample_value("lingo_glossary_reloads_total", {"outcome": outcome}) or 0.0


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    return write_glossary(tmp_path / "glossary")


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.api_url)


@pytest.fixture
def live(glossary_dir: Path) -> LiveGlossary:
    return LiveGlossary(load_glossary(glossary_dir))


def notices(fake: FakeSlack) -> list[tuple[str, str]]:
    return [(c.params["channel"], c.params["text"]) for c in fake.calls_to("chat.postMessage")]


def test_a_valid_change_is_served_within_the_poll_interval(
    glossary_dir: Path, live: LiveGlossary, client: WebClient
) -> None:
    interval = 1.0
    applied_before = reloads("applied")
    stop = start_watcher(live, settings_for(glossary_dir, interval), client, handle_sighup=False)
    try:
        time.sleep(0.1)
        (glossary_dir / "terms" / "lora.yaml").write_text(LORA)
        # Served by the watcher's own polling (timing belongs to bench/, not to this test).
        wait_until(lambda: live.current().glossary.term("lora") is not None, 10)
    finally:
        stop()
    assert live.current().resolver.resolve("low-rank adaptation").term.id == "lora"  # type: ignore[union-attr]
    assert reloads("applied") == applied_before + 1
    assert REGISTRY.get_sample_value("lingo_glossary_terms") == 3


def test_an_invalid_change_is_never_served_and_the_admins_hear_once(
    glossary_dir: Path, live: LiveGlossary, client: WebClient, fake_slack: FakeSlack
) -> None:
    served = live.current()
    rejected_before = reloads("rejected")
    stop = start_watcher(live, settings_for(glossary_dir, 0.2), client, handle_sighup=False)
    try:
        (glossary_dir / "terms" / "lora.yaml").write_text(BROKEN_LORA)
        fake_slack.wait_for("chat.postMessage", count=3)
        # A rewrite with the same problems is looked at (rejected again) but not announced.
        seen = reloads("rejected")
        (glossary_dir / "terms" / "lora.yaml").write_text(BROKEN_LORA + "\n")
        wait_until(lambda: reloads("rejected") > seen, 10)
        assert live.current() is served
        assert len(notices(fake_slack)) == 3
        sent = notices(fake_slack)
        assert sorted(channel for channel, _ in sent) == sorted([*ADMINS, ADMIN_CHANNEL])
        for _, text in sent:
            assert "was not applied" in text
            assert "terms/lora.yaml:6: related term 'does-not-exist' does not exist" in text
        assert reloads("rejected") >= rejected_before + 1

        # Fixed: served, and the admins who heard of the problem hear it is over.
        (glossary_dir / "terms" / "lora.yaml").write_text(LORA)
        wait_until(lambda: live.current().glossary.term("lora") is not None, 5)
        fake_slack.wait_for("chat.postMessage", count=6)
        assert all("valid again" in text for _, text in notices(fake_slack)[3:])
    finally:
        stop()


def test_problems_are_logged_with_file_and_line(
    glossary_dir: Path, live: LiveGlossary, caplog: pytest.LogCaptureFixture
) -> None:
    (glossary_dir / "terms" / "lora.yaml").write_text(BROKEN_LORA)
    result = Reloader(live, glossary_dir).reload("test")
    assert result.outcome == "rejected"
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.glossary.reload"]
    assert any(
        m.endswith("lora.yaml:6: related term 'does-not-exist' does not exist") for m in logged
    )


def test_sighup_reloads_at_once(glossary_dir: Path, live: LiveGlossary) -> None:
    stop = start_watcher(live, settings_for(glossary_dir, 3600), None, handle_sighup=True)
    try:
        (glossary_dir / "terms" / "lora.yaml").write_text(LORA)
        os.kill(os.getpid(), signal.SIGHUP)
        # The poll interval is an hour: a change served within the wait came from the signal.
        wait_until(lambda: live.current().glossary.term("lora") is not None, 5)
    finally:
        stop()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL  # restored by stop()


def test_sighup_forces_a_reload_even_when_nothing_looks_changed(
    glossary_dir: Path, live: LiveGlossary
) -> None:
    watcher = GlossaryWatcher(Reloader(live, glossary_dir), interval=3600, settle=0)
    assert watcher.check() is None
    watcher.reload_soon()
    result = watcher.check()
    assert result is not None
    assert result.outcome == "unchanged"


def test_a_removed_folder_keeps_the_glossary(
    tmp_path: Path, glossary_dir: Path, live: LiveGlossary
) -> None:
    served = live.current()
    result = Reloader(live, tmp_path / "nowhere").reload("test")
    assert result.outcome == "rejected"
    assert "not found" in result.problems[0].message
    assert live.current() is served


def test_the_summary_says_what_changed(glossary_dir: Path, live: LiveGlossary) -> None:
    (glossary_dir / "terms" / "lora.yaml").write_text(LORA)
    (glossary_dir / "terms" / "token.yaml").unlink()
    path = glossary_dir / "terms" / "fine-tuning.yaml"
    path.write_text(path.read_text().replace("for your task", "so it does your task"))
    result = Reloader(live, glossary_dir).reload("test")
    assert (result.added, result.removed, result.changed) == (
        ("lora",),
        ("token",),
        ("fine-tuning",),
    )
    assert result.summary() == "Reloaded the glossary: 2 terms (1 added, 1 changed, 1 removed)."


def test_requests_never_fail_during_reloads(glossary_dir: Path, live: LiveGlossary) -> None:
    """Lookups on other threads go on answering while the glossary is swapped many times."""
    reloader = Reloader(live, glossary_dir)
    errors: list[BaseException] = []
    answered = 0
    done = threading.Event()

    def ask() -> None:
        nonlocal answered
        while not done.is_set():
            try:
                resolution = live.current().resolver.resolve("fine tune")
                assert resolution.term is not None
                answered += 1
            except BaseException as error:  # collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    lora = glossary_dir / "terms" / "lora.yaml"
    for index in range(20):
        if index % 2:
            lora.unlink()
        else:
            lora.write_text(LORA)
        reloader.reload("test")
    done.set()
    for thread in threads:
        thread.join()
    assert not errors
    assert answered > 0


def test_a_notice_slack_refused_is_retried(
    fake_slack: FakeSlack, client: WebClient, glossary_dir: Path, live: LiveGlossary
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500)
    notifier = AdminNotifier(client, frozenset({"U0ADMIN001"}), None)
    (glossary_dir / "terms" / "lora.yaml").write_text(BROKEN_LORA)
    Reloader(live, glossary_dir, on_result=notifier).reload("test")
    assert len(fake_slack.calls_to("chat.postMessage")) >= 1
    notifier._next_try = 0  # the backoff has passed
    notifier.retry_due()
    last = fake_slack.calls_to("chat.postMessage")[-1]
    assert "was not applied" in last.params["text"]
    count = len(fake_slack.calls_to("chat.postMessage"))
    notifier.retry_due()  # delivered: nothing more to send
    assert len(fake_slack.calls_to("chat.postMessage")) == count


def test_fingerprint_follows_links_like_a_configmap_swap(tmp_path: Path) -> None:
    first = write_glossary(tmp_path / "v1")
    second = write_glossary(tmp_path / "v2")
    (second / "terms" / "lora.yaml").write_text(LORA)
    link = tmp_path / "current"
    link.symlink_to(first)
    before = folder_fingerprint(link)
    swap = tmp_path / "current.new"
    swap.symlink_to(second)
    swap.replace(link)
    assert folder_fingerprint(link) != before
    assert any(name.endswith("lora.yaml") for name, *_ in folder_fingerprint(link))


def start_watcher(
    live: LiveGlossary,
    settings: Settings,
    client: WebClient | None,
    *,
    handle_sighup: bool,
) -> Callable[[], None]:
    """The watcher wired as bot.runtime wires it: reloader, admin notifier, SIGHUP."""
    notifier = AdminNotifier(client, settings.admin_user_ids, settings.admin_channel)
    reloader = Reloader(live, settings.glossary_dir, on_result=notifier)
    watcher = GlossaryWatcher(
        reloader,
        settings.reload_seconds,
        after_look=notifier.retry_due,
        handle_sighup=handle_sighup,
    )
    track_glossary_size(live)
    watcher.start()
    return watcher.stop
