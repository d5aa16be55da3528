"""The validator compares Korean names and aliases with every other label, folded as lookup
folds them (spacing ignored), and points at the line of the Korean alias."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.glossary import validate_glossary
from bot.glossary.model import stamp

MINI = Path(__file__).parent.parent / "data" / "mini-glossary"


def with_korean(tmp_path: Path, term_id: str, block: str) -> Path:
    target = tmp_path / "glossary"
    shutil.copytree(MINI, target)
    path = target / "terms" / f"{term_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    return target


def test_a_korean_alias_that_folds_like_another_terms_label_is_refused(tmp_path: Path) -> None:
    lora = f"""ko:
  translated_from: "{stamp("A way to fine-tune a large model cheaply by training two small matrices per layer.")}"
  name: 로라
  aliases: [저랭크 적응, 파인 튜닝]
  definition: 층마다 작은 행렬 두 개만 학습해 큰 모델을 싸게 파인튜닝하는 방법입니다.
"""
    fine_tuning = """ko:
  name: 파인튜닝
  definition: 사전학습된 모델을 작은 데이터셋으로 더 학습시키는 일입니다.
"""
    root = with_korean(tmp_path, "lora", lora)
    (root / "terms" / "fine-tuning.yaml").write_text(
        (root / "terms" / "fine-tuning.yaml").read_text(encoding="utf-8") + fine_tuning,
        encoding="utf-8",
    )
    report = validate_glossary(root)
    messages = [(Path(p.path).name, p.line, p.message) for p in report.problems]
    lora_lines = (root / "terms" / "lora.yaml").read_text(encoding="utf-8").splitlines()
    alias_line = next(i for i, line in enumerate(lora_lines, 1) if "파인 튜닝" in line)
    assert any(
        name == "lora.yaml"
        and line == alias_line
        and "'파인 튜닝' collides with '파인튜닝'" in text
        for name, line, text in messages
    ), messages


def test_distinct_korean_labels_are_valid(tmp_path: Path) -> None:
    block = """ko:
  name: 로라
  aliases: [저랭크 적응]
  definition: 층마다 작은 행렬 두 개만 학습해 큰 모델을 싸게 파인튜닝하는 방법입니다.
"""
    report = validate_glossary(with_korean(tmp_path, "lora", block))
    assert report.ok, report.problems
