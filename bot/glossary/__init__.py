"""The glossary: its model, and loading and validating the YAML folder admins edit."""

from bot.glossary.load import (
    PLACEHOLDER,
    Report,
    load_glossary,
    shadowed_by_command,
    validate_glossary,
    validate_term_text,
)
from bot.glossary.model import Category, Digest, DigestItem, Glossary, Link, Term

__all__ = [
    "PLACEHOLDER",
    "Category",
    "Digest",
    "DigestItem",
    "Glossary",
    "Link",
    "Report",
    "Term",
    "load_glossary",
    "shadowed_by_command",
    "validate_glossary",
    "validate_term_text",
]
