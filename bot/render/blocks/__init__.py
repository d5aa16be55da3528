"""Slack Block Kit, one module per surface, all built on ``kit`` (typed slack_sdk models)."""
