"""The docs in the repository work as printed (issue 16, point 8).

- README's commands, taken from its fenced blocks: exactly two set-up commands; every later
  command runs the project's venv by path (``.venv/bin/...``), since the set-up does not
  activate it; the files they name exist; the quick ones (headless demo and example, one
  simulation run) are run as printed, from a folder holding only what they name.
- Every Markdown link of README and docs/ resolves inside the repository, and no file of
  the project points to a design document or a shared folder outside it.
- The persona example of docs/PERSONAS.md loads and fits the map it names.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from aga_npc.personas.loader import check_on_map, parse_toml
from aga_npc.world.model import World

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
QUICK = ("--headless", "aga_npc.sim run")  # what a test may run as printed
SHARED = ("../" + "shared",)
BARE = "DESIGN" + ".md"  # spelled so that this file does not name it bare
DESIGN = re.compile(r"(?<![\w/])(?:\.\./)*DESIGN\.md")  # not preceded by docs/


def _blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def _commands(text: str) -> list[str]:
    out = []
    for lang, body in _blocks(text):
        if lang in ("", "bash", "sh"):
            out += [line.strip() for line in body.splitlines() if line.strip()]
    return out


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else len(README)]


def test_the_set_up_is_two_commands_that_install_into_the_venv() -> None:
    setup = _commands(_section("Set-up"))
    assert len(setup) == 2, setup
    for line in setup:
        assert line.startswith("python3 -m venv .venv && .venv/bin/pip install -e "), line


def test_later_commands_call_the_venv_by_path() -> None:
    later = _commands(README[README.index("## Controls") :])
    assert len(later) >= 10
    bare = re.compile(r"(?<![/\w.-])(python3?|pip3?|pytest|aga-npc-demo)(?![\w.-])")
    for line in later:
        if line.startswith(("export ", "#")):
            continue
        tokens = shlex.split(line, comments=True)
        for token in tokens:
            assert not bare.fullmatch(token), f"{line!r}: {token} without .venv/bin/"
            if token.startswith(".venv/bin/"):
                assert token in (
                    ".venv/bin/python",
                    ".venv/bin/pip",
                    ".venv/bin/aga-npc-demo",
                ), token
            if re.fullmatch(r"[\w/.-]+\.py", token):
                assert (ROOT / token).is_file(), f"{line!r}: no {token}"


def test_the_rule_catches_a_bare_python() -> None:
    """The check above would catch the README's old form."""
    bare = re.compile(r"(?<![/\w.-])(python3?|pip3?|pytest|aga-npc-demo)(?![\w.-])")
    assert any(bare.fullmatch(t) for t in shlex.split("python examples/embed_minimal.py"))
    assert not any(bare.fullmatch(t) for t in shlex.split(".venv/bin/python demo_game.py"))


def _quick_commands() -> list[str]:
    return [c for c in _commands(README) if any(q in c for q in QUICK)]


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("command", _quick_commands())
def test_quick_readme_commands_run_as_printed(command: str, tmp_path: Path) -> None:
    venv = ROOT / ".venv"
    if not (venv / "bin" / "python").is_file():
        pytest.skip("no .venv in the checkout (the README's set-up makes it)")
    # A folder with only the venv and the files the command names, so nothing is written
    # into the checkout and nothing else of the checkout is found by accident.
    (tmp_path / ".venv").symlink_to(venv)
    for token in shlex.split(command, comments=True):
        first = token.split("/")[0]
        if first and first != ".venv" and (ROOT / first).exists():
            target = tmp_path / first
            if not target.exists():
                target.symlink_to(ROOT / first)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AGA_LLM", "OPENAI_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", AGA_EMBED="hashing")
    for step in [*_made_by_earlier_commands(command), command]:
        done = subprocess.run(
            ["bash", "-c", step], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{step}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert "Traceback" not in done.stderr
    for token in shlex.split(command, comments=True):
        if token.endswith(".json"):
            assert (tmp_path / token).is_file(), token


def _made_by_earlier_commands(command: str) -> list[str]:
    """The README commands that make a file this one reads (``--replay X`` reads what the
    ``--record X`` line before it wrote), run first in the same folder, as a reader does."""
    tokens = shlex.split(command, comments=True)
    reads = {tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == "--replay"}
    earlier = []
    for other in _commands(README):
        words = shlex.split(other, comments=True)
        made = {words[i + 1] for i, t in enumerate(words[:-1]) if t == "--record"}
        if made & reads and other != command:
            earlier.append(other)
    return earlier


def test_a_replay_command_first_runs_the_record_command_it_reads() -> None:
    replay = next(c for c in _quick_commands() if "--replay" in c)
    earlier = _made_by_earlier_commands(replay)
    assert len(earlier) == 1 and "--record" in earlier[0]
    assert _made_by_earlier_commands(earlier[0]) == []


def test_the_quick_commands_are_found() -> None:
    quick = _quick_commands()
    assert any("embed_minimal.py --headless" in c for c in quick)
    assert any("demo_game.py --headless" in c for c in quick)
    assert any("aga-npc-demo --headless" in c for c in quick)
    assert any("aga_npc.sim run" in c for c in quick)


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_markdown_links_resolve_inside_the_repository() -> None:
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    for md in _markdown_files():
        for target in link.findall(md.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+://", target):
                continue
            path = (md.parent / target).resolve()
            assert path.exists(), f"{md.name}: link to {target} points nowhere"
            assert path.is_relative_to(ROOT), f"{md.name}: link to {target} leaves the repository"


def test_no_file_points_outside_the_repository() -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        path = ROOT / name
        if path.suffix not in (".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".sh", "") or (
            not path.is_file()
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for word in SHARED:
            assert word not in text, f"{name} refers to {word}"
        for found in DESIGN.finditer(text):
            # The bare name is only fine beside the file, in docs/.
            assert path.parent == ROOT / "docs" and found.group(0) == BARE, (
                f"{name}: {found.group(0)!r} (write docs/DESIGN.md)"
            )


def test_the_persona_example_loads_and_fits_its_map() -> None:
    doc = (ROOT / "docs" / "PERSONAS.md").read_text(encoding="utf-8")
    (example,) = [body for lang, body in _blocks(doc) if lang == "toml"]
    tomllib.loads(example)
    (persona,) = parse_toml(example, "docs/PERSONAS.md")
    assert persona.bed and persona.relationships
    world = World.load(ROOT / "tests" / "town" / "data" / "small_town.tmx")
    check_on_map([persona], world)


def test_the_outside_rule_catches_outside_references() -> None:
    assert DESIGN.search("see ../" + BARE + " section 3")
    assert DESIGN.search("(" + BARE + ")")
    assert not DESIGN.search("see docs/" + BARE + " section 3")
    outside = f"see ../{SHARED[0]}/notes.md"  # a path outside the repository
    assert any(word in outside for word in SHARED)
