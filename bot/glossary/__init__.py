"""The glossary: its model, and loading and validating the YAML folder admins edit."""

from bot.glossary.load import PLACEHOLDER, Report, load_glossary, validate_glossary
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
    "validate_glossary",
]
