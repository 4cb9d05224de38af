"""Models of the legal_aid app."""
