"""pygame package."""
