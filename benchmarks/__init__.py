"""Benchmark scripts: each prints a table and writes ``--json PATH``; ``--quick`` is short."""
