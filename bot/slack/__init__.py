"""The Slack edge: requests in, core calls, rendered Block Kit out."""
