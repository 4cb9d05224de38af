"""Service ratings (好差评)."""
