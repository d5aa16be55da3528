"""Turning answers into what people see: Block Kit for Slack, plain text for the terminal."""
