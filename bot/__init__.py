"""LLM Lingo: a Slack glossary bot for the vocabulary of large language models."""

__version__ = "0.1.0"
