"""``python -m benchmarks``: run every benchmark and write BENCHMARKS.md."""

from benchmarks.run_all import main

raise SystemExit(main())
