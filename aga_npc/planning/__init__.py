"""Daily schedules: parsing and validating plan items (pure)."""
