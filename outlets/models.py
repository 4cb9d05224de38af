"""Models of the outlets app."""
