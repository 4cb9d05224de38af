"""Models of proactive (no-sense) approvals."""
