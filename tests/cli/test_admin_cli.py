"""`lingo new-term`, `lingo preview` and `lingo stats` as an admin runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.admin.lookup_log import LookupRecorder
from bot.cli import main
from bot.glossary import load_glossary
from bot.lookup.resolver import Resolver
from bot.store.engine import make_engine, upgrade_schema
from tests.conftest import PINNED_GLOSSARY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    root = tmp_path / "glossary"
    shutil.copytree(PINNED_GLOSSARY, root)
    return root


def test_new_term_then_validate(glossary_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new-term", "Mixture", "of", "Experts", "--glossary", str(glossary_dir)])
    assert code == 0
    path = glossary_dir / "terms" / "mixture-of-experts.yaml"
    assert f"Wrote {path}" in capsys.readouterr().out
    assert main(["validate", str(glossary_dir)]) == 1
    assert "mixture-of-experts.yaml:" in capsys.readouterr().out


def test_new_term_refuses_to_overwrite(
    glossary_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-term", "Beam Search", "--glossary", str(glossary_dir)]) == 0
    assert main(["new-term", "beam search", "--glossary", str(glossary_dir)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_new_term_checks_the_category(
    glossary_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["new-term", "Beam Search", "--category", "cooking", "--glossary", str(glossary_dir)]
    assert main(args) == 1
    assert "unknown category 'cooking'" in capsys.readouterr().err
    assert not (glossary_dir / "terms" / "beam-search.yaml").exists()


def test_preview_prints_markdown(glossary_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(glossary_dir / "terms" / "lora.yaml")]
    assert main(["preview", "--glossary", str(glossary_dir), *files]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Glossary preview")
    assert "> **LoRA (Low-Rank Adaptation)**" in out


def test_stats_show_misses_after_a_few_lookups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'lingo.db'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    resolver = Resolver(load_glossary(PINNED_GLOSSARY))
    recorder = LookupRecorder(engine)
    recorder.start()
    for query in ("rag", "mixture of experts", "mixture of experts", "lorra"):
        recorder.record(query, resolver.resolve(query))
    recorder.close()
    engine.dispose()
    monkeypatch.setenv("LINGO_DATABASE_URL", url)
    monkeypatch.setenv("LINGO_GLOSSARY_DIR", str(PINNED_GLOSSARY))
    assert main(["stats", "--since", "1d"]) == 0
    out = capsys.readouterr().out
    assert "Lookups since" in out
    assert "2  mixture of expert" in out
    assert "1  RAG (Retrieval-Augmented Generation)" in out
    assert "1  LoRA (Low-Rank Adaptation)" in out


def test_stats_explain_a_bad_span(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--since", "yesterday-ish"]) == 1
    assert "time span like 7d" in capsys.readouterr().err
