"""Helpers for the tests: signed Slack requests, served apps."""
