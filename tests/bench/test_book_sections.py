"""``python -m benchmarks --sections``: a book of some sections says which were not run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def book(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_section_left_out_is_named_as_not_run(tmp_path: Path) -> None:
    out = tmp_path / "BOOK.md"
    done = book("--sections", "", "--out", str(out), "--keep", str(tmp_path / "keep"))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    for name in ("tokens", "components", "frames"):
        assert f"The {name} section was not run in this book." in text
        assert f"- {name}: not run in this book" in text
    assert "Every figure with a goal meets it." not in text


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    done = book("--sections", "tokens,speed", "--out", str(tmp_path / "BOOK.md"))
    assert done.returncode == 2
    assert "unknown sections ['speed']" in done.stderr
    assert not (tmp_path / "BOOK.md").exists()
