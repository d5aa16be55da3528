"""Logging for the running bot: to stderr, as text or one JSON object a line."""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.settings import Settings

SLACK_SDK_CLIENT_LOGGER = "slack_sdk.web.base_client"  # its attempts and retries, per request


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LINGO_LOG_LEVEL, as text or one JSON object a line (LINGO_LOG_FORMAT)."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # slack_sdk logs each failed attempt and each retry, then raises; we report what it
    # raises, once and clearly. Its lines return with LINGO_LOG_LEVEL=DEBUG.
    quiet = logging.DEBUG if settings.log_level == "DEBUG" else logging.CRITICAL
    logging.getLogger(SLACK_SDK_CLIENT_LOGGER).setLevel(quiet)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:

        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
