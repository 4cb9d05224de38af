"""Pages of the legal-aid app, thin: they call services and selectors."""
