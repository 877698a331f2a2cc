"""Daily planning and plan decomposition (pure)."""
