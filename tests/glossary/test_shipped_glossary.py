"""The shipped glossary keeps every property of a valid glossary (it grows by pull request)."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.support.glossary_checks import check_any_glossary


def test_the_shipped_glossary_keeps_every_content_check() -> None:
    check_any_glossary(ROOT / "glossary")


def test_the_pinned_copy_keeps_every_content_check() -> None:
    check_any_glossary(ROOT / "tests" / "data" / "glossary-46")
