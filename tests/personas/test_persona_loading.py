"""load_personas: files, folders and Generative Agents folders recognised by content."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from aga_npc.errors import PersonaError
from aga_npc.personas import load_personas

DATA = Path(__file__).parent / "data"
GA = DATA / "ga_personas"


def toml(name: str, home: str = "Brook House") -> str:
    return f'name = "{name}"\nhome = "{home}"\n'


def test_folder_of_toml_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text(toml("Bea"), encoding="utf-8")
    (tmp_path / "a.toml").write_text(toml("Abe"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert [p.name for p in load_personas(tmp_path)] == ["Abe", "Bea"]


def test_single_toml_file_without_toml_suffix_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "resident.cfg"
    path.write_text(toml("Cal"), encoding="utf-8")
    assert [p.name for p in load_personas(path)] == ["Cal"]


def test_generative_agents_personas_folder(tmp_path: Path) -> None:
    people = load_personas(GA)
    assert [p.name for p in people] == ["Dov Quint", "Ines Marlowe", "Pilar Quint", "Roald Finch"]
    # the folder above personas/ and a single persona folder work too
    shutil.copytree(GA, tmp_path / "storage" / "personas")
    assert len(load_personas(tmp_path / "storage")) == 4
    assert [p.name for p in load_personas(GA / "Roald_Finch")] == ["Roald Finch"]


def test_single_scratch_json_file_by_content(tmp_path: Path) -> None:
    path = tmp_path / "pilar.data"  # no .json suffix: recognised by content
    shutil.copy(GA / "Pilar_Quint" / "bootstrap_memory" / "scratch.json", path)
    (p,) = load_personas(path)
    assert p.name == "Pilar Quint" and p.workplace == "Juniper Cafe"


def test_json_that_is_not_a_scratch_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"title": "not a persona"}), encoding="utf-8")
    with pytest.raises(PersonaError, match="not a Generative Agents scratch file") as info:
        load_personas(path)
    assert info.value.path == str(path)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(PersonaError, match="no such file or folder"):
        load_personas(tmp_path / "nope")
    with pytest.raises(PersonaError, match="no persona files found"):
        load_personas(tmp_path)


def test_duplicate_names_across_files_name_both(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(toml("Abe"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(toml("Abe"), encoding="utf-8")
    with pytest.raises(PersonaError, match=r"duplicate name 'Abe' \(also in .*a\.toml\)") as info:
        load_personas(tmp_path)
    assert info.value.path.endswith("b.toml") and info.value.field == "name"


def test_duplicate_beds_are_rejected(tmp_path: Path) -> None:
    bed = 'bed = "Brook House:kids room:bed 1"\n'
    (tmp_path / "a.toml").write_text(toml("Abe") + bed, encoding="utf-8")
    (tmp_path / "b.toml").write_text(toml("Bea") + bed, encoding="utf-8")
    with pytest.raises(PersonaError, match="already belongs to Abe") as info:
        load_personas(tmp_path)
    assert info.value.field == "bed"


def test_unknown_relationship_names_are_warnings_not_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = toml("Abe") + '[relationships."Zed Mars"]\nrelationship = "pen pal"\n'
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    notes: list[str] = []
    with caplog.at_level(logging.WARNING, logger="aga_npc.personas"):
        (p,) = load_personas(tmp_path, warnings=notes)
    assert "Zed Mars" in p.relationships
    assert len(notes) == 1 and "'Zed Mars', not in this set" in notes[0]
    assert any("Zed Mars" in r.getMessage() for r in caplog.records)
