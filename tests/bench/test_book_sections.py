"""``python -m benchmarks --sections``: a book of some sections says which were not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.run_all import main


def test_a_section_left_out_is_named_as_not_run(tmp_path: Path) -> None:
    out = tmp_path / "BOOK.md"
    assert main(["--sections", "", "--out", str(out), "--keep", str(tmp_path / "keep")]) == 0
    text = out.read_text()
    for name in ("tokens", "components", "frames"):
        assert f"The {name} section was not run in this book." in text
        assert f"- {name}: not run in this book" in text
    assert "Every figure with a goal meets it." not in text


def test_an_unknown_section_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--sections", "tokens,speed"])
    assert exit_.value.code == 2
    assert "unknown sections ['speed']" in capsys.readouterr().err
