"""The town runtime: brains, world stepper and conversations driven together."""
